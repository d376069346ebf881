"""The household registry in the API: households, members and their moves, incomes, conditions, monitoring lines,
and a read-only view of the monitoring workflow's clues.

Every read goes through `visible_to`; every write through `services`. ID and phone numbers are masked in every answer
(`451024********0033`, `138****5678`); `POST …/reveal` returns one in the clear to a user with the unmask permission
and writes the access log. Lists are ordered by id, so that paging a county of 100,000 people stays cheap.
"""

import re
import tempfile
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Annotated, Any, Literal

from django.db.models import Exists, OuterRef, Q
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import Field, File, Form, Router, Schema, UploadedFile
from ninja.pagination import paginate

from bangfu.core.identity import mask_id, mask_phone, normalise_id, scrub
from bangfu.core.pagination import Pages
from bangfu.core.services import invalid, require, resolve_in_scope
from bangfu.core.tasks_api import TaskOut, task_out
from bangfu.core.values import Errors, choice, plain
from bangfu.households import services, workflow
from bangfu.households.models import (
    Clue,
    Conditions,
    Education,
    EmploymentChannel,
    Health,
    Household,
    HouseholdType,
    IdType,
    Income,
    LabourSkill,
    Measure,
    Member,
    MemberMove,
    MonitoringCategory,
    MonitoringLine,
    Purpose,
    Relation,
    RiskStatus,
    Schooling,
    Sex,
    Stage,
    Visit,
)
from bangfu.households.screening import import_department_feed
from bangfu.households.tasks import screen_region
from bangfu.regions.api import RegionRef
from bangfu.regions.models import Region

households = Router(tags=["households"])
members = Router(tags=["households"])
monitoring_lines = Router(tags=["households"])
clues = Router(tags=["monitoring"])

# Whole numbers that reach the database: within its range, else 422 naming the field (never an overflow).
DbId = Annotated[int, Field(ge=1, le=2**63 - 1)]
Year = Annotated[int, Field(ge=0, le=9999)]
Small = Annotated[int, Field(ge=-32768, le=32767)]



# How many years of income and conditions the household page carries (the whole history is a list of its own).
EMBEDDED_YEARS = 3


# --- schemas --------------------------------------------------------------------------------------------------------

class HouseholdRef(Schema):
    id: int
    number: str
    head_name: str
    village: str = Field(alias="village_id")


class HouseholdOut(Schema):
    id: int
    number: str
    village: RegionRef
    county_code: str
    household_type: str
    household_type_label: str
    monitoring_category: str
    risk_status: str
    head_name: str
    size: int
    phone: str
    address: str
    land_area: Decimal
    housing_grade: str
    safe_water: bool
    sanitary_toilet: bool
    electricity: bool

    @staticmethod
    def resolve_household_type_label(obj):
        return str(obj.get_household_type_display())

    @staticmethod
    def resolve_phone(obj):
        return mask_phone(obj.phone)

    @staticmethod
    def resolve_address(obj):
        return scrub(obj.address)


class MemberOut(Schema):
    id: int
    household: int = Field(alias="household_id")
    household_number: str
    name: str
    id_type: str
    id_number: str
    relation: str
    relation_label: str
    sex: str
    birth_date: date
    ethnicity: str
    education: str
    schooling: str
    health: str
    labour_skill: str
    work_months: int
    employment_channel: str
    medical_insured: bool
    pension_insured: bool
    phone: str
    active: bool
    left_on: date | None

    @staticmethod
    def resolve_household_number(obj):
        return obj.household.number

    @staticmethod
    def resolve_relation_label(obj):
        return str(obj.get_relation_display())

    @staticmethod
    def resolve_id_number(obj):
        return mask_id(obj.id_number)

    @staticmethod
    def resolve_phone(obj):
        return mask_phone(obj.phone)


class IncomeOut(Schema):
    id: int
    year: int
    wage: Decimal
    production: Decimal
    property_income: Decimal
    transfer: Decimal
    production_cost: Decimal
    rigid_medical: Decimal
    rigid_education: Decimal
    members_counted: int
    net: Decimal
    per_capita: Decimal


