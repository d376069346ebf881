"""Column specs of the project library, the beneficiaries and the assets ledger (Chinese headers), for `bangfu
export`, the templates and the import engine; and their import, through the project services."""

import polars as pl
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from bangfu.core import audit
from bangfu.core.columns import Column, Entity
from bangfu.core.importing import Context, ServicePlan, duplicated, refuse_if_changed
from bangfu.core.services import invalid, resolve_in_scope
from bangfu.households.models import Household
from bangfu.pairing.models import Pairing
from bangfu.projects import services
from bangfu.projects.models import Asset, AssetKind, Beneficiary, Category, Gain, Milestone, Project, State
from bangfu.regions.models import Region

PROJECTS = Entity(
    name="projects",
    model=Project,
    columns=(
        Column("项目编号", "number", "code", aliases=("项目代码",),
               note="新项目留空（系统按 县代码-年度-序号 编号）；已有项目按编号更新"),
        Column("项目名称", "name", required=True),
        Column("项目类别", "category", "choice", Category, required=True, aliases=("项目类型",)),
        Column("入库年度", "year", "int", required=True, aliases=("年度", "项目年度")),
        Column("项目状态", "state", "choice", State, aliases=("状态",),
               note="新项目为村申报；此后的状态在项目页面按流程推进，导入不改"),
        Column("县代码", "county_code", writable=False),
        Column("地点代码", "region_id", "code", required=True, aliases=("项目地点代码", "地区代码", "村代码"),
               note="县、乡镇或村的区划代码"),
        Column("地点", "region__name", writable=False),
        Column("结对编号", "pairing_id", "int", note="帮扶方申报的项目必填"),
        Column("建设内容", "content", aliases=("建设内容及规模",)),
        Column("实施单位", "implementer", aliases=("项目实施单位",)),
        Column("负责人", "responsible", aliases=("项目负责人",)),
        Column("采购方式", "procurement"),
        Column("计划资金(元)", "planned_amount", "decimal", aliases=("计划资金", "计划投资(元)", "计划投资")),
        Column("已拨付(元)", "disbursed", "decimal", writable=False),
        Column("已支出(元)", "spent", "decimal", writable=False),
        Column("计划开工", "planned_start", "date", aliases=("计划开工日期",)),
        Column("计划完工", "planned_end", "date", aliases=("计划完工日期",)),
        Column("实际开工", "actual_start", "date", writable=False),
        Column("实际完工", "actual_end", "date", writable=False),
        Column("进度(%)", "progress", "int", aliases=("进度",)),
        Column("绩效目标", "targets"),
        Column("绩效评价", "results"),
        Column("带动就业(人)", "jobs", "int", aliases=("带动就业",)),
        Column("公示日期", "published_on", "date", writable=False),
    ),
    region_path="region_path",
    order_by=("number",),
)

BENEFICIARIES = Entity(
    name="beneficiaries",
    model=Beneficiary,
    columns=(
        Column("项目编号", "project__number", required=True, aliases=("项目代码",)),
        Column("户编号", "household__number", "code", required=True, aliases=("户码", "户号", "农户编号"),
               note="本项目所在县的农户"),
        Column("县代码", "county_code", writable=False),
        Column("年度", "year", "int", required=True, aliases=("受益年度",)),
        Column("受益方式", "gain", "choice", Gain, required=True, aliases=("受益类型", "联农带农方式"),
               note="分红在项目页面按飞地分红发放，不导入"),
        Column("受益金额(元)", "amount", "decimal", aliases=("受益金额", "金额(元)", "金额"),
               note="每户金额，元；空白为0"),
    ),
    region_path="region_path",
    order_by=("project_id", "household_id", "year"),
)

ASSETS = Entity(
    name="assets",
    model=Asset,
    columns=(
        Column("资产编号", "number", "code", note="新资产留空（系统按 县代码-A序号 编号）；已有资产按编号更新"),
        Column("资产名称", "name", required=True),
        Column("资产类型", "kind", "choice", AssetKind, required=True, aliases=("资产类别",)),
        Column("县代码", "county_code", writable=False),
        Column("地点代码", "region_id", "code", required=True, aliases=("资产地点代码", "地区代码", "村代码")),
        Column("项目编号", "project__number", aliases=("形成项目编号",), note="由帮扶项目形成的资产填写"),
        Column("资产价值(元)", "value", "decimal", aliases=("资产价值", "资产原值(元)", "资产原值")),
        Column("所有权人", "owner", required=True, aliases=("产权归属", "所有权归属")),
        Column("管护责任人", "upkeep", aliases=("管护主体", "管护责任单位")),
        Column("累计收益(元)", "income", "decimal", aliases=("累计收益",)),
        Column("移交日期", "handed_over_on", "date", aliases=("确权移交日期",)),
        Column("处置日期", "disposed_on", "date"),
        Column("处置方式", "disposal", note="填了处置日期必填"),
    ),
    region_path="region_path",
    order_by=("number",),
)

