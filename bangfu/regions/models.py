"""Divisions (province → village) and the organisations located in them."""

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from stdnum.cn import uscc

from bangfu.core.registry import registry
from bangfu.core.scope import ScopedQuerySet, prefix_q


class Level(models.TextChoices):
    PROVINCE = "province", _("province")
    PREFECTURE = "prefecture", _("prefecture")
    COUNTY = "county", _("county")
    TOWNSHIP = "township", _("township")
    VILLAGE = "village", _("village")


LEVEL_DEPTH = {level: depth for depth, level in enumerate(Level.values, start=1)}
NATIONAL_LEVELS = [Level.PROVINCE, Level.PREFECTURE, Level.COUNTY]


def ancestor_codes(paths) -> set[str]:
    return {code for path in paths for code in path.strip("/").split("/")[:-1]}


def place_under(region, parent):
    """Set a region's derived fields (path, province, county) from its parent."""
    region.parent = parent
    region.path = f"{parent.path if parent else ''}{region.code}/"
    region.province_code = parent.province_code if parent else region.code
    region.county_code = region.code if region.level == Level.COUNTY else (parent.county_code if parent else None)


class Region(models.Model):
    """A division: 6-digit GB/T 2260 code down to county level, 12-digit statistical code for townships and villages."""

    code = models.CharField(_("division code"), max_length=12, primary_key=True)
    name = models.CharField(_("name"), max_length=100)
    level = models.CharField(_("level"), max_length=12, choices=Level.choices, db_index=True)
    parent = models.ForeignKey(
        "self", verbose_name=_("parent"), null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    # Codes from the root down, each followed by "/": a subtree is every path that starts with this one.
    path = models.CharField(max_length=80, db_index=True, editable=False)
    # Denormalised so that counting and sharding by county or province needs no walk up the tree.
    province_code = models.CharField(max_length=6, db_index=True, editable=False)
    county_code = models.CharField(max_length=6, null=True, blank=True, db_index=True, editable=False)
    is_poor_village = models.BooleanField(_("poor village"), default=False)
    active = models.BooleanField(_("in use"), default=True, help_text=_("False for divisions since abolished."))
    synthetic = models.BooleanField(_("synthetic"), default=False, help_text=_("Made up by the demo, not official."))
    import_batch = models.ForeignKey("core.ImportBatch", null=True, blank=True, editable=False,
                                     on_delete=models.PROTECT, related_name="+")

    objects = ScopedQuerySet.as_manager()
    permission_name = "region"

    class Meta:
        ordering = ["code"]
        verbose_name = _("region")
        verbose_name_plural = _("regions")

    def __str__(self):
        return self.name

    @staticmethod
    def scope_q(scope, action):
        if action == "view":
            paths = scope.region_paths + scope.home_paths
            visible = prefix_q("path", paths) | Q(code__in=ancestor_codes(paths) | set(scope.linked_region_codes))
            if scope.national_divisions:  # the published national table, down to counties
                visible |= Q(level__in=NATIONAL_LEVELS)
            return visible
        return prefix_q("path", scope.region_paths)

    def audit_paths(self):
        return self.path, ""

    def ancestors(self):
        """From the province down to the parent, in one query."""
        codes = self.path.strip("/").split("/")[:-1]
        by_code = {r.code: r for r in Region.objects.filter(code__in=codes)}
        return [by_code[c] for c in codes if c in by_code]

    @property
    def full_name(self) -> str:
        return "".join(r.name for r in self.ancestors()) + self.name


class OrganisationKind(models.TextChoices):
    GOVERNMENT = "government", _("government body")
    DISTRICT = "district", _("district")
    STREET = "street", _("street")
    COMMUNITY = "community", _("community")
    ENTERPRISE = "enterprise", _("enterprise")
    SCHOOL = "school", _("school")
    HOSPITAL = "hospital", _("hospital")
    SOCIAL = "social", _("social organisation")


class Side(models.TextChoices):
    HELPER = "helper", _("helper side")
    RECIPIENT = "recipient", _("recipient side")


# Kinds that must be identified by a unified social credit code (统一社会信用代码).
CREDIT_CODE_REQUIRED = {OrganisationKind.ENTERPRISE, OrganisationKind.SOCIAL}


def validate_credit_code(value: str):
    try:
        uscc.validate(value)
    except Exception as exc:  # stdnum raises its own ValidationError subclasses
        raise ValidationError(
            _("%(value)s is not a valid unified social credit code (%(reason)s)."),
            params={"value": value, "reason": getattr(exc, "message", str(exc))},
        ) from exc


class Organisation(models.Model):
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=12, choices=OrganisationKind.choices)
    side = models.CharField(_("side"), max_length=10, choices=Side.choices)
    region = models.ForeignKey(Region, verbose_name=_("region"), on_delete=models.PROTECT, related_name="organisations")
    parent = models.ForeignKey(
        "self", verbose_name=_("parent organisation"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="children",
    )
    # Primary keys from the top organisation down, each followed by "/".
    path = models.CharField(max_length=200, db_index=True, editable=False, default="")
    represents_region = models.BooleanField(
        _("acts for its region"), default=False,
        help_text=_("The body that stands for its region, so that the region's code names it (e.g. 440305 → 南山区)."),
    )
    credit_code = models.CharField(
        _("unified social credit code"), max_length=18, null=True, blank=True, unique=True,
        validators=[validate_credit_code],
    )
    notes = models.TextField(_("notes"), blank=True)
    import_batch = models.ForeignKey("core.ImportBatch", null=True, blank=True, editable=False,
                                     on_delete=models.PROTECT, related_name="+")

    objects = ScopedQuerySet.as_manager()
    permission_name = "organisation"

    class Meta:
        ordering = ["region_id", "name"]
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        constraints = [
            models.UniqueConstraint(
                fields=["region"], condition=Q(represents_region=True), name="one_representative_per_region"
            ),
        ]

    def __str__(self):
        return self.name

    @property
    def code(self) -> str:
        """How the API names it: its region's code if it acts for the region, else its credit code, else its id."""
        if self.represents_region:
            return self.region_id
        return self.credit_code or f"org-{self.pk}"

    @staticmethod
    def scope_q(scope, action):
        own = prefix_q("path", scope.org_paths)
        if action != "view":
            return own | (Q(side=Side.RECIPIENT) & prefix_q("region__path", scope.region_paths))
        helpers_in = registry["scope_hooks"].get("helper_ids_in")
        helpers = helpers_in(scope.region_paths) if helpers_in else []
        above_own = {int(pk) for pk in ancestor_codes(scope.org_paths)}  # the bodies his organisation sits under
        linked = above_own | set(scope.linked_org_ids)
        return own | prefix_q("region__path", scope.region_paths) | Q(pk__in=helpers) | Q(pk__in=linked)

    def audit_paths(self):
        return self.region.path, self.path

    def clean(self):
        if self.kind in CREDIT_CODE_REQUIRED and not self.credit_code:
            raise ValidationError({"credit_code": _("An enterprise or social organisation needs its credit code.")})
        if self.parent_id and self.pk and self.parent.path.startswith(self.path or "\0"):
            raise ValidationError({"parent": _("An organisation cannot sit under itself.")})


def region_path(user, code: str) -> str | None:
    """The path of a region the user may see (any region when `user` is None), by its code: core's exports take a
    region's subtree through it (scope hook `region_path`)."""
    regions = Region.objects.all() if user is None else Region.objects.visible_to(user)
    return regions.filter(code=code).values_list("path", flat=True).first()