class ConditionsOut(Schema):
    id: int
    year: int
    food_clothing: bool
    compulsory_education: bool
    basic_medical: bool
    housing_grade: str
    water_quantity: bool
    water_quality: bool
    water_convenience: bool
    water_reliability: bool
    evidence: str
    failures: list[str]

    @staticmethod
    def resolve_failures(obj):
        return obj.failures()

    @staticmethod
    def resolve_evidence(obj):
        return scrub(obj.evidence)


class MoveOut(Schema):
    id: int
    member: int = Field(alias="member_id")
    new_member: int | None = Field(None, alias="new_member_id")
    name: str
    from_household: int = Field(alias="from_household_id")
    to_household: int | None = Field(None, alias="to_household_id")
    moved_on: date
    reason: str

    @staticmethod
    def resolve_name(obj):
        return obj.member.name

    @staticmethod
    def resolve_reason(obj):
        return scrub(obj.reason)


class HouseholdDetail(HouseholdOut):
    members: list[MemberOut] = Field(alias="members_current")
    former_members: list[MemberOut] = Field(alias="former")
    incomes: list[IncomeOut] = Field(alias="recent_incomes", description=f"The latest {EMBEDDED_YEARS} years")
    conditions: list[ConditionsOut] = Field(alias="recent_conditions",
                                            description=f"The latest {EMBEDDED_YEARS} years")
    moves: list[MoveOut] = Field(alias="move_list", description="People who moved out of or into the household")


class PersonIn(Schema):
    """A person's values; codes, English labels or the registry's Chinese names (户主, 男, 无劳动力…) are accepted.
    Sex and birth date may be left out for a resident ID number: they are read from it."""

    name: str | None = None
    id_type: str | None = Field(None, description=" | ".join(IdType.values))
    id_number: str | None = None
    relation: str | None = Field(None, description=" | ".join(Relation.values))
    sex: str | None = Field(None, description=" | ".join(Sex.values))
    birth_date: date | None = None
    ethnicity: str | None = None
    education: str | None = Field(None, description=" | ".join(Education.values))
    schooling: str | None = Field(None, description=" | ".join(Schooling.values))
    health: str | None = Field(None, description=" | ".join(Health.values))
    labour_skill: str | None = Field(None, description=" | ".join(LabourSkill.values))
    work_months: Small | None = Field(None, description="0 to 12")
    employment_channel: str | None = Field(None, description=" | ".join(v for v in EmploymentChannel.values if v))
    medical_insured: bool | None = None
    pension_insured: bool | None = None
    phone: str | None = None


class HouseholdMemberIn(PersonIn):
    member: DbId | None = Field(None, description="A current member of another household moving into this new one "
                                                 "(分户): give only member, relation, moved_on and reason")
    moved_on: date | None = None
    reason: str | None = None


class MemberCreate(PersonIn):
    reason: str = ""


class MemberPatch(PersonIn):
    reason: str = ""


class HouseholdFields(Schema):
    number: str | None = Field(None, description="户编号; left out, the village code and a 4-digit sequence")
    household_type: str | None = Field(None, description=" | ".join(HouseholdType.values))
    phone: str | None = None
    address: str | None = None
    land_area: Decimal | None = None
    housing_grade: str | None = Field(None, description="A | B | C | D")
    safe_water: bool | None = None
    sanitary_toilet: bool | None = None
    electricity: bool | None = None


class HouseholdIn(HouseholdFields):
    village: str = Field(description="The village's 12-digit code")
    monitoring_category: str | None = Field(None, description=" | ".join(MonitoringCategory.values))
    risk_status: str | None = Field(None, description=" | ".join(RiskStatus.values))
    members: list[HouseholdMemberIn] = Field(description="Exactly one of them the head")
    reason: str = ""


class HouseholdPatch(HouseholdFields):
    village: str | None = Field(None, description="Another village: the household, its members and records move")
    monitoring_category: str | None = Field(None, description="Changes through the monitoring workflow only")
    risk_status: str | None = Field(None, description="Changes through the monitoring workflow only")
    reason: str = ""


