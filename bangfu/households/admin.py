"""The registry in the Django admin (superusers only): read-only views with ID and phone numbers masked; changes go
through the services (API and web UI), which validate and log them. Monitoring lines may be edited here too, with
the same validation, and each save is in the change log."""

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from bangfu.core.admin import AuditedAdmin, ViewOnlyAdmin
from bangfu.core.identity import mask_id, mask_phone
from bangfu.households import validation
from bangfu.households.models import (
    Clue,
    Conditions,
    Household,
    Income,
    Measure,
    Member,
    MemberMove,
    MonitoringLine,
    Transition,
    Visit,
)


@admin.register(Household)
class HouseholdAdmin(ViewOnlyAdmin):
    list_display = ["number", "head_name", "village", "household_type", "monitoring_category", "risk_status", "size"]
    list_filter = ["household_type", "monitoring_category", "risk_status"]
    search_fields = ["number", "head_name"]
    exclude = ["phone"]
    readonly_fields = ["masked_phone", "county_code", "region_path", "head_name", "size"]
    raw_id_fields = ["village"]
    show_full_result_count = False

    @admin.display(description=_("contact phone"))
    def masked_phone(self, obj):
        return mask_phone(obj.phone)


@admin.register(Member)
class MemberAdmin(ViewOnlyAdmin):
    list_display = ["name", "masked_id", "relation", "sex", "birth_date", "household", "active"]
    list_filter = ["active", "relation", "labour_skill"]
    search_fields = ["name", "name_initials", "household__number"]
    exclude = ["id_number", "phone"]
    readonly_fields = ["masked_id", "masked_phone", "name_initials", "county_code", "region_path"]
    raw_id_fields = ["household"]
    list_select_related = ["household"]
    show_full_result_count = False

    @admin.display(description=_("ID number"))
    def masked_id(self, obj):
        return mask_id(obj.id_number)

    @admin.display(description=_("phone"))
    def masked_phone(self, obj):
        return mask_phone(obj.phone)


@admin.register(MemberMove)
class MemberMoveAdmin(ViewOnlyAdmin):
    list_display = ["member", "from_household", "to_household", "moved_on", "reason"]
    raw_id_fields = ["member", "new_member", "from_household", "to_household"]


@admin.register(Income)
class IncomeAdmin(ViewOnlyAdmin):
    list_display = ["household", "year", "members_counted", "per_capita"]
    list_filter = ["year"]
    raw_id_fields = ["household"]


@admin.register(Conditions)
class ConditionsAdmin(ViewOnlyAdmin):
    list_display = ["household", "year", "housing_grade"]
    list_filter = ["year", "housing_grade"]
    raw_id_fields = ["household"]


class MonitoringLineForm(forms.ModelForm):
    class Meta:
        model = MonitoringLine
        fields = validation.LINE_FIELDS

    def clean(self):
        data = super().clean()
        try:
            validation.clean_monitoring_line({f: data.get(f) for f in validation.LINE_FIELDS if f in data})
        except ValidationError as exc:
            for field, messages in exc.message_dict.items():
                for message in messages:
                    self.add_error(field if field in self.fields else None, message)
        return data


@admin.register(MonitoringLine)
class MonitoringLineAdmin(AuditedAdmin):
    form = MonitoringLineForm
    list_display = ["province_code", "county_code", "year", "amount"]
    list_filter = ["year"]


@admin.register(Clue)
class ClueAdmin(ViewOnlyAdmin):
    list_display = ["household", "purpose", "source", "stage", "is_open", "opened_on", "deadline"]
    list_filter = ["purpose", "source", "stage", "is_open"]
    raw_id_fields = ["household"]
    list_select_related = ["household"]


@admin.register(Transition)
class TransitionAdmin(ViewOnlyAdmin):
    list_display = ["clue", "from_stage", "to_stage", "actor", "time"]
    raw_id_fields = ["clue"]


@admin.register(Measure)
class MeasureAdmin(ViewOnlyAdmin):
    list_display = ["household", "kind", "description", "start", "end"]
    raw_id_fields = ["household"]


@admin.register(Visit)
class VisitAdmin(ViewOnlyAdmin):
    list_display = ["household", "visited_on", "visitor"]
    raw_id_fields = ["household"]
