"""The admin: projects move along their lifecycle only through the services (read-only here); assets are edited here
with the change log."""

from django.contrib import admin

from bangfu.core.admin import AuditedAdmin, ReadOnlyAdmin
from bangfu.projects.models import Asset, Beneficiary, Project


@admin.register(Project)
class ProjectAdmin(ReadOnlyAdmin):
    list_display = ["number", "name", "category", "year", "state", "planned_amount", "disbursed", "spent"]
    list_filter = ["state", "category", "year"]
    search_fields = ["number", "name", "county_code"]


@admin.register(Beneficiary)
class BeneficiaryAdmin(ReadOnlyAdmin):
    list_display = ["project", "household", "year", "gain", "amount"]
    list_filter = ["gain", "year"]


@admin.register(Asset)
class AssetAdmin(AuditedAdmin):
    list_display = ["number", "name", "kind", "value", "owner", "income", "disposed_on"]
    list_filter = ["kind"]
    search_fields = ["number", "name", "owner", "county_code"]
    raw_id_fields = ["project", "region"]