class HeadIn(Schema):
    member: DbId
    former_head_relation: str = Field(description="The former head's relation to the new head")
    reason: str = ""


class MoveIn(Schema):
    to_household: DbId | None = Field(None, description="Left out: the person leaves the registry")
    on: date
    reason: str
    relation: str | None = Field(None, description="Relation to the head of the household moved into")


class MoveResult(Schema):
    former: MemberOut
    new_member: MemberOut | None


class RevealIn(Schema):
    field: str = Field(description="id_number | phone (a household: phone)")
    reason: str = ""


class RevealOut(Schema):
    field: str
    value: str


class IncomeIn(Schema):
    year: Year
    wage: Decimal = Decimal("0")
    production: Decimal = Decimal("0")
    property_income: Decimal = Decimal("0")
    transfer: Decimal = Decimal("0")
    production_cost: Decimal = Decimal("0")
    rigid_medical: Decimal = Decimal("0")
    rigid_education: Decimal = Decimal("0")
    members_counted: Small | None = Field(None, description="Left out: the household's current size")
    reason: str = ""


class ConditionsIn(Schema):
    year: Year
    food_clothing: bool = True
    compulsory_education: bool = True
    basic_medical: bool = True
    housing_grade: str = Field(description="A | B | C | D")
    water_quantity: bool = True
    water_quality: bool = True
    water_convenience: bool = True
    water_reliability: bool = True
    evidence: str = ""
    reason: str = ""


class MonitoringLineOut(Schema):
    id: int
    province_code: str
    county_code: str
    year: int
    amount: Decimal
    income_fall_share: Decimal
    rigid_spending_share: Decimal
    clue_deadline_days: int
    publicity_days: int


class MonitoringLineIn(Schema):
    province_code: str
    county_code: str = ""
    year: Year
    amount: Decimal
    income_fall_share: Decimal | None = None
    rigid_spending_share: Decimal | None = None
    clue_deadline_days: Small | None = None
    publicity_days: Small | None = None
    reason: str = ""


class MonitoringLinePatch(Schema):
    amount: Decimal | None = None
    income_fall_share: Decimal | None = None
    rigid_spending_share: Decimal | None = None
    clue_deadline_days: Small | None = None
    publicity_days: Small | None = None
    reason: str = ""


class ClueOut(Schema):
    id: int
    household: HouseholdRef
    county_code: str
    purpose: str
    source: str
    source_label: str
    candidate_category: str
    reasons: list[Any]
    stage: str
    stage_label: str
    is_open: bool
    opened_on: date
    deadline: date
    publicity_start: date | None
    publicity_end: date | None
    decided_category: str

    @staticmethod
    def resolve_source_label(obj):
        return str(obj.get_source_display())

    @staticmethod
    def resolve_stage_label(obj):
        return str(obj.get_stage_display())

    @staticmethod
    def resolve_reasons(obj):
        return scrub(obj.reasons if isinstance(obj.reasons, list) else [obj.reasons])


class TransitionOut(Schema):
    from_stage: str
    to_stage: str
    actor: str | None
    time: datetime
    reason: str
    attachment: str

    @staticmethod
    def resolve_actor(obj):
        return obj.actor.get_username() if obj.actor_id else None

    @staticmethod
    def resolve_reason(obj):
        return scrub(obj.reason)

    @staticmethod
    def resolve_attachment(obj):
        return obj.attachment.name if obj.attachment else ""


class ClueDetail(ClueOut):
    transitions: list[TransitionOut]

    @staticmethod
    def resolve_transitions(obj):
        return obj.transitions.select_related("actor").order_by("time", "id")


# --- search and filters ---------------------------------------------------------------------------------------------

CODE = re.compile(r"\d{2,12}")
ID_FULL = re.compile(r"\d{17}[\dX]")
ID_SUFFIX = re.compile(r"\d{3,5}[\dX]")
INITIALS = re.compile(r"[A-Za-z]{1,20}")
NUMBER = re.compile(r"(?=.*\d)[0-9A-Za-z-]{7,30}")


