"""Downloads of the public lists, as the visitor filtered them: CSV, JSON and GeoJSON.

Rows come from the list page's own FilterSet with the same query string, in the same order,
so a download holds exactly the rows the list shows (all pages of them). Every format is
built from the API's representation (``networks/serializers/``):

- JSON: ``{"licence", "source", "results": [...]}``, each result as the API gives it.
- GeoJSON: one Feature per row, ``id`` the entry's id, the API's representation as
  properties, a Point at the municipality's representative point (longitude, latitude) or a
  null geometry when the row has no place (it stays in the file: it matched the filters).
- CSV: headers in the page's language; one column per language for each translated text,
  the label in the page's language beside a "(code)" column for each choice. UTF-8 with a
  byte order mark (see actions/exports.py) and the formula guard of spreadsheets.py.
  ``?separator=semicolon`` writes semicolons and decimal commas, which spreadsheets set to
  Catalan or Spanish open in columns straight away.

Responses are streamed in chunks of rows, with prefetching per chunk: a list can hold
100,000 organisations. They carry no cookie and allow any origin, like the API.

Each download is kept on disk per content version (``kept_downloads.py``): the whole
organisations list takes some 26 s to write, and only the first visitor after a change waits.

Why one module over 300 lines: the three formats, their column mapping and the views that
stream them change together whenever the API's representation does.
"""

import contextlib
import csv
import json
from decimal import Decimal

from django.core.exceptions import FieldDoesNotExist
from django.core.serializers.json import DjangoJSONEncoder
from django.http import Http404
from django.urls import reverse
from django.utils import translation
from django.utils.text import capfirst
from django.utils.translation import get_language_info
from django.utils.translation import gettext_lazy as _
from django.views import View
from rest_framework.serializers import ListSerializer, ManyRelatedField, Serializer

from . import filters, kept_downloads
from . import serializers as api
from .api import allow_cross_origin_get, router
from .models import Event, Funder, Municipality, Network, Organisation
from .models.listing import attach_references
from .spreadsheets import csv_cell

FORMATS = ("csv", "json", "geojson")
CHUNK_SIZE = 500
LICENCE = {"name": "CC BY 4.0", "url": "https://creativecommons.org/licenses/by/4.0/"}
CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "json": "application/json; charset=utf-8",
    "geojson": "application/geo+json; charset=utf-8",
}


class Echo:
    """A file-like object whose write() hands back the line, for csv.writer in a stream."""

    def write(self, value):
        return value


def _field_label(model, name, label=None):
    """The model field's verbose name, else the serializer field's label (both translated)."""
    # Not a model field, or a reverse relation (which has no verbose name): keep the label.
    with contextlib.suppress(FieldDoesNotExist, AttributeError):
        label = model._meta.get_field(name).verbose_name
    return capfirst(str(label or name))


def _language_name(code):
    return get_language_info(code)["name_translated"]


def _join(values):
    return "; ".join(str(value) for value in values if value not in (None, ""))


def csv_columns(serializer, language):
    """(header, function of the representation) pairs, in the serializer's field order."""
    model = serializer.child.Meta.model
    fields = serializer.child.fields
    columns = []
    for name, field in fields.items():
        label = _field_label(model, name, field.label)
        if isinstance(field, api.TranslatedField):
            for code in api.LANGUAGE_CODES:
                header = _("%(field)s (%(language)s)") % {
                    "field": label,
                    "language": _language_name(code),
                }
                columns.append((header, lambda row, n=name, c=code: row[n][c]))
        elif isinstance(field, api.PageURLField):
            columns.append((str(_("Page")), lambda row, n=name: row[n][language]))
        elif isinstance(field, api.ChoiceLabelField):
            code_field = field.choice_field
            code_label = _field_label(model, code_field)
            columns.append((code_label, lambda row, n=name: row[n][language]))
            columns.append(
                (
                    _("%(field)s (code)") % {"field": code_label},
                    lambda row, c=code_field: row[c],
                )
            )
        elif name in {f.choice_field for f in fields.values() if hasattr(f, "choice_field")}:
            continue  # written beside its label
        elif isinstance(field, ListSerializer):
            columns.append(
                (label, lambda row, n=name: _join(_ref_name(v, language) for v in row[n]))
            )
        elif isinstance(field, Serializer):
            columns += _ref_columns(field, label, lambda row, n=name: row[n], language)
        elif isinstance(field, ManyRelatedField | api.LinkedIdsField):
            columns.append((label, lambda row, n=name: " ".join(str(v) for v in row[n])))
        else:
            columns.append((label, lambda row, n=name: row[n]))
    return columns


