"""Labour cooperation in the API (`/api/v1/labor/…`): the summary, laborers and their timeline, matching, postings,
job fairs, stations, workshops, public-welfare posts, employment, courses, subsidy claims and the return alerts.

Reads go through `visible_to`; writes through `services`. Phone numbers are masked in every answer.
"""

from datetime import date, datetime
from decimal import Decimal

from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema
from ninja.pagination import paginate

from bangfu.core.pagination import Pages
from bangfu.core.services import invalid, resolve_in_scope
from bangfu.households.models import Member
from bangfu.labor import figures, matching, services
from bangfu.labor.models import (
    Attendance,
    Claim,
    Course,
    Employment,
    Intention,
    JobFair,
    Laborer,
    Posting,
    PublicWelfarePost,
    Recommendation,
    Skill,
    Station,
    Workshop,
    mask_of,
    skills_of,
)
from bangfu.regions.models import Organisation
from bangfu.regions.services import resolve_organisation, resolve_region

router = Router(tags=["labour"])



def _org(user, code: str | None, field: str) -> Organisation | None:
    return resolve_organisation(user, code, field) if code else None


def _limit(limit: int) -> int:
    if not 1 <= limit <= 200:
        invalid("limit", _("A limit between 1 and 200."))
    return limit


def _year(year: int | None) -> int | None:
    if year is not None and not 1990 <= year <= 2100:
        invalid("year", _("A year between 1990 and 2100."))
    return year


def _skills(values) -> int:
    known = set(Skill.values)
    for v in values or ():
        if v not in known:
            invalid("skills", _("Unknown skill %(value)s; one of %(known)s.") % {
                "value": v, "known": ", ".join(str(k) for k in sorted(known))})
    return mask_of(values)


# --- Summary ------------------------------------------------------------------------------------------------------


class SummaryOut(Schema):
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


@router.get("/summary", response=SummaryOut)
def summary(request, helper: str | None = None, recipient: str | None = None,
            year: int | None = None):
    """Distinct people (or events) for a helper's recipient places or a recipient region; cumulative without year,
    else in that year (people employed, in post, in a course that year)."""
    return figures.summary(request.user, helper=helper, recipient=recipient, year=_year(year))


# --- Laborers -----------------------------------------------------------------------------------------------------


class LaborerOut(Schema):
    id: int
    member: int = Field(alias="member_id")
    name: str
    sex: str
    birth_date: date
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
    member: int
    skills: list[int] = []
    training_wishes: list[str] = []
    intention: str = Intention.LOCAL
    phone: str = ""
    station: int | None = None
    on: date | None = None


class BulkIn(Schema):
    region: str = Field(description="Division code: every eligible member under it is registered")
    min_age: int | None = Field(None, ge=0, le=120)
    max_age: int | None = Field(None, ge=0, le=120)
    on: date | None = None


class BulkOut(Schema):
    registered: int


class LaborerPatch(Schema):
    skills: list[int] | None = None
    training_wishes: list[str] | None = None
    intention: str | None = None
    phone: str | None = None
    reason: str = ""


class EventOut(Schema):
    state: str
    from_state: str
    on: date
    time: datetime
    reason: str


def _laborer(user, laborer_id: int) -> Laborer:
    return get_object_or_404(Laborer.objects.visible_to(user), pk=laborer_id)


@router.get("/laborers", response=list[LaborerOut])
@paginate(Pages)
def list_laborers(request, region: str | None = None, state: str | None = None, intention: str | None = None):
    qs = Laborer.objects.visible_to(request.user)
    if region:
        qs = qs.filter(region_path__startswith=resolve_region(request.user, region).path)
    if state:
        qs = qs.filter(state=state)
    if intention:
        qs = qs.filter(intention=intention)
    return qs.order_by("id")


@router.post("/laborers", response={201: LaborerOut})
def register_laborer(request, payload: RegisterIn):
    member = resolve_in_scope(request.user, Member, "member",
                              _("Member %(id)s is unknown or outside your scope.") % {"id": payload.member},
                              pk=payload.member)
    station = None
    if payload.station is not None:
        station = resolve_in_scope(request.user, Station, "station",
                                   _("Unknown station %(id)s.") % {"id": payload.station}, pk=payload.station)
    return 201, services.register(request.user, member, skill_mask=_skills(payload.skills),
                                  training_wishes=payload.training_wishes, intention=payload.intention,
                                  phone=payload.phone, station=station, on=payload.on)


