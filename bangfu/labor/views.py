"""The labour pages: the overview with the summary figures, laborers and their closed-loop timeline, postings with
the laborers that fit them, job fairs, stations, workshops, public-welfare posts, courses, subsidy claims and the
return alerts. Lists share one table template (columns declared here); writes go through `services`."""

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count, Q
from django.http import Http404
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import TemplateView

from bangfu.core.forms import DateReasonForm, FilterForm
from bangfu.core.identity import mask_phone
from bangfu.core.privacy import birth_shown
from bangfu.core.roles import can
from bangfu.core.views import (
    Col,
    ScopedDetailView,
    ServiceCreateView,
    ServiceFormView,
    TableView,
    UIView,
    add_service_errors,
    may_change,
)
from bangfu.labor import forms, matching, services
from bangfu.labor.figures import FIGURES, summary
from bangfu.labor.models import (
    Claim,
    Course,
    Employment,
    JobFair,
    Laborer,
    Posting,
    PublicWelfarePost,
    Recommendation,
    Skill,
    State,
    Station,
    Workshop,
    skill_names,
)

FIGURE_LABELS = {
    "registered": gettext_lazy("Registered laborers"), "employed": gettext_lazy("Employed"),
    "employed_in_helper_city": gettext_lazy("Employed in the helper city"), "stable": gettext_lazy("Stably employed"),
    "returned": gettext_lazy("Returned home"), "public_welfare_posts": gettext_lazy("Public-welfare posts"),
    "public_welfare_workers": gettext_lazy("People in public-welfare posts"), "job_fairs": gettext_lazy("Job fairs"),
    "trainees": gettext_lazy("Trainees"), "people_sent": gettext_lazy("People sent"),
}


def anchor_query(user) -> dict:
    """The summary a user sees first: his region's, or his organisation's."""
    profile = getattr(user, "profile", None)
    if profile is not None and profile.region_id:
        return {"recipient": profile.region_id}
    if profile is not None and profile.organisation_id:
        return {"helper": profile.organisation.code}
    return {"helper": "440300"}


class LaborHomeView(UIView, TemplateView):
    template_name = "labor/home.html"
    permission = "labor.view"
    nav = "labor"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        query = anchor_query(user)
        year = self.request.GET.get("year", "")
        context["year"] = year
        try:
            figures = summary(user, year=int(year) if year.isdigit() else None, **query)
        except (Http404, ValidationError):
            figures = None
        context["query"] = query
        context["figures"] = [(FIGURE_LABELS[k], figures[k]) for k in FIGURES] if figures else []
        context["alerts"] = services.return_alerts(Laborer.objects.visible_to(user)).count()
        context["can_change"] = can(user, "labor.change")
        context["stable_months"] = settings.LABOR_STABLE_MONTHS
        context["alert_days"] = settings.LABOR_RETURN_ALERT_DAYS
        return context


class LaborSection:
    """The labour module's pages: its menu entry, its name above each title, its home in the breadcrumb."""

    nav = "labor"
    section = gettext_lazy("Labour cooperation")
    section_url = "labor_home"


class LaborFormView(LaborSection, ServiceFormView):
    pass


class LaborCreateView(LaborSection, ServiceCreateView):
    permission = "labor.change"


class LaborTable(LaborSection, TableView):
    create_permission = "labor.change"


class LaborerListView(LaborTable):
    model = Laborer
    filter_form = forms.LaborerFilterForm
    title = gettext_lazy("Laborers")
    create_url = "laborer_register"
    csv_name = "laborers"
    columns = [
        Col(gettext_lazy("No."), lambda o: o.pk, "laborer_detail"),
        Col(gettext_lazy("Name"), lambda o: o.name, "laborer_detail"),
        Col(gettext_lazy("Village code"), lambda o: o.region_path.strip("/").split("/")[-1], None),
        Col(gettext_lazy("Skills"), lambda o: skill_names(o.skill_mask), None),
        Col(gettext_lazy("Job intention"), lambda o: o.get_intention_display(), None),
        Col(gettext_lazy("State"), lambda o: o.get_state_display(), None),
        Col(gettext_lazy("State since"), lambda o: o.state_on, None),
        Col(gettext_lazy("Phone"), lambda o: mask_phone(o.phone) if o.phone else "", None),
    ]

    def get_queryset(self):
        return super().get_queryset().order_by("pk")


class AlertListView(LaborerListView):
    title = gettext_lazy("Home without work or offer")
    filter_form = FilterForm
    create_url = ""
    csv_name = "return-alerts"

    def base_queryset(self):
        return services.return_alerts(super().base_queryset())


