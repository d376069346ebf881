"""Column specs of pairings."""

from bangfu.core.columns import Column, Entity
from bangfu.pairing.models import Pairing, PairingKind

PAIRINGS = Entity(
    name="pairings",
    model=Pairing,
    columns=(
        Column("结对编号", "id", "int"),
        Column("结对类型", "kind", "choice", PairingKind),
        Column("帮扶方", "helper__name"),
        Column("帮扶方地区代码", "helper__region_id"),
        Column("受援地区代码", "recipient_region_id"),
        Column("受援地区", "recipient_region__name"),
        Column("受援单位", "recipient_org__name"),
        Column("开始日期", "start", "date"),
        Column("结束日期", "end", "date"),
        Column("备注", "notes"),
    ),
    region_path="recipient_region__path",
    order_by=("id",),
)

ENTITIES = {"pairings": PAIRINGS}
