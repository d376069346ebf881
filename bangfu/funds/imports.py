"""Column specs of the funds chain (Chinese headers, as the offices' ledgers have them), for `bangfu export`, the
templates and the import engine; amounts in yuan. Columns a record keeps for itself (已拨付, 已支出, the names looked
up from codes) are exported for reading and ignored on import."""

import polars as pl
from django.core.exceptions import ValidationError
from django.db.models import Count, F, Sum
from django.utils.translation import gettext as _

from bangfu.core import facts
from bangfu.core.columns import Column, Entity
from bangfu.core.importing import Context, ServicePlan, duplicated
from bangfu.core.services import invalid, resolve_in_scope
from bangfu.funds import services
from bangfu.funds.models import Budget, Disbursement, Expenditure, FundSource, Level, SourceKind, SourceTotal
from bangfu.pairing.models import Pairing
from bangfu.projects.models import Project
from bangfu.regions.models import Region

NUMBER = "已有记录按编号核对（相同则跳过）；新记录留空"

FUND_SOURCES = Entity(
    name="fund-sources",
    model=FundSource,
    columns=(
        Column("编号", "id", "int", aliases=("资金编号", "序号编号"), note=NUMBER),
        Column("结对编号", "pairing_id", "int", required=True, note="见结对导出文件"),
        Column("帮扶方", "pairing__helper__name", writable=False),
        Column("受援地区代码", "pairing__recipient_region_id", writable=False),
        Column("资金类型", "kind", "choice", SourceKind, required=True, aliases=("资金性质", "类型")),
        Column("资金层级", "level", "choice", Level, aliases=("层级", "财政层级"), note="财政帮扶资金必填"),
        Column("年度", "year", "int", required=True, aliases=("资金年度",)),
        Column("金额(元)", "amount", "decimal", required=True, aliases=("金额", "到账金额", "金额（元）"),
               note="元；可写 1.2万"),
        Column("到账日期", "received_on", "date", required=True, aliases=("到位日期", "日期")),
        Column("捐赠方", "donor", aliases=("捐赠单位",)),
        Column("文号", "document_no", aliases=("文件号", "凭证号")),
        Column("备注", "notes"),
    ),
    region_path="region_path",
    order_by=("year", "id"),
)

BUDGETS = Entity(
    name="budgets",
    model=Budget,
    columns=(
        Column("编号", "id", "int", aliases=("预算编号",), note=NUMBER),
        Column("结对编号", "pairing_id", "int", required=True, note="见结对导出文件"),
        Column("受援地区代码", "pairing__recipient_region_id", writable=False),
        Column("年度", "year", "int", required=True, aliases=("预算年度",), note="每个结对每年一条"),
        Column("预算金额(元)", "amount", "decimal", required=True, aliases=("预算金额", "金额(元)", "金额"),
               note="不超过该结对当年到账的财政资金和社会捐款"),
        Column("已拨付(元)", "disbursed", "decimal", writable=False),
        Column("批复日期", "approved_on", "date", required=True, aliases=("批准日期", "日期")),
        Column("文号", "document_no", aliases=("批复文号", "文件号")),
    ),
    region_path="region_path",
    order_by=("year", "id"),
)

DISBURSEMENTS = Entity(
    name="disbursements",
    model=Disbursement,
    columns=(
        Column("编号", "id", "int", aliases=("拨付编号",), note=NUMBER),
        Column("预算编号", "budget_id", "int", note="拨付到地区时必填"),
        Column("上级拨付编号", "parent_id", "int", aliases=("来源拨付编号",),
               note="拨付到项目时必填：拨付到地区的那笔"),
        Column("拨付地区代码", "region_id", "code", aliases=("拨付地区", "受援地区代码"),
               note="拨付到地区时可空（即受援地区）"),
        Column("项目编号", "project__number", aliases=("拨付项目编号",), note="拨付到项目时必填"),
        Column("年度", "year", "int", writable=False),
        Column("金额(元)", "amount", "decimal", required=True, aliases=("拨付金额", "金额", "拨付金额(元)"),
               note="不超过预算（或上级拨付）余额"),
        Column("已拨付到项目(元)", "allocated", "decimal", writable=False),
        Column("已支出(元)", "spent", "decimal", writable=False),
        Column("拨付日期", "paid_on", "date", required=True, aliases=("日期",)),
        Column("文号", "document_no", aliases=("拨付文号", "文件号")),
    ),
    region_path="region_path",
    order_by=("paid_on", "id"),
)