def _ref_value(ref, key):
    return "" if ref is None else ref[key]


def _ref_columns(serializer, label, get, language):
    """A related entry's name, its code if it has one, then where it is (comarca, province).

    ``get`` reads the related entry's representation (or None) from the row's.
    """
    model = serializer.Meta.model
    code_header = _("%(field)s (code)")
    columns = [(label, lambda row: _ref_name(get(row), language))]
    if "code" in serializer.fields:
        columns.append((code_header % {"field": label}, lambda row: _ref_value(get(row), "code")))
    for name, field in serializer.fields.items():
        if isinstance(field, api.ChoiceLabelField):
            code_label = _field_label(model, field.choice_field)
            columns.append(
                (code_label, lambda row, n=name: (_ref_value(get(row), n) or {}).get(language, ""))
            )
            columns.append(
                (
                    code_header % {"field": code_label},
                    lambda row, c=field.choice_field: _ref_value(get(row), c),
                )
            )
        elif isinstance(field, Serializer):
            columns += _ref_columns(
                field,
                _field_label(model, name, field.label),
                lambda row, n=name: (get(row) or {}).get(n),
                language,
            )
    return columns


def _ref_name(ref, language):
    if ref is None:
        return ""
    name = ref.get("name") or ref.get("title")
    name = name.get(language) if isinstance(name, dict) else name
    return f"{ref['number']}. {name}" if "number" in ref else name


class ListExport:
    """One public list's downloads: its FilterSet, its rows' queryset and representation."""

    def __init__(self, key, title, queryset, filterset_class, serializer_class, point=None):
        self.key = key
        self.title = title
        self.queryset = queryset
        self.filterset_class = filterset_class
        self.serializer_class = serializer_class
        self.point = point

    def rows(self, request):
        queryset = self.queryset.order_by(*self.queryset.model._meta.ordering, "id")
        filterset = self.filterset_class(request.GET or None, queryset=queryset, request=request)
        return filterset.qs

    def chunks(self, request):
        """(objects, representations) per chunk of rows, prefetching per chunk."""
        chunk = []
        for obj in self.rows(request).iterator(chunk_size=CHUNK_SIZE):
            chunk.append(obj)
            if len(chunk) == CHUNK_SIZE:
                yield chunk, self.represent(chunk, request)
                chunk = []
        if chunk:
            yield chunk, self.represent(chunk, request)

    def represent(self, objects, request):
        # Ids of linked rows (LinkedIdsField), themes and places, per chunk as the API has them.
        api.attach_linked_ids(objects, self.serializer_class)
        attach_references(objects)
        api.attach_page_urls(objects, self.serializer_class, request)
        return self.serializer_class(objects, many=True, context={"request": request}).data


def _point(municipality):
    if municipality is None:
        return None
    return {
        "type": "Point",
        "coordinates": [float(municipality.longitude), float(municipality.latitude)],
    }


EXPORTS = {
    export.key: export
    for export in [
        ListExport(
            "networks",
            _("Networks"),
            Network.objects.for_api(),
            filters.NetworkFilter,
            api.NetworkSerializer,
        ),
        ListExport(
            "organisations",
            _("Organisations"),
            Organisation.objects.all(),
            filters.OrganisationFilter,
            api.OrganisationSerializer,
            point=lambda organisation: _point(organisation.municipality),
        ),
        ListExport(
            "funders",
            _("Funders"),
            Funder.objects.all(),
            filters.FunderFilter,
            api.FunderSerializer,
        ),
        ListExport(
            "municipalities",
            _("Municipalities"),
            Municipality.objects.all(),
            filters.MunicipalityFilter,
            api.MunicipalitySerializer,
            point=_point,
        ),
        ListExport(
            "events",
            _("Events"),
            Event.objects.all(),
            filters.EventFilter,
            api.EventSerializer,
            point=lambda event: _point(event.municipality),
        ),
    ]
}


