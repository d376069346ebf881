"""The households API's routes: every read through `visible_to`, every write through the services."""

import tempfile
from pathlib import Path
from typing import Literal

from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import File, Form, Router, UploadedFile
from ninja.pagination import paginate

from bangfu.core.pagination import Pages
from bangfu.core.services import invalid, require, resolve_in_scope
from bangfu.core.tasks_api import TaskOut, task_out
from bangfu.households import services, workflow
from bangfu.households.api.filters import (
    CODE,
    QUEUE_ROWS,
    check_search,
    choice_param,
    get_clue,
    get_household,
    get_member,
    household_q,
    in_region,
    log_id_search,
    member_q,
    with_detail,
)
from bangfu.households.api.schemas import (
    CaseIn,
    ClueAdvanceIn,
    ClueDetail,
    ClueOut,
    ConditionsIn,
    ConditionsOut,
    CriterionOut,
    DbId,
    FeedOut,
    HeadIn,
    HouseholdDetail,
    HouseholdIn,
    HouseholdOut,
    HouseholdPatch,
    IncomeIn,
    IncomeOut,
    MeasureIn,
    MeasureOut,
    MeasurePatch,
    MemberCreate,
    MemberOut,
    MemberPatch,
    MonitoringLineIn,
    MonitoringLineOut,
    MonitoringLinePatch,
    MoveIn,
    MoveResult,
    PublicityRow,
    QueueOut,
    RevealIn,
    RevealOut,
    ScreenIn,
    TransitionOut,
    VisitIn,
    VisitOut,
    Year,
)
from bangfu.households.models import (
    Clue,
    Conditions,
    Household,
    HouseholdType,
    Income,
    Measure,
    Member,
    MonitoringCategory,
    MonitoringLine,
    Purpose,
    RiskStatus,
    Stage,
    Visit,
)
from bangfu.households.screening import import_department_feed
from bangfu.households.tasks import screen_region
from bangfu.regions.models import Region

households = Router(tags=["households"])


members = Router(tags=["households"])


monitoring_lines = Router(tags=["households"])


clues = Router(tags=["monitoring"])


@households.get("", response=list[HouseholdOut])
@paginate(Pages)
def list_households(request, region: str | None = None, type: str | None = None, category: str | None = None,
                    risk: str | None = None, q: str | None = None):
    """`region` covers its subtree; `type` (lifted | ordinary), `category` (unstable | marginal | sudden) and `risk`
    (none | monitored | eliminated) also take the Chinese names; `q` searches numbers, names, pinyin initials and ID
    number suffixes (the last 4 characters; 5-6, or a full number, only for users who may unmask ID numbers: a
    search by a full number is written to the access log)."""
    qs = in_region(request.user, Household.objects.visible_to(request.user), region)
    if kind := choice_param("type", "household_type", type, HouseholdType):
        qs = qs.filter(household_type=kind)
    if category := choice_param("category", "monitoring_category", category, MonitoringCategory):
        qs = qs.filter(monitoring_category=category)
    if risk := choice_param("risk", "risk_status", risk, RiskStatus):
        qs = qs.filter(risk_status=risk)
    if q and q.strip():
        check_search(request.user, q)
        qs = qs.filter(household_q(q))
        log_id_search(request.user, q, qs)
    return qs.select_related("village").order_by("pk")


@households.get("/{int:household_id}", response=HouseholdDetail)
def household_detail(request, household_id: int):
    return with_detail(get_household(request.user, household_id))


@households.post("", response={201: HouseholdDetail})
def create_household(request, payload: HouseholdIn):
    data = payload.dict(exclude_unset=True)
    village, reason = data.pop("village"), data.pop("reason", "")
    people = data.pop("members")
    household = services.create_household(request.user, village, data, people, reason=reason)
    return 201, with_detail(Household.objects.select_related("village").get(pk=household.pk))


@households.patch("/{int:household_id}", response=HouseholdDetail)
def update_household(request, household_id: int, payload: HouseholdPatch):
    household = get_household(request.user, household_id)
    changes = payload.dict(exclude_unset=True)
    reason = changes.pop("reason", "")
    services.update_household(request.user, household, changes, reason=reason)
    return with_detail(get_household(request.user, household_id))


