"""Column specs of labour cooperation (for `bangfu export`, the templates and the import engine): laborers with their
member's identity, employment records, postings and public-welfare posts, with the Chinese headers officials use;
and their import, through the labour services."""

import polars as pl
from django.utils.translation import gettext as _

from bangfu.core.columns import Column, Entity
from bangfu.core.importing import Context, ServicePlan, duplicated, refuse_if_changed
from bangfu.core.privacy import may_unmask
from bangfu.core.services import invalid, resolve_in_scope
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
        Column("岗位编号", "id", "int", note="新岗位留空；已有岗位按编号核对（相同则跳过），在招填否即关闭"),
        Column("岗位名称", "title", required=True, aliases=("招聘岗位", "职位名称")),
        Column("用人单位", "employer__name", aliases=("招聘单位", "企业名称"),
               note="已登记单位的全称；与统一社会信用代码填一项"),
        Column("统一社会信用代码", "employer__credit_code", "code", aliases=("用人单位代码", "信用代码")),
        Column("工作地区代码", "region_id", "code", required=True, aliases=("工作地点代码", "地区代码")),
        Column("月工资下限(元)", "wage_min", "decimal", required=True, aliases=("月工资下限", "最低月工资")),
        Column("月工资上限(元)", "wage_max", "decimal", required=True, aliases=("月工资上限", "最高月工资")),
        Column("招聘人数", "openings", "int", required=True, aliases=("需求人数", "岗位数")),
        Column("技能要求(编码)", "skill_mask", "int", aliases=("技能要求编码",), note="技能位码之和，空白为0"),
        Column("最低年龄", "min_age", "int", note="空白为16"),
        Column("最高年龄", "max_age", "int", note="空白为60"),
        Column("岗位要求", "requirements"),
        Column("发布日期", "posted_on", "date", note="空白为导入当天"),
        Column("在招", "open", "bool", aliases=("是否在招",), note="空白为是"),
    ),
    region_path="region_path",
)

PUBLIC_WELFARE_POSTS = Entity(
    name="public-welfare-posts",
    model=PublicWelfarePost,
    columns=(
        Column("岗位编号", "id", "int", note="新岗位留空；已有岗位按编号核对（相同则跳过）"),
        Column("岗位名称", "name", required=True, aliases=("公益性岗位", "公益性岗位名称"),
               note="县内不重名：就业记录按县内岗位名称查找"),
        Column("县代码", "county_code", writable=False),
        Column("地区代码", "region_id", "code", required=True, aliases=("岗位地区代码", "村代码")),
        Column("月补贴(元)", "monthly_pay", "decimal", required=True, aliases=("月补贴", "岗位补贴(元)", "岗位补贴")),
        Column("设立日期", "created_on", "date", aliases=("开发日期",), note="空白为导入当天"),
    ),
    region_path="region_path",
)

ENTITIES = {e.name: e for e in (LABORERS, EMPLOYMENTS, POSTINGS, PUBLIC_WELFARE_POSTS)}


def _may_match_by_id_number(ctx: Context, field: str) -> None:
    """Matching a person by a full ID number confirms the number (found or not): like a search by it, only for users
    who may unmask (the system's own imports too); others give 劳动力编号."""
    if ctx.user is not None and not may_unmask(ctx.user):
        invalid(field, _("Matching people by ID number needs the permission to see ID numbers."))


def _laborer_member(id_number: str, ctx: Context) -> Member:
    _may_match_by_id_number(ctx, "member__id_number")
    member = resolve_in_scope(ctx.user, Member, "member", _("No current member with this ID number in your scope."),
                              id_number=id_number, active=True)
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
        if values["laborer__member__id_number"]:
            _may_match_by_id_number(ctx, "laborer__member__id_number")
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


def _region(code: str, field: str = "region") -> Region:
    region = Region.objects.filter(pk=code).first()
    if region is None:
        invalid(field, _("Unknown region code %(code)s (or outside your scope).") % {"code": code})
    return region


def _not_future(field: str, day, ctx: Context):
    if day is not None and day > ctx.today:
        invalid(field, _("%(day)s is in the future.") % {"day": day})


def _differs(obj, fields: dict) -> bool:
    """Whether a stored record has other values than the row's (the row's blank cells compare with nothing)."""
    return any(value is not None and getattr(obj, name) != value for name, value in fields.items())


def _employer(values: dict) -> Organisation:
    """The employer by its credit code or, without one, by its full name (as the organisations' export writes)."""
    code, name = values["employer__credit_code"], values["employer__name"]
    if code:
        employer = Organisation.objects.filter(credit_code=code).first()
        if employer is None:
            invalid("employer__credit_code", _("No organisation with this credit code is registered."))
        if name and name != employer.name:
            invalid("employer", _("This credit code is %(name)s's.") % {"name": employer.name})
        return employer
    if not name:
        invalid("employer", _("Give the employer's name or credit code."))
    found = list(Organisation.objects.filter(name=name)[:2])
    if not found:
        invalid("employer", _("No organisation of this name is registered."))
    if len(found) > 1:
        invalid("employer", _("Several organisations have this name; give its credit code."))
    return found[0]


