"""The household registry (建档立卡 / 防返贫监测): households, members, yearly income and living conditions,
monitoring lines, and the monitoring workflow (clues, transitions, measures, visits).

Every row carries its county code and its village's region path, so that scoping needs no join and the tables can
be sharded by county.
"""

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from bangfu.core.models import RegionScoped, prefix_index
from bangfu.core.money import ZERO, money_field
from bangfu.core.scope import ScopedQuerySet


class HouseholdType(models.TextChoices):
    LIFTED = "lifted", _("Household lifted out of poverty")  # 脱贫户
    ORDINARY = "ordinary", _("Ordinary rural household")  # 一般农户


class MonitoringCategory(models.TextChoices):
    UNSTABLE = "unstable", _("Unstable lifted household")  # 脱贫不稳定户
    MARGINAL = "marginal", _("Marginal household at risk")  # 边缘易致贫户
    SUDDEN = "sudden", _("Household in sudden severe hardship")  # 突发严重困难户


class RiskStatus(models.TextChoices):
    NONE = "none", _("Not monitored")
    MONITORED = "monitored", _("Monitored, risk not eliminated")
    ELIMINATED = "eliminated", _("Risk eliminated")


class HousingGrade(models.TextChoices):
    A = "A", "A"
    B = "B", "B"
    C = "C", "C"
    D = "D", "D"


class Household(RegionScoped):
    # The registry is written in bulk (imports of a million rows): one index per column, each one that queries use.
    county_code = models.CharField(_("county code"), max_length=6, editable=False)  # (county, type) index
    region_path = models.CharField(max_length=80, editable=False)
    number = models.CharField(_("household number"), max_length=30, unique=True)
    village = models.ForeignKey("regions.Region", verbose_name=_("village"), on_delete=models.PROTECT,
                                related_name="households", db_index=False)
    household_type = models.CharField(_("household type"), max_length=10, choices=HouseholdType.choices)
    monitoring_category = models.CharField(_("monitoring category"), max_length=10,
                                           choices=MonitoringCategory.choices, blank=True)
    risk_status = models.CharField(_("risk status"), max_length=10, choices=RiskStatus.choices,
                                   default=RiskStatus.NONE)
    head_name = models.CharField(_("head of household"), max_length=50, blank=True, editable=False)
    size = models.PositiveSmallIntegerField(_("members"), default=0, editable=False)
    phone = models.CharField(_("contact phone"), max_length=20, blank=True)
    address = models.CharField(_("address"), max_length=200, blank=True)
    land_area = models.DecimalField(_("farmland (mu)"), max_digits=10, decimal_places=2, default=Decimal("0"))
    housing_grade = models.CharField(_("housing safety grade"), max_length=1, choices=HousingGrade.choices,
                                     blank=True)
    safe_water = models.BooleanField(_("safe drinking water"), default=True)
    sanitary_toilet = models.BooleanField(_("sanitary toilet"), default=False)
    electricity = models.BooleanField(_("household electricity"), default=True)
    created = models.DateTimeField(auto_now_add=True)
    updated = models.DateTimeField(auto_now=True)
    import_batch = models.ForeignKey("core.ImportBatch", null=True, blank=True, editable=False,
                                     on_delete=models.PROTECT, related_name="+")

    permission_name = "household"
    personal_fields = {"phone": "phone"}  # attname → mask kind (core.audit masks them)

    class Meta:
        ordering = ["number"]
        verbose_name = _("household")
        verbose_name_plural = _("households")
        indexes = [
            models.Index(fields=["county_code", "household_type"]),
            prefix_index("region_path", "household_region_path"),
            models.Index(fields=["village"], name="household_village"),
            models.Index(fields=["risk_status"], name="household_risk_status"),
        ]

    def __str__(self):
        return f"{self.number} {self.head_name}"


class IdType(models.TextChoices):
    RESIDENT = "resident", _("Resident ID card")
    OTHER = "other", _("Other")


class Relation(models.TextChoices):
    HEAD = "head", _("head")  # 户主
    SPOUSE = "spouse", _("spouse")
    CHILD = "child", _("child")
    CHILD_IN_LAW = "child_in_law", _("child-in-law")
    GRANDCHILD = "grandchild", _("grandchild")
    PARENT = "parent", _("parent")
    GRANDPARENT = "grandparent", _("grandparent")
    SIBLING = "sibling", _("sibling")
    OTHER = "other", _("other")


