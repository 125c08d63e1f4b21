"""What several of the directory's models share: the year validators, the ``modified`` field,
per-language unique slugs, choice labels read once per language and the searchable queryset
(``actions`` uses some of them too)."""

import functools

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import translation
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from ..search import search as full_text_search

YEAR_VALIDATORS = [MinValueValidator(1900), MaxValueValidator(2100)]


def modified_field():
    """When the entry last changed: the sitemap's ``lastmod`` (kept out of the history)."""
    return models.DateTimeField(_("last modified"), auto_now=True)


def per_language_unique_slug(model_name):
    """Slugs are unique within each language (the original column is only a cache)."""
    return [
        models.UniqueConstraint(fields=[f"slug_{code}"], name=f"{model_name}_unique_slug_{code}")
        for code, _name in settings.LANGUAGES
    ]


class ChoiceLabels:
    """For a model with choice fields: ``get_kind_display()`` and the like read a table of the
    field's labels, translated once per language and process.

    Django's own builds a dict of all the field's choices on every call, and hashing each
    lazy label translates it: a network's card (kind and scope) translated 11 labels, 48
    cards a page. The labels are the code's, translated by catalogues fixed for the life of
    the process, so the table never goes stale. A value outside the choices is given back
    as it is, as Django's does."""

    def _get_FIELD_display(self, field):  # noqa: N802 -- the name Django's get_FOO_display calls
        value = getattr(self, field.attname)
        try:
            return choice_labels(field, get_language()).get(value, value)
        except TypeError:  # an unhashable value: Django's own way
            return super()._get_FIELD_display(field)


@functools.cache
def choice_labels(field, language):
    """{value: label} of a choice field in a language, translated once per process."""
    with translation.override(language):
        return {value: str(label) for value, label in field.flatchoices}


class SearchableQuerySet(models.QuerySet):
    """``search(q)``: see networks/search.py. ``search_fields`` maps a weight to the fields read."""

    search_fields = {"A": ["name"], "B": ["description"]}

    def search(self, query):
        return full_text_search(self, query, self.search_fields)
