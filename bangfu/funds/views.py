"""Pages of the funds chain: the overview (figures, years, uses, tilt rules), the lists of sources, budgets,
disbursements and expenditures with their filters and totals, supervision, and the forms of the chain."""

from datetime import date

from django import forms
from django.db.models import Count, Sum
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import TemplateView

from bangfu.core.money import amount_html, exact, yuan
from bangfu.core.rules import may
from bangfu.core.scope import scope_of
from bangfu.core.services import invalid
from bangfu.core.views import Col, ScopedListView, ServiceFormView, TableView, UIView
from bangfu.funds import figures, services
from bangfu.funds.forms import (
    AdjustForm,
    BudgetForm,
    DisburseForm,
    DisbursementFilterForm,
    ExpenditureFilterForm,
    FundProjectForm,
    SourceFilterForm,
    SourceForm,
    SpendForm,
)
from bangfu.funds.models import Budget, Disbursement, Expenditure, FundSource
from bangfu.pairing.filters import Filter, PairedFilterForm
from bangfu.pairing.models import Pairing
from bangfu.projects.models import Project
from bangfu.projects.views import ProjectsFormView


def anchor_filter(user) -> dict:
    """The figures a user sees first: his own organisation's (helper side) or his region's (recipient side)."""
    profile = getattr(user, "profile", None)
    if profile is not None and profile.organisation_id:
        return {"helper": profile.organisation.code}
    if profile is not None and profile.region_id:
        return {"recipient": profile.region_id}
    return {"helper": "440300"}


class FundsOverviewView(UIView, TemplateView):
    template_name = "funds/overview.html"
    permission = "fundsource.view"
    nav = "funds"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        data = self.request.GET.copy() if self.request.GET else None
        if data is None or not (data.get("helper") or data.get("recipient") or data.get("pairing")):
            data = (data or self.request.GET.copy())
            for key, value in anchor_filter(user).items():
                data[key] = value
        form = PairedFilterForm(data, user=user)
        f = form.chain_filter()
        year = form.cleaned_data.get("year") if form.is_valid() else None
        totals = figures.summary(user, f)
        years = figures.by_year(user, Filter(f.helper_path, f.region_path, f.pairing_id, None, f.nothing))
        tilt_year = year or (years[0]["year"] if years else timezone.localdate().year)
        context.update(
            filters=form, totals=totals, years=years, categories=figures.by_category(user, f),
            tilt=figures.tilt(user, f, tilt_year), tilt_year=tilt_year, year=year,
            unspent_count=figures.unspent(user, f).count(), behind_count=figures.behind(user, f).count(),
            unspent_days=figures.unspent_days(),
            chart={"categories": [str(r["year"]) for r in reversed(years)],
                   "series": [{"name": _("Fiscal aid"), "data": [float(r["fiscal"] / 10000) for r in years[::-1]]},
                              {"name": _("Social aid"), "data": [float(r["social"] / 10000) for r in years[::-1]]}]},
            can_add_source=may(user, "fundsource.record"), can_add_budget=may(user, "budget.change"),
        )
        return context


TABS = [("funds_overview", gettext_lazy("Overview")), ("fundsource_list", gettext_lazy("Sources")),
        ("budget_list", gettext_lazy("Budgets")), ("disbursement_list", gettext_lazy("Disbursements")),
        ("expenditure_list", gettext_lazy("Expenditures")), ("funds_supervision", gettext_lazy("Supervision"))]


class FundsFormView(ServiceFormView):
    """A form of the funds chain."""

    nav = "funds"
    section = gettext_lazy("Funds")
    section_url = "funds_overview"
    form_note = gettext_lazy("Checked against the chain (budget, disbursed, spent) and written to the change log; a "
                             "refusal names the figures.")


class ChainListView(TableView):
    """A list of the chain: the shared filters, the funds tabs, the totals of its amounts."""

    nav = "funds"
    section = gettext_lazy("Funds")
    section_url = "funds_overview"
    tabs = TABS
    amount_fields = ("amount",)
    table_id = "chain-table"


