"""The dashboards: a user's own (`/dashboards/`, and on the home page) and any region's in his scope
(`/dashboards/<code>/`, 404 outside it, as `figures.view_for`), for a year and optionally a helper organisation's
side (`?helper=CODE`); and their figures as an xlsx (`export.xlsx`)."""

from datetime import datetime

from django.http import Http404, HttpResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View as DjangoView
from django.views.generic import TemplateView

from bangfu.core.roles import can
from bangfu.core.scope import scope_of
from bangfu.core.views import UIView
from bangfu.dashboards import board as boards
from bangfu.dashboards import figures
from bangfu.dashboards.export import workbook
from bangfu.regions.models import Organisation, Region

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def parse_year(text) -> int | None:
    try:
        return int(text)
    except (TypeError, ValueError):
        return None


def title_of(view: figures.View) -> tuple[str, str]:
    """(title, subtitle) of a dashboard: the region, or the helper's side, or everything."""
    if view.organisation is not None:
        if view.region is not None:
            return view.region.name, _("As helped by %(org)s") % {"org": view.organisation.name}
        return view.organisation.name, _("The places it helps")
    if view.region is not None:
        return view.region.name, view.region.get_level_display()
    return _("All regions"), _("Every recipient place")


def breadcrumbs(user, board: boards.Board) -> list[dict]:
    """The regions above the view's, each linked where the user may open its dashboard (as `view_for` decides)."""
    region = board.view.region
    if region is None:
        return []
    codes = region.path.strip("/").split("/")[:-1]
    above = {r.code: r for r in Region.objects.filter(code__in=codes)}
    scope = scope_of(user)
    profile = getattr(user, "profile", None)
    own = board.view.organisation is None and profile is not None and profile.region_id == region.code
    crumbs = [] if own else [{"name": _("My dashboard"), "url": reverse("dashboard")}]
    for code in codes:
        if code not in above:
            continue
        path = above[code].path
        allowed = scope.everything or scope.covers_region_path(path) or (
            bool(scope.org_paths) and any(p.startswith(path) for p in scope.region_paths))
        crumbs.append({"name": above[code].name, "url": board.url(code) if allowed else ""})
    return crumbs


def helper_choices(user) -> list[Organisation]:
    """The helper organisations whose side the user may choose: his own organisation's subtree (the city's
    districts), or every helper that acts for a region (auditors, superusers)."""
    scope = scope_of(user)
    found = Organisation.objects.filter(side="helper", represents_region=True)
    if not scope.everything:
        profile = getattr(user, "profile", None)
        if not scope.org_paths or profile is None or profile.organisation is None:
            return []
        found = found.filter(path__startswith=profile.organisation.path).exclude(pk=profile.organisation_id)
    return list(found.order_by("path")[:100])


def dashboard_context(user, view: figures.View, year: int | None, helper_param: str = "") -> dict:
    """Everything the dashboard template shows, under one name (the home page adds it beside other sections)."""
    board = boards.build(user, view, year, helper_param)
    title, subtitle = title_of(view)
    charts = boards.charts(board)
    computed = board.freshness.get("computed")
    export = reverse("dashboard_region_export", args=[board.region_code]) if board.region_code \
        else reverse("dashboard_export")
    return {
        "board": board, "title": title, "subtitle": subtitle, "year": board.year, "years": board.years,
        "has_data": board.has_data, "cards": boards.cards(board), "charts": charts,
        "child_table": boards.child_table(board) if board.child_regions else None,
        "labour_stats": boards.stats(board, boards.layout.LABOUR_AFTER),
        "monitoring_stats": boards.stats(board, boards.layout.MONITORING_AFTER),
        "funds_stats": boards.stats(board, boards.layout.FUNDS_AFTER),
        "script": boards.script_data(charts),
        "computed": timezone.localtime(computed) if isinstance(computed, datetime) else None,
        "stale": board.freshness.get("stale_since") is not None,
        "export_url": f"{export}?{board.query}",
        "url": board.url(board.region_code),
    }


class DashboardView(UIView, TemplateView):
    template_name = "dashboards/dashboard.html"
    permission = "dashboard.view"
    nav = "dashboards"

    def prepare(self):
        request = self.request
        self.helper_param = (request.GET.get("helper") or "").strip()
        self.view = figures.view_for(request.user, self.kwargs.get("code"), self.helper_param or None)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        dashboard = dashboard_context(user, self.view, parse_year(self.request.GET.get("year")), self.helper_param)
        dashboard["breadcrumbs"] = breadcrumbs(user, dashboard["board"])
        dashboard["helpers"] = helper_choices(user)
        profile = getattr(user, "profile", None)
        own = profile.organisation if profile is not None and profile.organisation_id else None
        dashboard["own_helper"] = own.name if own is not None else _("All helpers")
        dashboard["helper_param"] = self.helper_param
        context["dashboard"] = dashboard
        return context


class ExportView(UIView, DjangoView):
    """The dashboard's figures as an xlsx: the cards' year and last year, the years, the child regions."""

    permission = "dashboard.view"

    def get(self, request, code=None):
        helper_param = (request.GET.get("helper") or "").strip()
        view = figures.view_for(request.user, code, helper_param or None)
        board = boards.build(request.user, view, parse_year(request.GET.get("year")), helper_param)
        title, subtitle = title_of(view)
        content = workbook(board, title, subtitle)
        name = f"dashboard-{board.region_code or 'all'}-{board.year}.xlsx"
        response = HttpResponse(content, content_type=XLSX_TYPE)
        response["Content-Disposition"] = f'attachment; filename="{name}"'
        return response


def home_section(user):
    """The home page shows the user's own dashboard (none for a user without one: the public, a user without an
    anchor)."""
    if not can(user, "dashboard.view"):
        return None
    try:
        view = figures.own_view(user)
    except Http404:
        return None
    dashboard = dashboard_context(user, view, None)
    dashboard["home"] = True
    return "dashboards/_home.html", {"dashboard": dashboard}
