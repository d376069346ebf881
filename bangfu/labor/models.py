"""Labour cooperation (劳务协作), the closed loop of the 贫困劳动力信息管理服务系统: laborers registered from the
household registry (入库), postings, job fairs and labour service stations, matching, employment, job-retention and
transport subsidies, training, return home and re-placement, and the timeline of every laborer's states.

Rows about a laborer carry his county code and his village's region path (scoping without joins, sharding by
county); rows about an event or a place carry the place's region path and, where a helper organisation runs it, that
organisation's path.
"""

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from bangfu.core.models import RegionScoped
from bangfu.core.money import money_field
from bangfu.core.scope import ScopedQuerySet, prefix_q


class Skill(models.IntegerChoices):
    """Skills as bits of one integer, so that matching is one bitwise AND in SQL."""

    CONSTRUCTION = 1 << 0, _("construction")
    ELECTRICIAN = 1 << 1, _("electrician")
    WELDING = 1 << 2, _("welding")
    ASSEMBLY = 1 << 3, _("factory assembly")
    DRIVING = 1 << 4, _("driving")
    COOKING = 1 << 5, _("cooking (Cantonese cuisine)")
    HOUSEKEEPING = 1 << 6, _("housekeeping and care")
    SEWING = 1 << 7, _("sewing")
    FARMING = 1 << 8, _("farming and breeding")
    SALES = 1 << 9, _("sales and service")
    LOGISTICS = 1 << 10, _("warehousing and logistics")
    SECURITY = 1 << 11, _("security")
    CLEANING = 1 << 12, _("cleaning")
    COMPUTING = 1 << 13, _("computing")
    HANDICRAFT = 1 << 14, _("handicraft")
    MACHINERY = 1 << 15, _("machine operation")


def skills_of(mask: int) -> list[int]:
    return [s.value for s in Skill if mask & s.value]


def skill_names(mask: int) -> str:
    return "、".join(str(Skill(s).label) for s in skills_of(mask or 0))


def mask_of(skills) -> int:
    mask = 0
    for s in skills or ():
        mask |= int(s)
    return mask


class Intention(models.TextChoices):
    LOCAL = "local", _("in the home county")
    IN_PROVINCE = "in_province", _("in the province")
    OUT_OF_PROVINCE = "out_of_province", _("outside the province")
    HELPER_CITY = "helper_city", _("in the helper city")


class Place(models.TextChoices):
    """Where a job is, seen from the laborer's home county."""

    COUNTY = "county", _("in the home county")
    IN_PROVINCE = "in_province", _("in the province")
    OUT_OF_PROVINCE = "out_of_province", _("outside the province")
    HELPER_CITY = "helper_city", _("in the helper city")


class Channel(models.TextChoices):
    SELF = "self", _("found work himself")
    ORGANISED = "organised", _("organised transfer")
    WORKSHOP = "workshop", _("assistance workshop")
    PUBLIC_WELFARE = "public_welfare", _("public-welfare post")


class State(models.TextChoices):
    """The closed loop: registered → recommended → employed → stable → left → returned → re-placed."""

    REGISTERED = "registered", _("registered")
    RECOMMENDED = "recommended", _("recommended")
    EMPLOYED = "employed", _("employed")
    STABLE = "stable", _("stably employed")
    LEFT = "left", _("left the job")
    RETURNED = "returned", _("returned home")
    REPLACED = "replaced", _("re-placed")


# Which state may follow which; anything else is refused.
NEXT_STATES = {
    "": {State.REGISTERED},
    State.REGISTERED: {State.RECOMMENDED, State.EMPLOYED},
    State.RECOMMENDED: {State.EMPLOYED},
    State.EMPLOYED: {State.STABLE, State.LEFT},
    State.STABLE: {State.LEFT},
    State.LEFT: {State.RETURNED, State.EMPLOYED},
    State.RETURNED: {State.REPLACED},
    State.REPLACED: {State.STABLE, State.LEFT},
}
# States in which a laborer is looking for work (matching offers him postings).
AVAILABLE = (State.REGISTERED, State.RECOMMENDED, State.LEFT, State.RETURNED)
WORKING = (State.EMPLOYED, State.STABLE, State.REPLACED)


