"""The generic web UI layer (after NetBox's generic views, kept small), and the pages of the core: home, modules to
come, the change log.

- `ScopedListView`: rows from `visible_to(user, "view")`, a filter form, pagination, export of the filtered rows
  (Excel or CSV through `core.exports` for a list with an entity, else CSV of its own columns), and the table alone
  for htmx requests.
- `ScopedDetailView`: one row from `visible_to(user, "view")`; out of scope is 404.
- `ServiceFormView`: a form whose valid data goes to a service function; the service's ValidationError becomes form
  errors and its PermissionDenied a 403.
"""

import csv
import os
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.mixins import LoginRequiredMixin
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q, Sum
from django.http import FileResponse, Http404, StreamingHttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import DetailView, FormView, ListView, TemplateView

from bangfu.core import exports
from bangfu.core.exports import not_a_formula
from bangfu.core.forms import FilterForm, date_input
from bangfu.core.models import ChangeLog
from bangfu.core.money import amount_html, exact
from bangfu.core.navigation import module_by_key
from bangfu.core.registry import registry
from bangfu.core.roles import can
from bangfu.core.scope import scope_of


def chinese_first(request):
    """The UI speaks Chinese unless the user chose another language (Django's language cookie, set by the language
    switch), whatever the browser's Accept-Language says: officials on an English system still get Chinese."""
    if settings.LANGUAGE_COOKIE_NAME not in request.COOKIES:
        translation.activate(settings.LANGUAGE_CODE)
        request.LANGUAGE_CODE = settings.LANGUAGE_CODE


class LoginView(auth_views.LoginView):
    redirect_authenticated_user = True

    def dispatch(self, request, *args, **kwargs):
        chinese_first(request)
        return super().dispatch(request, *args, **kwargs)


def is_htmx(request) -> bool:
    return request.headers.get("HX-Request") == "true" and not request.headers.get("HX-History-Restore-Request")


class UIView(LoginRequiredMixin):
    """Every page: login first, then the permission the page needs (403 without it)."""

    nav = ""  # the menu entry to highlight
    permission = ""

    def dispatch(self, request, *args, **kwargs):
        chinese_first(request)
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        if self.permission and not can(request.user, self.permission):
            raise PermissionDenied(_("You may not do this (%(permission)s).") % {"permission": self.permission})
        self.prepare()
        return super().dispatch(request, *args, **kwargs)

    def prepare(self):
        """Load what the page is about, once login and permission are checked (404 or 403 from here)."""

    def get_context_data(self, **kwargs):
        kwargs.setdefault("nav", self.nav)
        return super().get_context_data(**kwargs)


