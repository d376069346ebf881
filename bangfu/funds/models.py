"""The funds chain (资金全链条): sources → budgets (预算) → disbursements (拨付) to a recipient region and on to
projects → expenditures (使用) → adjustments and refunds; and the tilt rules (倾斜要求) as data.

Invariants held by the database as well as by the services: each record keeps what has been drawn from it
(`Budget.disbursed`, `Disbursement.allocated` / `spent`, `Project.disbursed` / `spent`), and a check constraint refuses
a draw beyond the amount. The services move these counters with `F()` updates in the same transaction as the row they
write, so that two clerks spending at once cannot overdraw either.
"""

from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from bangfu.core.models import RegionOrgScoped
from bangfu.core.money import ZERO, money_field


class SourceKind(models.TextChoices):
    FISCAL = "fiscal", _("Fiscal aid")  # 财政帮扶资金
    SOCIAL_CASH = "social_cash", _("Social aid: cash donation")  # 社会帮扶资金: 捐款
    IN_KIND = "in_kind", _("Social aid: donation in kind (valued)")  # 捐物折款


SOCIAL_KINDS = (SourceKind.SOCIAL_CASH, SourceKind.IN_KIND)


class Level(models.TextChoices):
    PROVINCE = "province", _("province")
    CITY = "city", _("city")
    DISTRICT = "district", _("district")
    OTHER = "other", _("other")


class Attached(models.Model):
    """Dated, numbered and documented: what every record of the chain shares."""

    document_no = models.CharField(_("document number"), max_length=60, blank=True)
    attachment = models.FileField(_("attachment"), upload_to="funds/%Y/", blank=True)
    notes = models.TextField(_("notes"), blank=True)
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        abstract = True


class FundSource(RegionOrgScoped, Attached):
    """Money that came in for a pairing in a year: fiscal aid by level, or social aid in cash or in kind."""

    kind = models.CharField(_("kind"), max_length=12, choices=SourceKind.choices, db_index=True)
    level = models.CharField(_("level"), max_length=10, choices=Level.choices, blank=True)
    pairing = models.ForeignKey("pairing.Pairing", verbose_name=_("pairing"), on_delete=models.PROTECT,
                                related_name="fund_sources")
    year = models.PositiveSmallIntegerField(_("year"), db_index=True)
    amount = money_field(_("amount"), default=ZERO)
    received_on = models.DateField(_("received on"))
    donor = models.CharField(_("donor"), max_length=200, blank=True)

    permission_name = "fundsource"

    class Meta:
        ordering = ["-year", "-received_on", "id"]
        verbose_name = _("fund source")
        verbose_name_plural = _("fund sources")
        indexes = [models.Index(fields=["org_path", "year", "kind"]), models.Index(fields=["region_path", "year"])]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="fundsource_amount_positive"),
            models.CheckConstraint(condition=~Q(kind="fiscal") | ~Q(level=""), name="fiscal_source_has_level"),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} {self.year} {self.amount}"


class SourceTotal(RegionOrgScoped):
    """What came in for a pairing, year and kind: the sum of its fund sources, kept by the service that records them
    (in the same transaction), so that a city's summary reads a few thousand totals instead of every tranche."""

    pairing = models.ForeignKey("pairing.Pairing", on_delete=models.PROTECT, related_name="source_totals")
    year = models.PositiveSmallIntegerField(_("year"))
    kind = models.CharField(_("kind"), max_length=12, choices=SourceKind.choices)
    amount = money_field(_("amount"), default=ZERO)
    rows = models.PositiveIntegerField(default=0)

    permission_name = "fundsource"

    class Meta:
        verbose_name = _("fund source total")
        verbose_name_plural = _("fund source totals")
        constraints = [models.UniqueConstraint(fields=["pairing", "year", "kind"], name="one_total_per_source_kind")]

    def __str__(self):
        return f"{self.pairing_id}/{self.year}/{self.kind} {self.amount}"