@router.post("/laborers/bulk", response=BulkOut)
def register_in_bulk(request, payload: BulkIn):
    """Register every eligible member under a region (set-based): working age, able to work, not in school."""
    n = services.register_from_registry(request.user, resolve_region(request.user, payload.region), on=payload.on,
                                        min_age=payload.min_age, max_age=payload.max_age)
    return {"registered": n}


@router.get("/laborers/{int:laborer_id}", response=LaborerOut)
def laborer_detail(request, laborer_id: int):
    return _laborer(request.user, laborer_id)


@router.patch("/laborers/{int:laborer_id}", response=LaborerOut)
def update_laborer(request, laborer_id: int, payload: LaborerPatch):
    laborer = _laborer(request.user, laborer_id)
    changes = payload.dict(exclude_unset=True)
    reason = changes.pop("reason", "")
    if "skills" in changes:
        changes["skill_mask"] = _skills(changes.pop("skills"))
    return services.update_laborer(request.user, laborer, reason=reason, **changes)


@router.get("/laborers/{int:laborer_id}/timeline", response=list[EventOut])
def timeline(request, laborer_id: int):
    """Every dated step of the closed loop, oldest first."""
    return list(_laborer(request.user, laborer_id).events.order_by("on", "id"))


class PostingMatchOut(Schema):
    posting: int
    title: str
    employer: str
    place: str
    wage_min: Decimal
    wage_max: Decimal
    score: int
    explanation: str


@router.get("/laborers/{int:laborer_id}/postings", response=list[PostingMatchOut])
def postings_for(request, laborer_id: int, limit: int = 20):
    """Open postings that fit the laborer, best first, each with why."""
    found = matching.postings_for(_laborer(request.user, laborer_id), limit=_limit(limit))
    return [{"posting": m["posting"].pk, "title": m["posting"].title, "employer": m["posting"].employer.name,
             "place": m["posting"].region.name, "wage_min": m["posting"].wage_min, "wage_max": m["posting"].wage_max,
             "score": m["score"], "explanation": m["explanation"]} for m in found]


class RecommendIn(Schema):
    posting: int
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


@router.post("/laborers/{int:laborer_id}/recommend", response={201: RecommendationOut})
def recommend(request, laborer_id: int, payload: RecommendIn):
    laborer = _laborer(request.user, laborer_id)
    posting = Posting.objects.filter(pk=payload.posting).first()
    if posting is None:
        invalid("posting", _("Unknown posting %(id)s.") % {"id": payload.posting})
    return 201, services.recommend(request.user, laborer, posting, on=payload.on)


class EmploymentIn(Schema):
    channel: str
    start: date
    monthly_wage: Decimal = Field(ge=0, max_digits=18, decimal_places=2)
    employer: str | None = Field(None, description="Organisation code, if the employer is recorded as one")
    employer_name: str = ""
    work_region: str | None = None
    place: str | None = None
    end: date | None = None
    workshop: int | None = None
    post: int | None = None
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


@router.post("/laborers/{int:laborer_id}/employments", response={201: EmploymentOut})
def record_employment(request, laborer_id: int, payload: EmploymentIn):
    user = request.user
    laborer = _laborer(user, laborer_id)
    workshop = post = None
    if payload.workshop is not None:
        workshop = resolve_in_scope(user, Workshop, "workshop",
                                    _("Unknown workshop %(id)s.") % {"id": payload.workshop}, pk=payload.workshop)
    if payload.post is not None:
        post = resolve_in_scope(user, PublicWelfarePost, "post",
                                _("Unknown public-welfare post %(id)s.") % {"id": payload.post}, pk=payload.post)
    return 201, services.record_employment(
        user, laborer, start=payload.start, end=payload.end, monthly_wage=payload.monthly_wage,
        channel=payload.channel, place=payload.place, employer=_org(user, payload.employer, "employer"),
        employer_name=payload.employer_name,
        work_region=resolve_region(user, payload.work_region, "work_region") if payload.work_region else None,
        workshop=workshop, post=post, reason=payload.reason)


class DateIn(Schema):
    on: date
    reason: str = ""