class Sex(models.TextChoices):
    MALE = "male", _("male")
    FEMALE = "female", _("female")


class Education(models.TextChoices):
    ILLITERATE = "illiterate", _("illiterate or semi-literate")
    PRIMARY = "primary", _("primary school")
    JUNIOR = "junior", _("junior middle school")
    SENIOR = "senior", _("senior middle school")
    COLLEGE = "college", _("junior college")
    BACHELOR = "bachelor", _("bachelor")
    POSTGRADUATE = "postgraduate", _("postgraduate")
    PRESCHOOL = "preschool", _("not yet of school age")


class Schooling(models.TextChoices):
    NONE = "none", _("not in school")
    PRESCHOOL = "preschool", _("preschool")
    PRIMARY = "primary", _("primary school")
    JUNIOR = "junior", _("junior middle school")
    SENIOR = "senior", _("senior middle school")
    VOCATIONAL = "vocational", _("vocational school")
    COLLEGE = "college", _("college or university")
    POSTGRADUATE = "postgraduate", _("postgraduate")


class Health(models.TextChoices):
    HEALTHY = "healthy", _("healthy")
    CHRONIC = "chronic", _("long-term chronic illness")
    SERIOUS = "serious", _("serious illness")
    DISABLED = "disabled", _("disabled")


class LabourSkill(models.TextChoices):
    SKILLED = "skilled", _("skilled labour")
    ORDINARY = "ordinary", _("ordinary labour")
    WEAK = "weak", _("weak or half labour")
    LOST = "lost", _("lost labour capacity")
    NONE = "none", _("no labour capacity")


class EmploymentChannel(models.TextChoices):
    NONE = "", _("not working")
    OUT_OF_PROVINCE = "out_of_province", _("outside the province")
    IN_PROVINCE = "in_province", _("in the province, outside the county")
    IN_COUNTY = "in_county", _("in the county")
    WORKSHOP = "workshop", _("assistance workshop")
    PUBLIC_WELFARE = "public_welfare", _("public-welfare post")


class Member(RegionScoped):
    household = models.ForeignKey(Household, verbose_name=_("household"), on_delete=models.PROTECT,
                                  related_name="members")
    # Written in bulk like households: one index per column (see Meta).
    county_code = models.CharField(_("county code"), max_length=6, editable=False)
    region_path = models.CharField(max_length=80, editable=False)
    name = models.CharField(_("name"), max_length=50)
    name_initials = models.CharField(max_length=20, editable=False)  # pinyin initials, for search
    id_type = models.CharField(_("ID type"), max_length=10, choices=IdType.choices, default=IdType.RESIDENT)
    id_number = models.CharField(_("ID number"), max_length=18)
    relation = models.CharField(_("relation to head"), max_length=12, choices=Relation.choices)
    sex = models.CharField(_("sex"), max_length=6, choices=Sex.choices)
    birth_date = models.DateField(_("birth date"))
    ethnicity = models.CharField(_("ethnicity"), max_length=20, default="汉族")
    education = models.CharField(_("education"), max_length=12, choices=Education.choices)
    schooling = models.CharField(_("schooling"), max_length=12, choices=Schooling.choices, default=Schooling.NONE)
    health = models.CharField(_("health"), max_length=10, choices=Health.choices, default=Health.HEALTHY)
    labour_skill = models.CharField(_("labour skill"), max_length=10, choices=LabourSkill.choices)
    work_months = models.PositiveSmallIntegerField(_("months worked"), default=0)
    employment_channel = models.CharField(_("employment channel"), max_length=16, choices=EmploymentChannel.choices,
                                          blank=True)
    medical_insured = models.BooleanField(_("basic medical insurance"), default=True)
    pension_insured = models.BooleanField(_("basic pension insurance"), default=False)
    phone = models.CharField(_("phone"), max_length=20, blank=True)
    active = models.BooleanField(_("current member"), default=True)
    left_on = models.DateField(_("left on"), null=True, blank=True)
    import_batch = models.ForeignKey("core.ImportBatch", null=True, blank=True, editable=False,
                                     on_delete=models.PROTECT, related_name="+")

    permission_name = "member"
    # attname → mask kind (core.audit, the exports and the API mask them): the birth date is the ID number's middle.
    personal_fields = {"id_number": "id_number", "phone": "phone", "birth_date": "birth_date"}

    class Meta:
        ordering = ["household_id", "-relation", "birth_date"]
        verbose_name = _("member")
        verbose_name_plural = _("members")
        indexes = [
            models.Index(fields=["county_code"], name="member_county_code"),
            prefix_index("region_path", "member_region_path"),
            prefix_index("name_initials", "member_name_initials"),
            models.Index(fields=["id_number"], name="member_id_number"),  # whole ID numbers, current or not
        ]
        constraints = [
            # A person (by ID number) is a current member of one household only; one head per household.
            models.UniqueConstraint(fields=["id_number"], condition=Q(active=True), name="one_household_per_person"),
            models.UniqueConstraint(fields=["household"], condition=Q(active=True, relation="head"),
                                    name="one_head_per_household"),
        ]

    def __str__(self):
        return self.name


