"""The labor API's search, filters and lookups (every read through `visible_to`)."""

from typing import Annotated

from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import Field

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


# How many matches a laborer's or a posting's list shows at most.
MatchLimit = Annotated[int, Field(ge=1, le=200)]


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
