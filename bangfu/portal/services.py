"""Publishing a notice: on the county portal, or on a township's or village's bulletin board for at least 10 days."""

from datetime import date

from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from bangfu.core import audit
from bangfu.core.roles import HELPER_ROLES, RECIPIENT_ROLES
from bangfu.core.rules import OWN_ORG, OWN_REGION, require_may, rule
from bangfu.core.scope import scope_of
from bangfu.core.services import invalid
from bangfu.portal.models import BULLETIN_MIN_DAYS, Notice, NoticeKind, NoticeLevel
from bangfu.projects.models import PUBLISHED, Project
from bangfu.regions.models import Level, Region

# Who may (core.rules): both sides publish for the places of their scope; a project's notice, the project's own sides.
RULES = {"notice.publish": rule(gettext_lazy("publish a notice"), HELPER_ROLES | RECIPIENT_ROLES, OWN_ORG,
                                OWN_REGION)}

LEVEL_OF_REGION = {NoticeLevel.COUNTY: (Level.PROVINCE, Level.PREFECTURE, Level.COUNTY),
                   NoticeLevel.TOWNSHIP: (Level.TOWNSHIP,), NoticeLevel.VILLAGE: (Level.VILLAGE,)}


@transaction.atomic
def publish(actor, *, region: Region, kind: str, level: str, title: str, body: str, published_on: date,
            period_days: int | None = None, project: Project | None = None) -> Notice:
    require_may(actor, "notice.publish")
    if not scope_of(actor).covers_region_path(region.path):
        invalid("region", _("%(region)s is outside your scope.") % {"region": region.name})
    if kind not in NoticeKind.values:
        invalid("kind", _("Unknown kind %(value)s.") % {"value": kind})
    if level not in NoticeLevel.values:
        invalid("level", _("Unknown level %(value)s.") % {"value": level})
    if region.level not in LEVEL_OF_REGION[level]:
        invalid("level", _("A %(level)s notice belongs to a region of that level, not to a %(region)s.") % {
            "level": NoticeLevel(level).label, "region": region.get_level_display()})
    if level != NoticeLevel.COUNTY and (period_days or 0) < BULLETIN_MIN_DAYS:
        invalid("period_days", _("A bulletin notice stays up at least %(min)s days (asked %(days)s).") % {
            "min": BULLETIN_MIN_DAYS, "days": period_days or 0})
    if not (title or "").strip() or not (body or "").strip():
        invalid("title", _("A notice needs a title and a text."))
    if project is not None:
        require_may(actor, "notice.publish", project)
        if project.state not in PUBLISHED:
            invalid("project", _("%(project)s is not decided by the county yet: nothing to publish.") % {
                "project": project.name})
        if not project.region_path.startswith(region.path) and not region.path.startswith(project.region_path):
            invalid("project", _("The project lies outside %(region)s.") % {"region": region.name})
    notice = Notice.objects.create(region=region, project=project, kind=kind, level=level, title=title.strip(),
                                   body=body, published_on=published_on,
                                   period_days=period_days if level != NoticeLevel.COUNTY else period_days,
                                   region_path=region.path, county_code=region.county_code or "",
                                   org_path=project.org_path if project else "")
    audit.record(actor, "create", notice, after=audit.snapshot(notice))
    return notice