class Budget(RegionOrgScoped, Attached):
    """The yearly budget of a pairing: what may be disbursed to its recipient."""

    pairing = models.ForeignKey("pairing.Pairing", verbose_name=_("pairing"), on_delete=models.PROTECT,
                                related_name="budgets")
    year = models.PositiveSmallIntegerField(_("year"), db_index=True)
    amount = money_field(_("budgeted"), default=ZERO)
    disbursed = money_field(_("disbursed"), default=ZERO, editable=False)
    approved_on = models.DateField(_("approved on"))

    permission_name = "budget"

    class Meta:
        ordering = ["-year", "id"]
        verbose_name = _("budget")
        verbose_name_plural = _("budgets")
        constraints = [
            models.UniqueConstraint(fields=["pairing", "year"], name="one_budget_per_pairing_year"),
            models.CheckConstraint(condition=Q(disbursed__lte=F("amount")), name="budget_disbursed_within_budget"),
            models.CheckConstraint(condition=Q(disbursed__gte=0), name="budget_disbursed_not_negative"),
        ]

    def __str__(self):
        return f"{self.pairing_id}/{self.year} {self.amount}"

    @property
    def available(self):
        return self.amount - self.disbursed


class Disbursement(RegionOrgScoped, Attached):
    """Money paid out of a budget: to the recipient region (no parent), or from such a disbursement on to a project.

    A regional disbursement keeps what has been passed on to projects (`allocated`); a project's keeps what has been
    spent from it (`spent`).
    """

    budget = models.ForeignKey(Budget, verbose_name=_("budget"), on_delete=models.PROTECT,
                               related_name="disbursements")
    parent = models.ForeignKey("self", verbose_name=_("from"), null=True, blank=True, on_delete=models.PROTECT,
                               related_name="children")
    region = models.ForeignKey("regions.Region", verbose_name=_("to region"), on_delete=models.PROTECT,
                               related_name="disbursements")
    project = models.ForeignKey("projects.Project", verbose_name=_("to project"), null=True, blank=True,
                                on_delete=models.PROTECT, related_name="disbursements")
    year = models.PositiveSmallIntegerField(_("year"), db_index=True)
    amount = money_field(_("amount"), default=ZERO)
    allocated = money_field(_("passed on to projects"), default=ZERO, editable=False)
    spent = money_field(_("spent"), default=ZERO, editable=False)
    paid_on = models.DateField(_("date"))

    permission_name = "disbursement"

    class Meta:
        ordering = ["-paid_on", "id"]
        verbose_name = _("disbursement")
        verbose_name_plural = _("disbursements")
        constraints = [
            models.CheckConstraint(condition=Q(allocated__lte=F("amount")), name="disbursement_allocated_within"),
            models.CheckConstraint(condition=Q(spent__lte=F("amount")), name="disbursement_spent_within"),
            models.CheckConstraint(condition=Q(amount__gte=0) & Q(allocated__gte=0) & Q(spent__gte=0),
                                   name="disbursement_amounts_not_negative"),
            models.CheckConstraint(condition=Q(parent__isnull=True, project__isnull=True)
                                   | Q(parent__isnull=False, project__isnull=False),
                                   name="disbursement_to_region_or_project"),
        ]
        indexes = [models.Index(fields=["project", "year"])]

    def __str__(self):
        target = self.project.name if self.project_id else self.region.name
        return f"{self.paid_on} → {target} {self.amount}"

    @property
    def available(self):
        return self.amount - (self.spent if self.project_id else self.allocated)


