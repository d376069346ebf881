"""The project library: applying, the lifecycle one step at a time, roll-over, milestones, beneficiaries, enclave
dividends and assets. Every change is checked (who, in scope, in order) and logged in the same transaction."""

from datetime import date
from decimal import ROUND_DOWN, Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from bangfu.core import audit
from bangfu.core.money import parse_amount, yuan
from bangfu.core.roles import HELPER_ROLES, RECIPIENT_ROLES, Role, role_of
from bangfu.core.rules import OWN_ORG, OWN_REGION, require_may, rule
from bangfu.core.services import invalid, require_in_scope, resolve_in_scope, validate
from bangfu.pairing.models import Pairing
from bangfu.projects.models import (
    LIFECYCLE,
    Asset,
    AssetKind,
    Beneficiary,
    Category,
    Dividend,
    Gain,
    Milestone,
    Project,
    State,
    Step,
)
from bangfu.regions.models import Level, Region

# The project lifecycle (DOMAIN.md §3): who may move a project into each state. A county acts for its townships.
PROJECT_ROLES = {
    "applied": {Role.VILLAGE, Role.TOWNSHIP, Role.COUNTY},
    "township_reviewed": {Role.TOWNSHIP, Role.COUNTY},
    "approved": {Role.COUNTY},
    "funded": {Role.COUNTY, Role.COORDINATION, Role.HELPER},
    "implementing": {Role.COUNTY, Role.TOWNSHIP},
    "completed": {Role.COUNTY, Role.TOWNSHIP},
    "accepted": {Role.COUNTY},
    "handed_over": {Role.COUNTY},
    "rejected": {Role.TOWNSHIP, Role.COUNTY},
    "rolled_over": {Role.COUNTY},
}

# Who may (core.rules): a project is its place's (the recipient side) and, when a pairing funds it, that helper's; each
# step of the lifecycle by the roles above; households and assets are the recipient side's.
RULES = {
    "project.apply": rule(gettext_lazy("apply for a project"), HELPER_ROLES | RECIPIENT_ROLES),
    "project.change": rule(gettext_lazy("change a project"), HELPER_ROLES | RECIPIENT_ROLES, OWN_ORG, OWN_REGION),
    **{f"project.{state}": rule(gettext_lazy("move a project on its lifecycle"), roles, OWN_ORG, OWN_REGION)
       for state, roles in PROJECT_ROLES.items()},
    "beneficiary.change": rule(gettext_lazy("link households to a project"), RECIPIENT_ROLES, OWN_REGION),
    "asset.change": rule(gettext_lazy("register or change an asset"), {Role.COUNTY, Role.TOWNSHIP}, OWN_REGION),
}

EDITABLE = ["name", "category", "content", "implementer", "responsible", "procurement", "planned_amount",
            "planned_start", "planned_end", "targets", "results", "jobs", "progress", "pairing"]


def _place(actor, region: Region, pairing: Pairing | None) -> dict:
    if region.level not in (Level.COUNTY, Level.TOWNSHIP, Level.VILLAGE):
        invalid("region", _("A project lies in a county, township or village, not in a %(level)s.") % {
            "level": region.get_level_display()})
    if not Region.objects.visible_to(actor, "change").filter(pk=region.pk).exists() and not (
            pairing is not None and region.path.startswith(pairing.recipient_region.path)):
        invalid("region", _("%(region)s (%(code)s) is outside your scope.") % {"region": region.name,
                                                                               "code": region.code})
    if pairing is not None:
        if not Pairing.objects.visible_to(actor).filter(pk=pairing.pk).exists():
            invalid("pairing", _("Unknown pairing #%(id)s (or outside your scope).") % {"id": pairing.pk})
        if not region.path.startswith(pairing.recipient_region.path):
            invalid("pairing", _("Pairing #%(id)s helps %(recipient)s, not %(region)s.") % {
                "id": pairing.pk, "recipient": pairing.recipient_region.name, "region": region.name})
    return {"region_path": region.path, "county_code": region.county_code or "",
            "org_path": pairing.helper.path if pairing else ""}


def _check(project: Project):
    if project.category not in Category.values:
        invalid("category", _("Unknown category %(value)s.") % {"value": project.category})
    if project.planned_start and project.planned_end and project.planned_end < project.planned_start:
        invalid("planned_end", _("The planned end %(end)s is before the planned start %(start)s.") % {
            "end": project.planned_end, "start": project.planned_start})
    if project.progress > 100:
        invalid("progress", _("Progress is a percentage, at most 100."))
    if not project.county_code:
        invalid("region", _("A project lies in a county or below."))
    validate(project, exclude=["region", "pairing"])


