from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from bangfu.core.navigation import WORK, Module
from bangfu.core.roles import HELPER_ROLES, READERS, RECIPIENT_ROLES, Role

PERMISSIONS = {
    "project.view": READERS,
    "project.change": HELPER_ROLES | RECIPIENT_ROLES,
    "beneficiary.view": READERS,
    "beneficiary.change": RECIPIENT_ROLES,
    "asset.view": READERS,
    "asset.change": {Role.COUNTY, Role.TOWNSHIP},
}

MODULES = [
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
        order=60,
    ),
]


class ProjectsConfig(AppConfig):
    name = "bangfu.projects"
    label = "projects"
    verbose_name = _("Projects")

    def ready(self):
        from bangfu.core.registry import register_entities, register_navigation, register_permissions, register_router
        from bangfu.projects.api import assets, projects
        from bangfu.projects.imports import ENTITIES, PLANS

        register_router("/projects", projects)
        register_router("/assets", assets)
        register_entities(ENTITIES, PLANS)
        register_permissions(PERMISSIONS)
        register_navigation(*MODULES)
