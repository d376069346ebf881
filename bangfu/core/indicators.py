"""The indicator layer (DESIGN.md principle 5): every figure of the platform is declared once, here as an
`Indicator`, by the app whose records it counts (its `indicators.py`, registered in `ready()`), and read through this
module: from the precomputed facts (`core.facts`) by dashboards and the API, or live from the records, for a user's
scope and filters the facts do not carry, by the summaries.

An indicator is either counted from records (`sum`, `count`, `distinct`) or derived from two others at reading time
(`ratio`: a share of one in another, `weighted_average`: a total divided by the weight it was summed over, such as
per-capita income = net income ÷ people counted). Counted indicators say which rows (`model`, `where`), what is
added up (`field`), and how a row falls in a year: `year` names a year or date field (flows: incomes of 2020,
laborers registered in 2020), `in_year(y)` gives the condition for year y (stocks and spells: households registered
by the end of y, jobs held at some time in y); `month` names a date field for monthly periods too.

Every counted row carries its region path, so a figure for a region is the sum of its children's: the facts are
computed at the rows' own regions and rolled up. `distinct` counts people or households, each of whom lives in one
place, so they add up over regions too; an indicator whose distinct things span regions (helpers over the places
they help) says `additive=False` and is counted in each region directly (only small tables).

How a helper organisation's figure is found: `helper="org"` for rows that carry the helper's organisation path (the
money of its pairings, its people sent); `helper="places"` for the rest, the rows of the places it is or was paired
with, as the summaries have always counted (`scope hook helper_places`).
"""

import dataclasses
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from functools import reduce
from operator import or_

from django.db.models import Count, F, Q, Sum
from django.db.models.functions import ExtractMonth, ExtractYear, Length, Substr

from bangfu.core.registry import registry
from bangfu.core.scope import prefix_in

AGGREGATIONS = ("sum", "count", "distinct", "ratio", "weighted_average")
COUNTED = ("sum", "count", "distinct")
ALL = "all"  # the period of the whole record: cumulative


@dataclass(frozen=True)
class Indicator:
    code: str  # app.name: funds.fiscal, labor.employed
    name: str  # Chinese, as pages show it
    name_en: str
    unit: str  # 元, 人, 户, 个, 人次, %
    aggregation: str
    higher_is_better: bool = True
    grain: str = "village"  # the deepest region its rows name: village, or county (money, agreements)
    # Counted from records.
    model: type | None = None
    field: object = "pk"  # what `sum` adds (a field or an expression) and `distinct` counts
    where: Q | Callable[[], Q] = dataclasses.field(default_factory=Q)  # a callable for conditions on today's date
    year: str | None = None  # a year or date field (through relations with __)
    in_year: Callable[[int], Q] | None = None
    month: str | None = None  # a date field: monthly periods too
    helper: str = "places"  # "org" or "places" (module docstring)
    # For a model that names its region and organisation through relations (a pairing: its recipient region's path
    # and its helper's): region_path / org_path as the lookups that give them.
    paths: dict = dataclasses.field(default_factory=dict)
    additive: bool = True
    cumulative: bool = True  # False where a total over all years means nothing (an income, a share of a year's)
    daily: bool = False  # its value moves with the date alone (stable since six months, overdue): recomputed daily
    # Derived: the two indicators it is read from, and the factor (100 for a percentage).
    parts: tuple[str, str] = ()
    scale: int = 1
    decimals: int = 2
    # The records behind the figure: f(region code, year or None) → the URL of their list, filtered.
    records: Callable | None = None

    def __post_init__(self):
        if self.aggregation not in AGGREGATIONS:
            raise ValueError(f"{self.code}: aggregation {self.aggregation!r} is not one of {AGGREGATIONS}")
        derived = self.aggregation not in COUNTED
        if derived != bool(self.parts) or derived == (self.model is not None):
            raise ValueError(f"{self.code}: a {self.aggregation} indicator is "
                             + ("derived from two parts" if derived else "counted from a model"))
        if self.helper not in ("org", "places"):
            raise ValueError(f"{self.code}: helper is 'org' or 'places'")

    @property
    def counted(self) -> bool:
        return self.aggregation in COUNTED

    @property
    def grain_label(self) -> str:
        return self.grain + ("/year/month" if self.month else "/year" if self.yearly else "")

    @property
    def changes_daily(self) -> bool:
        return self.daily or callable(self.where)

    @property
    def yearly(self) -> bool:
        return bool(self.year or self.in_year) or (not self.counted and all(indicator(p).yearly for p in self.parts))

    @property
    def monthly(self) -> bool:
        return bool(self.month) or (not self.counted and all(indicator(p).monthly for p in self.parts))

    @property
    def whole(self) -> bool:
        """Whether the indicator has a value for the whole record (period "all")."""
        return self.cumulative and (self.counted or all(indicator(p).whole for p in self.parts))

    def has_period(self, period: str) -> bool:
        if period == ALL:
            return self.whole
        return self.monthly if "-" in period else self.yearly

    def aggregate(self, condition: Q | None = None):
        """The SQL aggregate of one group of rows, restricted to `condition` (a year's) if given."""
        if self.aggregation == "sum":
            return Sum(self.field, filter=condition)
        if self.aggregation == "distinct":
            return Count(self.field, distinct=True, filter=condition)
        return Count("pk", filter=condition)

    def rows(self, queryset=None):
        queryset = self.model.objects.all() if queryset is None else queryset
        if self.paths:
            queryset = queryset.annotate(**{name: F(lookup) for name, lookup in self.paths.items()})
        return queryset.filter(self.where() if callable(self.where) else self.where).order_by()

    def period_q(self, period: str) -> Q:
        """The rows of a period: "all", "2020" or "2020-03"."""
        if period == ALL:
            return Q()
        year, _sep, month = period.partition("-")
        if month:
            return Q(**{f"{self.month}__year": int(year), f"{self.month}__month": int(month)})
        if self.year:
            return Q(**{self.year_lookup: int(year)})
        return self.in_year(int(year))

    @property
    def year_lookup(self) -> str:
        """`year` as a lookup giving the year: a date field's __year, or the year field itself."""
        return self.year if self.year_is_number else f"{self.year}__year"

    @property
    def year_is_number(self) -> bool:
        return _field_type(self.model, self.year) in ("PositiveSmallIntegerField", "IntegerField",
                                                      "SmallIntegerField", "PositiveIntegerField")

    def year_expression(self):
        return F(self.year) if self.year_is_number else ExtractYear(self.year)

    def month_expressions(self) -> tuple:
        return ExtractYear(self.month), ExtractMonth(self.month)


