"""Figures of the funds chain, each a handful of aggregate queries over the rows a user may see (no per-row loop):
the summary of `GET /api/v1/funds/summary` and the tilt rules met or not, read from the indicators (`figure`,
`share`: funds/indicators.py, projects/indicators.py), the yearly table, the uses by category, and supervision
lists.
"""

from datetime import date, timedelta
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db.models import Count, Exists, F, OuterRef, Q, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from bangfu.core.indicators import ALL, Helper, derive, indicator, live
from bangfu.core.money import ZERO, exact
from bangfu.funds.models import (
    Budget,
    Disbursement,
    RuleKind,
    SourceTotal,
    TiltRule,
)
from bangfu.pairing.filters import Filter, rows
from bangfu.projects.models import Beneficiary, Category, Milestone, Project, State

DRAW_PAIRING = "budget__pairing_id"  # a disbursement names its pairing through its budget
# How the rows of an indicator's model name their pairing, where it is not their own `pairing_id`.
PAIRING_FIELDS = {Disbursement: DRAW_PAIRING, Beneficiary: "project__pairing_id"}
DEFAULT_LIVELIHOOD = ("education", "health", "housing", "water", "infrastructure", "employment")


def livelihood_categories() -> tuple[str, ...]:
    """民生 categories: the setting LIVELIHOOD_CATEGORIES (environment BANGFU_LIVELIHOOD_CATEGORIES), since the seeds do
    not define them. A code that is no project category is refused, not counted as zero."""
    categories = tuple(settings.LIVELIHOOD_CATEGORIES)
    unknown = [c for c in categories if c not in Category.values]
    if unknown:
        raise ImproperlyConfigured(
            f"BANGFU_LIVELIHOOD_CATEGORIES names {', '.join(unknown)}, which is no project category "
            f"(the categories are {', '.join(Category.values)})")
    return categories


def unspent_days() -> int:
    """The setting UNSPENT_DAYS (environment BANGFU_UNSPENT_DAYS): supervision's default age of unspent money."""
    return settings.UNSPENT_DAYS


def figure(code: str, user, f: Filter) -> Decimal:
    """An indicator (core.indicators) over the rows a user may see under the filter: its recipient region, helper and
    year are the indicator's region, helper and period, as the facts know them; its pairing and the user's scope
    narrow the rows the indicator is counted over."""
    found = indicator(code)
    pairing = Filter(pairing_id=f.pairing_id, nothing=f.nothing).q(
        year_field=None, pairing_field=PAIRING_FIELDS.get(found.model, "pairing_id"))
    return live(code, f.region_path or "", Helper(f.helper_path) if f.helper_path else None,
                str(f.year) if f.year else ALL, queryset=rows(found.model, user).filter(pairing))


def share(code: str, user, f: Filter, known: dict | None = None) -> tuple[Decimal | None, Decimal, Decimal]:
    """A share (a ratio indicator) under the filter, with its part and whole; `known` keeps the figures already
    counted for this filter (a tilt rule's whole is another's)."""
    known = {} if known is None else known
    found = indicator(code)
    part, whole = (known[p] if p in known else known.setdefault(p, figure(p, user, f)) for p in found.parts)
    return derive(found, part, whole), part, whole


def summary(user, f: Filter) -> dict:
    """fiscal, social, budgeted, disbursed, spent (Decimal yuan), projects, beneficiary_households."""
    money = {name: figure(f"funds.{name}", user, f) for name in ("fiscal", "social", "budgeted", "disbursed", "spent")}
    return {**money, "projects": int(figure("projects.count", user, f)),
            "beneficiary_households": int(figure("projects.beneficiary_households", user, f))}


def by_year(user, f: Filter) -> list[dict]:
    """One row per year: sources by kind, budgeted, disbursed, spent, projects (four grouped queries)."""
    table: dict[int, dict] = {}

    def row(year):
        return table.setdefault(year, {"year": year, "fiscal": ZERO, "social_cash": ZERO, "in_kind": ZERO,
                                      "budgeted": ZERO, "disbursed": ZERO, "spent": ZERO, "projects": 0})

    for year, kind, total in (rows(SourceTotal, user).filter(f.q()).order_by()
                              .values_list("year", "kind").annotate(s=Sum("amount"))):
        row(year)[kind] = exact(total)
    for year, budgeted, disbursed in (rows(Budget, user).filter(f.q()).order_by().values("year")
                                      .annotate(b=Sum("amount"), d=Sum("disbursed")).values_list("year", "b", "d")):
        row(year).update(budgeted=exact(budgeted), disbursed=exact(disbursed))
    draws = rows(Disbursement, user).filter(f.q(pairing_field=DRAW_PAIRING), project__isnull=False)
    for year, spent in draws.order_by().values("year").annotate(s=Sum("spent")).values_list("year", "s"):
        row(year)["spent"] = exact(spent)
    for year, n in (rows(Project, user).filter(f.q()).order_by().values("year")
                    .annotate(n=Count("pk")).values_list("year", "n")):
        row(year)["projects"] = n
    for r in table.values():
        r["social"] = r["social_cash"] + r["in_kind"]
        r["total"] = r["fiscal"] + r["social"]
    return sorted(table.values(), key=lambda r: r["year"], reverse=True)


