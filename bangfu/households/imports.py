"""Column specs of the household registry: one row per current member, the household's columns repeated on each
row, as the national system's exports are."""

from django.db.models import Q

from bangfu.core.columns import Column, Entity
from bangfu.households.models import (
    Education,
    EmploymentChannel,
    Health,
    HouseholdType,
    IdType,
    Income,
    LabourSkill,
    Member,
    MonitoringCategory,
    Relation,
    RiskStatus,
    Schooling,
    Sex,
)

HOUSEHOLD_COLUMNS = (
    Column("户编号", "household__number"),
    Column("县代码", "household__county_code"),
    Column("村代码", "household__village_id"),
    Column("村名称", "household__village__name"),
    Column("户类型", "household__household_type", "choice", HouseholdType),
    Column("监测对象类别", "household__monitoring_category", "choice", MonitoringCategory),
    Column("风险状态", "household__risk_status", "choice", RiskStatus),
    Column("户主姓名", "household__head_name"),
    Column("家庭人口", "household__size", "int"),
    Column("家庭联系电话", "household__phone", "phone"),
    Column("住址", "household__address"),
    Column("耕地面积(亩)", "household__land_area", "decimal"),
    Column("住房安全等级", "household__housing_grade"),
    Column("饮水安全", "household__safe_water", "bool"),
    Column("卫生厕所", "household__sanitary_toilet", "bool"),
    Column("生活用电", "household__electricity", "bool"),
)

MEMBER_COLUMNS = (
    Column("姓名", "name"),
    Column("证件类型", "id_type", "choice", IdType),
    Column("证件号码", "id_number", "id_number"),
    Column("与户主关系", "relation", "choice", Relation),
    Column("性别", "sex", "choice", Sex),
    Column("出生日期", "birth_date", "date"),
    Column("民族", "ethnicity"),
    Column("文化程度", "education", "choice", Education),
    Column("在校生状况", "schooling", "choice", Schooling),
    Column("健康状况", "health", "choice", Health),
    Column("劳动技能", "labour_skill", "choice", LabourSkill),
    Column("务工时间(月)", "work_months", "int"),
    Column("就业渠道", "employment_channel", "choice", EmploymentChannel),
    Column("基本医疗保险", "medical_insured", "bool"),
    Column("基本养老保险", "pension_insured", "bool"),
    Column("联系电话", "phone", "phone"),
)

HOUSEHOLDS = Entity(
    name="households",
    model=Member,
    columns=HOUSEHOLD_COLUMNS + MEMBER_COLUMNS,
    region_path="region_path",
    filter=Q(active=True),
    order_by=("household__number", "id"),
)

MONEY_NOTE = "单位：元，可写“1.2万”；空白按 0 计"

INCOMES = Entity(
    name="incomes",
    model=Income,
    columns=(
        Column("户编号", "household__number", required=True),
        Column("县代码", "county_code", writable=False),
        Column("村代码", "household__village_id", writable=False),
        Column("年度", "year", "int", required=True, note="四位年份，如 2025"),
        Column("工资性收入", "wage", "decimal", note=MONEY_NOTE),
        Column("生产经营性收入", "production", "decimal", note=MONEY_NOTE),
        Column("财产性收入", "property_income", "decimal", note=MONEY_NOTE),
        Column("转移性收入", "transfer", "decimal", note=MONEY_NOTE),
        Column("生产经营性支出", "production_cost", "decimal", note=MONEY_NOTE),
        Column("合规自付医疗支出", "rigid_medical", "decimal", note=MONEY_NOTE),
        Column("教育支出", "rigid_education", "decimal", note=MONEY_NOTE),
        Column("计算人口", "members_counted", "int", note="空白时按当前家庭人口计"),
        Column("人均纯收入", "per_capita", "decimal", writable=False, note="由系统计算，导入时忽略"),
    ),
    region_path="region_path",
    order_by=("household__number", "year"),
)

ENTITIES = {"households": HOUSEHOLDS, "incomes": INCOMES}
