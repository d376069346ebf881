"""Shared records: who a user is (role and anchor), API tokens, the append-only change log and the access log."""

import hashlib
import secrets
from datetime import timedelta

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from bangfu.core.roles import HELPER_ROLES, RECIPIENT_ROLES, Role
from bangfu.core.scope import ScopedQuerySet, prefix_q


def prefix_index(field: str, name: str) -> models.Index:
    """One index for equality and prefix (LIKE 'x%') lookups on a text column. `db_index` on a CharField makes two
    on PostgreSQL (a plain one and a varchar_pattern_ops one), and a table written in bulk pays for each."""
    return models.Index(fields=[field], name=name, opclasses=["varchar_pattern_ops"])


class PathScoped(models.Model):
    """A record of the platform's own (a change-log entry, an import batch), seen by the users whose scope covers the
    region path or the organisation path it was written at."""

    region_path = models.CharField(max_length=80, blank=True, db_index=True)
    org_path = models.CharField(max_length=200, blank=True, db_index=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        abstract = True

    @staticmethod
    def scope_q(scope, action):
        return prefix_q("region_path", scope.region_paths) | prefix_q("org_path", scope.org_paths)


class RegionScoped(models.Model):
    """A row that lives in a recipient place: seen by the users whose scope covers its region path."""

    county_code = models.CharField(_("county code"), max_length=6, db_index=True, editable=False)
    region_path = models.CharField(max_length=80, db_index=True, editable=False)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        abstract = True

    @staticmethod
    def scope_q(scope, action):
        return prefix_q("region_path", scope.region_paths)

    def audit_paths(self):
        return self.region_path, ""


class RegionOrgScoped(RegionScoped):
    """A row of a recipient place and a helper organisation: the recipient side sees it through its region path,
    the helper side through its organisation's path."""

    org_path = models.CharField(max_length=200, blank=True, db_index=True, editable=False)

    class Meta:
        abstract = True

    @staticmethod
    def scope_q(scope, action):
        # The helper's own subtree first: one prefix, true for most of his rows, so the database rarely has to try
        # the many regions he helps (it stops at the first true term of an OR).
        return prefix_q("org_path", scope.org_paths) | prefix_q("region_path", scope.region_paths)

    def audit_paths(self):
        return self.region_path, self.org_path


class UserProfile(models.Model):
    """A user's role and what anchors his scope: a recipient region or a helper organisation."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="profile")
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    region = models.ForeignKey(
        "regions.Region", verbose_name=_("region"), null=True, blank=True, on_delete=models.PROTECT
    )
    organisation = models.ForeignKey(
        "regions.Organisation", verbose_name=_("organisation"), null=True, blank=True, on_delete=models.PROTECT
    )

    class Meta:
        verbose_name = _("user profile")

    def __str__(self):
        return f"{self.user} ({self.get_role_display()})"

    def clean(self):
        if self.role in RECIPIENT_ROLES and not self.region_id:
            raise ValidationError({"region": _("A recipient-side role needs a region.")})
        if self.role in HELPER_ROLES and not self.organisation_id:
            raise ValidationError({"organisation": _("A helper-side role needs an organisation.")})


def _digest(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


class TokenRefused(Exception):
    """An API token that does not let its bearer in, with the reason to tell him (401)."""


# A token's last use is written at most once in this time: an API client's every request would otherwise be a write.
LAST_USED_GRAIN = timedelta(minutes=1)


class ApiTokenQuerySet(models.QuerySet):
    def visible_to(self, user, action: str = "view"):
        """A user's own tokens; every token to a superuser, who may revoke any. Tokens belong to people, not to
        places, so the regional scope does not apply."""
        if not user.is_authenticated or not user.is_active:
            return self.none()
        return self.all() if user.is_superuser else self.filter(user=user)


class ApiTokenManager(models.Manager.from_queryset(ApiTokenQuerySet)):
    def create_with_key(self, user, name: str = "", expires=None):
        """A new token and its key: the only time the key is seen; only its digest is stored."""
        key = "bf_" + secrets.token_urlsafe(32)
        expires = expires or timezone.now() + timedelta(days=settings.TOKEN_DAYS)
        token = self.create(user=user, name=name, digest=_digest(key), prefix=key[:8], expires=expires)
        return token, key

    def issue(self, user) -> str:
        """The key of a new token with the default lifetime."""
        return self.create_with_key(user)[1]

    def authenticate(self, key: str):
        """The user the key belongs to, and the token's use noted; else TokenRefused saying why."""
        token = self.select_related("user").filter(digest=_digest(key)).first()
        if token is None or not token.user.is_active:
            raise TokenRefused(_("This API token is unknown or has been revoked."))
        now = timezone.now()
        if token.expires <= now:
            raise TokenRefused(_("This API token expired at %(time)s; create a new one.")
                               % {"time": f"{timezone.localtime(token.expires):%Y-%m-%d %H:%M}"})
        if token.last_used is None or now - token.last_used >= LAST_USED_GRAIN:
            self.filter(pk=token.pk).update(last_used=now)
        return token.user


class ApiToken(models.Model):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("user"), on_delete=models.CASCADE,
                             related_name="api_tokens")
    name = models.CharField(_("name"), max_length=100, blank=True)
    digest = models.CharField(max_length=64, unique=True)
    prefix = models.CharField(_("begins with"), max_length=8)
    created = models.DateTimeField(_("created"), default=timezone.now)
    expires = models.DateTimeField(_("expires"))
    last_used = models.DateTimeField(_("last used"), null=True, blank=True)

    objects = ApiTokenManager()

    class Meta:
        ordering = ["-created", "-id"]
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")

    def __str__(self):
        return " ".join(part for part in (f"{self.prefix}…", self.name, f"({self.user})") if part)

    @property
    def expired(self) -> bool:
        return self.expires <= timezone.now()


