"""The public disclosure portal (公告公示), open without login: the counties, one county's fund plans and uses and its
projects, one project, and printable notices. It shows only what DOMAIN.md §2 says is published — never a person:
no household, no member, no ID or phone number, no responsible person, no account names — and only projects the
county has decided (in the library or beyond)."""

from datetime import date

from django.core.paginator import Paginator
from django.db.models import Count, Sum
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import TemplateView

from bangfu.core.money import exact
from bangfu.core.services import resolve_in_scope
from bangfu.core.views import chinese_first
from bangfu.funds import figures
from bangfu.pairing.filters import Filter
from bangfu.portal import services
from bangfu.portal.forms import NoticeForm
from bangfu.portal.models import Notice, NoticeKind, NoticeLevel
from bangfu.projects.models import PUBLISHED, Asset, Beneficiary, Project, State
from bangfu.projects.views import ProjectFormView, in_view_scope
from bangfu.regions.models import Level, Region

PROJECT_FIELDS = ("id", "number", "name", "category", "year", "state", "region__name", "region__parent__name",
                  "content", "implementer", "procurement", "planned_amount", "disbursed", "spent", "planned_start",
                  "planned_end", "actual_start", "actual_end", "targets", "results", "progress", "jobs",
                  "published_on")


def portal_region(code: str) -> Region:
    """A county (or a prefecture or province: county level and above publish on the portal)."""
    levels = [Level.COUNTY, Level.PREFECTURE, Level.PROVINCE]
    region = Region.objects.filter(code=code, level__in=levels).select_related("parent").first()
    if region is None:
        raise Http404("No such county.")
    return region


class PortalView(TemplateView):
    """No login; Chinese first, as every page."""

    def dispatch(self, request, *args, **kwargs):
        chinese_first(request)
        return super().dispatch(request, *args, **kwargs)


def published():
    return Project.objects.filter(state__in=PUBLISHED)


class PortalIndexView(PortalView):
    template_name = "portal/index.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        counts = {r["county_code"]: r for r in published().exclude(county_code="").order_by().values("county_code")
                  .annotate(projects=Count("pk"), amount=Sum("planned_amount"))}
        names = dict(Region.objects.filter(code__in=counts).values_list("code", "name"))
        parents = dict(Region.objects.filter(code__in=counts).values_list("code", "parent__name"))
        context["counties"] = sorted(
            ({"code": code, "name": names.get(code, code), "parent": parents.get(code) or "",
              "projects": r["projects"], "amount": exact(r["amount"])} for code, r in counts.items()),
            key=lambda c: c["code"])
        context["today"] = timezone.localdate()
        return context


class CountyView(PortalView):
    template_name = "portal/county.html"

    def get_region(self):
        return portal_region(self.kwargs["code"])

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        region = self.get_region()
        f = Filter(region_path=region.path)
        projects = published().filter(region_path__startswith=region.path)
        year = self.request.GET.get("year", "")
        category = self.request.GET.get("category", "")
        if year.isdigit():
            projects = projects.filter(year=int(year))
        if category:
            projects = projects.filter(category=category)
        page = Paginator(projects.order_by("-year", "number").values(*PROJECT_FIELDS), 100).get_page(
            self.request.GET.get("page"))
        totals = figures.summary(None, f)
        notices = Notice.objects.filter(region_path__startswith=region.path).order_by("-published_on", "-id")
        context.update(
            region=region, years=figures.by_year(None, f), categories=figures.by_category(None, f), totals=totals,
            page=page, projects=page.object_list, notices=notices.values(
                "id", "title", "kind", "level", "published_on", "period_days", "region__name")[:50],
            year=year, category=category, today=timezone.localdate(),
            project_years=published().filter(region_path__startswith=region.path).order_by("-year").values_list(
                "year", flat=True).distinct(),
        )
        return context


class ProjectView(PortalView):
    template_name = "portal/project.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        region = portal_region(self.kwargs["code"])
        project = published().filter(pk=self.kwargs["pk"], region_path__startswith=region.path).values(
            *PROJECT_FIELDS).first()
        if project is None:
            raise Http404("No such project.")
        obj = Project.objects.get(pk=project["id"])
        gains = Beneficiary.objects.filter(project_id=project["id"]).aggregate(
            households=Count("household", distinct=True), amount=Sum("amount"))
        context.update(
            region=region, project=project, obj=obj,
            steps=[{"on": on, "state": State(state).label}
                   for state, on in obj.steps.order_by("on", "id").values_list("to_state", "on")],
            milestones=obj.milestones.values("name", "due", "done_on"),
            households=gains["households"], gained=exact(gains["amount"]),
            assets=Asset.objects.filter(project_id=project["id"]).values("number", "name", "kind", "value", "owner"),
            notices=obj.notices.values("id", "title", "published_on", "level", "period_days"),
        )
        return context


class NoticeView(PortalView):
    """One notice, laid out for printing (the menu and buttons are left off the paper)."""

    template_name = "portal/notice.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        region = portal_region(self.kwargs["code"])
        notice = Notice.objects.filter(pk=self.kwargs["pk"], region_path__startswith=region.path).select_related(
            "region").first()
        if notice is None:
            raise Http404("No such notice.")
        context.update(notice=notice, bulletin=notice.level != NoticeLevel.COUNTY,
                       region=region)
        return context


class ProjectNoticeView(ProjectFormView):
    """Publish a notice of a project, from its page: on the portal at county level and above, on a bulletin board
    below."""


    form_class = NoticeForm
    permission = "project.change"
    action_permission = "notice.change"
    success_message = gettext_lazy("Published: %(object)s.")

    def get_object(self):
        return in_view_scope(self)

    def perform(self, form):
        data = dict(form.cleaned_data)
        region = resolve_in_scope(self.request.user, Region, "region",
                                  _("Unknown region code %(code)s (or outside your scope).") % {"code": data["region"]},
                                  code=data["region"].strip())
        data["region"] = region
        return services.publish(self.request.user, project=self.object, **data)

    def get_initial(self):
        p = self.object
        return {"kind": NoticeKind.PROJECT, "level": NoticeLevel.VILLAGE, "region": p.region_id, "title": p.name,
                "published_on": date.today(), "period_days": 10}

    def get_context_data(self, **kwargs):
        return super().get_context_data(title=_("Publish a notice of %(project)s") % {"project": self.object.name},
                                        **kwargs)
