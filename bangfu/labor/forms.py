"""Forms of the labour pages: the fields officials fill in; the services check and refuse."""

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from bangfu.core.forms import FilterForm, ServiceForm, date_input, lookup, resolved
from bangfu.core.indicators import indicator
from bangfu.households.models import Member
from bangfu.labor.indicators import LABORER_FIGURES, counted_laborers, post_held_in
from bangfu.labor.models import Channel, Claim, Course, Intention, Place, Skill, State, Station, Workshop
from bangfu.regions.forms import clean_region, region_field
from bangfu.regions.models import Region
from bangfu.regions.services import resolve_organisation


class PlaceYearFilterForm(FilterForm):
    """A list's region (its subtree, by division code) and year: the filters an indicator's `records` link sets."""

    region = forms.CharField(label=_("Region code"))
    year = forms.IntegerField(label=_("Year"), min_value=1900, max_value=2100)

    def in_region(self, queryset):
        code = (self.cleaned_data.get("region") or "").strip()
        if not code:
            return queryset
        region = Region.objects.visible_to(self.user).filter(code=code).first()
        return queryset.filter(region_path__startswith=region.path) if region else queryset.none()


def figure_label(found) -> str:
    """An indicator's name in the page's language (declared in Chinese, with the English beside)."""
    return found.name if get_language().startswith("zh") else found.name_en