class Expenditure(RegionOrgScoped, Attached):
    """A payment made for a project, drawn on one of the project's disbursements."""

    project = models.ForeignKey("projects.Project", verbose_name=_("project"), on_delete=models.PROTECT,
                                related_name="expenditures")
    disbursement = models.ForeignKey(Disbursement, verbose_name=_("drawn on"), on_delete=models.PROTECT,
                                     related_name="expenditures")
    year = models.PositiveSmallIntegerField(_("year"), db_index=True)
    amount = money_field(_("amount"), default=ZERO)
    paid_on = models.DateField(_("date"))
    payee = models.CharField(_("payee"), max_length=200, blank=True)
    purpose = models.CharField(_("purpose"), max_length=200, blank=True)

    permission_name = "expenditure"

    class Meta:
        ordering = ["-paid_on", "id"]
        verbose_name = _("expenditure")
        verbose_name_plural = _("expenditures")
        constraints = [models.CheckConstraint(condition=Q(amount__gte=0), name="expenditure_amount_not_negative")]

    def __str__(self):
        return f"{self.paid_on} {self.project_id} {self.amount}"


class AdjustmentKind(models.TextChoices):
    ADJUSTMENT = "adjustment", _("Adjustment")  # 调整
    REFUND = "refund", _("Refund")  # 退回


class Adjustment(RegionOrgScoped, Attached):
    """A change of a budget, disbursement or expenditure after the fact, kept beside it: the amount moved (negative
    for a reduction or a refund) and the figures before and after."""

    kind = models.CharField(_("kind"), max_length=12, choices=AdjustmentKind.choices)
    budget = models.ForeignKey(Budget, null=True, blank=True, on_delete=models.PROTECT, related_name="adjustments")
    disbursement = models.ForeignKey(Disbursement, null=True, blank=True, on_delete=models.PROTECT,
                                     related_name="adjustments")
    expenditure = models.ForeignKey(Expenditure, null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="adjustments")
    delta = money_field(_("change"))
    before = money_field(_("before"))
    after = money_field(_("after"))
    on = models.DateField(_("date"))
    reason = models.TextField(_("reason"))

    permission_name = "disbursement"

    class Meta:
        ordering = ["-on", "-id"]
        verbose_name = _("adjustment")
        verbose_name_plural = _("adjustments")
        constraints = [
            models.CheckConstraint(
                condition=Q(budget__isnull=False, disbursement__isnull=True, expenditure__isnull=True)
                | Q(budget__isnull=True, disbursement__isnull=False, expenditure__isnull=True)
                | Q(budget__isnull=True, disbursement__isnull=True, expenditure__isnull=False),
                name="adjustment_has_one_target"),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} {self.delta} ({self.on})"


class RuleKind(models.TextChoices):
    INDUSTRY_SHARE = "industry_share", _("Share for industry at least")
    KEY_COUNTY_SHARE = "key_county_share", _("Share to national key counties at least")
    FISCAL_NOT_DECREASING = "fiscal_not_decreasing", _("Fiscal aid not below last year")
    LIVELIHOOD_SHARE = "livelihood_share", _("Share for livelihood at least")


class TiltRule(models.Model):
    """A yearly tilt rule (倾斜要求), local and changing: configuration, never a constant in code."""

    year = models.PositiveSmallIntegerField(_("year"))
    kind = models.CharField(_("rule"), max_length=24, choices=RuleKind.choices)
    threshold = models.DecimalField(_("threshold (%)"), max_digits=5, decimal_places=2, null=True, blank=True)
    notes = models.CharField(_("notes"), max_length=200, blank=True)

    objects = models.Manager()
    permission_name = "tiltrule"

    class Meta:
        ordering = ["-year", "kind"]
        verbose_name = _("tilt rule")
        verbose_name_plural = _("tilt rules")
        constraints = [models.UniqueConstraint(fields=["year", "kind"], name="one_tilt_rule_per_year")]

    def __str__(self):
        return f"{self.year} {self.get_kind_display()} {self.threshold or ''}"


class KeyCounty(models.Model):
    """A national key county for rural revitalisation (国家乡村振兴重点帮扶县), from a year on."""

    region = models.OneToOneField("regions.Region", verbose_name=_("county"), on_delete=models.PROTECT,
                                  related_name="key_county")
    since = models.PositiveSmallIntegerField(_("since"))

    objects = models.Manager()

    class Meta:
        verbose_name = _("key county")
        verbose_name_plural = _("key counties")

    def __str__(self):
        return f"{self.region_id} ({self.since})"
