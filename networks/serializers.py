"""The API's representation of directory entries (also what the JSON and GeoJSON exports write).

Every translated field is given in both languages (``{"ca": …, "en": …}``, ``null`` where a
language has no text), every choice as its stable code beside its label in both languages,
and every entry with the URL of its page in each language. Related entries are ids, or a
small reference when a reader needs the name to make sense of the row (themes, municipality).

Serializers read only what the view's queryset selected and prefetched (see
``networks/api.py``): nothing here runs a query per row.

Why one module over 300 lines: the representations nest (a municipality inside an
organisation, a comarca inside a municipality) and share their field types; together they are
the one public format of the API and of every download.
"""

import functools

from django.conf import settings
from django.utils import translation
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from .models import (
    Comarca,
    Event,
    Funder,
    Funding,
    Membership,
    Municipality,
    Network,
    Organisation,
    Province,
    StrategicLine,
    Theme,
)

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
def linked_id_fields(serializer_class):
    """The names of the serializer's ``LinkedIdsField``s."""
    fields = serializer_class().fields.items()
    return tuple(name for name, field in fields if isinstance(field, LinkedIdsField))


def attach_linked_ids(rows, serializer_class):
    """Set ``row.linked_ids[name]`` for each ``LinkedIdsField`` of the serializer: one query
    per field, its link table joined to the linked rows for their order."""
    rows = list(rows)
    names = linked_id_fields(serializer_class)
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
        field = obj._meta.get_field(self.choice_field)
        value = getattr(obj, self.choice_field)
        labels = dict(field.flatchoices)
        if value not in labels:
            return dict.fromkeys(LANGUAGE_CODES, "")
        result = {}
        for code in LANGUAGE_CODES:
            with translation.override(code):
                result[code] = str(labels[value])
        return result


def page_urls(obj, request):
    """The absolute URL of the object's page in each language."""
    urls = {}
    for code in LANGUAGE_CODES:
        with translation.override(code):
            path = obj.get_absolute_url()
        urls[code] = request.build_absolute_uri(path) if request else path
    return urls


@extend_schema_field(URL_SCHEMA)
class PageURLField(serializers.Field):
    def __init__(self, **kwargs):
        super().__init__(source="*", read_only=True, **kwargs)

    def to_representation(self, obj):
        return page_urls(obj, self.context.get("request"))


class ThemeRefSerializer(serializers.ModelSerializer):
    name = TranslatedField()

    class Meta:
        model = Theme
        fields = ["id", "name"]


class ComarcaRefSerializer(serializers.ModelSerializer):
    name = TranslatedField()
    url = PageURLField()

    class Meta:
        model = Comarca
        fields = ["id", "code", "name", "url"]


class MunicipalityRefSerializer(serializers.ModelSerializer):
    """A municipality where something is: its name, comarca and province (no coordinates)."""

    comarca = ComarcaRefSerializer()
    province_label = ChoiceLabelField("province")

    class Meta:
        model = Municipality
        fields = ["id", "ine_code", "name", "comarca", "province", "province_label"]


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


class ComarcaSerializer(serializers.ModelSerializer):
    name = TranslatedField()
    slug = TranslatedField()
    provinces = ProvincesField(label=_("provinces"))
    municipality_count = serializers.IntegerField(label=_("municipalities"))
    url = PageURLField()

    class Meta:
        model = Comarca
        fields = ["id", "code", "name", "slug", "provinces", "municipality_count", "url"]


class ThemeSerializer(serializers.ModelSerializer):
    name = TranslatedField()
    slug = TranslatedField()
    description = TranslatedField()
    url = PageURLField()

    class Meta:
        model = Theme
        fields = ["id", "name", "slug", "description", "url"]


class MunicipalitySerializer(serializers.ModelSerializer):
    latitude = serializers.FloatField()
    longitude = serializers.FloatField()
    comarca = ComarcaRefSerializer()
    province_label = ChoiceLabelField("province")
    url = PageURLField()

    class Meta:
        model = Municipality
        fields = [
            "id",
            "ine_code",
            "idescat_code",
            "name",
            "slug",
            "latitude",
            "longitude",
            "comarca",
            "province",
            "province_label",
            "url",
        ]


