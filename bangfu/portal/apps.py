from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from bangfu.core.navigation import OVERSIGHT, Module
from bangfu.core.roles import HELPER_ROLES, READERS, RECIPIENT_ROLES

PERMISSIONS = {
    "notice.view": READERS,
    "notice.change": HELPER_ROLES | RECIPIENT_ROLES,
}

MODULES = [
    Module(
        "portal", _("Public disclosure"), "speakerphone", OVERSIGHT, "portal_index", "notice.view",
        summary=_("The public disclosure of funds and projects, without any personal data."),
        features=(
            _("Funds (total, source, use, plan) and projects (name, place, content, period, implementer, funds, "
              "targets) published."),
            _("County level and above on portals, kept long-term; townships and villages on bulletin boards for "
              "at least 10 days."),
            _("Never publishes ID numbers, phone numbers, bank accounts or health status."),
        ),
        order=140,
    ),
]


class PortalConfig(AppConfig):
    name = "bangfu.portal"
    label = "portal"
    verbose_name = _("Public disclosure")

    def ready(self):
        from bangfu.core.registry import register_navigation, register_permissions, register_router
        from bangfu.portal.api import router

        register_router("/notices", router)
        register_permissions(PERMISSIONS)
        register_navigation(*MODULES)
