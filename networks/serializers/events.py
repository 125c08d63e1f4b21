"""Events: their date as precisely as it is known, their place, and the organisations,
networks and themes involved."""

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from ..models import Event
from .fields import (
    ChoiceLabelField,
    LinkedIdsField,
    PageURLField,
    PartialDateField,
    TranslatedField,
)
from .places import MunicipalityRefSerializer, ThemeRefSerializer


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
    themes = ThemeRefSerializer(many=True, source="theme_list")
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