def member_q(q: str) -> Q:
    """One search box: a whole ID number, its last 4-6 characters, pinyin initials (zsf → 张三丰), a household number
    (7 characters or more), or else part of a name."""
    text = plain(q)
    ident = normalise_id(text)
    if ID_FULL.fullmatch(ident):
        return Q(id_number=ident)
    if ID_SUFFIX.fullmatch(ident):
        return Q(id_number__endswith=ident)
    if INITIALS.fullmatch(text):
        return Q(name_initials__startswith=text.lower())
    if NUMBER.fullmatch(text):
        return Q(household__number__startswith=text.upper())
    return Q(name__contains=text)


def household_q(q: str) -> Q:
    """A household by its number, or by any of its current members as `member_q` finds them."""
    text = plain(q)
    if NUMBER.fullmatch(text) and not ID_FULL.fullmatch(normalise_id(text)):
        return Q(number__startswith=text.upper())
    people = Member.objects.filter(member_q(text), household=OuterRef("pk"), active=True)
    return Q(Exists(people))


def in_region(user, qs, region: str | None):
    """Rows in a region's subtree; a region the caller cannot see gives no rows."""
    if not region:
        return qs
    if not CODE.fullmatch(region.strip()):
        return qs.none()
    found = Region.objects.visible_to(user).filter(code=region.strip()).values_list("path", flat=True).first()
    return qs.filter(region_path__startswith=found) if found else qs.none()


def choice_param(param: str, field: str, value: str | None, choices):
    if not value:
        return None
    errors = Errors()
    code = choice(errors, field, value, choices)
    if errors:
        invalid(param, errors.by_field[field][0])
    return code


def _household(user, household_id: int) -> Household:
    """The household if the user can see it, else 404; whether he may change it is the service's question (403)."""
    return get_object_or_404(Household.objects.visible_to(user).select_related("village"), pk=household_id)


def _member(user, member_id: int) -> Member:
    return get_object_or_404(Member.objects.visible_to(user).select_related("household"), pk=member_id)


def _detail(household: Household) -> Household:
    """The household with what its page embeds: members (current and former), recent income and conditions, moves."""
    order = {relation: i for i, relation in enumerate(Relation.values)}
    people = sorted(household.members.order_by("birth_date", "pk"), key=lambda m: order.get(m.relation, len(order)))
    household.members_current = [m for m in people if m.active]
    household.former = [m for m in people if not m.active]
    household.recent_incomes = list(household.incomes.order_by("-year")[:EMBEDDED_YEARS])
    household.recent_conditions = list(household.conditions.order_by("-year")[:EMBEDDED_YEARS])
    household.move_list = list(MemberMove.objects.filter(Q(from_household=household) | Q(to_household=household))
                               .select_related("member").order_by("moved_on", "pk"))
    return household


# --- households -----------------------------------------------------------------------------------------------------

@households.get("", response=list[HouseholdOut])
@paginate(Pages)
def list_households(request, region: str | None = None, type: str | None = None, category: str | None = None,
                    risk: str | None = None, q: str | None = None):
    """`region` covers its subtree; `type` (lifted | ordinary), `category` (unstable | marginal | sudden) and `risk`
    (none | monitored | eliminated) also take the Chinese names; `q` searches numbers, names, pinyin initials and ID
    number suffixes."""
    qs = in_region(request.user, Household.objects.visible_to(request.user), region)
    if kind := choice_param("type", "household_type", type, HouseholdType):
        qs = qs.filter(household_type=kind)
    if category := choice_param("category", "monitoring_category", category, MonitoringCategory):
        qs = qs.filter(monitoring_category=category)
    if risk := choice_param("risk", "risk_status", risk, RiskStatus):
        qs = qs.filter(risk_status=risk)
    if q and q.strip():
        qs = qs.filter(household_q(q))
    return qs.select_related("village").order_by("pk")


@households.get("/{int:household_id}", response=HouseholdDetail)
def household_detail(request, household_id: int):
    return _detail(_household(request.user, household_id))


@households.post("", response={201: HouseholdDetail})
def create_household(request, payload: HouseholdIn):
    data = payload.dict(exclude_unset=True)
    village, reason = data.pop("village"), data.pop("reason", "")
    people = data.pop("members")
    household = services.create_household(request.user, village, data, people, reason=reason)
    return 201, _detail(Household.objects.select_related("village").get(pk=household.pk))


