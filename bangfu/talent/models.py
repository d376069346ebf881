"""People sent and trained (干部人才): cadres on secondment, professionals (teachers, doctors, agronomists), first
secretaries sent by the helper side; people of the recipient side trained in the helper city (来深培训).

Each row is one person-time: the same person sent twice is two rows, as the published figures count them. Rows carry
the recipient region's path and the helper organisation's path, so that both sides see them.
"""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from bangfu.core.models import RegionOrgScoped


class SentKind(models.TextChoices):
    CADRE = "cadre", _("cadre on secondment")
    TEACHER = "teacher", _("teacher")
    DOCTOR = "doctor", _("doctor")
    AGRONOMIST = "agronomist", _("agronomist")
    PROFESSIONAL = "professional", _("other professional")
    FIRST_SECRETARY = "first_secretary", _("first secretary or village work team")


PROFESSIONALS = (SentKind.TEACHER, SentKind.DOCTOR, SentKind.AGRONOMIST, SentKind.PROFESSIONAL)


class PersonSent(RegionOrgScoped):
    name = models.CharField(_("name"), max_length=50)
    kind = models.CharField(_("kind"), max_length=16, choices=SentKind.choices, db_index=True)
    from_org = models.ForeignKey("regions.Organisation", verbose_name=_("sent by"), on_delete=models.PROTECT,
                                 related_name="people_sent")
    to_region = models.ForeignKey("regions.Region", verbose_name=_("sent to (region)"), on_delete=models.PROTECT,
                                  related_name="people_received")
    to_org = models.ForeignKey("regions.Organisation", verbose_name=_("sent to (unit)"), null=True, blank=True,
                               on_delete=models.PROTECT, related_name="people_received")
    position = models.CharField(_("position"), max_length=100, blank=True)
    start = models.DateField(_("start"))
    end = models.DateField(_("end"), null=True, blank=True)

    permission_name = "talent"

    class Meta:
        ordering = ["-start", "id"]
        verbose_name = _("person sent")
        verbose_name_plural = _("people sent")
        constraints = [models.CheckConstraint(condition=Q(end__isnull=True) | Q(end__gte=models.F("start")),
                                              name="sent_end_not_before_start")]
        indexes = [models.Index(fields=["kind", "start"], name="sent_kind_start")]

    def __str__(self):
        return f"{self.name} ({self.get_kind_display()})"


class TrainedKind(models.TextChoices):
    CADRE = "cadre", _("cadre")
    PROFESSIONAL = "professional", _("professional")
    LEADER = "leader", _("village leader or entrepreneur")
    OTHER = "other", _("other")


class PersonTrained(RegionOrgScoped):
    name = models.CharField(_("name"), max_length=50)
    kind = models.CharField(_("kind"), max_length=16, choices=TrainedKind.choices)
    from_region = models.ForeignKey("regions.Region", verbose_name=_("from (region)"), on_delete=models.PROTECT,
                                    related_name="people_trained")
    host = models.ForeignKey("regions.Organisation", verbose_name=_("host"), on_delete=models.PROTECT,
                             related_name="people_trained")
    programme = models.CharField(_("programme"), max_length=200)
    start = models.DateField(_("start"))
    end = models.DateField(_("end"))

    permission_name = "talent"

    class Meta:
        ordering = ["-start", "id"]
        verbose_name = _("person trained")
        verbose_name_plural = _("people trained")
        constraints = [models.CheckConstraint(condition=Q(end__gte=models.F("start")),
                                              name="trained_end_not_before_start")]

    def __str__(self):
        return f"{self.name} · {self.programme}"
