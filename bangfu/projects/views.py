"""Pages of the project library: the list with filters and totals, one project (its trail, money, milestones,
beneficiaries and assets, and the next steps), applying, moving a step, spending; the assets ledger."""

from datetime import date

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Sum
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from bangfu.core.money import amount_html, exact
from bangfu.core.roles import can
from bangfu.core.rules import may
from bangfu.core.services import invalid, resolve_in_scope
from bangfu.core.views import ScopedDetailView, ScopedListView, ServiceFormView, add_service_errors, may_change
from bangfu.pairing.models import Pairing
from bangfu.projects import services
from bangfu.projects.forms import (
    ApplyForm,
    AssetEditForm,
    AssetFilterForm,
    AssetForm,
    BeneficiaryForm,
    DividendForm,
    MilestoneDoneForm,
    MilestoneForm,
    ProjectFilterForm,
    RollOverForm,
    TransitionForm,
)
from bangfu.projects.models import DISBURSABLE, PUBLISHED, Asset, Beneficiary, Project, State
from bangfu.regions.services import resolve_region

BUILT = {State.COMPLETED, State.ACCEPTED, State.HANDED_OVER}  # whose dividends may be distributed


class ProjectsFormView(ServiceFormView):
    """A form of the project library."""

    nav = "projects"
    section = gettext_lazy("Project library")
    section_url = "project_list"
    form_note = gettext_lazy("Checked (order of steps, your role and scope, the money) and written to the change log.")

    def get_context_data(self, **kwargs):
        if isinstance(self.object, Project):  # a form about one project goes back to its page
            kwargs.setdefault("back", reverse("project_detail", args=[self.object.pk]))
        return super().get_context_data(**kwargs)


class ProjectListView(ScopedListView):
    model = Project
    template_name = "projects/project_list.html"
    partial_template_name = "projects/_project_table.html"
    filter_form = ProjectFilterForm
    related = ("region", "region__parent")
    nav = "projects"
    csv_name = "projects"
    csv_columns = [
        (gettext_lazy("Project number"), lambda p: p.number), (gettext_lazy("Name"), lambda p: p.name),
        (gettext_lazy("Category"), lambda p: p.get_category_display()), (gettext_lazy("Year"), lambda p: p.year),
        (gettext_lazy("State"), lambda p: p.get_state_display()), (gettext_lazy("Location"), lambda p: p.region_id),
        (gettext_lazy("Implementer"), lambda p: p.implementer),
        (gettext_lazy("Planned funds"), lambda p: p.planned_amount), (gettext_lazy("Disbursed"), lambda p: p.disbursed),
        (gettext_lazy("Spent"), lambda p: p.spent), (gettext_lazy("Progress (%)"), lambda p: p.progress),
    ]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        totals = self.object_list.aggregate(planned=Sum("planned_amount"), disbursed=Sum("disbursed"),
                                            spent=Sum("spent"))
        context["totals"] = {k: amount_html(exact(v)) for k, v in totals.items()}
        context["can_apply"] = may(self.request.user, "project.apply")
        return context


class ProjectDetailView(ScopedDetailView):
    model = Project
    template_name = "projects/project_detail.html"
    related = ("region", "region__parent", "pairing__helper")
    nav = "projects"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        p = self.object
        user = self.request.user
        gains = (Beneficiary.objects.visible_to(user).filter(project=p).order_by().values("gain")
                 .annotate(households=Count("household", distinct=True), amount=Sum("amount")))
        labels = dict(Beneficiary._meta.get_field("gain").choices)
        context.update(
            steps=p.steps.all(), milestones=p.milestones.all(),
            draws=p.disbursements.select_related("region").order_by("paid_on"),
            spends=p.expenditures.order_by("paid_on", "id")[:100],
            gains=[{"label": labels.get(g["gain"], g["gain"]), "households": g["households"],
                    "amount": amount_html(exact(g["amount"]))} for g in gains],
            assets=p.assets.all(), dividends=p.dividends.all(),
            next_states=[(s, State(s).label) for s in services.allowed_next(p)],
            # The buttons ask the services' own rules, so none leads to a refusal (core.rules).
            can_change=may_change(user, p), can_spend=may(user, "expenditure.spend", p),
            can_fund=may(user, "disbursement.pass_on") and p.state in DISBURSABLE,
            can_link=may(user, "beneficiary.change", p), can_asset=may(user, "asset.change", p),
            can_notice=may(user, "notice.publish", p) and p.state in PUBLISHED,
            can_dividend=may(user, "beneficiary.change", p) and p.state in BUILT,
            money={"planned": amount_html(p.planned_amount), "disbursed": amount_html(p.disbursed),
                   "spent": amount_html(p.spent), "unspent": amount_html(p.disbursed - p.spent)},
        )
        return context


