"""Column specs of villages and organisations."""

from django.db.models import Q

from bangfu.core.columns import Column, Entity
from bangfu.regions.models import Level, Organisation, OrganisationKind, Region, Side

VILLAGES = Entity(
    name="villages",
    model=Region,
    columns=(
        Column("村代码", "code"),
        Column("村名称", "name"),
        Column("乡镇代码", "parent_id"),
        Column("乡镇名称", "parent__name"),
        Column("县代码", "county_code"),
        Column("贫困村", "is_poor_village", "bool"),
        Column("在用", "active", "bool"),
    ),
    region_path="path",
    filter=Q(level=Level.VILLAGE),
    order_by=("code",),
)

ORGANISATIONS = Entity(
    name="organisations",
    model=Organisation,
    columns=(
        Column("单位编号", "id", "int"),
        Column("单位名称", "name"),
        Column("单位类型", "kind", "choice", OrganisationKind),
        Column("帮扶方/受援方", "side", "choice", Side),
        Column("所在地区代码", "region_id"),
        Column("所在地区", "region__name"),
        Column("上级单位编号", "parent_id", "int"),
        Column("上级单位", "parent__name"),
        Column("统一社会信用代码", "credit_code"),
        Column("代表本地区", "represents_region", "bool"),
        Column("备注", "notes"),
    ),
    region_path="region__path",
    order_by=("region_id", "name", "id"),
)

ENTITIES = {"villages": VILLAGES, "organisations": ORGANISATIONS}


PLANS: dict = {}
