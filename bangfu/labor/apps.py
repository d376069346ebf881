from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from bangfu.core.navigation import WORK, Module
from bangfu.core.roles import HELPER_ROLES, RECIPIENT_ROLES, grant


class LaborConfig(AppConfig):
    name = "bangfu.labor"
    label = "labor"
    verbose_name = _("Labour cooperation")

    def ready(self):
        from bangfu.core.registry import register_app
        from bangfu.labor.api.routes import router
        from bangfu.labor.imports import ENTITIES, PLANS
        from bangfu.labor.indicators import INDICATORS
        from bangfu.labor.services import RULES

        # Both sides record (the helper side its employers, postings, fairs and transfers).
        register_app(routers={"/labor": router}, entities=ENTITIES, plans=PLANS,
                     permissions=grant("labor", "subsidy", change=HELPER_ROLES | RECIPIENT_ROLES), rules=RULES,
                     navigation=[Module("labor", _("Labour cooperation"), "briefcase", WORK, "labor_home", "labor.view",
                                        order=80)],
                     indicators=INDICATORS)