class MemberMove(RegionScoped):
    """A person moving between households: recorded, never overwritten."""

    member = models.ForeignKey(Member, on_delete=models.PROTECT, related_name="moves")
    # The person's row in the household moved into (the old row stays, inactive, as history).
    new_member = models.ForeignKey(Member, on_delete=models.PROTECT, related_name="moved_in", null=True, blank=True)
    from_household = models.ForeignKey(Household, on_delete=models.PROTECT, related_name="moves_out")
    to_household = models.ForeignKey(Household, on_delete=models.PROTECT, related_name="moves_in", null=True,
                                     blank=True)
    moved_on = models.DateField(_("date"))
    reason = models.CharField(_("reason"), max_length=200)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True)

    permission_name = "household"

    def __str__(self):
        return f"{self.member} {self.from_household_id} → {self.to_household_id}"


class Income(RegionScoped):
    """A household's income in one year (yuan). Per-capita net income divides by `members_counted`: the household
    size recorded with that year's income (by default the current member count when it was entered)."""

    household = models.ForeignKey(Household, on_delete=models.CASCADE, related_name="incomes")
    year = models.PositiveSmallIntegerField(_("year"))
    wage = money_field(_("wage income"), default=ZERO)  # 工资性收入, incl. public-welfare posts
    production = money_field(_("production and business income"), default=ZERO)
    property_income = money_field(_("property income"), default=ZERO)  # incl. asset-income dividends
    transfer = money_field(_("transfer income"), default=ZERO)  # pensions, 低保, 特困, eco-compensation…
    production_cost = money_field(_("production and business costs"), default=ZERO)
    rigid_medical = money_field(_("compliant out-of-pocket medical spending"), default=ZERO)
    rigid_education = money_field(_("schooling spending"), default=ZERO)
    members_counted = models.PositiveSmallIntegerField(_("household size counted"))
    per_capita = models.DecimalField(_("per-capita net income"), max_digits=18, decimal_places=2, editable=False)
    import_batch = models.ForeignKey("core.ImportBatch", null=True, blank=True, editable=False,
                                     on_delete=models.PROTECT, related_name="+")

    permission_name = "household"

    class Meta:
        ordering = ["household_id", "-year"]
        constraints = [
            models.UniqueConstraint(fields=["household", "year"], name="one_income_per_household_year"),
            models.CheckConstraint(
                condition=Q(wage__gte=0, production__gte=0, property_income__gte=0, transfer__gte=0,
                            production_cost__gte=0, rigid_medical__gte=0, rigid_education__gte=0,
                            members_counted__gte=1),
                name="income_items_not_negative",
            ),
        ]

    def __str__(self):
        return f"{self.household_id} {self.year}"

    @property
    def net(self) -> Decimal:
        return self.wage + self.production + self.property_income + self.transfer - self.production_cost

    def compute_per_capita(self):
        self.per_capita = (self.net / self.members_counted).quantize(Decimal("0.01"))


