from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from bangfu.core.navigation import OVERSIGHT, Module
from bangfu.core.roles import HELPER_ROLES, RECIPIENT_ROLES, grant


class PortalConfig(AppConfig):
    name = "bangfu.portal"
    label = "portal"
    verbose_name = _("Public disclosure")

    def ready(self):
        from bangfu.core.registry import register_app
        from bangfu.portal.api import router
        from bangfu.portal.services import RULES

        register_app(routers={"/notices": router}, permissions=grant("notice", change=HELPER_ROLES | RECIPIENT_ROLES),
                     rules=RULES,
                     navigation=[Module("portal", _("Public disclosure"), "speakerphone", OVERSIGHT, "portal_index",
                                        "notice.view", order=140)])
