"""What a dashboard shows: the indicator codes of each card and chart. The codes are declared by the apps
(`indicators.py`); a code the catalogue does not hold (an app not installed, an indicator not yet declared) is left
out of the page, so that the layout can name the whole platform's figures."""

from django.utils.translation import gettext_lazy as _

from bangfu.core.indicators import catalogue
from bangfu.households.models import MonitoringCategory
from bangfu.projects.models import LIFECYCLE, Category, State

# The headline figures, as cards: value, change on last year, the records behind it.
CARDS = [
    "households.registered", "households.people", "households.per_capita_income", "households.monitored",
    "households.risk_eliminated", "households.open_clues",
    "funds.fiscal", "funds.social", "funds.spent", "projects.count", "labor.employed", "talent.sent",
]

# Trend lines over the years, one chart each; only indicators with yearly values are drawn.
TRENDS = [
    (_("Per-capita net income"), ["households.per_capita_income", "households.labour_per_capita_income"]),
    (_("Funds"), ["funds.fiscal", "funds.social", "funds.budgeted", "funds.disbursed", "funds.spent"]),
    (_("Labour cooperation"), ["labor.registered", "labor.employed", "labor.employed_in_helper_city",
                               "labor.stable", "labor.returned", "labor.replaced", "labor.trainees"]),
    (_("Projects and people sent"), ["projects.count", "projects.beneficiary_households", "talent.sent",
                                     "talent.trained"]),
]

# The figures compared between child regions (the ranked bars offer each; the table shows them all).
CHILD_METRICS = [
    "households.registered", "households.people", "households.monitored", "households.per_capita_income",
    "households.risk_open", "labor.employed", "labor.stable", "funds.spent", "funds.fiscal", "projects.count",
    "pairing.pairings",
]

# The labour loop: registered → employed → stable, then who returned home and who was placed again.
FUNNEL = ["labor.registered", "labor.employed", "labor.stable"]
LABOUR_AFTER = ["labor.returned", "labor.replaced", "labor.employed_in_helper_city", "labor.trainees",
                "labor.stable_share"]

# Monitoring: monitored households by kind, and how their risk and the cases stand.
MONITORED_KINDS = [(f"households.monitored_{kind}", label) for kind, label in MonitoringCategory.choices]
MONITORING_AFTER = ["households.risk_eliminated", "households.risk_open", "households.open_clues",
                    "households.overdue_cases", "households.lifted", "households.lifted_people"]

FUNDS_BY_CATEGORY = [(f"funds.to_category_{c}", label) for c, label in Category.choices]
FUNDS_AFTER = ["funds.to_projects", "funds.unspent", "funds.industry_share", "funds.livelihood_share"]
PROJECTS_BY_STATE = [(f"projects.state_{s}", State(s).label) for s in
                     [*LIFECYCLE, *(s for s in State.values if s not in LIFECYCLE)]]
PROJECTS_BY_CATEGORY = [(f"projects.category_{c}", label) for c, label in Category.choices]

# Every figure of the dashboards, in the order the export lists them.
ALL = [
    "households.registered", "households.lifted", "households.people", "households.lifted_people",
    "households.monitored", *(code for code, _label in MONITORED_KINDS), "households.risk_eliminated",
    "households.risk_open", "households.open_clues", "households.overdue_cases", "households.per_capita_income",
    "households.labour_per_capita_income",
    "labor.registered", "labor.employed", "labor.employed_in_helper_city", "labor.stable", "labor.returned",
    "labor.replaced", "labor.trainees", "labor.stable_share", "talent.sent", "talent.trained",
    "funds.fiscal", "funds.social", "funds.budgeted", "funds.disbursed", "funds.spent", "funds.unspent",
    "funds.to_projects", *(code for code, _label in FUNDS_BY_CATEGORY), "funds.industry_share",
    "funds.livelihood_share",
    "projects.count", *(code for code, _label in PROJECTS_BY_STATE), *(code for code, _label in PROJECTS_BY_CATEGORY),
    "projects.beneficiary_households", "pairing.pairings", "pairing.recipient_counties",
]


def present(codes) -> list[str]:
    """The codes the catalogue holds, in their order."""
    known = catalogue()
    return [code for code in codes if code in known]


def present_pairs(pairs) -> list[tuple[str, str]]:
    known = catalogue()
    return [(code, label) for code, label in pairs if code in known]
