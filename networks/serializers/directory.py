"""The directory's entries: organisations, networks (with their working groups and strategic
lines) and memberships."""

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from ..models import Membership, Network, Organisation, StrategicLine
from .fields import ChoiceLabelField, PageURLField, TranslatedField
from .places import MunicipalityRefSerializer, ThemeRefSerializer


class OrganisationSerializer(serializers.ModelSerializer):
    name = TranslatedField()
    slug = TranslatedField()
    kind_label = ChoiceLabelField("kind")
    description = TranslatedField()
    municipality = MunicipalityRefSerializer(allow_null=True)
    themes = ThemeRefSerializer(many=True, source="theme_list")
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
    themes = ThemeRefSerializer(many=True, source="theme_list")
    working_groups = WorkingGroupSerializer(
        many=True, source="working_group_list", label=_("working groups")
    )
    strategic_lines = StrategicLineSerializer(
        many=True, source="strategic_line_list", label=_("strategic lines")
    )
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
