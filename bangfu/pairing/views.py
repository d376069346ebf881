"""Pages of pairings: the list with filters, one pairing, create/edit/end, and the coverage of poor villages."""

import csv

from django.contrib import messages
from django.contrib.contenttypes.models import ContentType
from django.db.models import Count, Q
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import TemplateView

from bangfu.core.models import ChangeLog
from bangfu.core.roles import can
from bangfu.core.views import (
    ScopedDetailView,
    ScopedListView,
    ServiceFormView,
    UIView,
    chinese_first,
    csv_value,
    may_change,
)
from bangfu.pairing.forms import EndPairingForm, PairingFilterForm, PairingForm
from bangfu.pairing.models import Pairing, PairingKind
from bangfu.pairing.services import create_pairing, end_pairing, update_pairing
from bangfu.regions.models import Level, Organisation, Region, Side
from bangfu.regions.views import anchor_region, names_along, place_of


def status_of(pairing) -> str:
    today = timezone.localdate()
    if pairing.start > today:
        return _("Not started")
    return _("Active") if pairing.end is None or pairing.end >= today else _("Ended")


PAIRING_RELATED = ("helper", "helper__region", "recipient_region", "recipient_region__parent", "recipient_org")

class PairingListView(ScopedListView):
    model = Pairing
    template_name = "pairing/pairing_list.html"
    partial_template_name = "pairing/_pairing_table.html"
    filter_form = PairingFilterForm
    related = PAIRING_RELATED
    nav = "pairing"
    export_entity = "pairings"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["can_add"] = can(self.request.user, "pairing.change")
        return context


class PairingDetailView(ScopedDetailView):
    model = Pairing
    template_name = "pairing/pairing_detail.html"
    related = PAIRING_RELATED
    nav = "pairing"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user, pairing = self.request.user, self.object
        names = names_along(user, [pairing.recipient_region, pairing.helper.region])
        context["recipient_place"] = place_of(pairing.recipient_region, names)
        context["helper_place"] = place_of(pairing.helper.region, names)
        context["status"] = status_of(pairing)
        context["can_change"] = may_change(user, pairing)
        if can(user, "changelog.view"):
            context["history"] = ChangeLog.objects.visible_to(user).filter(
                content_type=ContentType.objects.get_for_model(Pairing), object_id=str(pairing.pk))[:20]
        others = Pairing.objects.visible_to(user).active().filter(recipient_region=pairing.recipient_region)
        context["other_helpers"] = others.exclude(pk=pairing.pk).select_related("helper")[:10]
        return context


class PairingCreateView(ServiceFormView):
    form_class = PairingForm
    template_name = "pairing/pairing_form.html"
    permission = "pairing.change"
    nav = "pairing"
    field_map = {"recipient_region": "recipient", "recipient_org": "recipient"}
    success_message = gettext_lazy("Pairing %(object)s was created.")

    def get_initial(self):
        initial = super().get_initial()
        initial["start"] = timezone.localdate()
        for name in ("helper", "recipient", "kind"):
            if value := self.request.GET.get(name):
                initial[name] = value
        profile = getattr(self.request.user, "profile", None)
        if "helper" not in initial and profile is not None and profile.organisation_id:
            initial["helper"] = profile.organisation.code
        return initial

    def perform(self, form):
        return create_pairing(self.request.user, **form.changes())

    def success_url_for(self, obj):
        return reverse("pairing_detail", args=[obj.pk])


class PairingEditView(PairingCreateView):
    model = Pairing
    success_message = gettext_lazy("Pairing %(object)s was saved.")

    def get_initial(self):
        return {}

    def form_valid(self, form):
        if not form.changes():  # saving the same values would only log an empty change
            messages.info(self.request, _("Nothing to change."))
            return redirect(self.success_url_for(self.object))
        return super().form_valid(form)

    def perform(self, form):
        changes = form.changes()
        return update_pairing(self.request.user, self.object, reason=form.cleaned_data.get("reason", ""), **changes)


class PairingEndView(ServiceFormView):
    model = Pairing
    form_class = EndPairingForm
    template_name = "pairing/pairing_end.html"
    permission = "pairing.change"
    nav = "pairing"
    success_message = gettext_lazy("Pairing %(object)s was ended.")

    def perform(self, form):
        data = form.cleaned_data
        return end_pairing(self.request.user, self.object, data["end"], reason=data.get("reason", ""))

    def success_url_for(self, obj):
        return reverse("pairing_detail", args=[obj.pk])