def _field_type(model, path: str) -> str:
    """The internal type of a field named through relations (`course__start`)."""
    *relations, name = path.split("__")
    for relation in relations:
        model = model._meta.get_field(relation).related_model
    return model._meta.get_field(name).get_internal_type()


def register_indicators(*indicators: Indicator) -> None:
    for indicator in indicators:
        if indicator.code in registry["indicators"]:
            raise ValueError(f"indicator {indicator.code} is declared twice")
        registry["indicators"][indicator.code] = indicator


def catalogue() -> dict[str, Indicator]:
    """Every declared indicator by code, in declaration order."""
    return registry["indicators"]


def indicator(code: str) -> Indicator:
    return registry["indicators"][code]


def counted_codes(codes) -> list[str]:
    """The counted indicators the given ones need: themselves, or their parts (derived ones)."""
    needed: list[str] = []
    for code in codes:
        found = indicator(code)
        for part in (found.parts if not found.counted else (code,)):
            if part not in needed:
                needed.append(part)
    return needed


def derive(found: Indicator, numerator: Decimal | None, denominator: Decimal | None) -> Decimal | None:
    """A derived indicator's value from its parts: none where there is nothing to divide by."""
    if not denominator:
        return None
    quantum = Decimal(1).scaleb(-found.decimals)
    return (Decimal(found.scale) * (numerator or 0) / denominator).quantize(quantum)


@dataclass(frozen=True)
class Helper:
    """A helper organisation as indicators see it: its path, and the recipient places it is or was paired with."""

    path: str
    places: tuple[str, ...] = ()


def helper_places(org_path: str) -> tuple[str, ...]:
    """The region paths of the places a helper organisation's subtree is or was paired with (collapsed)."""
    hook = registry["scope_hooks"].get("helper_places")
    return tuple(hook(org_path)) if hook else ()


def helper(org_path: str) -> Helper:
    return Helper(org_path, helper_places(org_path))


def covered(region_path: str, places: tuple[str, ...]) -> list[str]:
    """The parts of a region that lie in a helper's places: the region itself inside one, else the places inside it."""
    if any(region_path.startswith(p) for p in places):
        return [region_path]
    return [p for p in places if p.startswith(region_path)]


def narrowed(rows, mode: str, region_path: str, helper: Helper | None):
    """The rows of a region's subtree ("" for all) on a helper's side: the rows of his organisation's subtree
    (`helper="org"`), or of his places inside the region (`"places"`)."""
    if region_path:
        rows = rows.filter(region_path__startswith=region_path)
    if helper is None:
        return rows
    if mode == "org":
        return rows.filter(org_path__startswith=helper.path)
    return rows.filter(prefix_in("region_path", covered(region_path, helper.places)))