PAIRING_COL = Col(gettext_lazy("Pairing"), lambda o: f"#{o.pairing_id}",
                  lambda o: reverse("pairing_detail", args=[o.pairing_id]))
PROJECT_COL = Col(gettext_lazy("Project"), lambda o: o.project.name,
                  lambda o: reverse("project_detail", args=[o.project_id]))


class SourceListView(ChainListView):
    model = FundSource
    filter_form = SourceFilterForm
    title = gettext_lazy("Fund sources")
    create_url, create_permission, create_label = "fundsource_create", "fundsource.change", gettext_lazy(
        "Record a source")
    columns = [Col(gettext_lazy("Year"), lambda o: o.year), Col(gettext_lazy("Kind"), lambda o: o.get_kind_display()),
               Col(gettext_lazy("Level"), lambda o: o.get_level_display() or "—"), PAIRING_COL,
               Col(gettext_lazy("Amount"), lambda o: amount_html(o.amount)),
               Col(gettext_lazy("Received on"), lambda o: o.received_on), Col(gettext_lazy("Donor"), lambda o: o.donor),
               Col(gettext_lazy("Document number"), lambda o: o.document_no)]
    csv_name = "fund-sources"
    csv_columns = [(gettext_lazy("Year"), lambda o: o.year), (gettext_lazy("Kind"), lambda o: o.get_kind_display()),
                   (gettext_lazy("Level"), lambda o: o.get_level_display()),
                   (gettext_lazy("Pairing"), lambda o: o.pairing_id), (gettext_lazy("Amount"), lambda o: o.amount),
                   (gettext_lazy("Received on"), lambda o: o.received_on), (gettext_lazy("Donor"), lambda o: o.donor),
                   (gettext_lazy("Document number"), lambda o: o.document_no)]


class BudgetListView(ChainListView):
    model = Budget
    filter_form = PairedFilterForm
    title = gettext_lazy("Budgets")
    create_url, create_permission, create_label = "budget_create", "budget.change", gettext_lazy("New budget")
    amount_fields = ("amount", "disbursed")
    columns = [Col(gettext_lazy("Year"), lambda o: o.year), PAIRING_COL,
               Col(gettext_lazy("Budgeted"), lambda o: amount_html(o.amount)),
               Col(gettext_lazy("Disbursed"), lambda o: amount_html(o.disbursed)),
               Col(gettext_lazy("Left"), lambda o: amount_html(o.amount - o.disbursed)),
               Col(gettext_lazy("Approved on"), lambda o: o.approved_on),
               Col(gettext_lazy("Document number"), lambda o: o.document_no)]
    csv_name = "budgets"
    csv_columns = [(gettext_lazy("Year"), lambda o: o.year), (gettext_lazy("Pairing"), lambda o: o.pairing_id),
                   (gettext_lazy("Budgeted"), lambda o: o.amount), (gettext_lazy("Disbursed"), lambda o: o.disbursed),
                   (gettext_lazy("Approved on"), lambda o: o.approved_on),
                   (gettext_lazy("Document number"), lambda o: o.document_no)]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        if may(user, "budget.disburse"):  # each budget's actions, in a last column: only on the budgets he owns
            context["headers"].append("")
            for row, o in zip(context["rows"], context["object_list"], strict=True):
                row.append((format_html(
                    '<a class="btn btn-sm" href="{}">{}</a> <a class="btn btn-sm" href="{}">{}</a>',
                    reverse("budget_disburse", args=[o.pk]), _("Disburse"), reverse("budget_adjust", args=[o.pk]),
                    _("Adjust")) if may(user, "budget.disburse", o) else "", None))
        return context


