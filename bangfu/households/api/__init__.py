"""The household registry in the API: households, members and their moves, incomes, conditions, monitoring lines,
and a read-only view of the monitoring workflow's clues.

Every read goes through `visible_to`; every write through `services`. ID and phone numbers are masked in every answer
(`451024********0033`, `138****5678`); `POST …/reveal` returns one in the clear to a user with the unmask permission
and writes the access log. A birth date (the middle of the ID number) is given in full only to such a user, each
one written to the access log; others get its year. Lists are ordered by id, so that paging a county of 100,000
people stays cheap."""
