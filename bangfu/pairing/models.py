"""Pairings: who helps whom, of what kind, from when to when."""

from datetime import date

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from bangfu.core.scope import ScopedQuerySet, collapse, prefix_q
from bangfu.regions.models import Organisation, Region


class PairingKind(models.TextChoices):
    COUNTERPART = "counterpart", _("Counterpart support")
    EAST_WEST = "east_west", _("East-West cooperation")
    IN_PROVINCE = "in_province", _("In-province pairing")
    HAND_IN_HAND = "hand_in_hand", _("Hand in hand")
    ENTERPRISE_VILLAGE = "enterprise_village", _("Ten thousand enterprises, ten thousand villages")
    SCHOOL = "school", _("School pairing")
    HOSPITAL = "hospital", _("Hospital pairing")
    VILLAGE = "village", _("Village pairing")


class PairingQuerySet(ScopedQuerySet):
    def active(self, on: date | None = None):
        """In force on the day (today by default)."""
        return self.filter(self._in_force(on))

    def inactive(self, on: date | None = None):
        """Ended, or not started yet."""
        return self.exclude(self._in_force(on))

    @staticmethod
    def _in_force(on: date | None) -> Q:
        on = on or timezone.localdate()
        return Q(start__lte=on) & (Q(end__isnull=True) | Q(end__gte=on))


class Pairing(models.Model):
    kind = models.CharField(_("kind"), max_length=20, choices=PairingKind.choices, db_index=True)
    helper = models.ForeignKey(
        Organisation, verbose_name=_("helper"), on_delete=models.PROTECT, related_name="pairings_helped"
    )
    # Always set: a pairing with an organisation (a school, a hospital) is located at that organisation's region.
    recipient_region = models.ForeignKey(
        Region, verbose_name=_("recipient region"), on_delete=models.PROTECT, related_name="pairings"
    )
    recipient_org = models.ForeignKey(
        Organisation, verbose_name=_("recipient organisation"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="pairings_received",
    )
    start = models.DateField(_("start"))
    end = models.DateField(_("end"), null=True, blank=True)
    notes = models.TextField(_("notes"), blank=True)
    import_batch = models.ForeignKey("core.ImportBatch", null=True, blank=True, editable=False,
                                     on_delete=models.PROTECT, related_name="+")
    created = models.DateTimeField(auto_now_add=True)
    updated = models.DateTimeField(auto_now=True)

    objects = PairingQuerySet.as_manager()
    permission_name = "pairing"

    class Meta:
        ordering = ["-start", "id"]
        verbose_name = _("pairing")
        verbose_name_plural = _("pairings")
        constraints = [
            models.CheckConstraint(
                condition=Q(end__isnull=True) | Q(end__gte=models.F("start")), name="pairing_end_not_before_start"
            ),
        ]

    def __str__(self):
        recipient = self.recipient_org or self.recipient_region
        return f"{self.helper} → {recipient} ({self.get_kind_display()})"

    @property
    def recipient(self):
        return self.recipient_org or self.recipient_region

    @property
    def is_active(self) -> bool:
        today = timezone.localdate()
        return self.start <= today and (self.end is None or self.end >= today)

    @staticmethod
    def scope_q(scope, action):
        own = prefix_q("helper__path", scope.org_paths)
        if action != "view":
            return own
        return own | prefix_q("recipient_region__path", scope.region_paths)

    def audit_paths(self):
        return self.recipient_region.path, self.helper.path


# Scope hooks (core.scope, regions.Organisation): who is paired with whom, whatever the asking user may see.

def helpers_of(region_path: str):
    """(region path, organisation path) of every organisation that helps, or helped, a recipient in the subtree."""
    pairings = Pairing.objects.filter(recipient_region__path__startswith=region_path)
    return pairings.values_list("helper__region__path", "helper__path").distinct()


def recipients_of(org_path: str):
    """The region paths actively helped by an organisation in the subtree."""
    return Pairing.objects.active().filter(helper__path__startswith=org_path).values_list(
        "recipient_region__path", flat=True)


def helper_places(org_path: str) -> tuple[str, ...]:
    """The region paths an organisation in the subtree helps or helped (collapsed): a helper's side in the figures."""
    return collapse(Pairing.objects.filter(helper__path__startswith=org_path).values_list(
        "recipient_region__path", flat=True))


def every_helper_places() -> dict[str, tuple[str, ...]]:
    """`helper_places` of every organisation that is, or is above, a helper of some pairing: {path: places}."""
    places: dict[str, set[str]] = {}
    for org_path, region_path in Pairing.objects.values_list("helper__path", "recipient_region__path"):
        parts = org_path.split("/")[:-1]
        for i in range(len(parts)):
            places.setdefault("/".join(parts[: i + 1]) + "/", set()).add(region_path)
    return {org: collapse(paths) for org, paths in places.items()}


every_helper_places.model_label = "pairing.Pairing"  # whose changes move them (core.facts.refresh)


def helper_ids_in(region_paths) -> models.QuerySet:
    """The ids of the organisations that help, or helped, a recipient in any of these subtrees."""
    return Pairing.objects.filter(prefix_q("recipient_region__path", region_paths)).values("helper_id")