@households.post("/{int:household_id}/head", response=HouseholdDetail)
def change_head(request, household_id: int, payload: HeadIn):
    household = get_household(request.user, household_id)
    member = household.members.filter(pk=payload.member, active=True).first()
    if member is None:
        invalid("member", _("Not a current member of this household."))
    services.change_head(request.user, household, member, payload.former_head_relation, payload.reason)
    return with_detail(get_household(request.user, household_id))


@households.post("/{int:household_id}/members", response={201: MemberOut})
def add_member(request, household_id: int, payload: MemberCreate):
    household = get_household(request.user, household_id)
    data = payload.dict(exclude_unset=True)
    reason = data.pop("reason", "")
    return 201, services.add_member(request.user, household, data, reason=reason)


@households.post("/{int:household_id}/reveal", response=RevealOut)
def reveal_household(request, household_id: int, payload: RevealIn):
    household = get_household(request.user, household_id)
    return {"field": payload.field, "value": services.reveal(request.user, household, payload.field, payload.reason)}


@households.get("/{int:household_id}/incomes", response=list[IncomeOut])
@paginate(Pages)
def list_incomes(request, household_id: int):
    return Income.objects.visible_to(request.user).filter(household=get_household(request.user, household_id)) \
        .order_by("-year")


@households.post("/{int:household_id}/incomes", response={201: IncomeOut})
def record_income(request, household_id: int, payload: IncomeIn):
    household = get_household(request.user, household_id)
    data = payload.dict()
    year, reason, counted = data.pop("year"), data.pop("reason"), data.pop("members_counted")
    return 201, services.record_income(request.user, household, year, reason=reason, members_counted=counted, **data)


@households.get("/{int:household_id}/conditions", response=list[ConditionsOut])
@paginate(Pages)
def list_conditions(request, household_id: int):
    return Conditions.objects.visible_to(request.user) \
        .filter(household=get_household(request.user, household_id)).order_by("-year")


@households.post("/{int:household_id}/conditions", response={201: ConditionsOut})
def record_conditions(request, household_id: int, payload: ConditionsIn):
    household = get_household(request.user, household_id)
    data = payload.dict()
    year, reason = data.pop("year"), data.pop("reason")
    return 201, services.record_conditions(request.user, household, year, data, reason=reason)


@members.get("", response=list[MemberOut])
@paginate(Pages)
def list_members(request, region: str | None = None, q: str | None = None, household: DbId | None = None,
                 include_former: bool = False):
    """Current members (`include_former=true`: also the rows kept for people who left). `region` covers its subtree;
    `q` searches names, pinyin initials (zsf), ID number suffixes (the last 4; 5-6, or a full number, only for users
    who may unmask ID numbers: a search by a full number is written to the access log) and household numbers."""
    qs = in_region(request.user, Member.objects.visible_to(request.user), region)
    if not include_former:
        qs = qs.filter(active=True)
    if household is not None:
        qs = qs.filter(household_id=household)
    if q and q.strip():
        check_search(request.user, q)
        qs = qs.filter(member_q(q))
        log_id_search(request.user, q, qs)
    return qs.select_related("household").order_by("pk")


@members.get("/{int:member_id}", response=MemberOut)
def member_detail(request, member_id: int):
    return get_member(request.user, member_id)


@members.patch("/{int:member_id}", response=MemberOut)
def update_member(request, member_id: int, payload: MemberPatch):
    member = get_member(request.user, member_id)
    changes = payload.dict(exclude_unset=True)
    reason = changes.pop("reason", "")
    return services.update_member(request.user, member, changes, reason=reason)


