from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from bangfu.core.navigation import WORK, Module
from bangfu.core.roles import RECIPIENT_ROLES, Role, grant

PERMISSIONS = {**grant("household", "member", "clue", change=RECIPIENT_ROLES),
               **grant("monitoringline", change={Role.COORDINATION})}
MODULES = [Module("households", _("Households and monitoring"), "users", WORK, "household_list", "household.view",
                  order=70)]


class HouseholdsConfig(AppConfig):
    name = "bangfu.households"
    label = "households"
    verbose_name = _("Households and monitoring")

    def ready(self):
        from bangfu.core.registry import register_app, register_choice_aliases
        from bangfu.households.api.routes import clues, households, members, monitoring_lines
        from bangfu.households.imports import ENTITIES, PLANS
        from bangfu.households.indicators import INDICATORS
        from bangfu.households.services import RULES
        from bangfu.households.validation import ALIASES
        from bangfu.households.workflow import RULES as WORKFLOW_RULES

        register_app(routers={"/households": households, "/members": members, "/monitoring-lines": monitoring_lines,
                              "/clues": clues},
                     entities=ENTITIES, plans=PLANS, permissions=PERMISSIONS, rules={**RULES, **WORKFLOW_RULES},
                     navigation=MODULES, indicators=INDICATORS)
        register_choice_aliases(ALIASES)
