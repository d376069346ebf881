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

ENTITIES = {"households": HOUSEHOLDS}
