"""Pages of the household registry and the monitoring workflow: the household list and page, revealing one ID or
phone number, opening a case and moving it along the review chain, the work queue with screening, the village
publicity list (公示名单) and the monitoring-line table.

Every read goes through `visible_to(user, "view")` (404 outside the scope); every write through the services of
`services.py`, `workflow.py` and `screening.py`, which check the role and write the logs.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Min, Prefetch
from django.http import Http404, HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.generic import TemplateView

from bangfu.core.identity import mask_id, mask_phone, scrub
from bangfu.core.money import yuan
from bangfu.core.privacy import birth_shown
from bangfu.core.roles import Role, can, role_of
from bangfu.core.tasks_api import result_for, task_out
from bangfu.core.views import ScopedDetailView, ScopedListView, ServiceFormView, UIView, may_change
from bangfu.households import services, workflow
from bangfu.households.forms import (
    AdvanceForm,
    ConditionsForm,
    HouseholdFilterForm,
    IncomeForm,
    LineFilterForm,
    MeasureForm,
    MeasureOutcomeForm,
    MonitoringLineForm,
    OpenCaseForm,
    VisitForm,
    next_steps,
)
from bangfu.households.models import (
    Clue,
    Household,
    Member,
    MonitoringLine,
    Purpose,
    Relation,
    RiskStatus,
    Stage,
    Transition,
)
from bangfu.households.tasks import screen_region
from bangfu.regions.models import Level, Region
from bangfu.regions.views import anchor_region, names_along, place_of

HOUSEHOLD_RELATED = ("village", "village__parent")
QUEUE_ROWS = 100

# The 两不愁三保障 + drinking-water items of a year, in the order of the table (keys of `Conditions.failures()`).
CONDITION_ITEMS = (
    ("food_clothing", gettext_lazy("Food and clothing")),
    ("compulsory_education", gettext_lazy("Compulsory education")),
    ("basic_medical", gettext_lazy("Basic medical care")),
    ("housing", gettext_lazy("Safe housing")),
    ("water_quantity", gettext_lazy("Water quantity")),
    ("water_quality", gettext_lazy("Water quality")),
    ("water_convenience", gettext_lazy("Water convenience")),
    ("water_reliability", gettext_lazy("Water reliability")),
)


class HouseholdListView(ScopedListView):
    model = Household
    template_name = "households/household_list.html"
    partial_template_name = "households/_household_table.html"
    filter_form = HouseholdFilterForm
    related = HOUSEHOLD_RELATED
    nav = "households"
    export_entity = "households"  # one row per current member, as the national system's files are
    export_link = "household"

    def get_queryset(self):
        # Ordered by the primary key: the page of 26,576 households is an index range, the count one COUNT(*).
        queryset = super().get_queryset().order_by("pk")
        return queryset.none() if self.filters.errors else queryset  # a refused search finds nothing, not all

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        for household in context["object_list"]:  # the page's rows (evaluated once, here)
            household.phone_masked = mask_phone(household.phone)
        return context


# --- the household page -----------------------------------------------------------------------------------------


def lines_by_year(household: Household) -> dict:
    """year → the monitoring line that applies to the household (its county's own, else its province's)."""
    lines = MonitoringLine.objects.filter(province_code=household.village.province_code,
                                          county_code__in=["", household.county_code])
    chosen: dict = {}
    for line in lines:
        if line.year not in chosen or line.county_code:
            chosen[line.year] = line
    return chosen


def member_rows(request, members) -> list[dict]:
    order = {relation: i for i, relation in enumerate(Relation.values)}
    people = sorted(members, key=lambda m: (not m.active, order.get(m.relation, len(order)), m.birth_date, m.pk))
    return [{"m": m, "id_masked": mask_id(m.id_number), "phone_masked": mask_phone(m.phone),
             "birth": birth_shown(request, m)} for m in people]


def condition_rows(conditions) -> list[dict]:
    rows = []
    for c in conditions:
        failures = set(c.failures())
        cells = []
        for key, label in CONDITION_ITEMS:
            shown = c.housing_grade if key == "housing" else ""
            cells.append({"key": key, "label": label, "ok": key not in failures, "shown": shown})
        rows.append({"c": c, "cells": cells, "failures": len(failures)})
    return rows


def timeline(clues) -> list[dict]:
    """Each case with its transitions (who, when, reason), free text scrubbed of ID and phone numbers."""
    return [{"clue": clue, "reasons": scrub(clue.reasons),
             "steps": [{"t": t, "reason": scrub(t.reason)} for t in clue.transitions.all()]}
            for clue in clues]


TRANSITIONS = Prefetch("transitions", queryset=Transition.objects.select_related("actor").order_by("time", "id"))


class HouseholdDetailView(ScopedDetailView):
    model = Household
    template_name = "households/household_detail.html"
    related = HOUSEHOLD_RELATED
    nav = "households"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user, hh = self.request.user, self.object
        lines = lines_by_year(hh)
        incomes = list(hh.incomes.order_by("-year"))
        income_rows = []
        for income in incomes:
            line = lines.get(income.year)
            income_rows.append({"i": income, "line": line,
                                "within": line is not None and income.per_capita <= line.amount,
                                "net": yuan(income.net), "per_capita": yuan(income.per_capita),
                                "line_amount": yuan(line.amount, cents=False) if line else "",
                                "rigid": yuan(income.rigid_medical + income.rigid_education)})
        clues = hh.clues.order_by("-opened_on", "-id").prefetch_related(TRANSITIONS)
        context.update(
            ancestors=hh.village.ancestors(),
            members=member_rows(self.request, hh.members.all()),
            phone_masked=mask_phone(hh.phone),
            income_rows=income_rows,
            chart_income={"years": [r["i"].year for r in reversed(income_rows)],
                          "income": [float(r["i"].per_capita) for r in reversed(income_rows)],
                          "line": [float(r["line"].amount) if r["line"] else None for r in reversed(income_rows)]},
            condition_rows=condition_rows(hh.conditions.order_by("-year")),
            cases=timeline(clues),
            open_cases=[c for c in clues if c.is_open],
            measures=list(hh.measures.order_by("-start")),
            visits=[{"v": v, "notes": scrub(v.notes)} for v in hh.visits.order_by("-visited_on")[:20]],
            address=scrub(hh.address),
            can_reveal=can(user, "personal.unmask"),
            can_open=can(user, "clue.change") and may_change(user, hh),
            can_record=can(user, "household.change") and may_change(user, hh),
            today=timezone.localdate(),
        )
        if hh.risk_status == RiskStatus.MONITORED:
            context["criteria"] = workflow.elimination_criteria(hh)
            context["criteria_met"] = all(c.met for c in context["criteria"])
        return context


class RevealView(UIView, View):
    """POST: the clear ID or phone number of one record, shown once (htmx swaps it in); each reveal is logged."""

    permission = "personal.unmask"
    model = None
    http_method_names = ["post"]

    def prepare(self):
        self.object = self.model.objects.visible_to(self.request.user, "view").filter(pk=self.kwargs["pk"]).first()
        if self.object is None:
            raise Http404(_("Not found, or outside your scope."))

    def post(self, request, *args, **kwargs):
        field = request.POST.get("field", "")
        try:
            value = services.reveal(request.user, self.object, field, reason=request.POST.get("reason", ""))
        except ValidationError as error:
            return HttpResponseBadRequest(" ".join(error.messages))
        response = render(request, "households/_revealed.html", {"value": value, "field": field})
        response["Cache-Control"] = "no-store"
        return response


class MemberRevealView(RevealView):
    model = Member


class HouseholdRevealView(RevealView):
    model = Household


# --- the monitoring workflow ------------------------------------------------------------------------------------


class OpenCaseView(ServiceFormView):
    model = Household
    form_class = OpenCaseForm
    template_name = "households/open_case.html"
    permission = "clue.change"
    nav = "households"
    field_map = {"candidate_category": "candidate_category", "household": "__all__"}
    success_message = gettext_lazy("Case opened: %(object)s.")

    def get_initial(self):
        initial = super().get_initial()
        if self.request.GET.get("purpose") in Purpose.values:
            initial["purpose"] = self.request.GET["purpose"]
        return initial

    def perform(self, form):
        data = form.cleaned_data
        return workflow.open_case(self.request.user, self.object, purpose=data["purpose"], source=data["source"],
                                  candidate=data.get("candidate_category") or "", reason=data["reason"])

    def success_url_for(self, obj):
        return reverse("clue_detail", args=[obj.pk])


def clue_context(user, clue: Clue) -> dict:
    household = clue.household
    transitions = list(clue.transitions.select_related("actor").order_by("time", "id"))
    today = timezone.localdate()
    context = {
        "clue": clue, "household": household, "reasons": scrub(clue.reasons),
        "steps": [{"t": t, "reason": scrub(t.reason)} for t in transitions],
        "chain": chain_of(clue, transitions),
        "overdue": clue.is_open and clue.deadline < today,
        "days_left": (clue.deadline - today).days,
        "publicity_over": clue.publicity_end is not None and clue.publicity_end < today,
        "next_steps": next_steps(user, clue) if can(user, "clue.change") and may_change(user, clue) else [],
        "today": today,
    }
    if clue.purpose == Purpose.ELIMINATE and clue.is_open:
        context["criteria"] = workflow.elimination_criteria(household, today)
    return context


CHAIN = (Stage.CLUE, Stage.VERIFIED, Stage.CROSSCHECKED, Stage.PUBLICISED, Stage.TOWNSHIP_REVIEWED, Stage.APPROVED)


def chain_of(clue: Clue, transitions) -> list[dict]:
    """The review chain as steps done, current and to come (a rejected case stops where it was rejected)."""
    done = {t.to_stage: t for t in transitions}
    steps = []
    reached = True
    for stage in CHAIN:
        t = done.get(stage)
        state = "done" if t else ("next" if reached and clue.is_open else "todo")
        if not t:
            reached = False
        steps.append({"stage": stage, "label": Stage(stage).label, "state": state, "t": t})
    return steps


class ClueDetailView(ScopedDetailView):
    model = Clue
    template_name = "households/clue_detail.html"
    related = ("household__village__parent",)
    nav = "households"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(clue_context(self.request.user, self.object))
        if context["next_steps"]:
            context["form"] = AdvanceForm(user=self.request.user, instance=self.object)
        return context


class AdvanceView(ServiceFormView):
    """The next step of a case (or its rejection), posted from the case page; refusals show there as errors."""

    model = Clue
    form_class = AdvanceForm
    template_name = "households/clue_detail.html"
    permission = "clue.change"
    nav = "households"
    field_map = {"household": "__all__"}

    def get_object(self):
        obj = super().get_object()
        return Clue.objects.select_related("household__village__parent").get(pk=obj.pk)

    def perform(self, form):
        data = form.cleaned_data
        return workflow.advance(self.request.user, self.object, data["stage"], reason=data.get("reason", ""),
                                attachment=data.get("attachment"), category=data.get("category") or "")

    def form_valid(self, form):
        response = super().form_valid(form)
        if response.status_code == 302:
            clue = Clue.objects.get(pk=self.object.pk)
            messages.success(self.request, _("The case is now at “%(stage)s”.") % {"stage": clue.get_stage_display()})
        return response

    def success_url_for(self, obj):
        return reverse("clue_detail", args=[obj.pk])

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(clue_context(self.request.user, self.object))
        return context


# --- the work queue and screening -------------------------------------------------------------------------------


def may_screen(user) -> bool:
    """County users screen their county (the issue: a button for county users)."""
    return can(user, "clue.change") and role_of(user) == Role.COUNTY and anchor_region(user) is not None


class QueueView(UIView, TemplateView):
    template_name = "households/queue.html"
    permission = "clue.view"
    nav = "households"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        queue = workflow.work_queue(user)
        labels = {
            "overdue": (_("Cases past their deadline"), "red", "hourglass"),
            "publicity_ending": (_("Publicity periods ending"), "orange", "speakerphone"),
            "without_measure": (_("Monitored households without an active measure"), "yellow", "alert"),
            "ready_to_eliminate": (_("Households that may now meet the elimination criteria"), "green", "check"),
        }
        context["lists"] = [
            {"key": key, "title": labels[key][0], "color": labels[key][1], "icon": labels[key][2],
             "count": qs.count(), "rows": list(qs[:QUEUE_ROWS]),
             "is_clue": key in ("overdue", "publicity_ending")}
            for key, qs in queue.items()
        ]
        context["today"] = timezone.localdate()
        context["may_screen"] = may_screen(user)
        context["scope_region"] = anchor_region(user)
        context["open_cases"] = Clue.objects.visible_to(user).filter(is_open=True).count()
        context["task_id"] = self.request.GET.get("task", "")
        return context


class ScreenView(UIView, View):
    """Queue a screening of the user's county for the background worker; the queue page follows the task."""

    permission = "clue.change"
    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        if not may_screen(request.user):
            raise PermissionDenied(_("Screening is run by county users."))
        region = anchor_region(request.user)
        task = screen_region.enqueue(region=region.code, year=None, username=request.user.get_username())
        return redirect(f"{reverse('queue')}?task={task.id}")