def next_number(county_code: str, year: int) -> str:
    prefix = f"{county_code}-{year}-"
    taken = Project.objects.filter(number__startswith=prefix).count()
    n = taken + 1
    while Project.objects.filter(number=f"{prefix}{n:04d}").exists():
        n += 1
    return f"{prefix}{n:04d}"


def resolve_project(user, pk, field: str = "project") -> Project:
    """A project of the user's scope by its id, else an error on `field`."""
    return resolve_in_scope(user, Project, field, _("Unknown project #%(id)s (or outside your scope).") % {"id": pk},
                            pk=pk)


@transaction.atomic
def apply(actor, *, name: str, category: str, year, region: Region, pairing: Pairing | None = None,
          planned_amount=0, on: date | None = None, note: str = "", **fields) -> Project:
    """A village's application (村申报) enters the library as `applied`."""
    require_may(actor, "project.apply")
    if role_of(actor) not in PROJECT_ROLES["applied"] and not actor.is_superuser and pairing is None:
        invalid("pairing", _("A helper's project names the pairing that funds it."))
    try:
        year = int(year)
    except (TypeError, ValueError):
        invalid("year", _("%(value)s is not a year.") % {"value": year})
    if not 1979 <= year <= 2100:
        invalid("year", _("The year %(year)s is outside %(first)s-%(last)s.") % {
            "year": year, "first": 1979, "last": 2100})
    project = Project(name=(name or "").strip(), category=category, year=year, region=region, pairing=pairing,
                      planned_amount=parse_amount(planned_amount, "planned_amount"), state=State.APPLIED,
                      **_place(actor, region, pairing))
    for field, value in fields.items():
        if field not in EDITABLE:
            invalid(field, _("%(field)s cannot be set here.") % {"field": field})
        setattr(project, field, value)
    if not project.name:
        invalid("name", _("A project needs a name."))
    project.number = next_number(project.county_code, year)
    _check(project)
    project.save()
    Step.objects.create(project=project, to_state=State.APPLIED, on=on or timezone.localdate(),
                        actor_name=actor.get_username(), note=note, region_path=project.region_path,
                        county_code=project.county_code, org_path=project.org_path)
    audit.record(actor, "create", project, after=audit.snapshot(project))
    return project


@transaction.atomic
def update(actor, project: Project, reason: str = "", **changes) -> Project:
    require_may(actor, "project.change", project)
    before = audit.snapshot(project)
    for field, value in changes.items():
        if field not in EDITABLE:
            invalid(field, _("%(field)s cannot be changed here.") % {"field": field})
        if field == "planned_amount":
            value = parse_amount(value, field)
        setattr(project, field, value)
    if "pairing" in changes:
        project.org_path = _place(actor, project.region, project.pairing)["org_path"]
    _check(project)
    project.save()
    audit.record(actor, "update", project, before=before, after=audit.snapshot(project), reason=reason)
    return project


def allowed_next(project: Project) -> list[str]:
    """The states a project may move to from where it is."""
    state = project.state
    if state in (State.REJECTED, State.ROLLED_OVER, State.HANDED_OVER):
        return []
    following = [LIFECYCLE[LIFECYCLE.index(state) + 1]]
    if state in (State.APPLIED, State.TOWNSHIP_REVIEWED):
        following.append(State.REJECTED)
    if state == State.APPROVED and project.disbursed == 0:
        following.append(State.ROLLED_OVER)
    return following


@transaction.atomic
def transition(actor, project: Project, to_state: str, on: date | None = None, note: str = "") -> Project:
    """Move a project one step along its lifecycle; skipping a step, going back or acting outside one's role is
    refused."""
    project = Project.objects.select_for_update().get(pk=project.pk)
    if to_state not in PROJECT_ROLES:
        invalid("state", _("Unknown state %(value)s.") % {"value": to_state})
    require_may(actor, f"project.{to_state}", project)
    allowed = allowed_next(project)
    if to_state not in allowed:
        names = "、".join(str(State(s).label) for s in allowed) or _("none: the project's course is over")
        invalid("state", _("%(project)s is %(state)s; it cannot move to %(to)s. Next allowed: %(next)s.") % {
            "project": project.name, "state": project.get_state_display(), "to": State(to_state).label,
            "next": names})
    on = on or timezone.localdate()
    if to_state == State.FUNDED and project.disbursed == 0 and project.planned_amount == 0:
        invalid("state", _("Plan the project's funds (planned funds or a disbursement) before this step."))
    if to_state == State.ROLLED_OVER:
        return _roll_over(actor, project, on, note)
    before = audit.snapshot(project)
    from_state = project.state
    project.state = to_state
    if to_state == State.APPROVED:
        project.published_on = on
    elif to_state == State.IMPLEMENTING and not project.actual_start:
        project.actual_start = on
    elif to_state == State.COMPLETED:
        project.actual_end = project.actual_end or on
        project.progress = 100
    project.save()
    Step.objects.create(project=project, from_state=from_state, to_state=to_state, on=on,
                        actor_name=actor.get_username(), note=note or "", region_path=project.region_path,
                        county_code=project.county_code, org_path=project.org_path)
    audit.record(actor, "update", project, before=before, after=audit.snapshot(project), reason=note or "")
    return project


