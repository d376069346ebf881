"""Pages of regions and organisations: the region tree, a region's page, organisations, and code lookups."""

from django.db.models import Count, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import TemplateView

from bangfu.core.roles import can
from bangfu.core.views import ScopedDetailView, ScopedListView, ServiceFormView, UIView, chinese_first, may_change
from bangfu.regions.forms import OrganisationFilterForm, OrganisationForm, SubRegionForm
from bangfu.regions.models import Level, Organisation, Region
from bangfu.regions.services import create_subcounty_region, find_organisation, save_organisation

CHILD_LEVEL = {Level.PROVINCE: Level.PREFECTURE, Level.PREFECTURE: Level.COUNTY, Level.COUNTY: Level.TOWNSHIP,
               Level.TOWNSHIP: Level.VILLAGE}


def with_child_counts(queryset, user, show_all=True):
    """Each region with the number of its children this user can see, in the same query."""
    visible = Region.objects.visible_to(user).filter(parent=OuterRef("pk")).order_by()
    if not show_all:
        queryset, visible = queryset.filter(active=True), visible.filter(active=True)
    counts = visible.values("parent").annotate(n=Count("pk")).values("n")
    return queryset.annotate(child_count=Coalesce(Subquery(counts), 0))


def names_along(user, regions) -> dict[str, str]:
    """code → name for every ancestor of these regions, in one query (for showing where each one lies)."""
    codes = {c for r in regions for c in r.path.strip("/").split("/")[:-1]}
    return dict(Region.objects.visible_to(user).filter(code__in=codes).values_list("code", "name"))


def place_of(region, names) -> str:
    """The names above a region, e.g. 广西壮族自治区 › 百色市."""
    return " › ".join(names[c] for c in region.path.strip("/").split("/")[:-1] if c in names)


def anchor_region(user):
    profile = getattr(user, "profile", None)
    if profile is None:
        return None
    if profile.region_id:
        return profile.region
    if profile.organisation_id:
        return profile.organisation.region
    return None


class RegionTreeView(UIView, TemplateView):
    """Provinces down to villages, opened level by level (htmx), with the user's own branch open."""

    template_name = "regions/tree.html"
    permission = "region.view"
    nav = "regions"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        visible = Region.objects.visible_to(user)
        q = self.request.GET.get("q", "").strip()
        context["q"] = q
        if q:
            found = list(visible.filter(Q(name__icontains=q) | Q(code__startswith=q)).order_by("path")[:100])
            names = names_along(user, found)
            context["results"] = [(r, place_of(r, names)) for r in found]
            return context
        show_all = self.request.GET.get("all") == "1"
        anchor = anchor_region(user)
        open_codes = anchor.path.strip("/").split("/") if anchor else []
        roots = list(with_child_counts(visible.filter(parent__isnull=True), user, show_all).order_by("code"))
        # Open the user's own branch, one query per level.
        level_nodes = roots
        for code in open_codes[:-1]:
            node = next((n for n in level_nodes if n.code == code), None)
            if node is None:
                break
            node.kids = list(with_child_counts(visible.filter(parent=node), user, show_all).order_by("code"))
            level_nodes = node.kids
        context["roots"] = roots
        context["show_all"] = show_all
        context["anchor"] = anchor
        return context


class RegionChildrenView(UIView, TemplateView):
    """The children of one region, for the tree (htmx)."""

    template_name = "regions/_tree_nodes.html"
    permission = "region.view"

    def get_context_data(self, **kwargs):
        user = self.request.user
        region = get_object_or_404(Region.objects.visible_to(user), code=self.kwargs["pk"])
        show_all = self.request.GET.get("all") == "1"
        nodes = with_child_counts(Region.objects.visible_to(user).filter(parent=region), user, show_all)
        return super().get_context_data(nodes=nodes.order_by("code"), show_all=show_all, **kwargs)


class RegionDetailView(ScopedDetailView):
    model = Region
    template_name = "regions/region_detail.html"
    nav = "regions"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user, region = self.request.user, self.object
        codes = region.path.strip("/").split("/")[:-1]
        by_code = {r.code: r for r in Region.objects.visible_to(user).filter(code__in=codes)}
        context["ancestors"] = [by_code[c] for c in codes if c in by_code]
        context["children"] = list(with_child_counts(Region.objects.visible_to(user).filter(parent=region), user)
                                   .order_by("code"))
        organisations = Organisation.objects.visible_to(user).filter(region=region).select_related("parent")
        context["organisations"] = organisations[:50]
        context["organisation_count"] = organisations.count()
        child_level = CHILD_LEVEL.get(region.level)
        context["child_level"] = Level(child_level).label if child_level else ""
        context["can_add_child"] = (region.level in (Level.COUNTY, Level.TOWNSHIP)
                                    and can(user, "region.change") and may_change(user, region))
        return context


