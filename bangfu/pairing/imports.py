"""Column specs of pairings, and their import: each row through the pairing service, which holds the rules."""

from django.utils.translation import gettext as _

from bangfu.core.columns import Column, Entity
from bangfu.core.importing import Context, ServicePlan
from bangfu.core.services import resolve_in_scope
from bangfu.pairing import services
from bangfu.pairing.models import Pairing, PairingKind
from bangfu.regions.models import Organisation
from bangfu.regions.services import resolve_region

PAIRINGS = Entity(
    name="pairings",
    model=Pairing,
    columns=(
        Column("结对编号", "id", "int", note="新结对留空；已有结对按编号更新"),
        Column("结对类型", "kind", "choice", PairingKind, required=True),
        Column("帮扶方", "helper__name", writable=False),
        Column("帮扶方地区代码", "helper__region_id", writable=False),
        Column("帮扶方编号", "helper_id", "int", required=True, aliases=("帮扶单位编号",),
               note="单位编号，见单位导出文件"),
        Column("受援地区代码", "recipient_region_id", "code", aliases=("受援县代码", "受援地代码"),
               note="6位或12位区划代码；有受援单位时可空"),
        Column("受援地区", "recipient_region__name", writable=False),
        Column("受援单位编号", "recipient_org_id", "int", note="校校、院院结对必填"),
        Column("受援单位", "recipient_org__name", writable=False),
        Column("开始日期", "start", "date", required=True),
        Column("结束日期", "end", "date"),
        Column("备注", "notes"),
    ),
    region_path="recipient_region__path",
    order_by=("id",),
)


class PairingPlan(ServicePlan):
    entity = PAIRINGS
    permission = "pairing.change"

    def apply(self, values: dict, ctx: Context):
        helper = resolve_in_scope(ctx.user, Organisation, "helper", unknown_org(values["helper_id"]),
                                  pk=values["helper_id"])
        region = None
        if values["recipient_region_id"]:
            region = resolve_region(ctx.user, values["recipient_region_id"], "recipient_region")
        org = None
        if values["recipient_org_id"]:
            org = resolve_in_scope(ctx.user, Organisation, "recipient_org", unknown_org(values["recipient_org_id"]),
                                   pk=values["recipient_org_id"])
        fields = {"kind": values["kind"], "helper": helper, "recipient_org": org, "start": values["start"],
                  "end": values["end"], "notes": values["notes"] or ""}
        if values["id"] is None:
            return services.create_pairing(ctx.user, recipient_region=region, **fields), "created"
        pairing = resolve_in_scope(ctx.user, Pairing, "id",
                                   _("Unknown pairing number %(n)s (or outside your scope).") % {"n": values["id"]},
                                   action="change", pk=values["id"])
        if region is not None:
            fields["recipient_region"] = region
        changes = {k: v for k, v in fields.items() if getattr(pairing, k) != v}
        if not changes:
            return pairing, None
        return services.update_pairing(ctx.user, pairing, reason=ctx.reason, **changes), "updated"


def unknown_org(number) -> str:
    return _("Unknown organisation number %(n)s (or outside your scope).") % {"n": number}


ENTITIES = {"pairings": PAIRINGS}
PLANS = {"pairings": PairingPlan()}
