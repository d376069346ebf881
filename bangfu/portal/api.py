"""Notices in the API: the list in scope and publishing one (shown on the public portal at once)."""

from datetime import date

from ninja import Field, Router, Schema
from ninja.pagination import paginate

from bangfu.core.api import DbId
from bangfu.core.pagination import Pages
from bangfu.portal import services
from bangfu.portal.models import Notice, NoticeKind, NoticeLevel
from bangfu.projects.services import resolve_project
from bangfu.regions.models import Region
from bangfu.regions.services import resolve_region

router = Router(tags=["portal"])


class NoticeOut(Schema):
    id: int
    region: str = Field(alias="region_id")
    project: int | None = Field(alias="project_id")
    kind: NoticeKind
    level: NoticeLevel
    title: str
    body: str
    published_on: date
    period_days: int | None
    ends_on: date | None
    url: str

    @staticmethod
    def resolve_url(obj):
        from django.urls import reverse

        code = obj.county_code or obj.region_id
        return reverse("portal_notice", args=[code, obj.pk]) if obj.county_code else ""


class NoticeIn(Schema):
    region: str
    kind: NoticeKind
    level: NoticeLevel
    title: str
    body: str
    published_on: date
    period_days: int | None = Field(None, ge=0, le=3650, description="At least 10 for a bulletin notice")
    project: DbId | None = None


@router.get("", response=list[NoticeOut])
@paginate(Pages)
def list_notices(request, region: str | None = None, kind: NoticeKind | None = None):
    qs = Notice.objects.visible_to(request.user)
    if region:
        path = Region.objects.visible_to(request.user).filter(code=region).values_list("path", flat=True).first()
        qs = qs.filter(region_path__startswith=path) if path else qs.none()
    if kind:
        qs = qs.filter(kind=kind)
    return qs.order_by("-published_on", "-id")


@router.post("", response={201: NoticeOut})
def publish(request, payload: NoticeIn):
    region = resolve_region(request.user, payload.region)
    project = None
    if payload.project:
        project = resolve_project(request.user, payload.project)
    data = payload.dict()
    data.update(region=region, project=project)
    return 201, services.publish(request.user, **data)
