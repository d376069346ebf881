"""The funds chain in the API: the summary, yearly figures, tilt rules and supervision; sources, budgets,
disbursements, expenditures and adjustments (lists with filters, details, writes through the services).

Amounts are decimal strings in yuan ("61020000.00"); writes take them as strings or numbers with at most two decimals.
"""

from datetime import date
from decimal import Decimal

from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema
from ninja.pagination import paginate

from bangfu.core.api import Days, DbId, Year, Yuan
from bangfu.core.money import fen_text
from bangfu.core.pagination import Pages
from bangfu.core.services import invalid, resolve_in_scope
from bangfu.funds import figures, services
from bangfu.funds.models import (
    Adjustment,
    AdjustmentKind,
    Budget,
    Disbursement,
    Expenditure,
    FundSource,
    Level,
    SourceKind,
)
from bangfu.pairing.filters import resolve_filter
from bangfu.pairing.models import Pairing
from bangfu.projects.services import resolve_project
from bangfu.regions.services import resolve_region

router = Router(tags=["funds"])


class FundsSummaryOut(Schema):
    fiscal: str
    social: str
    budgeted: str
    disbursed: str
    spent: str
    projects: int
    beneficiary_households: int


class YearOut(Schema):
    year: int
    fiscal: str
    social_cash: str
    in_kind: str
    social: str
    total: str
    budgeted: str
    disbursed: str
    spent: str
    projects: int


class RuleOut(Schema):
    rule: str
    label: str
    year: int
    threshold: str | None
    value: str | None = Field(description="The share in per cent (for fiscal aid: the change on last year)")
    met: bool
    figures: str


class SourceOut(Schema):
    id: int
    kind: SourceKind
    level: str
    pairing: int = Field(alias="pairing_id")
    year: int
    amount: Yuan
    received_on: date
    donor: str
    document_no: str
    county_code: str
    notes: str


class SourceIn(Schema):
    pairing: DbId
    kind: SourceKind
    level: str = Field("", description="city | district | province | other (fiscal aid)")
    year: Year
    amount: Decimal | str
    received_on: date
    donor: str = ""
    document_no: str = ""
    notes: str = ""


class BudgetOut(Schema):
    id: int
    pairing: int = Field(alias="pairing_id")
    year: int
    amount: Yuan
    disbursed: Yuan
    available: str
    approved_on: date
    document_no: str

    @staticmethod
    def resolve_available(obj):
        return fen_text(obj.amount - obj.disbursed)


class BudgetIn(Schema):
    pairing: DbId
    year: Year
    amount: Decimal | str
    approved_on: date
    document_no: str = ""
    notes: str = ""


class DisbursementOut(Schema):
    id: int
    budget: int = Field(alias="budget_id")
    parent: int | None = Field(alias="parent_id")
    region: str = Field(alias="region_id")
    project: int | None = Field(alias="project_id")
    year: int
    amount: Yuan
    allocated: Yuan
    spent: Yuan
    paid_on: date
    document_no: str


class DisburseIn(Schema):
    amount: Decimal | str
    paid_on: date
    region: str | None = Field(None, description="A region under the budget's recipient (default: the recipient)")
    document_no: str = ""
    notes: str = ""


class PassOnIn(Schema):
    project: DbId
    amount: Decimal | str
    paid_on: date
    document_no: str = ""
    notes: str = ""


class ExpenditureOut(Schema):
    id: int
    project: int = Field(alias="project_id")
    disbursement: int = Field(alias="disbursement_id")
    year: int
    amount: Yuan
    paid_on: date
    payee: str
    purpose: str
    document_no: str


class ExpenditureIn(Schema):
    project: DbId
    amount: Decimal | str
    paid_on: date
    disbursement: DbId | None = None
    payee: str = ""
    purpose: str = ""
    document_no: str = ""
    notes: str = ""


class AdjustmentIn(Schema):
    target: str = Field(description="budget | disbursement | expenditure")
    id: DbId
    delta: Decimal | str = Field(description="Yuan added (negative: reduced; a refund is negative)")
    kind: AdjustmentKind = AdjustmentKind.ADJUSTMENT
    on: date
    reason: str
    document_no: str = ""


class AdjustmentOut(Schema):
    id: int
    kind: AdjustmentKind
    delta: Yuan
    before: Yuan
    after: Yuan
    on: date
    reason: str
    document_no: str


class UnspentOut(Schema):
    disbursement: int
    project: int
    project_name: str
    paid_on: date
    amount: str
    unspent: str
    days: int


