"""People sent and trained in the API (`/api/v1/talent/…`): lists, records, and counts per year and kind."""

from datetime import date

from django.shortcuts import get_object_or_404
from ninja import Field, Router, Schema
from ninja.pagination import paginate

from bangfu.core.api import Year
from bangfu.core.pagination import Pages
from bangfu.labor.api.filters import optional_org
from bangfu.labor.figures import side
from bangfu.regions.services import resolve_organisation, resolve_region
from bangfu.talent import figures, services
from bangfu.talent.models import PersonSent, PersonTrained

router = Router(tags=["people sent and trained"])


class SentOut(Schema):
    id: int
    name: str
    kind: str
    from_org: str
    to_region: str = Field(alias="to_region_id")
    to_org: str | None
    position: str
    start: date
    end: date | None

    @staticmethod
    def resolve_from_org(obj):
        return obj.from_org.name

    @staticmethod
    def resolve_to_org(obj):
        return obj.to_org.name if obj.to_org_id else None


class SentIn(Schema):
    name: str = Field(min_length=1, max_length=50)
    kind: str
    from_org: str
    to_region: str
    to_org: str | None = None
    position: str = Field("", max_length=100)
    start: date
    end: date | None = None


class SentEndIn(Schema):
    end: date
    reason: str = ""


class TrainedOut(Schema):
    id: int
    name: str
    kind: str
    from_region: str = Field(alias="from_region_id")
    host: str
    programme: str
    start: date
    end: date

    @staticmethod
    def resolve_host(obj):
        return obj.host.name


class TrainedIn(Schema):
    name: str = Field(min_length=1, max_length=50)
    kind: str
    from_region: str
    host: str
    programme: str = Field(min_length=1, max_length=200)
    start: date
    end: date


class CountOut(Schema):
    year: int
    kind: str
    n: int


class CountsOut(Schema):
    sent: list[CountOut]
    trained: list[CountOut]
    sent_total: int
    trained_total: int
    in_post: int | None


@router.get("/sent", response=list[SentOut])
@paginate(Pages)
def list_sent(request, kind: str | None = None, year: Year | None = None):
    qs = PersonSent.objects.visible_to(request.user).select_related("from_org", "to_org")
    if kind:
        qs = qs.filter(kind=kind)
    if year:
        qs = qs.filter(services.in_post_q(year))
    return qs.order_by("id")


@router.post("/sent", response={201: SentOut})
def record_sent(request, payload: SentIn):
    user = request.user
    return 201, services.record_sent(user, name=payload.name, kind=payload.kind,
                                     from_org=resolve_organisation(user, payload.from_org, "from_org"),
                                     to_region=resolve_region(user, payload.to_region, "to_region"),
                                     to_org=optional_org(user, payload.to_org, "to_org"), position=payload.position,
                                     start=payload.start, end=payload.end)


def _sent(user, sent_id):
    return get_object_or_404(PersonSent.objects.visible_to(user).select_related("from_org", "to_org"), pk=sent_id)


@router.get("/sent/{int:sent_id}", response=SentOut)
def sent_detail(request, sent_id: int):
    return _sent(request.user, sent_id)


@router.post("/sent/{int:sent_id}/end", response=SentOut)
def end_sent(request, sent_id: int, payload: SentEndIn):
    return services.end_sent(request.user, _sent(request.user, sent_id), payload.end, payload.reason)


@router.get("/trained", response=list[TrainedOut])
@paginate(Pages)
def list_trained(request, year: Year | None = None):
    qs = PersonTrained.objects.visible_to(request.user).select_related("host")
    if year:
        qs = qs.filter(start__year=year)
    return qs.order_by("id")


@router.post("/trained", response={201: TrainedOut})
def record_trained(request, payload: TrainedIn):
    user = request.user
    return 201, services.record_trained(user, name=payload.name, kind=payload.kind,
                                        from_region=resolve_region(user, payload.from_region, "from_region"),
                                        host=resolve_organisation(user, payload.host, "host"),
                                        programme=payload.programme, start=payload.start, end=payload.end)


@router.get("/counts", response=CountsOut)
def counts(request, helper: str | None = None, recipient: str | None = None,
           year: Year | None = None):
    """Person-times by year (of the start) and kind, for a helper (sent by it and those under it) or a recipient
    region (sent there, trained from there); `in_post` is how many were in post during `year`."""
    region_path, side_of = side(request.user, helper, recipient)
    return figures.counts(request.user, region_path, side_of, year)
