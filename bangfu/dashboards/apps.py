from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DashboardsConfig(AppConfig):
    name = "bangfu.dashboards"
    label = "dashboards"
    verbose_name = _("Dashboards")

    def ready(self):
        from bangfu.core.registry import register_app
        from bangfu.dashboards.api import router

        register_app(routers={"/indicators": router})
