"""Figures of the funds chain, each a handful of aggregate queries over the rows a user may see (no per-row loop):
the summary of `GET /api/v1/funds/summary`, the yearly table, the tilt rules met or not, and supervision lists.
"""

from datetime import date, timedelta
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db.models import Count, Exists, F, OuterRef, Q, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from bangfu.core.money import ZERO, exact
from bangfu.funds.models import (
    SOCIAL_KINDS,
    Budget,
    Disbursement,
    KeyCounty,
    RuleKind,
    SourceKind,
    SourceTotal,
    TiltRule,
)
from bangfu.pairing.filters import Filter, rows
from bangfu.projects.models import Beneficiary, Category, Milestone, Project, State

DRAW_PAIRING = "budget__pairing_id"  # a disbursement names its pairing through its budget
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


def summary(user, f: Filter) -> dict:
    """fiscal, social, budgeted, disbursed, spent (Decimal yuan), projects, beneficiary_households."""
    sources = rows(SourceTotal, user).filter(f.q()).aggregate(
        fiscal=Sum("amount", filter=Q(kind=SourceKind.FISCAL)),
        social=Sum("amount", filter=Q(kind__in=SOCIAL_KINDS)))
    budgets = rows(Budget, user).filter(f.q()).aggregate(budgeted=Sum("amount"),
                                                                      disbursed=Sum("disbursed"))
    spent = rows(Disbursement, user).filter(f.q(pairing_field=DRAW_PAIRING), project__isnull=False).aggregate(
        spent=Sum("spent"))["spent"]
    projects = rows(Project, user).filter(f.q()).count()
    households = (rows(Beneficiary, user).filter(f.q(pairing_field="project__pairing_id"))
                  .values("household_id").distinct().count())
    return {
        "fiscal": exact(sources["fiscal"]), "social": exact(sources["social"]),
        "budgeted": exact(budgets["budgeted"]), "disbursed": exact(budgets["disbursed"]), "spent": exact(spent),
        "projects": projects, "beneficiary_households": households,
    }


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


def _category_totals(user, f: Filter) -> tuple[Decimal, Decimal, Decimal]:
    livelihood = livelihood_categories()
    totals = rows(Disbursement, user).filter(f.q(pairing_field=DRAW_PAIRING), project__isnull=False).aggregate(
        total=Sum("amount"), industry=Sum("amount", filter=Q(project__category=Category.INDUSTRY)),
        livelihood=Sum("amount", filter=Q(project__category__in=livelihood)))
    return exact(totals["total"]), exact(totals["industry"]), exact(totals["livelihood"])


def tilt(user, f: Filter, year: int) -> list[dict]:
    """Each tilt rule of the year, met or not, with the figures it was judged on."""
    rules = list(TiltRule.objects.filter(year=year))
    if not rules:
        return []
    this, last = f.other_year(year), f.other_year(year - 1)
    total, industry, livelihood = _category_totals(user, this)
    out = []
    for rule in rules:
        item = {"rule": rule.kind, "label": rule.get_kind_display(), "threshold": rule.threshold, "year": year}
        if rule.kind == RuleKind.INDUSTRY_SHARE:
            share = _share(industry, total)
            last_total, last_industry, _l = _category_totals(user, last)
            last_share = _share(last_industry, last_total)
            item.update(value=share, figures=_("industry %(part)s of %(whole)s yuan; last year %(last)s%%") % {
                "part": f"{industry:,.2f}", "whole": f"{total:,.2f}", "last": last_share if last_share is not None
                else "—"})
            item["met"] = share is not None and share >= (rule.threshold or 0) and (
                last_share is None or share >= last_share)
        elif rule.kind == RuleKind.LIVELIHOOD_SHARE:
            share = _share(livelihood, total)
            item.update(value=share, met=share is not None and share >= (rule.threshold or 0),
                        figures=_("livelihood %(part)s of %(whole)s yuan") % {
                            "part": f"{livelihood:,.2f}", "whole": f"{total:,.2f}"})
        elif rule.kind == RuleKind.KEY_COUNTY_SHARE:
            keys = KeyCounty.objects.filter(since__lte=year).values("region_id")
            qs = rows(Disbursement, user).filter(this.q(pairing_field=DRAW_PAIRING), parent__isnull=True)
            sums = qs.aggregate(total=Sum("amount"), key=Sum("amount", filter=Q(county_code__in=keys)))
            part, whole = exact(sums["key"]), exact(sums["total"])
            share = _share(part, whole)
            item.update(value=share, met=share is not None and share >= (rule.threshold or 0),
                        figures=_("key counties %(part)s of %(whole)s yuan") % {
                            "part": f"{part:,.2f}", "whole": f"{whole:,.2f}"})
        elif rule.kind == RuleKind.FISCAL_NOT_DECREASING:
            sums = rows(SourceTotal, user).filter(
                f.q(year_field=None), kind=SourceKind.FISCAL, year__in=[year, year - 1]).aggregate(
                now=Sum("amount", filter=Q(year=year)), before=Sum("amount", filter=Q(year=year - 1)))
            now, before = exact(sums["now"]), exact(sums["before"])
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
