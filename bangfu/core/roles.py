"""Roles and what each may do. Scope (which rows) is `core.scope`; this is which actions, whatever the rows.

Later modules add their actions to PERMISSIONS; a superuser may do everything.
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

PERMISSIONS: dict[str, set[str]] = {
    "region.view": READERS,
    "region.change": {Role.COORDINATION, Role.COUNTY},
    "organisation.view": READERS,
    "organisation.change": HELPER_ROLES | {Role.COUNTY},
    "pairing.view": READERS,
    "pairing.change": HELPER_ROLES,
    "changelog.view": {Role.COORDINATION, Role.AUDITOR},
    "household.view": READERS,
    "household.change": RECIPIENT_ROLES,
    "member.view": READERS,
    "member.change": RECIPIENT_ROLES,
    "clue.view": READERS,
    "clue.change": RECIPIENT_ROLES,
    "monitoringline.view": READERS,
    "monitoringline.change": {Role.COORDINATION},
    "importbatch.view": READERS,
    "importbatch.change": HELPER_ROLES | RECIPIENT_ROLES,
    "project.view": READERS,
    "project.change": HELPER_ROLES | RECIPIENT_ROLES,
    "beneficiary.view": READERS,
    "beneficiary.change": RECIPIENT_ROLES,
    "asset.view": READERS,
    "asset.change": {Role.COUNTY, Role.TOWNSHIP},
    "fundsource.view": READERS,
    "fundsource.change": HELPER_ROLES,
    "budget.view": READERS,
    "budget.change": HELPER_ROLES,
    "disbursement.view": READERS,
    "disbursement.change": HELPER_ROLES | {Role.COUNTY},
    "expenditure.view": READERS,
    "expenditure.change": HELPER_ROLES | {Role.COUNTY, Role.TOWNSHIP},
    "tiltrule.view": READERS,
    "tiltrule.change": {Role.COORDINATION},
    "notice.view": READERS,
    "notice.change": HELPER_ROLES | RECIPIENT_ROLES,

    # Labour cooperation: both sides record (the helper side its employers, postings, fairs and transfers).
    "labor.view": READERS,
    "labor.change": HELPER_ROLES | RECIPIENT_ROLES,
    "subsidy.view": READERS,
    "subsidy.change": HELPER_ROLES | RECIPIENT_ROLES,
    "talent.view": READERS,
    "talent.change": HELPER_ROLES | {Role.COUNTY},
    # Seeing ID and phone numbers unmasked, one record at a time, each time logged.
    "personal.unmask": RECIPIENT_ROLES,
}

# The review chain of the monitoring workflow: who may move a case into each stage.
WORKFLOW_ROLES = {
    "verified": {Role.VILLAGE, Role.TOWNSHIP, Role.COUNTY},
    "crosschecked": {Role.VILLAGE, Role.TOWNSHIP, Role.COUNTY},
    "publicised": {Role.VILLAGE},
    "township_reviewed": {Role.TOWNSHIP},
    "approved": {Role.COUNTY},
    "rejected": {Role.TOWNSHIP, Role.COUNTY},
}

# The project lifecycle (DOMAIN.md §3): who may move a project into each state. A county acts for its townships.
PROJECT_ROLES = {
    "applied": {Role.VILLAGE, Role.TOWNSHIP, Role.COUNTY},
    "township_reviewed": {Role.TOWNSHIP, Role.COUNTY},
    "approved": {Role.COUNTY},
    "funded": {Role.COUNTY, Role.COORDINATION, Role.HELPER},
    "implementing": {Role.COUNTY, Role.TOWNSHIP},
    "completed": {Role.COUNTY, Role.TOWNSHIP},
    "accepted": {Role.COUNTY},
    "handed_over": {Role.COUNTY},
    "rejected": {Role.TOWNSHIP, Role.COUNTY},
    "rolled_over": {Role.COUNTY},
}


# The approval chain of subsidy claims: who may move a claim into each status.
SUBSIDY_ROLES = {
    "reviewed": {Role.COUNTY, Role.TOWNSHIP},
    "approved": {Role.COUNTY, Role.COORDINATION},
    "paid": {Role.COUNTY, Role.COORDINATION},
    "rejected": {Role.COUNTY, Role.TOWNSHIP, Role.COORDINATION},
}


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