class LaborerDetailView(ScopedDetailView):
    model = Laborer
    template_name = "labor/laborer_detail.html"
    nav = "labor"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        laborer, user = self.object, self.request.user
        context["events"] = laborer.events.order_by("on", "id")
        context["jobs"] = laborer.employments.select_related("workshop", "post").order_by("-start")
        context["recommendations"] = laborer.recommendations.select_related("posting__employer")
        context["follow_ups"] = laborer.follow_ups.all()[:20]
        context["attendances"] = laborer.attendances.select_related("course")
        context["phone"] = mask_phone(laborer.phone) if laborer.phone else ""
        context["birth"] = birth_shown(self.request, laborer)
        context["skills"] = skill_names(laborer.skill_mask)
        context["can_change"] = may_change(user, laborer)
        context["matches"] = matching.postings_for(laborer, limit=10) if laborer.state in (
            State.REGISTERED, State.RECOMMENDED, State.LEFT, State.RETURNED) else []
        context["alert"] = services.return_alerts(Laborer.objects.filter(pk=laborer.pk)).exists()
        return context


class LaborerFormView(LaborFormView):
    """A form about one laborer (from the URL)."""

    model = Laborer
    permission = "labor.change"
    nav = "labor"
    title = ""

    def success_url_for(self, obj):
        return reverse("laborer_detail", args=[self.object.pk])

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["title"] = self.title
        context["back"] = reverse("laborer_detail", args=[self.object.pk])
        return context


class RegisterView(LaborFormView):
    form_class = forms.RegisterForm
    permission = "labor.change"
    nav = "labor"
    success_message = gettext_lazy("%(object)s was registered.")

    def get_initial(self):
        return {"member": self.request.GET.get("member"), "on": timezone.localdate()}

    def perform(self, form):
        data = form.cleaned_data
        return services.register(self.request.user, data["member"], skill_mask=sum(set(data["skills"])),
                                 training_wishes=data["training_wishes"], intention=data["intention"],
                                 phone=data["phone"], on=data["on"])

    def success_url_for(self, obj):
        return reverse("laborer_detail", args=[obj.pk])

    def get_context_data(self, **kwargs):
        return super().get_context_data(title=_("Register a laborer"), back=reverse("laborer_list"), **kwargs)


class BulkRegisterView(LaborSection, UIView, TemplateView):
    """Register every eligible member under a region at once (one set-based statement)."""

    template_name = "core/form.html"
    permission = "labor.change"

    def get_context_data(self, **kwargs):
        kwargs.setdefault("form", forms.BulkRegisterForm(user=self.request.user))
        return super().get_context_data(title=_("Register from the household registry"), section=self.section,
                                        section_url=reverse(self.section_url),
                                        form_note=ServiceFormView.form_note,
                                        intro=_("Every current member of working age, able to work and not in school "
                                                "is registered, unless he is already."),
                                        back=reverse("laborer_list"), **kwargs)

    def post(self, request, *args, **kwargs):
        form = forms.BulkRegisterForm(request.POST, user=request.user)
        if form.is_valid():
            data = form.cleaned_data
            try:
                n = services.register_from_registry(request.user, data["region"], on=data["on"],
                                                    min_age=data["min_age"], max_age=data["max_age"])
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, _("%(n)s laborers were registered.") % {"n": n})
                return redirect(reverse("laborer_list") + f"?region={data['region'].code}")
        return self.render_to_response(self.get_context_data(form=form))


class LaborerEditView(LaborerFormView):
    form_class = forms.LaborerEditForm
    title = gettext_lazy("Edit the laborer")
    success_message = gettext_lazy("%(object)s was updated.")

    def get_initial(self):
        # The phone number is not put in the form: it would show in the clear. Left blank, it stays as it is.
        laborer = self.object
        return {"skills": [v for v in Skill.values if laborer.skill_mask & v],
                "training_wishes": laborer.training_wishes, "intention": laborer.intention,
                "station": laborer.station_id}

    def get_form(self, form_class=None):
        form = super().get_form(form_class)
        if self.object.phone:
            form.fields["phone"].help_text = _("Now %(phone)s; leave blank to keep it.") % {
                "phone": services.masked_phone(self.object)}
        return form

    def perform(self, form):
        data = form.cleaned_data
        phone = {"phone": data["phone"]} if data["phone"] else {}
        return services.update_laborer(self.request.user, self.object, reason=data["reason"],
                                       skill_mask=sum(set(data["skills"])), training_wishes=data["training_wishes"],
                                       intention=data["intention"], station=data["station"], **phone)


