"""The Django admin (superusers only): every save and delete through it is in the change log."""

from django.contrib import admin
from django.db import transaction

from bangfu.core import audit
from bangfu.core.models import AccessLog, ApiToken, ChangeLog, UserProfile
from bangfu.core.services import revoke_token


class AuditedAdmin(admin.ModelAdmin):
    def save_model(self, request, obj, form, change):
        with transaction.atomic():
            before = audit.snapshot(type(obj).objects.get(pk=obj.pk)) if change else None
            super().save_model(request, obj, form, change)
            audit.record(request.user, "update" if change else "create", obj, before=before,
                         after=audit.snapshot(obj))

    def delete_model(self, request, obj):
        with transaction.atomic():
            audit.record(request.user, "delete", obj, before=audit.snapshot(obj))
            super().delete_model(request, obj)

    def delete_queryset(self, request, queryset):
        for obj in queryset:  # the admin's bulk delete, a handful of rows chosen by hand
            self.delete_model(request, obj)


class ViewOnly:
    """Viewable, not editable in the admin: the invariants live in the services, the logs are append-only."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class ReadOnlyAdmin(ViewOnly, admin.ModelAdmin):
    pass


class ViewOnlyAdmin(ViewOnly, AuditedAdmin):
    pass


@admin.register(UserProfile)
class UserProfileAdmin(AuditedAdmin):
    list_display = ["user", "role", "region", "organisation"]
    list_filter = ["role"]
    raw_id_fields = ["region", "organisation"]


@admin.register(ApiToken)
class ApiTokenAdmin(ReadOnlyAdmin):
    list_display = ["prefix", "name", "user", "created", "expires", "last_used"]
    list_filter = ["user"]
    search_fields = ["user__username", "name", "prefix"]
    exclude = ["digest"]

    def has_delete_permission(self, request, obj=None):
        return True  # revoking a token

    def delete_model(self, request, obj):
        revoke_token(request.user, obj.pk)  # the service writes the change log

    def delete_queryset(self, request, queryset):
        for token in queryset:
            revoke_token(request.user, token.pk)


@admin.register(ChangeLog)
class ChangeLogAdmin(ReadOnlyAdmin):
    list_display = ["time", "actor_name", "action", "via", "content_type", "object_repr"]
    list_filter = ["action", "via", "content_type"]
    search_fields = ["object_repr", "actor_name"]


@admin.register(AccessLog)
class AccessLogAdmin(ReadOnlyAdmin):
    list_display = ["time", "actor", "content_type", "object_id", "field"]
