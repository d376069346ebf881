"""Recording people sent and trained: the checks, who may, and the change log."""

from datetime import date

from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from bangfu.core import audit
from bangfu.core.roles import HELPER_ROLES, Role
from bangfu.core.rules import OWN_ORG, OWN_REGION, require_may, rule
from bangfu.core.scope import scope_of
from bangfu.core.services import invalid
from bangfu.regions.models import Organisation, Region, Side
from bangfu.talent.models import PersonSent, PersonTrained, SentKind, TrainedKind

# Who may (core.rules): the helper side records whom it sends and trains, the recipient county whom it receives.
RULES = {"talent.record": rule(gettext_lazy("record people sent or trained"), HELPER_ROLES | {Role.COUNTY}),
         "talent.change": rule(gettext_lazy("end a secondment"), HELPER_ROLES | {Role.COUNTY}, OWN_ORG, OWN_REGION)}


def _check_period(start: date, end: date | None):
    if end is not None and end < start:
        invalid("end", _("The end %(end)s is before the start %(start)s.") % {"end": end, "start": start})


def _may(actor, region: Region, org: Organisation):
    scope = scope_of(actor)
    if not (scope.covers_org_path(org.path) or scope.covers_region_path(region.path)):
        invalid("from_org", _("Neither %(org)s nor %(region)s is in your scope.") % {"org": org, "region": region})


@transaction.atomic
def record_sent(actor, *, name: str, kind: str, from_org: Organisation, to_region: Region, start: date,
                end: date | None = None, to_org: Organisation | None = None, position: str = "") -> PersonSent:
    require_may(actor, "talent.record")
    if not name.strip():
        invalid("name", _("Name the person."))
    if kind not in SentKind.values:
        invalid("kind", _("Unknown kind %(value)s.") % {"value": kind})
    if from_org.side != Side.HELPER:
        invalid("from_org", _("%(org)s is not on the helper side.") % {"org": from_org})
    if to_org is not None and to_org.side != Side.RECIPIENT:
        invalid("to_org", _("%(org)s is not on the recipient side.") % {"org": to_org})
    _check_period(start, end)
    _may(actor, to_region, from_org)
    person = PersonSent(name=name.strip(), kind=kind, from_org=from_org, to_region=to_region, to_org=to_org,
                        position=position, start=start, end=end, region_path=to_region.path, org_path=from_org.path,
                        county_code=to_region.county_code or "")
    person.save()
    audit.record(actor, "create", person, after=audit.snapshot(person))
    return person


@transaction.atomic
def end_sent(actor, person: PersonSent, end: date, reason: str = "") -> PersonSent:
    require_may(actor, "talent.change", person)
    if person.end is not None:
        invalid("end", _("This secondment ended on %(end)s already.") % {"end": person.end})
    _check_period(person.start, end)
    before = audit.snapshot(person)
    person.end = end
    person.save()
    audit.record(actor, "update", person, before=before, after=audit.snapshot(person), reason=reason)
    return person


@transaction.atomic
def record_trained(actor, *, name: str, kind: str, from_region: Region, host: Organisation, programme: str,
                   start: date, end: date) -> PersonTrained:
    require_may(actor, "talent.record")
    if not name.strip():
        invalid("name", _("Name the person."))
    if kind not in TrainedKind.values:
        invalid("kind", _("Unknown kind %(value)s.") % {"value": kind})
    if not programme.strip():
        invalid("programme", _("Name the programme."))
    if host.side != Side.HELPER:
        invalid("host", _("%(org)s is not on the helper side.") % {"org": host})
    _check_period(start, end)
    _may(actor, from_region, host)
    person = PersonTrained(name=name.strip(), kind=kind, from_region=from_region, host=host,
                           programme=programme.strip(), start=start, end=end, region_path=from_region.path,
                           org_path=host.path, county_code=from_region.county_code or "")
    person.save()
    audit.record(actor, "create", person, after=audit.snapshot(person))
    return person


def in_post_q(year: int) -> Q:
    """In post at some time of the year."""
    return Q(start__lte=date(year, 12, 31)) & (Q(end__isnull=True) | Q(end__gte=date(year, 1, 1)))
