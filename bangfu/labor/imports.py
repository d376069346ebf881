"""Column specs of labour cooperation (for `bangfu export`, the templates and the import engine): laborers with their
member's identity, employment records, postings and public-welfare posts, with the Chinese headers officials use;
and the import of laborers and employment records, through the labour services."""

from django.utils.translation import gettext as _

from bangfu.core.columns import Column, Entity
from bangfu.core.importing import Context, ServicePlan, duplicated, refuse_if_changed
from bangfu.core.services import invalid
from bangfu.households.models import IdType, Member, Sex
from bangfu.labor import services
from bangfu.labor.models import (
    Channel,
    Employment,
    Event,
    Intention,
    Laborer,
    Place,
    Posting,
    PublicWelfarePost,
    State,
    Workshop,
)
from bangfu.regions.models import Organisation, Region

LABORERS = Entity(
    name="laborers",
    model=Laborer,
    columns=(
        Column("劳动力编号", "id", "int", writable=False),
        Column("姓名", "name", writable=False),
        Column("证件类型", "member__id_type", "choice", IdType, writable=False),
        Column("证件号码", "member__id_number", "id_number", required=True,
               aliases=("身份证号码", "身份证号", "公民身份号码"),
               note="须为在册农户的现有成员；已入库的按证件号码更新"),
        Column("性别", "sex", "choice", Sex, writable=False),
        Column("出生日期", "birth_date", "date", writable=False),
        Column("户编号", "member__household__number", writable=False),
        Column("县代码", "county_code", writable=False),
        Column("村代码", "member__household__village_id", writable=False),
        Column("脱贫人口或监测对象", "lifted", "bool", writable=False),
        Column("技能(编码)", "skill_mask", "int", aliases=("技能编码",), note="技能位码之和，空白为0"),
        Column("就业意向", "intention", "choice", Intention, aliases=("务工意向",), note="空白为县内就业"),
        Column("联系电话", "phone", "phone", aliases=("手机号码", "电话"), note="空白取成员登记的电话"),
        Column("入库日期", "registered_on", "date", aliases=("登记日期",), note="空白为导入当天"),
        Column("当前状态", "state", "choice", State, writable=False),
        Column("状态日期", "state_on", "date", writable=False),
        Column("返乡日期", "returned_on", "date", writable=False),
    ),
    region_path="region_path",
    order_by=("region_path", "id"),
)

