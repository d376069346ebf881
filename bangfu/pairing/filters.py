"""Which rows of the paired work: those under a helper organisation, in a recipient region, of a pairing, in a year.
Every list and figure of the funds chain, the projects and the portal narrows its rows this way (rows that carry a
region path and an organisation path: `core.models.RegionOrgScoped`)."""

from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import urlencode

from django import forms
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from bangfu.core.forms import FilterForm
from bangfu.regions.models import Organisation, Region
from bangfu.regions.services import find_organisation


def rows(model, user):
    """What a user may see; `None` is the public portal, which reads everything but shows only public fields."""
    return model.objects.all() if user is None else model.objects.visible_to(user)


@dataclass(frozen=True)
class Filter:
    """Which rows: under a helper organisation, in a recipient region, of a pairing, in a year."""

    helper_path: str | None = None
    region_path: str | None = None
    pairing_id: int | None = None
    year: int | None = None
    nothing: bool = False  # a code the user cannot see: every figure is zero

    def q(self, year_field: str | None = "year", pairing_field: str | None = "pairing_id") -> Q:
        if self.nothing:
            return Q(pk__in=[])
        q = Q()
        if self.helper_path:
            q &= Q(org_path__startswith=self.helper_path)
        if self.region_path:
            q &= Q(region_path__startswith=self.region_path)
        if self.pairing_id and pairing_field:
            q &= Q(**{pairing_field: self.pairing_id})
        if self.year and year_field:
            q &= Q(**{year_field: self.year})
        return q

    def other_year(self, year: int) -> "Filter":
        return Filter(self.helper_path, self.region_path, self.pairing_id, year, self.nothing)


def resolve_filter(user, helper: str | None = None, recipient: str | None = None, pairing: int | None = None,
                   year: int | None = None) -> Filter:
    """Codes → paths, through what the user may see (a code he may not see gives zeros, as for pairings)."""
    helper_path = region_path = None
    nothing = False
    if helper:
        org = find_organisation(rows(Organisation, user), helper.strip())
        helper_path, nothing = (org.path, nothing) if org else (None, True)
    if recipient:
        path = rows(Region, user).filter(code=recipient.strip()).values_list("path", flat=True).first()
        region_path, nothing = (path, nothing) if path else (None, True)
    return Filter(helper_path, region_path, pairing, year, nothing)


def records_url(view_name: str, by_year: bool = True, **fixed) -> Callable[[str, int | None], str]:
    """An indicator's `records`: the list page `view_name` filtered by recipient region and year (the GET parameters
    of PairedFilterForm; `by_year=False` for a list that has no year) and by the fixed parameters given (a kind, a
    state)."""

    def url(region_code: str, year: int | None) -> str:
        params = {**fixed, "recipient": region_code, "year": year if by_year else None}
        query = urlencode({k: v for k, v in params.items() if v})
        return reverse(view_name) + (f"?{query}" if query else "")

    return url


class PairedFilterForm(FilterForm):
    """Year, pairing, recipient region and helper: the filters every list of paired work shares."""

    year = forms.IntegerField(label=_("Year"), min_value=1979, max_value=2100)
    recipient = forms.CharField(label=_("Recipient region"),
                                widget=forms.TextInput(attrs={"placeholder": _("Region code, e.g. 451024")}))
    helper = forms.CharField(label=_("Helper"), widget=forms.TextInput(attrs={"placeholder": _("Code, e.g. 440305")}))
    pairing = forms.IntegerField(label=_("Pairing No."), min_value=1)

    pairing_field = "pairing_id"
    year_field = "year"

    def chain_filter(self) -> Filter:
        data = self.cleaned_data if self.is_bound and self.is_valid() else {}
        return resolve_filter(self.user, (data.get("helper") or "").strip() or None,
                              (data.get("recipient") or "").strip() or None, data.get("pairing"), data.get("year"))

    def filter(self, queryset):
        return queryset.filter(self.chain_filter().q(year_field=self.year_field, pairing_field=self.pairing_field))
