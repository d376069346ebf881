"""Every state change of labour cooperation: who may, what is refused and why, and the change log.

The closed loop (registered → recommended → employed → stable → left → returned → re-placed) moves only through
`_move`, which refuses a step out of order or dated before the last one and writes the dated event and its change-log
entry in the same transaction.
"""

from datetime import date, timedelta
from decimal import Decimal

from django.conf import settings
from django.db import IntegrityError, connection, transaction
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from bangfu.core import audit
from bangfu.core.identity import mask_phone
from bangfu.core.roles import HELPER_ROLES, RECIPIENT_ROLES, Role
from bangfu.core.rules import OWN_ORG, OWN_REGION, PAIRED, require_may, rule
from bangfu.core.scope import scope_of
from bangfu.core.services import invalid, validate
from bangfu.households.models import HouseholdType, LabourSkill, Member, Schooling
from bangfu.labor.matching import age_on, explain, years_before
from bangfu.labor.models import (
    NEXT_STATES,
    WORKING,
    Attendance,
    Channel,
    Claim,
    ClaimLine,
    Course,
    Employment,
    Event,
    FollowUp,
    Intention,
    JobFair,
    Laborer,
    Place,
    Posting,
    PublicWelfarePost,
    Recommendation,
    State,
    Station,
    StationStaff,
    Workshop,
    whole_months,
)
from bangfu.regions.models import Level, Organisation, Region, Side

# The approval chain of subsidy claims: who may move a claim into each status.
SUBSIDY_ROLES = {
    "reviewed": {Role.COUNTY, Role.TOWNSHIP},
    "approved": {Role.COUNTY, Role.COORDINATION},
    "paid": {Role.COUNTY, Role.COORDINATION},
    "rejected": {Role.COUNTY, Role.TOWNSHIP, Role.COORDINATION},
}

BOTH_SIDES = HELPER_ROLES | RECIPIENT_ROLES
# Who may (core.rules). Both sides record (the helper side its employers, postings, fairs and transfers): a laborer's
# loop by his place's side and the helpers of his place; a posting or station by its organisation's side or its
# place's; a workshop is recognised and a public-welfare post set up by the recipient side; each step of a claim by
# the roles above.
RULES = {
    "labor.record": rule(gettext_lazy("record labour cooperation"), BOTH_SIDES),
    "laborer.change": rule(gettext_lazy("record a laborer's work"), BOTH_SIDES, OWN_REGION, PAIRED),
    "posting.change": rule(gettext_lazy("close a posting"), BOTH_SIDES, OWN_ORG, OWN_REGION),
    "station.change": rule(gettext_lazy("change a labour service station"), BOTH_SIDES, OWN_ORG, OWN_REGION),
    "workshop.recognise": rule(gettext_lazy("recognise a workshop"), {Role.COUNTY}, OWN_REGION),
    "post.create": rule(gettext_lazy("set up a public-welfare post"), RECIPIENT_ROLES),
    "subsidy.claim": rule(gettext_lazy("claim a subsidy"), BOTH_SIDES),
    **{f"claim.{status}": rule(gettext_lazy("move a subsidy claim on"), roles, OWN_REGION, OWN_ORG, PAIRED)
       for status, roles in SUBSIDY_ROLES.items()},
}

ABLE = (LabourSkill.SKILLED, LabourSkill.ORDINARY, LabourSkill.WEAK)


def _today() -> date:
    return timezone.localdate()


def _not_future(field: str, day: date):
    if day > _today():
        invalid(field, _("%(day)s is in the future.") % {"day": day})


def _region_in_scope(actor, region: Region, field: str = "region"):
    if not scope_of(actor).covers_region_path(region.path):
        invalid(field, _("%(region)s is outside your scope.") % {"region": region.name})


# --- The closed loop --------------------------------------------------------------------------------------------


def _move(actor, laborer: Laborer, state: str, on: date, reason: str = "") -> Event:
    """Move a laborer to `state` on `on`, or refuse a step out of order."""
    current = laborer.state if laborer.pk else ""
    if state not in NEXT_STATES.get(current, set()):
        invalid("state", _("%(name)s cannot go from “%(current)s” to “%(state)s”; next may come: %(allowed)s.") % {
            "name": laborer.name, "current": State(current).label if current else _("not registered"),
            "state": State(state).label,
            "allowed": "、".join(str(State(s).label) for s in sorted(NEXT_STATES.get(current, ()))) or "—"})
    if laborer.pk and on < laborer.state_on:
        invalid("on", _("%(on)s is before the last step of %(name)s (%(last)s on %(day)s).") % {
            "on": on, "name": laborer.name, "last": State(laborer.state).label, "day": laborer.state_on})
    _not_future("on", on)
    before = audit.snapshot(laborer) if laborer.pk else None
    laborer.state, laborer.state_on = state, on
    if state == State.RETURNED:
        laborer.returned_on = on
    laborer.save()
    event = Event.objects.create(laborer=laborer, county_code=laborer.county_code, region_path=laborer.region_path,
                                 from_state=current, state=state, on=on,
                                 actor=actor if actor is not None and actor.is_authenticated else None,
                                 reason=reason[:300])
    audit.record(actor, "update" if before else "create", laborer, before=before, after=audit.snapshot(laborer),
                 reason=reason or str(State(state).label))
    return event


