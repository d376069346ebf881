"""The modules of the platform (DOMAIN.md) as the menu shows them: built ones link to their pages, the others to a page
that says what is coming. Each app registers its own modules (`core.registry.register_navigation`); the modules still
to come and core's own pages are declared here. `menu_for(user)` is what the base template draws (via the
`navigation` context processor).
"""

from dataclasses import dataclass, field

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from bangfu.core.registry import registry
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
    order: int = 0  # place in the menu

    @property
    def built(self) -> bool:
        return bool(self.url_name)

    @property
    def url(self) -> str:
        return reverse(self.url_name) if self.built else reverse("coming", args=[self.key])


# The modules whose apps are still to come; an app that arrives registers its own and its entry here goes.
COMING: list[Module] = [
    Module(
        "consumption", _("Consumption assistance"), "cart", WORK,
        summary=_("Selling the products of paired regions: catalogue, suppliers, channels and sales."),
        features=(
            _("The product catalogue, suppliers with a link to poor households, and certifications such as 圳品."),
            _("Supply bases and sales channels: centres, dedicated halls and counters, online shops, canteens."),
            _("Sales records (buyer, channel, amount, date) and sales per year and region."),
        ),
        order=90,
    ),
    Module(
        "industry", _("Industrial cooperation"), "factory", WORK,
        summary=_("Co-built industrial parks, enterprises brought in and the jobs they create."),
        features=(
            _("Co-built parks, enterprises brought in, investments agreed and in place, projects over 100 million "
              "yuan."),
            _("Jobs created and poor laborers employed."),
        ),
        order=110,
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
        order=120,
    ),
    Module(
        "reports", _("Reports"), "report", OVERSIGHT,
        summary=_("Reports and Excel files computed from the records, by region and year."),
        features=(
            _("Every figure declared once as an indicator and computed from records, never typed in."),
            _("The same figures in dashboards, reports, scorecards and the API."),
        ),
        order=130,
    ),
]

CORE: list[Module] = [
    Module("imports", _("Spreadsheet import"), "upload", SYSTEM, "import_index", "importbatch.change", order=900),
    Module("changelog", _("Change log"), "history", SYSTEM, "changelog_list", "changelog.view", order=910),
]


def modules() -> list[Module]:
    return sorted([*registry["navigation"], *COMING, *CORE], key=lambda m: m.order)


def module_by_key(key: str) -> Module | None:
    return next((m for m in modules() if m.key == key), None)


def menu_for(user) -> list[Module]:
    """The modules this user sees: built ones he may view, and every module still to come."""
    if not user.is_authenticated:
        return []
    return [m for m in modules() if not m.built or can(user, m.permission)]
