"""The funds chain: recording sources, budgeting, disbursing, spending and adjusting, with the invariants.

- disbursed ≤ budgeted (per budget), passed on to projects ≤ disbursed to the region, spent ≤ disbursed (per
  disbursement and per project), and a budget never beyond the cash that came in for its pairing and year;
- nothing is disbursed to a project the county has not decided, nothing spent on one whose funds are not planned.
A refusal names the figures and writes nothing. The counters move with `F()` updates and the database's check
constraints hold them too, so that two clerks at once cannot overdraw.
"""

import json
from datetime import date
from decimal import Decimal

from django.core.serializers.json import DjangoJSONEncoder
from django.db import IntegrityError, transaction
from django.db.models import F, Sum
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from bangfu.core import audit, facts
from bangfu.core.money import parse_amount, yuan
from bangfu.core.roles import HELPER_ROLES, Role
from bangfu.core.rules import OWN_ORG, OWN_REGION, require_may, rule
from bangfu.core.scope import scope_of
from bangfu.core.services import invalid, require_in_scope
from bangfu.funds.models import (
    Adjustment,
    AdjustmentKind,
    Budget,
    Disbursement,
    Expenditure,
    FundSource,
    Level,
    SourceKind,
    SourceTotal,
)
from bangfu.pairing.models import Pairing
from bangfu.projects.models import DISBURSABLE, SPENDABLE, Project, State
from bangfu.regions.models import Region

ZERO = Decimal("0")
FIRST_YEAR, LAST_YEAR = 1979, 2100

# Who moves the money (core.rules): the helper side that owns it records it, budgets and disburses it to the region;
# the helper or the recipient county passes what reached the county on to its projects; the recipient side, where the
# project is carried out, spends. Whoever made a record adjusts it.
RULES = {
    "fundsource.record": rule(gettext_lazy("record money received"), HELPER_ROLES),
    "budget.change": rule(gettext_lazy("budget or adjust the money of a pairing"), HELPER_ROLES, OWN_ORG),
    "budget.disburse": rule(gettext_lazy("disburse from a budget"), HELPER_ROLES, OWN_ORG),
    "disbursement.pass_on": rule(gettext_lazy("pass money on to a project"), HELPER_ROLES | {Role.COUNTY}, OWN_ORG,
                                 OWN_REGION),
    "expenditure.spend": rule(gettext_lazy("spend on a project"), {Role.COUNTY, Role.TOWNSHIP}, OWN_REGION),
}


def _year(value, field="year") -> int:
    try:
        year = int(value)
    except (TypeError, ValueError):
        invalid(field, _("%(value)s is not a year.") % {"value": value})
    if not FIRST_YEAR <= year <= LAST_YEAR:
        invalid(field, _("The year %(year)s is outside %(first)s-%(last)s.") % {
            "year": year, "first": FIRST_YEAR, "last": LAST_YEAR})
    return year


def _paths(pairing: Pairing) -> dict:
    region = pairing.recipient_region
    return {"region_path": region.path, "county_code": region.county_code or region.code[:6],
            "org_path": pairing.helper.path}


def _check_pairing(actor, pairing: Pairing):
    """The pairing must be one the actor may act for: his organisation's (helper side)."""
    scope = scope_of(actor)
    if not scope.everything and not scope.covers_org_path(pairing.helper.path):
        invalid("pairing", _("Pairing #%(id)s is not one of your organisation's.") % {"id": pairing.pk})


def snapshot(obj) -> dict:
    """`audit.snapshot`, with an attachment logged by its stored name."""
    from django.db.models.fields.files import FieldFile

    saved = {}
    for f in obj._meta.concrete_fields:
        value = getattr(obj, f.attname)
        saved[f.attname] = value.name or "" if isinstance(value, FieldFile) else value
    return json.loads(json.dumps(saved, cls=DjangoJSONEncoder))


def _saved(actor, obj, reason: str = ""):
    obj.save()
    audit.record(actor, "create", obj, after=snapshot(obj), reason=reason)
    return obj


def _guard(fn):
    """A check constraint that fires (two writers at once) is the same refusal as the service's own."""
    try:
        with transaction.atomic():
            return fn()
    except IntegrityError as exc:
        invalid("amount", _("Refused by the database: the amounts would break an invariant (%(error)s).") % {
            "error": str(exc).split("\n")[0][:120]})


# --- Sources ------------------------------------------------------------------------------------------------------