def _dumps(value):
    return json.dumps(value, ensure_ascii=False, cls=DjangoJSONEncoder)


def stream_json(export, request):
    yield f'{{"licence": {_dumps(LICENCE)}, "source": {_dumps(request.build_absolute_uri())}, '
    yield '"results": ['
    first = True
    for _objects, rows in export.chunks(request):
        for row in rows:
            yield ("\n" if first else ",\n") + _dumps(row)
            first = False
    yield "\n]}\n"


def stream_geojson(export, request):
    yield f'{{"type": "FeatureCollection", "licence": {_dumps(LICENCE)}, "features": ['
    first = True
    for objects, rows in export.chunks(request):
        for obj, row in zip(objects, rows, strict=True):
            feature = {
                "type": "Feature",
                "id": obj.pk,
                "geometry": export.point(obj),
                "properties": row,
            }
            yield ("\n" if first else ",\n") + _dumps(feature)
            first = False
    yield "\n]}\n"


def _semicolon_cell(value):
    if isinstance(value, float | Decimal):
        return str(value).replace(".", ",")
    return csv_cell(value)


def stream_csv(export, request, language, semicolon):
    writer = csv.writer(Echo(), delimiter=";" if semicolon else ",")
    cell = _semicolon_cell if semicolon else csv_cell
    serializer = export.serializer_class(many=True, context={"request": request})
    columns = csv_columns(serializer, language)
    yield "\ufeff" + writer.writerow([csv_cell(str(header)) for header, _get in columns])
    for _objects, rows in export.chunks(request):
        yield "".join(writer.writerow([cell(get(row)) for _h, get in columns]) for row in rows)


def in_language(language, stream):
    """Keep the page's language while the response streams (after the view has returned)."""
    with translation.override(language):
        yield from stream


class ListExportView(View):
    """``<list>/download.<format>?<the list's filters>``."""

    export_key = None
    http_method_names = ["get", "head"]

    def get(self, request, format):
        if format not in FORMATS:
            raise Http404
        export = EXPORTS[self.export_key]
        if format == "geojson" and export.point is None:
            raise Http404
        language = translation.get_language()
        semicolon = request.GET.get("separator") == "semicolon"

        def stream():
            if format == "csv":
                return stream_csv(export, request, language, semicolon)
            if format == "json":
                return stream_json(export, request)
            return stream_geojson(export, request)

        response = kept_downloads.response(
            request,
            language,
            format,
            lambda: in_language(language, stream()),
            CONTENT_TYPES[format],
        )
        disposition = "inline" if format != "csv" else "attachment"
        response["Content-Disposition"] = f'{disposition}; filename="{export.key}.{format}"'
        response["Content-Language"] = language
        return allow_cross_origin_get(request, response)


def view(key):
    return ListExportView.as_view(export_key=key)


def catalogue(request):
    """The open data page's lists: every download and every API endpoint."""
    downloads = [
        {
            "title": export.title,
            "url_name": f"networks:{EXPORT_URL_NAMES[export.key]}",
            "geojson": export.point is not None,
        }
        for export in EXPORTS.values()
    ]
    endpoints = [
        {
            "path": f"/api/v1/{prefix}/",
            "title": viewset.queryset.model._meta.verbose_name_plural,
            "filters": _filter_names(viewset),
        }
        for prefix, viewset, _basename in router.registry
    ]
    return {
        "downloads": downloads,
        "endpoints": endpoints,
        "licence": LICENCE,
        "api_docs_url": reverse("api:docs"),
        "api_schema_url": reverse("api:schema"),
    }


def _filter_names(viewset):
    if getattr(viewset, "filterset_class", None):
        return list(viewset.filterset_class.base_filters)
    return list(getattr(viewset, "filterset_fields", []))


EXPORT_URL_NAMES = {
    "networks": "network_export",
    "organisations": "organisation_export",
    "funders": "funder_export",
    "municipalities": "municipality_export",
    "events": "event_export",
}