def eligibility(member: Member, on: date) -> str | None:
    """Why a member cannot be registered as a laborer (None: he can)."""
    if not member.active:
        return _("%(name)s is no longer a current member of a household.") % {"name": member.name}
    age = age_on(member.birth_date, on)
    if not settings.LABOR_MIN_AGE <= age <= settings.LABOR_MAX_AGE:
        return _("%(name)s is %(age)s; laborers are %(min)s to %(max)s.") % {
            "name": member.name, "age": age, "min": settings.LABOR_MIN_AGE, "max": settings.LABOR_MAX_AGE}
    if member.labour_skill not in ABLE:
        return _("%(name)s has no labour capacity (%(skill)s).") % {
            "name": member.name, "skill": member.get_labour_skill_display()}
    if member.schooling != Schooling.NONE:
        return _("%(name)s is in school (%(schooling)s).") % {
            "name": member.name, "schooling": member.get_schooling_display()}
    return None


@transaction.atomic
def register(actor, member: Member, *, skill_mask: int = 0, training_wishes=(), intention: str = Intention.LOCAL,
             phone: str = "", station: Station | None = None, on: date | None = None) -> Laborer:
    require_may(actor, "labor.record")
    if not Member.objects.visible_to(actor, "view").filter(pk=member.pk).exists() or \
            not scope_of(actor).covers_region_path(member.region_path):
        invalid("member", _("Member %(id)s is unknown or outside your scope.") % {"id": member.pk})
    on = on or _today()
    why = eligibility(member, on)
    if why:
        invalid("member", why)
    if Laborer.objects.filter(member=member).exists():
        invalid("member", _("%(name)s is registered already.") % {"name": member.name})
    if intention not in Intention.values:
        invalid("intention", _("Unknown job intention %(value)s.") % {"value": intention})
    household = member.household
    laborer = Laborer(member=member, county_code=member.county_code, region_path=member.region_path,
                      province_code=member.region_path[:6], name=member.name, sex=member.sex,
                      birth_date=member.birth_date, lifted=household.household_type == HouseholdType.LIFTED
                      or bool(household.monitoring_category), skill_mask=skill_mask,
                      training_wishes=list(training_wishes), intention=intention, phone=phone or member.phone,
                      station=station, registered_on=on, state_on=on)
    _move(actor, laborer, State.REGISTERED, on, _("registered"))
    return laborer


INTENTION_FROM_CHANNEL = f"""CASE m.employment_channel WHEN 'out_of_province' THEN '{Intention.OUT_OF_PROVINCE}'
    WHEN 'in_province' THEN '{Intention.IN_PROVINCE}' ELSE '{Intention.LOCAL}' END"""


@transaction.atomic
def register_from_registry(actor, region: Region, on: date | None = None, min_age: int | None = None,
                           max_age: int | None = None, skills=ABLE, reason: str = "") -> int:
    """Register, in one set-based statement, every current member under `region` who meets the rule (age, labour
    capacity, not in school) and is not registered yet; their intention follows their current work (outside the
    province, in the province, else local). Returns how many were registered; one change-log entry says so."""
    require_may(actor, "labor.record")
    if not scope_of(actor).covers_region_path(region.path):
        invalid("region", _("%(region)s is outside your scope.") % {"region": region.name})
    on = on or _today()
    _not_future("on", on)
    min_age = settings.LABOR_MIN_AGE if min_age is None else min_age
    max_age = settings.LABOR_MAX_AGE if max_age is None else max_age
    if min_age > max_age:
        invalid("min_age", _("The minimum age %(min)s is above the maximum %(max)s.") % {
            "min": min_age, "max": max_age})
    skills = [s for s in skills if s in ABLE]
    if not skills:
        invalid("skills", _("Choose at least one labour capacity."))
    n = bulk_register(actor, region.path, on, min_age, max_age, skills, reason)
    if n:
        audit.record(actor, "create", region, reason=_("%(n)s laborers registered from the household registry "
                                                       "(ages %(min)s–%(max)s).") % {
            "n": n, "min": min_age, "max": max_age})
    return n