class ScreenTaskView(UIView, TemplateView):
    """The state of a screening the user queued (htmx polls it until the worker has finished)."""

    template_name = "households/_screen_task.html"
    permission = "clue.view"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        result = result_for(self.request.user, self.kwargs["task_id"])
        context["task"] = task_out(result)
        context["region"] = Region.objects.filter(code=result.kwargs.get("region")).first()
        return context


# --- publicity ----------------------------------------------------------------------------------------------------


def villages_in_publicity(user, path: str = ""):
    clues = Clue.objects.visible_to(user).filter(stage=Stage.PUBLICISED)
    if path:
        clues = clues.filter(region_path__startswith=path)
    rows = list(clues.values("household__village_id", "household__village__name", "household__village__path")
                .annotate(n=Count("pk"), until=Min("publicity_end")).order_by("household__village__path"))
    return rows


class PublicityIndexView(UIView, TemplateView):
    template_name = "households/publicity_index.html"
    permission = "clue.view"
    nav = "households"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["villages"] = villages_in_publicity(self.request.user)
        return context


class PublicityView(UIView, TemplateView):
    """The village's publicity list (公示名单), printable; never ID or phone numbers, bank accounts or health."""

    template_name = "households/publicity.html"
    permission = "clue.view"
    nav = "households"

    def prepare(self):
        self.region = Region.objects.visible_to(self.request.user).filter(code=self.kwargs["code"]).first()
        if self.region is None:
            raise Http404(_("Not found, or outside your scope."))

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        region, user = self.region, self.request.user
        context["region"] = region
        names = names_along(user, [region])
        context["place"] = place_of(region, names)
        if region.level == Level.VILLAGE:
            context["rows"] = workflow.publicity_list(user, region.code)
        else:
            context["villages"] = villages_in_publicity(user, region.path)
        context["today"] = timezone.localdate()
        return context


