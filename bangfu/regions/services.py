"""Changes to regions and organisations, and how codes given by users resolve to them."""

import re

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import F, Value
from django.db.models.functions import Concat, Substr
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from bangfu.core import audit
from bangfu.core.roles import HELPER_ROLES, Role
from bangfu.core.rules import OWN_ORG, OWN_REGION, require_may, rule
from bangfu.core.services import invalid, resolve_in_scope, save_audited, validate
from bangfu.regions.divisions import national_divisions
from bangfu.regions.models import Level, Organisation, Region, place_under

SUB_COUNTY_LEVELS = {Level.TOWNSHIP: Level.COUNTY, Level.VILLAGE: Level.TOWNSHIP}

# Who may (core.rules): a county keeps the places below it; each side keeps its own organisations.
RULES = {
    "region.add": rule(gettext_lazy("add a township or village"), {Role.COUNTY}, OWN_REGION),
    "organisation.change": rule(gettext_lazy("change an organisation"), HELPER_ROLES | {Role.COUNTY}, OWN_ORG,
                                OWN_REGION),
}


def load_national_divisions(region_model=Region) -> int:
    """Insert the national table of provinces, prefectures and counties; codes already there are left alone.

    Takes the model so that the data migration can pass its historical one.
    """
    existing = set(region_model.objects.values_list("code", flat=True))
    placed: dict[str, object] = {}
    new = []
    for d in national_divisions():
        region = region_model(code=d.code, name=d.name, level=d.level, active=d.active)
        place_under(region, placed.get(d.parent))
        placed[d.code] = region
        if d.code not in existing:
            new.append(region)
    region_model.objects.bulk_create(new, batch_size=2000)
    return len(new)


def resolve_region(user, code: str, field: str = "region", action: str = "view") -> Region:
    """A region of the user's scope by its code, else an error on `field`."""
    region = resolve_in_scope(user, Region, field,
                              _("Unknown region code %(code)s (or outside your scope).") % {"code": code},
                              action=action, code=(code or "").strip())
    return region


def find_organisation(queryset, code: str) -> Organisation | None:
    """An organisation by its code: `org-ID`, an 18-character credit code, or the code of the region it acts for."""
    code = (code or "").strip().upper()
    if code.startswith("ORG-") and code[4:].isdigit():
        return queryset.filter(pk=int(code[4:])).first()
    if len(code) == 18:
        return queryset.filter(credit_code=code).first()
    if re.fullmatch(r"\d{6}|\d{12}", code):
        return queryset.filter(region_id=code, represents_region=True).first()
    return None


def resolve_organisation(user, code: str, field: str) -> Organisation:
    org = find_organisation(Organisation.objects.visible_to(user), code)
    if org is None:
        invalid(field, _("Unknown organisation code %(code)s (or outside your scope).") % {"code": code})
    return org


@transaction.atomic
def create_subcounty_region(actor, *, code: str, name: str, parent: Region, level: str, is_poor_village=False):
    """A township (under a county) or a village (under a township), with its 12-digit statistical code."""
    require_may(actor, "region.add")
    if level not in SUB_COUNTY_LEVELS:
        invalid("level", _("Only townships and villages can be added; counties come from the national table."))
    if not re.fullmatch(r"\d{12}", code or ""):
        invalid("code", _("A township or village code has 12 digits."))
    if parent.level != SUB_COUNTY_LEVELS[level]:
        invalid("parent", _("A %(level)s must sit under a %(parent)s.") % {
            "level": Level(level).label, "parent": Level(SUB_COUNTY_LEVELS[level]).label})
    prefix = parent.code[:6] if level == Level.TOWNSHIP else parent.code[:9]
    if not code.startswith(prefix):
        invalid("code", _("Code %(code)s does not begin with its parent's %(prefix)s.") % {
            "code": code, "prefix": prefix})
    if Region.objects.filter(code=code).exists():
        invalid("code", _("Region code %(code)s exists already.") % {"code": code})
    require_may(actor, "region.add", parent)
    region = Region(code=code, name=name.strip(), level=level, is_poor_village=is_poor_village and level == "village")
    place_under(region, parent)
    validate(region)
    return save_audited(actor, region)


@transaction.atomic
def save_organisation(actor, org: Organisation, reason: str = "") -> Organisation:
    """Create or change an organisation; keeps the paths of its subtree right when its parent moves."""
    require_may(actor, "organisation.change")
    validate(org, exclude=["path"])
    creating = org._state.adding
    before = None
    if not creating:
        stored = Organisation.objects.get(pk=org.pk)
        require_may(actor, "organisation.change", stored)
        before = audit.snapshot(stored)
    old_path = org.path
    org.path = old_path or "pending/"
    org.save()
    org.path = f"{org.parent.path if org.parent_id else ''}{org.pk}/"
    if org.path != old_path:
        Organisation.objects.filter(pk=org.pk).update(path=org.path)
        if old_path:
            Organisation.objects.filter(path__startswith=old_path).exclude(pk=org.pk).update(
                path=Concat(Value(org.path), Substr(F("path"), len(old_path) + 1))
            )
    # Checked after the save, in the transaction: what the actor made must still be his to change.
    if not Organisation.objects.visible_to(actor, "change").filter(pk=org.pk).exists():
        raise PermissionDenied(_("The organisation would be outside your scope."))
    action = "create" if creating else "update"
    audit.record(actor, action, org, before=before, after=audit.snapshot(org), reason=reason)
    return org