@households.patch("/{int:household_id}", response=HouseholdDetail)
def update_household(request, household_id: int, payload: HouseholdPatch):
    household = _household(request.user, household_id)
    changes = payload.dict(exclude_unset=True)
    reason = changes.pop("reason", "")
    services.update_household(request.user, household, changes, reason=reason)
    return _detail(_household(request.user, household_id))


@households.post("/{int:household_id}/head", response=HouseholdDetail)
def change_head(request, household_id: int, payload: HeadIn):
    household = _household(request.user, household_id)
    member = household.members.filter(pk=payload.member, active=True).first()
    if member is None:
        invalid("member", _("Not a current member of this household."))
    services.change_head(request.user, household, member, payload.former_head_relation, payload.reason)
    return _detail(_household(request.user, household_id))


@households.post("/{int:household_id}/members", response={201: MemberOut})
def add_member(request, household_id: int, payload: MemberCreate):
    household = _household(request.user, household_id)
    data = payload.dict(exclude_unset=True)
    reason = data.pop("reason", "")
    return 201, services.add_member(request.user, household, data, reason=reason)


@households.post("/{int:household_id}/reveal", response=RevealOut)
def reveal_household(request, household_id: int, payload: RevealIn):
    household = _household(request.user, household_id)
    return {"field": payload.field, "value": services.reveal(request.user, household, payload.field, payload.reason)}


@households.get("/{int:household_id}/incomes", response=list[IncomeOut])
@paginate(Pages)
def list_incomes(request, household_id: int):
    return Income.objects.visible_to(request.user).filter(household=_household(request.user, household_id)) \
        .order_by("-year")


@households.post("/{int:household_id}/incomes", response={201: IncomeOut})
def record_income(request, household_id: int, payload: IncomeIn):
    household = _household(request.user, household_id)
    data = payload.dict()
    year, reason, counted = data.pop("year"), data.pop("reason"), data.pop("members_counted")
    return 201, services.record_income(request.user, household, year, reason=reason, members_counted=counted, **data)


@households.get("/{int:household_id}/conditions", response=list[ConditionsOut])
@paginate(Pages)
def list_conditions(request, household_id: int):
    return Conditions.objects.visible_to(request.user) \
        .filter(household=_household(request.user, household_id)).order_by("-year")


@households.post("/{int:household_id}/conditions", response={201: ConditionsOut})
def record_conditions(request, household_id: int, payload: ConditionsIn):
    household = _household(request.user, household_id)
    data = payload.dict()
    year, reason = data.pop("year"), data.pop("reason")
    return 201, services.record_conditions(request.user, household, year, data, reason=reason)


# --- members --------------------------------------------------------------------------------------------------------

@members.get("", response=list[MemberOut])
@paginate(Pages)
def list_members(request, region: str | None = None, q: str | None = None, household: DbId | None = None,
                 include_former: bool = False):
    """Current members (`include_former=true`: also the rows kept for people who left). `region` covers its subtree;
    `q` searches names, pinyin initials (zsf), ID number suffixes (last 4-6) and household numbers."""
    qs = in_region(request.user, Member.objects.visible_to(request.user), region)
    if not include_former:
        qs = qs.filter(active=True)
    if household is not None:
        qs = qs.filter(household_id=household)
    if q and q.strip():
        qs = qs.filter(member_q(q))
    return qs.select_related("household").order_by("pk")


@members.get("/{int:member_id}", response=MemberOut)
def member_detail(request, member_id: int):
    return _member(request.user, member_id)


@members.patch("/{int:member_id}", response=MemberOut)
def update_member(request, member_id: int, payload: MemberPatch):
    member = _member(request.user, member_id)
    changes = payload.dict(exclude_unset=True)
    reason = changes.pop("reason", "")
    return services.update_member(request.user, member, changes, reason=reason)