# --- Coverage --------------------------------------------------------------------------------------------------------


def coverage_of(user, region):
    """The poor villages under a region, each with the helpers of its active pairings (empty: not covered)."""
    villages = list(Region.objects.visible_to(user).filter(
        path__startswith=region.path, level=Level.VILLAGE, is_poor_village=True).order_by("path"))
    helpers: dict[str, list[tuple[str, str]]] = {}
    active = Pairing.objects.visible_to(user).active().filter(
        recipient_region__path__startswith=region.path, recipient_region__level=Level.VILLAGE)
    for code, name, kind in active.values_list("recipient_region_id", "helper__name", "kind").order_by("helper__name"):
        helpers.setdefault(code, []).append((name, PairingKind(kind).label))
    # Group by the level just under the region (townships of a county, counties of a prefecture…); villages right
    # under the region (a township) form one group.
    depth = len(region.path.strip("/").split("/"))

    def group_of(village):
        parts = village.path.strip("/").split("/")
        return parts[depth] if len(parts) > depth + 1 else region.code

    group_codes = {group_of(v) for v in villages}
    group_names = dict(Region.objects.visible_to(user).filter(code__in=group_codes).values_list("code", "name"))
    names = names_along(user, villages)
    groups: dict[str, dict] = {}
    rows = []
    for village in villages:
        group = group_of(village)
        g = groups.setdefault(group, {"code": group, "name": group_names.get(group, group), "total": 0,
                                      "covered": 0})
        g["total"] += 1
        covered = village.code in helpers
        g["covered"] += covered
        rows.append({"village": village, "place": place_of(village, names), "helpers": helpers.get(village.code, []),
                     "covered": covered})
    for g in groups.values():
        g["uncovered"] = g["total"] - g["covered"]
        g["pct"] = round(100 * g["covered"] / g["total"]) if g["total"] else 0
    return rows, sorted(groups.values(), key=lambda g: g["code"])


class CoverageView(UIView, TemplateView):
    """For a recipient region: which of its poor villages have an active pairing, and which have none."""

    template_name = "pairing/coverage.html"
    permission = "pairing.view"
    nav = "coverage"

    def get(self, request, *args, **kwargs):
        context = self.get_context_data(**kwargs)
        if request.GET.get("export") == "csv" and context.get("region"):
            return self.export(context)
        return self.render_to_response(context)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        visible = Region.objects.visible_to(user)
        code = self.request.GET.get("region", "").strip()
        region = None
        if code:
            region = visible.filter(code=code).first()
            if region is None:
                raise Http404(_("Unknown region code %(code)s (or outside your scope).") % {"code": code})
        else:
            anchor = anchor_region(user)
            if anchor is not None and getattr(user.profile, "region_id", None):
                region = anchor
        context["region"] = region
        context["choices"] = self.candidates(user)
        if region is None:
            return context
        rows, groups = coverage_of(user, region)
        total = len(rows)
        covered = sum(1 for r in rows if r["covered"])
        context.update(
            rows=rows, groups=groups, total=total, covered=covered, uncovered=total - covered,
            pct=round(100 * covered / total) if total else 0,
            uncovered_rows=[r for r in rows if not r["covered"]][:500],
            covered_rows=[r for r in rows if r["covered"]][:500],
            ancestors=region.ancestors(),
            can_pair=can(user, "pairing.change"),
            chart={
                "categories": [g["name"] for g in groups],
                "series": [
                    {"name": _("Paired"), "data": [g["covered"] for g in groups]},
                    {"name": _("Not paired"), "data": [g["uncovered"] for g in groups]},
                ],
            },
        )
        return context

    @staticmethod
    def candidates(user):
        """The counties (or deeper) where this user can see poor villages, to choose from."""
        villages = Region.objects.visible_to(user).filter(level=Level.VILLAGE, is_poor_village=True)
        codes = villages.order_by().values_list("county_code", flat=True).distinct()
        counties = list(Region.objects.visible_to(user).filter(code__in=codes).order_by("path")[:200])
        names = names_along(user, counties)
        return [(c, place_of(c, names)) for c in counties]

    def export(self, context):
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
        response["Content-Disposition"] = f'attachment; filename="coverage-{context["region"].code}-{stamp}.csv"'
        response.write("\ufeff")
        writer = csv.writer(response)
        writer.writerow([_("Village code"), _("Village"), _("Where"), _("Paired"), _("Helpers")])
        for row in context["rows"]:
            cells = [row["village"].code, row["village"].name, row["place"], row["covered"],
                     "、".join(name for name, _kind in row["helpers"])]
            writer.writerow([csv_value(cell) for cell in cells])
        return response