class DisbursementListView(ChainListView):
    model = Disbursement
    filter_form = DisbursementFilterForm
    related = ("region", "project")
    title = gettext_lazy("Disbursements")
    amount_fields = ("amount", "spent")
    columns = [
        Col(gettext_lazy("Date"), lambda o: o.paid_on), Col(gettext_lazy("Year"), lambda o: o.year),
        Col(gettext_lazy("To"), lambda o: o.project.name if o.project_id else format_html(
            "{} <span class='code'>{}</span>", o.region.name, o.region_id),
            lambda o: reverse("project_detail", args=[o.project_id]) if o.project_id else None),
        Col(gettext_lazy("Amount"), lambda o: amount_html(o.amount)),
        Col(gettext_lazy("Passed on to projects"), lambda o: "—" if o.project_id else amount_html(o.allocated)),
        Col(gettext_lazy("Spent"), lambda o: amount_html(o.spent) if o.project_id else "—"),
        Col(gettext_lazy("Document number"), lambda o: o.document_no),
    ]
    csv_name = "disbursements"
    csv_columns = [(gettext_lazy("Date"), lambda o: o.paid_on), (gettext_lazy("Year"), lambda o: o.year),
                   (gettext_lazy("To region"), lambda o: o.region_id),
                   (gettext_lazy("To project"), lambda o: o.project.number if o.project_id else ""),
                   (gettext_lazy("Amount"), lambda o: o.amount), (gettext_lazy("Spent"), lambda o: o.spent),
                   (gettext_lazy("Document number"), lambda o: o.document_no)]



class ExpenditureListView(ChainListView):
    model = Expenditure
    filter_form = ExpenditureFilterForm
    related = ("project",)
    title = gettext_lazy("Expenditures")
    columns = [Col(gettext_lazy("Date"), lambda o: o.paid_on), Col(gettext_lazy("Year"), lambda o: o.year),
               PROJECT_COL, Col(gettext_lazy("Amount"), lambda o: amount_html(o.amount)),
               Col(gettext_lazy("Payee"), lambda o: o.payee), Col(gettext_lazy("Purpose"), lambda o: o.purpose),
               Col(gettext_lazy("Document number"), lambda o: o.document_no)]
    csv_name = "expenditures"
    csv_columns = [(gettext_lazy("Date"), lambda o: o.paid_on), (gettext_lazy("Year"), lambda o: o.year),
                   (gettext_lazy("Project"), lambda o: o.project.number), (gettext_lazy("Amount"), lambda o: o.amount),
                   (gettext_lazy("Payee"), lambda o: o.payee), (gettext_lazy("Purpose"), lambda o: o.purpose),
                   (gettext_lazy("Document number"), lambda o: o.document_no)]

class SupervisionFilterForm(PairedFilterForm):
    """The chain's filters, which of the two lists, and the age after which unspent money is listed."""

    show = forms.ChoiceField(label=gettext_lazy("List"), choices=[
        ("unspent", gettext_lazy("Unspent money")), ("behind", gettext_lazy("Projects behind their milestones"))])
    days = forms.IntegerField(label=gettext_lazy("Unspent after (days)"), min_value=0, max_value=36500)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["days"].widget.attrs["placeholder"] = figures.unspent_days()

    def chosen(self, name, default):
        value = self.cleaned_data.get(name) if self.is_bound and self.is_valid() else None
        return default if value in (None, "") else value


