"""Regions and organisations in the API; every read goes through `visible_to`."""

from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema
from ninja.pagination import paginate

from bangfu.core.pagination import Pages
from bangfu.core.services import invalid
from bangfu.regions import services
from bangfu.regions.models import Level, Organisation, OrganisationKind, Region, Side

regions = Router(tags=["regions"])
organisations = Router(tags=["organisations"])


class RegionRef(Schema):
    code: str
    name: str
    level: Level


class RegionOut(RegionRef):
    parent: str | None = Field(None, alias="parent_id")
    province_code: str
    county_code: str | None
    is_poor_village: bool
    active: bool
    synthetic: bool


class RegionDetail(RegionOut):
    ancestors: list[RegionRef]
    children: int = Field(alias="visible_children")

    @staticmethod
    def resolve_ancestors(obj):
        return obj.ancestors()


class RegionIn(Schema):
    code: str
    name: str = Field(min_length=1, max_length=100)
    parent: str
    level: Level
    is_poor_village: bool = False


@regions.get("", response=list[RegionOut])
@paginate(Pages)
def list_regions(request, parent: str | None = None, level: Level | None = None, q: str | None = None,
                 poor: bool | None = None, active: bool | None = None):
    qs = Region.objects.visible_to(request.user)
    if parent:
        qs = qs.filter(parent_id=parent)
    if level:
        qs = qs.filter(level=level)
    if q:
        qs = qs.filter(name__contains=q)
    if poor is not None:
        qs = qs.filter(is_poor_village=poor)
    if active is not None:
        qs = qs.filter(active=active)
    return qs


@regions.get("/{code}", response=RegionDetail)
def region_detail(request, code: str):
    region = get_object_or_404(Region.objects.visible_to(request.user), code=code)
    region.visible_children = Region.objects.visible_to(request.user).filter(parent=region).count()
    return region


@regions.post("", response={201: RegionOut})
def create_region(request, payload: RegionIn):
    parent = services.resolve_region(request.user, payload.parent, "parent")
    region = services.create_subcounty_region(
        request.user, code=payload.code.strip(), name=payload.name, parent=parent, level=payload.level,
        is_poor_village=payload.is_poor_village,
    )
    return 201, region


class OrganisationOut(Schema):
    id: int
    code: str
    name: str
    kind: OrganisationKind
    side: Side
    region: RegionRef
    parent: str | None
    represents_region: bool
    credit_code: str | None
    notes: str

    @staticmethod
    def resolve_parent(obj):
        return obj.parent.code if obj.parent_id else None


class OrganisationIn(Schema):
    name: str = Field(min_length=1, max_length=200)
    kind: OrganisationKind
    side: Side
    region: str
    parent: str | None = None
    represents_region: bool = False
    credit_code: str | None = None
    notes: str = ""


class OrganisationPatch(Schema):
    name: str = Field(None, min_length=1, max_length=200)
    kind: OrganisationKind = None
    side: Side = None
    region: str = None
    parent: str | None = None
    represents_region: bool = None
    credit_code: str | None = None
    notes: str = None


def _visible_organisations(user):
    return Organisation.objects.visible_to(user).select_related("region", "parent__region")


def _get_organisation(user, code: str) -> Organisation:
    org = services.find_organisation(_visible_organisations(user), code)
    if org is None:
        raise Http404
    return org


def _apply(user, org: Organisation, data: dict):
    for field, value in data.items():
        if field == "region":
            org.region = services.resolve_region(user, value, "region")
        elif field == "parent":
            org.parent = services.resolve_organisation(user, value, "parent") if value else None
        elif field == "credit_code":
            org.credit_code = (value or "").strip().upper() or None
        else:
            setattr(org, field, value)


@organisations.get("", response=list[OrganisationOut])
@paginate(Pages)
def list_organisations(request, region: str | None = None, kind: OrganisationKind | None = None,
                       side: Side | None = None, q: str | None = None):
    qs = _visible_organisations(request.user)
    if region:
        anchor = Region.objects.visible_to(request.user).filter(code=region).first()
        qs = qs.filter(region__path__startswith=anchor.path) if anchor else qs.none()
    if kind:
        qs = qs.filter(kind=kind)
    if side:
        qs = qs.filter(side=side)
    if q:
        qs = qs.filter(name__contains=q)
    return qs


@organisations.get("/{code}", response=OrganisationOut)
def organisation_detail(request, code: str):
    return _get_organisation(request.user, code)


@organisations.post("", response={201: OrganisationOut})
def create_organisation(request, payload: OrganisationIn):
    org = Organisation()
    _apply(request.user, org, payload.dict())
    return 201, services.save_organisation(request.user, org)


@organisations.patch("/{code}", response=OrganisationOut)
def update_organisation(request, code: str, payload: OrganisationPatch):
    org = _get_organisation(request.user, code)
    changes = payload.dict(exclude_unset=True)
    if not changes:
        invalid(None, _("Nothing to change."))
    _apply(request.user, org, changes)
    return services.save_organisation(request.user, org)
