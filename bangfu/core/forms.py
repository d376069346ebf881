"""What every form of the web UI shares: Tabler (Bootstrap) classes on the widgets, list filters, code lookups."""

from django import forms
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils.translation import gettext_lazy as _


def style_widgets(form):
    """Give each widget the Bootstrap class Tabler styles."""
    for field in form.fields.values():
        widget = field.widget
        if isinstance(widget, forms.CheckboxInput):
            css = "form-check-input"
        elif isinstance(widget, forms.Select | forms.SelectMultiple):
            css = "form-select"
        else:
            css = "form-control"
        widget.attrs["class"] = f"{widget.attrs.get('class', '')} {css}".strip()


class StyledForm(forms.Form):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        style_widgets(self)


class ServiceForm(StyledForm):
    """The form of a ServiceFormView: it knows the user and, when it changes one, the object, whose values it
    shows to begin with (`initial_from`)."""

    def __init__(self, *args, user, instance=None, **kwargs):
        self.user, self.instance = user, instance
        if instance is not None:
            kwargs["initial"] = {**self.initial_from(instance), **kwargs.get("initial", {})}
        super().__init__(*args, **kwargs)

    def initial_from(self, instance) -> dict:
        return {}


class FilterForm(StyledForm):
    """A list's filters: every field optional; `filter(queryset)` applies the valid ones."""

    def __init__(self, data=None, *, user, **kwargs):
        self.user = user
        super().__init__(data, **kwargs)
        for field in self.fields.values():
            field.required = False

    def filter(self, queryset):
        return queryset

    @property
    def active_count(self) -> int:
        if not self.is_bound or not self.is_valid():
            return 0
        return sum(1 for value in self.cleaned_data.values() if value not in (None, "", [], ()))


def date_input():
    return forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def lookup(field: forms.Field, url_name: str, name: str, **params):
    """Suggest codes while the user types: htmx fills a <datalist> from a scoped lookup view."""
    query = "&".join(f"{k}={v}" for k, v in {"field": name, **params}.items())
    field.widget.attrs.update({
        "list": f"{name}-options",
        "autocomplete": "off",
        "hx-get": f"{reverse(url_name)}?{query}",
        "hx-trigger": "input changed delay:250ms, focus once",
        "hx-target": f"#{name}-options",
        "hx-swap": "innerHTML",
        "data-datalist": f"{name}-options",
    })


def resolved(resolve, *args):
    """Call a service resolver inside a field's clean method: its {field: [message]} error becomes the field's."""
    try:
        return resolve(*args)
    except ValidationError as error:
        raise ValidationError(error.messages) from error


REASON_HELP = _("Kept in the change log with the change.")


class RecordForm(ServiceForm):
    """A form that records something new, or changes it and asks why: notes, and the reason for a change, which the
    change log keeps with it (asked only when the form changes an object)."""

    notes = forms.CharField(label=_("Notes"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    reason = forms.CharField(label=_("Reason"), required=False, help_text=REASON_HELP)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance is None:
            del self.fields["reason"]
        self.order_fields([name for name in self.fields if name not in ("notes", "reason")])


class DateReasonForm(ServiceForm):
    on = forms.DateField(label=_("Date"), widget=date_input())
    reason = forms.CharField(label=_("Reason"), max_length=300, required=False)


class TokenForm(StyledForm):
    """A new API token: what it is for and how long it lasts (checked by the service, which names the field)."""

    name = forms.CharField(label=_("What it is for"), required=False,
                           widget=forms.TextInput(attrs={"placeholder": _("e.g. nightly export")}))
    days = forms.CharField(label=_("Valid for (days)"), widget=forms.NumberInput(attrs={"min": 1}))

