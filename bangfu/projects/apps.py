from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from bangfu.core.navigation import WORK, Module
from bangfu.core.roles import HELPER_ROLES, RECIPIENT_ROLES, Role, grant

PERMISSIONS = {**grant("project", change=HELPER_ROLES | RECIPIENT_ROLES),
               **grant("beneficiary", change=RECIPIENT_ROLES), **grant("asset", change={Role.COUNTY, Role.TOWNSHIP})}


class ProjectsConfig(AppConfig):
    name = "bangfu.projects"
    label = "projects"
    verbose_name = _("Projects")

    def ready(self):
        from bangfu.core.registry import register_app
        from bangfu.projects.api import assets, projects
        from bangfu.projects.imports import ENTITIES, PLANS
        from bangfu.projects.indicators import INDICATORS
        from bangfu.projects.services import RULES

        register_app(routers={"/projects": projects, "/assets": assets}, entities=ENTITIES, plans=PLANS,
                     permissions=PERMISSIONS, rules=RULES,
                     navigation=[Module("projects", _("Projects"), "clipboard", WORK, "project_list", "project.view",
                                        order=60)],
                     indicators=INDICATORS)