class EmploymentCreateView(LaborerFormView):
    form_class = forms.EmploymentForm
    title = gettext_lazy("Record employment")
    success_message = gettext_lazy("The job of %(object)s was recorded.")

    def get_initial(self):
        return {"start": timezone.localdate()}

    def perform(self, form):
        data = form.cleaned_data
        return services.record_employment(
            self.request.user, self.object, start=data["start"], end=data["end"],
            monthly_wage=data["monthly_wage"], channel=data["channel"], place=data["place"] or None,
            employer=data["employer"], employer_name=data["employer_name"], work_region=data["work_region"],
            workshop=data["workshop"], post=data["post"])


class ReturnView(LaborerFormView):
    form_class = DateReasonForm
    title = gettext_lazy("Returned home")
    success_message = gettext_lazy("%(object)s is recorded as back home.")

    def perform(self, form):
        return services.return_home(self.request.user, self.object, form.cleaned_data["on"],
                                    form.cleaned_data["reason"])


class StableView(LaborerFormView):
    form_class = forms.StableForm
    title = gettext_lazy("Stably employed")
    success_message = gettext_lazy("%(object)s is recorded as stably employed.")

    def get_initial(self):
        return {"on": timezone.localdate()}

    def perform(self, form):
        services.mark_stable(self.request.user, self.object, form.cleaned_data["on"])
        return self.object

    def get_context_data(self, **kwargs):
        return super().get_context_data(intro=_("After %(n)s months in the same job.") % {
            "n": settings.LABOR_STABLE_MONTHS}, **kwargs)


class FollowUpView(LaborerFormView):
    form_class = forms.FollowUpForm
    title = gettext_lazy("Follow-up")

    def perform(self, form):
        data = form.cleaned_data
        services.follow_up(self.request.user, self.object, data["on"], data["notes"], data["offer"])
        return self.object


class EmploymentEndView(LaborFormView):
    model = Employment
    form_class = DateReasonForm
    permission = "labor.change"
    nav = "labor"

    def perform(self, form):
        services.end_employment(self.request.user, self.object, form.cleaned_data["on"], form.cleaned_data["reason"])
        return self.object.laborer

    def success_url_for(self, obj):
        return reverse("laborer_detail", args=[obj.pk])

    def get_context_data(self, **kwargs):
        return super().get_context_data(title=_("End the job"),
                                        back=reverse("laborer_detail", args=[self.object.laborer_id]), **kwargs)


class OutcomeView(LaborFormView):
    """What came of a recommendation: an interview, a hire (the job is recorded) or a refusal."""

    model = Recommendation
    form_class = forms.OutcomeForm
    permission = "labor.change"
    nav = "labor"
    success_message = gettext_lazy("The outcome for %(object)s was recorded.")

    def get_initial(self):
        return {"on": timezone.localdate()}

    def perform(self, form):
        data = form.cleaned_data
        if data["outcome"] == "interviewed":
            services.interview(self.request.user, self.object, data["on"])
        else:
            services.decide(self.request.user, self.object, data["outcome"] == "hired", data["on"],
                            data["monthly_wage"])
        return self.object.laborer

    def success_url_for(self, obj):
        return reverse("laborer_detail", args=[obj.pk])

    def get_context_data(self, **kwargs):
        rec = self.object
        return super().get_context_data(
            title=_("Outcome of the recommendation"),
            intro=_("%(posting)s recommended to %(name)s on %(on)s; now: %(status)s.") % {
                "posting": rec.posting, "name": rec.laborer.name, "on": rec.recommended_on,
                "status": rec.get_status_display()},
            back=reverse("laborer_detail", args=[rec.laborer_id]), **kwargs)


# --- Postings, fairs, stations, workshops, posts, courses ---------------------------------------------------------


class PostingListView(LaborTable):
    model = Posting
    title = gettext_lazy("Postings")
    related = ("employer", "region")
    create_url = "posting_create"
    csv_name = "postings"
    columns = [
        Col(gettext_lazy("No."), lambda o: o.pk, "posting_detail"),
        Col(gettext_lazy("Title"), lambda o: o.title, "posting_detail"),
        Col(gettext_lazy("Employer"), lambda o: o.employer.name, None),
        Col(gettext_lazy("Place of work"), lambda o: o.region.name, None),
        Col(gettext_lazy("Monthly wage"), lambda o: f"{o.wage_min:.0f}–{o.wage_max:.0f}", None),
        Col(gettext_lazy("Openings"), lambda o: o.openings, None),
        Col(gettext_lazy("Skills wanted"), lambda o: skill_names(o.skill_mask), None),
        Col(gettext_lazy("Posted on"), lambda o: o.posted_on, None),
        Col(gettext_lazy("Open"), lambda o: _("yes") if o.open else _("no"), None),
    ]

    def get_queryset(self):
        return super().get_queryset().order_by("-posted_on", "pk")


