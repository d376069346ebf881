"""Column specs of the project library, the beneficiaries and the assets ledger (Chinese headers): for `bangfu
export` now and the import engine when it lands."""

from bangfu.core.columns import Column, Entity
from bangfu.projects.models import Asset, AssetKind, Beneficiary, Category, Gain, Project, State

PROJECTS = Entity(
    name="projects",
    model=Project,
    columns=(
        Column("项目编号", "number"),
        Column("项目名称", "name"),
        Column("项目类别", "category", "choice", Category),
        Column("入库年度", "year", "int"),
        Column("项目状态", "state", "choice", State),
        Column("县代码", "county_code"),
        Column("地点代码", "region_id"),
        Column("地点", "region__name"),
        Column("结对编号", "pairing_id", "int"),
        Column("建设内容", "content"),
        Column("实施单位", "implementer"),
        Column("负责人", "responsible"),
        Column("采购方式", "procurement"),
        Column("计划资金(元)", "planned_amount", "decimal"),
        Column("已拨付(元)", "disbursed", "decimal"),
        Column("已支出(元)", "spent", "decimal"),
        Column("计划开工", "planned_start", "date"),
        Column("计划完工", "planned_end", "date"),
        Column("实际开工", "actual_start", "date"),
        Column("实际完工", "actual_end", "date"),
        Column("进度(%)", "progress", "int"),
        Column("绩效目标", "targets"),
        Column("绩效评价", "results"),
        Column("带动就业(人)", "jobs", "int"),
        Column("公示日期", "published_on", "date"),
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
