"""The households API's schemas: what goes in and comes out."""

from datetime import date, datetime
from decimal import Decimal
from typing import Any, Literal

from ninja import Field, Schema

from bangfu.core.api import BirthDated, DbId, MaskedId, MaskedPhone, Scrubbed, Small, Year
from bangfu.core.identity import scrub
from bangfu.households.api.filters import EMBEDDED_YEARS
from bangfu.households.models import (
    Education,
    EmploymentChannel,
    Health,
    HouseholdType,
    IdType,
    LabourSkill,
    Measure,
    MonitoringCategory,
    Relation,
    RiskStatus,
    Schooling,
    Sex,
    Stage,
)
from bangfu.regions.api import RegionRef


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
    phone: MaskedPhone
    address: Scrubbed
    land_area: Decimal
    housing_grade: str
    safe_water: bool
    sanitary_toilet: bool
    electricity: bool

    @staticmethod
    def resolve_household_type_label(obj):
        return str(obj.get_household_type_display())


class MemberOut(BirthDated):
    id: int
    household: int = Field(alias="household_id")
    household_number: str
    name: str
    id_type: str
    id_number: MaskedId
    relation: str
    relation_label: str
    sex: str
    ethnicity: str
    education: str
    schooling: str
    health: str
    labour_skill: str
    work_months: int
    employment_channel: str
    medical_insured: bool
    pension_insured: bool
    phone: MaskedPhone
    active: bool
    left_on: date | None

    @staticmethod
    def resolve_household_number(obj):
        return obj.household.number

    @staticmethod
    def resolve_relation_label(obj):
        return str(obj.get_relation_display())


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
    evidence: Scrubbed
    failures: list[str]

    @staticmethod
    def resolve_failures(obj):
        return obj.failures()


class MoveOut(Schema):
    id: int
    member: int = Field(alias="member_id")
    new_member: int | None = Field(None, alias="new_member_id")
    name: str
    from_household: int = Field(alias="from_household_id")
    to_household: int | None = Field(None, alias="to_household_id")
    moved_on: date
    reason: Scrubbed

    @staticmethod
    def resolve_name(obj):
        return obj.member.name


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
    field: str = Field(description="id_number | phone | birth_date (a household: phone)")
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


class MonitoringLinePatch(Schema):
    amount: Decimal | None = None
    income_fall_share: Decimal | None = None
    rigid_spending_share: Decimal | None = None
    clue_deadline_days: Small | None = None
    publicity_days: Small | None = None
    reason: str = ""


class MonitoringLineIn(MonitoringLinePatch):
    """A new line: its place, year and amount given; the shares and days default as the registry's rules say."""

    province_code: str
    county_code: str = ""
    year: Year
    amount: Decimal


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
    reason: Scrubbed
    attachment: str

    @staticmethod
    def resolve_actor(obj):
        return obj.actor.get_username() if obj.actor_id else None

    @staticmethod
    def resolve_attachment(obj):
        return obj.attachment.name if obj.attachment else ""


class ClueDetail(ClueOut):
    transitions: list[TransitionOut]

    @staticmethod
    def resolve_transitions(obj):
        return obj.transitions.select_related("actor").order_by("time", "id")


class CaseIn(Schema):
    household: DbId
    purpose: Literal["identify", "eliminate"] = "identify"
    source: Literal["self_report", "cadre_visit", "department"] = "cadre_visit"
    candidate_category: Literal["", "unstable", "marginal", "sudden"] = ""
    reason: str = Field("", max_length=2000)


class ClueAdvanceIn(Schema):
    stage: str = Field(description=" | ".join(Stage.values))
    reason: str = Field("", max_length=2000)
    category: Literal["", "unstable", "marginal", "sudden"] = Field("", description="On county approval")


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


class ScreenIn(Schema):
    region: str = Field(description="A county, township or village code in your scope")
    year: int | None = Field(None, ge=2000, le=2100, description="Default: the latest year with income recorded")


class MeasureOut(Schema):
    id: int
    household: int = Field(alias="household_id")
    kind: str
    kind_label: str
    description: Scrubbed
    responsible_unit: Scrubbed
    responsible_person: Scrubbed
    start: date
    end: date | None
    outcome: Scrubbed

    @staticmethod
    def resolve_kind_label(obj):
        return str(obj.get_kind_display())


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
    visitor: Scrubbed
    notes: Scrubbed


class VisitIn(Schema):
    visited_on: date = Field(description="Not after today")
    visitor: str
    notes: str
    reason: str = ""


class FeedOut(Schema):
    rows: int
    matched_rows: int
    households: int
    clues_opened: int
    skipped_open: int
    skipped_monitored: int
    invalid: list[dict]
    unknown: list[dict]