EMPLOYMENTS = Entity(
    name="employments",
    model=Employment,
    columns=(
        Column("劳动力编号", "laborer_id", "int", note="劳动力编号与证件号码填一项"),
        Column("姓名", "laborer__name", writable=False),
        Column("证件号码", "laborer__member__id_number", "id_number", aliases=("身份证号码", "身份证号")),
        Column("县代码", "county_code", writable=False),
        Column("就业单位", "employer_name", aliases=("用工单位", "工作单位"), note="车间、公益性岗位就业可空"),
        Column("就业单位代码", "employer__credit_code", "code", aliases=("统一社会信用代码",),
               note="已登记单位的统一社会信用代码"),
        Column("就业渠道", "channel", "choice", Channel, required=True, aliases=("就业方式",)),
        Column("就业地点", "place", "choice", Place, note="空白按务工地区推定"),
        Column("务工地区代码", "work_region_id", "code", aliases=("就业地区代码",)),
        Column("开始日期", "start", "date", required=True, aliases=("就业日期", "入职日期")),
        Column("结束日期", "end", "date", aliases=("离职日期",)),
        Column("月工资(元)", "monthly_wage", "decimal", required=True, aliases=("月工资", "月收入(元)", "月收入")),
        Column("帮扶车间", "workshop__name", aliases=("车间名称",), note="经帮扶车间就业必填：本县车间名称"),
        Column("公益性岗位", "post__name", aliases=("岗位名称",), note="公益性岗位就业必填：本县岗位名称"),
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


def _laborer_member(id_number: str, ctx: Context) -> Member:
    member = Member.objects.visible_to(ctx.user).filter(id_number=id_number, active=True).first()
    if member is None:
        invalid("member", _("No current member with this ID number in your scope."))
    return member


class LaborerPlan(ServicePlan):
    """Each row through `services.register` (the member current, of working age, able, out of school, not registered
    yet; the date not in the future) or, for a member registered already, `services.update_laborer` (skills,
    intention, phone). The closed loop's states are not imported: they move with the records."""

    entity = LABORERS
    permission = "labor.change"

    def precheck(self, frame, ctx):
        return [duplicated(frame, ctx, ["member__id_number"], "member__id_number")]

    def apply(self, values: dict, ctx: Context):
        member = _laborer_member(values["member__id_number"], ctx)
        laborer = Laborer.objects.filter(member=member).first()
        fields = {"skill_mask": values["skill_mask"], "intention": values["intention"], "phone": values["phone"]}
        fields = {k: v for k, v in fields.items() if v is not None}
        if laborer is None:
            if values["registered_on"] is not None and values["registered_on"] > ctx.today:
                invalid("registered_on", _("%(day)s is in the future.") % {"day": values["registered_on"]})
            return services.register(ctx.user, member, on=values["registered_on"], **fields), "created"
        changes = {k: v for k, v in fields.items() if getattr(laborer, k) != v}
        if not changes:
            return laborer, None
        return services.update_laborer(ctx.user, laborer, reason=ctx.reason, **changes), "updated"


class EmploymentPlan(ServicePlan):
    """Each row through `services.record_employment`: the laborer in scope, the dates, the wage, a workshop or a
    public-welfare post of his county (one holder at a time), no overlapping job; his closed loop moves with it. A
    job recorded already (the laborer, the start and the employer) is skipped."""

    entity = EMPLOYMENTS
    permission = "labor.change"

    def precheck(self, frame, ctx):
        return [duplicated(frame, ctx, ["laborer_id", "laborer__member__id_number", "start"], "start")]

    def apply(self, values: dict, ctx: Context):
        laborers = Laborer.objects.visible_to(ctx.user, "change")
        if values["laborer_id"] is not None:
            laborer = laborers.filter(pk=values["laborer_id"]).first()
            if laborer is None:
                invalid("laborer", _("Unknown laborer #%(id)s (or outside your scope).") % {"id": values["laborer_id"]})
            number = values["laborer__member__id_number"]
            if number and laborer.member.id_number != number:
                invalid("laborer", _("Laborer #%(id)s has another ID number.") % {"id": laborer.pk})
        elif values["laborer__member__id_number"]:
            laborer = laborers.filter(member__id_number=values["laborer__member__id_number"]).first()
            if laborer is None:
                invalid("laborer__member__id_number", _("No laborer with this ID number in your scope."))
        else:
            invalid("laborer", _("Give the laborer's number or ID number."))
        employer = None
        if values["employer__credit_code"]:
            employer = Organisation.objects.filter(credit_code=values["employer__credit_code"]).first()
            if employer is None:
                invalid("employer", _("No organisation with this credit code is registered."))
        name = values["employer_name"] or (employer.name if employer else "")
        same = Employment.objects.filter(laborer=laborer, start=values["start"])
        if same.filter(employer_name=name).exists() if name else same.exists():
            return same.first(), None
        region = None
        if values["work_region_id"]:
            region = Region.objects.filter(pk=values["work_region_id"]).first()
            if region is None:
                invalid("work_region", _("Unknown region code %(code)s.") % {"code": values["work_region_id"]})
        workshop = post = None
        if values["workshop__name"]:
            workshop = Workshop.objects.filter(county_code=laborer.county_code, name=values["workshop__name"]).first()
            if workshop is None:
                invalid("workshop", _("No workshop of this name in %(name)s's county.") % {"name": laborer.name})
        if values["post__name"]:
            post = PublicWelfarePost.objects.filter(county_code=laborer.county_code, name=values["post__name"]).first()
            if post is None:
                invalid("post", _("No public-welfare post of this name in %(name)s's county.") % {
                    "name": laborer.name})
        return services.record_employment(
            ctx.user, laborer, start=values["start"], end=values["end"], monthly_wage=values["monthly_wage"],
            channel=values["channel"], place=values["place"], employer=employer, employer_name=name,
            work_region=region, workshop=workshop, post=post, reason=ctx.reason), "created"

    def unwind(self, batch, rows):
        """The closed-loop events the jobs wrote go (the laborers' states come back from the change log)."""
        laborers = Laborer.objects.filter(pk__in=rows.values("laborer_id"))
        refuse_if_changed(batch, [(Laborer, laborers)])
        events = Event.objects.filter(laborer__in=laborers, time__gte=batch.started, time__lte=batch.finished)
        return {"closed-loop events removed": events.delete()[0]}


PLANS = {"laborers": LaborerPlan(), "employments": EmploymentPlan()}
