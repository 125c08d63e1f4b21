"""What several of the directory's models share: the year validators, the ``modified`` field,
per-language unique slugs and the searchable queryset (``actions`` uses some of them too)."""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
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


class SearchableQuerySet(models.QuerySet):
    """``search(q)``: see networks/search.py. ``search_fields`` maps a weight to the fields read."""

    search_fields = {"A": ["name"], "B": ["description"]}

    def search(self, query):
        return full_text_search(self, query, self.search_fields)
