"""The admin: the chain's records are read-only here (their counters move only through the services, which hold the
invariants); the tilt rules and key counties, which are configuration, are edited here with the change log."""

from django.contrib import admin

from bangfu.core.admin import AuditedAdmin, ReadOnlyAdmin
from bangfu.funds.models import Adjustment, Budget, Disbursement, Expenditure, FundSource, KeyCounty, TiltRule


@admin.register(FundSource)
class FundSourceAdmin(ReadOnlyAdmin):
    list_display = ["year", "kind", "level", "pairing", "amount", "received_on", "document_no"]
    list_filter = ["kind", "level", "year"]
    search_fields = ["document_no", "donor", "county_code"]


@admin.register(Budget)
class BudgetAdmin(ReadOnlyAdmin):
    list_display = ["year", "pairing", "amount", "disbursed", "approved_on"]
    list_filter = ["year"]


@admin.register(Disbursement)
class DisbursementAdmin(ReadOnlyAdmin):
    list_display = ["paid_on", "region", "project", "amount", "allocated", "spent"]
    list_filter = ["year"]
    raw_id_fields = ["budget", "parent", "region", "project"]


@admin.register(Expenditure)
class ExpenditureAdmin(ReadOnlyAdmin):
    list_display = ["paid_on", "project", "amount", "payee", "document_no"]
    list_filter = ["year"]


@admin.register(Adjustment)
class AdjustmentAdmin(ReadOnlyAdmin):
    list_display = ["on", "kind", "delta", "before", "after", "reason"]


@admin.register(TiltRule)
class TiltRuleAdmin(AuditedAdmin):
    list_display = ["year", "kind", "threshold", "notes"]
    list_filter = ["kind", "year"]


@admin.register(KeyCounty)
class KeyCountyAdmin(AuditedAdmin):
    list_display = ["region", "since"]
    raw_id_fields = ["region"]