# --- monitoring lines ---------------------------------------------------------------------------------------------


class MonitoringLineListView(ScopedListView):
    model = MonitoringLine
    template_name = "households/line_list.html"
    partial_template_name = "households/_line_table.html"
    filter_form = LineFilterForm
    nav = "households"
    csv_name = "monitoring-lines"
    csv_columns = [
        (gettext_lazy("Year"), lambda line: line.year),
        (gettext_lazy("Province code"), lambda line: line.province_code),
        (gettext_lazy("County code"), lambda line: line.county_code),
        (gettext_lazy("Monitoring line (yuan per person)"), lambda line: line.amount),
        (gettext_lazy("Income fall that raises a clue"), lambda line: line.income_fall_share),
        (gettext_lazy("Rigid spending share of income that raises a clue"), lambda line: line.rigid_spending_share),
        (gettext_lazy("Days from clue to decision"), lambda line: line.clue_deadline_days),
        (gettext_lazy("Village publicity days"), lambda line: line.publicity_days),
    ]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        lines = context["object_list"]
        codes = {line.province_code for line in lines} | {line.county_code for line in lines if line.county_code}
        names = dict(Region.objects.filter(code__in=codes).values_list("code", "name"))
        for line in lines:
            line.province_name = names.get(line.province_code, "")
            line.county_name = names.get(line.county_code, "")
            line.amount_text = yuan(line.amount, cents=False)
        context["can_change"] = can(self.request.user, "monitoringline.change")
        return context