EXPENDITURES = Entity(
    name="expenditures",
    model=Expenditure,
    columns=(
        Column("编号", "id", "int", aliases=("支出编号",), note=NUMBER),
        Column("项目编号", "project__number", required=True),
        Column("拨付编号", "disbursement_id", "int", note="可空：取该项目最早一笔余额足够的拨付"),
        Column("年度", "year", "int", writable=False),
        Column("金额(元)", "amount", "decimal", required=True, aliases=("支出金额", "支付金额", "金额")),
        Column("支付日期", "paid_on", "date", required=True, aliases=("支出日期", "日期")),
        Column("收款方", "payee", aliases=("收款单位", "收款人")),
        Column("用途", "purpose", aliases=("支出用途", "摘要")),
        Column("文号", "document_no", aliases=("凭证号", "文件号")),
    ),
    region_path="region_path",
    order_by=("paid_on", "id"),
)

ENTITIES = {e.name: e for e in (FUND_SOURCES, BUDGETS, DISBURSEMENTS, EXPENDITURES)}


# --- import -------------------------------------------------------------------------------------------------------
# Each row goes through the funds services (`funds.services`): who may record, the pairing's organisation, the
# chain's invariants — a budget within the cash that came in, a disbursement within its budget (or within the
# disbursement to the region it passes on), an expenditure within what was disbursed to the project — checked after
# the rows above it in the file, so that two rows that together overdraw are refused. A row with the 编号 of a record
# already there is matched: unchanged, it is skipped (a file imported twice changes nothing); changed, it is refused,
# since amounts change through an adjustment (调整), which keeps the figures before and after.


def _today_or_before(field: str, day, ctx: Context):
    if day is not None and day > ctx.today:
        invalid(field, _("%(day)s is in the future.") % {"day": day})


def _matched(model, values: dict, ctx: Context, fields: dict):
    """The record of the row's 编号, if the row has one: unchanged → it; changed or unknown → refused."""
    obj = resolve_in_scope(
        ctx.user, model, "id",
        _("Unknown number %(n)s (or outside your scope); leave 编号 blank for a new record.") % {"n": values["id"]},
        pk=values["id"])
    stored = {name: getattr(obj, name) for name in fields}
    if any((stored[name] or "") != (value or "") for name, value in fields.items()):
        invalid("id", _("Record %(n)s is there already with other values; the funds chain's records change "
                        "through an adjustment (调整), not by import.") % {"n": values["id"]})
    return obj


def _pairing(values: dict, ctx: Context) -> Pairing:
    pairing = Pairing.objects.visible_to(ctx.user).select_related("helper", "recipient_region").filter(
        pk=values["pairing_id"]).first()
    if pairing is None:
        invalid("pairing", _("Unknown pairing #%(id)s (or outside your scope).") % {"id": values["pairing_id"]})
    return pairing


def _project(values: dict, ctx: Context, path: str = "project__number") -> Project:
    project = resolve_in_scope(
        ctx.user, Project, "project",
        _("Unknown project number %(number)s (or outside your scope).") % {"number": values[path]},
        number=values[path])
    return project


def _within(rows, counters) -> dict[str, int]:
    """Take the rows' amounts back out of the counters they were added to: (model, key of the row, counter)."""
    for model, key, counter in counters:
        sums = rows.exclude(**{f"{key}__isnull": True}).values(key).annotate(s=Sum("amount")).order_by()
        for row in sums:
            model.objects.filter(pk=row[key]).update(**{counter: F(counter) - row["s"]})
    return {}