@transaction.atomic
def record_source(actor, *, pairing: Pairing, kind: str, year, amount, received_on: date, level: str = "",
                  donor: str = "", document_no: str = "", notes: str = "", attachment=None) -> FundSource:
    require_may(actor, "fundsource.record")
    _check_pairing(actor, pairing)
    if kind not in SourceKind.values:
        invalid("kind", _("Unknown kind %(value)s; one of: %(kinds)s.") % {
            "value": kind, "kinds": ", ".join(SourceKind.values)})
    if kind == SourceKind.FISCAL and level not in Level.values:
        invalid("level", _("Fiscal aid needs its level (%(levels)s).") % {"levels": ", ".join(Level.values)})
    amount = parse_amount(amount)
    if amount <= 0:
        invalid("amount", _("The amount must be more than zero."))
    source = FundSource(pairing=pairing, kind=kind, level=level or "", year=_year(year), amount=amount,
                        received_on=received_on, donor=donor or "", document_no=document_no or "",
                        notes=notes or "", **_paths(pairing))
    if attachment is not None:
        source.attachment = attachment
    Pairing.objects.select_for_update().filter(pk=pairing.pk).first()  # one writer of the pairing's totals at once
    totals = SourceTotal.objects.filter(pairing=pairing, year=source.year, kind=kind)
    if not totals.update(amount=F("amount") + amount, rows=F("rows") + 1):
        SourceTotal.objects.create(pairing=pairing, year=source.year, kind=kind, amount=amount, rows=1,
                                   **_paths(pairing))
    return _saved(actor, source)


def cash_in(pairing_id: int, year: int) -> Decimal:
    """What came in as money (fiscal aid and cash donations) for a pairing and year: what may be budgeted."""
    total = SourceTotal.objects.filter(pairing_id=pairing_id, year=year, kind__in=[
        SourceKind.FISCAL, SourceKind.SOCIAL_CASH]).aggregate(s=Sum("amount"))["s"]
    return total or ZERO


# --- Budgets ------------------------------------------------------------------------------------------------------


@transaction.atomic
def create_budget(actor, *, pairing: Pairing, year, amount, approved_on: date, document_no: str = "",
                  notes: str = "", attachment=None) -> Budget:
    require_may(actor, "budget.change")
    _check_pairing(actor, pairing)
    year = _year(year)
    amount = parse_amount(amount)
    if Budget.objects.filter(pairing=pairing, year=year).exists():
        invalid("year", _("Pairing #%(id)s has a budget for %(year)s already: adjust it instead.") % {
            "id": pairing.pk, "year": year})
    available = cash_in(pairing.pk, year)
    if amount > available:
        invalid("amount", _("A budget of %(amount)s yuan exceeds the %(cash)s yuan of fiscal aid and cash donations "
                            "recorded for this pairing in %(year)s.") % {
            "amount": yuan(amount), "cash": yuan(available), "year": year})
    budget = Budget(pairing=pairing, year=year, amount=amount, approved_on=approved_on, document_no=document_no or "",
                    notes=notes or "", **_paths(pairing))
    if attachment is not None:
        budget.attachment = attachment
    return _saved(actor, budget)


# --- Disbursements ------------------------------------------------------------------------------------------------


def _refuse_overdraw(field, amount, total, used, what):
    invalid(field, _("%(amount)s yuan is more than is left of %(what)s: %(total)s yuan, of which %(used)s yuan "
                     "used, %(left)s yuan left.") % {
        "amount": yuan(amount), "what": what, "total": yuan(total), "used": yuan(used), "left": yuan(total - used)})


@transaction.atomic
def disburse_to_region(actor, *, budget: Budget, amount, paid_on: date, region: Region | None = None,
                       document_no: str = "", notes: str = "", attachment=None) -> Disbursement:
    """Pay out of a budget to the recipient region (or a region under it)."""
    require_may(actor, "budget.disburse", budget)
    amount = parse_amount(amount)
    if amount <= 0:
        invalid("amount", _("The amount must be more than zero."))
    recipient = budget.pairing.recipient_region
    region = region or recipient
    if not region.path.startswith(recipient.path):
        invalid("region", _("%(region)s is not within %(recipient)s, the recipient of this budget.") % {
            "region": region.name, "recipient": recipient.name})
    budget = Budget.objects.select_for_update().get(pk=budget.pk)
    if amount > budget.amount - budget.disbursed:
        _refuse_overdraw("amount", amount, budget.amount, budget.disbursed, _("the budget"))
    disbursement = Disbursement(budget=budget, region=region, year=budget.year, amount=amount, paid_on=paid_on,
                                document_no=document_no or "", notes=notes or "", region_path=region.path,
                                county_code=budget.county_code, org_path=budget.org_path)
    if attachment is not None:
        disbursement.attachment = attachment

    def write():
        Budget.objects.filter(pk=budget.pk).update(disbursed=F("disbursed") + amount)
        facts.touch([budget.region_path])  # its counter moved: the recipient's figures, above the region paid
        return _saved(actor, disbursement)

    return _guard(write)


