"""What the apps tell core about themselves, each in its `AppConfig.ready()`, so that core names no app (as NetBox's
apps fill `netbox/registry.py`). Core's mechanisms read these stores; an app adds itself without editing core.

- API routers, mounted by the project's `bangfu/api.py` under `/api/v1/<prefix>`;
- import plans and export entities, by the name the commands and pages use (`bangfu import households …`);
- permissions: which roles may do each action (`core.roles.can`), and the rules of who may do each state change
  to which rows (`core.rules.may`);
- navigation modules (the menu and the home page's module cards);
- scope hooks: how a recipient's helpers and a helper's recipients are found (`core.scope`), and the division codes
  that an ID number may begin with (`core.identity`);
- home sections and detail context: what an app adds to the home page and to another app's detail pages;
- choice aliases: the other names clerks write for a choice (户主 for the head of household);
- indicators, declared by each app's `indicators.py` (core.indicators).
"""

from collections import defaultdict
from collections.abc import Callable

registry: dict = {
    "api_routers": [],  # (prefix, ninja Router)
    "import_plans": {},  # entity name → core.importing.Plan
    "export_entities": {},  # entity name → core.columns.Entity
    "navigation": [],  # core.navigation.Module
    "scope_hooks": {},  # "helpers_of" / "recipients_of" → callable
    "division_codes": [],  # callables returning the known division codes
    "home_sections": [],  # callable(user) → context for core/home.html
    "detail_context": defaultdict(list),  # "app_label.model" → [callable(user, obj) → context for its page]
    "choice_aliases": {},  # TextChoices class → {text: code}
    "indicators": {},  # code → core.indicators.Indicator
}


def register_app(*, routers: dict | None = None, entities: dict | None = None, plans: dict | None = None,
                 permissions: dict | None = None, rules: dict | None = None, navigation=(), indicators=()) -> None:
    """What every app registers: its API routers ({prefix: router}), export entities and import plans, the roles'
    grants of its actions, the rules of who may do each state change (`core.rules`), its menu modules and its
    indicators (`core.indicators`)."""
    for prefix, router in (routers or {}).items():
        register_router(prefix, router)
    register_entities(entities or {}, plans)
    register_permissions(permissions or {})
    register_rules(rules or {})
    register_navigation(*navigation)
    if indicators:
        from bangfu.core.indicators import register_indicators

        register_indicators(*indicators)


def register_router(prefix: str, router) -> None:
    registry["api_routers"].append((prefix, router))


def register_entities(entities: dict, plans: dict | None = None) -> None:
    """An app's export entities and, for those a file can bring in, its import plans."""
    registry["export_entities"].update(entities)
    registry["import_plans"].update(plans or {})


def register_permissions(grants: dict[str, set[str]]) -> None:
    from bangfu.core.roles import PERMISSIONS

    PERMISSIONS.update(grants)


def register_rules(rules: dict) -> None:
    """Who may do each state-changing action, and to which rows (`core.rules.Rule`)."""
    from bangfu.core.rules import RULES

    RULES.update(rules)


def register_navigation(*modules) -> None:
    registry["navigation"].extend(modules)


def register_scope_hook(name: str, hook: Callable) -> None:
    registry["scope_hooks"][name] = hook


def register_division_codes(source: Callable) -> None:
    registry["division_codes"].append(source)


def register_home_section(section: Callable, first: bool = False) -> None:
    """A section of the home page, after those registered before it (or before them all: the user's dashboard)."""
    if first:
        registry["home_sections"].insert(0, section)
    else:
        registry["home_sections"].append(section)


def register_detail_context(model_label: str, extra: Callable) -> None:
    registry["detail_context"][model_label].append(extra)


def register_choice_aliases(aliases: dict) -> None:
    registry["choice_aliases"].update(aliases)
