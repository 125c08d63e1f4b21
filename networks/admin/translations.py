"""Missing translations: entries with a translated field filled in one language and empty
in another, as a changelist filter (``MissingTranslationFilter``) and as the helpers behind
the ``missing_translations`` column of ``base.XmessAdmin``.
"""

from django.conf import settings
from django.contrib import admin
from django.db.models import Q
from django.utils.translation import get_language_info, gettext_lazy
from django.utils.translation import gettext as _
from modeltranslation.translator import NotRegistered, translator

LANGUAGE_CODES = [code for code, _name in settings.LANGUAGES]


def translated_fields(model):
    """Names of the model's fields that have a column per language."""
    try:
        return list(translator.get_options_for_model(model).all_fields)
    except NotRegistered:
        return []


def _filled(value):
    return value is not None and str(value).strip() != ""


def missing_translations_of(obj):
    """{language code: [field names]} of fields filled in another language but not this one."""
    missing = {}
    for field in translated_fields(type(obj)):
        values = {code: getattr(obj, f"{field}_{code}", None) for code in LANGUAGE_CODES}
        if not any(_filled(value) for value in values.values()):
            continue
        for code, value in values.items():
            if not _filled(value):
                missing.setdefault(code, []).append(field)
    return missing


def missing_translation_q(model, code):
    """Rows with at least one field filled in another language and empty in ``code``."""
    condition = Q(pk__in=[])
    for field in translated_fields(model):
        empty = Q(**{f"{field}_{code}": ""}) | Q(**{f"{field}_{code}__isnull": True})
        filled_elsewhere = Q(pk__in=[])
        for other in LANGUAGE_CODES:
            if other != code:
                filled_elsewhere |= Q(**{f"{field}_{other}__gt": ""})
        condition |= empty & filled_elsewhere
    return condition


def language_name(code):
    return get_language_info(code)["name_translated"]


class MissingTranslationFilter(admin.SimpleListFilter):
    title = gettext_lazy("translation")
    parameter_name = "missing_translation"

    def lookups(self, request, model_admin):
        return [
            (code, _("%(language)s missing") % {"language": language_name(code)})
            for code in LANGUAGE_CODES
        ]

    def queryset(self, request, queryset):
        if self.value() not in LANGUAGE_CODES:
            return queryset
        return queryset.filter(missing_translation_q(queryset.model, self.value()))
