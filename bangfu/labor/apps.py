from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from bangfu.core.navigation import WORK, Module
from bangfu.core.roles import HELPER_ROLES, READERS, RECIPIENT_ROLES

PERMISSIONS = {
    # Both sides record (the helper side its employers, postings, fairs and transfers).
    "labor.view": READERS,
    "labor.change": HELPER_ROLES | RECIPIENT_ROLES,
    "subsidy.view": READERS,
    "subsidy.change": HELPER_ROLES | RECIPIENT_ROLES,
}

MODULES = [
    Module(
        "labor", _("Labour cooperation"), "briefcase", WORK, "labor_home", "labor.view",
        summary=_("The closed loop of labour cooperation, from registering a laborer to stable work."),
        features=(
            _("Laborers from registered households, job postings, job fairs and labour service stations."),
            _("Every step dated: registered, matched, employed, kept in work, trained, returned home."),
            _("Local placement in assistance workshops and public-welfare jobs."),
            _("Counts of people employed this year, outside the province, and stably employed."),
        ),
        order=80,
    ),
]


class LaborConfig(AppConfig):
    name = "bangfu.labor"
    label = "labor"
    verbose_name = _("Labour cooperation")

    def ready(self):
        from bangfu.core.registry import register_entities, register_navigation, register_permissions, register_router
        from bangfu.labor.api import router
        from bangfu.labor.imports import ENTITIES, PLANS

        register_router("/labor", router)
        register_entities(ENTITIES, PLANS)
        register_permissions(PERMISSIONS)
        register_navigation(*MODULES)
