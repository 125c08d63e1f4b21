"""Themes and places: the small references other entries nest (a theme, a comarca, a
municipality) and the full representations of themes, comarques and municipalities."""

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from ..models import Comarca, Municipality, Theme
from .fields import ChoiceLabelField, PageURLField, ProvincesField, TranslatedField


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
