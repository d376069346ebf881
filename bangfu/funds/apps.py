from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from bangfu.core.navigation import WORK, Module
from bangfu.core.roles import HELPER_ROLES, Role, grant

PERMISSIONS = {**grant("fundsource", "budget", change=HELPER_ROLES),
               **grant("disbursement", change=HELPER_ROLES | {Role.COUNTY}),
               **grant("expenditure", change=HELPER_ROLES | {Role.COUNTY, Role.TOWNSHIP}),
               **grant("tiltrule", change={Role.COORDINATION})}


class FundsConfig(AppConfig):
    name = "bangfu.funds"
    label = "funds"
    verbose_name = _("Funds")

    def ready(self):
        from bangfu.core.registry import register_app
        from bangfu.funds.api import router
        from bangfu.funds.imports import ENTITIES, PLANS
        from bangfu.funds.indicators import INDICATORS
        from bangfu.funds.services import RULES

        register_app(routers={"/funds": router}, entities=ENTITIES, plans=PLANS, permissions=PERMISSIONS, rules=RULES,
                     navigation=[Module("funds", _("Funds"), "coin", WORK, "funds_overview", "fundsource.view",
                                        order=50)],
                     indicators=INDICATORS)
