"""The admin's list of past imports: who imported which file, its report, and its undo.

The import pages themselves (``ImportMixin``) are in ``upload``.
"""

import csv
import io
from pathlib import Path

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponseRedirect, StreamingHttpResponse
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ..admin.scope import editor_municipality
from ..spreadsheets import csv_cell
from . import get_resource
from .models import ImportRecord
from .undo import UndoRefused, undo_import
from .upload import REPORT_HEADER

# --- Past imports ----------------------------------------------------------------------------


def _resource(record, user):
    resource_class = get_resource(record.model_label)
    return resource_class(user) if resource_class is not None else None


@admin.register(ImportRecord)
class ImportRecordAdmin(admin.ModelAdmin):
    """Read-only: who imported which file, what it did, and the button to undo it."""

    list_display = ["file_name", "kind", "user", "created_at", "created", "changed", "undone_at"]
    list_select_related = ["user"]
    list_filter = ["model_label"]
    search_fields = ["file_name"]
    actions = None
    SHOWN = 200

    @admin.display(description=gettext_lazy("kind of entries"))
    def kind(self, obj):
        resource = get_resource(obj.model_label)
        return resource.verbose_name_plural() if resource else obj.model_label

    def get_urls(self):
        wrap = self.admin_site.admin_view
        return [
            path("<int:pk>/undo/", wrap(self.undo_view), name="networks_importrecord_undo"),
            path(
                "<int:pk>/report.csv", wrap(self.report_view), name="networks_importrecord_report"
            ),
            *super().get_urls(),
        ]

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        if request.user.is_superuser:
            return queryset
        if editor_municipality(request.user) is not None:
            return queryset.filter(user=request.user)
        labels = [
            label
            for label, resource in self.importable(request).items()
            if resource(request.user).can_import()
        ]
        return queryset.filter(model_label__in=labels)

    def importable(self, request):
        from . import all_resources

        return all_resources()

    def has_module_permission(self, request):
        return (
            request.user.is_active
            and request.user.is_staff
            and any(
                resource(request.user).can_import()
                for resource in self.importable(request).values()
            )
        )

    def has_view_permission(self, request, obj=None):
        if not self.has_module_permission(request):
            return False
        return obj is None or self.get_queryset(request).filter(pk=obj.pk).exists()

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def can_undo(self, request, record):
        resource = _resource(record, request.user)
        if record.undone_at is not None or resource is None or not resource.can_import():
            return False
        return not (record.created and not resource._has("delete"))

    def change_view(self, request, object_id, form_url="", extra_context=None):
        record = self.get_object(request, object_id)
        if record is None or not self.has_view_permission(request, record):
            raise PermissionDenied
        return self.render_record(request, record)

    def render_record(self, request, record, refused=None, status=200):
        resource = get_resource(record.model_label)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": str(record),
            "record": record,
            "kind": resource.verbose_name_plural() if resource else record.model_label,
            "entries": record.entries.all()[: self.SHOWN],
            "more": max(0, record.created + record.changed - self.SHOWN),
            "can_undo": self.can_undo(request, record),
            "refused": refused,
        }
        return TemplateResponse(request, "admin/xmess/import_record.html", context, status=status)

    def undo_view(self, request, pk):
        record = get_object_or_404(self.get_queryset(request), pk=pk)
        if request.method != "POST":
            return HttpResponseRedirect(reverse("admin:networks_importrecord_change", args=[pk]))
        if not self.can_undo(request, record):
            raise PermissionDenied
        try:
            undo_import(record, request.user)
        except UndoRefused as refusal:
            return self.render_record(request, record, refused=refusal.reasons, status=409)
        messages.success(
            request, _("The import of “%(file)s” was undone.") % {"file": record.file_name}
        )
        return HttpResponseRedirect(reverse("admin:networks_importrecord_change", args=[pk]))

    def report_view(self, request, pk):
        record = get_object_or_404(self.get_queryset(request), pk=pk)

        def lines():
            buffer = io.StringIO()
            writer = csv.writer(buffer)
            buffer.write("\ufeff")
            writer.writerow(REPORT_HEADER)
            for entry in record.entries.iterator(chunk_size=1000):
                outcome = entry.get_outcome_display()
                for column, old, new in entry.changes or [("", "", "")]:
                    writer.writerow(
                        [
                            csv_cell(v)
                            for v in (entry.row, outcome, entry.label, column, old, new, "")
                        ]
                    )
                yield buffer.getvalue()
                buffer.seek(0)
                buffer.truncate()

        response = StreamingHttpResponse(lines(), content_type="text/csv; charset=utf-8")
        stem = Path(record.file_name).stem
        response["Content-Disposition"] = f'attachment; filename="{stem}-import-{record.pk}.csv"'
        return response
