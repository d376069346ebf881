"""The funds chain's indicators (core.indicators): money in by source, budgeted, disbursed, passed on to projects
(by category), spent and unspent, and the tilt rules' shares (倾斜要求) as `figures.tilt` judges them.

Every row carries the helper organisation of its pairing (`helper="org"`): a helper's figure is the money of his
own pairings. A row's year is its budget's year (money in: the year it came in for). Sources are counted from their
totals per pairing, year and kind (`SourceTotal`, kept by the service in the same transaction), the disbursed money
from the budgets' counters, what was spent from the project disbursements' counters, as the summary always has.
"""

from django.db.models import Exists, F, OuterRef, Q

from bangfu.core.indicators import Indicator
from bangfu.funds.figures import livelihood_categories
from bangfu.funds.models import SOCIAL_KINDS, Budget, Disbursement, KeyCounty, SourceKind, SourceTotal
from bangfu.pairing.filters import records_url
from bangfu.projects.indicators import CATEGORY_NAMES
from bangfu.projects.models import Category

TO_PROJECTS = Q(project__isnull=False)
TO_REGIONS = Q(parent__isnull=True)


def _livelihood() -> Q:
    """Passed on to 民生 projects: the categories of the setting, read when counted."""
    return Q(project__isnull=False, project__category__in=livelihood_categories())


def _to_key_counties() -> Q:
    """Disbursed to a region of a county that was a national key county in the disbursement's year."""
    key = KeyCounty.objects.filter(region_id=OuterRef("county_code"), since__lte=OuterRef("year"))
    return TO_REGIONS & Q(Exists(key))


def _money(code, name, name_en, model, where=None, field="amount", **kw) -> Indicator:
    return Indicator(code, name, name_en, "元", "sum", model=model, field=field, where=where or Q(), year="year",
                     helper="org", **kw)


def _drawn(code, name, name_en, where, to="project", field="amount", **kw) -> Indicator:
    """Money of the disbursements (to projects, or to regions), listed on the disbursements page."""
    return _money(code, name, name_en, Disbursement, where, field, records=records_url("disbursement_list", to=to),
                  **kw)


def _share(code, name, name_en, part: str, whole: str) -> Indicator:
    return Indicator(code, name, name_en, "%", "ratio", parts=(part, whole), scale=100)


INDICATORS = [
    _money("funds.fiscal", "财政帮扶资金", "Fiscal aid", SourceTotal, Q(kind=SourceKind.FISCAL),
           records=records_url("fundsource_list", kind=SourceKind.FISCAL)),
    _money("funds.social", "社会帮扶资金", "Social aid (cash and in kind)", SourceTotal, Q(kind__in=SOCIAL_KINDS),
           records=records_url("fundsource_list")),
    _money("funds.budgeted", "预算资金", "Budgeted", Budget, records=records_url("budget_list")),
    _money("funds.disbursed", "已拨付资金", "Disbursed", Budget, field="disbursed",
           records=records_url("budget_list")),
    _drawn("funds.to_regions", "拨付到地区资金", "Disbursed to regions", TO_REGIONS, "region"),
    _drawn("funds.to_key_counties", "拨付到重点帮扶县资金", "Disbursed to national key counties", _to_key_counties,
           "region"),
    _drawn("funds.to_projects", "拨付到项目资金", "Passed on to projects", TO_PROJECTS),
    _money("funds.spent", "已使用资金", "Spent", Disbursement, TO_PROJECTS, field="spent",
           records=records_url("expenditure_list")),
    _drawn("funds.unspent", "项目未使用资金", "Passed on to projects, not spent", TO_PROJECTS,
           field=F("amount") - F("spent"), higher_is_better=False),
    *(_drawn(f"funds.to_category_{category.value}", f"{CATEGORY_NAMES[category]}项目资金",
             f"Passed on to projects: {category.value}", Q(project__category=category.value))
      for category in Category),
    _drawn("funds.to_livelihood", "民生项目资金", "Passed on to livelihood projects", _livelihood),
    _share("funds.industry_share", "产业项目资金占比", "Share of project funds for industry",
           "funds.to_category_industry", "funds.to_projects"),
    _share("funds.livelihood_share", "民生项目资金占比", "Share of project funds for livelihood",
           "funds.to_livelihood", "funds.to_projects"),
    _share("funds.key_county_share", "重点帮扶县资金占比", "Share of disbursed funds to national key counties",
           "funds.to_key_counties", "funds.to_regions"),
]