@members.post("/{int:member_id}/move", response=MoveResult)
def move_member(request, member_id: int, payload: MoveIn):
    member = _member(request.user, member_id)
    target = None
    if payload.to_household is not None:
        target = resolve_in_scope(request.user, Household, "to_household",
                                  _("Unknown household (or outside your scope)."), pk=payload.to_household)
    new = services.move_member(request.user, member, target, payload.on, payload.reason, payload.relation)
    former = _member(request.user, member_id)
    if new is not None:
        new = Member.objects.select_related("household").get(pk=new.pk)
    return {"former": former, "new_member": new}


@members.post("/{int:member_id}/reveal", response=RevealOut)
def reveal_member(request, member_id: int, payload: RevealIn):
    member = _member(request.user, member_id)
    return {"field": payload.field, "value": services.reveal(request.user, member, payload.field, payload.reason)}


# --- monitoring lines -----------------------------------------------------------------------------------------------

@monitoring_lines.get("", response=list[MonitoringLineOut])
@paginate(Pages)
def list_monitoring_lines(request, province: str | None = None, county: str | None = None, year: Year | None = None):
    qs = MonitoringLine.objects.visible_to(request.user)
    for field, value in (("province_code", province), ("county_code", county)):
        if value is not None and value.strip():
            qs = qs.filter(**{field: value.strip()}) if CODE.fullmatch(value.strip()) else qs.none()
        elif value is not None and field == "county_code":
            qs = qs.filter(county_code="")  # county= (empty): the provinces' own lines
    if year is not None:
        qs = qs.filter(year=year)
    return qs.order_by("-year", "province_code", "county_code")


@monitoring_lines.get("/{int:line_id}", response=MonitoringLineOut)
def monitoring_line_detail(request, line_id: int):
    return get_object_or_404(MonitoringLine.objects.visible_to(request.user), pk=line_id)


@monitoring_lines.post("", response={201: MonitoringLineOut})
def create_monitoring_line(request, payload: MonitoringLineIn):
    data = payload.dict(exclude_none=True)
    reason = data.pop("reason", "")
    return 201, services.save_monitoring_line(request.user, data, reason=reason)


@monitoring_lines.patch("/{int:line_id}", response=MonitoringLineOut)
def update_monitoring_line(request, line_id: int, payload: MonitoringLinePatch):
    line = get_object_or_404(MonitoringLine.objects.visible_to(request.user), pk=line_id)
    data = payload.dict(exclude_unset=True)
    reason = data.pop("reason", "")
    return services.save_monitoring_line(request.user, data, line=line, reason=reason)


# --- clues (read-only here; the transitions are the workflow's) -----------------------------------------------------

@clues.get("", response=list[ClueOut])
@paginate(Pages)
def list_clues(request, region: str | None = None, status: Literal["open", "closed"] | None = None,
               stage: str | None = None, purpose: str | None = None, household: DbId | None = None):
    """Cases of the monitoring workflow in the caller's scope, newest first; `region` covers its subtree."""
    qs = in_region(request.user, Clue.objects.visible_to(request.user), region)
    if status is not None:
        qs = qs.filter(is_open=status == "open")
    if stage := choice_param("stage", "stage", stage, Stage):
        qs = qs.filter(stage=stage)
    if purpose := choice_param("purpose", "purpose", purpose, Purpose):
        qs = qs.filter(purpose=purpose)
    if household is not None:
        qs = qs.filter(household_id=household)
    return qs.select_related("household").order_by("-pk")


@clues.get("/{int:clue_id}", response=ClueDetail)
def clue_detail(request, clue_id: int):
    return get_object_or_404(Clue.objects.visible_to(request.user).select_related("household"), pk=clue_id)


# --- the monitoring workflow ----------------------------------------------------------------------------------------


class CaseIn(Schema):
    household: DbId
    purpose: Literal["identify", "eliminate"] = "identify"
    source: Literal["self_report", "cadre_visit", "department"] = "cadre_visit"
    candidate_category: Literal["", "unstable", "marginal", "sudden"] = ""
    reason: str = Field("", max_length=2000)


