"""Funders and the fundings they gave (amounts as strings, to the cent)."""

from rest_framework import serializers

from ..models import Funder, Funding
from .fields import ChoiceLabelField, PageURLField, TranslatedField


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