def by_category(user, f: Filter) -> list[dict]:
    """Money passed on to projects, by project category (the use of funds)."""
    labels = dict(Category.choices)
    grouped = (rows(Disbursement, user).filter(f.q(pairing_field=DRAW_PAIRING), project__isnull=False).order_by()
            .values("project__category").annotate(amount=Sum("amount"), spent=Sum("spent"),
                                                 projects=Count("project", distinct=True)))
    return sorted(({"category": r["project__category"], "label": str(labels.get(r["project__category"], "")),
                    "amount": exact(r["amount"]), "spent": exact(r["spent"]), "projects": r["projects"]}
                   for r in grouped),
                  key=lambda r: -r["amount"])


def _share(part: Decimal, whole: Decimal) -> Decimal | None:
    return (100 * part / whole).quantize(Decimal("0.01")) if whole else None


def tilt(user, f: Filter, year: int) -> list[dict]:
    """Each tilt rule of the year, met or not, with the figures it was judged on (the funds indicators' shares)."""
    rules = list(TiltRule.objects.filter(year=year))
    if not rules:
        return []
    this, last = f.other_year(year), f.other_year(year - 1)
    known: dict = {}
    out = []
    for rule in rules:
        item = {"rule": rule.kind, "label": rule.get_kind_display(), "threshold": rule.threshold, "year": year}
        if rule.kind == RuleKind.INDUSTRY_SHARE:
            value, industry, total = share("funds.industry_share", user, this, known)
            last_share = share("funds.industry_share", user, last)[0]
            item.update(value=value, figures=_("industry %(part)s of %(whole)s yuan; last year %(last)s%%") % {
                "part": f"{industry:,.2f}", "whole": f"{total:,.2f}", "last": last_share if last_share is not None
                else "—"})
            item["met"] = value is not None and value >= (rule.threshold or 0) and (
                last_share is None or value >= last_share)
        elif rule.kind == RuleKind.LIVELIHOOD_SHARE:
            value, livelihood, total = share("funds.livelihood_share", user, this, known)
            item.update(value=value, met=value is not None and value >= (rule.threshold or 0),
                        figures=_("livelihood %(part)s of %(whole)s yuan") % {
                            "part": f"{livelihood:,.2f}", "whole": f"{total:,.2f}"})
        elif rule.kind == RuleKind.KEY_COUNTY_SHARE:
            value, part, whole = share("funds.key_county_share", user, this, known)
            item.update(value=value, met=value is not None and value >= (rule.threshold or 0),
                        figures=_("key counties %(part)s of %(whole)s yuan") % {
                            "part": f"{part:,.2f}", "whole": f"{whole:,.2f}"})
        elif rule.kind == RuleKind.FISCAL_NOT_DECREASING:
            now, before = figure("funds.fiscal", user, this), figure("funds.fiscal", user, last)
            item.update(value=_share(now - before, before) if before else None, met=now >= before,
                        figures=_("fiscal aid %(now)s yuan in %(year)s, %(before)s yuan the year before") % {
                            "now": f"{now:,.2f}", "year": year, "before": f"{before:,.2f}"})
        out.append(item)
    return out


def unspent(user, f: Filter, days: int | None = None, today: date | None = None):
    """Project disbursements older than `days` with money still unspent, oldest first (a queryset)."""
    days = unspent_days() if days is None else days
    cutoff = (today or timezone.localdate()) - timedelta(days=days)
    return (rows(Disbursement, user).filter(f.q(pairing_field=DRAW_PAIRING), project__isnull=False, paid_on__lt=cutoff,
                                                         spent__lt=F("amount"))
            .annotate(unspent=F("amount") - F("spent")).select_related("project", "region")
            .order_by("paid_on", "id"))


def behind(user, f: Filter, today: date | None = None):
    """Projects under way with a milestone past due and not done (a queryset)."""
    today = today or timezone.localdate()
    overdue = Milestone.objects.filter(project=OuterRef("pk"), due__lt=today, done_on__isnull=True)
    return (rows(Project, user).filter(f.q(), state__in=[State.FUNDED, State.IMPLEMENTING])
            .filter(Exists(overdue)).annotate(overdue=Count("milestones", filter=Q(
                milestones__due__lt=today, milestones__done_on__isnull=True)))
            .select_related("region").order_by("planned_end", "id"))