class Station(models.Model):
    """A labour service station (劳务服务站): in a recipient county, or in the helper city for its workers."""

    name = models.CharField(_("name"), max_length=100)
    region = models.ForeignKey("regions.Region", verbose_name=_("region"), on_delete=models.PROTECT,
                               related_name="labour_stations")
    region_path = models.CharField(max_length=80, db_index=True, editable=False)
    organisation = models.ForeignKey("regions.Organisation", verbose_name=_("run by"), null=True, blank=True,
                                     on_delete=models.PROTECT, related_name="labour_stations")
    org_path = models.CharField(max_length=200, blank=True, db_index=True, editable=False)
    serves = models.ForeignKey("regions.Region", verbose_name=_("serves the laborers of"), null=True, blank=True,
                               on_delete=models.PROTECT, related_name="+")
    address = models.CharField(_("address"), max_length=200, blank=True)
    phone = models.CharField(_("phone"), max_length=20, blank=True)

    objects = ScopedQuerySet.as_manager()
    permission_name = "labor"
    personal_fields = {"phone": "phone"}  # attname → mask kind (core.audit masks them)

    class Meta:
        ordering = ["region_path", "name"]
        verbose_name = _("labour service station")
        verbose_name_plural = _("labour service stations")

    def __str__(self):
        return self.name

    @staticmethod
    def scope_q(scope, action):
        return prefix_q("region_path", scope.region_paths + (scope.home_paths if action == "view" else ())) | \
            prefix_q("org_path", scope.org_paths)

    def audit_paths(self):
        return self.region_path, self.org_path


class StationStaff(models.Model):
    station = models.ForeignKey(Station, on_delete=models.CASCADE, related_name="staff")
    name = models.CharField(_("name"), max_length=50)
    role = models.CharField(_("role"), max_length=50)
    phone = models.CharField(_("phone"), max_length=20, blank=True)

    personal_fields = {"phone": "phone"}  # attname → mask kind (core.audit masks them)

    class Meta:
        ordering = ["station_id", "id"]
        verbose_name = _("station staff")

    def __str__(self):
        return f"{self.name} ({self.role})"


class Laborer(RegionScoped):
    """A registered household member of working age able to work, registered (入库) for labour cooperation."""

    member = models.OneToOneField("households.Member", verbose_name=_("member"), on_delete=models.PROTECT,
                                  related_name="laborer")
    province_code = models.CharField(max_length=6, db_index=True, editable=False)
    name = models.CharField(_("name"), max_length=50, editable=False)
    sex = models.CharField(_("sex"), max_length=6, editable=False)
    birth_date = models.DateField(_("birth date"), editable=False)
    lifted = models.BooleanField(_("of a household lifted out of poverty"), default=True, editable=False)
    skill_mask = models.PositiveIntegerField(_("skills"), default=0)
    training_wishes = models.JSONField(_("training wishes"), default=list, blank=True)
    intention = models.CharField(_("job intention"), max_length=16, choices=Intention.choices,
                                 default=Intention.LOCAL)
    phone = models.CharField(_("phone"), max_length=20, blank=True)
    station = models.ForeignKey(Station, verbose_name=_("labour service station"), null=True, blank=True,
                                on_delete=models.SET_NULL, related_name="laborers")
    registered_on = models.DateField(_("registered on"))
    state = models.CharField(_("state"), max_length=12, choices=State.choices, default=State.REGISTERED)
    state_on = models.DateField(_("state since"))
    returned_on = models.DateField(_("returned home on"), null=True, blank=True)

    permission_name = "labor"
    # attname → mask kind (core.audit, the exports and the API mask them): the birth date is the ID number's middle.
    personal_fields = {"phone": "phone", "birth_date": "birth_date"}

    class Meta:
        ordering = ["region_path", "id"]
        verbose_name = _("laborer")
        verbose_name_plural = _("laborers")
        indexes = [
            # Matching: available laborers by intention and place.
            models.Index(fields=["intention", "province_code", "state"], name="laborer_match"),
            models.Index(fields=["intention", "county_code", "state"], name="laborer_match_local"),
            models.Index(fields=["state", "returned_on"], name="laborer_returned"),
        ]

    def __str__(self):
        return self.name

    @property
    def skills(self) -> str:
        return skill_names(self.skill_mask)