class PostingDetailView(ScopedDetailView):
    model = Posting
    template_name = "labor/posting_detail.html"
    related = ("employer", "region", "job_fair")
    nav = "labor"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["matches"] = matching.laborers_for(self.request.user, self.object, limit=20)
        context["skills"] = skill_names(self.object.skill_mask)
        context["can_recommend"] = can(self.request.user, "labor.change") and self.object.open
        context["can_close"] = self.object.open and may_change(self.request.user, self.object)
        context["recommendations"] = Recommendation.objects.visible_to(self.request.user).filter(
            posting=self.object).select_related("laborer").order_by("-recommended_on", "pk")
        context["can_change"] = can(self.request.user, "labor.change")
        return context


class RecommendView(UIView, TemplateView):
    """POST only: recommend the posting to one laborer of the list."""

    permission = "labor.change"
    http_method_names = ["post"]

    def post(self, request, pk):
        posting = Posting.objects.visible_to(request.user).filter(pk=pk).first()
        laborer = Laborer.objects.visible_to(request.user).filter(pk=request.POST.get("laborer") or 0).first()
        if posting is None or laborer is None:
            raise Http404(_("Not found, or outside your scope."))
        try:
            services.recommend(request.user, laborer, posting)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("%(posting)s was recommended to %(name)s.") % {
                "posting": posting.title, "name": laborer.name})
        return redirect("posting_detail", pk=posting.pk)


class PostingCreateView(LaborFormView):
    form_class = forms.PostingForm
    permission = "labor.change"
    nav = "labor"
    success_message = gettext_lazy("Posting %(object)s was created.")

    def perform(self, form):
        data = dict(form.cleaned_data)
        data["skill_mask"] = sum(set(data.pop("skills")))
        return services.create_posting(self.request.user, **data)

    def success_url_for(self, obj):
        return reverse("posting_detail", args=[obj.pk])

    def get_context_data(self, **kwargs):
        return super().get_context_data(title=_("New posting"), back=reverse("posting_list"), **kwargs)


class JobFairListView(LaborTable):
    model = JobFair
    filter_form = forms.JobFairFilterForm
    title = gettext_lazy("Job fairs")
    related = ("region", "organiser")
    create_url = "jobfair_create"
    csv_name = "job-fairs"
    columns = [
        Col(gettext_lazy("Name"), lambda o: o.name, None),
        Col(gettext_lazy("Held on"), lambda o: o.held_on, None),
        Col(gettext_lazy("Place"), lambda o: o.region.name, None),
        Col(gettext_lazy("Organiser"), lambda o: o.organiser.name if o.organiser_id else "", None),
        Col(gettext_lazy("Attendees"), lambda o: o.attendees, None),
        Col(gettext_lazy("Employers present"), lambda o: o.employers, None),
        Col(gettext_lazy("Job agreements signed"), lambda o: o.agreements, None),
    ]


class JobFairCreateView(LaborCreateView):
    form_class = forms.JobFairForm
    service = services.create_job_fair
    list_url = "jobfair_list"
    title = gettext_lazy("New job fair")


class StationListView(LaborTable):
    model = Station
    title = gettext_lazy("Labour service stations")
    related = ("region", "organisation")
    create_url = "station_create"
    csv_name = "stations"
    columns = [
        Col(gettext_lazy("Name"), lambda o: o.name, None),
        Col(gettext_lazy("Place"), lambda o: o.region.name, None),
        Col(gettext_lazy("Run by"), lambda o: o.organisation.name if o.organisation_id else "", None),
        Col(gettext_lazy("Address"), lambda o: o.address, None),
        Col(gettext_lazy("Staff"), lambda o: "、".join(f"{s.name}（{s.role}）" for s in o.staff.all()), None),
    ]

    def get_queryset(self):
        return super().get_queryset().prefetch_related("staff")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        if can(self.request.user, "labor.change"):
            context["headers"].append("")
            for row, obj in zip(context["rows"], context["object_list"], strict=True):
                row.append((_("Add staff"), reverse("station_staff", args=[obj.pk])))
        return context