ENTITIES = {e.name: e for e in (PROJECTS, BENEFICIARIES, ASSETS)}


class ProjectPlan(ServicePlan):
    """Each row through the project services: a new project enters the library as 村申报 (`services.apply`: who may
    apply, the place in scope and in the pairing's recipient region, the dates in order); a project matched by its
    number is updated in the fields its page edits (`services.update`). The lifecycle is not imported: a row may not
    move a project to another state, nor to another place or year."""

    entity = PROJECTS
    permission = "project.change"
    editable = ("name", "category", "content", "implementer", "responsible", "procurement", "planned_amount",
                "planned_start", "planned_end", "targets", "results", "jobs", "progress")

    def precheck(self, frame, ctx):
        return [duplicated(frame.filter(pl.col("number").is_not_null()), ctx, ["number"], "number"),
                duplicated(frame.filter(pl.col("number").is_null()), ctx, ["name", "region_id", "year"], "name")]

    def apply(self, values: dict, ctx: Context):
        region = Region.objects.filter(pk=values["region_id"]).first()
        if region is None:
            invalid("region", _("Unknown region code %(code)s (or outside your scope).") % {
                "code": values["region_id"]})
        pairing = None
        if values["pairing_id"] is not None:
            pairing = Pairing.objects.visible_to(ctx.user).select_related("helper", "recipient_region").filter(
                pk=values["pairing_id"]).first()
            if pairing is None:
                invalid("pairing", _("Unknown pairing #%(id)s (or outside your scope).") % {
                    "id": values["pairing_id"]})
        fields = {f: values[f] for f in self.editable if values[f] is not None}
        if values["number"] is None:
            if values["state"] not in (None, State.APPLIED):
                invalid("state", _("A new project enters the library as applied by the village; its later steps "
                                   "are taken on its page."))
            fields = {k: v for k, v in fields.items() if k not in ("name", "category")}
            return services.apply(ctx.user, name=values["name"], category=values["category"], year=values["year"],
                                  region=region, pairing=pairing, **fields), "created"
        project = resolve_in_scope(
            ctx.user, Project, "number",
            _("Unknown project number %(number)s (or outside your scope); leave it blank for a new "
              "project.") % {"number": values["number"]},
            action="change", number=values["number"])
        if values["state"] not in (None, project.state):
            invalid("state", _("%(project)s is %(state)s; its state moves on its page, step by step, not by "
                               "import.") % {"project": project.number, "state": project.get_state_display()})
        if values["year"] != project.year or region.pk != project.region_id:
            invalid("region", _("The place and year of %(project)s are not changed by import.") % {
                "project": project.number})
        fields["pairing"] = pairing
        changes = {k: v for k, v in fields.items() if getattr(project, k) != v}
        if not changes:
            return project, None
        return services.update(ctx.user, project, reason=ctx.reason, **changes), "updated"

    def unwind(self, batch, rows):
        if Beneficiary.objects.filter(project__in=rows).exists() or Milestone.objects.filter(project__in=rows).exists():
            raise ValidationError(_("Other records now refer to rows of this batch; it cannot be undone."))
        return {}


def _project(number: str, ctx: Context) -> Project:
    project = resolve_in_scope(ctx.user, Project, "project",
                               _("Unknown project number %(number)s (or outside your scope).") % {"number": number},
                               number=number)
    return project


def _not_future(field: str, day, ctx: Context):
    if day is not None and day > ctx.today:
        invalid(field, _("%(day)s is in the future.") % {"day": day})