class Event(RegionScoped):
    """One dated step of a laborer's closed loop."""

    laborer = models.ForeignKey(Laborer, on_delete=models.CASCADE, related_name="events")
    from_state = models.CharField(max_length=12, choices=State.choices, blank=True)
    state = models.CharField(_("state"), max_length=12, choices=State.choices)
    on = models.DateField(_("date"))
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True)
    time = models.DateTimeField(default=timezone.now)
    reason = models.CharField(_("reason"), max_length=300, blank=True)

    permission_name = "labor"

    class Meta:
        ordering = ["laborer_id", "on", "id"]
        verbose_name = _("closed-loop event")
        # The summary counts the few returns among every laborer's events (400 of 192,000 in the seed demo).
        indexes = [models.Index(fields=["state", "on"], name="event_state_on")]

    def __str__(self):
        return f"{self.laborer_id} {self.on} {self.state}"


class JobFair(models.Model):
    """A job fair (招聘会): held somewhere, organised by someone, with postings and attendance."""

    name = models.CharField(_("name"), max_length=200)
    held_on = models.DateField(_("held on"))
    region = models.ForeignKey("regions.Region", verbose_name=_("place"), on_delete=models.PROTECT,
                               related_name="job_fairs")
    region_path = models.CharField(max_length=80, db_index=True, editable=False)
    organiser = models.ForeignKey("regions.Organisation", verbose_name=_("organiser"), null=True, blank=True,
                                  on_delete=models.PROTECT, related_name="job_fairs")
    org_path = models.CharField(max_length=200, blank=True, db_index=True, editable=False)
    attendees = models.PositiveIntegerField(_("attendees"), default=0)
    employers = models.PositiveIntegerField(_("employers present"), default=0)
    agreements = models.PositiveIntegerField(_("job agreements signed"), default=0)

    objects = ScopedQuerySet.as_manager()
    permission_name = "labor"

    class Meta:
        ordering = ["-held_on", "id"]
        verbose_name = _("job fair")
        verbose_name_plural = _("job fairs")

    def __str__(self):
        return self.name

    @staticmethod
    def scope_q(scope, action):
        return prefix_q("region_path", scope.region_paths) | prefix_q("org_path", scope.org_paths)

    def audit_paths(self):
        return self.region_path, self.org_path


class Posting(models.Model):
    """A job posting (岗位): an employer's openings at a place, with wage and requirements. Postings are offers to
    anyone: every reader sees them; the employer's side or the place's county changes them."""

    employer = models.ForeignKey("regions.Organisation", verbose_name=_("employer"), on_delete=models.PROTECT,
                                 related_name="postings")
    org_path = models.CharField(max_length=200, db_index=True, editable=False)
    title = models.CharField(_("title"), max_length=100)
    region = models.ForeignKey("regions.Region", verbose_name=_("place of work"), on_delete=models.PROTECT,
                               related_name="postings")
    region_path = models.CharField(max_length=80, db_index=True, editable=False)
    county_code = models.CharField(max_length=6, blank=True, db_index=True, editable=False)
    province_code = models.CharField(max_length=6, db_index=True, editable=False)
    in_helper_city = models.BooleanField(_("in a helper city"), default=False, editable=False)
    wage_min = money_field(_("monthly wage from"))
    wage_max = money_field(_("monthly wage to"))
    openings = models.PositiveIntegerField(_("openings"))
    skill_mask = models.PositiveIntegerField(_("skills wanted"), default=0)
    min_age = models.PositiveSmallIntegerField(_("minimum age"), default=16)
    max_age = models.PositiveSmallIntegerField(_("maximum age"), default=60)
    requirements = models.TextField(_("requirements"), blank=True)
    job_fair = models.ForeignKey(JobFair, verbose_name=_("job fair"), null=True, blank=True,
                                 on_delete=models.SET_NULL, related_name="postings")
    posted_on = models.DateField(_("posted on"), default=timezone.localdate)
    open = models.BooleanField(_("open"), default=True, db_index=True)

    objects = ScopedQuerySet.as_manager()
    permission_name = "labor"

    class Meta:
        ordering = ["-posted_on", "id"]
        verbose_name = _("posting")
        verbose_name_plural = _("postings")
        constraints = [
            models.CheckConstraint(condition=Q(wage_max__gte=models.F("wage_min")), name="posting_wage_range"),
            models.CheckConstraint(condition=Q(max_age__gte=models.F("min_age")), name="posting_age_range"),
        ]
        indexes = [models.Index(fields=["open", "province_code"], name="posting_open_place")]

    def __str__(self):
        return f"{self.title} · {self.employer}"

    @staticmethod
    def scope_q(scope, action):
        if action == "view":
            return Q()
        return prefix_q("org_path", scope.org_paths) | prefix_q("region_path", scope.region_paths)

    def audit_paths(self):
        return self.region_path, self.org_path

    @property
    def skills(self) -> str:
        return skill_names(self.skill_mask)