def lookup_recipients(request):
    """Regions and recipient-side organisations matching what the user typed (for the recipient field)."""
    chinese_first(request)
    if not request.user.is_authenticated or not can(request.user, "pairing.view"):
        return render(request, "regions/_options.html", {"options": []})
    q = request.GET.get(request.GET.get("field", "q"), "").strip()
    options = []
    if q:
        match = Q(code__startswith=q) if q.isdigit() else Q(name__icontains=q)
        regions = list(Region.objects.visible_to(request.user).filter(match, active=True).order_by("path")[:15])
        names = names_along(request.user, regions)
        options += [(r.code, f"{r.name} · {r.get_level_display()} · {place_of(r, names)}".rstrip(" ·"))
                    for r in regions]
        if not q.isdigit():
            orgs = Organisation.objects.visible_to(request.user).filter(
                side=Side.RECIPIENT, represents_region=False, name__icontains=q).select_related("region")[:10]
            options += [(o.code, f"{o.name} · {o.get_kind_display()} · {o.region.name}") for o in orgs]
    return render(request, "regions/_options.html", {"options": options})


def home_section(user):
    """The home page's pairing figures: active pairings by kind, the latest ones, poor villages covered."""
    if not can(user, "pairing.view"):
        return None
    pairings = Pairing.objects.visible_to(user)
    active = pairings.active()
    stats = active.aggregate(pairings=Count("pk"), recipients=Count("recipient_region", distinct=True),
                             helpers=Count("helper", distinct=True))
    stats["ended"] = pairings.filter(end__lt=timezone.localdate()).count()
    kinds = dict(PairingKind.choices)
    by_kind = [{"name": str(kinds.get(r["kind"], r["kind"])), "value": r["n"]}
               for r in active.values("kind").annotate(n=Count("pk")).order_by("-n")]
    figures = {
        "stats": stats, "by_kind": by_kind, "chart_kinds": {"items": by_kind},
        "recent_pairings": pairings.select_related("helper", "recipient_region", "recipient_org")
        .order_by("-start", "-id")[:6],
    }
    villages = Region.objects.visible_to(user).filter(level=Level.VILLAGE, is_poor_village=True)
    covered = active.filter(recipient_region__level=Level.VILLAGE, recipient_region__is_poor_village=True)
    figures["poor_villages"] = poor = villages.count()
    if poor:
        n = villages.filter(pk__in=covered.values("recipient_region")).count()
        figures["villages_covered"], figures["villages_covered_pct"] = n, round(100 * n / poor)
    if can(user, "organisation.view"):
        figures["organisations"] = Organisation.objects.visible_to(user).count()
    return "pairing/_home.html", figures


def region_pairings(user, region):
    """On a region's page: the pairings it receives and gives, and how many of its poor villages are paired."""
    if not can(user, "pairing.view"):
        return {}
    pairings = Pairing.objects.visible_to(user).select_related(*PAIRING_RELATED)
    received = pairings.filter(recipient_region__path__startswith=region.path)
    given = pairings.filter(helper__region__path__startswith=region.path)
    context = {"received": received[:20], "received_count": received.count(),
               "given": given[:20], "given_count": given.count()}
    if region.level != Level.VILLAGE:
        poor = Region.objects.visible_to(user).filter(path__startswith=region.path, level=Level.VILLAGE,
                                                      is_poor_village=True)
        context["poor_villages"] = n = poor.count()
        if n:
            covered = Pairing.objects.visible_to(user).active().filter(recipient_region__in=poor)
            context["poor_covered"] = poor.filter(pk__in=covered.values("recipient_region")).count()
    return context


def organisation_pairings(user, org):
    """On an organisation's page: the pairings in which it helps, and those in which it is helped."""
    if not can(user, "pairing.view"):
        return {}
    pairings = Pairing.objects.visible_to(user).select_related(*PAIRING_RELATED)
    helped = pairings.filter(helper=org)
    return {"helped": helped[:20], "helped_count": helped.count(), "received": pairings.filter(recipient_org=org)[:50]}
