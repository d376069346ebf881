from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from bangfu.core.navigation import FOUNDATION, Module
from bangfu.core.roles import HELPER_ROLES, grant

MODULES = [Module("pairing", _("Pairings"), "link", FOUNDATION, "pairing_list", "pairing.view", order=10),
           Module("coverage", _("Coverage"), "target", FOUNDATION, "coverage", "pairing.view", order=20)]


class PairingConfig(AppConfig):
    name = "bangfu.pairing"
    label = "pairing"
    verbose_name = _("Pairings")

    def ready(self):
        from bangfu.core.registry import (
            register_app,
            register_detail_context,
            register_home_section,
            register_scope_hook,
        )
        from bangfu.pairing import models, views
        from bangfu.pairing.api import router
        from bangfu.pairing.imports import ENTITIES, PLANS
        from bangfu.pairing.indicators import INDICATORS
        from bangfu.pairing.services import RULES

        register_app(routers={"/pairings": router}, entities=ENTITIES, plans=PLANS,
                     permissions=grant("pairing", change=HELPER_ROLES), rules=RULES,
                     navigation=MODULES, indicators=INDICATORS)
        for hook in (models.helpers_of, models.recipients_of, models.helper_ids_in, models.helper_places,
                     models.every_helper_places):
            register_scope_hook(hook.__name__, hook)
        register_home_section(views.home_section)
        register_detail_context("regions.region", views.region_pairings)
        register_detail_context("regions.organisation", views.organisation_pairings)
