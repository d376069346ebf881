"""Who may write what: one rule per state-changing action, declared by the apps (`register_app(rules=…)`) and checked
by their services with `require_may(user, action, obj)`.

`roles.can` says whether a role may change a kind of row at all and `visible_to` which rows a user sees; seeing a row
is not owning it (a recipient county sees the helper's budget for its county, but the money is the helper's). A rule
names, for one action, the roles that may do it and how the row must be theirs:
- OWN_ORG: the helper side that owns the money or the pairing: the row's organisation path lies in the user's
  organisation (a coordination office owns the rows of the districts under it);
- OWN_REGION: the recipient side that owns the place: the row's region path lies in the user's region;
- PAIRED: a helper-side user acting in a recipient place his organisation helps (the placements he arranges);
and optionally a further condition on the row (`check`). A rule with no side asks the role only: creating rows whose
place comes from references in the input (those are checked as fields: a reference outside the user's scope is an
unknown one). A superuser may do everything; an auditor (no rule names him) nothing.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from bangfu.core.roles import HELPER_ROLES, RECIPIENT_ROLES, Role, role_of
from bangfu.core.scope import scope_of

OWN_ORG, OWN_REGION, PAIRED = "own_org", "own_region", "paired"

SIDE_NAMES = {OWN_ORG: gettext_lazy("the helper side that owns it"),
              OWN_REGION: gettext_lazy("the recipient side where it lies"),
              PAIRED: gettext_lazy("a helper of the place")}


@dataclass(frozen=True)
class Rule:
    what: str | Promise  # the action, as the refusal names it ("disburse from a budget")
    roles: frozenset
    sides: tuple[str, ...] = ()
    check: Callable | None = None  # (user, obj) -> bool: a further condition on the row
    condition: str | Promise = ""  # what `check` asks, as the refusal says it


def rule(what, roles, *sides, check=None, condition="") -> Rule:
    return Rule(what, frozenset(roles), tuple(sides), check, condition)


# Filled by each app's AppConfig.ready() through core.registry.register_rules (register_app(rules=…)).
RULES: dict[str, Rule] = {}


def paths_of(obj) -> tuple[str, str]:
    """(region path, organisation path) of a row, as the change log files it."""
    return obj.audit_paths() if hasattr(obj, "audit_paths") else ("", "")


def owns(user, obj, sides) -> bool:
    """Is the row the user's own on one of the sides?"""
    role, scope = role_of(user), scope_of(user)
    region_path, org_path = paths_of(obj)
    helper, recipient = role in HELPER_ROLES, role in RECIPIENT_ROLES
    return any((
        OWN_ORG in sides and helper and bool(org_path) and scope.covers_org_path(org_path),
        OWN_REGION in sides and recipient and bool(region_path) and scope.covers_region_path(region_path),
        PAIRED in sides and helper and bool(region_path) and scope.covers_region_path(region_path),
    ))


def may(user, action: str, obj=None) -> bool:
    """May this user do this action (to this row)? An action no app declared is a programming error (KeyError)."""
    found = RULES[action]
    if not user.is_authenticated or not user.is_active:
        return False
    if user.is_superuser:
        return True
    if role_of(user) not in found.roles:
        return False
    if obj is None:
        return True
    if found.sides and not owns(user, obj, found.sides):
        return False
    return found.check is None or found.check(user, obj)


def refusal(action: str) -> str:
    """Why not, in the user's language: the action, and who may do it."""
    found = RULES[action]
    who = "、".join(str(Role(r).label) for r in sorted(found.roles)) or _("nobody but the administrator")
    if found.sides:
        who = _("%(sides)s (%(roles)s)") % {"sides": _(" or ").join(str(SIDE_NAMES[s]) for s in found.sides),
                                             "roles": who}
    if found.condition:
        who = _("%(who)s (%(condition)s)") % {"who": who, "condition": found.condition}
    return _("You may not %(what)s: only %(who)s may.") % {"what": found.what, "who": who}


def require_may(user, action: str, obj=None) -> None:
    """Refuse (403, nothing written) unless `may(user, action, obj)`."""
    if not may(user, action, obj):
        raise PermissionDenied(refusal(action))