class SubRegionCreateView(ServiceFormView):
    """Add a township to a county or a village to a township."""

    model = Region
    form_class = SubRegionForm
    template_name = "regions/subregion_form.html"
    permission = "region.change"
    nav = "regions"
    field_map = {"parent": "code", "level": "code"}
    success_message = gettext_lazy("%(object)s was added.")

    def get_object(self):
        parent = super().get_object()
        if parent.level not in (Level.COUNTY, Level.TOWNSHIP):
            raise Http404(_("Only counties and townships take new divisions here."))
        return parent

    def perform(self, form):
        data = form.cleaned_data
        return create_subcounty_region(
            self.request.user, code=data["code"].strip(), name=data["name"], parent=self.object,
            level=CHILD_LEVEL[self.object.level], is_poor_village=data.get("is_poor_village", False),
        )

    def success_url_for(self, obj):
        return reverse("region_detail", args=[obj.parent_id])

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["child_level"] = Level(CHILD_LEVEL[self.object.level]).label
        return context


# --- Organisations -----------------------------------------------------------------------------------------------


class OrganisationListView(ScopedListView):
    model = Organisation
    template_name = "regions/organisation_list.html"
    partial_template_name = "regions/_organisation_table.html"
    filter_form = OrganisationFilterForm
    related = ("region", "region__parent", "parent")
    nav = "organisations"
    export_entity = "organisations"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["can_add"] = can(self.request.user, "organisation.change")
        return context


class OrganisationByCode:
    """Organisations are named in URLs as everywhere else: 440305, a credit code, or org-ID."""

    def find(self, queryset):
        return find_organisation(queryset, self.kwargs["code"])


class OrganisationDetailView(OrganisationByCode, ScopedDetailView):
    model = Organisation
    template_name = "regions/organisation_detail.html"
    related = ("region", "parent")
    nav = "organisations"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user, org = self.request.user, self.object
        names = names_along(user, [org.region])
        context["region_place"] = place_of(org.region, names)
        children = Organisation.objects.visible_to(user).filter(parent=org).select_related("region")
        context["children"], context["children_count"] = children[:20], children.count()
        context["can_change"] = may_change(user, org)
        return context


class OrganisationFormMixin(OrganisationByCode):
    model = Organisation
    form_class = OrganisationForm
    template_name = "regions/organisation_form.html"
    permission = "organisation.change"
    nav = "organisations"
    field_map = {"__all__": "__all__"}

    def fill(self, org, data):
        for name in ("name", "kind", "side", "represents_region", "credit_code", "notes"):
            setattr(org, name, data[name])
        org.region = data["region"]
        org.parent = data["parent"]
        return org

    def success_url_for(self, obj):
        return reverse("organisation_detail", args=[obj.code])


class OrganisationCreateView(OrganisationFormMixin, ServiceFormView):
    success_message = gettext_lazy("Organisation %(object)s was created.")

    def perform(self, form):
        return save_organisation(self.request.user, self.fill(Organisation(), form.cleaned_data))


class OrganisationEditView(OrganisationFormMixin, ServiceFormView):
    success_message = gettext_lazy("Organisation %(object)s was saved.")

    def perform(self, form):
        org = self.fill(self.object, form.cleaned_data)
        return save_organisation(self.request.user, org, reason=form.cleaned_data.get("reason", ""))


# --- Lookups (htmx fills a <datalist> while the user types a code) -------------------------------------------------


def lookup_regions(request):
    chinese_first(request)
    if not request.user.is_authenticated or not can(request.user, "region.view"):
        return render(request, "regions/_options.html", {"options": []})
    q = request.GET.get(request.GET.get("field", "q"), "").strip()
    regions = []
    if q:
        match = Q(code__startswith=q) if q.isdigit() else Q(name__icontains=q)
        regions = list(Region.objects.visible_to(request.user).filter(match, active=True).order_by("path")[:20])
    names = names_along(request.user, regions)
    options = [(r.code, f"{r.name} · {r.get_level_display()} · {place_of(r, names)}".rstrip(" ·")) for r in regions]
    return render(request, "regions/_options.html", {"options": options})


def lookup_organisations(request):
    chinese_first(request)
    if not request.user.is_authenticated or not can(request.user, "organisation.view"):
        return render(request, "regions/_options.html", {"options": []})
    q = request.GET.get(request.GET.get("field", "q"), "").strip()
    orgs = []
    if q:
        # A pairing's helper is one the user may pair for (his organisation's subtree); elsewhere, any he can see.
        action = "change" if request.GET.get("field") == "helper" else "view"
        queryset = Organisation.objects.visible_to(request.user, action).select_related("region")
        if side := request.GET.get("side"):
            queryset = queryset.filter(side=side)
        match = Q(name__icontains=q) | Q(region__name__icontains=q)
        if q.isdigit():
            match = Q(region__code__startswith=q, represents_region=True)
        elif q.lower().startswith("org-") and q[4:].isdigit():
            match = Q(pk=int(q[4:]))
        elif len(q) == 18:
            match |= Q(credit_code=q.upper())
        orgs = queryset.filter(match).order_by("region_id", "name")[:20]
    options = [(o.code, f"{o.name} · {o.region.name} · {o.get_side_display()}") for o in orgs]
    return render(request, "regions/_options.html", {"options": options})
