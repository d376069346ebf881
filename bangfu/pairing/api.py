"""Pairings in the API: list with filters, detail, create, update, end, and the summary of figures."""

from datetime import date

from django.db.models import Exists, OuterRef
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema
from ninja.pagination import paginate

from bangfu.core.indicators import Helper, live
from bangfu.core.pagination import Pages
from bangfu.core.services import invalid
from bangfu.pairing import services
from bangfu.pairing.models import Pairing, PairingKind
from bangfu.regions.api import RegionRef, regions
from bangfu.regions.models import Level, Organisation, Region
from bangfu.regions.services import find_organisation, resolve_organisation

router = Router(tags=["pairings"])


class OrganisationRef(Schema):
    code: str
    name: str


class PairingOut(Schema):
    id: int
    kind: PairingKind
    kind_label: str
    helper: OrganisationRef
    recipient_region: RegionRef
    recipient_org: OrganisationRef | None
    start: date
    end: date | None
    active: bool = Field(alias="is_active")
    notes: str

    @staticmethod
    def resolve_kind_label(obj):
        return str(obj.get_kind_display())


class PairingIn(Schema):
    kind: str = Field(description="Code (east_west) or name (东西部协作)")
    helper: str = Field(description="Helper organisation: a region code it acts for (440305), a credit code, or org-ID")
    recipient: str = Field(description="Recipient region code, or a recipient organisation's code")
    start: date
    end: date | None = None
    notes: str = ""


class PairingPatch(Schema):
    kind: str = None
    helper: str = None
    recipient: str = None
    start: date = None
    end: date | None = None
    notes: str = None
    reason: str = ""


class PairingEndIn(Schema):
    end: date
    reason: str = ""


SUMMARY_FIGURES = ("pairings", "helpers", "recipient_counties", "recipient_provinces", "recipient_villages")


class PairingSummaryOut(Schema):
    pairings: int
    helpers: int
    recipient_counties: int
    recipient_provinces: int
    recipient_villages: int
    by_kind: dict[str, int]


def _recipient(user, code: str) -> dict:
    """A recipient code names a region, or else a recipient organisation."""
    region = Region.objects.visible_to(user).filter(code=(code or "").strip()).first()
    if region is not None:
        return {"recipient_region": region, "recipient_org": None}
    org = find_organisation(Organisation.objects.visible_to(user), code)
    if org is None:
        message = _("Unknown region or organisation code %(code)s (or outside your scope).")
        invalid("recipient", message % {"code": code})
    return {"recipient_region": org.region, "recipient_org": org}


def _resolve(user, data: dict) -> dict:
    fields = {}
    for key, value in data.items():
        if key == "kind":
            fields["kind"] = services.parse_kind(value)
        elif key == "helper":
            fields["helper"] = resolve_organisation(user, value, "helper")
        elif key == "recipient":
            fields.update(_recipient(user, value))
        elif key != "reason":
            fields[key] = value
    return fields


def narrowed(user, helper=None, recipient=None, kind=None, active=None) -> tuple:
    """(pairings, recipient region path, helper path): the pairings a user may see, narrowed by every filter but the
    recipient region's subtree and the helper's, which come back as paths ("" for none): the region and the helper
    an indicator is read for."""
    qs = Pairing.objects.visible_to(user)
    region_path = helper_path = ""
    if helper:
        org = find_organisation(Organisation.objects.visible_to(user), helper)
        helper_path, qs = (org.path, qs) if org else ("", qs.none())
    if recipient:
        region = Region.objects.visible_to(user).filter(code=recipient).first()
        if region is not None:
            region_path = region.path
        else:
            org = find_organisation(Organisation.objects.visible_to(user), recipient)
            qs = qs.filter(recipient_org=org) if org else qs.none()
    if kind:
        qs = qs.filter(kind=services.parse_kind(kind))
    if active is not None:
        qs = qs.active() if active else qs.inactive()
    return qs, region_path, helper_path


