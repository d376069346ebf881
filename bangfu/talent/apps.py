from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from bangfu.core.navigation import WORK, Module
from bangfu.core.roles import HELPER_ROLES, Role, grant


class TalentConfig(AppConfig):
    name = "bangfu.talent"
    label = "talent"
    verbose_name = _("People sent and trained")

    def ready(self):
        from bangfu.core.registry import register_app
        from bangfu.talent.api import router
        from bangfu.talent.imports import ENTITIES, PLANS
        from bangfu.talent.indicators import INDICATORS
        from bangfu.talent.services import RULES

        register_app(routers={"/talent": router}, entities=ENTITIES, plans=PLANS,
                     permissions=grant("talent", change=HELPER_ROLES | {Role.COUNTY}), rules=RULES,
                     navigation=[Module("talent", _("People sent and trained"), "school", WORK, "talent_home",
                                        "talent.view", order=100)],
                     indicators=INDICATORS)