class Conditions(RegionScoped):
    """两不愁三保障 and drinking water, per household and year, with the evidence."""

    household = models.ForeignKey(Household, on_delete=models.CASCADE, related_name="conditions")
    year = models.PositiveSmallIntegerField(_("year"))
    food_clothing = models.BooleanField(_("food and clothing secured"), default=True)
    compulsory_education = models.BooleanField(_("compulsory education secured"), default=True)
    basic_medical = models.BooleanField(_("basic medical care secured"), default=True)
    housing_grade = models.CharField(_("housing safety grade"), max_length=1, choices=HousingGrade.choices)
    water_quantity = models.BooleanField(_("water quantity sufficient"), default=True)
    water_quality = models.BooleanField(_("water quality safe"), default=True)
    water_convenience = models.BooleanField(_("water convenient"), default=True)
    water_reliability = models.BooleanField(_("water supply reliable"), default=True)
    evidence = models.TextField(_("evidence"), blank=True)

    permission_name = "household"

    class Meta:
        ordering = ["household_id", "-year"]
        constraints = [models.UniqueConstraint(fields=["household", "year"], name="one_conditions_per_year")]

    def __str__(self):
        return f"{self.household_id} {self.year}"

    def failures(self) -> list[str]:
        """The items not secured, by name."""
        checks = {
            "food_clothing": self.food_clothing, "compulsory_education": self.compulsory_education,
            "basic_medical": self.basic_medical, "housing": self.housing_grade in ("A", "B"),
            "water_quantity": self.water_quantity, "water_quality": self.water_quality,
            "water_convenience": self.water_convenience, "water_reliability": self.water_reliability,
        }
        return [name for name, ok in checks.items() if not ok]


class MonitoringLine(models.Model):
    """The monitoring threshold (yuan per person per year) and the screening parameters of a province (or one of its
    counties) for a year. Local rules: a table, never a constant."""

    province_code = models.CharField(_("province code"), max_length=6)
    county_code = models.CharField(_("county code"), max_length=6, blank=True)
    year = models.PositiveSmallIntegerField(_("year"))
    amount = models.DecimalField(_("monitoring line (yuan per person)"), max_digits=18, decimal_places=2)
    income_fall_share = models.DecimalField(_("income fall that raises a clue"), max_digits=4, decimal_places=2,
                                            default=Decimal("0.30"))
    rigid_spending_share = models.DecimalField(_("rigid spending share of income that raises a clue"),
                                               max_digits=4, decimal_places=2, default=Decimal("0.50"))
    clue_deadline_days = models.PositiveSmallIntegerField(_("days from clue to decision"), default=15)
    publicity_days = models.PositiveSmallIntegerField(_("village publicity days"), default=5)

    objects = ScopedQuerySet.as_manager()
    permission_name = "monitoringline"

    class Meta:
        ordering = ["-year", "province_code", "county_code"]
        verbose_name = _("monitoring line")
        constraints = [models.UniqueConstraint(fields=["province_code", "county_code", "year"],
                                               name="one_line_per_place_year")]

    def __str__(self):
        return f"{self.province_code}{'/' + self.county_code if self.county_code else ''} {self.year}: {self.amount}"

    @staticmethod
    def scope_q(scope, action):
        return Q() if action == "view" else Q(pk__in=[])

    def audit_paths(self):
        """The province's (or county's) region path, so that the change log shows the line where it applies."""
        from bangfu.regions.models import Region

        place = Region.objects.filter(code=self.county_code or self.province_code).first()
        return (place.path if place else ""), ""


class ClueSource(models.TextChoices):
    SELF_REPORT = "self_report", _("self-report")
    CADRE_VISIT = "cadre_visit", _("cadre visit")
    DEPARTMENT = "department", _("department alert")
    SCREENING = "screening", _("screening")


class Purpose(models.TextChoices):
    IDENTIFY = "identify", _("identification")
    ELIMINATE = "eliminate", _("risk elimination")


class Stage(models.TextChoices):
    CLUE = "clue", _("clue")
    VERIFIED = "verified", _("home verification done")
    CROSSCHECKED = "crosschecked", _("data cross-check done")
    PUBLICISED = "publicised", _("village review, in publicity")
    TOWNSHIP_REVIEWED = "township_reviewed", _("township reviewed")
    APPROVED = "approved", _("county approved")
    REJECTED = "rejected", _("rejected")


