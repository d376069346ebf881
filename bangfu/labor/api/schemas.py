"""The labor API's schemas: what goes in and comes out."""

from datetime import date, datetime
from decimal import Decimal

from ninja import Field, Schema

from bangfu.core.api import BirthDated, DbId, Month, Quantity, Scrubbed, Small
from bangfu.labor import services
from bangfu.labor.models import (
    Intention,
    Workshop,
    skills_of,
)


class LaborSummaryOut(Schema):
    registered: int
    employed: int
    employed_in_helper_city: int
    stable: int
    returned: int
    public_welfare_posts: int
    public_welfare_workers: int
    job_fairs: int
    trainees: int
    people_sent: int


class LaborerOut(BirthDated):
    id: int
    member: int = Field(alias="member_id")
    name: str
    sex: str
    county_code: str
    village: str
    lifted: bool
    skills: list[int]
    training_wishes: list[str]
    intention: str
    phone: str
    station: int | None = Field(None, alias="station_id")
    registered_on: date
    state: str
    state_on: date
    returned_on: date | None

    @staticmethod
    def resolve_village(obj):
        return obj.region_path.strip("/").split("/")[-1]

    @staticmethod
    def resolve_skills(obj):
        return skills_of(obj.skill_mask)

    @staticmethod
    def resolve_phone(obj):
        return services.masked_phone(obj)


class RegisterIn(Schema):
    member: DbId
    skills: list[Small] = []
    training_wishes: list[str] = []
    intention: str = Intention.LOCAL
    phone: str = ""
    station: DbId | None = None
    on: date | None = None


class BulkIn(Schema):
    region: str = Field(description="Division code: every eligible member under it is registered")
    min_age: int | None = Field(None, ge=0, le=120)
    max_age: int | None = Field(None, ge=0, le=120)
    on: date | None = None


class BulkOut(Schema):
    registered: int


class LaborerPatch(Schema):
    skills: list[Small] = None
    training_wishes: list[str] = None
    intention: str = None
    phone: str = None
    reason: str = ""


class EventOut(Schema):
    state: str
    from_state: str
    on: date
    time: datetime
    reason: Scrubbed


class PostingMatchOut(Schema):
    posting: int
    title: str
    employer: str
    place: str
    wage_min: Decimal
    wage_max: Decimal
    score: int
    explanation: str


class RecommendIn(Schema):
    posting: DbId
    on: date | None = None


class RecommendationOut(Schema):
    id: int
    laborer: int = Field(alias="laborer_id")
    posting: int = Field(alias="posting_id")
    score: int
    explanation: str
    status: str
    recommended_on: date
    interviewed_on: date | None
    decided_on: date | None


class EmploymentIn(Schema):
    channel: str
    start: date
    monthly_wage: Decimal = Field(ge=0, max_digits=18, decimal_places=2)
    employer: str | None = Field(None, description="Organisation code, if the employer is recorded as one")
    employer_name: str = ""
    work_region: str | None = None
    place: str | None = None
    end: date | None = None
    workshop: DbId | None = None
    post: DbId | None = None
    reason: str = ""


class EmploymentOut(Schema):
    id: int
    laborer: int = Field(alias="laborer_id")
    employer: str = Field(alias="employer_name")
    place: str
    channel: str
    start: date
    end: date | None
    monthly_wage: Decimal
    workshop: int | None = Field(None, alias="workshop_id")
    post: int | None = Field(None, alias="post_id")


class DateIn(Schema):
    on: date
    reason: str = ""


class FollowUpIn(Schema):
    on: date
    notes: str
    offer: bool = False


class FollowUpOut(Schema):
    id: int
    on: date
    notes: Scrubbed
    offer: bool


class EmploymentEndIn(Schema):
    end: date
    reason: str = ""


class ReasonIn(Schema):
    reason: str = ""


class PostingOut(Schema):
    id: int
    title: str
    employer: str
    employer_code: str
    region: str = Field(alias="region_id")
    place: str
    in_helper_city: bool
    wage_min: Decimal
    wage_max: Decimal
    openings: int
    skills: list[int]
    min_age: int
    max_age: int
    requirements: str
    job_fair: int | None = Field(None, alias="job_fair_id")
    posted_on: date
    open: bool

    @staticmethod
    def resolve_employer(obj):
        return obj.employer.name

    @staticmethod
    def resolve_employer_code(obj):
        return obj.employer.code

    @staticmethod
    def resolve_place(obj):
        return obj.region.name

    @staticmethod
    def resolve_skills(obj):
        return skills_of(obj.skill_mask)


