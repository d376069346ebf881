"""People sent and trained in the Django admin (superusers only); every save is in the change log."""

from django.contrib import admin

from bangfu.core.admin import AuditedAdmin
from bangfu.talent.models import PersonSent, PersonTrained


@admin.register(PersonSent)
class PersonSentAdmin(AuditedAdmin):
    list_display = ["name", "kind", "from_org", "to_region", "start", "end"]
    list_filter = ["kind"]
    raw_id_fields = ["from_org", "to_region", "to_org"]
    readonly_fields = ["region_path", "org_path"]

    def save_model(self, request, obj, form, change):
        obj.region_path, obj.org_path = obj.to_region.path, obj.from_org.path
        obj.county_code = obj.to_region.county_code or ""
        super().save_model(request, obj, form, change)


@admin.register(PersonTrained)
class PersonTrainedAdmin(AuditedAdmin):
    list_display = ["name", "kind", "from_region", "host", "programme", "start"]
    raw_id_fields = ["from_region", "host"]
    readonly_fields = ["region_path", "org_path"]

    def save_model(self, request, obj, form, change):
        obj.region_path, obj.org_path = obj.from_region.path, obj.host.path
        obj.county_code = obj.from_region.county_code or ""
        super().save_model(request, obj, form, change)