def csv_value(value):
    """A cell of an exported file, as Excel should show it (and never as a formula a user typed in)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(value, datetime):
        return timezone.localtime(value).strftime("%Y-%m-%d %H:%M:%S")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, int | float):
        return str(value)
    return not_a_formula(str(value))


class _Echo:
    def write(self, value):
        return value


class ScopedListView(UIView, ListView):
    model = None
    filter_form = FilterForm
    related: tuple = ()  # select_related: no per-row query on any list
    paginate_by = 50
    partial_template_name = ""  # the results card, for htmx
    # The entity of core.exports the export buttons write (Excel or CSV), for the filtered rows; and the entity's
    # path to the listed row ("pk" when the list shows the entity's own rows, "household" for members).
    export_entity = ""
    export_link = "pk"
    # Lists without an entity: (header, function of a row) for the CSV export of the filtered rows.
    csv_columns: list = []
    csv_name = "export"

    def dispatch(self, request, *args, **kwargs):
        if not self.permission:
            self.permission = f"{self.model.permission_name}.view"
        return super().dispatch(request, *args, **kwargs)

    def base_queryset(self):
        return self.model.objects.visible_to(self.request.user, "view")

    def get_queryset(self):
        queryset = self.base_queryset()
        if self.related:
            queryset = queryset.select_related(*self.related)
        self.filters = self.filter_form(self.request.GET or None, user=self.request.user)
        if self.filters.is_valid():
            queryset = self.filters.filter(queryset)
        return queryset

    def get(self, request, *args, **kwargs):
        kind = request.GET.get("export")
        if kind in ("csv", "xlsx") and self.export_entity:
            spec = exports.entities()[self.export_entity]
            rows = spec.model.objects.visible_to(request.user, "view").filter(spec.filter)
            rows = rows.filter(**{f"{self.export_link}__in": self.get_queryset().values("pk")})
            return export_response(request, spec, rows, kind)
        if kind == "csv" and self.csv_columns:
            return self.export_csv(self.get_queryset())
        return super().get(request, *args, **kwargs)

    def export_csv(self, queryset):
        writer = csv.writer(_Echo())
        language = translation.get_language()  # the rows are written after the view returns

        def rows():
            with translation.override(language):
                yield "\ufeff"  # so that Excel reads the file as UTF-8
                yield writer.writerow([str(header) for header, _getter in self.csv_columns])
                for obj in queryset.iterator(chunk_size=2000):
                    yield writer.writerow([csv_value(getter(obj)) for _header, getter in self.csv_columns])

        response = StreamingHttpResponse(rows(), content_type="text/csv; charset=utf-8")
        stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
        response["Content-Disposition"] = f'attachment; filename="{self.csv_name}-{stamp}.csv"'
        return response

    def get_template_names(self):
        if is_htmx(self.request) and self.partial_template_name:
            return [self.partial_template_name]
        return super().get_template_names()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["filters"] = self.filters
        context["results_template"] = self.partial_template_name or "core/_table.html"
        if context.get("is_paginated"):
            context["page_range"] = context["paginator"].get_elided_page_range(
                context["page_obj"].number, on_each_side=2, on_ends=1)
        return context


XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def export_response(request, spec, rows, kind: str):
    """`rows` of the entity `spec` as a download: CSV streamed as the database gives it, xlsx written to a temporary
    file first (a zip is finished only at its end) and then streamed. Personal data is always masked here, as on
    every page: clear values are shown one household at a time, with a reason (reveal), or exported by an operator
    on the command line (`bangfu export --user`), which logs it."""
    name = f"{spec.name}-{timezone.localtime():%Y%m%d-%H%M}.{kind}"
    if kind == "csv":
        response = StreamingHttpResponse(exports.csv_chunks(spec, rows, unmask=False),
                                         content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="{name}"'
    else:
        descriptor, path = tempfile.mkstemp(suffix=".xlsx", prefix="export-")
        os.close(descriptor)
        try:
            exports.write(spec, rows, path, unmask=False)
        except exports.ExportError:
            os.unlink(path)
            messages.error(request, _("Too many rows for one Excel sheet (at most %(n)s): export CSV, or filter the "
                                      "list first.") % {"n": f"{exports.XLSX_MAX_ROWS - 1:,}"})
            return redirect(f"{request.path}?{_without_export(request)}")
        file = open(path, "rb")  # noqa: SIM115 (FileResponse closes it)
        os.unlink(path)  # gone once the response has read it
        response = FileResponse(file, as_attachment=True, filename=name, content_type=XLSX_TYPE)
    return response


def _without_export(request) -> str:
    query = request.GET.copy()
    query.pop("export", None)
    return query.urlencode()


@dataclass(frozen=True)
class Col:
    """A column of a TableView: its header, what a row shows in it (text, a number, a date, safe HTML), the page it
    links to (a URL name taking the row's pk, or a function of the row giving the URL) and, where the cell shows
    more than the value (an amount in 万元, a link), the value the CSV export writes."""

    header: str
    value: Callable
    link: str | Callable | None = None
    export: Callable | None = None

    def url(self, row) -> str | None:
        if self.link is None:
            return None
        return reverse(self.link, args=[row.pk]) if isinstance(self.link, str) else self.link(row)


class TableView(ScopedListView):
    """A list page declared as columns: the filters, the table, its pages, the CSV export of every filtered row and
    the totals of its amount fields over every filtered row (not only the page). A list names its model, filter
    form, columns and section; nothing else."""

    template_name = "core/list.html"
    partial_template_name = "core/_table.html"
    columns: list[Col] = []
    title = ""
    section = ""  # the module the list belongs to: pretitle, breadcrumb, the forms' way back
    section_url = ""  # URL name of the module's home
    tabs: tuple = ()  # (URL name, label) of the module's pages
    create_url = ""  # URL name of the page that adds a row, shown to those with create_permission
    create_permission = ""
    create_label = gettext_lazy("New")
    amount_fields: tuple = ()  # totalled over every filtered row
    table_id = ""

    @property
    def csv_columns(self):
        return [(c.header, c.export or c.value) for c in self.columns]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            title=self.title, section=self.section, tabs=self.tabs, table_id=self.table_id,
            section_url=reverse(self.section_url) if self.section_url else "",
            headers=[c.header for c in self.columns],
            rows=[[(c.value(row), c.url(row)) for c in self.columns] for row in context["object_list"]],
        )
        if self.amount_fields:
            sums = self.object_list.aggregate(**{f"total_{f}": Sum(f) for f in self.amount_fields})
            context["totals"] = [(self.model._meta.get_field(f).verbose_name, amount_html(exact(sums[f"total_{f}"])))
                                 for f in self.amount_fields]
        if self.create_url and can(self.request.user, self.create_permission):
            context["create_url"], context["create_label"] = reverse(self.create_url), self.create_label
        return context


class ScopedDetailView(UIView, DetailView):
    related: tuple = ()

    def dispatch(self, request, *args, **kwargs):
        if not self.permission:
            self.permission = f"{self.model.permission_name}.view"
        return super().dispatch(request, *args, **kwargs)

    def get_queryset(self):
        queryset = self.model.objects.visible_to(self.request.user, "view")
        return queryset.select_related(*self.related) if self.related else queryset

    def get_object(self, queryset=None):
        obj = find_in(self, self.get_queryset() if queryset is None else queryset)
        if obj is None:
            raise Http404(_("Not found, or outside your scope."))
        return obj

    def get_context_data(self, **kwargs):
        """With what other apps add to this model's page (register_detail_context): a region's pairings, say."""
        context = super().get_context_data(**kwargs)
        for extra in registry["detail_context"][self.model._meta.label_lower]:
            context.update(extra(self.request.user, self.object))
        return context


def find_in(view, queryset):
    """The row a URL names: by primary key, or by the view's own `find(queryset)` (an organisation by its code)."""
    if hasattr(view, "find"):
        return view.find(queryset)
    return queryset.filter(pk=view.kwargs["pk"]).first()


def may_change(user, obj) -> bool:
    """May this user change this row (the action, and the row within his change scope)?"""
    model = type(obj)
    if not can(user, f"{model.permission_name}.change"):
        return False
    return scope_of(user).everything or model.objects.visible_to(user, "change").filter(pk=obj.pk).exists()


def add_service_errors(form, error: ValidationError, field_map=None):
    """Put a service's ValidationError on the form: on the field it names when the form has one, else on top."""
    field_map = field_map or {}
    if not hasattr(error, "error_dict"):
        form.add_error(None, error.messages)
        return
    for name, errors in error.error_dict.items():
        target = field_map.get(name, name)
        if target == NON_FIELD_ERRORS or target not in form.fields:
            target = None
        form.add_error(target, [m for e in errors for m in e.messages])


class ServiceFormView(UIView, FormView):
    """Create (no object) or change (`model` and a pk in the URL) through a service function.

    Subclasses set `permission` and write `perform(form) -> obj` and `success_url_for(obj)`.
    """

    model = None
    field_map: dict = {}  # service field name -> form field name
    success_message = ""
    template_name = "core/form.html"
    section = ""  # the module: pretitle and breadcrumb; Cancel goes to its home unless the view says `back`
    section_url = ""
    form_note = gettext_lazy("The entry is checked and written to the change log.")

    def prepare(self):
        self.object = None
        if self.model is not None and self.kwargs:
            self.object = self.get_object()

    def get_object(self):
        obj = find_in(self, self.model.objects.visible_to(self.request.user, "view"))
        if obj is None:
            raise Http404(_("Not found, or outside your scope."))
        if not may_change(self.request.user, obj):
            raise PermissionDenied(_("%(object)s is outside your scope.") % {"object": obj})
        return obj

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["user"] = self.request.user
        if self.object is not None:
            kwargs["instance"] = self.object
        return kwargs

    def form_valid(self, form):
        try:
            with transaction.atomic():
                obj = self.perform(form)
                # As NetBox does: what the user made must still be his to see, or nothing of it is kept.
                if not type(obj).objects.visible_to(self.request.user, "view").filter(pk=obj.pk).exists():
                    raise PermissionDenied(_("%(object)s is outside your scope.") % {"object": obj})
        except ValidationError as error:
            add_service_errors(form, error, self.field_map)
            return self.form_invalid(form)
        if self.success_message:
            messages.success(self.request, self.success_message % {"object": obj})
        return redirect(self.success_url_for(obj))

    def perform(self, form):
        raise NotImplementedError

    def success_url_for(self, obj):
        raise NotImplementedError

    def get_context_data(self, **kwargs):
        home = reverse(self.section_url) if self.section_url else ""
        kwargs.setdefault("object", self.object)
        kwargs.setdefault("back", home)
        return super().get_context_data(section=self.section, section_url=home, form_note=self.form_note, **kwargs)


class ServiceCreateView(ServiceFormView):
    """A create form whose cleaned data go to one service function (`service`), then back to a list (`list_url`)."""

    service = None
    list_url = ""
    title = ""

    def perform(self, form):
        return type(self).service(self.request.user, **form.cleaned_data)

    def success_url_for(self, obj):
        return reverse(self.list_url)

    def get_context_data(self, **kwargs):
        return super().get_context_data(title=self.title, back=reverse(self.list_url), **kwargs)


# --- Pages of the core ---------------------------------------------------------------------------------------------


class HomeView(UIView, TemplateView):
    template_name = "core/home.html"
    nav = "home"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        profile = getattr(user, "profile", None)
        context["profile"] = profile
        if profile is not None and profile.organisation_id:
            context["anchor"] = profile.organisation
        elif profile is not None and profile.region_id:
            context["anchor"] = profile.region
        # What the apps show on the home page (register_home_section): a template and its figures each.
        context["home_sections"] = []
        for section in registry["home_sections"]:
            shown = section(user)
            if shown is not None:
                template, figures = shown
                context["home_sections"].append(template)
                context.update(figures)
        if can(user, "changelog.view"):
            context["recent_changes"] = ChangeLog.objects.visible_to(user).select_related("content_type")[:6]
        return context


class ComingView(UIView, TemplateView):
    template_name = "core/coming.html"

    def get_context_data(self, **kwargs):
        module = module_by_key(self.kwargs["key"])
        if module is None or module.built:
            raise Http404(_("No such module."))
        return super().get_context_data(module=module, nav=module.key, **kwargs)


# --- Change log --------------------------------------------------------------------------------------------------


def _content_type_choices(user):
    ids = ChangeLog.objects.visible_to(user).order_by().values_list("content_type", flat=True).distinct()
    types = ContentType.objects.filter(pk__in=ids)
    choices = [(str(ct.pk), str(ct.model_class()._meta.verbose_name) if ct.model_class() else ct.model)
               for ct in types]
    return [("", gettext_lazy("All types"))] + sorted(choices, key=lambda c: c[1])


class ChangeLogFilterForm(FilterForm):
    q = forms.CharField(label=gettext_lazy("Search"), widget=forms.TextInput(
        attrs={"placeholder": gettext_lazy("Object, user or reason")}))
    action = forms.ChoiceField(label=gettext_lazy("Action"),
                               choices=[("", gettext_lazy("All actions"))] + ChangeLog.Action.choices)
    content_type = forms.ChoiceField(label=gettext_lazy("Type"))
    via = forms.ChoiceField(label=gettext_lazy("Via"), choices=[("", gettext_lazy("All channels"))]
                            + ChangeLog.Via.choices)
    since = forms.DateField(label=gettext_lazy("From"), widget=date_input())
    until = forms.DateField(label=gettext_lazy("To"), widget=date_input())

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["content_type"].choices = _content_type_choices(self.user)

    def filter(self, queryset):
        data = self.cleaned_data
        if q := data.get("q"):
            queryset = queryset.filter(Q(object_repr__icontains=q) | Q(actor_name__icontains=q)
                                       | Q(reason__icontains=q) | Q(object_id=q))
        if data.get("action"):
            queryset = queryset.filter(action=data["action"])
        if data.get("content_type"):
            queryset = queryset.filter(content_type_id=data["content_type"])
        if data.get("via"):
            queryset = queryset.filter(via=data["via"])
        if data.get("since"):
            queryset = queryset.filter(time__date__gte=data["since"])
        if data.get("until"):
            queryset = queryset.filter(time__date__lte=data["until"])
        return queryset


def object_url(content_type, object_id) -> str:
    """The UI page of a logged object, for the models that have one."""
    from django.urls import reverse

    names = {("pairing", "pairing"): "pairing_detail", ("regions", "organisation"): "organisation_detail",
             ("regions", "region"): "region_detail"}
    name = names.get((content_type.app_label, content_type.model))
    if name == "organisation_detail":
        object_id = f"org-{object_id}"  # organisations are named by code; org-ID always works
    return reverse(name, args=[object_id]) if name else ""


class ChangeLogListView(ScopedListView):
    model = ChangeLog
    template_name = "core/changelog_list.html"
    partial_template_name = "core/_changelog_table.html"
    filter_form = ChangeLogFilterForm
    related = ("content_type",)
    nav = "changelog"
    csv_name = "changelog"
    csv_columns = [
        (gettext_lazy("Time"), lambda e: e.time),
        (gettext_lazy("User"), lambda e: e.actor_name),
        (gettext_lazy("Action"), lambda e: e.get_action_display()),
        (gettext_lazy("Via"), lambda e: e.get_via_display()),
        (gettext_lazy("Type"), lambda e: e.content_type.model_class()._meta.verbose_name
         if e.content_type.model_class() else e.content_type.model),
        (gettext_lazy("Object ID"), lambda e: e.object_id),
        (gettext_lazy("Object"), lambda e: e.object_repr),
        (gettext_lazy("Reason"), lambda e: e.reason),
    ]


class ChangeLogDetailView(ScopedDetailView):
    model = ChangeLog
    template_name = "core/changelog_detail.html"
    related = ("content_type", "actor")
    nav = "changelog"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        entry = self.object
        model = entry.content_type.model_class()
        fields = {f.attname: f for f in model._meta.concrete_fields} if model is not None else {}

        def shown(name, value):
            """A logged value, with the label of its choice when the field has choices (east_west: 东西部协作)."""
            field = fields.get(name)
            if field is not None and field.choices and value is not None:
                label = dict(field.flatchoices).get(value)
                if label is not None:
                    return f"{label} ({value})"
            return value

        keys = sorted(set(entry.before or {}) | set(entry.after or {}))
        before, after = entry.before or {}, entry.after or {}
        rows = [
            {"field": k, "label": str(fields[k].verbose_name) if k in fields else k,
             "before": shown(k, before.get(k)), "after": shown(k, after.get(k)),
             "changed": before.get(k) != after.get(k), "in_before": k in before, "in_after": k in after}
            for k in keys
        ]
        context["rows"] = sorted(rows, key=lambda r: not r["changed"])  # what changed first
        context["changed_count"] = sum(1 for r in context["rows"] if r["changed"])
        context["type_name"] = model._meta.verbose_name if model else entry.content_type.model
        context["object_url"] = "" if entry.action == ChangeLog.Action.DELETE else object_url(
            entry.content_type, entry.object_id)
        return context