class PostingIn(Schema):
    employer: str
    title: str
    region: str
    wage_min: Decimal = Field(ge=0, max_digits=18, decimal_places=2)
    wage_max: Decimal = Field(ge=0, max_digits=18, decimal_places=2)
    openings: int = Field(ge=1, le=100000)
    skills: list[Small] = []
    min_age: int = Field(16, ge=14, le=100)
    max_age: int = Field(60, ge=14, le=100)
    requirements: str = ""
    job_fair: DbId | None = None


class LaborerMatchOut(Schema):
    laborer: int
    name: str
    village: str
    intention: str
    skills: list[int]
    score: int
    explanation: str


class DecideIn(Schema):
    on: date
    hired: bool | None = Field(None, description="Omit to record an interview; true to hire, false to decline")
    monthly_wage: Decimal | None = Field(None, ge=0, max_digits=18, decimal_places=2)


class JobFairOut(Schema):
    id: int
    name: str
    held_on: date
    region: str = Field(alias="region_id")
    organiser: str | None
    attendees: int
    employers: int
    agreements: int

    @staticmethod
    def resolve_organiser(obj):
        return obj.organiser.name if obj.organiser_id else None


class JobFairIn(Schema):
    name: str
    held_on: date
    region: str
    organiser: str | None = None
    attendees: Quantity = 0
    employers: Quantity = 0
    agreements: Quantity = 0


class StaffOut(Schema):
    name: str
    role: str
    phone: str

    @staticmethod
    def resolve_phone(obj):
        from bangfu.core.identity import mask_phone

        return mask_phone(obj.phone) if obj.phone else ""


class StationOut(Schema):
    id: int
    name: str
    region: str = Field(alias="region_id")
    organisation: str | None
    address: str
    staff: list[StaffOut]

    @staticmethod
    def resolve_organisation(obj):
        return obj.organisation.name if obj.organisation_id else None

    @staticmethod
    def resolve_staff(obj):
        return list(obj.staff.all())


class StationIn(Schema):
    name: str
    region: str
    organisation: str | None = None
    serves: str | None = None
    address: str = ""
    phone: str = ""


class StaffIn(Schema):
    name: str
    role: str
    phone: str = ""


class WorkshopOut(Schema):
    id: int
    name: str
    kind: str
    region: str = Field(alias="region_id")
    operator: str
    recognised: bool
    recognised_on: date | None


class WorkshopIn(Schema):
    name: str
    region: str
    kind: str = Workshop.Kind.WORKSHOP
    operator: str = ""


class PostOut(Schema):
    id: int
    name: str
    region: str = Field(alias="region_id")
    monthly_pay: Decimal
    created_on: date


class PostIn(Schema):
    name: str
    region: str
    monthly_pay: Decimal = Field(gt=0, max_digits=18, decimal_places=2)
    created_on: date | None = None


class CourseOut(Schema):
    id: int
    name: str
    kind: str
    region: str = Field(alias="region_id")
    start: date
    end: date
    hours: int


class CourseIn(Schema):
    name: str
    kind: str
    region: str
    start: date
    end: date
    organiser: str | None = None
    hours: int = Field(0, ge=0, le=10000)


class AttendanceIn(Schema):
    laborer: DbId
    completed: bool = False
    certificate: str = ""
    certified_on: date | None = None


class AttendanceOut(Schema):
    id: int
    course: int = Field(alias="course_id")
    laborer: int = Field(alias="laborer_id")
    completed: bool
    certificate: str
    certified_on: date | None


class LineIn(Schema):
    laborer: DbId
    month: Month


class ClaimIn(Schema):
    kind: str
    employer: str | None = None
    lines: list[LineIn] = Field(min_length=1, max_length=5000)
    submitted_on: date | None = None
    notes: str = ""


class LineOut(Schema):
    laborer: int = Field(alias="laborer_id")
    month: str
    amount: Decimal

    @staticmethod
    def resolve_month(obj):
        return f"{obj.month:%Y-%m}"


class ClaimOut(Schema):
    id: int
    kind: str
    employer: str | None
    county_code: str
    status: str
    submitted_on: date
    amount: Decimal
    reviewed_by: str
    approved_by: str
    paid_on: date | None
    lines: list[LineOut]

    @staticmethod
    def resolve_employer(obj):
        return obj.employer.name if obj.employer_id else None

    @staticmethod
    def resolve_lines(obj):
        return list(obj.lines.all())


class ClaimAdvanceIn(Schema):
    status: str
    reason: str = ""
    on: date | None = None
