from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from bangfu.core.navigation import FOUNDATION, Module
from bangfu.core.roles import HELPER_ROLES, Role, grant

PERMISSIONS = {**grant("region", change={Role.COORDINATION, Role.COUNTY}),
               **grant("organisation", change=HELPER_ROLES | {Role.COUNTY})}
MODULES = [Module("regions", _("Regions"), "map", FOUNDATION, "region_tree", "region.view", order=30),
           Module("organisations", _("Organisations"), "building", FOUNDATION, "organisation_list",
                  "organisation.view", order=40)]


class RegionsConfig(AppConfig):
    name = "bangfu.regions"
    label = "regions"
    verbose_name = _("Regions and organisations")

    def ready(self):
        from bangfu.core.registry import register_app, register_division_codes, register_scope_hook
        from bangfu.regions.api import organisations, regions
        from bangfu.regions.divisions import all_division_codes
        from bangfu.regions.imports import ENTITIES, PLANS
        from bangfu.regions.models import region_path
        from bangfu.regions.services import RULES

        register_app(routers={"/regions": regions, "/organisations": organisations}, entities=ENTITIES, plans=PLANS,
                     permissions=PERMISSIONS, rules=RULES, navigation=MODULES)
        register_division_codes(all_division_codes)
        register_scope_hook("region_path", region_path)
