"""Roles and what each may do. Scope (which rows) is `core.scope`; this is which actions, whatever the rows.

Each app grants its actions to roles in its AppConfig.ready(); a superuser may do everything.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    COORDINATION = "coordination", _("Coordination office")
    HELPER = "helper", _("Helper unit")
    COUNTY = "county", _("Recipient county")
    TOWNSHIP = "township", _("Recipient township")
    VILLAGE = "village", _("Recipient village")
    AUDITOR = "auditor", _("Auditor (read-only)")
    PUBLIC = "public", _("Public")


HELPER_ROLES = {Role.COORDINATION, Role.HELPER}
RECIPIENT_ROLES = {Role.COUNTY, Role.TOWNSHIP, Role.VILLAGE}
READERS = HELPER_ROLES | RECIPIENT_ROLES | {Role.AUDITOR}

# Which roles may do each action ("household.change"): filled by each app's AppConfig.ready() (core's own in
# CoreConfig), through core.registry.register_permissions.
PERMISSIONS: dict[str, set[str]] = {}


def grant(*names: str, change: set, view: set = READERS) -> dict[str, set]:
    """The grants of `name.view` and `name.change` for each name, as an app registers them."""
    return {f"{name}.{action}": roles for name in names for action, roles in (("view", view), ("change", change))}


def role_of(user) -> str | None:
    profile = getattr(user, "profile", None) if user.is_authenticated else None
    return profile.role if profile else None


def can(user, permission: str) -> bool:
    """May this user perform this action at all (on some row of his scope)?"""
    if not user.is_authenticated or not user.is_active:
        return False
    if user.is_superuser:
        return True
    return role_of(user) in PERMISSIONS.get(permission, set())
