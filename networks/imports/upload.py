"""The import pages of the admin, from the upload to the confirmation.

``ImportMixin`` adds to a model's admin: an "Import" button on its list, the upload page
(columns explained in Catalan and English, an example file), the preview (nothing written),
the confirmation (all or nothing) and the preview's full report as a CSV download. It also
makes the list's CSV export write exactly the import's columns, so that an export
re-imports with no changes.

Between preview and confirmation the uploaded file waits in ``XMESS_IMPORT_DIR`` (a
temporary folder by default; it must be shared when several servers answer), named by a
random token that only the uploader's session knows, with the preview's full report and
the versions of the entries it read (``versions``: confirming refuses to write over an entry
changed since, and offers to preview the same file again).

Why one module over 300 lines: the upload, preview, confirm and report views are one flow
over one kept file, and read in the order an editor goes through them.
"""

import csv
import os
import secrets
import tempfile
import time
from pathlib import Path

from django import forms
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ..admin.scope import editor_municipality
from ..spreadsheets import csv_cell
from . import get_resource
from .engine import run_import
from .files import ImportFile, ImportFileError, max_bytes
from .versions import ConfirmCheck, PreviewNotes

SESSION_KEY = "xmess_imports"
PENDING_LIFETIME = 24 * 3600
REPORT_HEADER = ["row", "outcome", "entry", "column", "old", "new", "message"]


def pending_dir():
    folder = Path(
        getattr(settings, "XMESS_IMPORT_DIR", Path(tempfile.gettempdir()) / "xmess-imports")
    )
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def forget_old_files(folder):
    limit = time.time() - PENDING_LIFETIME
    for item in folder.iterdir():
        try:
            if item.stat().st_mtime < limit:
                item.unlink()
        except OSError:
            pass


class ReportWriter:
    """Writes every row's detail to a CSV file as the engine produces it."""

    def __init__(self, fileobj):
        self.writer = csv.writer(fileobj)
        self.writer.writerow(REPORT_HEADER)

    def __call__(self, result):
        outcome = result.outcome_display()
        lines = [(c, o, n, "") for c, o, n in result.changes] + [
            (c, "", "", m) for c, m in result.errors
        ]
        for column, old, new, message in lines or [("", "", "", "")]:
            self.writer.writerow(
                [
                    csv_cell(v)
                    for v in (result.row, outcome, result.label, column, old, new, message)
                ]
            )


class UploadForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("File (CSV or XLSX)"),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.xlsx,text/csv"}),
    )


