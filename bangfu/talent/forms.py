"""Forms of the people-sent-and-trained pages."""

from django import forms
from django.utils.translation import gettext_lazy as _

from bangfu.core.forms import FilterForm, ServiceForm, date_input, lookup, resolved
from bangfu.regions.forms import clean_region, region_field
from bangfu.regions.services import resolve_organisation
from bangfu.talent.models import SentKind, TrainedKind


class SentFilterForm(FilterForm):
    kind = forms.ChoiceField(label=_("Kind"), choices=[("", _("All kinds"))] + SentKind.choices)
    year = forms.IntegerField(label=_("In post during"), min_value=1990, max_value=2100)

    def filter(self, queryset):
        from bangfu.talent.services import in_post_q

        if self.cleaned_data.get("kind"):
            queryset = queryset.filter(kind=self.cleaned_data["kind"])
        if self.cleaned_data.get("year"):
            queryset = queryset.filter(in_post_q(self.cleaned_data["year"]))
        return queryset


class SentForm(ServiceForm):
    name = forms.CharField(label=_("Name"), max_length=50)
    kind = forms.ChoiceField(label=_("Kind"), choices=SentKind.choices)
    from_org = forms.CharField(label=_("Sent by (organisation code)"))
    to_region = region_field(_("Sent to (division code)"))
    position = forms.CharField(label=_("Position"), max_length=100, required=False)
    start = forms.DateField(label=_("Start"), widget=date_input())
    end = forms.DateField(label=_("End"), widget=date_input(), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        lookup(self.fields["from_org"], "lookup_organisations", "from_org", side="helper")

    def clean_from_org(self):
        return resolved(resolve_organisation, self.user, self.cleaned_data["from_org"], "from_org")

    def clean_to_region(self):
        return clean_region(self.user, self.cleaned_data["to_region"])


class TrainedForm(ServiceForm):
    name = forms.CharField(label=_("Name"), max_length=50)
    kind = forms.ChoiceField(label=_("Kind"), choices=TrainedKind.choices)
    from_region = region_field(_("From (division code)"))
    host = forms.CharField(label=_("Host (organisation code)"))
    programme = forms.CharField(label=_("Programme"), max_length=200)
    start = forms.DateField(label=_("Start"), widget=date_input())
    end = forms.DateField(label=_("End"), widget=date_input())

    def clean_host(self):
        return resolved(resolve_organisation, self.user, self.cleaned_data["host"], "host")

    def clean_from_region(self):
        return clean_region(self.user, self.cleaned_data["from_region"])