def bulk_register(actor, path: str, on: date, min_age: int, max_age: int, skills, reason: str) -> int:
    """The set-based registration (two INSERT … SELECT: laborers, then their first event); no checks."""
    laborer_t, member_t = Laborer._meta.db_table, Member._meta.db_table
    household_t = Member._meta.get_field("household").related_model._meta.db_table
    event_t = Event._meta.db_table
    placeholders = ", ".join(["%s"] * len(skills))
    lifted = "(h.household_type = 'lifted' OR h.monitoring_category <> '')"
    actor_id = actor.pk if actor is not None and actor.is_authenticated else None
    with connection.cursor() as cursor:
        cursor.execute(f"""
            INSERT INTO {laborer_t} (member_id, county_code, region_path, province_code, name, sex, birth_date,
                lifted, skill_mask, training_wishes, intention, phone, station_id, registered_on, state, state_on,
                returned_on)
            SELECT m.id, m.county_code, m.region_path, SUBSTR(m.region_path, 1, 6), m.name, m.sex, m.birth_date,
                {lifted}, 0, '[]', {INTENTION_FROM_CHANNEL}, m.phone, NULL, %s, 'registered', %s, NULL
            FROM {member_t} m JOIN {household_t} h ON h.id = m.household_id
            WHERE m.active AND m.region_path LIKE %s AND m.birth_date > %s AND m.birth_date <= %s
              AND m.labour_skill IN ({placeholders}) AND m.schooling = 'none'
              AND NOT EXISTS (SELECT 1 FROM {laborer_t} l WHERE l.member_id = m.id)
        """, [on.isoformat(), on.isoformat(), path + "%", years_before(on, max_age + 1).isoformat(),
              years_before(on, min_age).isoformat(), *skills])
        n = cursor.rowcount
        cursor.execute(f"""
            INSERT INTO {event_t} (laborer_id, county_code, region_path, from_state, state, "on", actor_id, time,
                reason)
            SELECT l.id, l.county_code, l.region_path, '', 'registered', l.registered_on, %s, %s, %s
            FROM {laborer_t} l
            WHERE l.region_path LIKE %s AND NOT EXISTS (SELECT 1 FROM {event_t} e WHERE e.laborer_id = l.id)
        """, [actor_id, connection.ops.adapt_datetimefield_value(timezone.now()),
              (reason or "bulk registration")[:300], path + "%"])
    return n


@transaction.atomic
def update_laborer(actor, laborer: Laborer, reason: str = "", **changes) -> Laborer:
    require_may(actor, "laborer.change", laborer)
    before = audit.snapshot(laborer)
    allowed = {"skill_mask", "training_wishes", "intention", "phone", "station"}
    for field, value in changes.items():
        if field not in allowed:
            invalid(field, _("%(field)s cannot be changed here.") % {"field": field})
        setattr(laborer, field, value)
    if laborer.intention not in Intention.values:
        invalid("intention", _("Unknown job intention %(value)s.") % {"value": laborer.intention})
    laborer.save()
    audit.record(actor, "update", laborer, before=before, after=audit.snapshot(laborer), reason=reason)
    return laborer


def masked_phone(laborer: Laborer) -> str:
    return mask_phone(laborer.phone) if laborer.phone else ""


# --- Matching, recommendations, interviews, hires -----------------------------------------------------------------


@transaction.atomic
def recommend(actor, laborer: Laborer, posting: Posting, on: date | None = None) -> Recommendation:
    require_may(actor, "laborer.change", laborer)
    on = on or _today()
    _not_future("on", on)
    if not posting.open or posting.openings <= 0:
        invalid("posting", _("Posting %(posting)s is closed.") % {"posting": posting})
    if Recommendation.objects.filter(laborer=laborer, posting=posting).exists():
        invalid("posting", _("%(posting)s was recommended to %(name)s already.") % {
            "posting": posting, "name": laborer.name})
    why = explain(laborer, posting, on)
    rec = Recommendation.objects.create(laborer=laborer, posting=posting, county_code=laborer.county_code,
                                        region_path=laborer.region_path, score=why["score"],
                                        explanation=why["explanation"][:300], recommended_on=on)
    audit.record(actor, "create", rec, after=audit.snapshot(rec))
    if laborer.state == State.REGISTERED:
        _move(actor, laborer, State.RECOMMENDED, on, _("recommended for %(posting)s") % {"posting": posting})
    return rec


@transaction.atomic
def interview(actor, rec: Recommendation, on: date) -> Recommendation:
    require_may(actor, "laborer.change", rec.laborer)
    if rec.status != Recommendation.Status.RECOMMENDED:
        invalid("status", _("This recommendation is %(status)s already.") % {"status": rec.get_status_display()})
    if on < rec.recommended_on:
        invalid("on", _("The interview (%(on)s) cannot precede the recommendation (%(rec)s).") % {
            "on": on, "rec": rec.recommended_on})
    _not_future("on", on)
    before = audit.snapshot(rec)
    rec.status, rec.interviewed_on = Recommendation.Status.INTERVIEWED, on
    rec.save()
    audit.record(actor, "update", rec, before=before, after=audit.snapshot(rec), reason=_("interviewed"))
    return rec


@transaction.atomic
def decide(actor, rec: Recommendation, hired: bool, on: date, monthly_wage: Decimal | None = None) -> Recommendation:
    require_may(actor, "laborer.change", rec.laborer)
    if rec.status in (Recommendation.Status.HIRED, Recommendation.Status.DECLINED):
        invalid("status", _("This recommendation is %(status)s already.") % {"status": rec.get_status_display()})
    if on < rec.recommended_on:
        invalid("on", _("The decision (%(on)s) cannot precede the recommendation (%(rec)s).") % {
            "on": on, "rec": rec.recommended_on})
    before = audit.snapshot(rec)
    rec.status = Recommendation.Status.HIRED if hired else Recommendation.Status.DECLINED
    rec.decided_on = on
    rec.save()
    audit.record(actor, "update", rec, before=before, after=audit.snapshot(rec), reason=rec.get_status_display())
    if hired:
        posting = rec.posting
        record_employment(actor, rec.laborer, employer=posting.employer, posting=posting,
                          place=place_of(rec.laborer, posting.region, posting.in_helper_city),
                          work_region=posting.region, channel=Channel.ORGANISED, start=on,
                          monthly_wage=monthly_wage if monthly_wage is not None else posting.wage_min)
    return rec


