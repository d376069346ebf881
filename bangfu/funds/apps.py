from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from bangfu.core.navigation import WORK, Module
from bangfu.core.roles import HELPER_ROLES, READERS, Role

PERMISSIONS = {
    "fundsource.view": READERS,
    "fundsource.change": HELPER_ROLES,
    "budget.view": READERS,
    "budget.change": HELPER_ROLES,
    "disbursement.view": READERS,
    "disbursement.change": HELPER_ROLES | {Role.COUNTY},
    "expenditure.view": READERS,
    "expenditure.change": HELPER_ROLES | {Role.COUNTY, Role.TOWNSHIP},
    "tiltrule.view": READERS,
    "tiltrule.change": {Role.COORDINATION},
}

MODULES = [
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
        order=50,
    ),
]


class FundsConfig(AppConfig):
    name = "bangfu.funds"
    label = "funds"
    verbose_name = _("Funds")

    def ready(self):
        from bangfu.core.registry import register_entities, register_navigation, register_permissions, register_router
        from bangfu.funds.api import router
        from bangfu.funds.imports import ENTITIES, PLANS

        register_router("/funds", router)
        register_entities(ENTITIES, PLANS)
        register_permissions(PERMISSIONS)
        register_navigation(*MODULES)