@transaction.atomic
def disburse_to_project(actor, *, parent: Disbursement, project: Project, amount, paid_on: date,
                        document_no: str = "", notes: str = "", attachment=None) -> Disbursement:
    """Pass money disbursed to a region on to one of its projects."""
    require_may(actor, "disbursement.pass_on", parent)
    require_in_scope(actor, project, "view")
    amount = parse_amount(amount)
    if amount <= 0:
        invalid("amount", _("The amount must be more than zero."))
    if parent.project_id:
        invalid("parent", _("Money is passed on from a disbursement to a region, not from a project's."))
    if project.state not in DISBURSABLE:
        invalid("project", _("%(project)s is %(state)s: money goes only to projects the county has decided.") % {
            "project": project.name, "state": project.get_state_display()})
    if not project.region.path.startswith(parent.region.path):
        invalid("project", _("%(project)s lies outside %(region)s, where this money was disbursed.") % {
            "project": project.name, "region": parent.region.name})
    parent = Disbursement.objects.select_for_update().get(pk=parent.pk)
    if amount > parent.amount - parent.allocated:
        _refuse_overdraw("amount", amount, parent.amount, parent.allocated, _("the disbursement to the region"))
    disbursement = Disbursement(budget_id=parent.budget_id, parent=parent, region=project.region, project=project,
                                year=parent.year, amount=amount, paid_on=paid_on, document_no=document_no or "",
                                notes=notes or "", region_path=project.region_path, county_code=project.county_code,
                                org_path=parent.org_path)
    if attachment is not None:
        disbursement.attachment = attachment

    def write():
        Disbursement.objects.filter(pk=parent.pk).update(allocated=F("allocated") + amount)
        Project.objects.filter(pk=project.pk).update(disbursed=F("disbursed") + amount)
        return _saved(actor, disbursement)

    return _guard(write)


# --- Expenditures -------------------------------------------------------------------------------------------------


@transaction.atomic
def spend(actor, *, project: Project, amount, paid_on: date, disbursement: Disbursement | None = None,
          payee: str = "", purpose: str = "", document_no: str = "", notes: str = "", attachment=None) -> Expenditure:
    require_may(actor, "expenditure.spend", project)
    amount = parse_amount(amount)
    if amount <= 0:
        invalid("amount", _("The amount must be more than zero."))
    project = Project.objects.select_for_update().get(pk=project.pk)
    if project.state not in SPENDABLE:
        invalid("project", _("%(project)s is %(state)s: nothing may be spent on it until its funds are planned "
                             "(approved and funded).") % {"project": project.name,
                                                          "state": project.get_state_display()})
    if amount > project.disbursed - project.spent:
        _refuse_overdraw("amount", amount, project.disbursed, project.spent, _("what was disbursed to the project"))
    draws = Disbursement.objects.select_for_update().filter(project=project)
    if disbursement is not None:
        disbursement = draws.filter(pk=disbursement.pk).first()
        if disbursement is None:
            invalid("disbursement", _("That disbursement is not one of this project's."))
    else:  # the oldest disbursement that covers the amount
        disbursement = next((d for d in draws.order_by("paid_on", "id") if d.amount - d.spent >= amount), None)
        if disbursement is None:
            invalid("amount", _("No single disbursement to the project has %(amount)s yuan left; split the payment.")
                    % {"amount": yuan(amount)})
    if amount > disbursement.amount - disbursement.spent:
        _refuse_overdraw("amount", amount, disbursement.amount, disbursement.spent, _("that disbursement"))
    expenditure = Expenditure(project=project, disbursement=disbursement, year=disbursement.year, amount=amount,
                              paid_on=paid_on, payee=payee or "", purpose=purpose or "",
                              document_no=document_no or "", notes=notes or "", region_path=project.region_path,
                              county_code=project.county_code, org_path=project.org_path)
    if attachment is not None:
        expenditure.attachment = attachment

    def write():
        Disbursement.objects.filter(pk=disbursement.pk).update(spent=F("spent") + amount)
        Project.objects.filter(pk=project.pk).update(spent=F("spent") + amount)
        return _saved(actor, expenditure)

    return _guard(write)


