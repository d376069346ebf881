"""Forms of the funds pages: the shared list filters (year, pairing, region, helper) and the chain's entries."""

from django import forms
from django.utils.translation import gettext_lazy as _

from bangfu.core.forms import FilterForm, StyledForm, date_input
from bangfu.funds import figures
from bangfu.funds.models import AdjustmentKind, Level, SourceKind
from bangfu.projects.models import Category, State


class ChainFilterForm(FilterForm):
    """Year, pairing, recipient region and helper: the filters every list of the chain shares."""

    year = forms.IntegerField(label=_("Year"), min_value=1979, max_value=2100)
    recipient = forms.CharField(label=_("Recipient region"),
                                widget=forms.TextInput(attrs={"placeholder": _("Region code, e.g. 451024")}))
    helper = forms.CharField(label=_("Helper"), widget=forms.TextInput(attrs={"placeholder": _("Code, e.g. 440305")}))
    pairing = forms.IntegerField(label=_("Pairing No."), min_value=1)

    pairing_field = "pairing_id"
    year_field = "year"

    def chain_filter(self) -> figures.Filter:
        data = self.cleaned_data if self.is_bound and self.is_valid() else {}
        return figures.resolve_filter(self.user, (data.get("helper") or "").strip() or None,
                                      (data.get("recipient") or "").strip() or None, data.get("pairing"),
                                      data.get("year"))

    def filter(self, queryset):
        return queryset.filter(self.chain_filter().q(year_field=self.year_field, pairing_field=self.pairing_field))


class SourceFilterForm(ChainFilterForm):
    kind = forms.ChoiceField(label=_("Kind"), choices=[("", _("All kinds"))] + SourceKind.choices)

    def filter(self, queryset):
        queryset = super().filter(queryset)
        if self.cleaned_data.get("kind"):
            queryset = queryset.filter(kind=self.cleaned_data["kind"])
        return queryset


class DisbursementFilterForm(ChainFilterForm):
    pairing_field = "budget__pairing_id"
    to = forms.ChoiceField(label=_("To"), choices=[("", _("Regions and projects")), ("region", _("Regions")),
                                                   ("project", _("Projects"))])

    def filter(self, queryset):
        queryset = super().filter(queryset)
        if self.cleaned_data.get("to") == "region":
            queryset = queryset.filter(project__isnull=True)
        elif self.cleaned_data.get("to") == "project":
            queryset = queryset.filter(project__isnull=False)
        return queryset


class ExpenditureFilterForm(ChainFilterForm):
    pairing_field = "project__pairing_id"


class ProjectFilterForm(ChainFilterForm):
    q = forms.CharField(label=_("Search"), widget=forms.TextInput(attrs={"placeholder": _("Name or number")}))
    category = forms.ChoiceField(label=_("Category"), choices=[("", _("All categories"))] + Category.choices)
    state = forms.ChoiceField(label=_("State"), choices=[("", _("All states"))] + State.choices)

    def filter(self, queryset):
        queryset = super().filter(queryset)
        data = self.cleaned_data
        if q := (data.get("q") or "").strip():
            from django.db.models import Q

            queryset = queryset.filter(Q(name__icontains=q) | Q(number__icontains=q))
        if data.get("category"):
            queryset = queryset.filter(category=data["category"])
        if data.get("state"):
            queryset = queryset.filter(state=data["state"])
        return queryset


class SourceForm(StyledForm):
    pairing = forms.IntegerField(label=_("Pairing No."), min_value=1)
    kind = forms.ChoiceField(label=_("Kind"), choices=SourceKind.choices)
    level = forms.ChoiceField(label=_("Level (fiscal aid)"), choices=[("", "—")] + Level.choices, required=False)
    year = forms.IntegerField(label=_("Year"))
    amount = forms.CharField(label=_("Amount (yuan)"))
    received_on = forms.DateField(label=_("Received on"), widget=date_input())
    donor = forms.CharField(label=_("Donor"), required=False)
    document_no = forms.CharField(label=_("Document number"), required=False)
    attachment = forms.FileField(label=_("Attachment"), required=False)
    notes = forms.CharField(label=_("Notes"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, user, **kwargs):
        self.user = user
        super().__init__(*args, **kwargs)


class BudgetForm(StyledForm):
    pairing = forms.IntegerField(label=_("Pairing No."), min_value=1)
    year = forms.IntegerField(label=_("Year"))
    amount = forms.CharField(label=_("Budgeted (yuan)"))
    approved_on = forms.DateField(label=_("Approved on"), widget=date_input())
    document_no = forms.CharField(label=_("Document number"), required=False)
    attachment = forms.FileField(label=_("Attachment"), required=False)
    notes = forms.CharField(label=_("Notes"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, user, **kwargs):
        self.user = user
        super().__init__(*args, **kwargs)


class DisburseForm(StyledForm):
    amount = forms.CharField(label=_("Amount (yuan)"))
    paid_on = forms.DateField(label=_("Date"), widget=date_input())
    document_no = forms.CharField(label=_("Document number"), required=False)
    attachment = forms.FileField(label=_("Attachment"), required=False)

    def __init__(self, *args, user, instance=None, **kwargs):
        self.user, self.instance = user, instance
        super().__init__(*args, **kwargs)


class AdjustForm(StyledForm):
    delta = forms.CharField(label=_("Change (yuan; negative reduces)"))
    kind = forms.ChoiceField(label=_("Kind"), choices=AdjustmentKind.choices)
    on = forms.DateField(label=_("Date"), widget=date_input())
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 2}))
    document_no = forms.CharField(label=_("Document number"), required=False)

    def __init__(self, *args, user, instance=None, **kwargs):
        self.user, self.instance = user, instance
        super().__init__(*args, **kwargs)
