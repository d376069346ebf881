"""Forms of the pairing pages: list filters, create/edit, end. Helper and recipient are typed as codes."""

import re

from django import forms
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from bangfu.core.forms import REASON_HELP, FilterForm, RecordForm, StyledForm, date_input, lookup, resolved
from bangfu.pairing.models import PairingKind
from bangfu.regions.models import Organisation, Region
from bangfu.regions.services import find_organisation, resolve_organisation, resolve_region

REGION_CODE = re.compile(r"\d{6}|\d{12}")

ACTIVE_CHOICES = [("", _("Any status")), ("yes", _("Active")), ("no", _("Not active"))]


def resolve_recipient(user, code: str, field: str = "recipient") -> tuple[Region, Organisation | None]:
    """A region code (451024) names the region; a credit code or org-ID names a recipient organisation."""
    code = (code or "").strip()
    if REGION_CODE.fullmatch(code):
        return resolve_region(user, code, field), None
    org = resolve_organisation(user, code, field)
    return org.region, org


class PairingFilterForm(FilterForm):
    q = forms.CharField(label=_("Search"), widget=forms.TextInput(attrs={"placeholder": _("Name, code or notes")}))
    kind = forms.ChoiceField(label=_("Kind"), choices=[("", _("All kinds"))] + PairingKind.choices)
    helper = forms.CharField(label=_("Helper"), widget=forms.TextInput(attrs={"placeholder": _("Code or name")}))
    recipient = forms.CharField(label=_("Recipient"),
                                widget=forms.TextInput(attrs={"placeholder": _("Region code or name")}))
    active = forms.ChoiceField(label=_("Status"), choices=ACTIVE_CHOICES)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        lookup(self.fields["helper"], "lookup_organisations", "helper", side="helper")
        lookup(self.fields["recipient"], "lookup_recipients", "recipient")

    def filter(self, queryset):
        data, user = self.cleaned_data, self.user
        if q := data.get("q", "").strip():
            match = (Q(helper__name__icontains=q) | Q(recipient_region__name__icontains=q)
                     | Q(recipient_org__name__icontains=q) | Q(notes__icontains=q))
            if q.isdigit():
                match |= Q(pk=int(q)) | Q(recipient_region_id=q) | Q(helper__region_id=q)
            queryset = queryset.filter(match)
        if data.get("kind"):
            queryset = queryset.filter(kind=data["kind"])
        if helper := data.get("helper", "").strip():
            # A code names an organisation and everything under it; other text searches the names.
            org = find_organisation(Organisation.objects.visible_to(user), helper)
            if org is not None:
                queryset = queryset.filter(helper__path__startswith=org.path)
            else:
                queryset = queryset.filter(helper__name__icontains=helper)
        if recipient := data.get("recipient", "").strip():
            region = None
            if REGION_CODE.fullmatch(recipient):
                region = Region.objects.visible_to(user).filter(code=recipient).first()
                if region is None:
                    return queryset.none()
            if region is not None:
                queryset = queryset.filter(recipient_region__path__startswith=region.path)
            else:
                org = find_organisation(Organisation.objects.visible_to(user), recipient)
                queryset = queryset.filter(recipient_org=org) if org else queryset.filter(
                    Q(recipient_region__name__icontains=recipient) | Q(recipient_org__name__icontains=recipient))
        if data.get("active") == "yes":
            queryset = queryset.active()
        elif data.get("active") == "no":
            queryset = queryset.inactive()
        return queryset


class PairingForm(RecordForm):
    kind = forms.ChoiceField(label=_("Kind"), choices=PairingKind.choices)
    helper = forms.CharField(label=_("Helper"), help_text=_(
        "Code of the helper organisation: a region code for the body that acts for that region (440305 is "
        "南山区), a credit code, or org-ID."))
    recipient = forms.CharField(label=_("Recipient"), help_text=_(
        "A region code (451024 is 德保县; 12 digits for a township or village), or the credit code or org-ID of a "
        "recipient organisation such as a school or hospital."))
    start = forms.DateField(label=_("Start"), widget=date_input())
    end = forms.DateField(label=_("End"), required=False, widget=date_input(),
                          help_text=_("Leave empty while the pairing lasts."))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        lookup(self.fields["helper"], "lookup_organisations", "helper", side="helper")
        lookup(self.fields["recipient"], "lookup_recipients", "recipient")

    def initial_from(self, pairing) -> dict:
        return {"kind": pairing.kind, "helper": pairing.helper.code, "recipient": self.recipient_code(pairing),
                "start": pairing.start, "end": pairing.end, "notes": pairing.notes}

    @staticmethod
    def recipient_code(pairing) -> str:
        return pairing.recipient_org.code if pairing.recipient_org_id else pairing.recipient_region_id

    def clean_helper(self):
        code = self.cleaned_data["helper"]
        if self.instance is not None and code.strip() == self.instance.helper.code:
            return self.instance.helper
        return resolved(resolve_organisation, self.user, code, "helper")

    def clean_recipient(self):
        code = self.cleaned_data["recipient"]
        if self.instance is not None and code.strip() == self.recipient_code(self.instance):
            return self.instance.recipient_region, self.instance.recipient_org  # unchanged
        return resolved(resolve_recipient, self.user, code)

    def changes(self) -> dict:
        """The fields that differ from the stored pairing (all of them for a new one)."""
        data = self.cleaned_data
        region, org = data["recipient"]
        values = {"kind": data["kind"], "helper": data["helper"], "recipient_region": region, "recipient_org": org,
                  "start": data["start"], "end": data["end"], "notes": data["notes"]}
        if self.instance is None:
            return values
        return {k: v for k, v in values.items() if getattr(self.instance, k) != v}


class EndPairingForm(StyledForm):
    end = forms.DateField(label=_("End date"), widget=date_input())
    reason = forms.CharField(label=_("Reason"), required=False, widget=forms.Textarea(attrs={"rows": 2}),
                             help_text=REASON_HELP)

    def __init__(self, *args, user, instance, **kwargs):
        self.user, self.instance = user, instance
        kwargs["initial"] = {"end": timezone.localdate(), **kwargs.get("initial", {})}
        super().__init__(*args, **kwargs)
