"""The project library (项目库) and what projects leave behind: milestones, the lifecycle trail, beneficiaries and
their gains (联农带农), enclave dividends (飞地分红) and the assets ledger (扶贫资产).

Every row carries the region path of where it is (a county or a village) and, where a pairing funds it, the helper
organisation's path: the scope of a row is `region_path` for the recipient side and `org_path` for the helper side.
A project's `disbursed` and `spent` are kept by the funds services (set-based summaries read them instead of every
expenditure) and the database refuses `spent > disbursed`.
"""


from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from bangfu.core.models import RegionOrgScoped
from bangfu.core.money import ZERO, money_field


class Category(models.TextChoices):
    INDUSTRY = "industry", _("Industry")
    EMPLOYMENT = "employment", _("Employment")
    EDUCATION = "education", _("Education")
    HEALTH = "health", _("Health care")
    HOUSING = "housing", _("Housing")
    WATER = "water", _("Drinking water")
    INFRASTRUCTURE = "infrastructure", _("Infrastructure")
    CONSUMPTION = "consumption", _("Consumption assistance")
    PARTY = "party", _("Party building")
    TALENT = "talent", _("Talent")
    OTHER = "other", _("Other")


class State(models.TextChoices):
    APPLIED = "applied", _("Applied by the village")  # 村申报
    TOWNSHIP_REVIEWED = "township_reviewed", _("Reviewed by the township")  # 乡审核
    APPROVED = "approved", _("Decided by the county, in the library")  # 县审定入库
    FUNDED = "funded", _("Funds planned")  # 资金计划
    IMPLEMENTING = "implementing", _("Being implemented")  # 实施
    COMPLETED = "completed", _("Completed")  # 完工
    ACCEPTED = "accepted", _("Accepted")  # 验收
    HANDED_OVER = "handed_over", _("Assets handed over")  # 资产移交
    REJECTED = "rejected", _("Rejected")
    ROLLED_OVER = "rolled_over", _("Rolled over to next year")


# The lifecycle, in order: a project moves one step at a time (or is rejected before the county's decision).
LIFECYCLE = [State.APPLIED, State.TOWNSHIP_REVIEWED, State.APPROVED, State.FUNDED, State.IMPLEMENTING,
             State.COMPLETED, State.ACCEPTED, State.HANDED_OVER]
# Money may go to a project once the county has decided it, and be spent once its funds are planned.
DISBURSABLE = {State.APPROVED, State.FUNDED, State.IMPLEMENTING, State.COMPLETED, State.ACCEPTED}
SPENDABLE = {State.FUNDED, State.IMPLEMENTING, State.COMPLETED, State.ACCEPTED}
# Shown on the public portal: the county has decided them.
PUBLISHED = {State.APPROVED, State.FUNDED, State.IMPLEMENTING, State.COMPLETED, State.ACCEPTED, State.HANDED_OVER}


class Project(RegionOrgScoped):
    number = models.CharField(_("project number"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=200)
    category = models.CharField(_("category"), max_length=20, choices=Category.choices, db_index=True)
    year = models.PositiveSmallIntegerField(_("library year"), db_index=True)
    state = models.CharField(_("state"), max_length=20, choices=State.choices, default=State.APPLIED, db_index=True)
    region = models.ForeignKey("regions.Region", verbose_name=_("location"), on_delete=models.PROTECT,
                               related_name="projects")
    pairing = models.ForeignKey("pairing.Pairing", verbose_name=_("pairing"), null=True, blank=True,
                                on_delete=models.PROTECT, related_name="projects")
    content = models.TextField(_("content"), blank=True)
    implementer = models.CharField(_("implementer"), max_length=200, blank=True)
    responsible = models.CharField(_("responsible person"), max_length=50, blank=True)
    procurement = models.CharField(_("procurement"), max_length=100, blank=True)
    planned_amount = money_field(_("planned funds"), default=ZERO)
    disbursed = money_field(_("disbursed"), default=ZERO, editable=False)
    spent = money_field(_("spent"), default=ZERO, editable=False)
    planned_start = models.DateField(_("planned start"), null=True, blank=True)
    planned_end = models.DateField(_("planned end"), null=True, blank=True)
    actual_start = models.DateField(_("actual start"), null=True, blank=True)
    actual_end = models.DateField(_("actual end"), null=True, blank=True)
    progress = models.PositiveSmallIntegerField(_("progress (%)"), default=0)
    targets = models.TextField(_("performance targets"), blank=True)
    results = models.TextField(_("performance results"), blank=True)
    jobs = models.PositiveIntegerField(_("jobs created"), default=0)
    published_on = models.DateField(_("published on"), null=True, blank=True)
    rolled_from_year = models.PositiveSmallIntegerField(_("rolled over from"), null=True, blank=True)
    created = models.DateTimeField(auto_now_add=True)
    updated = models.DateTimeField(auto_now=True)

    permission_name = "project"

    class Meta:
        ordering = ["-year", "number"]
        verbose_name = _("project")
        verbose_name_plural = _("projects")
        indexes = [models.Index(fields=["county_code", "year"]), models.Index(fields=["org_path", "year"])]
        constraints = [
            models.CheckConstraint(condition=Q(spent__lte=F("disbursed")), name="project_spent_within_disbursed"),
            models.CheckConstraint(condition=Q(spent__gte=0) & Q(disbursed__gte=0) & Q(planned_amount__gte=0),
                                   name="project_amounts_not_negative"),
            models.CheckConstraint(condition=Q(progress__lte=100), name="project_progress_at_most_100"),
        ]

    def __str__(self):
        return f"{self.number} {self.name}"

    @property
    def unspent(self):
        return self.disbursed - self.spent


class Milestone(RegionOrgScoped):
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="milestones")
    name = models.CharField(_("milestone"), max_length=200)
    due = models.DateField(_("due"))
    done_on = models.DateField(_("done on"), null=True, blank=True)

    permission_name = "project"

    class Meta:
        ordering = ["due", "id"]
        verbose_name = _("milestone")
        verbose_name_plural = _("milestones")

    def __str__(self):
        return f"{self.project.number} {self.name}"