class BehindOut(Schema):
    project: int
    name: str
    state: str
    overdue_milestones: int
    progress: int


def _filter(request, helper, recipient, pairing, year):
    if not helper and not recipient and not pairing:
        invalid("helper", _("Give helper=CODE, recipient=CODE or pairing=ID."))
    return resolve_filter(request.user, helper, recipient, pairing, year)


@router.get("/summary", response=FundsSummaryOut)
def summary(request, helper: str | None = None, recipient: str | None = None, pairing: DbId | None = None,
            year: Year | None = None):
    """Figures over the funds in the caller's scope: under a helper organisation (`helper`, its whole subtree) or in a
    recipient region (`recipient`, its whole subtree), for one year or all years held."""
    result = figures.summary(request.user, _filter(request, helper, recipient, pairing, year))
    return {**{k: fen_text(v) for k, v in result.items() if k not in ("projects", "beneficiary_households")},
            "projects": result["projects"], "beneficiary_households": result["beneficiary_households"]}


@router.get("/by-year", response=list[YearOut])
def by_year(request, helper: str | None = None, recipient: str | None = None, pairing: DbId | None = None):
    rows = figures.by_year(request.user, _filter(request, helper, recipient, pairing, None))
    return [{k: (fen_text(v) if isinstance(v, Decimal) else v) for k, v in r.items()} for r in rows]


@router.get("/tilt", response=list[RuleOut])
def tilt(request, year: Year, helper: str | None = None, recipient: str | None = None, pairing: DbId | None = None):
    """The tilt rules of the year, each met or not for the helper, recipient or pairing, with its figures."""
    rows = figures.tilt(request.user, _filter(request, helper, recipient, pairing, None), year)
    return [{**r, "label": str(r["label"]), "threshold": None if r["threshold"] is None else str(r["threshold"]),
             "value": None if r["value"] is None else str(r["value"])} for r in rows]


@router.get("/supervision/unspent", response=list[UnspentOut])
@paginate(Pages)
def unspent(request, days: Days | None = None, helper: str | None = None, recipient: str | None = None):
    """Money passed on to projects and not spent after `days` (default: the setting BANGFU_UNSPENT_DAYS)."""
    f = resolve_filter(request.user, helper, recipient)
    today = date.today()
    return [{"disbursement": d.pk, "project": d.project_id, "project_name": d.project.name, "paid_on": d.paid_on,
             "amount": fen_text(d.amount), "unspent": fen_text(d.unspent), "days": (today - d.paid_on).days}
            for d in figures.unspent(request.user, f, days)]


@router.get("/supervision/behind", response=list[BehindOut])
@paginate(Pages)
def behind(request, helper: str | None = None, recipient: str | None = None):
    f = resolve_filter(request.user, helper, recipient)
    return [{"project": p.pk, "name": p.name, "state": p.state, "overdue_milestones": p.overdue,
             "progress": p.progress} for p in figures.behind(request.user, f)]


def _narrow(request, qs, helper=None, recipient=None, pairing=None, year=None):
    f = resolve_filter(request.user, helper, recipient, pairing, year)
    return qs.filter(f.q(pairing_field="pairing_id" if hasattr(qs.model, "pairing_id") else None))


@router.get("/sources", response=list[SourceOut])
@paginate(Pages)
def list_sources(request, helper: str | None = None, recipient: str | None = None, pairing: DbId | None = None,
                 year: Year | None = None, kind: SourceKind | None = None):
    qs = _narrow(request, FundSource.objects.visible_to(request.user), helper, recipient, pairing, year)
    if kind:
        qs = qs.filter(kind=kind)
    return qs.order_by("-year", "id")


def _pairing(request, pk: int) -> Pairing:
    pairing = Pairing.objects.visible_to(request.user).select_related("helper", "recipient_region").filter(
        pk=pk).first()
    if pairing is None:
        invalid("pairing", _("Unknown pairing #%(id)s (or outside your scope).") % {"id": pk})
    return pairing


@router.post("/sources", response={201: SourceOut})
def create_source(request, payload: SourceIn):
    data = payload.dict()
    data["pairing"] = _pairing(request, data["pairing"])
    if data["level"] and data["level"] not in Level.values:
        invalid("level", _("Unknown level %(value)s.") % {"value": data["level"]})
    return 201, services.record_source(request.user, **data)


@router.get("/budgets", response=list[BudgetOut])
@paginate(Pages)
def list_budgets(request, helper: str | None = None, recipient: str | None = None, pairing: DbId | None = None,
                 year: Year | None = None):
    return _narrow(request, Budget.objects.visible_to(request.user), helper, recipient, pairing,
                   year).order_by("-year", "id")


