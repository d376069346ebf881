"""What a user may read of the indicators, and how: a region's figures (its subtree), a helper's (his side), or a
helper's within a region; periods and breakdowns (by child region, year or month). The API and the dashboards both
read through here, from the facts (core.facts)."""

from collections import defaultdict
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from decimal import Decimal

from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from bangfu.core import facts
from bangfu.core.indicators import ALL, Helper, catalogue, helper_places, indicator, read_live
from bangfu.core.scope import prefix_in, scope_of
from bangfu.core.services import invalid
from bangfu.regions.models import Level, Organisation, Region
from bangfu.regions.services import find_organisation

BREAKDOWNS = ("child", "year", "month")
ABOVE_VILLAGE_COUNTY = (Level.PROVINCE, Level.PREFECTURE, Level.COUNTY)
_live = ContextVar("live", default=False)


@contextmanager
def reading_live():
    """Inside, figures are computed from the records, not read from the facts (`bangfu bench indicators` compares)."""
    token = _live.set(True)
    try:
        yield
    finally:
        _live.reset(token)


@dataclass(frozen=True)
class View:
    """Whose figures: a region ("" for every recipient place) and a helper organisation (None for every helper)."""

    region: Region | None
    organisation: Organisation | None
    helper: Helper | None

    @property
    def region_path(self) -> str:
        return self.region.path if self.region else ""


def own_view(user) -> View:
    """A user's own figures: a helper's side, a recipient's region, everything for the coordination office's
    superiors (auditors, superusers)."""
    scope = scope_of(user)
    if scope.everything:
        return View(None, None, None)
    profile = user.profile
    if profile.organisation_id and scope.org_paths:
        return _helper_view(None, profile.organisation)
    if profile.region_id:
        return View(profile.region, None, None)
    raise Http404


def _helper_view(region, organisation) -> View:
    return View(region, organisation, Helper(organisation.path, helper_places(organisation.path)))


def view_for(user, region_code: str | None = None, helper_code: str | None = None) -> View:
    """The figures a user asked for, if he may read them, else 404 (as everywhere: out of scope is not found).

    A region in his scope gives its whole subtree; a region above the places a helper user helps gives his side of
    it (南山区 sees 广西 as what it helps there); a helper organisation in his own organisation's subtree gives that
    helper's side."""
    scope = scope_of(user)
    region = organisation = None
    if region_code:
        region = Region.objects.visible_to(user).filter(code=region_code.strip()).first()
        if region is None:
            raise Http404
    if helper_code:
        organisation = find_organisation(Organisation.objects.visible_to(user), helper_code)
        if organisation is None or not (scope.everything or scope.covers_org_path(organisation.path)):
            raise Http404
    if organisation is not None:
        return _helper_view(region, organisation)
    if region is None:
        if not scope.everything:
            return own_view(user)
        return View(None, None, None)
    if scope.covers_region_path(region.path):
        return View(region, None, None)
    own = user.profile.organisation if scope.org_paths else None
    if own is not None and any(p.startswith(region.path) for p in scope.region_paths):
        return _helper_view(region, own)
    raise Http404


def children(view: View) -> list[Region]:
    """The regions one level down: a region's children, or, for a helper's whole side, the recipient counties of his
    places (the places themselves where they are above county level); for everything, the provinces."""
    if view.region is not None:
        found = Region.objects.filter(parent=view.region)
        if view.helper is not None:
            found = [r for r in found if any(p.startswith(r.path) or r.path.startswith(p)
                                            for p in view.helper.places)]
        return sorted(found, key=lambda r: r.code)
    if view.helper is not None:
        return _counties_of(view.helper.places)
    return list(Region.objects.filter(level=Level.PROVINCE, parent__isnull=True).order_by("code"))


def _counties_of(places) -> list[Region]:
    """The counties a helper's places make up: the counties under a place above county level (汕尾市), the county
    of a place below it (a village), the place itself when it is a county."""
    counties = Region.objects.filter(level=Level.COUNTY).filter(prefix_in("path", places))
    below = Region.objects.filter(path__in=places).exclude(level__in=ABOVE_VILLAGE_COUNTY).values("county_code")
    return list((counties | Region.objects.filter(code__in=below)).distinct().order_by("code"))


def periods(year: int | None = None, first: int | None = None, last: int | None = None, by: str | None = None):
    """The periods asked for: one year, a range of years, the months of a year, or the whole record."""
    if by == "month":
        year = year or timezone.localdate().year
        return [f"{year:04d}-{m:02d}" for m in range(1, 13)]
    if first or last or by == "year":
        first = first or facts.years().start
        last = last or timezone.localdate().year
        if first > last:
            invalid("from", _("The first year %(first)s is after the last %(last)s.") % {"first": first,
                                                                                      "last": last})
        return [str(y) for y in range(first, last + 1)]
    return [str(year)] if year else [ALL]


def parse_codes(text: str) -> list[str]:
    codes = [c.strip() for c in (text or "").split(",") if c.strip()]
    if not codes:
        invalid("code", _("Give one or more indicator codes, separated by commas."))
    unknown = [c for c in codes if c not in catalogue()]
    if unknown:
        invalid("code", _("Unknown indicator %(codes)s.") % {"codes": ", ".join(unknown)})
    if len(codes) > 100:
        invalid("code", _("At most 100 indicators at a time."))
    return codes


def values(view: View, codes: list[str], period_list: list[str], by_child: bool = False,
           regions: list[Region] | None = None) -> list[dict]:
    """One item per indicator, region and period: {code, region, helper, period, value}; for the view's region, its
    children, or the given regions (read as the view reads them: a helper's side of each)."""
    if regions is None:
        regions = children(view) if by_child else [view.region]
    paths = [r.path if r is not None else "" for r in regions]
    found = (read_live if _live.get() else facts.read)(codes, paths, period_list, view.helper)
    helper_code = view.organisation.code if view.organisation is not None else None
    return [{"code": code, "region": region.code if region is not None else None, "helper": helper_code,
             "period": period, "value": found[code, path, period]}
            for code in codes for region, path in zip(regions, paths, strict=True) for period in period_list]


def own_level(view: View, codes: list[str], period_list: list[str], child_items: list[dict]) -> list[dict]:
    """What a region's children leave out: the records at the region itself (a pairing with a whole county, money
    paid to it, 本级), one item per indicator and period marked `own_level`, so that the children and the own level
    add up to the region. Defined for additive counted indicators; None for the others (a share, a distinct count
    that spans regions), whose children never add up."""
    whole = {(i["code"], i["period"]): i["value"] for i in values(view, codes, period_list)}
    below: dict[tuple, Decimal] = defaultdict(Decimal)
    for item in child_items:
        below[item["code"], item["period"]] += item["value"] or 0
    region = view.region.code if view.region is not None else None
    helper_code = view.organisation.code if view.organisation is not None else None
    items = []
    for code in codes:
        found = indicator(code)
        for period in period_list:
            total = whole[code, period]
            own = total - below[code, period] if total is not None and found.counted and found.additive else None
            items.append({"code": code, "region": region, "helper": helper_code, "period": period, "value": own,
                          "own_level": True})
    return items
