from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from bangfu.core.navigation import WORK, Module
from bangfu.core.roles import HELPER_ROLES, READERS, Role

PERMISSIONS = {
    "talent.view": READERS,
    "talent.change": HELPER_ROLES | {Role.COUNTY},
}

MODULES = [
    Module(
        "talent", _("People sent and trained"), "school", WORK, "talent_home", "talent.view",
        summary=_("Cadres, professionals and first secretaries sent, and people of the recipient side trained."),
        features=(
            _("Cadres on secondment, teachers, doctors and agronomists, first secretaries and village work teams, "
              "with their units and periods."),
            _("People of the recipient side trained in the helper city."),
            _("Person-times per year by kind."),
        ),
        order=100,
    ),
]


class TalentConfig(AppConfig):
    name = "bangfu.talent"
    label = "talent"
    verbose_name = _("People sent and trained")

    def ready(self):
        from bangfu.core.registry import register_entities, register_navigation, register_permissions, register_router
        from bangfu.talent.api import router
        from bangfu.talent.imports import ENTITIES, PLANS

        register_router("/talent", router)
        register_entities(ENTITIES, PLANS)
        register_permissions(PERMISSIONS)
        register_navigation(*MODULES)
