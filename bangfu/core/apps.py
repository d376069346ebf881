from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from bangfu.core.roles import HELPER_ROLES, READERS, RECIPIENT_ROLES, Role

PERMISSIONS = {
    "changelog.view": {Role.COORDINATION, Role.AUDITOR},
    "importbatch.view": READERS,
    "importbatch.change": HELPER_ROLES | RECIPIENT_ROLES,
    # Seeing ID and phone numbers unmasked, one record at a time, each time logged.
    "personal.unmask": RECIPIENT_ROLES,
    # Every user's API tokens, to list and revoke: superusers only (each user manages his own).
    "apitoken.manage": set(),
}


class CoreConfig(AppConfig):
    name = "bangfu.core"
    label = "core"
    verbose_name = _("Core")

    def ready(self):
        from django.db.backends.signals import connection_created

        from bangfu.core import tasks_api, tokens_api
        from bangfu.core.exports import register_sqlite_functions
        from bangfu.core.registry import register_app

        connection_created.connect(register_sqlite_functions)
        register_app(routers={"/tasks": tasks_api.router, "/tokens": tokens_api.router}, permissions=PERMISSIONS)
