"""The labor API's routes: every read through `visible_to`, every write through the services."""

from datetime import date

from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Router
from ninja.pagination import paginate

from bangfu.core.api import Days, Year
from bangfu.core.pagination import Pages
from bangfu.core.services import invalid, resolve_in_scope
from bangfu.households.models import Member
from bangfu.labor import figures, matching, services
from bangfu.labor.api.filters import (
    MatchLimit,
    get_claim,
    get_laborer,
    get_posting,
    mask_of_skills,
    optional_org,
)
from bangfu.labor.api.schemas import (
    AttendanceIn,
    AttendanceOut,
    BulkIn,
    BulkOut,
    ClaimAdvanceIn,
    ClaimIn,
    ClaimOut,
    CourseIn,
    CourseOut,
    DateIn,
    DecideIn,
    EmploymentEndIn,
    EmploymentIn,
    EmploymentOut,
    EventOut,
    FollowUpIn,
    FollowUpOut,
    JobFairIn,
    JobFairOut,
    LaborerMatchOut,
    LaborerOut,
    LaborerPatch,
    LaborSummaryOut,
    PostIn,
    PostingIn,
    PostingMatchOut,
    PostingOut,
    PostOut,
    ReasonIn,
    RecommendationOut,
    RecommendIn,
    RegisterIn,
    StaffIn,
    StationIn,
    StationOut,
    WorkshopIn,
    WorkshopOut,
)
from bangfu.labor.models import (
    Attendance,
    Claim,
    Course,
    Employment,
    JobFair,
    Laborer,
    Posting,
    PublicWelfarePost,
    Recommendation,
    Station,
    Workshop,
    skills_of,
)
from bangfu.regions.services import resolve_organisation, resolve_region

router = Router(tags=["labour"])


@router.get("/summary", response=LaborSummaryOut)
def summary(request, helper: str | None = None, recipient: str | None = None,
            year: Year | None = None):
    """Distinct people (or events) for a helper's recipient places or a recipient region; cumulative without year,
    else in that year (people employed, in post, in a course that year)."""
    return figures.summary(request.user, helper=helper, recipient=recipient, year=year)


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
    return 201, services.register(request.user, member, skill_mask=mask_of_skills(payload.skills),
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
    return get_laborer(request.user, laborer_id)


@router.patch("/laborers/{int:laborer_id}", response=LaborerOut)
def update_laborer(request, laborer_id: int, payload: LaborerPatch):
    laborer = get_laborer(request.user, laborer_id)
    changes = payload.dict(exclude_unset=True)
    reason = changes.pop("reason", "")
    if "skills" in changes:
        changes["skill_mask"] = mask_of_skills(changes.pop("skills"))
    return services.update_laborer(request.user, laborer, reason=reason, **changes)


@router.get("/laborers/{int:laborer_id}/timeline", response=list[EventOut])
def timeline(request, laborer_id: int):
    """Every dated step of the closed loop, oldest first."""
    return list(get_laborer(request.user, laborer_id).events.order_by("on", "id"))


@router.get("/laborers/{int:laborer_id}/postings", response=list[PostingMatchOut])
def postings_for(request, laborer_id: int, limit: MatchLimit = 20):
    """Open postings that fit the laborer, best first, each with why."""
    found = matching.postings_for(get_laborer(request.user, laborer_id), limit=limit)
    return [{"posting": m["posting"].pk, "title": m["posting"].title, "employer": m["posting"].employer.name,
             "place": m["posting"].region.name, "wage_min": m["posting"].wage_min, "wage_max": m["posting"].wage_max,
             "score": m["score"], "explanation": m["explanation"]} for m in found]


@router.post("/laborers/{int:laborer_id}/recommend", response={201: RecommendationOut})
def recommend(request, laborer_id: int, payload: RecommendIn):
    laborer = get_laborer(request.user, laborer_id)
    posting = Posting.objects.filter(pk=payload.posting).first()
    if posting is None:
        invalid("posting", _("Unknown posting %(id)s.") % {"id": payload.posting})
    return 201, services.recommend(request.user, laborer, posting, on=payload.on)


@router.post("/laborers/{int:laborer_id}/employments", response={201: EmploymentOut})
def record_employment(request, laborer_id: int, payload: EmploymentIn):
    user = request.user
    laborer = get_laborer(user, laborer_id)
    workshop = post = None
    if payload.workshop is not None:
        workshop = resolve_in_scope(user, Workshop, "workshop",
                                    _("Unknown workshop %(id)s.") % {"id": payload.workshop}, pk=payload.workshop)
    if payload.post is not None:
        post = resolve_in_scope(user, PublicWelfarePost, "post",
                                _("Unknown public-welfare post %(id)s.") % {"id": payload.post}, pk=payload.post)
    return 201, services.record_employment(
        user, laborer, start=payload.start, end=payload.end, monthly_wage=payload.monthly_wage,
        channel=payload.channel, place=payload.place, employer=optional_org(user, payload.employer, "employer"),
        employer_name=payload.employer_name,
        work_region=resolve_region(user, payload.work_region, "work_region") if payload.work_region else None,
        workshop=workshop, post=post, reason=payload.reason)


@router.post("/laborers/{int:laborer_id}/return", response=LaborerOut)
def return_home(request, laborer_id: int, payload: DateIn):
    """离深返乡: the laborer is back home (a job still open ends that day)."""
    return services.return_home(request.user, get_laborer(request.user, laborer_id), payload.on, payload.reason)


@router.post("/laborers/{int:laborer_id}/stable", response=LaborerOut)
def mark_stable(request, laborer_id: int, payload: DateIn):
    laborer = get_laborer(request.user, laborer_id)
    services.mark_stable(request.user, laborer, payload.on)
    return laborer


@router.post("/laborers/{int:laborer_id}/follow-ups", response={201: FollowUpOut})
def follow_up(request, laborer_id: int, payload: FollowUpIn):
    return 201, services.follow_up(request.user, get_laborer(request.user, laborer_id), payload.on, payload.notes,
                                   payload.offer)


@router.get("/alerts", response=list[LaborerOut])
@paginate(Pages)
def alerts(request, days: Days | None = None):
    """Laborers home for the configured days (or `days`) with neither work nor a placement offer since."""
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


@router.post("/employments/{int:employment_id}/end", response=EmploymentOut)
def end_employment(request, employment_id: int, payload: EmploymentEndIn):
    job = get_object_or_404(Employment.objects.visible_to(request.user).select_related("laborer"), pk=employment_id)
    return services.end_employment(request.user, job, payload.end, payload.reason)


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
        openings=payload.openings, skill_mask=mask_of_skills(payload.skills), min_age=payload.min_age,
        max_age=payload.max_age, requirements=payload.requirements, job_fair=fair)