@router.post("/laborers/{int:laborer_id}/return", response=LaborerOut)
def return_home(request, laborer_id: int, payload: DateIn):
    """离深返乡: the laborer is back home (a job still open ends that day)."""
    return services.return_home(request.user, _laborer(request.user, laborer_id), payload.on, payload.reason)


@router.post("/laborers/{int:laborer_id}/stable", response=LaborerOut)
def mark_stable(request, laborer_id: int, payload: DateIn):
    laborer = _laborer(request.user, laborer_id)
    services.mark_stable(request.user, laborer, payload.on)
    return laborer


class FollowUpIn(Schema):
    on: date
    notes: str
    offer: bool = False


class FollowUpOut(Schema):
    id: int
    on: date
    notes: str
    offer: bool


@router.post("/laborers/{int:laborer_id}/follow-ups", response={201: FollowUpOut})
def follow_up(request, laborer_id: int, payload: FollowUpIn):
    return 201, services.follow_up(request.user, _laborer(request.user, laborer_id), payload.on, payload.notes,
                                   payload.offer)


@router.get("/alerts", response=list[LaborerOut])
@paginate(Pages)
def alerts(request, days: int | None = None):
    """Laborers home for the configured days (or `days`) with neither work nor a placement offer since."""
    if days is not None and not 0 <= days <= 3650:
        invalid("days", _("Days between 0 and 3650."))
    return services.return_alerts(Laborer.objects.visible_to(request.user), days=days).order_by("returned_on", "id")


@router.get("/employments", response=list[EmploymentOut])
@paginate(Pages)
def list_employments(request, region: str | None = None, channel: str | None = None, place: str | None = None):
    qs = Employment.objects.visible_to(request.user)
    if region:
        qs = qs.filter(region_path__startswith=resolve_region(request.user, region).path)
    if channel:
        qs = qs.filter(channel=channel)
    if place:
        qs = qs.filter(place=place)
    return qs.order_by("id")


class EndIn(Schema):
    end: date
    reason: str = ""


class ReasonIn(Schema):
    reason: str = ""


@router.post("/employments/{int:employment_id}/end", response=EmploymentOut)
def end_employment(request, employment_id: int, payload: EndIn):
    job = get_object_or_404(Employment.objects.visible_to(request.user).select_related("laborer"), pk=employment_id)
    return services.end_employment(request.user, job, payload.end, payload.reason)


# --- Postings and matching ----------------------------------------------------------------------------------------


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
    skills: list[int] = []
    min_age: int = Field(16, ge=14, le=100)
    max_age: int = Field(60, ge=14, le=100)
    requirements: str = ""
    job_fair: int | None = None


@router.get("/postings", response=list[PostingOut])
@paginate(Pages)
def list_postings(request, region: str | None = None, open: bool | None = None):
    qs = Posting.objects.visible_to(request.user).select_related("employer__region", "region")
    if region:
        qs = qs.filter(region_path__startswith=resolve_region(request.user, region).path)
    if open is not None:
        qs = qs.filter(open=open)
    return qs.order_by("id")


@router.post("/postings", response={201: PostingOut})
def create_posting(request, payload: PostingIn):
    user = request.user
    fair = None
    if payload.job_fair is not None:
        fair = resolve_in_scope(user, JobFair, "job_fair", _("Unknown job fair %(id)s.") % {"id": payload.job_fair},
                                pk=payload.job_fair)
    return 201, services.create_posting(
        user, employer=resolve_organisation(user, payload.employer, "employer"), title=payload.title,
        region=resolve_region(user, payload.region), wage_min=payload.wage_min, wage_max=payload.wage_max,
        openings=payload.openings, skill_mask=_skills(payload.skills), min_age=payload.min_age,
        max_age=payload.max_age, requirements=payload.requirements, job_fair=fair)


def _posting(user, posting_id: int) -> Posting:
    return get_object_or_404(Posting.objects.visible_to(user).select_related("employer__region", "region"),
                             pk=posting_id)


@router.get("/postings/{int:posting_id}", response=PostingOut)
def posting_detail(request, posting_id: int):
    return _posting(request.user, posting_id)


class LaborerMatchOut(Schema):
    laborer: int
    name: str
    village: str
    intention: str
    skills: list[int]
    score: int
    explanation: str


