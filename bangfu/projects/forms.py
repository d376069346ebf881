"""Forms of the project pages: applying, moving a step, spending, and the assets list filter."""

from django import forms
from django.utils.translation import gettext_lazy as _

from bangfu.core.forms import FilterForm, StyledForm, date_input
from bangfu.funds import figures
from bangfu.projects.models import AssetKind, Category, State


class ApplyForm(StyledForm):
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

    def __init__(self, *args, user, **kwargs):
        self.user = user
        super().__init__(*args, **kwargs)


class TransitionForm(StyledForm):
    state = forms.ChoiceField(label=_("Next step"), choices=State.choices)
    on = forms.DateField(label=_("Date"), widget=date_input())
    note = forms.CharField(label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, user, instance=None, **kwargs):
        self.user, self.instance = user, instance
        super().__init__(*args, **kwargs)


class SpendForm(StyledForm):
    amount = forms.CharField(label=_("Amount (yuan)"))
    paid_on = forms.DateField(label=_("Date"), widget=date_input())
    payee = forms.CharField(label=_("Payee"), required=False)
    purpose = forms.CharField(label=_("Purpose"), required=False)
    document_no = forms.CharField(label=_("Document number"), required=False)
    attachment = forms.FileField(label=_("Attachment"), required=False)

    def __init__(self, *args, user, instance=None, **kwargs):
        self.user, self.instance = user, instance
        super().__init__(*args, **kwargs)


class AssetFilterForm(FilterForm):
    recipient = forms.CharField(label=_("Region"), widget=forms.TextInput(attrs={"placeholder": _("Region code")}))
    kind = forms.ChoiceField(label=_("Kind"), choices=[("", _("All kinds"))] + AssetKind.choices)
    q = forms.CharField(label=_("Search"))

    def filter(self, queryset):
        data = self.cleaned_data
        f = figures.resolve_filter(self.user, None, (data.get("recipient") or "").strip() or None)
        queryset = queryset.filter(f.q(year_field=None, pairing_field=None))
        if data.get("kind"):
            queryset = queryset.filter(kind=data["kind"])
        if q := (data.get("q") or "").strip():
            queryset = queryset.filter(name__icontains=q)
        return queryset


class FundProjectForm(StyledForm):
    parent = forms.TypedChoiceField(label=_("From the disbursement to"), coerce=int)
    amount = forms.CharField(label=_("Amount (yuan)"))
    paid_on = forms.DateField(label=_("Date"), widget=date_input())
    document_no = forms.CharField(label=_("Document number"), required=False)
    attachment = forms.FileField(label=_("Attachment"), required=False)

    def __init__(self, *args, user, instance=None, **kwargs):
        from django.db.models import F

        from bangfu.funds.models import Disbursement
        from bangfu.funds.money import yuan

        self.user, self.instance = user, instance
        super().__init__(*args, **kwargs)
        ancestors = [p for p in instance.region_path.split("/") if p]
        sources = (Disbursement.objects.visible_to(user).filter(project__isnull=True, region_id__in=ancestors,
                                                              allocated__lt=F("amount"))
                   .select_related("region").order_by("year", "paid_on")[:100])
        self.fields["parent"].choices = [
            (d.pk, f"{d.region.name} {d.year} · {d.paid_on:%Y-%m-%d} · {d.document_no} · "
                   f"{_('left')} {yuan(d.amount - d.allocated)}") for d in sources]