class AdvanceIn(Schema):
    stage: str = Field(description=" | ".join(Stage.values))
    reason: str = Field("", max_length=2000)
    category: Literal["", "unstable", "marginal", "sudden"] = Field("", description="On county approval")


class TransitionOut(Schema):
    from_stage: str
    to_stage: str
    actor: str | None
    time: datetime
    reason: str

    @staticmethod
    def resolve_actor(obj):
        return obj.actor.get_username() if obj.actor_id else None

    @staticmethod
    def resolve_reason(obj):
        return scrub(obj.reason)


class CriterionOut(Schema):
    code: str
    text: str
    met: bool


class QueueOut(Schema):
    overdue: list[ClueOut]
    publicity_ending: list[ClueOut]
    without_measure: list[HouseholdRef]
    ready_to_eliminate: list[HouseholdRef]
    counts: dict[str, int]


class PublicityRow(Schema):
    household: str
    name: str
    village: str
    purpose: str
    category: str
    reason: str
    start: date | None = Field(alias="from")
    until: date | None


def _clue(user, clue_id: int) -> Clue:
    return get_object_or_404(Clue.objects.visible_to(user).select_related("household__village"), pk=clue_id)


@clues.post("", response={201: ClueOut})
def open_case(request, payload: CaseIn):
    """A clue from a self-report, a cadre's visit or a department; screening opens its own (`bangfu screen`)."""
    household = _household(request.user, payload.household)
    clue = workflow.open_case(request.user, household, purpose=payload.purpose, source=payload.source,
                              candidate=payload.candidate_category, reason=payload.reason)
    return 201, clue


@clues.post("/{int:clue_id}/advance", response=ClueOut)
def advance(request, clue_id: int, payload: AdvanceIn):
    """One step along the review chain, or `rejected`; a step out of order answers 422 saying what comes next."""
    return workflow.advance(request.user, _clue(request.user, clue_id), payload.stage, reason=payload.reason,
                            category=payload.category)


@clues.get("/{int:clue_id}/transitions", response=list[TransitionOut])
def transitions(request, clue_id: int):
    return _clue(request.user, clue_id).transitions.select_related("actor")


@households.get("/{int:household_id}/elimination-criteria", response=list[CriterionOut])
def elimination_criteria(request, household_id: int):
    return workflow.elimination_criteria(_household(request.user, household_id))


QUEUE_ROWS = 200


@clues.get("/queue/mine", response=QueueOut)
def work_queue(request):
    """What needs doing in the caller's scope (the first 200 of each list, and the full counts)."""
    queue = workflow.work_queue(request.user)
    return {**{name: list(qs[:QUEUE_ROWS]) for name, qs in queue.items()},
            "counts": {name: qs.count() for name, qs in queue.items()}}


@clues.get("/publicity/{village}", response=list[PublicityRow])
def publicity(request, village: str):
    """The village's publicity list (公示名单): no ID numbers, phone numbers or health status."""
    get_object_or_404(Region.objects.visible_to(request.user), code=village)
    return workflow.publicity_list(request.user, village)


class ScreenIn(Schema):
    region: str = Field(description="A county, township or village code in your scope")
    year: int | None = Field(None, ge=2000, le=2100, description="Default: the latest year with income recorded")


@clues.post("/screen", response={202: TaskOut})
def start_screening(request, payload: ScreenIn):
    """Queue a screening of the region (run by `bangfu db_worker`); follow it at /api/v1/tasks/ID."""
    require(request.user, "clue.change")
    region = get_object_or_404(Region.objects.visible_to(request.user), code=payload.region)
    result = screen_region.enqueue(region=region.code, year=payload.year, username=request.user.get_username())
    return 202, task_out(result)


# --- assistance measures and visits ---------------------------------------------------------------------------------

class MeasureOut(Schema):
    id: int
    household: int = Field(alias="household_id")
    kind: str
    kind_label: str
    description: str
    responsible_unit: str
    responsible_person: str
    start: date
    end: date | None
    outcome: str

    @staticmethod
    def resolve_kind_label(obj):
        return str(obj.get_kind_display())

    @staticmethod
    def resolve_description(obj):
        return scrub(obj.description)

    @staticmethod
    def resolve_responsible_unit(obj):
        return scrub(obj.responsible_unit)

    @staticmethod
    def resolve_responsible_person(obj):
        return scrub(obj.responsible_person)

    @staticmethod
    def resolve_outcome(obj):
        return scrub(obj.outcome)


