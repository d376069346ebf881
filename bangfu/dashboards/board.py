"""One dashboard: the figures of a view (dashboards.figures, as the API reads them) for a year, shaped for the
page's cards and charts and for its export.

It reads the facts a handful of times however many regions it shows: the view's own figures for every year (the
cards, the trends, the year picker), its children's for the year (the ranked bars and table), and, at the top of
the coordination office's view, the provinces' for the year. A figure is read for the chosen year where the
indicator has yearly values, else for the whole record ("to date": a registry's stock, a count without dates)."""

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from bangfu.core import facts
from bangfu.core.indicators import ALL, Indicator, indicator
from bangfu.core.money import WAN, in_units, yuan
from bangfu.core.roles import Role, role_of
from bangfu.core.scope import scope_of
from bangfu.dashboards import figures, layout
from bangfu.dashboards.figures import View
from bangfu.pairing.models import Pairing
from bangfu.regions.models import Level, Organisation, OrganisationKind, Region

TOP = 20  # bars in a ranked chart: the rest are in the table below it

CHILD_TITLES = {
    Level.PROVINCE: gettext_lazy("provinces"), Level.PREFECTURE: gettext_lazy("prefectures"),
    Level.COUNTY: gettext_lazy("counties"), Level.TOWNSHIP: gettext_lazy("townships"),
    Level.VILLAGE: gettext_lazy("villages"),
}


@dataclass
class Board:
    """The figures of one view and year, as read from the facts."""

    view: View
    year: int
    years: list[int]  # the years that have data, latest first
    codes: list[str]  # every configured code the catalogue holds
    main: dict  # (code, period) → value, the view's own
    child_regions: list[Region] = field(default_factory=list)
    child: dict = field(default_factory=dict)  # (code, region code, period) → value
    provinces: list[Region] = field(default_factory=list)
    province: dict = field(default_factory=dict)
    flows: dict | None = None
    helper_param: str = ""  # the ?helper= the user asked for, kept on drill-down links
    freshness: dict = field(default_factory=dict)

    @property
    def region_code(self) -> str | None:
        return self.view.region.code if self.view.region else None

    @property
    def has_data(self) -> bool:
        return any(v for v in self.main.values())

    def period(self, code: str, year: int | None = None) -> str:
        """The period a figure is read for: the year where the indicator has yearly values, else the whole record."""
        return str(year or self.year) if indicator(code).yearly else ALL

    def value(self, code: str, year: int | None = None) -> Decimal | None:
        return self.main.get((code, self.period(code, year)))

    def held(self, code: str) -> Decimal | None:
        """A figure as a stock at the end of the year: a count of dated records (laborers registered) up to the
        year's end, that is the whole record less the years after; anything else as `value`."""
        found = indicator(code)
        if not (found.counted and found.year and found.whole):
            return self.value(code)
        whole = self.main.get((code, ALL))
        if whole is None:
            return None
        later = sum((v for (c, p), v in self.main.items() if c == code and p != ALL and int(p) > self.year and v),
                    Decimal(0))
        return whole - later

    def child_value(self, code: str, region: Region, table: str = "child") -> Decimal | None:
        return getattr(self, table).get((code, region.code, self.period(code)))

    @property
    def query(self) -> str:
        """The year (and the helper, if one was asked for), as a query string the page's links keep."""
        return urlencode({"year": self.year, **({"helper": self.helper_param} if self.helper_param else {})})

    def url(self, region_code: str | None) -> str:
        """A region's dashboard for the same year and helper."""
        base = reverse("dashboard_region", args=[region_code]) if region_code else reverse("dashboard")
        return f"{base}?{self.query}"


