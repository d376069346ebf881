from django.contrib import admin

from bangfu.core.admin import AuditedAdmin
from bangfu.regions.models import Organisation, Region, place_under
from bangfu.regions.services import save_organisation


@admin.register(Region)
class RegionAdmin(AuditedAdmin):
    list_display = ["code", "name", "level", "parent", "is_poor_village", "active"]
    list_filter = ["level", "is_poor_village", "active", "synthetic"]
    search_fields = ["code", "name"]
    raw_id_fields = ["parent"]
    readonly_fields = ["path", "province_code", "county_code"]

    def get_readonly_fields(self, request, obj=None):
        # Codes nest: a region never moves, so its subtree's paths stay true.
        return [*self.readonly_fields, "code", "parent", "level"] if obj else self.readonly_fields

    def save_model(self, request, obj, form, change):
        place_under(obj, obj.parent)
        super().save_model(request, obj, form, change)


@admin.register(Organisation)
class OrganisationAdmin(AuditedAdmin):
    list_display = ["name", "kind", "side", "region", "parent", "credit_code"]
    list_filter = ["kind", "side"]
    search_fields = ["name", "credit_code"]
    raw_id_fields = ["region", "parent"]
    readonly_fields = ["path"]

    def save_model(self, request, obj, form, change):
        save_organisation(request.user, obj)  # keeps the subtree's paths right and writes the change log