def _roll_over(actor, project: Project, on: date, note: str) -> Project:
    """An unfunded project of the library goes on to next year's library, as the same project."""
    before = audit.snapshot(project)
    project.rolled_from_year = project.rolled_from_year or project.year
    project.year += 1
    Step.objects.create(project=project, from_state=State.APPROVED, to_state=State.ROLLED_OVER, on=on,
                        actor_name=actor.get_username(), note=note or _("Rolled over to %(year)s.") % {
                            "year": project.year},
                        region_path=project.region_path, county_code=project.county_code, org_path=project.org_path)
    project.save()  # it stays in the library (approved), in next year's
    audit.record(actor, "update", project, before=before, after=audit.snapshot(project), reason=note or "roll-over")
    return project


@transaction.atomic
def roll_over_year(actor, year: int, on: date | None = None) -> int:
    """Every project of the year's library in the actor's scope that is decided but got no money goes on to the next
    year. Returns how many."""
    require_may(actor, "project.rolled_over")
    projects = Project.objects.visible_to(actor, "change").filter(year=year, state=State.APPROVED, disbursed=0)
    n = 0
    for project in projects.select_for_update():
        transition(actor, project, State.ROLLED_OVER, on=on)
        n += 1
    return n


# --- Milestones ---------------------------------------------------------------------------------------------------


@transaction.atomic
def add_milestone(actor, project: Project, name: str, due: date) -> Milestone:
    require_may(actor, "project.change", project)
    if not (name or "").strip():
        invalid("name", _("A milestone needs a name."))
    milestone = Milestone.objects.create(project=project, name=name.strip(), due=due,
                                         region_path=project.region_path, county_code=project.county_code,
                                         org_path=project.org_path)
    audit.record(actor, "create", milestone, after=audit.snapshot(milestone))
    return milestone


@transaction.atomic
def complete_milestone(actor, milestone: Milestone, done_on: date, progress: int | None = None) -> Milestone:
    require_may(actor, "project.change", milestone.project)
    before = audit.snapshot(milestone)
    milestone.done_on = done_on
    milestone.save()
    audit.record(actor, "update", milestone, before=before, after=audit.snapshot(milestone))
    if progress is not None:
        update(actor, milestone.project, progress=progress)
    return milestone


# --- Beneficiaries and enclave dividends --------------------------------------------------------------------------


def _households(actor, project: Project, household_ids):
    from bangfu.households.models import Household

    ids = list(dict.fromkeys(int(i) for i in household_ids))
    if not ids:
        invalid("households", _("Name at least one household."))
    found = dict(Household.objects.visible_to(actor).filter(
        pk__in=ids, county_code=project.county_code).values_list("pk", "region_path"))
    missing = [i for i in ids if i not in found]
    if missing:
        invalid("households", _("Households %(ids)s are not in %(county)s (or outside your scope).") % {
            "ids": ", ".join(map(str, missing[:10])), "county": project.county_code})
    return ids, found


@transaction.atomic
def link_beneficiaries(actor, project: Project, *, year: int, gain: str, household_ids, amount=0) -> int:
    """Households gaining from a project in a year, each with the amount per household (set-based)."""
    require_may(actor, "beneficiary.change", project)
    if gain not in Gain.values:
        invalid("gain", _("Unknown kind of gain %(value)s.") % {"value": gain})
    amount = parse_amount(amount)
    ids, paths = _households(actor, project, household_ids)
    taken = set(Beneficiary.objects.filter(project=project, year=year, gain=gain, household_id__in=ids)
                .values_list("household_id", flat=True))
    if taken:
        invalid("households", _("Already linked for %(year)s: %(ids)s.") % {
            "year": year, "ids": ", ".join(map(str, sorted(taken)[:10]))})
    Beneficiary.objects.bulk_create([
        Beneficiary(project=project, household_id=i, year=year, gain=gain, amount=amount, region_path=paths[i],
                    county_code=project.county_code, org_path=project.org_path) for i in ids])
    audit.record(actor, "update", project, reason=_("%(n)s households linked (%(gain)s, %(year)s, %(amount)s yuan "
                                                     "each)") % {"n": len(ids), "gain": Gain(gain).label,
                                                                 "year": year, "amount": yuan(amount)})
    return len(ids)


