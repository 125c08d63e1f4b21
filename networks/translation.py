"""Which fields exist in Catalan and English (modeltranslation adds `_ca` and `_en` columns).

Names and slugs are required in both languages: modeltranslation's queries do not fall back
between languages, and each language has its own URL. History is registered here, after the
translation fields exist, so that every edit is kept per field and per language.
"""

from modeltranslation.translator import TranslationOptions, register

from .history_records import record_history
from .models import (
    Comarca,
    Event,
    Funder,
    Funding,
    Membership,
    Municipality,
    Network,
    Organisation,
    ReportedMemberCount,
    StrategicLine,
    Theme,
)

BOTH = ("ca", "en")


@register(Theme)
class ThemeTranslation(TranslationOptions):
    fields = ("name", "slug", "description")
    required_languages = {lang: ("name", "slug") for lang in BOTH}


@register(Comarca)
class ComarcaTranslation(TranslationOptions):
    fields = ("name", "slug")
    required_languages = {lang: ("name", "slug") for lang in BOTH}


@register(Organisation)
class OrganisationTranslation(TranslationOptions):
    fields = ("name", "slug", "description")
    required_languages = {lang: ("name", "slug") for lang in BOTH}


@register(Network)
class NetworkTranslation(TranslationOptions):
    fields = ("name", "slug", "summary", "description")
    required_languages = {lang: ("name", "slug") for lang in BOTH}


@register(StrategicLine)
class StrategicLineTranslation(TranslationOptions):
    fields = ("title", "description")
    required_languages = {lang: ("title",) for lang in BOTH}


@register(Membership)
class MembershipTranslation(TranslationOptions):
    fields = ("note",)


@register(ReportedMemberCount)
class ReportedMemberCountTranslation(TranslationOptions):
    fields = ("description",)
    required_languages = {lang: ("description",) for lang in BOTH}


@register(Funder)
class FunderTranslation(TranslationOptions):
    fields = ("name", "slug", "description")
    required_languages = {lang: ("name", "slug") for lang in BOTH}


@register(Funding)
class FundingTranslation(TranslationOptions):
    fields = ("project", "description")


@register(Event)
class EventTranslation(TranslationOptions):
    fields = ("title", "slug", "place", "description")
    required_languages = {lang: ("title", "slug") for lang in BOTH}


for model in (
    Comarca,
    Theme,
    Municipality,
    Organisation,
    Network,
    StrategicLine,
    Membership,
    ReportedMemberCount,
    Funder,
    Funding,
    Event,
):
    record_history(model)