class MonitoringLineCreateView(ServiceFormView):
    form_class = MonitoringLineForm
    template_name = "households/line_form.html"
    permission = "monitoringline.change"
    nav = "households"
    success_message = gettext_lazy("Monitoring line %(object)s was saved.")

    def perform(self, form):
        return services.save_monitoring_line(self.request.user, form.values(), reason=form.cleaned_data["reason"])

    def success_url_for(self, obj):
        return reverse("monitoringline_list") + f"?year={obj.year}"


class MonitoringLineEditView(MonitoringLineCreateView):
    model = MonitoringLine

    def get_object(self):
        # Lines are everyone's to read and the coordination office's to change (the permission, checked first).
        obj = MonitoringLine.objects.filter(pk=self.kwargs["pk"]).first()
        if obj is None:
            raise Http404(_("Not found, or outside your scope."))
        return obj

    def perform(self, form):
        return services.save_monitoring_line(self.request.user, form.values(), line=self.object,
                                             reason=form.cleaned_data["reason"])



# --- assistance measures, visits, income and conditions ------------------------------------------------------------


class HouseholdRecordView(ServiceFormView):
    """A form that records something of one household (the pk in the URL); back to the household page after."""

    model = Household
    template_name = "households/record_form.html"
    permission = "household.change"
    nav = "households"
    title = ""
    anchor = ""

    def get_object(self):
        return find_household(self)

    def success_url_for(self, obj):
        return reverse("household_detail", args=[self.object.pk]) + (f"#{self.anchor}" if self.anchor else "")

    def get_context_data(self, **kwargs):
        kwargs.setdefault("title", self.title)
        kwargs.setdefault("anchor", self.anchor)
        return super().get_context_data(**kwargs)