@router.get("/postings/{int:posting_id}/laborers", response=list[LaborerMatchOut])
def laborers_for(request, posting_id: int, limit: int = 20):
    """Laborers in the caller's scope that fit the posting, best first, each with why."""
    found = matching.laborers_for(request.user, _posting(request.user, posting_id), limit=_limit(limit))
    return [{"laborer": m["laborer"].pk, "name": m["laborer"].name,
             "village": m["laborer"].region_path.strip("/").split("/")[-1], "intention": m["laborer"].intention,
             "skills": skills_of(m["laborer"].skill_mask), "score": m["score"], "explanation": m["explanation"]}
            for m in found]


@router.post("/postings/{int:posting_id}/close", response=PostingOut)
def close_posting(request, posting_id: int, payload: ReasonIn):
    return services.close_posting(request.user, _posting(request.user, posting_id), payload.reason)


class DecideIn(Schema):
    on: date
    hired: bool | None = Field(None, description="Omit to record an interview; true to hire, false to decline")
    monthly_wage: Decimal | None = Field(None, ge=0, max_digits=18, decimal_places=2)


@router.post("/recommendations/{int:recommendation_id}/outcome", response=RecommendationOut)
def outcome(request, recommendation_id: int, payload: DecideIn):
    """Record what came of a recommendation: an interview (no `hired`), a hire (true: employment starts) or not."""
    rec = get_object_or_404(Recommendation.objects.visible_to(request.user).select_related("laborer", "posting"),
                            pk=recommendation_id)
    if payload.hired is None:
        return services.interview(request.user, rec, payload.on)
    return services.decide(request.user, rec, payload.hired, payload.on, payload.monthly_wage)


# --- Job fairs, stations, workshops, posts, courses ---------------------------------------------------------------


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
    attendees: int = Field(0, ge=0)
    employers: int = Field(0, ge=0)
    agreements: int = Field(0, ge=0)


@router.get("/job-fairs", response=list[JobFairOut])
@paginate(Pages)
def list_job_fairs(request, region: str | None = None, year: int | None = None):
    qs = JobFair.objects.visible_to(request.user).select_related("organiser")
    if region:
        qs = qs.filter(region_path__startswith=resolve_region(request.user, region).path)
    if year:
        qs = qs.filter(held_on__year=year)
    return qs.order_by("id")


@router.post("/job-fairs", response={201: JobFairOut})
def create_job_fair(request, payload: JobFairIn):
    user = request.user
    return 201, services.create_job_fair(user, name=payload.name, held_on=payload.held_on,
                                         region=resolve_region(user, payload.region),
                                         organiser=_org(user, payload.organiser, "organiser"),
                                         attendees=payload.attendees, employers=payload.employers,
                                         agreements=payload.agreements)


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


@router.get("/stations", response=list[StationOut])
@paginate(Pages)
def list_stations(request):
    return Station.objects.visible_to(request.user).select_related("organisation").prefetch_related(
        "staff").order_by("id")


@router.post("/stations", response={201: StationOut})
def create_station(request, payload: StationIn):
    user = request.user
    return 201, services.create_station(
        user, name=payload.name, region=resolve_region(user, payload.region),
        organisation=_org(user, payload.organisation, "organisation"),
        serves=resolve_region(user, payload.serves, "serves") if payload.serves else None, address=payload.address,
        phone=payload.phone)


@router.post("/stations/{int:station_id}/staff", response={201: StationOut})
def add_staff(request, station_id: int, payload: StaffIn):
    station = get_object_or_404(Station.objects.visible_to(request.user), pk=station_id)
    services.add_staff(request.user, station, name=payload.name, role=payload.role, phone=payload.phone)
    return 201, station


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


@router.get("/workshops", response=list[WorkshopOut])
@paginate(Pages)
def list_workshops(request):
    return Workshop.objects.visible_to(request.user).order_by("id")


@router.post("/workshops", response={201: WorkshopOut})
def create_workshop(request, payload: WorkshopIn):
    if payload.kind not in Workshop.Kind.values:
        invalid("kind", _("Unknown workshop kind %(value)s.") % {"value": payload.kind})
    return 201, services.create_workshop(request.user, name=payload.name, kind=payload.kind,
                                         region=resolve_region(request.user, payload.region), operator=payload.operator)