class LaborerFilterForm(PlaceYearFilterForm):
    """Laborers by name, state, intention and region; and those a labour figure counts (`figure`, in `year`, or in
    the whole record): the records behind the figure. A year without a figure is the year of registration."""

    q = forms.CharField(label=_("Name"))
    state = forms.ChoiceField(label=_("State"), choices=[("", _("All states"))] + State.choices)
    intention = forms.ChoiceField(label=_("Job intention"), choices=[("", _("All intentions"))] + Intention.choices)
    figure = forms.ChoiceField(label=_("Counted in"))
    field_order = ["q", "state", "intention", "region", "figure", "year"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["figure"].choices = [("", _("All laborers"))] + [
            (code, figure_label(indicator(code))) for code in LABORER_FIGURES]

    def filter(self, queryset):
        data = self.cleaned_data
        if data.get("q"):
            queryset = queryset.filter(Q(name__startswith=data["q"]) | Q(member__name_initials__startswith=data["q"]))
        if data.get("state"):
            queryset = queryset.filter(state=data["state"])
        if data.get("intention"):
            queryset = queryset.filter(intention=data["intention"])
        figure = data.get("figure") or ("labor.registered" if data.get("year") else "")
        if figure:
            queryset = queryset.filter(pk__in=counted_laborers(figure, data.get("year")))
        return self.in_region(queryset)


class PostFilterForm(PlaceYearFilterForm):
    """Public-welfare posts by region, and those held by someone in a year (`labor.public_welfare_posts`)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].label = _("Held in")

    def filter(self, queryset):
        year = self.cleaned_data.get("year")
        return self.in_region(queryset.filter(post_held_in(year)) if year else queryset)


class JobFairFilterForm(PlaceYearFilterForm):
    """Job fairs by region and the year they were held in (`labor.job_fairs`)."""

    def filter(self, queryset):
        year = self.cleaned_data.get("year")
        return self.in_region(queryset.filter(held_on__year=year) if year else queryset)


class RegisterForm(ServiceForm):
    member = forms.IntegerField(label=_("Member number"), help_text=_("The member's number in the registry."))
    skills = forms.TypedMultipleChoiceField(label=_("Skills"), choices=Skill.choices, coerce=int, required=False)
    training_wishes = forms.MultipleChoiceField(label=_("Training wishes"), choices=Course.Kind.choices,
                                                required=False)
    intention = forms.ChoiceField(label=_("Job intention"), choices=Intention.choices)
    phone = forms.CharField(label=_("Phone"), max_length=20, required=False)
    on = forms.DateField(label=_("Registered on"), widget=date_input(), required=False)

    def clean_member(self):
        member = Member.objects.visible_to(self.user).filter(pk=self.cleaned_data["member"]).first()
        if member is None:
            raise ValidationError(_("Member %(id)s is unknown or outside your scope.") % {
                "id": self.cleaned_data["member"]})
        return member


class LaborerEditForm(ServiceForm):
    skills = forms.TypedMultipleChoiceField(label=_("Skills"), choices=Skill.choices, coerce=int, required=False)
    training_wishes = forms.MultipleChoiceField(label=_("Training wishes"), choices=Course.Kind.choices,
                                                required=False)
    intention = forms.ChoiceField(label=_("Job intention"), choices=Intention.choices)
    phone = forms.CharField(label=_("Phone"), max_length=20, required=False)
    station = forms.ModelChoiceField(label=_("Labour service station"), queryset=Station.objects.none(),
                                     required=False)
    reason = forms.CharField(label=_("Reason"), max_length=300, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["station"].queryset = Station.objects.visible_to(self.user)


class BulkRegisterForm(ServiceForm):
    region = region_field()
    min_age = forms.IntegerField(label=_("Minimum age"), min_value=0, max_value=120, required=False)
    max_age = forms.IntegerField(label=_("Maximum age"), min_value=0, max_value=120, required=False)
    on = forms.DateField(label=_("Registered on"), widget=date_input(), required=False)

    def clean_region(self):
        return clean_region(self.user, self.cleaned_data["region"])


class EmploymentForm(ServiceForm):
    channel = forms.ChoiceField(label=_("Channel"), choices=Channel.choices)
    employer = forms.CharField(label=_("Employer code"), required=False,
                               help_text=_("An organisation's credit code or region code, if it is recorded."))
    employer_name = forms.CharField(label=_("Employer name"), max_length=200, required=False)
    work_region = region_field(_("Place of work (division code)"), required=False)
    place = forms.ChoiceField(label=_("Place"), choices=[("", _("From the place of work"))] + Place.choices,
                              required=False)
    workshop = forms.ModelChoiceField(label=_("Workshop"), queryset=Workshop.objects.none(), required=False)
    post = forms.IntegerField(label=_("Public-welfare post number"), required=False)
    start = forms.DateField(label=_("Start"), widget=date_input())
    end = forms.DateField(label=_("End"), widget=date_input(), required=False)
    monthly_wage = forms.DecimalField(label=_("Monthly wage (yuan)"), min_value=0, max_digits=18, decimal_places=2)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["workshop"].queryset = Workshop.objects.visible_to(self.user)
        lookup(self.fields["employer"], "lookup_organisations", "employer")

    def clean_employer(self):
        code = self.cleaned_data["employer"]
        return resolved(resolve_organisation, self.user, code, "employer") if code else None

    def clean_work_region(self):
        return clean_region(self.user, self.cleaned_data["work_region"])

    def clean_post(self):
        from bangfu.labor.models import PublicWelfarePost

        pk = self.cleaned_data["post"]
        if pk is None:
            return None
        post = PublicWelfarePost.objects.visible_to(self.user).filter(pk=pk).first()
        if post is None:
            raise ValidationError(_("Unknown public-welfare post %(id)s.") % {"id": pk})
        return post


class StableForm(ServiceForm):
    on = forms.DateField(label=_("Date"), widget=date_input())


class FollowUpForm(ServiceForm):
    on = forms.DateField(label=_("Date"), widget=date_input())
    notes = forms.CharField(label=_("What the follow-up found"), max_length=300)
    offer = forms.BooleanField(label=_("A placement was offered"), required=False)


class PostingForm(ServiceForm):
    employer = forms.CharField(label=_("Employer code"))
    title = forms.CharField(label=_("Title"), max_length=100)
    region = region_field(_("Place of work (division code)"))
    wage_min = forms.DecimalField(label=_("Monthly wage from"), min_value=0, max_digits=18, decimal_places=2)
    wage_max = forms.DecimalField(label=_("Monthly wage to"), min_value=0, max_digits=18, decimal_places=2)
    openings = forms.IntegerField(label=_("Openings"), min_value=1, max_value=100000)
    skills = forms.TypedMultipleChoiceField(label=_("Skills wanted"), choices=Skill.choices, coerce=int,
                                            required=False)
    min_age = forms.IntegerField(label=_("Minimum age"), min_value=14, max_value=100, initial=16)
    max_age = forms.IntegerField(label=_("Maximum age"), min_value=14, max_value=100, initial=60)
    requirements = forms.CharField(label=_("Requirements"), widget=forms.Textarea(attrs={"rows": 3}), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        lookup(self.fields["employer"], "lookup_organisations", "employer")

    def clean_employer(self):
        return resolved(resolve_organisation, self.user, self.cleaned_data["employer"], "employer")

    def clean_region(self):
        return clean_region(self.user, self.cleaned_data["region"])


class RecommendForm(ServiceForm):
    laborer = forms.IntegerField(widget=forms.HiddenInput)


class OutcomeForm(ServiceForm):
    outcome = forms.ChoiceField(label=_("Result"), choices=[
        ("interviewed", _("Interviewed")), ("hired", _("Hired (the job starts on this date)")),
        ("declined", _("Declined"))])
    on = forms.DateField(label=_("Date"), widget=date_input())
    monthly_wage = forms.DecimalField(label=_("Monthly wage (yuan)"), min_value=0, max_digits=18, decimal_places=2,
                                      required=False, help_text=_("For a hire; the posting's lowest wage if empty."))


class JobFairForm(ServiceForm):
    name = forms.CharField(label=_("Name"), max_length=200)
    held_on = forms.DateField(label=_("Held on"), widget=date_input())
    region = region_field(_("Place (division code)"))
    organiser = forms.CharField(label=_("Organiser code"), required=False)
    attendees = forms.IntegerField(label=_("Attendees"), min_value=0, initial=0)
    employers = forms.IntegerField(label=_("Employers present"), min_value=0, initial=0)
    agreements = forms.IntegerField(label=_("Job agreements signed"), min_value=0, initial=0)

    def clean_region(self):
        return clean_region(self.user, self.cleaned_data["region"])

    def clean_organiser(self):
        code = self.cleaned_data["organiser"]
        return resolved(resolve_organisation, self.user, code, "organiser") if code else None


class StationForm(JobFairForm):
    held_on = attendees = employers = agreements = None
    address = forms.CharField(label=_("Address"), max_length=200, required=False)
    phone = forms.CharField(label=_("Phone"), max_length=20, required=False)
    staff = forms.CharField(label=_("Staff"), required=False, widget=forms.Textarea(attrs={"rows": 3}),
                            help_text=_("One per line: name, role, phone."))

    def clean_staff(self):
        rows = []
        for line in self.cleaned_data["staff"].splitlines():
            if line.strip():
                parts = [p.strip() for p in line.replace("，", ",").split(",")]
                if len(parts) < 2:
                    raise ValidationError(_("“%(line)s”: give a name and a role.") % {"line": line})
                rows.append((parts[0], parts[1], parts[2] if len(parts) > 2 else ""))
        return rows


class StaffForm(ServiceForm):
    name = forms.CharField(label=_("Full name"), max_length=50)
    role = forms.CharField(label=_("Role"), max_length=50)
    phone = forms.CharField(label=_("Phone"), max_length=20, required=False)


class WorkshopForm(ServiceForm):
    name = forms.CharField(label=_("Name"), max_length=100)
    kind = forms.ChoiceField(label=_("Kind"), choices=Workshop.Kind.choices)
    region = region_field(_("Place (division code)"))
    operator = forms.CharField(label=_("Operator"), max_length=100, required=False)

    def clean_region(self):
        return clean_region(self.user, self.cleaned_data["region"])


class PostForm(ServiceForm):
    name = forms.CharField(label=_("Name"), max_length=100)
    region = region_field(_("Place (division code)"))
    monthly_pay = forms.DecimalField(label=_("Monthly pay (yuan)"), min_value=0, max_digits=18, decimal_places=2)

    def clean_region(self):
        return clean_region(self.user, self.cleaned_data["region"])


class CourseForm(ServiceForm):
    name = forms.CharField(label=_("Name"), max_length=200)
    kind = forms.ChoiceField(label=_("Kind"), choices=Course.Kind.choices)
    region = region_field(_("Place (division code)"))
    organiser = forms.CharField(label=_("Organiser code"), required=False)
    start = forms.DateField(label=_("Start"), widget=date_input())
    end = forms.DateField(label=_("End"), widget=date_input())
    hours = forms.IntegerField(label=_("Hours"), min_value=0, initial=0)

    clean_region = JobFairForm.clean_region
    clean_organiser = JobFairForm.clean_organiser


class AttendanceForm(ServiceForm):
    laborer = forms.IntegerField(label=_("Laborer number"))
    completed = forms.BooleanField(label=_("Completed"), required=False)
    certificate = forms.CharField(label=_("Certificate"), max_length=50, required=False)

    def clean_laborer(self):
        from bangfu.labor.models import Laborer

        laborer = Laborer.objects.visible_to(self.user).filter(pk=self.cleaned_data["laborer"]).first()
        if laborer is None:
            raise ValidationError(_("Laborer %(id)s is unknown or outside your scope.") % {
                "id": self.cleaned_data["laborer"]})
        return laborer


class ClaimForm(ServiceForm):
    kind = forms.ChoiceField(label=_("Kind"), choices=Claim.Kind.choices)
    employer = forms.CharField(label=_("Employer code"), required=False)
    lines = forms.CharField(label=_("Laborer-months"), widget=forms.Textarea(attrs={"rows": 5}),
                            help_text=_("One per line: laborer number and month, e.g. 1024 2020-05."))
    notes = forms.CharField(label=_("Notes"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def clean_employer(self):
        code = self.cleaned_data["employer"]
        return resolved(resolve_organisation, self.user, code, "employer") if code else None

    def clean_lines(self):
        import re
        from datetime import date

        from bangfu.labor.models import Laborer

        pairs = []
        for line in self.cleaned_data["lines"].splitlines():
            if not line.strip():
                continue
            match = re.fullmatch(r"\s*(\d+)[\s,，]+(\d{4})-(\d{1,2})\s*", line)
            if not match or not 1 <= int(match[3]) <= 12:
                raise ValidationError(_("“%(line)s”: write a laborer number and a month like 2020-05.") % {
                    "line": line})
            pairs.append((int(match[1]), date(int(match[2]), int(match[3]), 1)))
        laborers = Laborer.objects.visible_to(self.user).in_bulk([pk for pk, _m in pairs])
        missing = [str(pk) for pk, _m in pairs if pk not in laborers]
        if missing:
            raise ValidationError(_("Unknown laborers (or outside your scope): %(ids)s.") % {"ids": ", ".join(missing)})
        return [(laborers[pk], month) for pk, month in pairs]


class AdvanceClaimForm(ServiceForm):
    status = forms.ChoiceField(label=_("New status"), choices=[
        (s, label) for s, label in Claim.Status.choices if s != Claim.Status.SUBMITTED])
    reason = forms.CharField(label=_("Reason"), max_length=300, required=False)
