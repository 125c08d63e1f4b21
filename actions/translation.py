"""Catalan and English fields of plans; history registered after translation (see networks)."""

from modeltranslation.translator import TranslationOptions, register

from networks.history_records import record_history

from .models import Action, Axis, Line, Plan, ScheduledYear

BOTH = ("ca", "en")


@register(Plan)
class PlanTranslation(TranslationOptions):
    fields = ("name", "slug", "short_name", "description")
    required_languages = {lang: ("name", "slug") for lang in BOTH}


@register(Axis)
class AxisTranslation(TranslationOptions):
    fields = ("name", "description", "objectives", "audience")
    required_languages = {lang: ("name",) for lang in BOTH}


@register(Line)
class LineTranslation(TranslationOptions):
    fields = ("title", "description")
    required_languages = {lang: ("title",) for lang in BOTH}


@register(Action)
class ActionTranslation(TranslationOptions):
    fields = ("title", "description")
    required_languages = {lang: ("title",) for lang in BOTH}


@register(ScheduledYear)
class ScheduledYearTranslation(TranslationOptions):
    fields = ("note",)


for model in (Plan, Axis, Line, Action, ScheduledYear):
    record_history(model)
