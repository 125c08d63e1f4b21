"""Themes: the small vocabulary of subjects that networks, organisations and events work on."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from ..collation import catalan
from ..paths import slug_path
from .common import SearchableQuerySet, modified_field, per_language_unique_slug


class ThemeQuerySet(SearchableQuerySet):
    pass


class Theme(models.Model):
    """A small vocabulary of subjects that networks, organisations and events work on."""

    name = models.CharField(_("name"), max_length=120)
    slug = models.SlugField(_("slug"), max_length=140)
    description = models.TextField(_("description"), blank=True)

    modified = modified_field()

    objects = ThemeQuerySet.as_manager()

    class Meta:
        verbose_name = _("theme")
        verbose_name_plural = _("themes")
        ordering = [catalan("name_ca")]
        constraints = per_language_unique_slug("theme")

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return slug_path("networks:theme_detail", self.slug)