class FundSourcePlan(ServicePlan):
    entity = FUND_SOURCES
    permission = "fundsource.change"

    def precheck(self, frame, ctx):
        return [duplicated(frame, ctx, ["id", "pairing_id", "kind", "level", "year", "amount", "received_on",
                                        "donor", "document_no"], "amount"),
                duplicated(frame.filter(pl.col("id").is_not_null()), ctx, ["id"], "id")]

    def apply(self, values, ctx):
        fields = {"pairing_id": values["pairing_id"], "kind": values["kind"], "level": values["level"],
                  "year": values["year"], "amount": values["amount"], "received_on": values["received_on"],
                  "donor": values["donor"], "document_no": values["document_no"]}
        if values["id"] is not None:
            return _matched(FundSource, values, ctx, fields), None
        pairing = _pairing(values, ctx)
        _today_or_before("received_on", values["received_on"], ctx)
        return services.record_source(
            ctx.user, pairing=pairing, kind=values["kind"], level=values["level"] or "", year=values["year"],
            amount=values["amount"], received_on=values["received_on"], donor=values["donor"] or "",
            document_no=values["document_no"] or "", notes=values["notes"] or ""), "created"

    def unwind(self, batch, rows):
        """The totals the sources were added to lose them again; a budget that the cash no longer covers refuses."""
        sums = rows.values("pairing_id", "year", "kind").annotate(s=Sum("amount"), n=Count("pk")).order_by()
        for row in sums:
            SourceTotal.objects.filter(pairing_id=row["pairing_id"], year=row["year"], kind=row["kind"]).update(
                amount=F("amount") - row["s"], rows=F("rows") - row["n"])
        SourceTotal.objects.filter(rows=0).delete()
        for row in sums:
            budget = Budget.objects.filter(pairing_id=row["pairing_id"], year=row["year"]).first()
            if budget is not None and budget.amount > services.cash_in(row["pairing_id"], row["year"]):
                raise ValidationError(_("The budget of pairing #%(id)s for %(year)s rests on these sources; it "
                                        "cannot be undone.") % {"id": row["pairing_id"], "year": row["year"]})
        return {}


class BudgetPlan(ServicePlan):
    entity = BUDGETS
    permission = "budget.change"

    def precheck(self, frame, ctx):
        return [duplicated(frame, ctx, ["pairing_id", "year"], "year")]

    def apply(self, values, ctx):
        fields = {"pairing_id": values["pairing_id"], "year": values["year"], "amount": values["amount"],
                  "approved_on": values["approved_on"], "document_no": values["document_no"]}
        if values["id"] is not None:
            return _matched(Budget, values, ctx, fields), None
        pairing = _pairing(values, ctx)
        _today_or_before("approved_on", values["approved_on"], ctx)
        return services.create_budget(ctx.user, pairing=pairing, year=values["year"], amount=values["amount"],
                                      approved_on=values["approved_on"],
                                      document_no=values["document_no"] or ""), "created"


