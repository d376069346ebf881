"""Forms of the household pages: list filters, opening a case, the next step of a case, monitoring lines,
assistance measures, visits, and a year's income and conditions.

The forms only collect; the rules are the services' (`services.py`, `workflow.py`), whose refusals come back as form
errors through `ServiceFormView`.
"""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from bangfu.core.forms import REASON_HELP, FilterForm, StyledForm, lookup
from bangfu.core.roles import role_of
from bangfu.households.models import (
    ClueSource,
    HouseholdType,
    HousingGrade,
    Measure,
    MonitoringCategory,
    Purpose,
    RiskStatus,
    Stage,
)
from bangfu.households.workflow import NEXT, WORKFLOW_ROLES

ATTACHMENT_TYPES = (".pdf", ".jpg", ".jpeg", ".png", ".doc", ".docx", ".xls", ".xlsx")
ATTACHMENT_MAX_BYTES = 10 * 1024 * 1024


class HouseholdFilterForm(FilterForm):
    q = forms.CharField(label=_("Search"), widget=forms.TextInput(
        attrs={"placeholder": _("Name, pinyin initials, ID suffix or household number")}))
    region = forms.CharField(label=_("Region"), widget=forms.TextInput(attrs={"placeholder": _("Region code")}))
    household_type = forms.ChoiceField(label=_("Household type"),
                                       choices=[("", _("All types"))] + HouseholdType.choices)
    monitoring_category = forms.ChoiceField(label=_("Monitoring category"),
                                            choices=[("", _("All categories"))] + MonitoringCategory.choices)
    risk_status = forms.ChoiceField(label=_("Risk status"), choices=[("", _("Any risk status"))] + RiskStatus.choices)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        lookup(self.fields["region"], "lookup_regions", "region")

    def clean_q(self):
        from bangfu.households.api.filters import search_refusal

        q = (self.cleaned_data.get("q") or "").strip()
        if q and (refusal := search_refusal(self.user, q)):
            raise ValidationError(refusal)
        return q

    def filter(self, queryset):
        # The search and the region filter are the API's (one behaviour for both).
        from bangfu.households.api.filters import household_q, in_region, log_id_search

        data = self.cleaned_data
        queryset = in_region(self.user, queryset, (data.get("region") or "").strip() or None)
        for field in ("household_type", "monitoring_category", "risk_status"):
            if data.get(field):
                queryset = queryset.filter(**{field: data[field]})
        if q := data.get("q"):
            queryset = queryset.filter(household_q(q))
            log_id_search(self.user, q, queryset)
        return queryset


class LineFilterForm(FilterForm):
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)
    province = forms.CharField(label=_("Province code"), max_length=6)
    county = forms.CharField(label=_("County code"), max_length=6)

    def filter(self, queryset):
        data = self.cleaned_data
        if data.get("year"):
            queryset = queryset.filter(year=data["year"])
        if data.get("province"):
            queryset = queryset.filter(province_code=data["province"].strip())
        if data.get("county"):
            queryset = queryset.filter(county_code=data["county"].strip())
        return queryset


class ObjectForm(StyledForm):
    """A form of a `ServiceFormView`: it is given the user, and the object when there is one."""

    def __init__(self, *args, user, instance=None, **kwargs):
        self.user = user
        self.instance = instance
        super().__init__(*args, **kwargs)


class OpenCaseForm(ObjectForm):
    purpose = forms.ChoiceField(label=_("Purpose"), choices=Purpose.choices, initial=Purpose.IDENTIFY)
    source = forms.ChoiceField(label=_("Source"), choices=[
        (ClueSource.SELF_REPORT, ClueSource.SELF_REPORT.label),
        (ClueSource.CADRE_VISIT, ClueSource.CADRE_VISIT.label),
        (ClueSource.DEPARTMENT, ClueSource.DEPARTMENT.label),
    ], initial=ClueSource.CADRE_VISIT)
    candidate_category = forms.ChoiceField(
        label=_("Candidate category"), required=False,
        choices=[("", _("To be judged on the home visit"))] + MonitoringCategory.choices)
    reason = forms.CharField(label=_("Reason"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3}),
                             help_text=_("What was reported or seen. Do not write ID or phone numbers here."))


def next_steps(user, clue) -> list[tuple[str, str]]:
    """The stages this user's role may move this case into now (the next one, and rejection)."""
    if clue.stage in (Stage.APPROVED, Stage.REJECTED):
        return []
    role = role_of(user)
    allowed = [s for s in (*NEXT.get(clue.stage, ()), Stage.REJECTED)
               if user.is_superuser or role in WORKFLOW_ROLES.get(s, ())]
    return [(s, Stage(s).label) for s in allowed]