@router.post("/budgets", response={201: BudgetOut})
def create_budget(request, payload: BudgetIn):
    data = payload.dict()
    data["pairing"] = _pairing(request, data["pairing"])
    return 201, services.create_budget(request.user, **data)


def _get(request, model, pk):
    return get_object_or_404(model.objects.visible_to(request.user), pk=pk)


@router.get("/budgets/{int:budget_id}", response=BudgetOut)
def budget_detail(request, budget_id: int):
    return _get(request, Budget, budget_id)


@router.post("/budgets/{int:budget_id}/disburse", response={201: DisbursementOut})
def disburse(request, budget_id: int, payload: DisburseIn):
    budget = _get(request, Budget, budget_id)
    region = None
    if payload.region:
        region = resolve_region(request.user, payload.region)
    return 201, services.disburse_to_region(request.user, budget=budget, amount=payload.amount,
                                            paid_on=payload.paid_on, region=region,
                                            document_no=payload.document_no, notes=payload.notes)


@router.get("/disbursements", response=list[DisbursementOut])
@paginate(Pages)
def list_disbursements(request, helper: str | None = None, recipient: str | None = None, year: Year | None = None,
                       project: DbId | None = None, to: str | None = None):
    """`to=region` for disbursements to regions, `to=project` for those passed on to projects."""
    qs = _narrow(request, Disbursement.objects.visible_to(request.user), helper, recipient, None, year)
    if project:
        qs = qs.filter(project_id=project)
    if to == "region":
        qs = qs.filter(project__isnull=True)
    elif to == "project":
        qs = qs.filter(project__isnull=False)
    return qs.order_by("-paid_on", "id")


@router.get("/disbursements/{int:disbursement_id}", response=DisbursementOut)
def disbursement_detail(request, disbursement_id: int):
    return _get(request, Disbursement, disbursement_id)


@router.post("/disbursements/{int:disbursement_id}/pass-on", response={201: DisbursementOut})
def pass_on(request, disbursement_id: int, payload: PassOnIn):
    parent = _get(request, Disbursement, disbursement_id)
    project = resolve_project(request.user, payload.project)
    return 201, services.disburse_to_project(request.user, parent=parent, project=project, amount=payload.amount,
                                             paid_on=payload.paid_on, document_no=payload.document_no,
                                             notes=payload.notes)


@router.get("/expenditures", response=list[ExpenditureOut])
@paginate(Pages)
def list_expenditures(request, helper: str | None = None, recipient: str | None = None, year: Year | None = None,
                      project: DbId | None = None):
    qs = _narrow(request, Expenditure.objects.visible_to(request.user), helper, recipient, None, year)
    if project:
        qs = qs.filter(project_id=project)
    return qs.order_by("-paid_on", "id")


@router.post("/expenditures", response={201: ExpenditureOut})
def create_expenditure(request, payload: ExpenditureIn):
    project = resolve_project(request.user, payload.project)
    disbursement = None
    if payload.disbursement:
        disbursement = resolve_in_scope(request.user, Disbursement, "disbursement",
                                        _("Unknown disbursement #%(id)s.") % {"id": payload.disbursement},
                                        pk=payload.disbursement)
    return 201, services.spend(request.user, project=project, amount=payload.amount, paid_on=payload.paid_on,
                               disbursement=disbursement, payee=payload.payee, purpose=payload.purpose,
                               document_no=payload.document_no, notes=payload.notes)


@router.get("/expenditures/{int:expenditure_id}", response=ExpenditureOut)
def expenditure_detail(request, expenditure_id: int):
    return _get(request, Expenditure, expenditure_id)


TARGETS = {"budget": Budget, "disbursement": Disbursement, "expenditure": Expenditure}


@router.post("/adjustments", response={201: AdjustmentOut})
def create_adjustment(request, payload: AdjustmentIn):
    model = TARGETS.get(payload.target)
    if model is None:
        invalid("target", _("One of: budget, disbursement, expenditure."))
    target = _get(request, model, payload.id)
    return 201, services.adjust(request.user, target, delta=payload.delta, on=payload.on, reason=payload.reason,
                                kind=payload.kind, document_no=payload.document_no)


@router.get("/adjustments", response=list[AdjustmentOut])
@paginate(Pages)
def list_adjustments(request, recipient: str | None = None, helper: str | None = None):
    return _narrow(request, Adjustment.objects.visible_to(request.user), helper, recipient).order_by("-on", "-id")