class StationCreateView(LaborCreateView):
    form_class = forms.StationForm
    list_url = "station_list"
    title = gettext_lazy("New labour service station")

    def perform(self, form):
        data = dict(form.cleaned_data)
        staff = data.pop("staff")
        station = services.create_station(self.request.user, name=data["name"], region=data["region"],
                                          organisation=data["organiser"], address=data["address"],
                                          phone=data["phone"])
        for name, role, phone in staff:
            services.add_staff(self.request.user, station, name=name, role=role, phone=phone)
        return station


class StaffCreateView(LaborFormView):
    """Add a member of staff to a station after it was created."""

    model = Station
    form_class = forms.StaffForm
    permission = "labor.change"
    nav = "labor"
    success_message = gettext_lazy("Staff were added to %(object)s.")

    def perform(self, form):
        services.add_staff(self.request.user, self.object, **form.cleaned_data)
        return self.object

    def success_url_for(self, obj):
        return reverse("station_list")

    def get_context_data(self, **kwargs):
        staff = "、".join(f"{s.name}（{s.role}）" for s in self.object.staff.all())
        return super().get_context_data(
            title=_("Add staff"), intro=_("Staff now: %(staff)s") % {"staff": staff or "—"},
            back=reverse("station_list"), **kwargs)


class WorkshopListView(LaborTable):
    model = Workshop
    title = gettext_lazy("Workshops and employment bases")
    related = ("region",)
    create_url = "workshop_create"
    csv_name = "workshops"
    columns = [
        Col(gettext_lazy("Name"), lambda o: o.name, None),
        Col(gettext_lazy("Kind"), lambda o: o.get_kind_display(), None),
        Col(gettext_lazy("Place"), lambda o: o.region.name, None),
        Col(gettext_lazy("Employees now"), lambda o: o.now_employed, None),
        Col(gettext_lazy("Of them lifted out of poverty"), lambda o: o.now_lifted, None),
        Col(gettext_lazy("Recognised"), lambda o: o.recognised_on or _("no"), None),
        Col(gettext_lazy("Meets the minimum"), lambda o: _("yes") if o.now_lifted >= settings.LABOR_WORKSHOP_MIN_POOR
         else _("no"), None),
    ]

    def get_queryset(self):
        today = timezone.localdate()
        current = Q(employments__start__lte=today) & (Q(employments__end__isnull=True) |
                                                      Q(employments__end__gte=today))
        return super().get_queryset().annotate(
            now_employed=Count("employments__laborer", filter=current, distinct=True),
            now_lifted=Count("employments__laborer", filter=current & Q(employments__laborer__lifted=True),
                             distinct=True)).order_by("region_path", "name", "pk")


class WorkshopCreateView(LaborCreateView):
    form_class = forms.WorkshopForm
    service = services.create_workshop
    list_url = "workshop_list"
    title = gettext_lazy("New workshop")


class PostListView(LaborTable):
    model = PublicWelfarePost
    filter_form = forms.PostFilterForm
    title = gettext_lazy("Public-welfare posts")
    related = ("region",)
    create_url = "post_create"
    csv_name = "public-welfare-posts"
    columns = [
        Col(gettext_lazy("No."), lambda o: o.pk, None),
        Col(gettext_lazy("Name"), lambda o: o.name, None),
        Col(gettext_lazy("Place"), lambda o: o.region.name, None),
        Col(gettext_lazy("Monthly pay"), lambda o: o.monthly_pay, None),
        Col(gettext_lazy("Created on"), lambda o: o.created_on, None),
    ]


class PostCreateView(LaborCreateView):
    form_class = forms.PostForm
    service = services.create_post
    list_url = "post_list"
    title = gettext_lazy("New public-welfare post")


class CourseListView(LaborTable):
    model = Course
    title = gettext_lazy("Training courses")
    related = ("region", "organiser")
    create_url = "course_create"
    csv_name = "courses"
    columns = [
        Col(gettext_lazy("Name"), lambda o: o.name, "course_detail"),
        Col(gettext_lazy("Kind"), lambda o: o.get_kind_display(), None),
        Col(gettext_lazy("Place"), lambda o: o.region.name, None),
        Col(gettext_lazy("Start"), lambda o: o.start, None),
        Col(gettext_lazy("End"), lambda o: o.end, None),
        Col(gettext_lazy("Trainees"), lambda o: o.trainees, None),
        Col(gettext_lazy("Certified"), lambda o: o.certified, None),
    ]

    def get_queryset(self):
        return super().get_queryset().annotate(
            trainees=Count("attendances", distinct=True),
            certified=Count("attendances", filter=~Q(attendances__certificate=""), distinct=True),
        ).order_by("-start", "pk")