def build(user, view: View, year: int | None = None, helper_param: str = "") -> Board:
    """Read a view's figures: every configured indicator for every year, then its children's for the chosen year
    (unless one is asked for, the latest year whose records have come in: `default_year`)."""
    codes = layout.present(layout.ALL)
    facts.queue_daily_if_due()
    all_years = [str(y) for y in facts.years()]
    main = _by_period(figures.values(view, codes, [ALL, *all_years])) if codes else {}
    with_data = _years_with_data(main, codes)
    if year is None or year not in facts.years():
        year = default_year(with_data) or timezone.localdate().year
    board = Board(view, year, sorted(set(with_data) | {year}, reverse=True), codes, main,
                  helper_param=helper_param, freshness=facts.freshness())
    if not codes:
        return board
    periods = [str(year), ALL]
    board.child_regions = figures.children(view)
    if board.child_regions:
        board.child = _by_region(figures.values(view, codes, periods, regions=board.child_regions))
    if _coordination_top(user, view):
        board.provinces = _provinces(view, board.child_regions)
        if board.provinces and board.provinces != board.child_regions:
            board.province = _by_region(figures.values(view, layout.present(layout.CHILD_METRICS), periods,
                                                       regions=board.provinces))
        elif board.provinces:
            board.province = board.child
        board.flows = pairing_flows(user, view)
    return board


def _by_period(items) -> dict:
    return {(item["code"], item["period"]): item["value"] for item in items}


def _by_region(items) -> dict:
    return {(item["code"], item["region"], item["period"]): item["value"] for item in items}


def _years_with_data(main: dict, codes) -> dict[int, int]:
    """{year: how many yearly figures have a value in it}. Counts dated by their records (flows) show where the
    records end; stocks held in a year (in_year) have values up to this year once they have any, so they count only
    where no flow has a value."""
    flows: Counter = Counter()
    stocks: Counter = Counter()
    for code in codes:
        found = indicator(code)
        if not found.yearly:
            continue
        years = {int(p) for (c, p), v in main.items() if c == code and p != ALL and v}
        (stocks if _is_stock(found) else flows).update(years)
    return dict(flows or stocks)


def default_year(counts: dict[int, int]) -> int | None:
    """The latest year whose records have come in: the latest in which at least half as many figures have a value
    as in the fullest year (a year whose first few projects are in is not yet the year to show)."""
    if not counts:
        return None
    fullest = max(counts.values())
    return max(year for year, n in counts.items() if 2 * n >= fullest)


def _is_stock(found: Indicator) -> bool:
    if found.counted:
        return found.in_year is not None
    return any(_is_stock(indicator(part)) for part in found.parts)


def _coordination_top(user, view: View) -> bool:
    """The coordination office's own view (or everything, for auditors and superusers), at the top: it gets the
    places by province and the pairings as flows."""
    if view.region is not None:
        return False
    if scope_of(user).everything:
        return view.organisation is None
    profile = getattr(user, "profile", None)
    return role_of(user) == Role.COORDINATION and profile is not None and view.organisation is not None \
        and view.organisation.pk == profile.organisation_id


def _provinces(view: View, child_regions: list[Region]) -> list[Region]:
    """The provinces of the places in view: the children themselves when they are provinces."""
    if child_regions and all(r.level == Level.PROVINCE for r in child_regions):
        return child_regions
    if view.helper is None:
        return []
    codes = {p.split("/")[0] for p in view.helper.places}
    return list(Region.objects.filter(code__in=codes).order_by("code"))


# Shaping for the page.

def display(found: Indicator, value) -> tuple[str, str]:
    """(number, unit) as a card shows it: sums of money in 元/万元/亿元 (core.money), an average in 元 to the fen,
    a share in %, counts whole."""
    if value is None:
        return "—", ""
    if found.unit == "元":
        return (yuan(value), _("yuan")) if not found.counted else in_units(value)
    if found.unit == "%":
        return f"{value:.2f}", "%"
    if value == value.to_integral_value():
        return f"{value:,.0f}", found.unit
    return f"{value:,.2f}", found.unit


