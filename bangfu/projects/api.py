"""Projects and assets in the API: the library with filters, one project with its trail, milestones and gains; applying,
the lifecycle one step at a time, roll-over, milestones, beneficiaries and enclave dividends; the assets ledger."""

from datetime import date
from decimal import Decimal

from django.db.models import Count, Sum
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema
from ninja.pagination import paginate

from bangfu.core.api import DbId, Quantity, Year, Yuan
from bangfu.core.money import fen_text
from bangfu.core.pagination import Pages
from bangfu.core.services import resolve_in_scope
from bangfu.pairing.filters import resolve_filter
from bangfu.pairing.models import Pairing
from bangfu.projects import services
from bangfu.projects.models import Asset, AssetKind, Beneficiary, Category, Gain, Milestone, Project, State
from bangfu.regions.services import resolve_region

projects = Router(tags=["projects"])
assets = Router(tags=["projects"])


class ProjectOut(Schema):
    id: int
    number: str
    name: str
    category: Category
    year: int
    state: State
    state_label: str
    region: str = Field(alias="region_id")
    region_name: str
    county_code: str
    pairing: int | None = Field(alias="pairing_id")
    implementer: str
    planned_amount: Yuan
    disbursed: Yuan
    spent: Yuan
    progress: int
    jobs: int
    planned_start: date | None
    planned_end: date | None
    actual_start: date | None
    actual_end: date | None
    published_on: date | None
    rolled_from_year: int | None

    @staticmethod
    def resolve_state_label(obj):
        return str(obj.get_state_display())

    @staticmethod
    def resolve_region_name(obj):
        return obj.region.name


class StepOut(Schema):
    from_state: str
    to_state: str
    on: date
    actor_name: str
    note: str


class MilestoneOut(Schema):
    id: int
    name: str
    due: date
    done_on: date | None


class ProjectDetail(ProjectOut):
    content: str
    responsible: str
    procurement: str
    targets: str
    results: str
    next_states: list[str]
    steps: list[StepOut]
    milestones: list[MilestoneOut]
    beneficiary_households: int
    gains: dict[str, str]


class ProjectIn(Schema):
    name: str
    category: Category
    year: Year
    region: str = Field(description="Code of the county, township or village where it is")
    pairing: DbId | None = None
    planned_amount: Decimal | str = "0"
    content: str = ""
    implementer: str = ""
    responsible: str = ""
    procurement: str = ""
    planned_start: date | None = None
    planned_end: date | None = None
    targets: str = ""
    jobs: Quantity = 0


class ProjectPatch(Schema):
    name: str = None
    category: Category = None
    content: str = None
    implementer: str = None
    responsible: str = None
    procurement: str = None
    planned_amount: Decimal | str = None
    planned_start: date | None = None
    planned_end: date | None = None
    targets: str = None
    results: str = None
    jobs: Quantity = None
    progress: int = Field(None, ge=0, le=100)
    reason: str = ""


class TransitionIn(Schema):
    state: str = Field(description=" | ".join(State.values))
    on: date | None = None
    note: str = ""


class MilestoneIn(Schema):
    name: str
    due: date


class MilestoneDone(Schema):
    done_on: date
    progress: int | None = Field(None, ge=0, le=100)


class BeneficiariesIn(Schema):
    year: Year
    gain: Gain
    households: list[DbId]
    amount: Decimal | str = Field("0", description="Yuan per household in the year")


class DividendIn(Schema):
    year: Year
    amount: Decimal | str
    distributed_on: date
    households: list[DbId]
    document_no: str = ""


class DividendOut(Schema):
    id: int
    year: int
    amount: Yuan
    distributed_on: date
    households: int

    @staticmethod
    def resolve_households(obj):
        return obj.shares.count()


class LinkedOut(Schema):
    linked: int


class RollOverIn(Schema):
    year: Year


def _get(user, project_id: int) -> Project:
    return get_object_or_404(Project.objects.visible_to(user).select_related("region"), pk=project_id)


