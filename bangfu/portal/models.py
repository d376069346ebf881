"""Notices (公告公示) of the public disclosure: at county level and above on the portal, kept long-term; at township and
village level on bulletin boards for at least 10 days (the database refuses a shorter period)."""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from bangfu.core.models import RegionOrgScoped

BULLETIN_MIN_DAYS = 10


class NoticeLevel(models.TextChoices):
    COUNTY = "county", _("County portal")
    TOWNSHIP = "township", _("Township bulletin board")
    VILLAGE = "village", _("Village bulletin board")


class NoticeKind(models.TextChoices):
    FUND_PLAN = "fund_plan", _("Annual fund plan")
    PROJECT = "project", _("Project publicity")
    COMPLETION = "completion", _("Completion report")
    FUND_USE = "fund_use", _("Use of funds")


class Notice(RegionOrgScoped):
    region = models.ForeignKey("regions.Region", verbose_name=_("region"), on_delete=models.PROTECT,
                               related_name="notices")
    project = models.ForeignKey("projects.Project", verbose_name=_("project"), null=True, blank=True,
                                on_delete=models.PROTECT, related_name="notices")
    kind = models.CharField(_("kind"), max_length=12, choices=NoticeKind.choices)
    level = models.CharField(_("level"), max_length=10, choices=NoticeLevel.choices)
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("text"))
    published_on = models.DateField(_("published on"))
    period_days = models.PositiveSmallIntegerField(_("period (days)"), null=True, blank=True)

    permission_name = "notice"

    class Meta:
        ordering = ["-published_on", "-id"]
        verbose_name = _("notice")
        verbose_name_plural = _("notices")
        constraints = [
            models.CheckConstraint(condition=Q(level="county") | Q(period_days__gte=BULLETIN_MIN_DAYS),
                                   name="bulletin_at_least_ten_days"),
        ]

    def __str__(self):
        return self.title

    @property
    def ends_on(self):
        from datetime import timedelta

        return self.published_on + timedelta(days=self.period_days - 1) if self.period_days else None
