"""Forms of the regions pages: organisation filters and edits, new townships and villages."""

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from bangfu.core.forms import FilterForm, RecordForm, StyledForm, lookup, resolved
from bangfu.regions.models import Organisation, OrganisationKind, Region, Side
from bangfu.regions.services import find_organisation, resolve_organisation, resolve_region


def _all(label):
    return [("", label)]


class OrganisationFilterForm(FilterForm):
    q = forms.CharField(label=_("Search"), widget=forms.TextInput(attrs={"placeholder": _("Name or code")}))
    kind = forms.ChoiceField(label=_("Kind"), choices=_all(_("All kinds")) + OrganisationKind.choices)
    side = forms.ChoiceField(label=_("Side"), choices=_all(_("Both sides")) + Side.choices)
    region = forms.CharField(label=_("Region"), widget=forms.TextInput(attrs={"placeholder": _("Region code")}))
    parent = forms.CharField(label=_("Under"), widget=forms.TextInput(attrs={"placeholder": _("Organisation code")}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        lookup(self.fields["region"], "lookup_regions", "region")
        lookup(self.fields["parent"], "lookup_organisations", "parent")

    def filter(self, queryset):
        data = self.cleaned_data
        if q := data.get("q", "").strip():
            org = find_organisation(queryset, q)
            match = Q(name__icontains=q) | Q(credit_code=q.upper())
            queryset = queryset.filter(match | Q(pk=org.pk) if org else match)
        if data.get("kind"):
            queryset = queryset.filter(kind=data["kind"])
        if data.get("side"):
            queryset = queryset.filter(side=data["side"])
        if code := data.get("region", "").strip():
            region = Region.objects.visible_to(self.user).filter(code=code).first()
            queryset = queryset.filter(region__path__startswith=region.path) if region else queryset.none()
        if code := data.get("parent", "").strip():
            parent = find_organisation(Organisation.objects.visible_to(self.user), code)
            if parent is None:
                return queryset.none()
            queryset = queryset.filter(path__startswith=parent.path).exclude(pk=parent.pk)
        return queryset


class OrganisationForm(RecordForm):
    name = forms.CharField(label=_("Name"), max_length=200)
    kind = forms.ChoiceField(label=_("Kind"), choices=OrganisationKind.choices)
    side = forms.ChoiceField(label=_("Side"), choices=Side.choices)
    region = forms.CharField(label=_("Region"), help_text=_("Division code of the region it is located in, e.g. "
                                                            "440305 for 南山区."))
    parent = forms.CharField(label=_("Parent organisation"), required=False,
                             help_text=_("Code of the organisation it belongs to: a region code for the body that "
                                         "acts for that region, a credit code, or org-ID."))
    represents_region = forms.BooleanField(label=_("Acts for its region"), required=False,
                                           help_text=Organisation._meta.get_field("represents_region").help_text)
    credit_code = forms.CharField(label=_("Unified social credit code"), max_length=18, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        lookup(self.fields["region"], "lookup_regions", "region")
        lookup(self.fields["parent"], "lookup_organisations", "parent")

    def initial_from(self, org) -> dict:
        return {"name": org.name, "kind": org.kind, "side": org.side, "region": org.region_id,
                "parent": org.parent.code if org.parent_id else "", "represents_region": org.represents_region,
                "credit_code": org.credit_code or "", "notes": org.notes}

    def clean_region(self):
        return resolved(resolve_region, self.user, self.cleaned_data["region"], "region")

    def clean_parent(self):
        code = self.cleaned_data["parent"].strip()
        return resolved(resolve_organisation, self.user, code, "parent") if code else None

    def clean_credit_code(self):
        return self.cleaned_data["credit_code"].strip().upper() or None


class SubRegionForm(StyledForm):
    """A township under a county, or a village under a township."""

    code = forms.CharField(label=_("Statistical code"), min_length=12, max_length=12,
                           help_text=_("The 12-digit statistical division code."))
    name = forms.CharField(label=_("Name"), max_length=100)
    is_poor_village = forms.BooleanField(label=_("Former poor village"), required=False)

    def __init__(self, *args, user, instance, **kwargs):
        self.user, self.parent = user, instance
        super().__init__(*args, **kwargs)
        prefix = instance.code[:6] if instance.level == "county" else instance.code[:9]
        self.fields["code"].initial = prefix
        if instance.level != "township":
            del self.fields["is_poor_village"]


def region_field(label=None, required=True):
    """A form field that takes a region by its division code."""
    return forms.CharField(label=label or _("Region code"), max_length=12, required=required,
                           widget=forms.TextInput(attrs={"placeholder": _("Division code, e.g. 451024")}))


def clean_region(user, code: str) -> Region | None:
    """A region of the user's scope by the code typed into a form field; nothing for an empty field."""
    if not code:
        return None
    region = Region.objects.visible_to(user).filter(code=code.strip()).first()
    if region is None:
        raise ValidationError(_("Unknown region code %(code)s (or outside your scope).") % {"code": code})
    return region