class ProjectApplyView(ProjectsFormView):
    form_class = ApplyForm
    permission = "project.change"
    success_message = gettext_lazy("In the library: %(object)s.")

    def perform(self, form):
        data = dict(form.cleaned_data)
        region = resolve_region(self.request.user, data["region"])
        data["region"] = region
        if data.get("pairing"):
            pairing = resolve_in_scope(self.request.user, Pairing, "pairing",
                                       _("Unknown pairing #%(id)s (or outside your scope).") % {"id": data["pairing"]},
                                       pk=data["pairing"])
            data["pairing"] = pairing
        else:
            data["pairing"] = None
        return services.apply(self.request.user, **data)

    def success_url_for(self, obj):
        return reverse("project_detail", args=[obj.pk])

    def get_initial(self):
        return {"year": date.today().year}

    def get_context_data(self, **kwargs):
        return super().get_context_data(title=_("Apply for a project"), **kwargs)


class ProjectStepView(ProjectsFormView):
    form_class = TransitionForm
    model = Project
    permission = "project.change"
    success_message = gettext_lazy("Moved on: %(object)s.")

    def perform(self, form):
        data = form.cleaned_data
        return services.transition(self.request.user, self.object, data["state"], data["on"], data["note"])

    def success_url_for(self, obj):
        return reverse("project_detail", args=[obj.pk])

    def get_initial(self):
        following = services.allowed_next(self.object)
        return {"on": date.today(), "state": self.request.GET.get("state") or (following[0] if following else "")}

    def get_context_data(self, **kwargs):
        return super().get_context_data(title=_("Next step of %(project)s") % {"project": self.object.name}, **kwargs)


class AssetListView(ScopedListView):
    model = Asset
    template_name = "projects/asset_list.html"
    partial_template_name = "projects/_asset_table.html"
    filter_form = AssetFilterForm
    related = ("region", "project")
    nav = "projects"
    csv_name = "assets"
    csv_columns = [
        (gettext_lazy("Asset number"), lambda a: a.number), (gettext_lazy("Name"), lambda a: a.name),
        (gettext_lazy("Kind"), lambda a: a.get_kind_display()), (gettext_lazy("Location"), lambda a: a.region_id),
        (gettext_lazy("Value"), lambda a: a.value), (gettext_lazy("Owner"), lambda a: a.owner),
        (gettext_lazy("Upkeep responsible"), lambda a: a.upkeep), (gettext_lazy("Income to date"), lambda a: a.income),
        (gettext_lazy("Handed over on"), lambda a: a.handed_over_on),
        (gettext_lazy("Disposed of on"), lambda a: a.disposed_on),
    ]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        totals = self.object_list.aggregate(value=Sum("value"), income=Sum("income"))
        context["totals"] = {k: amount_html(exact(v)) for k, v in totals.items()}
        context["can_register"] = may(self.request.user, "asset.change")
        return context


class ProjectFormView(ProjectsFormView):
    """A form about one project: its page is where it goes back to."""

    model = Project
    action_permission = ""  # checked once the project is found (404 outside the scope first)

    def prepare(self):
        super().prepare()
        if self.action_permission and not can(self.request.user, self.action_permission):
            raise PermissionDenied(_("You may not do this (%(permission)s).") % {
                "permission": self.action_permission})

    def success_url_for(self, obj):
        return reverse("project_detail", args=[self.object.pk])


def in_view_scope(view):
    """The project of the URL, seen by the user (404 otherwise): for the services that check the view scope."""
    return get_object_or_404(Project.objects.visible_to(view.request.user), pk=view.kwargs["pk"])


def households_by_number(user, project, text):
    """The households of the project's county that the numbers name, or a form error naming the unknown ones."""
    from bangfu.households.models import Household
    from bangfu.projects.forms import household_numbers

    numbers = household_numbers(text)
    if not numbers:
        invalid("households", _("Name at least one household."))
    found = dict(Household.objects.visible_to(user).filter(number__in=numbers, county_code=project.county_code)
                 .values_list("number", "pk"))
    missing = [n for n in numbers if n not in found]
    if missing:
        invalid("households", _("Unknown households %(numbers)s (or not in %(county)s, or outside your scope).") % {
            "numbers": ", ".join(missing[:10]), "county": project.county_code})
    return [found[n] for n in numbers]


class MilestoneCreateView(ProjectFormView):
    form_class = MilestoneForm
    permission = "project.change"
    success_message = gettext_lazy("Milestone added: %(object)s.")

    def perform(self, form):
        data = form.cleaned_data
        return services.add_milestone(self.request.user, self.object, data["name"], data["due"])

    def get_context_data(self, **kwargs):
        return super().get_context_data(title=_("Add a milestone to %(project)s") % {"project": self.object.name},
                                        **kwargs)


