from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from bangfu.core.navigation import WORK, Module
from bangfu.core.roles import READERS, RECIPIENT_ROLES, Role

PERMISSIONS = {
    "household.view": READERS,
    "household.change": RECIPIENT_ROLES,
    "member.view": READERS,
    "member.change": RECIPIENT_ROLES,
    "clue.view": READERS,
    "clue.change": RECIPIENT_ROLES,
    "monitoringline.view": READERS,
    "monitoringline.change": {Role.COORDINATION},
}

MODULES = [
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
        order=70,
    ),
]


class HouseholdsConfig(AppConfig):
    name = "bangfu.households"
    label = "households"
    verbose_name = _("Households and monitoring")

    def ready(self):
        from bangfu.core.registry import (
            register_choice_aliases,
            register_entities,
            register_navigation,
            register_permissions,
            register_router,
        )
        from bangfu.households.api.routes import clues, households, members, monitoring_lines
        from bangfu.households.imports import ENTITIES, PLANS
        from bangfu.households.validation import ALIASES

        register_router("/households", households)
        register_router("/members", members)
        register_router("/monitoring-lines", monitoring_lines)
        register_router("/clues", clues)
        register_entities(ENTITIES, PLANS)
        register_permissions(PERMISSIONS)
        register_navigation(*MODULES)
        register_choice_aliases(ALIASES)
