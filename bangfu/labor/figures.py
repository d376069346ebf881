"""The labour summary: figures over the records a user may see, for a helper's or a recipient's places, read from
the indicator registry (labor.indicators, and talent's people sent by code), computed live with the user's scope."""

from django.utils.translation import gettext as _

from bangfu.core.indicators import ALL, Helper, catalogue, helper_places, live_many
from bangfu.core.services import invalid
from bangfu.regions.models import Organisation, Region
from bangfu.regions.services import find_organisation

# Each figure of the summary and the indicator it is (people sent: talent's, when the app is installed).
FIGURES = {"registered": "labor.registered", "employed": "labor.employed",
           "employed_in_helper_city": "labor.employed_in_helper_city", "stable": "labor.stable",
           "returned": "labor.returned", "public_welfare_posts": "labor.public_welfare_posts",
           "public_welfare_workers": "labor.public_welfare_workers", "job_fairs": "labor.job_fairs",
           "trainees": "labor.trainees", "people_sent": "talent.sent"}


def places(user, helper: str | None = None, recipient: str | None = None) -> tuple[tuple[str, ...], str]:
    """(recipient region paths, helper organisation path) a summary covers. A helper covers every region its
    organisation and those under it have been paired with, active or ended; a recipient its own subtree."""
    from django.http import Http404

    if bool(helper) == bool(recipient):
        invalid("helper", _("Give helper=CODE or recipient=CODE."))
    if recipient:
        region = Region.objects.visible_to(user).filter(code=recipient.strip()).first()
        if region is None:
            raise Http404
        return (region.path,), ""
    org = find_organisation(Organisation.objects.visible_to(user), helper)
    if org is None:
        raise Http404
    return helper_places(org.path), org.path


def side(user, helper: str | None = None, recipient: str | None = None) -> tuple[str, Helper | None]:
    """(region path, helper) of a summary, as indicators take them: a recipient's own subtree, or every place a helper
    covers (`places`)."""
    paths, org_path = places(user, helper, recipient)
    return ("", Helper(org_path, tuple(paths))) if org_path else (paths[0], None)


def summary(user, helper: str | None = None, recipient: str | None = None, year: int | None = None) -> dict:
    """Distinct people (or posts, fairs, person-times) cumulative, or in `year`: each figure its indicator, live."""
    region_path, side_of = side(user, helper, recipient)
    period = str(year) if year else ALL
    codes = {name: code for name, code in FIGURES.items() if code in catalogue()}
    values = live_many(codes.values(), region_path, side_of, (period,), user=user)
    return {name: int(values[codes[name], period] or 0) if name in codes else 0 for name in FIGURES}
