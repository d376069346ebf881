"""Labour cooperation in the API (`/api/v1/labor/…`): the summary, laborers and their timeline, matching, postings,
job fairs, stations, workshops, public-welfare posts, employment, courses, subsidy claims and the return alerts.

Reads go through `visible_to`; writes through `services`. Phone numbers are masked in every answer."""