class PostingPlan(ServicePlan):
    """Each row through `services.create_posting`: who may (the employer's side, or the place's county), a title,
    the wage and age ranges, at least one opening; a row with 在招 否 is closed right after (`services.close_posting`).
    A posting matched by its 岗位编号 is skipped if unchanged, closed if 在招 turns to 否, and refused if anything
    else changed (a posting is not edited: it is closed and posted again)."""

    entity = POSTINGS
    permission = "labor.change"

    def precheck(self, frame, ctx):
        return [duplicated(frame.filter(pl.col("id").is_not_null()), ctx, ["id"], "id"),
                duplicated(frame.filter(pl.col("id").is_null()), ctx, [
                    "title", "employer__name", "employer__credit_code", "region_id", "posted_on"], "title")]

    def apply(self, values: dict, ctx: Context):
        employer = _employer(values)
        region = _region(values["region_id"])
        _not_future("posted_on", values["posted_on"], ctx)
        fields = {"title": values["title"], "wage_min": values["wage_min"], "wage_max": values["wage_max"],
                  "openings": values["openings"], "skill_mask": values["skill_mask"], "min_age": values["min_age"],
                  "max_age": values["max_age"], "requirements": values["requirements"],
                  "posted_on": values["posted_on"]}
        if values["id"] is not None:
            posting = resolve_in_scope(
                ctx.user, Posting, "id",
                _("Unknown posting #%(id)s (or outside your scope); leave 岗位编号 blank for a new "
                  "posting.") % {"id": values["id"]},
                pk=values["id"])
            if _differs(posting, {**fields, "employer_id": employer.pk, "region_id": region.pk}):
                invalid("id", _("Posting #%(id)s is there already with other values; a posting is not changed by "
                                "import: close it and post a new one.") % {"id": posting.pk})
            if values["open"] is None or values["open"] == posting.open:
                return posting, None
            if values["open"]:
                invalid("open", _("Posting #%(id)s is closed; a closed posting is not opened again.") % {
                    "id": posting.pk})
            return services.close_posting(ctx.user, posting, reason=ctx.reason), "updated"
        given = {k: v for k, v in fields.items() if v is not None}
        posting = services.create_posting(ctx.user, employer=employer, region=region, **given)
        if values["open"] is False:
            services.close_posting(ctx.user, posting, reason=ctx.reason)
        return posting, "created"


class PublicWelfarePostPlan(ServicePlan):
    """Each row through `services.create_post`: the place in scope, in a county or below, a pay above zero. A post
    matched by its 岗位编号, or by its name in the county (employment records find posts so), is skipped if unchanged
    and refused if not (a post is not changed by import)."""

    entity = PUBLIC_WELFARE_POSTS
    permission = "labor.change"

    def precheck(self, frame, ctx):
        county = frame.with_columns(_county=pl.col("region_id").cast(pl.String).str.slice(0, 6))
        return [duplicated(frame.filter(pl.col("id").is_not_null()), ctx, ["id"], "id"),
                duplicated(county.filter(pl.col("id").is_null()), ctx, ["_county", "name"], "name")]

    def apply(self, values: dict, ctx: Context):
        region = _region(values["region_id"])
        _not_future("created_on", values["created_on"], ctx)
        fields = {"name": values["name"], "region_id": region.pk, "monthly_pay": values["monthly_pay"],
                  "created_on": values["created_on"]}
        if values["id"] is not None:
            post = resolve_in_scope(
                ctx.user, PublicWelfarePost, "id",
                _("Unknown public-welfare post #%(id)s (or outside your scope); leave 岗位编号 blank for a new "
                  "post.") % {"id": values["id"]},
                pk=values["id"])
            if _differs(post, fields):
                invalid("id", _("Public-welfare post #%(id)s is there already with other values; a post is not "
                                "changed by import.") % {"id": post.pk})
            return post, None
        same = PublicWelfarePost.objects.filter(county_code=region.county_code, name=values["name"]).first() \
            if region.county_code else None
        if same is not None:
            if _differs(same, fields):
                invalid("name", _("Public-welfare post #%(id)s of this county has this name already; names are "
                                  "unique within a county.") % {"id": same.pk})
            return same, None
        return services.create_post(ctx.user, name=values["name"], region=region, monthly_pay=values["monthly_pay"],
                                    created_on=values["created_on"]), "created"


PLANS = {"laborers": LaborerPlan(), "employments": EmploymentPlan(), "postings": PostingPlan(),
         "public-welfare-posts": PublicWelfarePostPlan()}
