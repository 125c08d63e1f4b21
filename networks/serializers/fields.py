"""The field types and helpers every representation shares: texts in each language, choice
labels, page URLs, the ids of linked rows, provinces and dates as precisely as known."""

import functools

from django.conf import settings
from django.core.exceptions import FieldDoesNotExist
from django.utils import translation
from django.utils.encoding import iri_to_uri
from django.utils.text import capfirst
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from ..models import Province
from ..models import choice_labels as labels_in

LANGUAGE_CODES = [code for code, _name in settings.LANGUAGES]


def per_language(schema):
    return {
        "type": "object",
        "properties": {code: schema for code in LANGUAGE_CODES},
        "required": LANGUAGE_CODES,
    }


TEXT_SCHEMA = per_language({"type": "string", "nullable": True})
URL_SCHEMA = per_language({"type": "string", "format": "uri"})


@extend_schema_field(TEXT_SCHEMA)
class TranslatedField(serializers.Field):
    """``name`` -> ``{"ca": obj.name_ca, "en": obj.name_en}`` (no fallback between languages)."""

    def __init__(self, **kwargs):
        super().__init__(source="*", read_only=True, **kwargs)

    def to_representation(self, obj):
        return {code: getattr(obj, f"{self.field_name}_{code}") or None for code in LANGUAGE_CODES}


class LinkedIdsField(serializers.ListField):
    """The ids of the rows a many-to-many field links to, in their model's order, from
    ``obj.linked_ids`` (filled by ``attach_linked_ids``): no model instance is built for
    them, where a prefetch built one for each (a third of the time of 100 actions)."""

    def __init__(self, **kwargs):
        super().__init__(child=serializers.IntegerField(), read_only=True, **kwargs)

    def bind(self, field_name, parent):
        if self.label is None:  # the model field's name, as a ModelSerializer field has it
            self.label = capfirst(parent.Meta.model._meta.get_field(field_name).verbose_name)
        super().bind(field_name, parent)

    def get_attribute(self, instance):
        return instance.linked_ids[self.field_name]


@functools.cache
def field_names(serializer_class, field_class):
    """The names of the serializer's fields of ``field_class`` (``LinkedIdsField``): what
    the rows of a page need read for them."""
    fields = serializer_class().fields.items()
    return tuple(name for name, field in fields if isinstance(field, field_class))


def attach_linked_ids(rows, serializer_class):
    """Set ``row.linked_ids[name]`` for each ``LinkedIdsField`` of the serializer: one query
    per field, its link table joined to the linked rows for their order."""
    rows = list(rows)
    names = field_names(serializer_class, LinkedIdsField)
    if not rows or not names:
        return
    meta = rows[0]._meta
    for row in rows:
        row.linked_ids = {name: [] for name in names}
    by_pk = {row.pk: row for row in rows}
    for name in names:
        field = meta.get_field(name)
        back = field.related_query_name()
        linked = field.related_model._default_manager.filter(**{f"{back}__in": list(by_pk)})
        for pk, linked_pk in linked.values_list(back, "pk"):
            by_pk[pk].linked_ids[name].append(linked_pk)


@extend_schema_field(per_language({"type": "string"}))
class ChoiceLabelField(serializers.Field):
    """The label of a choice in each language; the code itself is the field of the same name."""

    def __init__(self, choice_field, **kwargs):
        self.choice_field = choice_field
        super().__init__(source="*", read_only=True, **kwargs)

    def to_representation(self, obj):
        labels = choice_labels(type(obj), self.choice_field)
        value = getattr(obj, self.choice_field)
        return dict(labels.get(value) or dict.fromkeys(LANGUAGE_CODES, ""))


@functools.cache
def choice_labels(model, name):
    """{code: {language: label}} of a model's choice field, translated once per process
    (a page of 100 actions translated 200 labels, each under two languages)."""
    field = model._meta.get_field(name)
    tables = {code: labels_in(field, code) for code in LANGUAGE_CODES}
    return {
        value: {code: tables[code][value] for code in LANGUAGE_CODES}
        for value, _label in field.flatchoices
    }


def page_urls(obj, request):
    """The absolute URL of the object's page in each language."""
    return page_url_maps([obj], request)[0]


def page_url_maps(rows, request):
    """``page_urls`` of each row: each language activated once for all of them, and the
    site's scheme and host read once (100 actions: 16 ms row by row, 9 ms this way)."""
    maps = [{} for _row in rows]
    root = request.build_absolute_uri("/")[:-1] if request else ""
    for code in LANGUAGE_CODES:
        with translation.override(code):
            for row, urls in zip(rows, maps, strict=True):
                urls[code] = _absolute(request, root, row.get_absolute_url())
    return maps