class SupervisionView(ScopedListView):
    """Money passed on to projects and unspent after N days, or projects behind their milestones: one list at a
    time, paged like every list, with its count and total taken by aggregates over every row of the filter (not only
    the page shown), and exported to CSV."""

    template_name = "funds/supervision.html"
    partial_template_name = "funds/_supervision_table.html"
    model = Disbursement
    permission = "disbursement.view"
    filter_form = SupervisionFilterForm
    nav = "funds"

    def prepare(self):
        self.filters = self.filter_form(self.request.GET or None, user=self.request.user)
        self.chain_filter = self.filters.chain_filter()
        self.show = self.filters.chosen("show", "unspent")
        self.days = self.filters.chosen("days", figures.unspent_days())
        self.today = timezone.localdate()
        self.csv_name, self.csv_columns = ("funds-behind", BEHIND_CSV) if self.show == "behind" else (
            "funds-unspent", self.unspent_csv())

    def unspent_csv(self):
        today = self.today
        return [(gettext_lazy("Project number"), lambda d: d.project.number),
                (gettext_lazy("Project"), lambda d: d.project.name), (gettext_lazy("Region"), lambda d: d.region_id),
                (gettext_lazy("Date"), lambda d: d.paid_on), (gettext_lazy("Disbursed"), lambda d: d.amount),
                (gettext_lazy("Spent"), lambda d: d.spent), (gettext_lazy("Unspent"), lambda d: d.unspent),
                (gettext_lazy("Days"), lambda d: (today - d.paid_on).days),
                (gettext_lazy("Document number"), lambda d: d.document_no)]

    def unspent(self):
        return figures.unspent(self.request.user, self.chain_filter, self.days, self.today)

    def behind(self):
        return figures.behind(self.request.user, self.chain_filter, self.today)

    def get_queryset(self):
        return self.behind() if self.show == "behind" else self.unspent()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        rows = list(context["object_list"])
        unspent = self.object_list if self.show == "unspent" else self.unspent()
        # Named apart from the fields and the annotation they sum: an aggregate named "unspent" would sum itself.
        totals = unspent.aggregate(total_count=Count("pk"), total_amount=Sum("amount"), total_unspent=Sum("unspent"))
        if self.show == "unspent":
            for d in rows:
                d.days = (self.today - d.paid_on).days
        context.update(
            rows=rows, show=self.show, days=self.days, tabs=TABS,
            unspent_count=totals["total_count"], unspent_amount=amount_html(exact(totals["total_amount"])),
            unspent_total=amount_html(exact(totals["total_unspent"])),
            behind_count=context["paginator"].count if self.show == "behind" else self.behind().count())
        return context


BEHIND_CSV = [
    (gettext_lazy("Project number"), lambda p: p.number), (gettext_lazy("Project"), lambda p: p.name),
    (gettext_lazy("Location"), lambda p: p.region.name), (gettext_lazy("State"), lambda p: p.get_state_display()),
    (gettext_lazy("Planned end"), lambda p: p.planned_end), (gettext_lazy("Progress (%)"), lambda p: p.progress),
    (gettext_lazy("Milestones overdue"), lambda p: p.overdue)]


# --- Forms --------------------------------------------------------------------------------------------------------


def _pairing(user, pk):
    pairing = Pairing.objects.visible_to(user).select_related("helper", "recipient_region").filter(pk=pk).first()
    if pairing is None:
        invalid("pairing", _("Unknown pairing #%(id)s (or outside your scope).") % {"id": pk})
    return pairing


class SourceCreateView(FundsFormView):
    form_class = SourceForm
    permission = "fundsource.change"
    nav = "funds"
    success_message = gettext_lazy("Recorded: %(object)s.")

    def perform(self, form):
        data = dict(form.cleaned_data)
        data["pairing"] = _pairing(self.request.user, data["pairing"])
        if not data.get("attachment"):
            data.pop("attachment")
        return services.record_source(self.request.user, **data)

    def success_url_for(self, obj):
        return reverse("fundsource_list") + f"?year={obj.year}"

    def get_context_data(self, **kwargs):
        return super().get_context_data(title=_("Record a fund source"), **kwargs)


class BudgetCreateView(SourceCreateView):
    form_class = BudgetForm
    permission = "budget.change"

    def perform(self, form):
        data = dict(form.cleaned_data)
        data["pairing"] = _pairing(self.request.user, data["pairing"])
        if not data.get("attachment"):
            data.pop("attachment")
        return services.create_budget(self.request.user, **data)

    def success_url_for(self, obj):
        return reverse("budget_list") + f"?year={obj.year}"

    def get_context_data(self, **kwargs):
        return ServiceFormView.get_context_data(self, title=_("New budget"), **kwargs)