def helper_city(region: Region) -> bool:
    """Is the region in a helper city (a prefecture whose government acts on the helper side)?"""
    codes = region.path.strip("/").split("/")
    return Organisation.objects.filter(side=Side.HELPER, represents_region=True, region_id__in=codes,
                                       region__level=Level.PREFECTURE).exists()


def place_of(laborer: Laborer, region: Region | None, in_helper_city: bool | None = None) -> str:
    """Where a job in `region` is, from the laborer's home county."""
    if region is None:
        return Place.COUNTY
    if in_helper_city is None:
        in_helper_city = helper_city(region)
    if in_helper_city:
        return Place.HELPER_CITY
    if region.path.startswith(laborer.region_path[:20]) and region.county_code == laborer.county_code:
        return Place.COUNTY
    if region.province_code == laborer.province_code:
        return Place.IN_PROVINCE
    return Place.OUT_OF_PROVINCE


# --- Employment -------------------------------------------------------------------------------------------------


def _overlapping(laborer: Laborer, start: date, end: date | None, exclude=None):
    qs = Employment.objects.filter(laborer=laborer).filter(Q(end__isnull=True) | Q(end__gte=start))
    if end is not None:
        qs = qs.filter(start__lte=end)
    return qs.exclude(pk=exclude) if exclude else qs


def _check_post(laborer: Laborer, post: PublicWelfarePost, start: date, end: date | None):
    """A public-welfare post: for 脱贫人口 or monitored people of its county, one holder at a time."""
    if not laborer.lifted:
        invalid("post", _("%(name)s is neither of a household lifted out of poverty nor monitored: public-welfare "
                          "posts are for them.") % {"name": laborer.name})
    if post.county_code != laborer.county_code:
        invalid("post", _("%(post)s is in another county than %(name)s's home.") % {
            "post": post.name, "name": laborer.name})
    holders = Employment.objects.filter(post=post).filter(Q(end__isnull=True) | Q(end__gte=start))
    if end is not None:
        holders = holders.filter(start__lte=end)
    holder = holders.select_related("laborer").first()
    if holder:
        invalid("post", _("%(post)s is held by %(name)s from %(start)s.") % {
            "post": post.name, "name": holder.laborer.name, "start": holder.start})


@transaction.atomic
def record_employment(actor, laborer: Laborer, *, start: date, monthly_wage, channel: str, place: str | None = None,
                      employer: Organisation | None = None, employer_name: str = "", work_region: Region | None = None,
                      end: date | None = None, posting: Posting | None = None, workshop: Workshop | None = None,
                      post: PublicWelfarePost | None = None, reason: str = "") -> Employment:
    """A laborer starts a job: the loop moves to employed (or re-placed after a return home)."""
    require_may(actor, "laborer.change", laborer)
    _not_future("start", start)
    if end is not None and end < start:
        invalid("end", _("The end %(end)s is before the start %(start)s.") % {"end": end, "start": start})
    if monthly_wage is None or Decimal(monthly_wage) < 0:
        invalid("monthly_wage", _("The monthly wage must be zero or more."))
    if channel not in Channel.values:
        invalid("channel", _("Unknown channel %(value)s.") % {"value": channel})
    if channel == Channel.WORKSHOP:
        if workshop is None:
            invalid("workshop", _("A job through a workshop names the workshop."))
        if workshop.county_code != laborer.county_code:
            invalid("workshop", _("%(workshop)s is not in %(name)s's home county.") % {
                "workshop": workshop.name, "name": laborer.name})
        place, employer_name, work_region = Place.COUNTY, employer_name or workshop.name, workshop.region
    if channel == Channel.PUBLIC_WELFARE:
        if post is None:
            invalid("post", _("A public-welfare job names the post."))
        _check_post(laborer, post, start, end)
        place, employer_name, work_region = Place.COUNTY, employer_name or post.name, post.region
    if employer is not None:
        employer_name = employer_name or employer.name
    if not employer_name:
        invalid("employer", _("Name the employer."))
    if place is None:
        place = place_of(laborer, work_region)
    if place not in Place.values:
        invalid("place", _("Unknown place %(value)s.") % {"value": place})
    clash = _overlapping(laborer, start, end).first()
    if clash:
        local_only = {Channel.WORKSHOP, Channel.PUBLIC_WELFARE}
        if (channel in local_only and clash.place != Place.COUNTY) or \
                (clash.channel in local_only and place != Place.COUNTY):
            invalid("channel", _("%(name)s works outside the county (%(employer)s from %(start)s): someone working "
                                 "outside the county holds no public-welfare post or workshop job.") % {
                "name": laborer.name, "employer": clash.employer_name, "start": clash.start})
        invalid("start", _("%(name)s is in work at %(employer)s from %(start)s; end that job first.") % {
            "name": laborer.name, "employer": clash.employer_name, "start": clash.start})
    after_return = laborer.state == State.RETURNED
    employment = Employment(
        laborer=laborer, county_code=laborer.county_code, region_path=laborer.region_path, employer=employer,
        employer_name=employer_name[:200], org_path=employer.path if employer else "", posting=posting,
        workshop=workshop, post=post, place=place, work_region=work_region, channel=channel, start=start, end=end,
        months=whole_months(start, end) if end else None, monthly_wage=Decimal(monthly_wage))
    validate(employment, exclude=["laborer"])
    employment.save()
    audit.record(actor, "create", employment, after=audit.snapshot(employment), reason=reason)
    _move(actor, laborer, State.REPLACED if after_return else State.EMPLOYED, start,
          reason or _("employed by %(employer)s") % {"employer": employer_name})
    if end is not None:
        _close(actor, laborer, employment, end, reason)
    return employment