def attach_page_urls(rows, serializer_class, request):
    """Set ``row.page_url_map`` (``page_urls``) on the rows of a page a serializer with a
    ``PageURLField`` will write, and on the rows its nested serializers write with one (each
    municipality's comarca), worked out together (``page_url_maps``): each distinct row
    once. A page of 100 municipalities worked out its comarques' URLs row by row, a third of
    its time. A nested row is reached only through relations already read with the rows
    (``select_related``): one that is not is left to ``PageURLField``, never queried here."""
    rows = list(rows)
    for path in url_paths(serializer_class):
        reached = rows
        for name in path:
            reached = [
                related
                for row in reached
                if _is_read(row, name) and (related := getattr(row, name)) is not None
            ]
        distinct = {}
        for row in reached:  # (an unsaved row is only itself)
            key = (type(row), row.pk) if row.pk is not None else id(row)
            distinct.setdefault(key, []).append(row)
        groups = list(distinct.values())
        if not groups:
            continue
        urls = page_url_maps([group[0] for group in groups], request)
        for group, row_urls in zip(groups, urls, strict=True):
            for row in group:
                row.page_url_map = row_urls


def _is_read(row, name):
    """Whether the row's relation ``name`` was read with it: following it runs no query."""
    try:
        field = row._meta.get_field(name)
    except FieldDoesNotExist:  # a property: what it reads is not known here
        return False
    is_cached = getattr(field, "is_cached", None)  # a foreign key or one-to-one, either way
    return is_cached is not None and is_cached(row)


@functools.cache
def url_paths(serializer_class):
    """The relations from a serializer's row to each row a ``PageURLField`` of it or of its
    nested serializers writes: ``()`` for the row itself, ``("municipality", "comarca")``
    for an organisation's comarca. Nested lists (``many=True``) are not followed."""
    paths = []

    def walk(serializer, path):
        for field in serializer.fields.values():
            if isinstance(field, PageURLField):
                paths.append(path)
            elif isinstance(field, serializers.Serializer) and field.source_attrs:
                walk(field, (*path, *field.source_attrs))

    walk(serializer_class(), ())
    return tuple(dict.fromkeys(paths))


def _absolute(request, root, path):
    """``request.build_absolute_uri(path)``, without splitting the URL again for a path from
    the site's root: its scheme and host are ``root``, read once a page."""
    if request is None:
        return path
    plain = path.startswith("/") and not path.startswith("//")
    if plain and "/./" not in path and "/../" not in path:
        return root + iri_to_uri(path)
    return request.build_absolute_uri(path)


@extend_schema_field(URL_SCHEMA)
class PageURLField(serializers.Field):
    """The object's page in each language: from ``attach_page_urls`` when the view has
    attached them to the rows of a page, otherwise worked out here."""

    def __init__(self, **kwargs):
        super().__init__(source="*", read_only=True, **kwargs)

    def to_representation(self, obj):
        attached = getattr(obj, "page_url_map", None)
        if attached is not None:
            return dict(attached)
        return page_urls(obj, self.context.get("request"))


def province_labels(code):
    labels = {}
    for language in LANGUAGE_CODES:
        with translation.override(language):
            labels[language] = str(Province(code).label)
    return labels


@extend_schema_field(
    {
        "type": "array",
        "items": {
            "type": "object",
            "properties": {
                "code": {"type": "string", "enum": Province.values},
                "label": per_language({"type": "string"}),
            },
            "required": ["code", "label"],
        },
    }
)
class ProvincesField(serializers.Field):
    """The provinces a comarca's municipalities are in, from ``Comarca.objects.with_places()``."""

    def __init__(self, **kwargs):
        super().__init__(source="*", read_only=True, **kwargs)

    def to_representation(self, comarca):
        return [
            {"code": code, "label": province_labels(code)}
            for code in Province.values
            if getattr(comarca, f"in_province_{code}")
        ]


@extend_schema_field(OpenApiTypes.STR)
class PartialDateField(serializers.Field):
    """The start date no more precisely than it is known: "2021-03-18", "2021-03" or "2021"."""

    def __init__(self, **kwargs):
        super().__init__(source="*", read_only=True, **kwargs)

    def to_representation(self, event):
        iso = event.start_date.isoformat()
        return {"year": iso[:4], "month": iso[:7]}.get(event.date_precision, iso)