def change(value, previous) -> Decimal | None:
    """The change on last year in %, one decimal; none without a last year's figure to compare with."""
    if value is None or not previous:
        return None
    return ((value - previous) * 100 / previous).quantize(Decimal("0.1"), ROUND_HALF_UP)


def card(board: Board, code: str) -> dict:
    found = indicator(code)
    value = board.value(code)
    number, unit = display(found, value)
    card = {"code": code, "name": found.name, "number": number, "unit": unit,
            "value": "" if value is None else f"{value:.2f}", "period": _period_label(board, found),
            "url": _records(found, board), "change": None}
    if found.yearly:
        delta = change(value, board.value(code, board.year - 1))
        if delta is not None:
            card["change"] = {"value": f"{abs(delta)}", "up": delta > 0, "flat": delta == 0,
                              "good": (delta > 0) == found.higher_is_better}
    return card


def _period_label(board: Board, found: Indicator) -> str:
    return _("Year %(year)s") % {"year": board.year} if found.yearly else _("to date")


def _records(found: Indicator, board: Board) -> str | None:
    if found.records is None:
        return None
    return found.records(board.region_code, board.year if found.yearly else None)


def cards(board: Board) -> list[dict]:
    return [card(board, code) for code in layout.present(layout.CARDS)]


def stats(board: Board, codes) -> list[dict]:
    """Small figures beside a chart (same shape as the cards)."""
    return [card(board, code) for code in layout.present(codes)]


def _chart_number(found: Indicator, value) -> float | None:
    """A value as a chart draws it: money totals in 万元."""
    if value is None:
        return None
    if found.unit == "元" and found.counted:
        return float((value / WAN).quantize(Decimal("0.01")))
    return float(value)


def _chart_unit(found: Indicator) -> str:
    return _("10 thousand yuan") if found.unit == "元" and found.counted else found.unit


def trend_charts(board: Board) -> list[dict]:
    """One line chart per group of yearly indicators, over the years that have data."""
    charts = []
    for i, (title, group) in enumerate(layout.TRENDS):
        codes = [c for c in layout.present(group) if indicator(c).yearly]
        if not codes:
            continue
        years = sorted({int(p) for (c, p), v in board.main.items() if c in codes and p != ALL and v})
        chart = {"id": f"trend-{i}", "kind": "line", "title": str(title), "empty": not years}
        if years:
            span = [str(y) for y in range(years[0], years[-1] + 1)]
            chart["x"] = span
            chart["series"] = [{"name": indicator(c).name, "unit": _chart_unit(indicator(c)),
                                "data": [_chart_number(indicator(c), board.main.get((c, y))) for y in span]}
                               for c in codes]
            chart["unit"] = " / ".join(dict.fromkeys(s["unit"] for s in chart["series"]))
            chart["year"] = str(board.year)
        charts.append(chart)
    return charts


def _rank_metrics(board: Board, regions: list[Region], table: str) -> list[dict]:
    metrics = []
    for code in layout.present(layout.CHILD_METRICS):
        found = indicator(code)
        items = [{"name": r.name, "code": r.code, "value": _chart_number(found, board.child_value(code, r, table)),
                  "url": board.url(r.code)} for r in regions]
        items = sorted((i for i in items if i["value"]), key=lambda i: -i["value"])
        if items:
            metrics.append({"code": code, "name": found.name, "unit": _chart_unit(found), "items": items[:TOP],
                            "more": max(0, len(items) - TOP)})
    return metrics


def with_data(board: Board, regions: list[Region], table: str) -> list[Region]:
    """The regions that have any figure (an empty province is no bar of zeros)."""
    with_figures = {code for (_c, code, _p), v in getattr(board, table).items() if v}
    return [r for r in regions if r.code in with_figures]


def rank_chart(board: Board, chart_id: str, title: str, regions: list[Region], table: str) -> dict | None:
    if not regions:
        return None
    shown = with_data(board, regions, table)
    metrics = _rank_metrics(board, shown, table)
    return {"id": chart_id, "kind": "rank", "title": title, "metrics": metrics, "empty": not metrics,
            "regions": len(regions), "without_data": len(regions) - len(shown),
            "top": TOP if any(m["more"] for m in metrics) else None}