class BudgetDisburseView(FundsFormView):
    form_class = DisburseForm
    model = Budget
    permission = "budget.change"  # disbursing to the recipient is the helper's
    nav = "funds"
    success_message = gettext_lazy("Disbursed: %(object)s.")

    def get_object(self):
        return get_object_or_404(Budget.objects.visible_to(self.request.user), pk=self.kwargs["pk"])

    def perform(self, form):
        data = dict(form.cleaned_data)
        if not data.get("attachment"):
            data.pop("attachment")
        return services.disburse_to_region(self.request.user, budget=self.object, **data)

    def success_url_for(self, obj):
        return reverse("disbursement_list") + f"?year={obj.year}"

    def get_initial(self):
        return {"paid_on": date.today(), "amount": self.object.amount - self.object.disbursed}

    def get_context_data(self, **kwargs):
        b = self.object
        return super().get_context_data(title=_("Disburse from the budget of %(year)s (%(left)s yuan left)") % {
            "year": b.year, "left": yuan(b.amount - b.disbursed)}, **kwargs)


class AdjustView(FundsFormView):
    form_class = AdjustForm
    model = Budget
    permission = "budget.change"
    nav = "funds"
    success_message = gettext_lazy("Adjusted: %(object)s.")

    def get_object(self):
        return get_object_or_404(self.model.objects.visible_to(self.request.user), pk=self.kwargs["pk"])

    def perform(self, form):
        return services.adjust(self.request.user, self.object, **form.cleaned_data)

    def success_url_for(self, obj):
        return reverse("budget_list")

    def get_initial(self):
        return {"on": date.today()}

    def get_context_data(self, **kwargs):
        return super().get_context_data(title=_("Adjust %(object)s") % {"object": self.object}, **kwargs)


class ExpenditureAdjustView(AdjustView):
    model = Expenditure
    permission = "expenditure.change"

    def success_url_for(self, obj):
        return reverse("project_detail", args=[self.object.project_id])


def helper_scope(user) -> bool:
    return bool(scope_of(user).org_paths)


# --- paying for a project and passing money on to it, from the project's page ----------------------------------


class ProjectMoneyView(ProjectsFormView):
    """Money paid for a project or passed on to it, from the project's page: an attachment kept only when one is
    given; back to the project."""

    model = Project

    def cleaned(self, form) -> dict:
        data = dict(form.cleaned_data)
        if not data.get("attachment"):
            data.pop("attachment")
        return data

    def success_url_for(self, obj):
        return reverse("project_detail", args=[obj.project_id])

    def get_initial(self):
        return {"paid_on": date.today()}


class ProjectSpendView(ProjectMoneyView):
    form_class = SpendForm
    permission = "expenditure.change"
    success_message = gettext_lazy("Paid: %(object)s.")

    def get_object(self):
        return get_object_or_404(Project.objects.visible_to(self.request.user), pk=self.kwargs["pk"])

    def perform(self, form):
        return services.spend(self.request.user, project=self.object, **self.cleaned(form))

    def get_context_data(self, **kwargs):
        p = self.object
        return super().get_context_data(title=_("Pay for %(project)s (%(left)s yuan disbursed and unspent)") % {
            "project": p.name, "left": f"{p.disbursed - p.spent:,.2f}"}, **kwargs)


class ProjectFundView(ProjectMoneyView):
    """Pass money disbursed to the project's region (or a region above it) on to the project."""

    form_class = FundProjectForm
    permission = "disbursement.change"
    success_message = gettext_lazy("Disbursed: %(object)s.")

    def perform(self, form):
        data = self.cleaned(form)
        data["parent"] = get_object_or_404(Disbursement.objects.visible_to(self.request.user), pk=data["parent"])
        return services.disburse_to_project(self.request.user, project=self.object, **data)

    def get_context_data(self, **kwargs):
        return super().get_context_data(title=_("Disburse to %(project)s") % {"project": self.object.name}, **kwargs)
