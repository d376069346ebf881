"""Column specs of labour cooperation (for `bangfu export` now, and the import engine): laborers with their member's
identity, employment records, postings and public-welfare posts, with the Chinese headers officials use."""

from bangfu.core.columns import Column, Entity
from bangfu.households.models import IdType, Sex
from bangfu.labor.models import Channel, Employment, Intention, Laborer, Place, Posting, PublicWelfarePost, State

LABORERS = Entity(
    name="laborers",
    model=Laborer,
    columns=(
        Column("劳动力编号", "id", "int"),
        Column("姓名", "name"),
        Column("证件类型", "member__id_type", "choice", IdType),
        Column("证件号码", "member__id_number", "id_number"),
        Column("性别", "sex", "choice", Sex),
        Column("出生日期", "birth_date", "date"),
        Column("户编号", "member__household__number"),
        Column("县代码", "county_code"),
        Column("村代码", "member__household__village_id"),
        Column("脱贫人口或监测对象", "lifted", "bool"),
        Column("技能(编码)", "skill_mask", "int"),
        Column("就业意向", "intention", "choice", Intention),
        Column("联系电话", "phone", "phone"),
        Column("入库日期", "registered_on", "date"),
        Column("当前状态", "state", "choice", State),
        Column("状态日期", "state_on", "date"),
        Column("返乡日期", "returned_on", "date"),
    ),
    region_path="region_path",
    order_by=("region_path", "id"),
)

EMPLOYMENTS = Entity(
    name="employments",
    model=Employment,
    columns=(
        Column("劳动力编号", "laborer_id", "int"),
        Column("姓名", "laborer__name"),
        Column("证件号码", "laborer__member__id_number", "id_number"),
        Column("县代码", "county_code"),
        Column("就业单位", "employer_name"),
        Column("就业单位代码", "employer__credit_code"),
        Column("就业渠道", "channel", "choice", Channel),
        Column("就业地点", "place", "choice", Place),
        Column("务工地区代码", "work_region_id"),
        Column("开始日期", "start", "date"),
        Column("结束日期", "end", "date"),
        Column("月工资(元)", "monthly_wage", "decimal"),
        Column("帮扶车间", "workshop__name"),
        Column("公益性岗位", "post__name"),
    ),
    region_path="region_path",
    order_by=("laborer_id", "start", "id"),
)

POSTINGS = Entity(
    name="postings",
    model=Posting,
    columns=(
        Column("岗位编号", "id", "int"),
        Column("岗位名称", "title"),
        Column("用人单位", "employer__name"),
        Column("统一社会信用代码", "employer__credit_code"),
        Column("工作地区代码", "region_id"),
        Column("月工资下限(元)", "wage_min", "decimal"),
        Column("月工资上限(元)", "wage_max", "decimal"),
        Column("招聘人数", "openings", "int"),
        Column("技能要求(编码)", "skill_mask", "int"),
        Column("最低年龄", "min_age", "int"),
        Column("最高年龄", "max_age", "int"),
        Column("岗位要求", "requirements"),
        Column("发布日期", "posted_on", "date"),
        Column("在招", "open", "bool"),
    ),
    region_path="region_path",
)

PUBLIC_WELFARE_POSTS = Entity(
    name="public-welfare-posts",
    model=PublicWelfarePost,
    columns=(
        Column("岗位编号", "id", "int"),
        Column("岗位名称", "name"),
        Column("县代码", "county_code"),
        Column("地区代码", "region_id"),
        Column("月补贴(元)", "monthly_pay", "decimal"),
        Column("设立日期", "created_on", "date"),
    ),
    region_path="region_path",
)

ENTITIES = {e.name: e for e in (LABORERS, EMPLOYMENTS, POSTINGS, PUBLIC_WELFARE_POSTS)}