@router.get("/postings/{int:posting_id}", response=PostingOut)
def posting_detail(request, posting_id: int):
    return get_posting(request.user, posting_id)


@router.get("/postings/{int:posting_id}/laborers", response=list[LaborerMatchOut])
def laborers_for(request, posting_id: int, limit: MatchLimit = 20):
    """Laborers in the caller's scope that fit the posting, best first, each with why."""
    found = matching.laborers_for(request.user, get_posting(request.user, posting_id), limit=limit)
    return [{"laborer": m["laborer"].pk, "name": m["laborer"].name,
             "village": m["laborer"].region_path.strip("/").split("/")[-1], "intention": m["laborer"].intention,
             "skills": skills_of(m["laborer"].skill_mask), "score": m["score"], "explanation": m["explanation"]}
            for m in found]


@router.post("/postings/{int:posting_id}/close", response=PostingOut)
def close_posting(request, posting_id: int, payload: ReasonIn):
    return services.close_posting(request.user, get_posting(request.user, posting_id), payload.reason)


@router.post("/recommendations/{int:recommendation_id}/outcome", response=RecommendationOut)
def outcome(request, recommendation_id: int, payload: DecideIn):
    """Record what came of a recommendation: an interview (no `hired`), a hire (true: employment starts) or not."""
    rec = get_object_or_404(Recommendation.objects.visible_to(request.user).select_related("laborer", "posting"),
                            pk=recommendation_id)
    if payload.hired is None:
        return services.interview(request.user, rec, payload.on)
    return services.decide(request.user, rec, payload.hired, payload.on, payload.monthly_wage)


@router.get("/job-fairs", response=list[JobFairOut])
@paginate(Pages)
def list_job_fairs(request, region: str | None = None, year: Year | None = None):
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
                                         organiser=optional_org(user, payload.organiser, "organiser"),
                                         attendees=payload.attendees, employers=payload.employers,
                                         agreements=payload.agreements)


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
        organisation=optional_org(user, payload.organisation, "organisation"),
        serves=resolve_region(user, payload.serves, "serves") if payload.serves else None, address=payload.address,
        phone=payload.phone)


@router.post("/stations/{int:station_id}/staff", response={201: StationOut})
def add_staff(request, station_id: int, payload: StaffIn):
    station = get_object_or_404(Station.objects.visible_to(request.user), pk=station_id)
    services.add_staff(request.user, station, name=payload.name, role=payload.role, phone=payload.phone)
    return 201, station


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


@router.get("/courses", response=list[CourseOut])
@paginate(Pages)
def list_courses(request):
    return Course.objects.visible_to(request.user).order_by("id")


@router.post("/courses", response={201: CourseOut})
def create_course(request, payload: CourseIn):
    user = request.user
    return 201, services.create_course(user, name=payload.name, kind=payload.kind,
                                       region=resolve_region(user, payload.region), start=payload.start,
                                       end=payload.end, organiser=optional_org(user, payload.organiser, "organiser"),
                                       hours=payload.hours)


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
                                      employer=optional_org(user, payload.employer, "employer"),
                                      submitted_on=payload.submitted_on, notes=payload.notes)


@router.get("/claims/{int:claim_id}", response=ClaimOut)
def claim_detail(request, claim_id: int):
    return get_claim(request.user, claim_id)


@router.post("/claims/{int:claim_id}/advance", response=ClaimOut)
def advance_claim(request, claim_id: int, payload: ClaimAdvanceIn):
    """Move a claim along its chain: reviewed → approved → paid, or rejected (which releases its months)."""
    return services.advance_claim(request.user, get_claim(request.user, claim_id), payload.status, payload.reason,
                                  payload.on or timezone.localdate())
