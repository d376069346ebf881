"""The labour summary: figures over the records a user may see, for a helper's or a recipient's places."""

from datetime import date

from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from bangfu.core.registry import registry
from bangfu.core.scope import collapse, prefix_in, prefix_q
from bangfu.core.services import invalid
from bangfu.labor.models import (
    Attendance,
    Channel,
    Employment,
    Event,
    JobFair,
    Laborer,
    Place,
    PublicWelfarePost,
    State,
)
from bangfu.labor.services import stable_q
from bangfu.pairing.models import Pairing
from bangfu.regions.models import Organisation, Region
from bangfu.regions.services import find_organisation

FIGURES = ("registered", "employed", "employed_in_helper_city", "stable", "returned", "public_welfare_posts",
           "public_welfare_workers", "job_fairs", "trainees", "people_sent")


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
    paths = Pairing.objects.filter(helper__path__startswith=org.path).values_list("recipient_region__path",
                                                                                     flat=True)
    return collapse(paths), org.path


def summary(user, helper: str | None = None, recipient: str | None = None, year: int | None = None,
            today: date | None = None) -> dict:
    paths, org_path = places(user, helper, recipient)
    today = today or timezone.localdate()
    in_places = prefix_in("region_path", paths)
    laborers = Laborer.objects.visible_to(user).filter(in_places)
    jobs = Employment.objects.visible_to(user).filter(in_places)
    posts = PublicWelfarePost.objects.visible_to(user).filter(in_places)
    events = Event.objects.visible_to(user).filter(in_places)
    fairs = JobFair.objects.visible_to(user)
    fairs = fairs.filter(prefix_q("org_path", (org_path,))) if org_path else fairs.filter(in_places)
    attendances = Attendance.objects.visible_to(user).filter(in_places)
    until = today
    if year:
        start, end = date(year, 1, 1), date(year, 12, 31)
        until = min(end, today)
        laborers = laborers.filter(registered_on__year=year)
        jobs = jobs.filter(start__lte=end).filter(Q(end__isnull=True) | Q(end__gte=start))
        posts = posts.filter(pk__in=jobs.filter(channel=Channel.PUBLIC_WELFARE).values("post"))
        events = events.filter(on__year=year)
        fairs = fairs.filter(held_on__year=year)
        attendances = attendances.filter(course__start__year=year)

    def people(qs, **figures: Q | None) -> dict:
        """Distinct laborers among the rows, one count per figure (its condition, or None for all), in one query."""
        return qs.order_by().aggregate(**{name: Count("laborer_id", distinct=True, filter=condition)
                                          for name, condition in figures.items()})

    return {
        "registered": laborers.count(),
        **people(jobs, employed=None, employed_in_helper_city=Q(place=Place.HELPER_CITY), stable=stable_q(until),
                 public_welfare_workers=Q(channel=Channel.PUBLIC_WELFARE)),
        **people(events.filter(state=State.RETURNED), returned=None),
        "public_welfare_posts": posts.count(),
        "job_fairs": fairs.count(),
        **people(attendances, trainees=None),
        # Figures of the same places that other apps keep (people sent: talent), as they registered them.
        **{name: figure(user, paths, org_path, year) for name, figure in registry["figures"]["labor"].items()},
    }
