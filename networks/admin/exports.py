"""CSV export of a changelist: a "CSV" button that downloads what the list currently shows,
with the same filters and search, its cells guarded against spreadsheet formulas.
"""

from django.contrib.admin.views.main import IncorrectLookupParameters
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse, HttpResponseBadRequest
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _

from ..spreadsheets import write_csv


def resolve(obj, accessor):
    if callable(accessor):
        return accessor(obj)
    value = obj
    for part in accessor.split("__"):
        value = getattr(value, part, None)
        if value is None:
            return None
    if hasattr(value, "all") and callable(value.all):  # a many-to-many manager
        return "; ".join(str(item) for item in value.all())
    return value


class CSVExportMixin:
    """A "CSV" button on the changelist that exports what the list currently shows.

    ``csv_columns``: (header, accessor) pairs; an accessor is a field path ("line__number")
    or a callable taking the object. Headers are stable column names, not translated, so a
    spreadsheet built on one export keeps working with the next.
    """

    csv_columns = ()
    csv_select_related = ()
    csv_prefetch_related = ()

    def get_urls(self):
        info = self.opts.app_label, self.opts.model_name
        urls = []
        if self.csv_columns:
            urls.append(
                path(
                    "export.csv",
                    self.admin_site.admin_view(self.export_csv_view),
                    name="{}_{}_export".format(*info),
                )
            )
        return urls + super().get_urls()

    def changelist_view(self, request, extra_context=None):
        extra_context = {"has_csv_export": bool(self.csv_columns), **(extra_context or {})}
        return super().changelist_view(request, extra_context)

    def export_csv_view(self, request):
        if not self.has_view_or_change_permission(request):
            raise PermissionDenied
        try:
            changelist = self.get_changelist_instance(request)
        except IncorrectLookupParameters:
            return HttpResponseBadRequest(_("These filters are not valid."))
        queryset = changelist.queryset
        if self.csv_select_related:
            queryset = queryset.select_related(*self.csv_select_related)
        if self.csv_prefetch_related:
            queryset = queryset.prefetch_related(*self.csv_prefetch_related)
        stamp = timezone.localdate().isoformat()
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = (
            f'attachment; filename="{self.opts.model_name}-{stamp}.csv"'
        )
        columns = self.csv_columns
        write_csv(
            response,
            [header for header, _accessor in columns],
            ([resolve(obj, accessor) for _header, accessor in columns] for obj in queryset),
            bom=True,
        )
        return response