def filtered(user, *, helper=None, recipient=None, pairing=None, year=None, category=None, state=None, q=None):
    f = resolve_filter(user, helper, recipient, pairing, year)
    qs = Project.objects.visible_to(user).filter(f.q())
    if category:
        qs = qs.filter(category=category)
    if state:
        qs = qs.filter(state=state)
    if q:
        qs = qs.filter(name__icontains=q)
    return qs


@projects.get("", response=list[ProjectOut])
@paginate(Pages)
def list_projects(request, helper: str | None = None, recipient: str | None = None, pairing: DbId | None = None,
                  year: Year | None = None, category: Category | None = None, state: State | None = None,
                  q: str | None = None):
    return filtered(request.user, helper=helper, recipient=recipient, pairing=pairing, year=year,
                    category=category, state=state, q=q).select_related("region").order_by("id")


def detail(user, project: Project) -> Project:
    project.next_states = services.allowed_next(project)
    project.steps_list = list(project.steps.all())
    project.milestones_list = list(project.milestones.all())
    gains = project.beneficiaries.values("household_id").aggregate(n=Count("household_id", distinct=True))
    project.beneficiary_households = gains["n"]
    project.gains = {g: fen_text(v) for g, v in project.beneficiaries.order_by().values_list("gain").annotate(
        s=Sum("amount")).values_list("gain", "s")}
    return project


class _Detail(ProjectDetail):
    @staticmethod
    def resolve_steps(obj):
        return obj.steps_list

    @staticmethod
    def resolve_milestones(obj):
        return obj.milestones_list


@projects.get("/{int:project_id}", response=_Detail)
def project_detail(request, project_id: int):
    return detail(request.user, _get(request.user, project_id))


@projects.post("", response={201: _Detail})
def create_project(request, payload: ProjectIn):
    data = payload.dict()
    data["region"] = resolve_region(request.user, data["region"])
    if data["pairing"] is not None:
        pairing = resolve_in_scope(request.user, Pairing, "pairing",
                                   _("Unknown pairing #%(id)s (or outside your scope).") % {"id": data["pairing"]},
                                   pk=data["pairing"])
        data["pairing"] = pairing
    project = services.apply(request.user, **data)
    return 201, detail(request.user, project)


@projects.patch("/{int:project_id}", response=_Detail)
def update_project(request, project_id: int, payload: ProjectPatch):
    project = _get(request.user, project_id)
    changes = payload.dict(exclude_unset=True)
    reason = changes.pop("reason", "")
    return detail(request.user, services.update(request.user, project, reason=reason, **changes))


@projects.post("/{int:project_id}/transition", response=_Detail)
def transition(request, project_id: int, payload: TransitionIn):
    """Move the project one step: applied → township_reviewed → approved → funded → implementing → completed →
    accepted → handed_over (or rejected before the county's decision, rolled_over when decided and not funded)."""
    project = services.transition(request.user, _get(request.user, project_id), payload.state, payload.on,
                                  payload.note)
    return detail(request.user, _get(request.user, project.pk))


@projects.post("/roll-over", response=LinkedOut)
def roll_over(request, payload: RollOverIn):
    """Every project of the year's library in the caller's scope that was decided and got no money goes on to next
    year's library."""
    return {"linked": services.roll_over_year(request.user, payload.year)}


@projects.post("/{int:project_id}/milestones", response={201: MilestoneOut})
def add_milestone(request, project_id: int, payload: MilestoneIn):
    return 201, services.add_milestone(request.user, _get(request.user, project_id), payload.name, payload.due)


@projects.post("/{int:project_id}/milestones/{int:milestone_id}/done", response=MilestoneOut)
def milestone_done(request, project_id: int, milestone_id: int, payload: MilestoneDone):
    project = _get(request.user, project_id)
    milestone = get_object_or_404(Milestone.objects.filter(project=project), pk=milestone_id)
    return services.complete_milestone(request.user, milestone, payload.done_on, payload.progress)