def split_evenly(total: Decimal, n: int) -> list[Decimal]:
    """`total` in n shares to the fen, the remainder fen by fen to the first shares: they add up exactly."""
    cents = int(total * 100)
    base, rest = divmod(cents, n)
    return [Decimal(base + (1 if i < rest else 0)) / 100 for i in range(n)]


@transaction.atomic
def distribute_dividend(actor, project: Project, *, year: int, amount, distributed_on: date, household_ids,
                        document_no: str = "") -> Dividend:
    """An enclave dividend (飞地分红): the amount shared evenly among the households, to the fen."""
    require_may(actor, "beneficiary.change", project)
    amount = parse_amount(amount)
    if amount <= 0:
        invalid("amount", _("The amount must be more than zero."))
    if project.state not in (State.COMPLETED, State.ACCEPTED, State.HANDED_OVER):
        invalid("project", _("%(project)s is %(state)s: dividends come from a project that is built.") % {
            "project": project.name, "state": project.get_state_display()})
    ids, paths = _households(actor, project, household_ids)
    if amount.quantize(Decimal("0.01"), ROUND_DOWN) < Decimal(len(ids)) / 100:
        invalid("amount", _("Too little to share among %(n)s households.") % {"n": len(ids)})
    if Beneficiary.objects.filter(project=project, year=year, gain=Gain.DIVIDEND, household_id__in=ids).exists():
        invalid("households", _("Some of these households had this project's dividend for %(year)s already.") % {
            "year": year})
    dividend = Dividend.objects.create(project=project, year=year, amount=amount, distributed_on=distributed_on,
                                       document_no=document_no or "", region_path=project.region_path,
                                       county_code=project.county_code, org_path=project.org_path)
    Beneficiary.objects.bulk_create([
        Beneficiary(project=project, household_id=i, year=year, gain=Gain.DIVIDEND, amount=share, dividend=dividend,
                    region_path=paths[i], county_code=project.county_code, org_path=project.org_path)
        for i, share in zip(ids, split_evenly(amount, len(ids)), strict=True)])
    audit.record(actor, "create", dividend, after=audit.snapshot(dividend))
    return dividend


# --- Assets -------------------------------------------------------------------------------------------------------

ASSET_FIELDS = ["name", "kind", "value", "owner", "upkeep", "income", "handed_over_on", "disposed_on", "disposal"]


@transaction.atomic
def register_asset(actor, *, project: Project | None, region: Region, name: str, kind: str, value, owner: str,
                   upkeep: str = "", handed_over_on: date | None = None) -> Asset:
    require_may(actor, "asset.change")
    if project is not None:
        require_in_scope(actor, project, "view")
        if not region.path.startswith(project.county_code and Region.objects.get(pk=project.county_code).path):
            invalid("region", _("The asset lies outside the project's county."))
    if not Region.objects.visible_to(actor, "change").filter(pk=region.pk).exists():
        invalid("region", _("%(region)s is outside your scope.") % {"region": region.name})
    if kind not in AssetKind.values:
        invalid("kind", _("Unknown kind %(value)s.") % {"value": kind})
    if not (owner or "").strip():
        invalid("owner", _("Who owns the asset?"))
    county = region.county_code or ""
    taken = Asset.objects.filter(number__startswith=f"{county}-A").count()
    asset = Asset(number=f"{county}-A{taken + 1:05d}", name=name, kind=kind, project=project, region=region,
                  value=parse_amount(value, "value"), owner=owner, upkeep=upkeep or "",
                  handed_over_on=handed_over_on, region_path=region.path, county_code=county,
                  org_path=project.org_path if project else "")
    validate(asset, exclude=["region", "project"])
    asset.save()
    audit.record(actor, "create", asset, after=audit.snapshot(asset))
    return asset


@transaction.atomic
def update_asset(actor, asset: Asset, reason: str = "", **changes) -> Asset:
    require_may(actor, "asset.change", asset)
    before = audit.snapshot(asset)
    for field, value in changes.items():
        if field not in ASSET_FIELDS:
            invalid(field, _("%(field)s cannot be changed here.") % {"field": field})
        if field in ("value", "income"):
            value = parse_amount(value, field)
        setattr(asset, field, value)
    if asset.disposed_on and not asset.disposal:
        invalid("disposal", _("Say how the asset was disposed of."))
    validate(asset, exclude=["region", "project"])
    asset.save()
    audit.record(actor, "update", asset, before=before, after=audit.snapshot(asset), reason=reason)
    return asset