def _close(actor, laborer, employment, end, reason):
    months = whole_months(employment.start, end)
    if months >= settings.LABOR_STABLE_MONTHS and laborer.state in (State.EMPLOYED, State.REPLACED):
        stable_on = _add_months(employment.start, settings.LABOR_STABLE_MONTHS)
        _move(actor, laborer, State.STABLE, max(stable_on, laborer.state_on),
              _("%(n)s months in work") % {"n": settings.LABOR_STABLE_MONTHS})
    _move(actor, laborer, State.LEFT, end, reason or _("left %(employer)s") % {"employer": employment.employer_name})


def _add_months(day: date, months: int) -> date:
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    for d in (day.day, 30, 29, 28):
        try:
            return date(year, month, d)
        except ValueError:
            continue
    raise ValueError(day)


@transaction.atomic
def end_employment(actor, employment: Employment, end: date, reason: str = "") -> Employment:
    laborer = employment.laborer
    require_may(actor, "laborer.change", laborer)
    if employment.end is not None:
        invalid("end", _("This job ended on %(end)s already.") % {"end": employment.end})
    if end < employment.start:
        invalid("end", _("The end %(end)s is before the start %(start)s.") % {"end": end, "start": employment.start})
    _not_future("end", end)
    before = audit.snapshot(employment)
    employment.end, employment.months = end, whole_months(employment.start, end)
    employment.save()
    audit.record(actor, "update", employment, before=before, after=audit.snapshot(employment), reason=reason)
    if laborer.state in WORKING:
        _close(actor, laborer, employment, end, reason)
    return employment


@transaction.atomic
def mark_stable(actor, laborer: Laborer, on: date | None = None) -> Event:
    """The laborer has been in his current job for the configured months: the loop records stable employment."""
    require_may(actor, "laborer.change", laborer)
    on = on or _today()
    job = Employment.objects.filter(laborer=laborer, end__isnull=True).order_by("-start").first()
    if job is None or whole_months(job.start, on) < settings.LABOR_STABLE_MONTHS:
        invalid("state", _("%(name)s has not been in one job for %(n)s months.") % {
            "name": laborer.name, "n": settings.LABOR_STABLE_MONTHS})
    return _move(actor, laborer, State.STABLE, on, _("%(n)s months in work") % {"n": settings.LABOR_STABLE_MONTHS})


def stable_q(today: date | None = None, prefix: str = "") -> Q:
    """Employments that are stable: ended after at least the configured months, or open since at least then."""
    today = today or timezone.localdate()
    n = settings.LABOR_STABLE_MONTHS
    cutoff = _add_months(today, -n) if n else today
    return Q(**{f"{prefix}end__isnull": True, f"{prefix}start__lte": cutoff}) | Q(**{f"{prefix}months__gte": n})


# --- Return home and re-placement -------------------------------------------------------------------------------


@transaction.atomic
def return_home(actor, laborer: Laborer, on: date, reason: str = "") -> Laborer:
    """离深返乡: the laborer has come home; a job still open ends that day."""
    require_may(actor, "laborer.change", laborer)
    job = Employment.objects.filter(laborer=laborer, end__isnull=True).first()
    if job is not None:
        end_employment(actor, job, on, reason or _("returned home"))
        laborer.refresh_from_db()
    _move(actor, laborer, State.RETURNED, on, reason or _("returned home"))
    return laborer


@transaction.atomic
def follow_up(actor, laborer: Laborer, on: date, notes: str, offer: bool = False) -> FollowUp:
    require_may(actor, "laborer.change", laborer)
    _not_future("on", on)
    if not notes.strip():
        invalid("notes", _("Say what the follow-up found."))
    item = FollowUp.objects.create(laborer=laborer, county_code=laborer.county_code, region_path=laborer.region_path,
                                   on=on, notes=notes[:300], offer=offer,
                                   actor=actor if actor is not None and actor.is_authenticated else None)
    audit.record(actor, "create", item, after=audit.snapshot(item))
    return item


def return_alerts(queryset, today: date | None = None, days: int | None = None):
    """Laborers home for at least `days` (the setting) with neither work nor a placement offer since their return:
    no job (they would be re-placed), no recommendation, no follow-up that offered a placement."""
    today = today or timezone.localdate()
    days = settings.LABOR_RETURN_ALERT_DAYS if days is None else days
    from django.db.models import Exists, OuterRef

    offers = FollowUp.objects.filter(laborer=OuterRef("pk"), offer=True, on__gte=OuterRef("returned_on"))
    recs = Recommendation.objects.filter(laborer=OuterRef("pk"), recommended_on__gte=OuterRef("returned_on"))
    return queryset.filter(state=State.RETURNED, returned_on__lte=today - timedelta(days=days)).exclude(
        Exists(offers)).exclude(Exists(recs))


