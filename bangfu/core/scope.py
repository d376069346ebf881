"""The one scoping mechanism: `Model.objects.visible_to(user, action)`.

A user's scope is two sets of subtrees: recipient regions (by materialised region path) and helper organisations
(by organisation path). A recipient-side user has his region's subtree. A helper-side user has his organisation's
subtree and the recipient regions actively paired with any organisation in it. Superusers and auditors see
everything; what they may *do* is `core.roles.can`.
"""

from dataclasses import dataclass
from functools import reduce
from operator import or_

from django.db import models
from django.db.models import Q
from django.db.models.functions import Substr
from django.db.models.lookups import In

from bangfu.core.registry import registry
from bangfu.core.roles import HELPER_ROLES, RECIPIENT_ROLES, Role, can, role_of


@dataclass(frozen=True)
class Scope:
    everything: bool = False
    region_paths: tuple[str, ...] = ()
    org_paths: tuple[str, ...] = ()
    # Where a helper user's own organisation sits: his own region is visible to him, though it is no recipient.
    home_paths: tuple[str, ...] = ()
    # Helper-side users choose recipients from the whole published table of provinces, prefectures and counties.
    national_divisions: bool = False
    # Where the organisations that help a recipient user sit (and the regions above): he sees who helps him, and
    # where from, but nothing below those places.
    linked_region_codes: tuple[str, ...] = ()
    # Likewise the helper organisations and the bodies they sit under.
    linked_org_ids: tuple[int, ...] = ()

    def covers_region_path(self, path: str) -> bool:
        return self.everything or any(path.startswith(p) for p in self.region_paths)

    def covers_org_path(self, path: str) -> bool:
        return self.everything or any(path.startswith(p) for p in self.org_paths)


NOTHING = Scope()
EVERYTHING = Scope(everything=True)


def collapse(paths) -> tuple[str, ...]:
    """Drop paths that lie inside another one of the set, so filters stay short."""
    kept: list[str] = []
    for path in sorted(set(paths)):
        if not kept or not path.startswith(kept[-1]):
            kept.append(path)
    return tuple(kept)


def prefix_q(field: str, paths) -> Q:
    """Rows whose `field` lies in any of the subtrees; no subtree gives no rows."""
    if not paths:
        return Q(pk__in=[])
    return reduce(or_, (Q(**{f"{field}__startswith": p}) for p in paths))


def prefix_in(field: str, paths) -> Q:
    """The rows of `prefix_q`, tested as one set lookup per path length, `substr(field, 1, n) IN (paths of length
    n)`, instead of one LIKE per subtree: a helper's summary names dozens of places, and a scan over a large table
    that keeps most rows pays for each pattern on every row (no index serves either form there)."""
    if not paths:
        return Q(pk__in=[])
    by_length: dict[int, list[str]] = {}
    for path in sorted(set(paths)):
        by_length.setdefault(len(path), []).append(path)
    return reduce(or_, (Q(In(Substr(field, 1, n), same)) for n, same in sorted(by_length.items())))


def scope_of(user) -> Scope:
    """Computed once per request (cached on the user object)."""
    cached = getattr(user, "_bangfu_scope", None)
    if cached is not None:
        return cached
    scope = _compute_scope(user)
    if user.is_authenticated:
        user._bangfu_scope = scope
    return scope


def _compute_scope(user) -> Scope:
    if not user.is_authenticated or not user.is_active:
        return NOTHING
    role = role_of(user)
    if user.is_superuser or role == Role.AUDITOR:
        return EVERYTHING
    profile = user.profile
    if role in RECIPIENT_ROLES and profile.region_id:
        path = profile.region.path
        regions, orgs = set(), set()
        for region_path, org_path in _paired("helpers_of", path):
            regions.update(code for code in region_path.split("/") if code)
            orgs.update(int(pk) for pk in org_path.split("/") if pk)
        return Scope(region_paths=(path,), linked_region_codes=tuple(sorted(regions)),
                     linked_org_ids=tuple(sorted(orgs)))
    if role in HELPER_ROLES and profile.organisation_id:
        org_path = profile.organisation.path
        regions = _paired("recipients_of", org_path)
        home = profile.organisation.region.path
        return Scope(
            region_paths=collapse(regions), org_paths=(org_path,), home_paths=(home,), national_divisions=True
        )
    return NOTHING


def _paired(hook: str, path: str):
    """Who is paired with whom, as the pairing app tells (`register_scope_hook`); nothing without it.
    helpers_of(region path) → (region path, organisation path) of every helper of a recipient in the subtree;
    recipients_of(organisation path) → the region paths actively helped by an organisation in the subtree."""
    found = registry["scope_hooks"].get(hook)
    return found(path) if found else ()


class ScopedQuerySet(models.QuerySet):
    """Every domain model's default queryset. A model declares `permission_name` and `scope_q(scope, action) -> Q`."""

    def visible_to(self, user, action: str = "view"):
        if not can(user, f"{self.model.permission_name}.{action}"):
            return self.none()
        scope = scope_of(user)
        if scope.everything:
            return self.all()
        return self.filter(self.model.scope_q(scope, action))