def child_title(board: Board) -> str:
    levels = {r.level for r in board.child_regions}
    level = levels.pop() if len(levels) == 1 else None
    return _("By %(level)s") % {"level": CHILD_TITLES.get(level, _("regions"))}


def child_table(board: Board) -> dict:
    """The ranked table beside the bars: each child with data, its link, and the child metrics."""
    codes = layout.present(layout.CHILD_METRICS)
    regions = with_data(board, board.child_regions, "child")
    first = codes[0] if codes else None
    rows = []
    for region in regions:
        cells = []
        for code in codes:
            number, unit = display(indicator(code), board.child_value(code, region))
            cells.append({"number": number, "unit": unit})
        rows.append({"region": region, "url": board.url(region.code), "cells": cells,
                     "key": board.child_value(first, region) or 0 if first else 0})
    rows.sort(key=lambda r: -r["key"])
    return {"columns": [indicator(c) for c in codes], "rows": rows,
            "without_data": len(board.child_regions) - len(regions)}


def category_chart(board: Board) -> dict | None:
    pairs = layout.present_pairs(layout.FUNDS_BY_CATEGORY)
    if not pairs:
        return None
    items = [{"name": str(label), "value": _chart_number(indicator(code), board.value(code))} for code, label in pairs]
    items = [i for i in items if i["value"]]
    return {"id": "funds-category", "kind": "bar", "title": _("Funds by project category"), "items": items,
            "unit": _chart_unit(indicator(pairs[0][0])), "empty": not items}


def _count_chart(chart_id: str, title: str, pairs, board: Board) -> dict | None:
    """A bar per label (projects by state, by category): the figures of the year, the labels without any left out."""
    pairs = layout.present_pairs(pairs)
    if not pairs:
        return None
    items = [{"name": str(label), "value": _chart_number(indicator(code), board.value(code))} for code, label in pairs]
    items = [i for i in items if i["value"]]
    return {"id": chart_id, "kind": "bar", "title": title, "unit": indicator(pairs[0][0]).unit, "items": items,
            "empty": not items}


def state_chart(board: Board) -> dict | None:
    return _count_chart("project-states", _("Projects by state"), layout.PROJECTS_BY_STATE, board)


def project_category_chart(board: Board) -> dict | None:
    return _count_chart("project-categories", _("Projects by category"), layout.PROJECTS_BY_CATEGORY, board)


def funnel_chart(board: Board) -> dict | None:
    """The labour loop of the year: laborers registered by its end, employed in it, stably employed in it."""
    codes = layout.present(layout.FUNNEL)
    if not codes:
        return None
    items = [{"name": indicator(c).name, "value": _chart_number(indicator(c), board.held(c))} for c in codes]
    return {"id": "labour-funnel", "kind": "funnel", "title": _("The labour loop"), "unit": indicator(codes[0]).unit,
            "subtitle": _("Registered by the end of %(year)s; in work in %(year)s") % {"year": board.year},
            "items": items, "empty": not any(i["value"] for i in items)}


def monitoring_chart(board: Board) -> dict | None:
    pairs = layout.present_pairs(layout.MONITORED_KINDS)
    if not pairs:
        return None
    items = [{"name": str(label), "value": _chart_number(indicator(c), board.value(c))} for c, label in pairs]
    return {"id": "monitored-kinds", "kind": "pie", "title": _("Monitored households by kind"),
            "unit": indicator(pairs[0][0]).unit, "items": items, "empty": not any(i["value"] for i in items)}