CLOSED_STAGES = {Stage.APPROVED, Stage.REJECTED}


class Clue(RegionScoped):
    """One case through the review chain: identifying a monitoring object, or eliminating its risk."""

    household = models.ForeignKey(Household, on_delete=models.PROTECT, related_name="clues")
    purpose = models.CharField(_("purpose"), max_length=10, choices=Purpose.choices, default=Purpose.IDENTIFY)
    source = models.CharField(_("source"), max_length=12, choices=ClueSource.choices)
    candidate_category = models.CharField(_("candidate category"), max_length=10,
                                          choices=MonitoringCategory.choices, blank=True)
    reasons = models.JSONField(_("reasons"), default=list)
    stage = models.CharField(_("stage"), max_length=20, choices=Stage.choices, default=Stage.CLUE, db_index=True)
    is_open = models.BooleanField(_("open"), default=True, db_index=True)
    opened_on = models.DateField(_("opened on"), default=timezone.localdate)
    deadline = models.DateField(_("decision due"))
    publicity_start = models.DateField(_("publicity from"), null=True, blank=True)
    publicity_end = models.DateField(_("publicity until"), null=True, blank=True)
    decided_category = models.CharField(_("decided category"), max_length=10, choices=MonitoringCategory.choices,
                                        blank=True)

    permission_name = "clue"

    class Meta:
        ordering = ["-opened_on", "-id"]
        verbose_name = _("clue")
        constraints = [
            # Re-running screening never opens a second case of the same purpose for a household.
            models.UniqueConstraint(fields=["household", "purpose"], condition=Q(is_open=True),
                                    name="one_open_case_per_household_purpose"),
        ]

    def __str__(self):
        return f"{self.household.number} {self.get_purpose_display()} {self.get_stage_display()}"


class Transition(RegionScoped):
    clue = models.ForeignKey(Clue, on_delete=models.PROTECT, related_name="transitions")
    from_stage = models.CharField(max_length=20, choices=Stage.choices, blank=True)
    to_stage = models.CharField(max_length=20, choices=Stage.choices)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True)
    time = models.DateTimeField(default=timezone.now)
    reason = models.TextField(_("reason"), blank=True)
    attachment = models.FileField(_("attachment"), upload_to="clues/%Y/%m/", blank=True)

    permission_name = "clue"

    class Meta:
        ordering = ["clue_id", "time", "id"]

    def __str__(self):
        return f"{self.clue_id}: {self.from_stage} → {self.to_stage}"


class Measure(RegionScoped):
    """An assistance measure (帮扶措施) for a monitored household."""

    class Kind(models.TextChoices):
        INDUSTRY = "industry", _("industry")
        EMPLOYMENT = "employment", _("employment")
        EDUCATION = "education", _("education")
        HEALTH = "health", _("health")
        HOUSING = "housing", _("housing")
        WATER = "water", _("drinking water")
        SOCIAL_SECURITY = "social_security", _("social security")
        OTHER = "other", _("other")

    household = models.ForeignKey(Household, on_delete=models.PROTECT, related_name="measures")
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    description = models.CharField(_("description"), max_length=300)
    responsible_unit = models.CharField(_("responsible unit"), max_length=100)
    responsible_person = models.CharField(_("responsible person"), max_length=50)
    start = models.DateField(_("start"))
    end = models.DateField(_("end"), null=True, blank=True)
    outcome = models.TextField(_("outcome"), blank=True)

    permission_name = "household"

    class Meta:
        ordering = ["household_id", "-start"]

    def __str__(self):
        return f"{self.get_kind_display()}: {self.description}"


class Visit(RegionScoped):
    household = models.ForeignKey(Household, on_delete=models.PROTECT, related_name="visits")
    visited_on = models.DateField(_("date"))
    visitor = models.CharField(_("visitor"), max_length=50)
    notes = models.TextField(_("notes"))

    permission_name = "household"

    class Meta:
        ordering = ["household_id", "-visited_on"]

    def __str__(self):
        return f"{self.household_id} {self.visited_on}"