class Recommendation(RegionScoped):
    """A posting recommended to a laborer, and what came of it: an interview, a hire, or nothing."""

    class Status(models.TextChoices):
        RECOMMENDED = "recommended", _("recommended")
        INTERVIEWED = "interviewed", _("interviewed")
        HIRED = "hired", _("hired")
        DECLINED = "declined", _("declined")

    laborer = models.ForeignKey(Laborer, on_delete=models.PROTECT, related_name="recommendations")
    posting = models.ForeignKey(Posting, on_delete=models.PROTECT, related_name="recommendations")
    score = models.PositiveSmallIntegerField(_("score"), default=0)
    explanation = models.CharField(_("why"), max_length=300, blank=True)
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.RECOMMENDED)
    recommended_on = models.DateField(_("recommended on"))
    interviewed_on = models.DateField(_("interviewed on"), null=True, blank=True)
    decided_on = models.DateField(_("decided on"), null=True, blank=True)

    permission_name = "labor"

    class Meta:
        ordering = ["-recommended_on", "-id"]
        verbose_name = _("recommendation")
        constraints = [models.UniqueConstraint(fields=["laborer", "posting"], name="one_recommendation_per_pair")]

    def __str__(self):
        return f"{self.laborer} → {self.posting}"


class Workshop(RegionScoped):
    """An assistance workshop (就业帮扶车间) or a disability employment base in a recipient county."""

    class Kind(models.TextChoices):
        WORKSHOP = "workshop", _("assistance workshop")
        DISABILITY = "disability", _("disability employment base")

    name = models.CharField(_("name"), max_length=100)
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices, default=Kind.WORKSHOP)
    region = models.ForeignKey("regions.Region", verbose_name=_("place"), on_delete=models.PROTECT,
                               related_name="workshops")
    operator = models.CharField(_("operator"), max_length=100, blank=True)
    recognised = models.BooleanField(_("recognised"), default=False)
    recognised_on = models.DateField(_("recognised on"), null=True, blank=True)

    permission_name = "labor"

    class Meta:
        ordering = ["region_path", "name"]
        verbose_name = _("workshop")
        verbose_name_plural = _("workshops")

    def __str__(self):
        return self.name


class PublicWelfarePost(RegionScoped):
    """A public-welfare post (公益性岗位): a village or township job for weak labour, held by one person at a time."""

    name = models.CharField(_("name"), max_length=100)
    region = models.ForeignKey("regions.Region", verbose_name=_("place"), on_delete=models.PROTECT,
                               related_name="public_welfare_posts")
    monthly_pay = money_field(_("monthly pay"))
    created_on = models.DateField(_("created on"))

    permission_name = "labor"

    class Meta:
        ordering = ["region_path", "name", "id"]
        verbose_name = _("public-welfare post")
        verbose_name_plural = _("public-welfare posts")

    def __str__(self):
        return self.name


