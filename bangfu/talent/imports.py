"""Column specs of people sent and trained (for `bangfu export` now, and the import engine)."""

from bangfu.core.columns import Column, Entity
from bangfu.talent.models import PersonSent, PersonTrained, SentKind, TrainedKind

PEOPLE_SENT = Entity(
    name="people-sent",
    model=PersonSent,
    columns=(
        Column("姓名", "name"),
        Column("类别", "kind", "choice", SentKind),
        Column("派出单位", "from_org__name"),
        Column("派出单位地区代码", "from_org__region_id"),
        Column("派驻地区代码", "to_region_id"),
        Column("派驻地区", "to_region__name"),
        Column("派驻单位", "to_org__name"),
        Column("职务", "position"),
        Column("开始日期", "start", "date"),
        Column("结束日期", "end", "date"),
    ),
    region_path="region_path",
)

PEOPLE_TRAINED = Entity(
    name="people-trained",
    model=PersonTrained,
    columns=(
        Column("姓名", "name"),
        Column("类别", "kind", "choice", TrainedKind),
        Column("来自地区代码", "from_region_id"),
        Column("来自地区", "from_region__name"),
        Column("培训单位", "host__name"),
        Column("培训项目", "programme"),
        Column("开始日期", "start", "date"),
        Column("结束日期", "end", "date"),
    ),
    region_path="region_path",
)

ENTITIES = {e.name: e for e in (PEOPLE_SENT, PEOPLE_TRAINED)}