class Step(RegionOrgScoped):
    """One move of a project along its lifecycle: when, by whom, why (disclosed at each step)."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="steps")
    from_state = models.CharField(_("from"), max_length=20, choices=State.choices, blank=True)
    to_state = models.CharField(_("to"), max_length=20, choices=State.choices)
    on = models.DateField(_("date"))
    actor_name = models.CharField(_("by"), max_length=150, blank=True)
    note = models.TextField(_("note"), blank=True)

    permission_name = "project"

    class Meta:
        ordering = ["on", "id"]
        verbose_name = _("project step")
        verbose_name_plural = _("project steps")

    def __str__(self):
        return f"{self.project_id} {self.from_state}→{self.to_state} {self.on}"


class Gain(models.TextChoices):
    WAGES = "wages", _("Wages")  # 务工
    DIVIDEND = "dividend", _("Dividend")  # 分红
    RENT = "rent", _("Rent")  # 租金
    PURCHASE = "purchase", _("Purchase of produce")  # 收购农产品
    WELFARE_JOB = "welfare_job", _("Public-welfare job")  # 公益性岗位
    SERVICE = "service", _("Public service")  # 受益于公共设施与服务


class Dividend(RegionOrgScoped):
    """An enclave dividend (飞地分红): part of a project's income distributed to households in one year."""

    project = models.ForeignKey(Project, verbose_name=_("project"), on_delete=models.PROTECT,
                                related_name="dividends")
    year = models.PositiveSmallIntegerField(_("year"))
    amount = money_field(_("amount"), default=ZERO)
    distributed_on = models.DateField(_("distributed on"))
    document_no = models.CharField(_("document number"), max_length=60, blank=True)

    permission_name = "project"

    class Meta:
        ordering = ["-year", "id"]
        verbose_name = _("enclave dividend")
        verbose_name_plural = _("enclave dividends")
        constraints = [models.CheckConstraint(condition=Q(amount__gt=0), name="dividend_amount_positive")]

    def __str__(self):
        return f"{self.project.name} {self.year}"


class Beneficiary(RegionOrgScoped):
    """A household's gain from a project in a year: the kind and the amount (0 for a public service)."""

    project = models.ForeignKey(Project, verbose_name=_("project"), on_delete=models.CASCADE,
                                related_name="beneficiaries")
    household = models.ForeignKey("households.Household", verbose_name=_("household"), on_delete=models.PROTECT,
                                  related_name="project_gains")
    year = models.PositiveSmallIntegerField(_("year"))
    gain = models.CharField(_("kind of gain"), max_length=20, choices=Gain.choices)
    amount = money_field(_("amount"), default=ZERO)
    dividend = models.ForeignKey(Dividend, null=True, blank=True, on_delete=models.CASCADE,
                                 related_name="shares")

    permission_name = "beneficiary"

    class Meta:
        ordering = ["project", "household"]
        verbose_name = _("beneficiary")
        verbose_name_plural = _("beneficiaries")
        constraints = [
            models.UniqueConstraint(fields=["project", "household", "year", "gain"], name="one_gain_per_year"),
            models.CheckConstraint(condition=Q(amount__gte=0), name="beneficiary_amount_not_negative"),
        ]
        indexes = [models.Index(fields=["county_code", "household"])]

    def __str__(self):
        return f"{self.household_id} {self.gain} {self.year}"


class AssetKind(models.TextChoices):
    OPERATING = "operating", _("Operating asset")  # 经营性
    PUBLIC = "public", _("Public-welfare asset")  # 公益性
    HOUSEHOLD = "household", _("Household asset")  # 到户类


class Asset(RegionOrgScoped):
    number = models.CharField(_("asset number"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=12, choices=AssetKind.choices, db_index=True)
    project = models.ForeignKey(Project, verbose_name=_("project"), null=True, blank=True, on_delete=models.PROTECT,
                                related_name="assets")
    region = models.ForeignKey("regions.Region", verbose_name=_("location"), on_delete=models.PROTECT,
                               related_name="assets")
    value = money_field(_("value"), default=ZERO)
    owner = models.CharField(_("owner"), max_length=200)
    upkeep = models.CharField(_("upkeep responsible"), max_length=200, blank=True)
    income = money_field(_("income to date"), default=ZERO)
    handed_over_on = models.DateField(_("handed over on"), null=True, blank=True)
    disposed_on = models.DateField(_("disposed of on"), null=True, blank=True)
    disposal = models.CharField(_("disposal"), max_length=200, blank=True)

    permission_name = "asset"

    class Meta:
        ordering = ["number"]
        verbose_name = _("asset")
        verbose_name_plural = _("assets")
        constraints = [
            models.CheckConstraint(condition=Q(value__gte=0) & Q(income__gte=0), name="asset_amounts_not_negative"),
        ]

    def __str__(self):
        return f"{self.number} {self.name}"