class MilestoneDoneView(ProjectFormView):
    form_class = MilestoneDoneForm
    permission = "project.change"
    success_message = gettext_lazy("Milestone done: %(object)s.")

    def prepare(self):
        super().prepare()
        self.milestone = get_object_or_404(self.object.milestones.all(), pk=self.kwargs["milestone_id"])

    def perform(self, form):
        data = form.cleaned_data
        return services.complete_milestone(self.request.user, self.milestone, data["done_on"], data["progress"])

    def get_initial(self):
        return {"done_on": date.today()}

    def get_context_data(self, **kwargs):
        return super().get_context_data(title=_("Milestone done: %(milestone)s") % {"milestone": self.milestone.name},
                                        **kwargs)


class BeneficiaryLinkView(ProjectFormView):
    form_class = BeneficiaryForm
    permission = "project.change"
    action_permission = "beneficiary.change"
    success_message = gettext_lazy("Households linked: %(object)s.")

    def get_object(self):
        return in_view_scope(self)

    def perform(self, form):
        data = form.cleaned_data
        ids = households_by_number(self.request.user, self.object, data["households"])
        services.link_beneficiaries(self.request.user, self.object, year=data["year"], gain=data["gain"],
                                    household_ids=ids, amount=data["amount"])
        return self.object

    def get_initial(self):
        return {"year": date.today().year}

    def get_context_data(self, **kwargs):
        return super().get_context_data(title=_("Link beneficiary households to %(project)s") % {
            "project": self.object.name}, **kwargs)


class DividendView(ProjectFormView):
    form_class = DividendForm
    permission = "project.change"
    action_permission = "beneficiary.change"
    success_message = gettext_lazy("Dividend distributed: %(object)s.")

    def get_object(self):
        return in_view_scope(self)

    def perform(self, form):
        data = dict(form.cleaned_data)
        data["household_ids"] = households_by_number(self.request.user, self.object, data.pop("households"))
        return services.distribute_dividend(self.request.user, self.object, **data)

    def get_initial(self):
        return {"year": date.today().year, "distributed_on": date.today()}

    def get_context_data(self, **kwargs):
        return super().get_context_data(title=_("Distribute an enclave dividend of %(project)s") % {
            "project": self.object.name}, **kwargs)


class RollOverView(ProjectsFormView):
    """The year's decided projects that got no money go on to next year's library, all at once."""

    form_class = RollOverForm
    permission = "project.change"

    def form_valid(self, form):
        data = form.cleaned_data
        try:
            n = services.roll_over_year(self.request.user, data["year"], on=data["on"])
        except ValidationError as error:
            add_service_errors(form, error, self.field_map)
            return self.form_invalid(form)
        messages.success(self.request, _("%(n)s projects of %(year)s rolled over to %(next)s.") % {
            "n": n, "year": data["year"], "next": data["year"] + 1})
        return redirect(f"{reverse('project_list')}?year={data['year'] + 1}")

    def get_initial(self):
        return {"year": date.today().year, "on": date.today()}

    def get_context_data(self, **kwargs):
        return super().get_context_data(title=_("Roll over the unfunded projects of a year"), **kwargs)


class AssetFormView(ServiceFormView):
    template_name = "projects/asset_form.html"
    permission = "asset.change"
    nav = "projects"

    def success_url_for(self, obj):
        return reverse("asset_list")


class AssetCreateView(AssetFormView):
    form_class = AssetForm
    success_message = gettext_lazy("Registered: %(object)s.")

    def perform(self, form):
        data = dict(form.cleaned_data)
        user = self.request.user
        region = resolve_region(user, data["region"])
        data["region"] = region
        number = (data.pop("project") or "").strip()
        data["project"] = None
        if number:
            data["project"] = resolve_in_scope(
                user, Project, "project", _("Unknown project %(number)s (or outside your scope).") % {"number": number},
                number=number)
        return services.register_asset(user, **data)

    def get_initial(self):
        initial = {"handed_over_on": date.today()}
        pk = self.request.GET.get("project")
        project = Project.objects.visible_to(self.request.user).filter(pk=pk).first() if pk and pk.isdigit() else None
        if project is not None:
            initial.update(project=project.number, region=project.region_id, name=project.name)
        return initial

    def get_context_data(self, **kwargs):
        return super().get_context_data(title=_("Register an asset"), **kwargs)


class AssetEditView(AssetFormView):
    form_class = AssetEditForm
    model = Asset
    success_message = gettext_lazy("Saved: %(object)s.")

    def perform(self, form):
        data = dict(form.cleaned_data)
        reason = data.pop("reason", "")
        for field in ("upkeep", "disposal"):
            data[field] = data.get(field) or ""
        return services.update_asset(self.request.user, self.object, reason=reason, **data)

    def get_initial(self):
        a = self.object
        return {f: getattr(a, f) for f in services.ASSET_FIELDS}

    def get_context_data(self, **kwargs):
        return super().get_context_data(title=_("Edit %(asset)s") % {"asset": self.object}, **kwargs)
