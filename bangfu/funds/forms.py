"""Forms of the funds pages: the lists' filters and the chain's entries, paying for a project and passing money on to
it included."""

from django import forms
from django.db.models import F
from django.utils.translation import gettext_lazy as _

from bangfu.core.forms import ServiceForm, StyledForm, date_input
from bangfu.core.money import yuan
from bangfu.funds.models import AdjustmentKind, Disbursement, Level, SourceKind
from bangfu.pairing.filters import PairedFilterForm


class SourceFilterForm(PairedFilterForm):
    kind = forms.ChoiceField(label=_("Kind"), choices=[("", _("All kinds"))] + SourceKind.choices)

    def filter(self, queryset):
        queryset = super().filter(queryset)
        if self.cleaned_data.get("kind"):
            queryset = queryset.filter(kind=self.cleaned_data["kind"])
        return queryset


class DisbursementFilterForm(PairedFilterForm):
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


class ExpenditureFilterForm(PairedFilterForm):
    pairing_field = "project__pairing_id"


class SourceForm(ServiceForm):
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


class BudgetForm(ServiceForm):
    pairing = forms.IntegerField(label=_("Pairing No."), min_value=1)
    year = forms.IntegerField(label=_("Year"))
    amount = forms.CharField(label=_("Budgeted (yuan)"))
    approved_on = forms.DateField(label=_("Approved on"), widget=date_input())
    document_no = forms.CharField(label=_("Document number"), required=False)
    attachment = forms.FileField(label=_("Attachment"), required=False)
    notes = forms.CharField(label=_("Notes"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


class DisburseForm(ServiceForm):
    amount = forms.CharField(label=_("Amount (yuan)"))
    paid_on = forms.DateField(label=_("Date"), widget=date_input())
    document_no = forms.CharField(label=_("Document number"), required=False)
    attachment = forms.FileField(label=_("Attachment"), required=False)



class AdjustForm(ServiceForm):
    delta = forms.CharField(label=_("Change (yuan; negative reduces)"))
    kind = forms.ChoiceField(label=_("Kind"), choices=AdjustmentKind.choices)
    on = forms.DateField(label=_("Date"), widget=date_input())
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 2}))
    document_no = forms.CharField(label=_("Document number"), required=False)



class SpendForm(ServiceForm):
    amount = forms.CharField(label=_("Amount (yuan)"))
    paid_on = forms.DateField(label=_("Date"), widget=date_input())
    payee = forms.CharField(label=_("Payee"), required=False)
    purpose = forms.CharField(label=_("Purpose"), required=False)
    document_no = forms.CharField(label=_("Document number"), required=False)
    attachment = forms.FileField(label=_("Attachment"), required=False)



class FundProjectForm(StyledForm):
    parent = forms.TypedChoiceField(label=_("From the disbursement to"), coerce=int)
    amount = forms.CharField(label=_("Amount (yuan)"))
    paid_on = forms.DateField(label=_("Date"), widget=date_input())
    document_no = forms.CharField(label=_("Document number"), required=False)
    attachment = forms.FileField(label=_("Attachment"), required=False)

    def __init__(self, *args, user, instance=None, **kwargs):
        self.user, self.instance = user, instance
        super().__init__(*args, **kwargs)
        ancestors = [p for p in instance.region_path.split("/") if p]
        sources = (Disbursement.objects.visible_to(user).filter(project__isnull=True, region_id__in=ancestors,
                                                              allocated__lt=F("amount"))
                   .select_related("region").order_by("year", "paid_on")[:100])
        self.fields["parent"].choices = [
            (d.pk, f"{d.region.name} {d.year} · {d.paid_on:%Y-%m-%d} · {d.document_no} · "
                   f"{_('left')} {yuan(d.amount - d.allocated)}") for d in sources]