class MeasureCreateView(HouseholdRecordView):
    form_class = MeasureForm
    title = gettext_lazy("New assistance measure")
    anchor = "measures"
    field_map = {"household": "__all__"}
    success_message = gettext_lazy("Measure recorded: %(object)s.")

    def get_initial(self):
        return {**super().get_initial(), "start": timezone.localdate()}

    def perform(self, form):
        return services.add_measure(self.request.user, self.object, reason=form.cleaned_data["reason"],
                                    **form.values())


class MeasureEditView(HouseholdRecordView):
    form_class = MeasureOutcomeForm
    anchor = "measures"
    success_message = gettext_lazy("Measure updated: %(object)s.")

    def prepare(self):
        super().prepare()
        self.measure = self.object.measures.filter(pk=self.kwargs["measure_id"]).first()
        if self.measure is None:
            raise Http404(_("Not found, or outside your scope."))

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "measure": self.measure}

    def get_context_data(self, **kwargs):
        kwargs.setdefault("title", _("Outcome of the measure"))
        kwargs.setdefault("measure", self.measure)
        return super().get_context_data(**kwargs)

    def perform(self, form):
        data = form.cleaned_data
        return services.update_measure(self.request.user, self.measure, reason=data["reason"],
                                       outcome=data["outcome"], end=data["end"])


def find_household(view) -> Household:
    """The household of the URL (`pk`), visible (else 404) and changeable by the user (else 403)."""
    household = Household.objects.visible_to(view.request.user, "view").select_related(*HOUSEHOLD_RELATED) \
        .filter(pk=view.kwargs["pk"]).first()
    if household is None:
        raise Http404(_("Not found, or outside your scope."))
    if not may_change(view.request.user, household):
        raise PermissionDenied(_("%(object)s is outside your scope.") % {"object": household})
    return household


class VisitCreateView(HouseholdRecordView):
    form_class = VisitForm
    title = gettext_lazy("New visit")
    anchor = "visits"
    success_message = gettext_lazy("Visit recorded: %(object)s.")

    def get_initial(self):
        return {**super().get_initial(), "visited_on": timezone.localdate()}

    def perform(self, form):
        data = form.cleaned_data
        return services.add_visit(self.request.user, self.object, visited_on=data["visited_on"],
                                  visitor=data["visitor"], notes=data["notes"])


class IncomeCreateView(HouseholdRecordView):
    form_class = IncomeForm
    title = gettext_lazy("Record a year's income")
    anchor = "incomes"
    success_message = gettext_lazy("Income recorded: %(object)s.")

    def get_initial(self):
        return {**super().get_initial(), "year": timezone.localdate().year - 1}

    def perform(self, form):
        data = form.cleaned_data
        return services.record_income(self.request.user, self.object, data["year"], reason=data["reason"],
                                      members_counted=data["members_counted"], **form.items())


class ConditionsCreateView(HouseholdRecordView):
    form_class = ConditionsForm
    title = gettext_lazy("Record a year's conditions")
    anchor = "conditions"
    success_message = gettext_lazy("Conditions recorded: %(object)s.")

    def get_initial(self):
        return {**super().get_initial(), "year": timezone.localdate().year}

    def perform(self, form):
        data = form.cleaned_data
        return services.record_conditions(self.request.user, self.object, data["year"], form.values(),
                                          reason=data["reason"])
