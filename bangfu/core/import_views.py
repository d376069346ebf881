"""The web pages of spreadsheet import: the entities a user may import, with their templates; an upload page per
entity whose file is imported by the background worker (`core.tasks.import_upload`) while the page follows its
progress (htmx), then shows the counts and the error report to download.

The import runs as the user who uploaded it: his permission to change the entity, his scope, his name on the batch.
"""

import os
import tempfile
from pathlib import Path

from django import forms
from django.core.exceptions import PermissionDenied, SuspiciousFileOperation
from django.http import FileResponse, Http404
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.text import get_valid_filename
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.generic import FormView, TemplateView

from bangfu.core.forms import StyledForm
from bangfu.core.models import ImportBatch
from bangfu.core.roles import can
from bangfu.core.tasks import REPORT, has_pending_import, import_upload, job_dir, new_job, read_progress
from bangfu.core.tasks_api import result_for, task_out
from bangfu.core.views import UIView

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
SUFFIXES = (".xlsx", ".csv")
MAX_UPLOAD = 200 * 1024 * 1024  # 200 MB: a million rows of the registry as xlsx is about 60 MB
LABELS = {
    "villages": gettext_lazy("Townships and villages"),
    "organisations": gettext_lazy("Organisations"),
    "pairings": gettext_lazy("Pairings"),
    "households": gettext_lazy("Households and members"),
    "incomes": gettext_lazy("Household incomes"),
}
STEPS = {"READY": gettext_lazy("Queued"), "RUNNING": gettext_lazy("Importing")}


def label_of(name: str):
    """The entity's name on the pages: LABELS', or else its model's plural (fund sources, projects, laborers…)."""
    from bangfu.core.importing import plans

    plan = plans().get(name)
    return LABELS.get(name) or (plan.entity.model._meta.verbose_name_plural if plan else name)


def importable(user) -> list[dict]:
    """The entities this user may import (the plan's permission), with their labels, in the order of LABELS."""
    from bangfu.core.importing import plans

    out = []
    for name, plan in plans().items():
        if not plan.permission or can(user, plan.permission):
            out.append({"name": name, "label": label_of(name), "columns": len(plan.entity.columns)})
    order = list(LABELS)
    return sorted(out, key=lambda e: order.index(e["name"]) if e["name"] in order else len(order))


def recent_batches(user, entity: str | None = None, n: int = 10):
    batches = ImportBatch.objects.visible_to(user).filter(actor=user)
    if entity:
        batches = batches.filter(entity=entity)
    return list(batches.order_by("-started", "-id")[:n])


class ImportIndexView(UIView, TemplateView):
    template_name = "core/import_index.html"
    nav = "imports"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["entities"] = importable(self.request.user)
        context["labels"] = LABELS
        context["batches"] = recent_batches(self.request.user)
        return context


class EntityView(UIView):
    """A page about one importable entity: 404 for an unknown one, 403 without the right to change it."""

    def prepare(self):
        from bangfu.core.importing import plans

        self.entity = self.kwargs["entity"]
        self.plan = plans().get(self.entity)
        if self.plan is None:
            raise Http404(_("Nothing of that name can be imported."))
        if self.plan.permission and not can(self.request.user, self.plan.permission):
            raise PermissionDenied(_("You may not import %(name)s.") % {"name": label_of(self.entity)})


class UploadForm(StyledForm):
    file = forms.FileField(label=gettext_lazy("File"),
                           help_text=gettext_lazy("An .xlsx workbook or a .csv file (UTF-8 or GB18030), with the "
                                                  "template's headers; title rows above them are fine."))
    skip_invalid = forms.BooleanField(
        label=gettext_lazy("Import what is valid and skip the rest"), required=False,
        help_text=gettext_lazy("A household with any invalid row is skipped whole. Without this, nothing is imported "
                               "while any row has a problem."))

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if Path(upload.name).suffix.lower() not in SUFFIXES:
            raise forms.ValidationError(_("Upload an .xlsx or a .csv file."))
        if upload.size > MAX_UPLOAD:
            raise forms.ValidationError(_("The file is larger than %(mb)s MB.") % {"mb": MAX_UPLOAD // 2**20})
        return upload


class ImportUploadView(EntityView, FormView):
    template_name = "core/import_upload.html"
    form_class = UploadForm
    nav = "imports"

    def form_valid(self, form):
        if has_pending_import(self.request.user.get_username()):  # one at a time: see core/tasks.py
            form.add_error("file", _("Your previous import is still queued or running; upload this file when it "
                                     "has finished."))
            return self.form_invalid(form)
        upload = form.cleaned_data["file"]
        job, folder = new_job()
        suffix = Path(upload.name).suffix.lower()
        try:
            name = get_valid_filename(Path(upload.name).stem)[:120] + suffix
        except SuspiciousFileOperation:  # nothing left of the name
            name = f"upload{suffix}"
        with open(folder / name, "wb") as f:
            for chunk in upload.chunks():
                f.write(chunk)
        result = import_upload.enqueue(entity=self.entity, job=job, file_name=name,
                                       username=self.request.user.get_username(),
                                       skip_invalid=form.cleaned_data["skip_invalid"])
        return redirect(f"{reverse('import_upload', args=[self.entity])}?task={result.id}")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["entity"] = self.entity
        context["label"] = label_of(self.entity)
        context["columns"] = [c for c in self.plan.entity.columns if c.writable]
        context["task_id"] = self.request.GET.get("task", "")
        context["batches"] = recent_batches(self.request.user, self.entity)
        context["labels"] = LABELS
        return context


class ImportTemplateView(EntityView, View):
    """The entity's blank template (core.workbook), written for the request."""

    def get(self, request, *args, **kwargs):
        from bangfu.core.workbook import write_template

        descriptor, path = tempfile.mkstemp(suffix=".xlsx", prefix="template-")
        os.close(descriptor)
        try:
            write_template(self.plan.entity, path)
            file = open(path, "rb")  # noqa: SIM115 (FileResponse closes it)
        finally:
            os.unlink(path)
        return FileResponse(file, as_attachment=True, filename=f"{self.entity}-template.xlsx",
                            content_type=XLSX_TYPE)


class ImportTaskView(UIView, TemplateView):
    """The state of an import the user started (htmx polls it until the worker has finished)."""

    template_name = "core/_import_task.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        result = result_for(self.request.user, self.kwargs["task_id"])
        task = task_out(result)
        arguments = result.kwargs
        progress = read_progress(arguments["job"])
        total = progress.get("total") or 1
        context.update(
            task=task, r=task["result"], entity=arguments["entity"], file_name=arguments["file_name"],
            label=label_of(arguments["entity"]), step=STEPS.get(task["status"], ""),
            percent=min(100, round(100 * progress.get("done", 0) / total)),
            written=sorted((task["result"] or {}).get("written", {}).items()),
        )
        return context


class ImportReportView(UIView, View):
    """The error report of an import the user started: 行号, 列, 值, 错误."""

    def get(self, request, *args, **kwargs):
        result = result_for(request.user, kwargs["task_id"])
        path = job_dir(result.kwargs["job"]) / REPORT
        if not path.exists():
            raise Http404(_("This import has no error report."))
        stem = Path(result.kwargs["file_name"]).stem
        stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
        return FileResponse(open(path, "rb"), as_attachment=True, filename=f"{stem}-错误报告-{stamp}.xlsx",  # noqa: SIM115
                            content_type=XLSX_TYPE)