def live(code: str, region_path: str = "", helper: Helper | None = None, period: str = ALL, queryset=None,
         user=None) -> Decimal | None:
    """An indicator computed from the records now, without the facts: for a region's subtree, a helper's side and
    a period; over `queryset` (a model's rows narrowed further: a pairing's, an active pairing's) or the rows `user`
    may see (None: every row)."""
    found = indicator(code)
    if not found.has_period(period):
        return None
    if not found.counted:
        top, bottom = (live(part, region_path, helper, period, user=user) for part in found.parts)
        return derive(found, top, bottom)
    if queryset is None:
        queryset = found.model.objects.visible_to(user) if user is not None else found.model.objects.all()
    rows = narrowed(found.rows(queryset).filter(found.period_q(period)), found.helper, region_path, helper)
    value = rows.aggregate(v=found.aggregate())["v"]
    return Decimal(value or 0).quantize(Decimal("0.01"))


def read_live(codes, regions: list[str], periods: list[str], helper: Helper | None = None) -> dict[tuple, Decimal]:
    """What `core.facts.read` gives, computed from the records instead (`live_many`: one query per model and region):
    the benchmark's comparison of the dashboards with and without the facts."""
    out = {}
    for region in regions:
        values = live_many(codes, region, helper, periods)
        out.update({(code, region, period): value for (code, period), value in values.items()})
    return out


def live_by_region(code: str, length: int, periods: list[str], helper: Helper | None = None) -> dict[str, dict]:
    """A counted indicator computed from the records for every region whose path is `length` characters long (0:
    the whole tree), one query: {region path: {period: value}}. The facts' check (and the benchmark's "live"): the
    same figures as the facts, grouped by the database instead of rolled up."""
    found = indicator(code)
    rows = found.rows()
    rows = narrowed(rows, found.helper, "", helper)
    if length:
        rows = rows.alias(n=Length("region_path")).filter(n__gte=length).annotate(
            node=Substr("region_path", 1, length))
    else:
        rows = rows.annotate(node=Substr("region_path", 1, 0))
    wanted = [p for p in periods if found.has_period(p)]
    columns = {f"p{i}": found.aggregate(found.period_q(p) if p != ALL else None) for i, p in enumerate(wanted)}
    out: dict[str, dict] = {}
    for node, *values in rows.values("node").annotate(**columns).values_list("node", *columns):
        out[node] = {p: Decimal(v or 0).quantize(Decimal("0.01")) for p, v in zip(wanted, values, strict=True)}
    return out


def live_many(codes, region_path: str = "", helper: Helper | None = None, periods=(ALL,), user=None
              ) -> dict[tuple[str, str], Decimal | None]:
    """{(code, period): value} for several indicators and periods, each as `live` gives it, in one query per model
    and helper mode: each counted indicator's condition and period filter its own aggregate over the rows they
    share (a summary of ten figures over five tables takes five queries, not ten)."""
    codes, periods = list(codes), list(periods)
    groups: dict[tuple, list[Indicator]] = {}
    for code in counted_codes(codes):
        found = indicator(code)
        groups.setdefault((found.model, found.helper), []).append(found)
    counted: dict[tuple[str, str], Decimal] = {}
    for (model, mode), members in groups.items():
        wanted = {f"v{i}": pair for i, pair in enumerate(
            (found, period) for found in members for period in periods if found.has_period(period))}
        if not wanted:
            continue
        conditions = {name: (found.where() if callable(found.where) else found.where) & found.period_q(period)
                      for name, (found, period) in wanted.items()}
        rows = model.objects.visible_to(user) if user is not None else model.objects.all()
        if members[0].paths:
            rows = rows.annotate(**{name: F(lookup) for name, lookup in members[0].paths.items()})
        rows = narrowed(rows, mode, region_path, helper)
        if all(conditions.values()):  # only the rows some figure counts: an index on the conditions may serve
            rows = rows.filter(reduce(or_, conditions.values()))
        result = rows.order_by().aggregate(**{name: wanted[name][0].aggregate(condition)
                                              for name, condition in conditions.items()})
        counted.update({(found.code, period): Decimal(result[name] or 0).quantize(Decimal("0.01"))
                        for name, (found, period) in wanted.items()})
    out: dict[tuple[str, str], Decimal | None] = {}
    for code in codes:
        found = indicator(code)
        for period in periods:
            if not found.has_period(period):
                out[code, period] = None
            elif found.counted:
                out[code, period] = counted[code, period]
            else:
                top, bottom = (counted.get((part, period)) for part in found.parts)
                out[code, period] = derive(found, top, bottom)
    return out