def filtered(user, helper=None, recipient=None, kind=None, active=None):
    """The pairings a user may see, narrowed by the filters the list and the summary share."""
    qs, region_path, helper_path = narrowed(user, helper, recipient, kind, active)
    if helper_path:
        qs = qs.filter(helper__path__startswith=helper_path)
    if region_path:
        qs = qs.filter(recipient_region__path__startswith=region_path)
    return qs


@router.get("", response=list[PairingOut])
@paginate(Pages)
def list_pairings(request, helper: str | None = None, recipient: str | None = None, kind: str | None = None,
                  active: bool | None = None):
    qs = filtered(request.user, helper, recipient, kind, active)
    return qs.select_related("helper__region", "recipient_region", "recipient_org__region").order_by("-start", "id")


@router.get("/summary", response=PairingSummaryOut)
def summary(request, helper: str | None = None, recipient: str | None = None, kind: str | None = None,
            active: bool | None = None):
    """Figures over the pairings in the caller's scope that match: all of them, active or ended, unless `active`.

    Counties, provinces and villages are the distinct ones the pairings' recipients lie in.
    """
    if not helper and not recipient:
        invalid("helper", _("Give helper=CODE or recipient=CODE."))
    qs, region_path, helper_path = narrowed(request.user, helper, recipient, kind, active)
    side = Helper(helper_path) if helper_path else None

    def figure(code: str) -> int:
        return int(live(code, region_path, side, queryset=qs))

    by_kind = {kind.value: n for kind in PairingKind if (n := figure(f"pairing.kind_{kind.value}"))}
    return {**{name: figure(f"pairing.{name}") for name in SUMMARY_FIGURES}, "by_kind": by_kind}


def _get(user, pairing_id: int) -> Pairing:
    """The pairing if the user can see it, else 404; whether he may change it is the service's question (403)."""
    return get_object_or_404(Pairing.objects.visible_to(user).select_related(
        "helper__region", "recipient_region", "recipient_org__region"), pk=pairing_id)


@router.get("/{int:pairing_id}", response=PairingOut)
def pairing_detail(request, pairing_id: int):
    return _get(request.user, pairing_id)


@router.post("", response={201: PairingOut})
def create_pairing(request, payload: PairingIn):
    return 201, services.create_pairing(request.user, **_resolve(request.user, payload.dict()))


@router.patch("/{int:pairing_id}", response=PairingOut)
def update_pairing(request, pairing_id: int, payload: PairingPatch):
    pairing = _get(request.user, pairing_id)
    changes = payload.dict(exclude_unset=True)
    return services.update_pairing(request.user, pairing, reason=changes.get("reason", ""),
                                   **_resolve(request.user, changes))


@router.post("/{int:pairing_id}/end", response=PairingOut)
def end_pairing(request, pairing_id: int, payload: PairingEndIn):
    return services.end_pairing(request.user, _get(request.user, pairing_id), payload.end, payload.reason)


# A region's coverage by pairings: a route of the regions API that only the pairing app can answer.

class CoverageOut(Schema):
    region: RegionRef
    poor_villages: int
    paired: int
    unpaired: list[RegionRef]


def unpaired_poor_villages(user, region: Region):
    """Poor villages under the region with no active pairing (to the village or to an organisation in it)."""
    villages = Region.objects.visible_to(user).filter(
        path__startswith=region.path, level=Level.VILLAGE, is_poor_village=True
    )
    paired = Pairing.objects.active().filter(recipient_region=OuterRef("pk"))
    return villages.annotate(paired=Exists(paired))


@regions.get("/{code}/coverage", response=CoverageOut)
def coverage(request, code: str):
    region = get_object_or_404(Region.objects.visible_to(request.user), code=code)
    villages = list(unpaired_poor_villages(request.user, region))
    unpaired = [v for v in villages if not v.paired]
    return {"region": region, "poor_villages": len(villages), "paired": len(villages) - len(unpaired),
            "unpaired": unpaired}
