from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from bangfu.core.navigation import Module
from bangfu.core.roles import READERS

OVERVIEW = _("Overview")
PERMISSIONS = {"dashboard.view": READERS}
MODULES = [Module("dashboards", _("Dashboards"), "chart", OVERVIEW, "dashboard", "dashboard.view", order=1)]


class DashboardsConfig(AppConfig):
    name = "bangfu.dashboards"
    label = "dashboards"
    verbose_name = _("Dashboards")

    def ready(self):
        from bangfu.core.registry import register_app, register_home_section
        from bangfu.dashboards.api import router
        from bangfu.dashboards.views import home_section

        register_app(routers={"/indicators": router}, permissions=PERMISSIONS, navigation=MODULES)
        register_home_section(home_section, first=True)