# --- Places, events and offers ----------------------------------------------------------------------------------


def _place_fields(obj, region: Region, organisation: Organisation | None = None):
    obj.region, obj.region_path = region, region.path
    if hasattr(obj, "county_code"):
        obj.county_code = region.county_code or ""
    if organisation is not None and hasattr(obj, "org_path"):
        obj.org_path = organisation.path


def _may_place(actor, region: Region, organisation: Organisation | None, field="region"):
    scope = scope_of(actor)
    if scope.covers_region_path(region.path):
        return
    if organisation is not None and scope.covers_org_path(organisation.path):
        return
    invalid(field, _("%(region)s is outside your scope, and so is the organisation.") % {"region": region.name})


@transaction.atomic
def create_posting(actor, *, employer: Organisation, title: str, region: Region, wage_min, wage_max, openings: int,
                   skill_mask: int = 0, min_age: int = 16, max_age: int = 60, requirements: str = "",
                   job_fair: JobFair | None = None, posted_on: date | None = None) -> Posting:
    require_may(actor, "labor.record")
    _may_place(actor, region, employer, "employer")
    if not title.strip():
        invalid("title", _("A posting needs a title."))
    if Decimal(wage_min) < 0 or Decimal(wage_max) < Decimal(wage_min):
        invalid("wage_max", _("The wage range %(min)s–%(max)s is not a range.") % {"min": wage_min, "max": wage_max})
    if openings < 1:
        invalid("openings", _("A posting has at least one opening."))
    if min_age > max_age:
        invalid("max_age", _("The age range %(min)s–%(max)s is not a range.") % {"min": min_age, "max": max_age})
    posting = Posting(employer=employer, org_path=employer.path, title=title.strip(), region=region,
                      region_path=region.path, county_code=region.county_code or "",
                      province_code=region.province_code, in_helper_city=helper_city(region),
                      wage_min=Decimal(wage_min), wage_max=Decimal(wage_max), openings=openings,
                      skill_mask=skill_mask, min_age=min_age, max_age=max_age, requirements=requirements,
                      job_fair=job_fair, posted_on=posted_on or _today())
    validate(posting)
    posting.save()
    audit.record(actor, "create", posting, after=audit.snapshot(posting))
    return posting


@transaction.atomic
def close_posting(actor, posting: Posting, reason: str = "") -> Posting:
    require_may(actor, "posting.change", posting)
    before = audit.snapshot(posting)
    posting.open = False
    posting.save()
    audit.record(actor, "update", posting, before=before, after=audit.snapshot(posting), reason=reason)
    return posting


@transaction.atomic
def create_job_fair(actor, *, name: str, held_on: date, region: Region, organiser: Organisation | None = None,
                    attendees: int = 0, employers: int = 0, agreements: int = 0) -> JobFair:
    require_may(actor, "labor.record")
    _may_place(actor, region, organiser)
    if not name.strip():
        invalid("name", _("A job fair needs a name."))
    if min(attendees, employers, agreements) < 0:
        invalid("attendees", _("Counts cannot be negative."))
    fair = JobFair(name=name.strip(), held_on=held_on, organiser=organiser, attendees=attendees,
                   employers=employers, agreements=agreements)
    _place_fields(fair, region, organiser)
    fair.save()
    audit.record(actor, "create", fair, after=audit.snapshot(fair))
    return fair


@transaction.atomic
def create_station(actor, *, name: str, region: Region, organisation: Organisation | None = None,
                   serves: Region | None = None, address: str = "", phone: str = "") -> Station:
    require_may(actor, "labor.record")
    _may_place(actor, region, organisation)
    if not name.strip():
        invalid("name", _("A station needs a name."))
    station = Station(name=name.strip(), organisation=organisation, serves=serves, address=address, phone=phone)
    _place_fields(station, region, organisation)
    station.save()
    audit.record(actor, "create", station, after=audit.snapshot(station))
    return station


@transaction.atomic
def add_staff(actor, station: Station, *, name: str, role: str, phone: str = "") -> StationStaff:
    require_may(actor, "station.change", station)
    if not name.strip() or not role.strip():
        invalid("name", _("Staff have a name and a role."))
    staff = StationStaff.objects.create(station=station, name=name.strip(), role=role.strip(), phone=phone)
    audit.record(actor, "update", station, reason=_("staff added: %(name)s") % {"name": staff.name})
    return staff


@transaction.atomic
def create_workshop(actor, *, name: str, region: Region, kind: str = Workshop.Kind.WORKSHOP,
                    operator: str = "") -> Workshop:
    require_may(actor, "labor.record")
    _region_in_scope(actor, region)
    if not region.county_code:
        invalid("region", _("A workshop lies in a county (or a township or village of one)."))
    workshop = Workshop(name=name.strip(), kind=kind, operator=operator)
    _place_fields(workshop, region)
    validate(workshop)
    workshop.save()
    audit.record(actor, "create", workshop, after=audit.snapshot(workshop))
    return workshop