@members.post("/{int:member_id}/move", response=MoveResult)
def move_member(request, member_id: int, payload: MoveIn):
    member = get_member(request.user, member_id)
    target = None
    if payload.to_household is not None:
        target = resolve_in_scope(request.user, Household, "to_household",
                                  _("Unknown household (or outside your scope)."), pk=payload.to_household)
    new = services.move_member(request.user, member, target, payload.on, payload.reason, payload.relation)
    former = get_member(request.user, member_id)
    if new is not None:
        new = Member.objects.select_related("household").get(pk=new.pk)
    return {"former": former, "new_member": new}


@members.post("/{int:member_id}/reveal", response=RevealOut)
def reveal_member(request, member_id: int, payload: RevealIn):
    member = get_member(request.user, member_id)
    return {"field": payload.field, "value": services.reveal(request.user, member, payload.field, payload.reason)}


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


@clues.post("", response={201: ClueOut})
def open_case(request, payload: CaseIn):
    """A clue from a self-report, a cadre's visit or a department; screening opens its own (`bangfu screen`)."""
    household = get_household(request.user, payload.household)
    clue = workflow.open_case(request.user, household, purpose=payload.purpose, source=payload.source,
                              candidate=payload.candidate_category, reason=payload.reason)
    return 201, clue


@clues.post("/{int:clue_id}/advance", response=ClueOut)
def advance(request, clue_id: int, payload: ClueAdvanceIn):
    """One step along the review chain, or `rejected`; a step out of order answers 422 saying what comes next."""
    return workflow.advance(request.user, get_clue(request.user, clue_id), payload.stage, reason=payload.reason,
                            category=payload.category)


@clues.get("/{int:clue_id}/transitions", response=list[TransitionOut])
def transitions(request, clue_id: int):
    return get_clue(request.user, clue_id).transitions.select_related("actor")


@households.get("/{int:household_id}/elimination-criteria", response=list[CriterionOut])
def elimination_criteria(request, household_id: int):
    return workflow.elimination_criteria(get_household(request.user, household_id))


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


@clues.post("/screen", response={202: TaskOut})
def start_screening(request, payload: ScreenIn):
    """Queue a screening of the region (run by `bangfu db_worker`); follow it at /api/v1/tasks/ID."""
    require(request.user, "clue.change")
    region = get_object_or_404(Region.objects.visible_to(request.user), code=payload.region)
    result = screen_region.enqueue(region=region.code, year=payload.year, username=request.user.get_username())
    return 202, task_out(result)


@households.get("/{int:household_id}/measures", response=list[MeasureOut])
@paginate(Pages)
def list_measures(request, household_id: int):
    return Measure.objects.visible_to(request.user).filter(household=get_household(request.user, household_id)) \
        .order_by("-start", "-pk")


@households.post("/{int:household_id}/measures", response={201: MeasureOut})
def add_measure(request, household_id: int, payload: MeasureIn):
    """An assistance measure for a monitored household (422 naming `household` for one that is not monitored)."""
    household = get_household(request.user, household_id)
    data = payload.dict()
    reason = data.pop("reason")
    return 201, services.add_measure(request.user, household, reason=reason, **data)


@households.patch("/{int:household_id}/measures/{int:measure_id}", response=MeasureOut)
def update_measure(request, household_id: int, measure_id: int, payload: MeasurePatch):
    """Record a measure's outcome, end it, or correct it: only the fields given change."""
    household = get_household(request.user, household_id)
    measure = get_object_or_404(Measure.objects.visible_to(request.user).select_related("household"),
                                pk=measure_id, household=household)
    changes = payload.dict(exclude_unset=True)
    reason = changes.pop("reason", "")
    return services.update_measure(request.user, measure, reason=reason, **changes)


@households.get("/{int:household_id}/visits", response=list[VisitOut])
@paginate(Pages)
def list_visits(request, household_id: int):
    return Visit.objects.visible_to(request.user).filter(household=get_household(request.user, household_id)) \
        .order_by("-visited_on", "-pk")


@households.post("/{int:household_id}/visits", response={201: VisitOut})
def add_visit(request, household_id: int, payload: VisitIn):
    household = get_household(request.user, household_id)
    data = payload.dict()
    reason = data.pop("reason")
    return 201, services.add_visit(request.user, household, reason=reason, **data)


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