class MeasureIn(Schema):
    kind: str = Field(description=" | ".join(Measure.Kind.values))
    description: str
    responsible_unit: str
    responsible_person: str
    start: date
    end: date | None = None
    outcome: str = ""
    reason: str = ""


class MeasurePatch(Schema):
    kind: str | None = Field(None, description=" | ".join(Measure.Kind.values))
    description: str | None = None
    responsible_unit: str | None = None
    responsible_person: str | None = None
    start: date | None = None
    end: date | None = Field(None, description="Ends the measure (not before its start)")
    outcome: str | None = None
    reason: str = ""


class VisitOut(Schema):
    id: int
    household: int = Field(alias="household_id")
    visited_on: date
    visitor: str
    notes: str

    @staticmethod
    def resolve_visitor(obj):
        return scrub(obj.visitor)

    @staticmethod
    def resolve_notes(obj):
        return scrub(obj.notes)


class VisitIn(Schema):
    visited_on: date = Field(description="Not after today")
    visitor: str
    notes: str
    reason: str = ""


@households.get("/{int:household_id}/measures", response=list[MeasureOut])
@paginate(Pages)
def list_measures(request, household_id: int):
    return Measure.objects.visible_to(request.user).filter(household=_household(request.user, household_id)) \
        .order_by("-start", "-pk")


@households.post("/{int:household_id}/measures", response={201: MeasureOut})
def add_measure(request, household_id: int, payload: MeasureIn):
    """An assistance measure for a monitored household (422 naming `household` for one that is not monitored)."""
    household = _household(request.user, household_id)
    data = payload.dict()
    reason = data.pop("reason")
    return 201, services.add_measure(request.user, household, reason=reason, **data)


@households.patch("/{int:household_id}/measures/{int:measure_id}", response=MeasureOut)
def update_measure(request, household_id: int, measure_id: int, payload: MeasurePatch):
    """Record a measure's outcome, end it, or correct it: only the fields given change."""
    household = _household(request.user, household_id)
    measure = get_object_or_404(Measure.objects.visible_to(request.user).select_related("household"),
                                pk=measure_id, household=household)
    changes = payload.dict(exclude_unset=True)
    reason = changes.pop("reason", "")
    return services.update_measure(request.user, measure, reason=reason, **changes)


@households.get("/{int:household_id}/visits", response=list[VisitOut])
@paginate(Pages)
def list_visits(request, household_id: int):
    return Visit.objects.visible_to(request.user).filter(household=_household(request.user, household_id)) \
        .order_by("-visited_on", "-pk")


@households.post("/{int:household_id}/visits", response={201: VisitOut})
def add_visit(request, household_id: int, payload: VisitIn):
    household = _household(request.user, household_id)
    data = payload.dict()
    reason = data.pop("reason")
    return 201, services.add_visit(request.user, household, reason=reason, **data)


class FeedOut(Schema):
    rows: int
    matched_rows: int
    households: int
    clues_opened: int
    skipped_open: int
    skipped_monitored: int
    invalid: list[dict]
    unknown: list[dict]


@clues.post("/feed", response=FeedOut)
def import_feed(request, kind: Form[str], file: File[UploadedFile]):
    """A department's list (证件号码, 事项, 金额, 日期; xlsx or CSV) becomes clues for the households in the caller's
    scope; invalid and unknown ID numbers come back by row, masked. `kind`: medical, disability, disaster,
    education, civil_affairs, human_resources or other."""
    suffix = Path(file.name or "").suffix.lower()
    if suffix not in (".csv", ".xlsx"):
        invalid("file", _("Send an .xlsx or .csv file."))
    with tempfile.NamedTemporaryFile(suffix=suffix) as saved:
        for chunk in file.chunks():
            saved.write(chunk)
        saved.flush()
        return import_department_feed(saved.name, kind, actor=request.user)
