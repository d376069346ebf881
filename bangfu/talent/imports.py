"""Column specs of people sent and trained (for `bangfu export`, the templates and the import engine), and their
import through the talent services."""

from django.utils.translation import gettext as _

from bangfu.core.columns import Column, Entity
from bangfu.core.importing import Context, ServicePlan, duplicated
from bangfu.core.services import invalid
from bangfu.regions.models import Organisation, Region, Side
from bangfu.talent import services
from bangfu.talent.models import PersonSent, PersonTrained, SentKind, TrainedKind

PEOPLE_SENT = Entity(
    name="people-sent",
    model=PersonSent,
    columns=(
        Column("姓名", "name", required=True),
        Column("类别", "kind", "choice", SentKind, required=True, aliases=("人员类别", "选派类别")),
        Column("派出单位", "from_org__name", required=True, aliases=("选派单位",),
               note="帮扶方单位全称，如单位导出文件"),
        Column("派出单位地区代码", "from_org__region_id", writable=False),
        Column("派驻地区代码", "to_region_id", "code", required=True, aliases=("挂职地区代码", "派驻地代码")),
        Column("派驻地区", "to_region__name", writable=False),
        Column("派驻单位", "to_org__name", aliases=("挂职单位", "接收单位"), note="受援方单位全称，可空"),
        Column("职务", "position", aliases=("挂职职务", "岗位")),
        Column("开始日期", "start", "date", required=True, aliases=("派驻日期", "到岗日期")),
        Column("结束日期", "end", "date", aliases=("期满日期", "离岗日期")),
    ),
    region_path="region_path",
)

PEOPLE_TRAINED = Entity(
    name="people-trained",
    model=PersonTrained,
    columns=(
        Column("姓名", "name", required=True),
        Column("类别", "kind", "choice", TrainedKind, required=True, aliases=("人员类别",)),
        Column("来自地区代码", "from_region_id", "code", required=True, aliases=("派出地区代码",)),
        Column("来自地区", "from_region__name", writable=False),
        Column("培训单位", "host__name", required=True, aliases=("接收单位",), note="帮扶方单位全称"),
        Column("培训项目", "programme", required=True, aliases=("培训内容", "项目")),
        Column("开始日期", "start", "date", required=True),
        Column("结束日期", "end", "date", required=True),
    ),
    region_path="region_path",
)

ENTITIES = {e.name: e for e in (PEOPLE_SENT, PEOPLE_TRAINED)}


def _organisation(name: str, side: str, field: str, ctx: Context) -> Organisation:
    """An organisation of `side` the user sees, by its full name (as the organisations' export writes it)."""
    found = list(Organisation.objects.visible_to(ctx.user).filter(name=name, side=side)[:2])
    if not found:
        invalid(field, _("No organisation of this name on the %(side)s side in your scope.") % {
            "side": Side(side).label})
    if len(found) > 1:
        invalid(field, _("Several organisations have this name; rename one of them first."))
    return found[0]


def _region(code: str, field: str) -> Region:
    region = Region.objects.filter(pk=code).first()
    if region is None:
        invalid(field, _("Unknown region code %(code)s (or outside your scope).") % {"code": code})
    return region


class PersonSentPlan(ServicePlan):
    """Each row through `services.record_sent` (the sending organisation on the helper side, the receiving one on
    the recipient side, the period in order, one of them in the user's scope). A person recorded already (name,
    sending organisation, place, start) is skipped, or, with an end now given, ended through `services.end_sent`."""

    entity = PEOPLE_SENT
    permission = "talent.change"

    def precheck(self, frame, ctx):
        return [duplicated(frame, ctx, ["name", "from_org__name", "to_region_id", "start"], "name")]

    def apply(self, values: dict, ctx: Context):
        from_org = _organisation(values["from_org__name"], Side.HELPER, "from_org", ctx)
        to_region = _region(values["to_region_id"], "to_region")
        to_org = _organisation(values["to_org__name"], Side.RECIPIENT, "to_org", ctx) if values["to_org__name"] \
            else None
        known = PersonSent.objects.visible_to(ctx.user).filter(
            name=values["name"], from_org=from_org, to_region=to_region, start=values["start"]).first()
        if known is not None:
            if values["end"] is None or known.end == values["end"]:
                return known, None
            if known.end is not None:
                invalid("end", _("This secondment ended on %(end)s already.") % {"end": known.end})
            return services.end_sent(ctx.user, known, values["end"], reason=ctx.reason), "updated"
        return services.record_sent(ctx.user, name=values["name"], kind=values["kind"], from_org=from_org,
                                    to_region=to_region, to_org=to_org, position=values["position"] or "",
                                    start=values["start"], end=values["end"]), "created"


class PersonTrainedPlan(ServicePlan):
    """Each row through `services.record_trained`; a person recorded already (name, place, host, programme, start)
    is skipped."""

    entity = PEOPLE_TRAINED
    permission = "talent.change"

    def precheck(self, frame, ctx):
        return [duplicated(frame, ctx, ["name", "from_region_id", "host__name", "programme", "start"], "name")]

    def apply(self, values: dict, ctx: Context):
        host = _organisation(values["host__name"], Side.HELPER, "host", ctx)
        region = _region(values["from_region_id"], "from_region")
        known = PersonTrained.objects.visible_to(ctx.user).filter(
            name=values["name"], from_region=region, host=host, programme=values["programme"],
            start=values["start"]).first()
        if known is not None:
            return known, None
        return services.record_trained(ctx.user, name=values["name"], kind=values["kind"], from_region=region,
                                       host=host, programme=values["programme"], start=values["start"],
                                       end=values["end"]), "created"


PLANS = {"people-sent": PersonSentPlan(), "people-trained": PersonTrainedPlan()}