@router.post("/workshops/{int:workshop_id}/recognise", response=WorkshopOut)
def recognise_workshop(request, workshop_id: int, payload: DateIn):
    workshop = get_object_or_404(Workshop.objects.visible_to(request.user), pk=workshop_id)
    return services.recognise_workshop(request.user, workshop, payload.on)


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


@router.get("/public-welfare-posts", response=list[PostOut])
@paginate(Pages)
def list_posts(request, region: str | None = None):
    qs = PublicWelfarePost.objects.visible_to(request.user)
    if region:
        qs = qs.filter(region_path__startswith=resolve_region(request.user, region).path)
    return qs.order_by("id")


@router.post("/public-welfare-posts", response={201: PostOut})
def create_post(request, payload: PostIn):
    return 201, services.create_post(request.user, name=payload.name,
                                     region=resolve_region(request.user, payload.region),
                                     monthly_pay=payload.monthly_pay, created_on=payload.created_on)


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
    laborer: int
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


@router.get("/courses", response=list[CourseOut])
@paginate(Pages)
def list_courses(request):
    return Course.objects.visible_to(request.user).order_by("id")


@router.post("/courses", response={201: CourseOut})
def create_course(request, payload: CourseIn):
    user = request.user
    return 201, services.create_course(user, name=payload.name, kind=payload.kind,
                                       region=resolve_region(user, payload.region), start=payload.start,
                                       end=payload.end,
                                       organiser=_org(user, payload.organiser, "organiser"), hours=payload.hours)


@router.post("/courses/{int:course_id}/attendance", response={201: AttendanceOut})
def attend(request, course_id: int, payload: AttendanceIn):
    course = get_object_or_404(Course.objects.visible_to(request.user), pk=course_id)
    laborer = resolve_in_scope(request.user, Laborer, "laborer",
                               _("Laborer %(id)s is unknown or outside your scope.") % {"id": payload.laborer},
                               pk=payload.laborer)
    return 201, services.attend(request.user, course, laborer, payload.completed, payload.certificate,
                                payload.certified_on)


@router.get("/courses/{int:course_id}/attendance", response=list[AttendanceOut])
def course_attendance(request, course_id: int):
    course = get_object_or_404(Course.objects.visible_to(request.user), pk=course_id)
    return list(Attendance.objects.visible_to(request.user).filter(course=course).order_by("id"))


# --- Subsidy claims -----------------------------------------------------------------------------------------------


class LineIn(Schema):
    laborer: int
    month: str = Field(pattern=r"^\d{4}-(0[1-9]|1[0-2])$", description="YYYY-MM")


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


class AdvanceIn(Schema):
    status: str
    reason: str = ""
    on: date | None = None


@router.get("/claims", response=list[ClaimOut])
@paginate(Pages)
def list_claims(request, status: str | None = None):
    qs = Claim.objects.visible_to(request.user).select_related("employer").prefetch_related("lines")
    if status:
        qs = qs.filter(status=status)
    return qs.order_by("id")


@router.post("/claims", response={201: ClaimOut})
def create_claim(request, payload: ClaimIn):
    user = request.user
    ids = {line.laborer for line in payload.lines}
    laborers = Laborer.objects.visible_to(user).in_bulk(ids)
    items = []
    for line in payload.lines:
        if line.laborer not in laborers:
            invalid("lines", _("Laborer %(id)s is unknown or outside your scope.") % {"id": line.laborer})
        year, month = (int(part) for part in line.month.split("-"))
        items.append((laborers[line.laborer], date(year, month, 1)))
    return 201, services.create_claim(user, kind=payload.kind, items=items,
                                      employer=_org(user, payload.employer, "employer"),
                                      submitted_on=payload.submitted_on, notes=payload.notes)


def _claim(user, claim_id: int) -> Claim:
    return get_object_or_404(Claim.objects.visible_to(user).select_related("employer"), pk=claim_id)


@router.get("/claims/{int:claim_id}", response=ClaimOut)
def claim_detail(request, claim_id: int):
    return _claim(request.user, claim_id)


@router.post("/claims/{int:claim_id}/advance", response=ClaimOut)
def advance_claim(request, claim_id: int, payload: AdvanceIn):
    """Move a claim along its chain: reviewed → approved → paid, or rejected (which releases its months)."""
    return services.advance_claim(request.user, _claim(request.user, claim_id), payload.status, payload.reason,
                                  payload.on or timezone.localdate())
