"""The modules of the platform (DOMAIN.md) as the menu shows them: built ones link to their pages, the others to a page
that says what is coming. `menu_for(user)` is what the base template draws (via the `navigation` context processor).
"""

from dataclasses import dataclass, field

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from bangfu.core.roles import can

FOUNDATION = _("Pairing and places")
WORK = _("Assistance work")
OVERSIGHT = _("Oversight and disclosure")
SYSTEM = _("System")


@dataclass(frozen=True)
class Module:
    key: str
    label: str
    icon: str
    section: str
    url_name: str = ""  # empty for a module not built yet
    permission: str = ""  # the menu shows a built module only to users who may view it
    summary: str = ""
    features: tuple = field(default_factory=tuple)

    @property
    def built(self) -> bool:
        return bool(self.url_name)

    @property
    def url(self) -> str:
        return reverse(self.url_name) if self.built else reverse("coming", args=[self.key])


MODULES: list[Module] = [
    Module("pairing", _("Pairings"), "link", FOUNDATION, "pairing_list", "pairing.view"),
    Module("coverage", _("Coverage"), "target", FOUNDATION, "coverage", "pairing.view"),
    Module("regions", _("Regions"), "map", FOUNDATION, "region_tree", "region.view"),
    Module("organisations", _("Organisations"), "building", FOUNDATION, "organisation_list", "organisation.view"),
    Module(
        "funds", _("Funds"), "coin", WORK, "funds_overview", "fundsource.view",
        summary=_("The full chain of assistance funds: budget, disbursement, use, supervision and performance "
                  "evaluation."),
        features=(
            _("Fiscal aid by level (city, district) and social aid: cash donations and donations in kind valued in "
              "yuan."),
            _("Checks that nothing is disbursed beyond its budget or spent beyond what was disbursed; every yuan "
              "traces to a source, a pairing and, once spent, a project."),
            _("The yearly tilt rules as data: the share for industry, the share for national key counties, fiscal "
              "aid that does not decrease."),
            _("Amounts in exact yuan, shown in 元, 万元 and 亿元, and the disclosure of totals, sources, uses and "
              "plans."),
        ),
    ),
    Module(
        "projects", _("Projects"), "clipboard", WORK, "project_list", "project.view",
        summary=_("The project library and every project from the village's application to the assets it leaves."),
        features=(
            _("The library: the village applies, the township reviews, the county decides and enters the project."),
            _("Implementation with progress, completion, acceptance and the hand-over of assets, disclosed at each "
              "step; unfunded projects roll over to next year's library."),
            _("Categories (industry, employment, education, health, housing, drinking water, infrastructure…) and "
              "how farmers gain: wages, dividends, rent, purchases, public-welfare jobs."),
            _("The ledger of assets formed: operating, public-welfare and household assets, their owners, upkeep "
              "and income."),
        ),
    ),
    Module(
        "households", _("Households and monitoring"), "users", WORK, "household_list", "household.view",
        summary=_("The household registry and the dynamic monitoring that prevents a return to poverty."),
        features=(
            _("Households and their members, with resident ID numbers checked and masked by default; each "
              "unmasking is logged."),
            _("Yearly income by source and the per-capita net income, against the monitoring line of the province "
              "and year."),
            _("The three kinds of monitoring objects, found by self-report, cadre screening and alerts from other "
              "departments' data."),
            _("The identification and risk-elimination workflows: home visit, data cross-check, village review and "
              "publicity, township review, county approval; food, clothing, education, medical care, housing and "
              "drinking water secured."),
        ),
    ),
    Module(
        "labor", _("Labour cooperation"), "briefcase", WORK, "labor_home", "labor.view",
        summary=_("The closed loop of labour cooperation, from registering a laborer to stable work."),
        features=(
            _("Laborers from registered households, job postings, job fairs and labour service stations."),
            _("Every step dated: registered, matched, employed, kept in work, trained, returned home."),
            _("Local placement in assistance workshops and public-welfare jobs."),
            _("Counts of people employed this year, outside the province, and stably employed."),
        ),
    ),
    Module(
        "consumption", _("Consumption assistance"), "cart", WORK,
        summary=_("Selling the products of paired regions: catalogue, suppliers, channels and sales."),
        features=(
            _("The product catalogue, suppliers with a link to poor households, and certifications such as 圳品."),
            _("Supply bases and sales channels: centres, dedicated halls and counters, online shops, canteens."),
            _("Sales records (buyer, channel, amount, date) and sales per year and region."),
        ),
    ),
    Module(
        "talent", _("People sent and trained"), "school", WORK, "talent_home", "talent.view",
        summary=_("Cadres, professionals and first secretaries sent, and people of the recipient side trained."),
        features=(
            _("Cadres on secondment, teachers, doctors and agronomists, first secretaries and village work teams, "
              "with their units and periods."),
            _("People of the recipient side trained in the helper city."),
            _("Person-times per year by kind."),
        ),
    ),
    Module(
        "industry", _("Industrial cooperation"), "factory", WORK,
        summary=_("Co-built industrial parks, enterprises brought in and the jobs they create."),
        features=(
            _("Co-built parks, enterprises brought in, investments agreed and in place, projects over 100 million "
              "yuan."),
            _("Jobs created and poor laborers employed."),
        ),
    ),
    Module(
        "supervision", _("Supervision and assessment"), "flag", OVERSIGHT,
        summary=_("Yearly agreements with targets, supervision of lagging places, and the assessment."),
        features=(
            _("Yearly assistance agreements set targets per pairing; progress is tracked against them."),
            _("Supervision teams follow the indicators; counties and villages that lag are listed for supervision."),
            _("The East-West assessment grades each side 好, 较好, 一般 or 差, with indicator weights as "
              "configuration."),
        ),
    ),
    Module(
        "reports", _("Reports"), "report", OVERSIGHT,
        summary=_("Reports and Excel files computed from the records, by region and year."),
        features=(
            _("Every figure declared once as an indicator and computed from records, never typed in."),
            _("The same figures in dashboards, reports, scorecards and the API."),
        ),
    ),
    Module(
        "portal", _("Public disclosure"), "speakerphone", OVERSIGHT, "portal_index", "notice.view",
        summary=_("The public disclosure of funds and projects, without any personal data."),
        features=(
            _("Funds (total, source, use, plan) and projects (name, place, content, period, implementer, funds, "
              "targets) published."),
            _("County level and above on portals, kept long-term; townships and villages on bulletin boards for "
              "at least 10 days."),
            _("Never publishes ID numbers, phone numbers, bank accounts or health status."),
        ),
    ),
    Module("imports", _("Spreadsheet import"), "upload", SYSTEM, "import_index", "importbatch.change"),
    Module("changelog", _("Change log"), "history", SYSTEM, "changelog_list", "changelog.view"),
]

MODULES_BY_KEY = {m.key: m for m in MODULES}


def menu_for(user) -> list[Module]:
    """The modules this user sees: built ones he may view, and every module still to come."""
    if not user.is_authenticated:
        return []
    return [m for m in MODULES if not m.built or can(user, m.permission)]