def poor_employees(workshop: Workshop, on: date | None = None) -> int:
    on = on or _today()
    return Employment.objects.filter(workshop=workshop, laborer__lifted=True, start__lte=on).filter(
        Q(end__isnull=True) | Q(end__gte=on)).values("laborer").distinct().count()


@transaction.atomic
def recognise_workshop(actor, workshop: Workshop, on: date | None = None) -> Workshop:
    """A workshop is recognised (认定) only while it employs at least the configured number of 脱贫人口."""
    require_may(actor, "workshop.recognise", workshop)
    on = on or _today()
    n, needed = poor_employees(workshop, on), settings.LABOR_WORKSHOP_MIN_POOR
    if n < needed:
        invalid("recognised", _("%(name)s employs %(n)s people lifted out of poverty; a workshop needs at least "
                                "%(needed)s.") % {"name": workshop.name, "n": n, "needed": needed})
    before = audit.snapshot(workshop)
    workshop.recognised, workshop.recognised_on = True, on
    workshop.save()
    audit.record(actor, "update", workshop, before=before, after=audit.snapshot(workshop), reason=_("recognised"))
    return workshop


@transaction.atomic
def create_post(actor, *, name: str, region: Region, monthly_pay, created_on: date | None = None) -> PublicWelfarePost:
    require_may(actor, "post.create")
    _region_in_scope(actor, region)
    if not region.county_code:
        invalid("region", _("A public-welfare post lies in a county, township or village."))
    if Decimal(monthly_pay) <= 0:
        invalid("monthly_pay", _("The monthly pay must be more than zero."))
    post = PublicWelfarePost(name=name.strip(), monthly_pay=Decimal(monthly_pay), created_on=created_on or _today())
    _place_fields(post, region)
    post.save()
    audit.record(actor, "create", post, after=audit.snapshot(post))
    return post


# --- Training ---------------------------------------------------------------------------------------------------


@transaction.atomic
def create_course(actor, *, name: str, kind: str, region: Region, start: date, end: date,
                  organiser: Organisation | None = None, hours: int = 0) -> Course:
    require_may(actor, "labor.record")
    _may_place(actor, region, organiser)
    if kind not in Course.Kind.values:
        invalid("kind", _("Unknown course kind %(value)s.") % {"value": kind})
    if end < start:
        invalid("end", _("The end %(end)s is before the start %(start)s.") % {"end": end, "start": start})
    course = Course(name=name.strip(), kind=kind, start=start, end=end, organiser=organiser, hours=hours)
    _place_fields(course, region, organiser)
    course.save()
    audit.record(actor, "create", course, after=audit.snapshot(course))
    return course


@transaction.atomic
def attend(actor, course: Course, laborer: Laborer, completed: bool = False, certificate: str = "",
           certified_on: date | None = None) -> Attendance:
    require_may(actor, "laborer.change", laborer)
    if Attendance.objects.filter(course=course, laborer=laborer).exists():
        invalid("laborer", _("%(name)s attends %(course)s already.") % {"name": laborer.name, "course": course})
    if certificate and not completed:
        invalid("certificate", _("A certificate comes with a completed course."))
    if certified_on and certified_on < course.start:
        invalid("certified_on", _("The certificate predates the course."))
    item = Attendance.objects.create(course=course, laborer=laborer, county_code=laborer.county_code,
                                     region_path=laborer.region_path, completed=completed, certificate=certificate,
                                     certified_on=certified_on or (course.end if certificate else None))
    audit.record(actor, "create", item, after=audit.snapshot(item))
    return item


# --- Subsidies --------------------------------------------------------------------------------------------------


def month_start(day: date) -> date:
    return day.replace(day=1)


def _month_end(month: date) -> date:
    return _add_months(month, 1) - timedelta(days=1)


def transport_amounts() -> dict[str, Decimal]:
    amounts = {}
    for part in settings.LABOR_TRANSPORT_AMOUNTS.split(","):
        if "=" in part:
            place, amount = part.split("=", 1)
            amounts[place.strip()] = Decimal(amount.strip())
    return amounts


def line_amount(kind: str, employment: Employment) -> Decimal:
    if kind == Claim.Kind.RETENTION:
        return Decimal(settings.LABOR_RETENTION_MONTHLY)
    return transport_amounts().get(employment.place, Decimal("0"))


