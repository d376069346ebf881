"""Forms of the project pages: the list filters, applying, moving a step, milestones, beneficiaries, assets."""

from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from bangfu.core.forms import FilterForm, ServiceForm, date_input
from bangfu.pairing.filters import PairedFilterForm, resolve_filter
from bangfu.projects.models import AssetKind, Category, Gain, State


class ApplyForm(ServiceForm):
    name = forms.CharField(label=_("Name"), max_length=200)
    category = forms.ChoiceField(label=_("Category"), choices=Category.choices)
    year = forms.IntegerField(label=_("Library year"), min_value=1979, max_value=2100)
    region = forms.CharField(label=_("Location"), help_text=_("Code of the county, township or village."))
    pairing = forms.IntegerField(label=_("Pairing No."), required=False, min_value=1)
    planned_amount = forms.CharField(label=_("Planned funds (yuan)"), initial="0")
    content = forms.CharField(label=_("Content"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    implementer = forms.CharField(label=_("Implementer"), required=False)
    responsible = forms.CharField(label=_("Responsible person"), required=False)
    planned_start = forms.DateField(label=_("Planned start"), required=False, widget=date_input())
    planned_end = forms.DateField(label=_("Planned end"), required=False, widget=date_input())
    targets = forms.CharField(label=_("Performance targets"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


class TransitionForm(ServiceForm):
    state = forms.ChoiceField(label=_("Next step"), choices=State.choices)
    on = forms.DateField(label=_("Date"), widget=date_input())
    note = forms.CharField(label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2}))



class ProjectFilterForm(PairedFilterForm):
    q = forms.CharField(label=_("Search"), widget=forms.TextInput(attrs={"placeholder": _("Name or number")}))
    category = forms.ChoiceField(label=_("Category"), choices=[("", _("All categories"))] + Category.choices)
    state = forms.ChoiceField(label=_("State"), choices=[("", _("All states"))] + State.choices)

    def filter(self, queryset):
        queryset = super().filter(queryset)
        data = self.cleaned_data
        if q := (data.get("q") or "").strip():
            queryset = queryset.filter(Q(name__icontains=q) | Q(number__icontains=q))
        if data.get("category"):
            queryset = queryset.filter(category=data["category"])
        if data.get("state"):
            queryset = queryset.filter(state=data["state"])
        return queryset


class AssetFilterForm(FilterForm):
    recipient = forms.CharField(label=_("Region"), widget=forms.TextInput(attrs={"placeholder": _("Region code")}))
    kind = forms.ChoiceField(label=_("Kind"), choices=[("", _("All kinds"))] + AssetKind.choices)
    q = forms.CharField(label=_("Search"))

    def filter(self, queryset):
        data = self.cleaned_data
        f = resolve_filter(self.user, None, (data.get("recipient") or "").strip() or None)
        queryset = queryset.filter(f.q(year_field=None, pairing_field=None))
        if data.get("kind"):
            queryset = queryset.filter(kind=data["kind"])
        if q := (data.get("q") or "").strip():
            queryset = queryset.filter(name__icontains=q)
        return queryset


class MilestoneForm(ServiceForm):
    name = forms.CharField(label=_("Milestone"), max_length=200)
    due = forms.DateField(label=_("Due"), widget=date_input())



class MilestoneDoneForm(ServiceForm):
    done_on = forms.DateField(label=_("Done on"), widget=date_input())
    progress = forms.IntegerField(label=_("Progress (%)"), required=False, min_value=0, max_value=100,
                                  help_text=_("The project's progress now; leave empty to keep it."))



def household_numbers(text: str) -> list[str]:
    """Household numbers typed one per line, or separated by commas, semicolons or spaces."""
    import re

    return list(dict.fromkeys(n for n in re.split(r"[\s,;，；、]+", text or "") if n))


class BeneficiaryForm(ServiceForm):
    year = forms.IntegerField(label=_("Year"), min_value=1979, max_value=2100)
    gain = forms.ChoiceField(label=_("Kind of gain"), choices=Gain.choices)
    households = forms.CharField(label=_("Household numbers"), widget=forms.Textarea(attrs={"rows": 4}),
                                 help_text=_("One per line, or separated by commas."))
    amount = forms.CharField(label=_("Amount per household (yuan)"), initial="0")



class DividendForm(ServiceForm):
    year = forms.IntegerField(label=_("Year"), min_value=1979, max_value=2100)
    amount = forms.CharField(label=_("Amount (yuan)"), help_text=_("Shared evenly among the households, to the fen."))
    distributed_on = forms.DateField(label=_("Date"), widget=date_input())
    households = forms.CharField(label=_("Household numbers"), widget=forms.Textarea(attrs={"rows": 4}),
                                 help_text=_("One per line, or separated by commas."))
    document_no = forms.CharField(label=_("Document number"), required=False)



class AssetForm(ServiceForm):
    name = forms.CharField(label=_("Name"), max_length=200)
    kind = forms.ChoiceField(label=_("Kind"), choices=AssetKind.choices)
    region = forms.CharField(label=_("Location"), help_text=_("Code of the county, township or village."))
    project = forms.CharField(label=_("Project number"), required=False,
                              help_text=_("The project that formed the asset, if any."))
    value = forms.CharField(label=_("Value (yuan)"))
    owner = forms.CharField(label=_("Owner"), max_length=200)
    upkeep = forms.CharField(label=_("Upkeep responsible"), required=False, max_length=200)
    handed_over_on = forms.DateField(label=_("Handed over on"), required=False, widget=date_input())



class AssetEditForm(ServiceForm):
    name = forms.CharField(label=_("Name"), max_length=200)
    kind = forms.ChoiceField(label=_("Kind"), choices=AssetKind.choices)
    value = forms.CharField(label=_("Value (yuan)"))
    owner = forms.CharField(label=_("Owner"), max_length=200)
    upkeep = forms.CharField(label=_("Upkeep responsible"), required=False, max_length=200)
    income = forms.CharField(label=_("Income to date (yuan)"))
    handed_over_on = forms.DateField(label=_("Handed over on"), required=False, widget=date_input())
    disposed_on = forms.DateField(label=_("Disposed of on"), required=False, widget=date_input())
    disposal = forms.CharField(label=_("Disposal"), required=False, max_length=200)
    reason = forms.CharField(label=_("Reason"), required=False)



class RollOverForm(ServiceForm):
    year = forms.IntegerField(label=_("Library year"), min_value=1979, max_value=2100,
                              help_text=_("Its decided projects that got no money go on to the next year's library."))
    on = forms.DateField(label=_("Date"), widget=date_input())