class BeneficiaryPlan(ServicePlan):
    """Each row through `services.link_beneficiaries`, one household at a time: who may (the recipient side), the
    project in scope, the household in scope and in the project's county, one gain of a kind per household, project
    and year. A household linked already (project, household, year, gain) with the same amount is skipped; with
    another amount it is refused (the service changes no amount). Dividends are not imported: they are shared on
    the project's page (`services.distribute_dividend`), which records the distribution; an exported dividend row
    re-imports as no change.

    The service logs the link on the project; for the undo to find the rows, each linked household also gets a
    change-log entry of its own (in the batch's reason)."""

    entity = BENEFICIARIES
    permission = "beneficiary.change"

    def precheck(self, frame, ctx):
        return [duplicated(frame, ctx, ["project__number", "household__number", "year", "gain"],
                           "household__number")]

    def apply(self, values: dict, ctx: Context):
        project = _project(values["project__number"], ctx)
        number = values["household__number"]
        household = resolve_in_scope(
            ctx.user, Household, "household",
            _("Unknown household number %(number)s (or outside your scope).") % {"number": number},
            number=number)
        if household.county_code != project.county_code:
            invalid("household", _("Household %(number)s is not in the county of project %(project)s.") % {
                "number": number, "project": project.number})
        amount = values["amount"] if values["amount"] is not None else 0
        key = {"project": project, "household": household, "year": values["year"], "gain": values["gain"]}
        known = Beneficiary.objects.filter(**key).first()
        if known is not None:
            if known.amount == amount:
                return known, None
            invalid("amount", _("This household is linked already, with %(amount)s yuan; the amount is not "
                                "changed by import.") % {"amount": known.amount})
        if values["gain"] == Gain.DIVIDEND:
            invalid("gain", _("Dividends are shared on the project's page (enclave dividend), not imported."))
        services.link_beneficiaries(ctx.user, project, year=values["year"], gain=values["gain"],
                                    household_ids=[household.pk], amount=amount)
        linked = Beneficiary.objects.get(**key)
        audit.record(ctx.user, "create", linked, after=audit.snapshot(linked))
        return linked, "created"

    def undo(self, batch):
        """The households linked by the batch are unlinked, unless changed since. The projects' entries of the link
        stay in the log, as the history of the projects."""
        rows = self.created(batch)
        refuse_if_changed(batch, [(Beneficiary, rows)])
        removed = rows.delete()[1].get(Beneficiary._meta.label, 0)
        return {f"{Beneficiary._meta.verbose_name_plural} removed": removed} if removed else {}


class AssetPlan(ServicePlan):
    """Each row through the asset services: a new asset (资产编号 blank) is registered by `services.register_asset`
    (who may: the county or township; the place in scope and in the project's county; an owner), and its income or
    disposal, if given, recorded by `services.update_asset`; an asset matched by its number is updated in the fields
    its page edits, or skipped if nothing changed. Its place and project are not changed by import. Dates may not be
    in the future, nor a disposal before the handing over."""

    entity = ASSETS
    permission = "asset.change"
    later = ("income", "disposed_on", "disposal")  # not taken by register_asset: recorded right after it

    def precheck(self, frame, ctx):
        return [duplicated(frame.filter(pl.col("number").is_not_null()), ctx, ["number"], "number"),
                duplicated(frame.filter(pl.col("number").is_null()), ctx, ["name", "region_id", "project__number"],
                           "name")]

    def apply(self, values: dict, ctx: Context):
        region = Region.objects.filter(pk=values["region_id"]).first()
        if region is None:
            invalid("region", _("Unknown region code %(code)s (or outside your scope).") % {
                "code": values["region_id"]})
        project = _project(values["project__number"], ctx) if values["project__number"] else None
        _not_future("handed_over_on", values["handed_over_on"], ctx)
        _not_future("disposed_on", values["disposed_on"], ctx)
        if values["disposed_on"] and values["handed_over_on"] and values["disposed_on"] < values["handed_over_on"]:
            invalid("disposed_on", _("Disposed of on %(disposed)s, before it was handed over on %(handed)s.") % {
                "disposed": values["disposed_on"], "handed": values["handed_over_on"]})
        fields = {f: values[f] for f in services.ASSET_FIELDS if values[f] is not None}
        if values["number"] is None:
            asset = services.register_asset(
                ctx.user, project=project, region=region, name=values["name"], kind=values["kind"],
                value=values["value"] or 0, owner=values["owner"], upkeep=values["upkeep"] or "",
                handed_over_on=values["handed_over_on"])
            later = {f: fields[f] for f in self.later if f in fields}
            if later:
                services.update_asset(ctx.user, asset, reason=ctx.reason, **later)
            return asset, "created"
        asset = resolve_in_scope(
            ctx.user, Asset, "number",
            _("Unknown asset number %(number)s (or outside your scope); leave it blank for a new "
              "asset.") % {"number": values["number"]},
            number=values["number"])
        if region.pk != asset.region_id or (project.pk if project else None) != asset.project_id:
            invalid("region", _("The place and project of asset %(number)s are not changed by import.") % {
                "number": asset.number})
        changes = {k: v for k, v in fields.items() if getattr(asset, k) != v}
        if not changes:
            return asset, None
        return services.update_asset(ctx.user, asset, reason=ctx.reason, **changes), "updated"


PLANS = {"projects": ProjectPlan(), "beneficiaries": BeneficiaryPlan(), "assets": AssetPlan()}
