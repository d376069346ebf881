from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from bangfu.core.navigation import WORK, Module
from bangfu.core.roles import HELPER_ROLES, Role, grant


class TalentConfig(AppConfig):
    name = "bangfu.talent"
    label = "talent"
    verbose_name = _("People sent and trained")

    def ready(self):
        from bangfu.core.registry import register_app, register_figure
        from bangfu.talent.api import router
        from bangfu.talent.imports import ENTITIES, PLANS
        from bangfu.talent.services import RULES, people_sent

        register_app(routers={"/talent": router}, entities=ENTITIES, plans=PLANS,
                     permissions=grant("talent", change=HELPER_ROLES | {Role.COUNTY}), rules=RULES,
                     navigation=[Module("talent", _("People sent and trained"), "school", WORK, "talent_home",
                                        "talent.view", order=100)])
        register_figure("labor", "people_sent", people_sent)