class CourseDetailView(ScopedDetailView):
    model = Course
    template_name = "labor/course_detail.html"
    related = ("region", "organiser")
    nav = "labor"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        context["attendances"] = self.object.attendances.filter(
            pk__in=services.Attendance.objects.visible_to(user).values("pk")).select_related("laborer")
        if can(user, "labor.change"):
            context["form"] = kwargs.get("form") or forms.AttendanceForm(user=user)
        return context


class AttendanceCreateView(ServiceFormView):
    model = Course
    form_class = forms.AttendanceForm
    template_name = "labor/course_detail.html"
    permission = "labor.change"
    nav = "labor"
    success_message = gettext_lazy("The attendance was recorded.")

    def get_object(self):
        course = Course.objects.visible_to(self.request.user).filter(pk=self.kwargs["pk"]).first()
        if course is None:
            raise Http404(_("Not found, or outside your scope."))
        return course

    def perform(self, form):
        data = form.cleaned_data
        services.attend(self.request.user, self.object, data["laborer"], data["completed"], data["certificate"])
        return data["laborer"]

    def success_url_for(self, obj):
        return reverse("course_detail", args=[self.object.pk])

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["attendances"] = self.object.attendances.filter(
            pk__in=services.Attendance.objects.visible_to(self.request.user).values("pk")).select_related("laborer")
        return context


class CourseCreateView(LaborCreateView):
    form_class = forms.CourseForm
    service = services.create_course
    list_url = "course_list"
    title = gettext_lazy("New training course")


# --- Subsidy claims ---------------------------------------------------------------------------------------------


class ClaimListView(LaborTable):
    model = Claim
    title = gettext_lazy("Subsidy claims")
    related = ("employer",)
    create_url = "claim_create"
    create_permission = "subsidy.change"
    csv_name = "subsidy-claims"
    columns = [
        Col(gettext_lazy("No."), lambda o: o.pk, "claim_detail"),
        Col(gettext_lazy("Kind"), lambda o: o.get_kind_display(), "claim_detail"),
        Col(gettext_lazy("Employer"), lambda o: o.employer.name if o.employer_id else "", None),
        Col(gettext_lazy("County code"), lambda o: o.county_code, None),
        Col(gettext_lazy("Submitted on"), lambda o: o.submitted_on, None),
        Col(gettext_lazy("Amount (yuan)"), lambda o: o.amount, None),
        Col(gettext_lazy("Status"), lambda o: o.get_status_display(), None),
    ]


class ClaimDetailView(ScopedDetailView):
    model = Claim
    template_name = "labor/claim_detail.html"
    related = ("employer",)
    nav = "labor"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["lines"] = self.object.lines.select_related("laborer").order_by("laborer_id", "month")
        if may_change(self.request.user, self.object) and services.CLAIM_NEXT.get(self.object.status):
            context["form"] = kwargs.get("form") or forms.AdvanceClaimForm(user=self.request.user)
        return context


class ClaimAdvanceView(ServiceFormView):
    model = Claim
    form_class = forms.AdvanceClaimForm
    template_name = "labor/claim_detail.html"
    permission = "subsidy.change"
    nav = "labor"
    success_message = gettext_lazy("%(object)s was moved on.")

    def perform(self, form):
        return services.advance_claim(self.request.user, self.object, form.cleaned_data["status"],
                                      form.cleaned_data["reason"])

    def success_url_for(self, obj):
        return reverse("claim_detail", args=[obj.pk])

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["lines"] = self.object.lines.select_related("laborer").order_by("laborer_id", "month")
        return context


class ClaimCreateView(LaborFormView):
    form_class = forms.ClaimForm
    permission = "subsidy.change"
    nav = "labor"
    success_message = gettext_lazy("%(object)s was submitted.")

    def perform(self, form):
        data = form.cleaned_data
        return services.create_claim(self.request.user, kind=data["kind"], items=data["lines"],
                                     employer=data["employer"], notes=data["notes"])

    def success_url_for(self, obj):
        return reverse("claim_detail", args=[obj.pk])

    def get_context_data(self, **kwargs):
        return super().get_context_data(title=_("New subsidy claim"), back=reverse("claim_list"), **kwargs)