def pairing_flows(user, view: View) -> dict:
    """The pairings in force as flows from helper to recipient: from the helper units one level below the view's
    organisation (each district of the city; its schools, hospitals, departments… together by kind; the city itself
    for its own pairings) to the recipient prefectures. One grouped query of the pairings the user may see, and one
    each for the names."""
    pairings = Pairing.objects.visible_to(user).active()
    depth = 0
    if view.organisation is not None:
        pairings = pairings.filter(helper__path__startswith=view.organisation.path)
        depth = view.organisation.path.count("/")
    if view.region is not None:
        pairings = pairings.filter(recipient_region__path__startswith=view.region.path)
    grouped = [(org_path.strip("/").split("/"), region_path.strip("/").split("/"), n) for org_path, region_path, n
               in pairings.values_list("helper__path", "recipient_region__path").annotate(n=Count("pk")).order_by()]
    # From the first level where the helpers part (everything's one province body: its cities, then districts).
    while len({orgs[min(depth, len(orgs) - 1)] for orgs, _r, _n in grouped}) == 1 and any(
            len(orgs) > depth + 1 for orgs, _r, _n in grouped):
        depth += 1
    weights: dict[tuple[str, str], int] = defaultdict(int)
    for orgs, regions, n in grouped:
        weights[orgs[min(depth, len(orgs) - 1)], regions[min(1, len(regions) - 1)]] += n
    units = {str(pk): (name, kind, represents) for pk, name, kind, represents in Organisation.objects.filter(
        pk__in={int(o) for o, _r in weights}).values_list("pk", "name", "kind", "represents_region")}
    region_names = dict(Region.objects.filter(code__in={r for _o, r in weights}).values_list("code", "name"))
    own = {o for orgs, _r, _n in grouped for o in orgs[:depth]}  # the bodies above: their own pairings
    kinds = dict(OrganisationKind.choices)
    flows: dict[tuple[str, str], int] = defaultdict(int)
    labels: dict[str, str] = {}
    for (org, region), n in weights.items():
        name, kind, represents = units.get(org, (org, "", True))
        source = f"o{org}" if represents or org in own else f"k{kind}"
        labels[source] = name if source.startswith("o") else str(kinds.get(kind, kind))
        flows[source, f"r{region}"] += n
    nodes = [{"name": key, "label": labels[key]} for key in sorted(labels, key=lambda k: (k[0] == "k", k))]
    nodes += [{"name": f"r{r}", "label": region_names.get(r, r), "code": r}
              for r in sorted({r for _o, r in weights}, key=lambda r: -sum(n for (_o, x), n in weights.items()
                                                                             if x == r))]
    links = [{"source": s, "target": t, "value": n} for (s, t), n in sorted(flows.items())]
    return {"id": "pairing-flows", "kind": "sankey", "title": _("Pairings in force: from helper to recipient"),
            "nodes": nodes, "links": links, "empty": not links, "unit": _("pairs")}


def charts(board: Board) -> dict:
    """Every chart of the page, by section, with the data its script draws."""
    out = {"trends": trend_charts(board)}
    out["child"] = rank_chart(board, "child-rank", child_title(board), board.child_regions, "child")
    out["categories"] = category_chart(board)
    out["states"] = state_chart(board)
    out["project_categories"] = project_category_chart(board)
    out["funnel"] = funnel_chart(board)
    out["monitoring"] = monitoring_chart(board)
    if board.provinces and board.provinces != board.child_regions:
        out["provinces"] = rank_chart(board, "province-rank", _("Recipient places by province"), board.provinces,
                                      "province")
    if board.flows is not None:
        for node in board.flows["nodes"]:
            if "code" in node:
                node["url"] = board.url(node["code"])
        out["flows"] = board.flows
    return out


def script_data(chart_sections: dict) -> dict:
    """What the page's script reads (json_script): the charts by id, and the words it shows."""
    found = {}
    for section in chart_sections.values():
        for chart in (section if isinstance(section, list) else [section]):
            if chart and not chart["empty"]:
                found[chart["id"]] = chart
    return {"charts": found, "labels": {"save": _("Save as image"), "noData": _("No data")}}
