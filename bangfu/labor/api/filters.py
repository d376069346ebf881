"""The labor API's search, filters and lookups (every read through `visible_to`)."""

from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _

from bangfu.core.services import invalid
from bangfu.labor.models import (
    Claim,
    Laborer,
    Posting,
    Skill,
    mask_of,
)
from bangfu.regions.models import Organisation
from bangfu.regions.services import resolve_organisation


def optional_org(user, code: str | None, field: str) -> Organisation | None:
    return resolve_organisation(user, code, field) if code else None


def checked_limit(limit: int) -> int:
    if not 1 <= limit <= 200:
        invalid("limit", _("A limit between 1 and 200."))
    return limit


def checked_year(year: int | None) -> int | None:
    if year is not None and not 1990 <= year <= 2100:
        invalid("year", _("A year between 1990 and 2100."))
    return year


def mask_of_skills(values) -> int:
    known = set(Skill.values)
    for v in values or ():
        if v not in known:
            invalid("skills", _("Unknown skill %(value)s; one of %(known)s.") % {
                "value": v, "known": ", ".join(str(k) for k in sorted(known))})
    return mask_of(values)


def get_laborer(user, laborer_id: int) -> Laborer:
    return get_object_or_404(Laborer.objects.visible_to(user), pk=laborer_id)


def get_posting(user, posting_id: int) -> Posting:
    return get_object_or_404(Posting.objects.visible_to(user).select_related("employer__region", "region"),
                             pk=posting_id)


def get_claim(user, claim_id: int) -> Claim:
    return get_object_or_404(Claim.objects.visible_to(user).select_related("employer"), pk=claim_id)