class AppendOnly(models.Model):
    """Rows that are written once and never changed or removed (a database trigger enforces it too)."""

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise ValidationError(_("Log entries cannot be changed."))
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValidationError(_("Log entries cannot be deleted."))


class ChangeLog(PathScoped, AppendOnly):
    class Action(models.TextChoices):
        CREATE = "create", _("create")
        UPDATE = "update", _("update")
        DELETE = "delete", _("delete")

    class Via(models.TextChoices):
        UI = "ui", _("web")
        API = "api", _("API")
        ADMIN = "admin", _("admin")
        CLI = "cli", _("command line")

    time = models.DateTimeField(_("time"), default=timezone.now, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("actor"), null=True, blank=True, on_delete=models.PROTECT
    )
    actor_name = models.CharField(_("actor"), max_length=150)
    action = models.CharField(_("action"), max_length=10, choices=Action.choices)
    via = models.CharField(_("via"), max_length=10, choices=Via.choices)
    content_type = models.ForeignKey(ContentType, on_delete=models.PROTECT)
    object_id = models.CharField(max_length=64)
    object_repr = models.CharField(_("object"), max_length=300)
    before = models.JSONField(null=True, blank=True)
    after = models.JSONField(null=True, blank=True)
    reason = models.TextField(_("reason"), blank=True)
    # Scoped by where the object stood (PathScoped), like the object itself.
    permission_name = "changelog"

    class Meta:
        ordering = ["-time", "-id"]
        verbose_name = _("change log entry")
        verbose_name_plural = _("change log")

    def __str__(self):
        return f"{self.time:%Y-%m-%d %H:%M} {self.actor_name} {self.action} {self.object_repr}"

    def changed_fields(self) -> list[tuple[str, object, object]]:
        before, after = self.before or {}, self.after or {}
        keys = sorted(set(before) | set(after))
        return [(k, before.get(k), after.get(k)) for k in keys if before.get(k) != after.get(k)]


