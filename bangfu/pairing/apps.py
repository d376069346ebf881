from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from bangfu.core.navigation import FOUNDATION, Module
from bangfu.core.roles import HELPER_ROLES, READERS

PERMISSIONS = {
    "pairing.view": READERS,
    "pairing.change": HELPER_ROLES,
}

MODULES = [
    Module("pairing", _("Pairings"), "link", FOUNDATION, "pairing_list", "pairing.view", order=10),
    Module("coverage", _("Coverage"), "target", FOUNDATION, "coverage", "pairing.view", order=20),
]


class PairingConfig(AppConfig):
    name = "bangfu.pairing"
    label = "pairing"
    verbose_name = _("Pairings")

    def ready(self):
        from bangfu.core.registry import (
            register_detail_context,
            register_entities,
            register_home_section,
            register_navigation,
            register_permissions,
            register_router,
            register_scope_hook,
        )
        from bangfu.pairing.api import router
        from bangfu.pairing.imports import ENTITIES, PLANS
        from bangfu.pairing.models import helper_ids_in, helpers_of, recipients_of
        from bangfu.pairing.views import home_section, organisation_pairings, region_pairings

        register_router("/pairings", router)
        register_entities(ENTITIES, PLANS)
        register_permissions(PERMISSIONS)
        register_navigation(*MODULES)
        register_scope_hook("helpers_of", helpers_of)
        register_scope_hook("recipients_of", recipients_of)
        register_scope_hook("helper_ids_in", helper_ids_in)
        register_home_section(home_section)
        register_detail_context("regions.region", region_pairings)
        register_detail_context("regions.organisation", organisation_pairings)
