"""Creating, changing and ending pairings: the invariants, who may, and the change log."""

from datetime import date

from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from bangfu.core import audit, facts
from bangfu.core.roles import HELPER_ROLES
from bangfu.core.rules import OWN_ORG, require_may, rule
from bangfu.core.scope import scope_of
from bangfu.core.services import invalid, validate
from bangfu.pairing.models import Pairing, PairingKind
from bangfu.regions.models import Organisation, OrganisationKind, Region, Side

# Who may (core.rules): the helper side makes, changes and ends its own pairings.
RULES = {"pairing.change": rule(gettext_lazy("make or change a pairing"), HELPER_ROLES, OWN_ORG)}

# Kinds whose two ends are institutions of one kind.
INSTITUTION_KINDS = {PairingKind.SCHOOL: OrganisationKind.SCHOOL, PairingKind.HOSPITAL: OrganisationKind.HOSPITAL}


def parse_kind(value: str) -> str:
    """A kind given as its code (east_west) or its name in either language (东西部协作)."""
    value = (value or "").strip()
    for kind in PairingKind:
        if value in (kind.value, str(kind.label)) or value in KIND_NAMES_ZH.get(kind, ()):
            return kind.value
    invalid("kind", _("Unknown pairing kind %(value)s; one of: %(kinds)s.") % {
        "value": value, "kinds": "、".join(KIND_NAMES_ZH[k][0] for k in PairingKind)})


# The names officials use, accepted whatever the interface language.
KIND_NAMES_ZH = {
    PairingKind.COUNTERPART: ("对口支援",),
    PairingKind.EAST_WEST: ("东西部协作", "东西部扶贫协作"),
    PairingKind.IN_PROVINCE: ("省内对口帮扶",),
    PairingKind.HAND_IN_HAND: ("携手奔小康/携手促振兴", "携手奔小康", "携手促振兴"),
    PairingKind.ENTERPRISE_VILLAGE: ("万企兴万村", "万企帮万村"),
    PairingKind.SCHOOL: ("校校结对",),
    PairingKind.HOSPITAL: ("院院结对",),
    PairingKind.VILLAGE: ("村村结对",),
}


def check_pairing(pairing: Pairing):
    """The invariants of one pairing, each refused with a message naming its field."""
    if pairing.end and pairing.end < pairing.start:
        invalid("end", _("The end date %(end)s is before the start date %(start)s.") % {
            "end": pairing.end, "start": pairing.start})
    if pairing.helper.side != Side.HELPER:
        invalid("helper", _("%(org)s is on the recipient side.") % {"org": pairing.helper})
    if pairing.recipient_org_id:
        if pairing.recipient_org.side != Side.RECIPIENT:
            invalid("recipient", _("%(org)s is on the helper side.") % {"org": pairing.recipient_org})
        pairing.recipient_region = pairing.recipient_org.region
    institution = INSTITUTION_KINDS.get(pairing.kind)
    if institution:
        label = OrganisationKind(institution).label
        if pairing.helper.kind != institution:
            invalid("helper", _("A %(kind)s needs a %(org)s as helper.") % {
                "kind": pairing.get_kind_display(), "org": label})
        if not pairing.recipient_org_id or pairing.recipient_org.kind != institution:
            invalid("recipient", _("A %(kind)s needs a %(org)s as recipient.") % {
                "kind": pairing.get_kind_display(), "org": label})
    overlapping = Pairing.objects.filter(
        kind=pairing.kind, helper=pairing.helper, recipient_region=pairing.recipient_region,
        recipient_org=pairing.recipient_org,
    ).filter(Q(end__isnull=True) | Q(end__gte=pairing.start))
    if pairing.end:
        overlapping = overlapping.filter(start__lte=pairing.end)
    clash = overlapping.exclude(pk=pairing.pk).first()
    if clash:
        invalid("kind", _("%(helper)s already has a pairing of this kind with %(recipient)s from %(start)s (#%(id)s).")
                % {"helper": pairing.helper, "recipient": pairing.recipient, "start": clash.start, "id": clash.pk})
    validate(pairing)


def _save(actor, pairing: Pairing, before: dict | None, reason: str) -> Pairing:
    check_pairing(pairing)
    if not scope_of(actor).covers_org_path(pairing.helper.path):
        invalid("helper", _("%(org)s is not your organisation or one under it.") % {"org": pairing.helper})
    if not Region.objects.visible_to(actor).filter(pk=pairing.recipient_region_id).exists():
        invalid("recipient", _("Unknown region code %(code)s (or outside your scope).") % {
            "code": pairing.recipient_region_id})
    pairing.save()
    audit.record(actor, "update" if before else "create", pairing, before=before, after=audit.snapshot(pairing),
                 reason=reason)
    return pairing


@transaction.atomic
def create_pairing(actor, *, kind: str, helper: Organisation, recipient_region: Region | None = None,
                   recipient_org: Organisation | None = None, start: date, end: date | None = None,
                   notes: str = "") -> Pairing:
    require_may(actor, "pairing.change")
    if recipient_region is None and recipient_org is None:
        invalid("recipient", _("A pairing needs a recipient region or organisation."))
    pairing = Pairing(kind=kind, helper=helper, recipient_region=recipient_region or recipient_org.region,
                      recipient_org=recipient_org, start=start, end=end, notes=notes or "")
    return _save(actor, pairing, None, "")


@transaction.atomic
def update_pairing(actor, pairing: Pairing, reason: str = "", **changes) -> Pairing:
    require_may(actor, "pairing.change", pairing)
    before = audit.snapshot(pairing)
    facts.touch([pairing.recipient_region.path])  # the figures of the place it leaves, if it moves
    for field, value in changes.items():
        setattr(pairing, field, value)
    if "recipient_region" in changes and "recipient_org" not in changes:
        pairing.recipient_org = None
    return _save(actor, pairing, before, reason)


@transaction.atomic
def end_pairing(actor, pairing: Pairing, end: date, reason: str = "") -> Pairing:
    if pairing.end is not None:
        invalid("end", _("This pairing ended on %(end)s already.") % {"end": pairing.end})
    return update_pairing(actor, pairing, reason=reason, end=end)