class AccessLog(AppendOnly):
    """Each view of unmasked personal data."""

    time = models.DateTimeField(_("time"), default=timezone.now, db_index=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT)
    content_type = models.ForeignKey(ContentType, on_delete=models.PROTECT)
    object_id = models.CharField(max_length=64)
    field = models.CharField(max_length=64)
    reason = models.TextField(blank=True)

    class Meta:
        ordering = ["-time", "-id"]
        verbose_name = _("access log entry")
        verbose_name_plural = _("access log")

    def __str__(self):
        return f"{self.time:%Y-%m-%d %H:%M} {self.actor} {self.field} {self.object_id}"


class ImportBatch(PathScoped):
    """One spreadsheet import: every row it wrote carries it, so that it can be undone as a whole."""

    entity = models.CharField(_("entity"), max_length=40)
    file_name = models.CharField(_("file"), max_length=200)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("imported by"), null=True, blank=True,
                              on_delete=models.PROTECT)
    actor_name = models.CharField(_("imported by"), max_length=150)
    started = models.DateTimeField(_("started"), default=timezone.now, db_index=True)
    finished = models.DateTimeField(_("finished"), null=True, blank=True)
    rows = models.PositiveIntegerField(_("rows"), default=0)
    skipped_rows = models.PositiveIntegerField(_("rows skipped"), default=0)
    written = models.JSONField(_("written"), default=dict, blank=True)
    undone_at = models.DateTimeField(_("undone"), null=True, blank=True)
    # Scoped (PathScoped) by where the rows it wrote lie (the common part of their region paths) and by the
    # importer's organisation, like its rows and its author.
    permission_name = "importbatch"

    class Meta:
        ordering = ["-started", "-id"]
        verbose_name = _("import batch")
        verbose_name_plural = _("import batches")

    def __str__(self):
        return f"{self.pk} {self.entity} {self.file_name}"

    def audit_paths(self):
        return self.region_path, self.org_path


class Fact(models.Model):
    """One precomputed value of an indicator (core.indicators): for a region's subtree ("" is every recipient
    place), the rows of one helper organisation's subtree ("" for every helper), and a period ("all" for the whole
    record, "2020" a year, "2020-03" a month). Written only by core.facts; a missing fact is zero."""

    code = models.CharField(max_length=60)
    region_path = models.CharField(max_length=80)
    helper_path = models.CharField(max_length=200, default="")
    period = models.CharField(max_length=7)
    value = models.DecimalField(max_digits=24, decimal_places=2)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["code", "region_path", "helper_path", "period"],
                                               name="one_fact_per_key")]
        indexes = [prefix_index("region_path", "fact_region_path")]

    def __str__(self):
        return f"{self.code} {self.region_path} {self.helper_path} {self.period} = {self.value}"


class StaleFacts(models.Model):
    """A region subtree whose records of one model changed since its facts were computed: the refresh task's queue,
    one row per subtree and model however many writes touched them (the coalescing). A refresh recomputes only the
    indicators counted from the models that changed. "" stands for every region, or every model."""

    region_path = models.CharField(max_length=80)
    model = models.CharField(max_length=100, blank=True, default="")  # app_label.ModelName
    since = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["region_path", "model"], name="one_stale_mark")]

    def __str__(self):
        return f"{self.region_path or '*'} {self.model or '*'}"


class FactsRun(models.Model):
    """When the facts were last computed, in full or for some subtrees: what a dashboard's "as of" reads."""

    class Kind(models.TextChoices):
        REBUILD = "rebuild", _("full rebuild")
        REFRESH = "refresh", _("refresh")
        DAILY = "daily", _("daily recount")

    kind = models.CharField(max_length=10, choices=Kind.choices)
    started = models.DateTimeField()
    finished = models.DateTimeField(db_index=True)
    regions = models.TextField(blank=True)  # the subtrees refreshed, one per line
    facts = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-finished"]

    def __str__(self):
        return f"{self.kind} {self.finished}"