@transaction.atomic
def create_claim(actor, *, kind: str, items: list[tuple[Laborer, date]], employer: Organisation | None = None,
                 submitted_on: date | None = None, notes: str = "") -> Claim:
    """A claim for laborer-months. Each month must be worked (for the employer, for a retention subsidy); a
    laborer-month already in a claim not rejected is refused, whoever asks."""
    require_may(actor, "subsidy.claim")
    if kind not in Claim.Kind.values:
        invalid("kind", _("Unknown subsidy kind %(value)s.") % {"value": kind})
    if not items:
        invalid("lines", _("A claim names at least one laborer-month."))
    if kind == Claim.Kind.RETENTION and employer is None:
        invalid("employer", _("A job-retention subsidy is claimed by an employer."))
    submitted_on = submitted_on or _today()
    counties = {lab.county_code for lab, _m in items}
    if len(counties) > 1:
        invalid("lines", _("One claim covers laborers of one county."))
    scope = scope_of(actor)
    visible = set(Laborer.objects.visible_to(actor).filter(pk__in=[lab.pk for lab, _m in items])
                  .values_list("pk", flat=True))
    lines, seen = [], set()
    for laborer, month in items:
        month = month_start(month)
        label = {"name": laborer.name, "month": f"{month:%Y-%m}"}
        if laborer.pk not in visible:
            invalid("lines", _("Laborer %(id)s is unknown or outside your scope.") % {"id": laborer.pk})
        if (laborer.pk, month) in seen:
            invalid("lines", _("%(name)s %(month)s is named twice in this claim.") % label)
        seen.add((laborer.pk, month))
        if month > month_start(submitted_on):
            invalid("lines", _("%(name)s %(month)s has not come yet.") % label)
        jobs = Employment.objects.filter(laborer=laborer, start__lte=_month_end(month)).filter(
            Q(end__isnull=True) | Q(end__gte=month))
        if kind == Claim.Kind.RETENTION:
            jobs = jobs.filter(employer=employer)
        job = jobs.first()
        if job is None:
            invalid("lines", (_("%(name)s did not work for %(employer)s in %(month)s.") if employer else
                              _("%(name)s did not work in %(month)s.")) % {**label, "employer": employer})
        paid = ClaimLine.objects.filter(kind=kind, laborer=laborer, month=month, active=True).first()
        if paid is not None:
            invalid("lines", _("%(name)s %(month)s is in claim #%(claim)s already: a laborer-month is paid once.")
                    % {**label, "claim": paid.claim_id})
        amount = line_amount(kind, job)
        if amount <= 0:
            invalid("lines", _("No transport subsidy for a job %(place)s (%(name)s %(month)s).") % {
                **label, "place": job.get_place_display()})
        lines.append(ClaimLine(kind=kind, laborer=laborer, month=month, amount=amount))
    if kind == Claim.Kind.RETENTION:
        for laborer_id, n in Counter_of(lines).items():
            already = ClaimLine.objects.filter(kind=kind, laborer_id=laborer_id, active=True,
                                               claim__employer=employer).count()
            if already + n > settings.LABOR_RETENTION_MAX_MONTHS:
                invalid("lines", _("At most %(n)s months of job-retention subsidy per laborer and employer.") % {
                    "n": settings.LABOR_RETENTION_MAX_MONTHS})
    first = items[0][0]
    region_path = "/".join(first.region_path.split("/")[:3]) + "/"
    if not scope.everything and not scope.covers_region_path(region_path) and not (
            employer is not None and scope.covers_org_path(employer.path)):
        invalid("lines", _("These laborers are outside your scope."))
    claim = Claim.objects.create(kind=kind, employer=employer, org_path=employer.path if employer else "",
                                 county_code=first.county_code, region_path=region_path, submitted_on=submitted_on,
                                 amount=sum((line.amount for line in lines), Decimal("0")), notes=notes)
    for line in lines:
        line.claim = claim
    try:
        with transaction.atomic():
            ClaimLine.objects.bulk_create(lines)
    except IntegrityError:
        invalid("lines", _("A laborer-month of this claim was claimed meanwhile: a laborer-month is paid once."))
    audit.record(actor, "create", claim, after=audit.snapshot(claim),
                 reason=_("%(n)s laborer-months") % {"n": len(lines)})
    return claim


def Counter_of(lines) -> dict:
    counts: dict = {}
    for line in lines:
        counts[line.laborer_id] = counts.get(line.laborer_id, 0) + 1
    return counts


CLAIM_NEXT = {
    Claim.Status.SUBMITTED: {Claim.Status.REVIEWED, Claim.Status.REJECTED},
    Claim.Status.REVIEWED: {Claim.Status.APPROVED, Claim.Status.REJECTED},
    Claim.Status.APPROVED: {Claim.Status.PAID, Claim.Status.REJECTED},
    Claim.Status.PAID: set(),
    Claim.Status.REJECTED: set(),
}


@transaction.atomic
def advance_claim(actor, claim: Claim, status: str, reason: str = "", on: date | None = None) -> Claim:
    if status not in CLAIM_NEXT.get(claim.status, set()):
        invalid("status", _("A claim %(current)s cannot become %(status)s.") % {
            "current": claim.get_status_display(),
            "status": Claim.Status(status).label if status in Claim.Status.values else status})
    require_may(actor, f"claim.{status}", claim)
    if status == Claim.Status.REJECTED and not reason.strip():
        invalid("reason", _("Say why the claim is rejected."))
    before = audit.snapshot(claim)
    claim.status = status
    name = actor.get_username() if actor is not None and actor.is_authenticated else "system"
    if status == Claim.Status.REVIEWED:
        claim.reviewed_by = name
    elif status == Claim.Status.APPROVED:
        claim.approved_by = name
    elif status == Claim.Status.PAID:
        claim.paid_on = on or _today()
    elif status == Claim.Status.REJECTED:
        claim.lines.update(active=False)  # released: the months may be claimed again
    claim.save()
    audit.record(actor, "update", claim, before=before, after=audit.snapshot(claim), reason=reason)
    return claim


# --- Figures ----------------------------------------------------------------------------------------------------


def workshop_counts(queryset):
    return queryset.annotate(employees=Count("employments__laborer", distinct=True))