# --- Adjustments and refunds --------------------------------------------------------------------------------------


def adjusting(target) -> str:
    """Who may adjust a record: who may make it (core.rules)."""
    if isinstance(target, Disbursement):
        return "disbursement.pass_on" if target.project_id else "budget.disburse"
    return "expenditure.spend" if isinstance(target, Expenditure) else "budget.change"


@transaction.atomic
def adjust(actor, target, *, delta, on: date, reason: str, kind: str = AdjustmentKind.ADJUSTMENT,
           document_no: str = "", attachment=None) -> Adjustment:
    """Change a budget, a disbursement or an expenditure by `delta` yuan (negative: reduce; a refund is negative),
    keeping every invariant up and down the chain."""
    delta = parse_amount(delta, "delta", allow_negative=True)
    if delta == 0:
        invalid("delta", _("The change must not be zero."))
    if kind not in AdjustmentKind.values:
        invalid("kind", _("Unknown kind %(value)s.") % {"value": kind})
    if kind == AdjustmentKind.REFUND and delta > 0:
        invalid("delta", _("A refund reduces an amount: give a negative change."))
    if not (reason or "").strip():
        invalid("reason", _("Say why the amount changes."))
    model = type(target)
    require_may(actor, adjusting(target), target)
    target = model.objects.select_for_update().get(pk=target.pk)
    before = target.amount
    after = before + delta
    if after < 0:
        invalid("delta", _("%(before)s yuan changed by %(delta)s yuan would be negative.") % {
            "before": yuan(before), "delta": yuan(delta)})
    updates = []
    if isinstance(target, Budget):
        if after < target.disbursed:
            invalid("delta", _("The budget cannot go below what has been disbursed: %(disbursed)s yuan "
                               "(asked %(after)s yuan).") % {"disbursed": yuan(target.disbursed), "after": yuan(after)})
        cash = cash_in(target.pairing_id, target.year)
        if after > cash:
            invalid("delta", _("A budget of %(after)s yuan exceeds the %(cash)s yuan that came in for %(year)s.") % {
                "after": yuan(after), "cash": yuan(cash), "year": target.year})
        updates.append((Budget, target.pk, "amount", delta))
    elif isinstance(target, Disbursement):
        used = target.spent if target.project_id else target.allocated
        if after < used:
            invalid("delta", _("The disbursement cannot go below what has been used of it: %(used)s yuan "
                               "(asked %(after)s yuan).") % {"used": yuan(used), "after": yuan(after)})
        if target.project_id:
            parent = Disbursement.objects.select_for_update().get(pk=target.parent_id)
            if delta > parent.amount - parent.allocated:
                _refuse_overdraw("delta", delta, parent.amount, parent.allocated, _("the disbursement to the region"))
            updates += [(Disbursement, parent.pk, "allocated", delta), (Project, target.project_id, "disbursed", delta)]
        else:
            budget = Budget.objects.select_for_update().get(pk=target.budget_id)
            if delta > budget.amount - budget.disbursed:
                _refuse_overdraw("delta", delta, budget.amount, budget.disbursed, _("the budget"))
            updates.append((Budget, budget.pk, "disbursed", delta))
            facts.touch([budget.region_path])
        updates.append((Disbursement, target.pk, "amount", delta))
    elif isinstance(target, Expenditure):
        draw = Disbursement.objects.select_for_update().get(pk=target.disbursement_id)
        if delta > draw.amount - draw.spent:
            _refuse_overdraw("delta", delta, draw.amount, draw.spent, _("that disbursement"))
        updates += [(Disbursement, draw.pk, "spent", delta), (Project, target.project_id, "spent", delta),
                    (Expenditure, target.pk, "amount", delta)]
    else:
        invalid(None, _("Only budgets, disbursements and expenditures are adjusted."))
    adjustment = Adjustment(kind=kind, delta=delta, before=before, after=after, on=on, reason=reason,
                            document_no=document_no or "", region_path=target.region_path,
                            county_code=target.county_code, org_path=target.org_path,
                            **{model.__name__.lower(): target})
    if attachment is not None:
        adjustment.attachment = attachment

    def write():
        for table, pk, field, change in updates:
            table.objects.filter(pk=pk).update(**{field: F(field) + change})
        audit.record(actor, "update", target, before={"amount": str(before)}, after={"amount": str(after)},
                     reason=reason)
        return _saved(actor, adjustment, reason)

    return _guard(write)


def spendable_state_names() -> str:
    return "、".join(str(State(s).label) for s in SPENDABLE)