class Employment(RegionScoped):
    """A laborer in a job: where, for whom, from when to when, for what wage, through which channel."""

    laborer = models.ForeignKey(Laborer, on_delete=models.PROTECT, related_name="employments")
    employer = models.ForeignKey("regions.Organisation", verbose_name=_("employer"), null=True, blank=True,
                                 on_delete=models.PROTECT, related_name="employments")
    employer_name = models.CharField(_("employer"), max_length=200)
    org_path = models.CharField(max_length=200, blank=True, db_index=True, editable=False)
    posting = models.ForeignKey(Posting, verbose_name=_("posting"), null=True, blank=True,
                                on_delete=models.SET_NULL, related_name="employments")
    workshop = models.ForeignKey(Workshop, verbose_name=_("workshop"), null=True, blank=True,
                                 on_delete=models.PROTECT, related_name="employments")
    post = models.ForeignKey(PublicWelfarePost, verbose_name=_("public-welfare post"), null=True, blank=True,
                             on_delete=models.PROTECT, related_name="employments")
    place = models.CharField(_("place"), max_length=16, choices=Place.choices)
    work_region = models.ForeignKey("regions.Region", verbose_name=_("place of work"), null=True, blank=True,
                                    on_delete=models.PROTECT, related_name="+")
    channel = models.CharField(_("channel"), max_length=16, choices=Channel.choices)
    start = models.DateField(_("start"))
    end = models.DateField(_("end"), null=True, blank=True)
    # Whole months from start to end, for an ended job (stability is months ≥ a setting, counted at query time).
    months = models.PositiveSmallIntegerField(null=True, blank=True, editable=False)
    monthly_wage = money_field(_("monthly wage"))

    permission_name = "labor"

    class Meta:
        ordering = ["laborer_id", "-start", "-id"]
        verbose_name = _("employment")
        verbose_name_plural = _("employments")
        constraints = [
            models.CheckConstraint(condition=Q(end__isnull=True) | Q(end__gte=models.F("start")),
                                   name="employment_end_not_before_start"),
            models.CheckConstraint(condition=Q(monthly_wage__gte=0), name="employment_wage_not_negative"),
        ]
        indexes = [models.Index(fields=["county_code", "start"], name="employment_county_start")]

    def __str__(self):
        return f"{self.laborer} · {self.employer_name} ({self.start}–{self.end or ''})"

    @staticmethod
    def scope_q(scope, action):
        own = prefix_q("region_path", scope.region_paths)
        return own if action != "view" else own | prefix_q("org_path", scope.org_paths)


def whole_months(start, end) -> int:
    months = (end.year - start.year) * 12 + end.month - start.month
    if end.day < start.day:
        months -= 1
    return max(0, months)


class Claim(models.Model):
    """A subsidy claim: job retention (稳岗补贴, by an employer, for laborer-months) or transport (交通补贴, for
    laborers' trips to work, by month). Submitted → reviewed → approved → paid, or rejected."""

    class Kind(models.TextChoices):
        RETENTION = "retention", _("job-retention subsidy")
        TRANSPORT = "transport", _("transport subsidy")

    class Status(models.TextChoices):
        SUBMITTED = "submitted", _("submitted")
        REVIEWED = "reviewed", _("reviewed")
        APPROVED = "approved", _("approved")
        PAID = "paid", _("paid")
        REJECTED = "rejected", _("rejected")

    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    employer = models.ForeignKey("regions.Organisation", verbose_name=_("employer"), null=True, blank=True,
                                 on_delete=models.PROTECT, related_name="subsidy_claims")
    org_path = models.CharField(max_length=200, blank=True, db_index=True, editable=False)
    county_code = models.CharField(_("county code"), max_length=6, db_index=True, editable=False)
    region_path = models.CharField(max_length=80, db_index=True, editable=False)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.SUBMITTED)
    submitted_on = models.DateField(_("submitted on"))
    amount = money_field(_("amount"), default=Decimal("0"))
    reviewed_by = models.CharField(_("reviewed by"), max_length=150, blank=True)
    approved_by = models.CharField(_("approved by"), max_length=150, blank=True)
    paid_on = models.DateField(_("paid on"), null=True, blank=True)
    notes = models.TextField(_("notes"), blank=True)

    objects = ScopedQuerySet.as_manager()
    permission_name = "subsidy"

    class Meta:
        ordering = ["-submitted_on", "-id"]
        verbose_name = _("subsidy claim")
        verbose_name_plural = _("subsidy claims")

    def __str__(self):
        return f"{self.get_kind_display()} #{self.pk}"

    @staticmethod
    def scope_q(scope, action):
        return prefix_q("region_path", scope.region_paths) | prefix_q("org_path", scope.org_paths)

    def audit_paths(self):
        return self.region_path, self.org_path


