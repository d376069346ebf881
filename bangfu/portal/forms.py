"""Forms of the portal: publishing a notice of a project."""

from django import forms
from django.utils.translation import gettext_lazy as _

from bangfu.core.forms import ServiceForm, date_input
from bangfu.portal.models import NoticeKind, NoticeLevel


class NoticeForm(ServiceForm):
    kind = forms.ChoiceField(label=_("Kind"), choices=NoticeKind.choices)
    level = forms.ChoiceField(label=_("Where"), choices=NoticeLevel.choices)
    region = forms.CharField(label=_("Region"), help_text=_("Code of the county, township or village."))
    title = forms.CharField(label=_("Title"), max_length=200)
    body = forms.CharField(label=_("Text"), widget=forms.Textarea(attrs={"rows": 5}))
    published_on = forms.DateField(label=_("Published on"), widget=date_input())
    period_days = forms.IntegerField(label=_("Period (days)"), required=False, min_value=1, max_value=3650,
                                     help_text=_("On a township or village bulletin board: at least 10 days."))