class ImportMixin:
    """Add to a ModelAdmin (before its base class) whose model has an import resource."""

    def __init__(self, model, admin_site):
        super().__init__(model, admin_site)
        self.import_resource = get_resource(model._meta.label_lower)
        if self.import_resource is not None:
            # The export writes the import's columns: what staff download, they can upload.
            columns = self.import_resource().columns
            self.csv_columns = [(column.name, column.export) for column in columns]
            self.csv_select_related = self.import_resource.select_related
            self.export_m2m_columns = [column for column in columns if column.is_m2m]

    def get_csv_prefetch_related(self):
        if self.import_resource is None:
            return super().get_csv_prefetch_related()
        # New each time: a Prefetch keeps state from the rows it was last used on.
        return [column.export_prefetch() for column in self.export_m2m_columns]

    def _url_name(self, suffix):
        return f"{self.opts.app_label}_{self.opts.model_name}_{suffix}"

    def get_urls(self):
        wrap = self.admin_site.admin_view
        urls = [
            path("import/", wrap(self.import_view), name=self._url_name("import")),
            path("import/confirm/", wrap(self.confirm_view), name=self._url_name("import_confirm")),
            path(
                "import/again/",
                wrap(self.preview_again_view),
                name=self._url_name("import_again"),
            ),
            path(
                "import/example.csv", wrap(self.example_view), name=self._url_name("import_example")
            ),
            path(
                "import/report/<str:token>.csv",
                wrap(self.preview_report_view),
                name=self._url_name("import_report"),
            ),
        ]
        return urls + super().get_urls()

    def resource_for(self, request):
        if self.import_resource is None:
            raise PermissionDenied
        resource = self.import_resource(request.user)
        if not resource.can_import():
            raise PermissionDenied
        return resource

    def changelist_view(self, request, extra_context=None):
        can = self.import_resource is not None and self.import_resource(request.user).can_import()
        extra_context = {"has_import": can, **(extra_context or {})}
        return super().changelist_view(request, extra_context)

    def import_context(self, request, resource, **extra):
        return {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": _("Import %(what)s") % {"what": self.opts.verbose_name_plural},
            "resource": resource,
            "columns": resource.columns,
            "max_bytes": max_bytes(),
            "municipality": editor_municipality(request.user),
            **extra,
        }

    def import_view(self, request):
        resource = self.resource_for(request)
        form = UploadForm()
        if request.method == "POST":
            declared = int(request.META.get("CONTENT_LENGTH") or 0)
            if declared > max_bytes() + 64 * 1024:
                # Refused before Django reads (and stores) the whole upload.
                return self.refuse(
                    request,
                    resource,
                    form,
                    ImportFileError(
                        _("The file is too large; the largest file accepted is %(limit)s.")
                        % {"limit": f"{max_bytes() // (1024 * 1024)} MB"},
                        status=413,
                    ),
                )
            form = UploadForm(request.POST, request.FILES)
            if form.is_valid():
                return self.preview(request, resource, form)
            return TemplateResponse(
                request,
                "admin/xmess/import_form.html",
                self.import_context(request, resource, form=form),
                status=400,
            )
        return TemplateResponse(
            request,
            "admin/xmess/import_form.html",
            self.import_context(request, resource, form=form),
        )

    def refuse(self, request, resource, form, error):
        context = self.import_context(request, resource, form=form, file_error=error.message)
        return TemplateResponse(
            request, "admin/xmess/import_form.html", context, status=error.status
        )

    def preview(self, request, resource, form):
        upload = form.cleaned_data["file"]
        name = os.path.basename(upload.name)
        folder = pending_dir()
        forget_old_files(folder)
        token = secrets.token_urlsafe(18)
        stored = folder / f"{token}.upload"
        with stored.open("wb") as out:
            for chunk in upload.chunks():
                out.write(chunk)
        return self.run_preview(request, resource, form, token, name)

    def run_preview(self, request, resource, form, token, name):
        folder = pending_dir()
        try:
            with (
                (folder / f"{token}.upload").open("rb") as data,
                (folder / f"{token}.csv").open(
                    "w", encoding="utf-8-sig", newline=""
                ) as report_file,
                (folder / f"{token}.versions").open("w", encoding="utf-8") as notes,
            ):
                report = run_import(
                    resource,
                    ImportFile(data, name),
                    dry_run=True,
                    sink=ReportWriter(report_file),
                    versions=PreviewNotes(notes),
                )
        except ImportFileError as error:
            self.discard(token)
            return self.refuse(request, resource, form, error)
        if report.file_errors:
            self.discard(token)
            return self.render_report(request, resource, report, None)
        pending = request.session.get(SESSION_KEY, {})
        pending[token] = {"model": self.opts.label_lower, "name": name}
        request.session[SESSION_KEY] = pending
        return self.render_report(request, resource, report, token)

    def render_report(self, request, resource, report, token, status=None):
        context = self.import_context(request, resource, report=report, token=token)
        if status is None:
            status = 400 if report.file_errors else 200
        return TemplateResponse(request, "admin/xmess/import_preview.html", context, status=status)

    def discard(self, token):
        folder = pending_dir()
        for suffix in (".upload", ".csv", ".versions"):
            (folder / f"{token}{suffix}").unlink(missing_ok=True)

    def pending(self, request, token):
        entry = request.session.get(SESSION_KEY, {}).get(token)
        stored = pending_dir() / f"{token}.upload"
        versions = pending_dir() / f"{token}.versions"
        if (
            not entry
            or entry["model"] != self.opts.label_lower
            or not stored.exists()
            or not versions.exists()
        ):
            return None, None
        return entry, stored

    def expired(self, request, resource):
        context = self.import_context(
            request,
            resource,
            form=UploadForm(),
            file_error=_("This preview has expired: upload the file again."),
        )
        return TemplateResponse(request, "admin/xmess/import_form.html", context, status=400)

    def preview_again_view(self, request):
        """The kept file previewed anew (after a refused confirmation): no new upload."""
        if request.method != "POST":
            return HttpResponseRedirect(reverse(f"admin:{self._url_name('import')}"))
        resource = self.resource_for(request)
        token = request.POST.get("token", "")
        entry, _stored = self.pending(request, token)
        if entry is None:
            return self.expired(request, resource)
        return self.run_preview(request, resource, UploadForm(), token, entry["name"])

    def confirm_view(self, request):
        if request.method != "POST":
            return HttpResponseRedirect(reverse(f"admin:{self._url_name('import')}"))
        resource = self.resource_for(request)
        token = request.POST.get("token", "")
        entry, stored = self.pending(request, token)
        if entry is None:
            return self.expired(request, resource)
        try:
            with (
                stored.open("rb") as data,
                (pending_dir() / f"{token}.versions").open(encoding="utf-8") as notes,
            ):
                report = run_import(
                    resource,
                    ImportFile(data, entry["name"]),
                    dry_run=False,
                    versions=ConfirmCheck(notes),
                )
        except ImportFileError as error:
            return self.refuse(request, resource, UploadForm(), error)
        if report.has_errors:
            # Something changed since the preview (another editor, a deleted reference).
            return self.render_report(request, resource, report, token, status=409)
        self.discard(token)
        pending = request.session.get(SESSION_KEY, {})
        pending.pop(token, None)
        request.session[SESSION_KEY] = pending
        messages.success(
            request,
            _("“%(file)s” was imported: %(summary)s")
            % {"file": entry["name"], "summary": report.summary()},
        )
        return HttpResponseRedirect(
            reverse("admin:networks_importrecord_change", args=[report.record.pk])
        )

    def preview_report_view(self, request, token):
        self.resource_for(request)
        entry, _stored = self.pending(request, token)
        report = pending_dir() / f"{token}.csv"
        if entry is None or not report.exists():
            raise PermissionDenied
        stem = Path(entry["name"]).stem
        return FileResponse(
            report.open("rb"),
            as_attachment=True,
            filename=f"{stem}-report.csv",
            content_type="text/csv; charset=utf-8",
        )

    def example_view(self, request):
        resource = self.resource_for(request)
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = (
            f'attachment; filename="{self.opts.model_name}-example.csv"'
        )
        response.write("\ufeff")
        writer = csv.writer(response)
        columns = resource.columns
        writer.writerow([column.name for column in columns])
        queryset = resource.get_queryset()
        municipality = editor_municipality(request.user)
        if municipality is not None and hasattr(self, "municipal_filter"):
            queryset = self.municipal_filter(queryset, municipality)
        # A few real entries show the format better than made-up ones.
        for obj in queryset[:3]:
            writer.writerow([csv_cell(column.export(obj)) for column in columns])
        return response