class DisbursementPlan(ServicePlan):
    entity = DISBURSEMENTS
    permission = "disbursement.change"

    def precheck(self, frame, ctx):
        return [duplicated(frame, ctx, ["id", "budget_id", "parent_id", "region_id", "project__number", "amount",
                                        "paid_on", "document_no"], "amount"),
                duplicated(frame.filter(pl.col("id").is_not_null()), ctx, ["id"], "id")]

    def apply(self, values, ctx):
        if values["id"] is not None:
            obj = _matched(Disbursement, values, ctx, {
                "budget_id": values["budget_id"] or None, "parent_id": values["parent_id"],
                "amount": values["amount"], "paid_on": values["paid_on"], "document_no": values["document_no"]})
            if values["project__number"] and (obj.project is None or obj.project.number != values["project__number"]):
                invalid("id", _("Record %(n)s is there already with other values; the funds chain's records change "
                                "through an adjustment (调整), not by import.") % {"n": values["id"]})
            return obj, None
        _today_or_before("paid_on", values["paid_on"], ctx)
        common = {"amount": values["amount"], "paid_on": values["paid_on"],
                  "document_no": values["document_no"] or ""}
        if values["parent_id"] is not None:
            parent = resolve_in_scope(
                ctx.user, Disbursement, "parent",
                _("Unknown disbursement #%(id)s (or outside your scope).") % {"id": values["parent_id"]},
                pk=values["parent_id"])
            if not values["project__number"]:
                invalid("project", _("Money passed on from a disbursement to a region goes to a project: give its "
                                     "number."))
            project = _project(values, ctx)
            if values["budget_id"] is not None and values["budget_id"] != parent.budget_id:
                invalid("budget", _("Disbursement #%(id)s is drawn on budget #%(budget)s, not on this one.") % {
                    "id": parent.pk, "budget": parent.budget_id})
            if values["region_id"] and values["region_id"] != project.region_id:
                invalid("region", _("Project %(number)s lies in %(code)s, not in this region.") % {
                    "number": project.number, "code": project.region_id})
            return services.disburse_to_project(ctx.user, parent=parent, project=project, **common), "created"
        if values["project__number"]:
            invalid("parent", _("A disbursement to a project names the disbursement to the region it comes from "
                                "(上级拨付编号)."))
        if values["budget_id"] is None:
            invalid("budget", _("A disbursement to a region names its budget (预算编号)."))
        budget = Budget.objects.visible_to(ctx.user).select_related("pairing__recipient_region").filter(
            pk=values["budget_id"]).first()
        if budget is None:
            invalid("budget", _("Unknown budget #%(id)s (or outside your scope).") % {"id": values["budget_id"]})
        region = None
        if values["region_id"]:
            region = Region.objects.filter(pk=values["region_id"]).first()
            if region is None:
                invalid("region", _("Unknown region code %(code)s (or outside your scope).") % {
                    "code": values["region_id"]})
        return services.disburse_to_region(ctx.user, budget=budget, region=region, **common), "created"

    def unwind(self, batch, rows):
        to_region, to_project = rows.filter(parent__isnull=True), rows.filter(parent__isnull=False)
        facts.touch(to_region.order_by().values_list("budget__region_path", flat=True).distinct())
        _within(to_region, [(Budget, "budget_id", "disbursed")])
        _within(to_project, [(Disbursement, "parent_id", "allocated"), (Project, "project_id", "disbursed")])
        return {}


class ExpenditurePlan(ServicePlan):
    entity = EXPENDITURES
    permission = "expenditure.change"

    def precheck(self, frame, ctx):
        return [duplicated(frame, ctx, ["id", "project__number", "disbursement_id", "amount", "paid_on", "payee",
                                        "purpose", "document_no"], "amount"),
                duplicated(frame.filter(pl.col("id").is_not_null()), ctx, ["id"], "id")]

    def apply(self, values, ctx):
        if values["id"] is not None:
            obj = _matched(Expenditure, values, ctx, {
                "amount": values["amount"], "paid_on": values["paid_on"], "payee": values["payee"],
                "purpose": values["purpose"], "document_no": values["document_no"]})
            if obj.project.number != values["project__number"]:
                invalid("id", _("Record %(n)s is there already with other values; the funds chain's records change "
                                "through an adjustment (调整), not by import.") % {"n": values["id"]})
            return obj, None
        _today_or_before("paid_on", values["paid_on"], ctx)
        project = _project(values, ctx)
        draw = None
        if values["disbursement_id"] is not None:
            draw = resolve_in_scope(
                ctx.user, Disbursement, "disbursement",
                _("Unknown disbursement #%(id)s (or outside your scope).") % {"id": values["disbursement_id"]},
                pk=values["disbursement_id"])
        return services.spend(ctx.user, project=project, amount=values["amount"], paid_on=values["paid_on"],
                              disbursement=draw, payee=values["payee"] or "", purpose=values["purpose"] or "",
                              document_no=values["document_no"] or ""), "created"

    def unwind(self, batch, rows):
        _within(rows, [(Disbursement, "disbursement_id", "spent"), (Project, "project_id", "spent")])
        return {}


PLANS = {"fund-sources": FundSourcePlan(), "budgets": BudgetPlan(), "disbursements": DisbursementPlan(),
         "expenditures": ExpenditurePlan()}