class AdvanceForm(ObjectForm):
    stage = forms.ChoiceField(label=_("Step"))
    reason = forms.CharField(label=_("Reason or finding"), required=False, max_length=2000,
                             widget=forms.Textarea(attrs={"rows": 3}),
                             help_text=_("Required for a rejection. Kept with the step."))
    category = forms.ChoiceField(label=_("Register as"), required=False,
                                 choices=[("", _("The candidate category"))] + MonitoringCategory.choices,
                                 help_text=_("On county approval of an identification."))
    attachment = forms.FileField(label=_("Attachment"), required=False,
                                 help_text=_("A scan or photo of the record (PDF, image or office file, ≤ 10 MB)."))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Every stage is offered to the form's validation, so that a step out of order reaches the service and is
        # refused with its message; the page shows only the steps the user may take.
        self.fields["stage"].choices = [(s, label) for s, label in Stage.choices if s != Stage.CLUE]
        self.steps = next_steps(self.user, self.instance) if self.instance is not None else []
        if self.steps:
            self.fields["stage"].initial = self.steps[0][0]
        self.fields["attachment"].widget.attrs["accept"] = ",".join(ATTACHMENT_TYPES)

    def clean_attachment(self):
        upload = self.cleaned_data.get("attachment")
        if upload:
            if not upload.name.lower().endswith(ATTACHMENT_TYPES):
                raise ValidationError(_("Attach a PDF, an image or an office file."))
            if upload.size > ATTACHMENT_MAX_BYTES:
                raise ValidationError(_("The attachment is larger than 10 MB."))
        return upload


class MonitoringLineForm(ObjectForm):
    province_code = forms.CharField(label=_("Province code"), max_length=6)
    county_code = forms.CharField(label=_("County code"), max_length=6, required=False,
                                  help_text=_("Blank: the line of the whole province."))
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)
    amount = forms.DecimalField(label=_("Monitoring line (yuan per person)"), max_digits=18, decimal_places=2)
    income_fall_share = forms.DecimalField(label=_("Income fall that raises a clue"), max_digits=4, decimal_places=2,
                                           initial="0.30", help_text=_("A share: 0.30 is 30%."))
    rigid_spending_share = forms.DecimalField(label=_("Rigid spending share of income that raises a clue"),
                                              max_digits=4, decimal_places=2, initial="0.50")
    clue_deadline_days = forms.IntegerField(label=_("Days from clue to decision"), initial=15, min_value=1)
    publicity_days = forms.IntegerField(label=_("Village publicity days"), initial=5, min_value=5)
    reason = forms.CharField(label=_("Reason for the change"), required=False, max_length=500, help_text=REASON_HELP)

    FIELDS = ("province_code", "county_code", "year", "amount", "income_fall_share", "rigid_spending_share",
              "clue_deadline_days", "publicity_days")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance is not None:
            for name in self.FIELDS:
                self.fields[name].initial = getattr(self.instance, name)
        lookup(self.fields["province_code"], "lookup_regions", "province_code")
        lookup(self.fields["county_code"], "lookup_regions", "county_code")

    def values(self) -> dict:
        data = self.cleaned_data
        return {name: data[name] if data[name] is not None else "" for name in self.FIELDS}


def date_input():
    return forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class MeasureForm(ObjectForm):
    kind = forms.ChoiceField(label=_("Kind of measure"), choices=Measure.Kind.choices)
    description = forms.CharField(label=_("Description"), max_length=300,
                                  help_text=_("What is done for the household. Do not write ID or phone numbers here."))
    responsible_unit = forms.CharField(label=_("Responsible unit"), max_length=100)
    responsible_person = forms.CharField(label=_("Responsible person"), max_length=50)
    start = forms.DateField(label=_("Start"), widget=date_input())
    end = forms.DateField(label=_("End"), required=False, widget=date_input(),
                          help_text=_("Blank while the measure goes on."))
    outcome = forms.CharField(label=_("Outcome"), required=False, max_length=5000,
                              widget=forms.Textarea(attrs={"rows": 3}))
    reason = forms.CharField(label=_("Reason for the change"), required=False, max_length=500, help_text=REASON_HELP)

    FIELDS = ("kind", "description", "responsible_unit", "responsible_person", "start", "end", "outcome")

    def values(self) -> dict:
        return {name: self.cleaned_data.get(name) for name in self.FIELDS}


