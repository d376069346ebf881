"""The indicators in the API: the catalogue, and values for a region or a helper by period, child, year or month."""

from decimal import Decimal

from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema

from bangfu.core import facts
from bangfu.core.api import Year
from bangfu.core.indicators import catalogue
from bangfu.core.services import invalid
from bangfu.dashboards import figures

router = Router(tags=["indicators"])


class IndicatorOut(Schema):
    code: str
    name: str
    name_en: str
    unit: str
    direction: str = Field(description="up: higher is better; down: lower is better")
    aggregation: str = Field(description="sum, count, distinct, ratio or weighted_average")
    grain: str = Field(description="the finest region and periods: village or county; /year, /month")
    parts: list[str] = Field(description="the two indicators a ratio or weighted average is read from")


class CatalogueOut(Schema):
    count: int
    items: list[IndicatorOut]


class ValueOut(Schema):
    code: str
    region: str | None = Field(description="region code; null: every recipient place in scope")
    helper: str | None = Field(description="helper organisation code; null: every helper")
    period: str = Field(description="all (the whole record), a year (2020) or a month (2020-03)")
    value: Decimal | None = Field(description="null where the indicator has no value for the period")
    own_level: bool = Field(False, description="by=child: the records at the region itself, in none of its children "
                                               "(本级); the children and this item add up to the region")


class ValuesOut(Schema):
    count: int
    items: list[ValueOut]


class ValuesQuery(Schema):
    code: str = Field(description="indicator codes, comma-separated")
    region: str | None = None
    helper: str | None = None
    year: Year | None = None
    first: Year | None = Field(None, alias="from")
    last: Year | None = Field(None, alias="to")
    by: str | None = Field(None, description="child, year or month")


@router.get("", response=CatalogueOut)
def list_indicators(request):
    """Every indicator the platform computes."""
    items = [{"code": i.code, "name": i.name, "name_en": i.name_en, "unit": i.unit,
              "direction": "up" if i.higher_is_better else "down", "aggregation": i.aggregation,
              "grain": i.grain_label, "parts": list(i.parts)} for i in catalogue().values()]
    return {"count": len(items), "items": items}


@router.get("/values", response=ValuesOut)
def indicator_values(request, query: Query[ValuesQuery]):
    """Values from the precomputed facts: for a region's subtree or a helper's side (both: the helper's side in the
    region), for the whole record, a year, or a range of years (from, to); by child region (with one more item per
    figure for the records at the region itself, `own_level`), year or month."""
    if query.by is not None and query.by not in figures.BREAKDOWNS:
        invalid("by", _("by is one of child, year, month."))
    if query.year and (query.first or query.last):
        invalid("year", _("Give year, or from and to, not both."))
    codes = figures.parse_codes(query.code)
    facts.queue_daily_if_due()
    view = figures.view_for(request.user, query.region, query.helper)
    periods = figures.periods(query.year, query.first, query.last, query.by)
    items = figures.values(view, codes, periods, by_child=query.by == "child")
    if query.by == "child":
        items += figures.own_level(view, codes, periods, items)
    return {"count": len(items), "items": items}