@projects.post("/{int:project_id}/beneficiaries", response={201: LinkedOut})
def link_beneficiaries(request, project_id: int, payload: BeneficiariesIn):
    n = services.link_beneficiaries(request.user, _get(request.user, project_id), year=payload.year,
                                    gain=payload.gain, household_ids=payload.households, amount=payload.amount)
    return 201, {"linked": n}


@projects.post("/{int:project_id}/dividends", response={201: DividendOut})
def distribute_dividend(request, project_id: int, payload: DividendIn):
    return 201, services.distribute_dividend(
        request.user, _get(request.user, project_id), year=payload.year, amount=payload.amount,
        distributed_on=payload.distributed_on, household_ids=payload.households, document_no=payload.document_no)


class BeneficiaryOut(Schema):
    id: int
    household: int = Field(alias="household_id")
    household_number: str
    year: int
    gain: Gain
    amount: Yuan

    @staticmethod
    def resolve_household_number(obj):
        return obj.household.number


@projects.get("/{int:project_id}/beneficiaries", response=list[BeneficiaryOut])
@paginate(Pages)
def list_beneficiaries(request, project_id: int, year: Year | None = None, gain: Gain | None = None):
    project = _get(request.user, project_id)
    qs = Beneficiary.objects.visible_to(request.user).filter(project=project).select_related("household")
    if year:
        qs = qs.filter(year=year)
    if gain:
        qs = qs.filter(gain=gain)
    return qs.order_by("id")


# --- Assets -------------------------------------------------------------------------------------------------------


class AssetOut(Schema):
    id: int
    number: str
    name: str
    kind: AssetKind
    project: int | None = Field(alias="project_id")
    region: str = Field(alias="region_id")
    county_code: str
    value: Yuan
    owner: str
    upkeep: str
    income: Yuan
    handed_over_on: date | None
    disposed_on: date | None
    disposal: str


class AssetIn(Schema):
    name: str
    kind: AssetKind
    region: str
    project: DbId | None = None
    value: Decimal | str
    owner: str
    upkeep: str = ""
    handed_over_on: date | None = None


class AssetPatch(Schema):
    name: str = None
    value: Decimal | str = None
    owner: str = None
    upkeep: str = None
    income: Decimal | str = None
    disposed_on: date | None = None
    disposal: str = None
    reason: str = ""


@assets.get("", response=list[AssetOut])
@paginate(Pages)
def list_assets(request, recipient: str | None = None, helper: str | None = None, kind: AssetKind | None = None,
                project: DbId | None = None):
    f = resolve_filter(request.user, helper, recipient)
    qs = Asset.objects.visible_to(request.user).filter(f.q(year_field=None, pairing_field=None))
    if kind:
        qs = qs.filter(kind=kind)
    if project:
        qs = qs.filter(project_id=project)
    return qs.order_by("number")


@assets.get("/{int:asset_id}", response=AssetOut)
def asset_detail(request, asset_id: int):
    return get_object_or_404(Asset.objects.visible_to(request.user), pk=asset_id)


@assets.post("", response={201: AssetOut})
def create_asset(request, payload: AssetIn):
    project = None
    if payload.project:
        project = _get(request.user, payload.project)
    return 201, services.register_asset(request.user, project=project,
                                        region=resolve_region(request.user, payload.region),
                                        name=payload.name, kind=payload.kind, value=payload.value,
                                        owner=payload.owner, upkeep=payload.upkeep,
                                        handed_over_on=payload.handed_over_on)


@assets.patch("/{int:asset_id}", response=AssetOut)
def update_asset(request, asset_id: int, payload: AssetPatch):
    asset = get_object_or_404(Asset.objects.visible_to(request.user), pk=asset_id)
    changes = payload.dict(exclude_unset=True)
    reason = changes.pop("reason", "")
    return services.update_asset(request.user, asset, reason=reason, **changes)