class OrganisationSerializer(serializers.ModelSerializer):
    name = TranslatedField()
    slug = TranslatedField()
    kind_label = ChoiceLabelField("kind")
    description = TranslatedField()
    municipality = MunicipalityRefSerializer(allow_null=True)
    themes = ThemeRefSerializer(many=True)
    url = PageURLField()

    class Meta:
        model = Organisation
        fields = [
            "id",
            "name",
            "slug",
            "kind",
            "kind_label",
            "description",
            "website",
            "municipality",
            "parent",
            "themes",
            "url",
        ]


class StrategicLineSerializer(serializers.ModelSerializer):
    title = TranslatedField()
    description = TranslatedField()

    class Meta:
        model = StrategicLine
        fields = ["number", "title", "description"]


class WorkingGroupSerializer(serializers.ModelSerializer):
    name = TranslatedField()
    url = PageURLField()

    class Meta:
        model = Network
        fields = ["id", "name", "url"]


class NetworkSerializer(serializers.ModelSerializer):
    name = TranslatedField()
    slug = TranslatedField()
    kind_label = ChoiceLabelField("kind")
    scope_label = ChoiceLabelField("scope")
    summary = TranslatedField()
    description = TranslatedField()
    themes = ThemeRefSerializer(many=True)
    working_groups = WorkingGroupSerializer(many=True, label=_("working groups"))
    strategic_lines = StrategicLineSerializer(many=True, label=_("strategic lines"))
    url = PageURLField()

    class Meta:
        model = Network
        fields = [
            "id",
            "name",
            "slug",
            "acronym",
            "kind",
            "kind_label",
            "scope",
            "scope_label",
            "summary",
            "description",
            "website",
            "social_handle",
            "founded_on",
            "parent",
            "host",
            "themes",
            "working_groups",
            "strategic_lines",
            "url",
        ]


class MembershipSerializer(serializers.ModelSerializer):
    role_label = ChoiceLabelField("role")
    note = TranslatedField()

    class Meta:
        model = Membership
        fields = [
            "id",
            "network",
            "organisation",
            "municipality",
            "role",
            "role_label",
            "start_year",
            "end_year",
            "note",
        ]


class FunderSerializer(serializers.ModelSerializer):
    name = TranslatedField()
    slug = TranslatedField()
    kind_label = ChoiceLabelField("kind")
    description = TranslatedField()
    url = PageURLField()

    class Meta:
        model = Funder
        fields = [
            "id",
            "name",
            "slug",
            "kind",
            "kind_label",
            "description",
            "website",
            "organisation",
            "url",
        ]


class FundingSerializer(serializers.ModelSerializer):
    project = TranslatedField()
    description = TranslatedField()
    amount = serializers.DecimalField(
        max_digits=12, decimal_places=2, coerce_to_string=True, allow_null=True
    )

    class Meta:
        model = Funding
        fields = [
            "id",
            "funder",
            "project",
            "network",
            "organisation",
            "event",
            "description",
            "start_year",
            "end_year",
            "agreements",
            "amount",
        ]


@extend_schema_field(OpenApiTypes.STR)
class PartialDateField(serializers.Field):
    """The start date no more precisely than it is known: "2021-03-18", "2021-03" or "2021"."""

    def __init__(self, **kwargs):
        super().__init__(source="*", read_only=True, **kwargs)

    def to_representation(self, event):
        iso = event.start_date.isoformat()
        return {"year": iso[:4], "month": iso[:7]}.get(event.date_precision, iso)


class EventSerializer(serializers.ModelSerializer):
    title = TranslatedField()
    slug = TranslatedField()
    date = PartialDateField(
        label=_("date as known"),
        help_text="The start date as precisely as it is known (YYYY-MM-DD, YYYY-MM or YYYY).",
    )
    date_precision_label = ChoiceLabelField("date_precision")
    place = TranslatedField()
    description = TranslatedField()
    municipality = MunicipalityRefSerializer(allow_null=True)
    themes = ThemeRefSerializer(many=True)
    organisers = LinkedIdsField()
    networks = LinkedIdsField()
    url = PageURLField()

    class Meta:
        model = Event
        fields = [
            "id",
            "title",
            "slug",
            "date",
            "start_date",
            "end_date",
            "date_precision",
            "date_precision_label",
            "place",
            "online",
            "municipality",
            "description",
            "recording_url",
            "organisers",
            "networks",
            "themes",
            "url",
        ]