class ClaimLine(models.Model):
    """One laborer-month of a claim. A laborer-month is paid once per kind: the service refuses a second claim and
    the unique constraint refuses it whoever writes (lines of a rejected claim are released)."""

    claim = models.ForeignKey(Claim, on_delete=models.CASCADE, related_name="lines")
    kind = models.CharField(max_length=10, choices=Claim.Kind.choices, editable=False)
    laborer = models.ForeignKey(Laborer, on_delete=models.PROTECT, related_name="claim_lines")
    month = models.DateField(_("month"))  # the first day of the month
    amount = money_field(_("amount"))
    active = models.BooleanField(default=True)

    class Meta:
        ordering = ["claim_id", "laborer_id", "month"]
        constraints = [
            models.UniqueConstraint(fields=["kind", "laborer", "month"], condition=Q(active=True),
                                    name="one_subsidy_per_laborer_month"),
        ]

    def __str__(self):
        return f"{self.laborer_id} {self.month:%Y-%m}"


class Course(models.Model):
    """A skills training course (技能培训)."""

    class Kind(models.TextChoices):
        CANTONESE_CHEF = "cantonese_chef", _("Cantonese chef (粤菜师傅)")
        GUANGDONG_TECHNICIAN = "technician", _("Guangdong technician (广东技工)")
        HOUSEKEEPING = "housekeeping", _("Southern Guangdong housekeeping (南粤家政)")
        RURAL_CRAFTSMAN = "craftsman", _("Rural craftsman (乡村工匠)")
        OTHER = "other", _("other")

    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    region = models.ForeignKey("regions.Region", verbose_name=_("place"), on_delete=models.PROTECT,
                               related_name="courses")
    region_path = models.CharField(max_length=80, db_index=True, editable=False)
    organiser = models.ForeignKey("regions.Organisation", verbose_name=_("organiser"), null=True, blank=True,
                                  on_delete=models.PROTECT, related_name="courses")
    org_path = models.CharField(max_length=200, blank=True, db_index=True, editable=False)
    start = models.DateField(_("start"))
    end = models.DateField(_("end"))
    hours = models.PositiveSmallIntegerField(_("hours"), default=0)

    objects = ScopedQuerySet.as_manager()
    permission_name = "labor"

    class Meta:
        ordering = ["-start", "id"]
        verbose_name = _("training course")
        verbose_name_plural = _("training courses")
        constraints = [models.CheckConstraint(condition=Q(end__gte=models.F("start")), name="course_end_after_start")]

    def __str__(self):
        return self.name

    @staticmethod
    def scope_q(scope, action):
        return prefix_q("region_path", scope.region_paths) | prefix_q("org_path", scope.org_paths)

    def audit_paths(self):
        return self.region_path, self.org_path


class Attendance(RegionScoped):
    course = models.ForeignKey(Course, on_delete=models.PROTECT, related_name="attendances")
    laborer = models.ForeignKey(Laborer, on_delete=models.PROTECT, related_name="attendances")
    completed = models.BooleanField(_("completed"), default=False)
    certificate = models.CharField(_("certificate"), max_length=50, blank=True)
    certified_on = models.DateField(_("certified on"), null=True, blank=True)

    permission_name = "labor"

    class Meta:
        ordering = ["course_id", "laborer_id"]
        verbose_name = _("attendance")
        constraints = [models.UniqueConstraint(fields=["course", "laborer"], name="one_attendance_per_course")]

    def __str__(self):
        return f"{self.laborer_id} @ {self.course_id}"


class FollowUp(RegionScoped):
    """A follow-up of a laborer back home (离深返乡): a call or visit, and whether a placement was offered."""

    laborer = models.ForeignKey(Laborer, on_delete=models.PROTECT, related_name="follow_ups")
    on = models.DateField(_("date"))
    notes = models.CharField(_("notes"), max_length=300)
    offer = models.BooleanField(_("placement offered"), default=False)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True)

    permission_name = "labor"

    class Meta:
        ordering = ["laborer_id", "-on", "-id"]
        verbose_name = _("follow-up")

    def __str__(self):
        return f"{self.laborer_id} {self.on}"
