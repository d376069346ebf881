"""Column specs of the project library, the beneficiaries and the assets ledger (Chinese headers), for `bangfu
export`, the templates and the import engine; and the import of projects, through the project services."""

import polars as pl
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from bangfu.core.columns import Column, Entity
from bangfu.core.importing import Context, ServicePlan, duplicated
from bangfu.core.services import invalid
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
        Column("项目编号", "project__number"),
        Column("户编号", "household__number"),
        Column("县代码", "county_code"),
        Column("年度", "year", "int"),
        Column("受益方式", "gain", "choice", Gain),
        Column("受益金额(元)", "amount", "decimal"),
    ),
    region_path="region_path",
    order_by=("project_id", "household_id", "year"),
)

ASSETS = Entity(
    name="assets",
    model=Asset,
    columns=(
        Column("资产编号", "number"),
        Column("资产名称", "name"),
        Column("资产类型", "kind", "choice", AssetKind),
        Column("县代码", "county_code"),
        Column("地点代码", "region_id"),
        Column("项目编号", "project__number"),
        Column("资产价值(元)", "value", "decimal"),
        Column("所有权人", "owner"),
        Column("管护责任人", "upkeep"),
        Column("累计收益(元)", "income", "decimal"),
        Column("移交日期", "handed_over_on", "date"),
        Column("处置日期", "disposed_on", "date"),
        Column("处置方式", "disposal"),
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
        project = Project.objects.visible_to(ctx.user, "change").filter(number=values["number"]).first()
        if project is None:
            invalid("number", _("Unknown project number %(number)s (or outside your scope); leave it blank for a "
                                "new project.") % {"number": values["number"]})
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


PLANS = {"projects": ProjectPlan()}