class MeasureOutcomeForm(ObjectForm):
    """Record a measure's outcome, or end it."""

    outcome = forms.CharField(label=_("Outcome"), required=False, max_length=5000,
                              widget=forms.Textarea(attrs={"rows": 4}))
    end = forms.DateField(label=_("End"), required=False, widget=date_input(),
                          help_text=_("Blank while the measure goes on; never before its start."))
    reason = forms.CharField(label=_("Reason for the change"), required=False, max_length=500, help_text=REASON_HELP)

    def __init__(self, *args, measure=None, **kwargs):
        super().__init__(*args, **kwargs)
        if measure is not None:
            self.fields["outcome"].initial = measure.outcome
            self.fields["end"].initial = measure.end


class VisitForm(ObjectForm):
    visited_on = forms.DateField(label=_("Date of the visit"), widget=date_input())
    visitor = forms.CharField(label=_("Visitor"), max_length=50)
    notes = forms.CharField(label=_("Findings"), max_length=5000, widget=forms.Textarea(attrs={"rows": 4}),
                            help_text=_("What was seen and said. Do not write ID or phone numbers here."))


INCOME_LABELS = (
    ("wage", _("Wage income")),
    ("production", _("Production and business income")),
    ("property_income", _("Property income")),
    ("transfer", _("Transfer income")),
    ("production_cost", _("Production and business costs")),
    ("rigid_medical", _("Compliant out-of-pocket medical spending")),
    ("rigid_education", _("Schooling spending")),
)


class IncomeForm(ObjectForm):
    year = forms.IntegerField(label=_("Year"))
    wage = forms.DecimalField(required=False, max_digits=18, decimal_places=2)
    production = forms.DecimalField(required=False, max_digits=18, decimal_places=2)
    property_income = forms.DecimalField(required=False, max_digits=18, decimal_places=2)
    transfer = forms.DecimalField(required=False, max_digits=18, decimal_places=2)
    production_cost = forms.DecimalField(required=False, max_digits=18, decimal_places=2)
    rigid_medical = forms.DecimalField(required=False, max_digits=18, decimal_places=2)
    rigid_education = forms.DecimalField(required=False, max_digits=18, decimal_places=2)
    members_counted = forms.IntegerField(label=_("Household size counted"), required=False,
                                         help_text=_("Blank: the household's current number of members."))
    reason = forms.CharField(label=_("Reason for the change"), required=False, max_length=500, help_text=REASON_HELP)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, label in INCOME_LABELS:
            self.fields[name].label = label

    def items(self) -> dict:
        return {name: self.cleaned_data.get(name) or 0 for name, _label in INCOME_LABELS}

    def item_fields(self):
        return [self[name] for name, _label in INCOME_LABELS]


CONDITION_LABELS = (
    ("food_clothing", _("Food and clothing secured")),
    ("compulsory_education", _("Compulsory education secured")),
    ("basic_medical", _("Basic medical care secured")),
    ("water_quantity", _("Water quantity sufficient")),
    ("water_quality", _("Water quality safe")),
    ("water_convenience", _("Water convenient")),
    ("water_reliability", _("Water supply reliable")),
)


class ConditionsForm(ObjectForm):
    year = forms.IntegerField(label=_("Year"))
    food_clothing = forms.BooleanField(required=False, initial=True)
    compulsory_education = forms.BooleanField(required=False, initial=True)
    basic_medical = forms.BooleanField(required=False, initial=True)
    water_quantity = forms.BooleanField(required=False, initial=True)
    water_quality = forms.BooleanField(required=False, initial=True)
    water_convenience = forms.BooleanField(required=False, initial=True)
    water_reliability = forms.BooleanField(required=False, initial=True)
    housing_grade = forms.ChoiceField(label=_("Housing safety grade"), choices=HousingGrade.choices,
                                      help_text=_("A and B are safe; C and D are not."))
    evidence = forms.CharField(label=_("Evidence"), required=False, max_length=5000,
                               widget=forms.Textarea(attrs={"rows": 3}),
                               help_text=_("The appraisal, certificate or finding behind the items."))
    reason = forms.CharField(label=_("Reason for the change"), required=False, max_length=500, help_text=REASON_HELP)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, label in CONDITION_LABELS:
            self.fields[name].label = label

    def values(self) -> dict:
        data = self.cleaned_data
        values = {name: bool(data.get(name)) for name, _label in CONDITION_LABELS}
        values.update(housing_grade=data["housing_grade"], evidence=data.get("evidence") or "")
        return values

    def flag_fields(self):
        return [self[name] for name, _label in CONDITION_LABELS]
