"""Forms of the people-sent-and-trained pages."""

from django import forms
from django.utils.translation import gettext_lazy as _

from bangfu.core.forms import ServiceForm, date_input, lookup, resolved
from bangfu.labor.forms import PlaceYearFilterForm
from bangfu.regions.forms import clean_region, region_field
from bangfu.regions.services import resolve_organisation
from bangfu.talent.models import SentKind, TrainedKind


class SentFilterForm(PlaceYearFilterForm):
    """People sent by kind, the region they were sent to, the year they were in post (`talent.sent`) or started in
    (`talent.sent_new`)."""

    kind = forms.ChoiceField(label=_("Kind"), choices=[("", _("All kinds"))] + SentKind.choices)
    started = forms.IntegerField(label=_("Started in"), min_value=1900, max_value=2100)
    field_order = ["kind", "region", "year", "started"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].label = _("In post during")

    def filter(self, queryset):
        from bangfu.talent.services import in_post_q

        data = self.cleaned_data
        if data.get("kind"):
            queryset = queryset.filter(kind=data["kind"])
        if data.get("year"):
            queryset = queryset.filter(in_post_q(data["year"]))
        if data.get("started"):
            queryset = queryset.filter(start__year=data["started"])
        return self.in_region(queryset)


class TrainedFilterForm(PlaceYearFilterForm):
    """People trained by kind, the region they came from and the year their training started (`talent.trained`)."""

    kind = forms.ChoiceField(label=_("Kind"), choices=[("", _("All kinds"))] + TrainedKind.choices)
    field_order = ["kind", "region", "year"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].label = _("Started in")

    def filter(self, queryset):
        data = self.cleaned_data
        if data.get("kind"):
            queryset = queryset.filter(kind=data["kind"])
        if data.get("year"):
            queryset = queryset.filter(start__year=data["year"])
        return self.in_region(queryset)


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
