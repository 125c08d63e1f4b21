"""Filters that name one entry by what a visitor types, resolved on the server.

A drop-down of every municipality or network grows with the data (974 options, 68 KB on
every request of the networks list at scale). These filters are a text field instead, which
works without JavaScript: the value may be a slug (the URLs the site has always written,
``?municipality=manlleu``, keep working) or a name typed in any case, with or without
accents. One match filters the list; several give a message naming a few of them; none give
a message too. Either way the list is still shown, unfiltered by that field.
"""

import django_filters
from django import forms
from django.db.models import Exists, OuterRef, Q
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field

from .search import fold

# How many candidates an ambiguous name lists.
SHOWN_CHOICES = 5


class EntryField(forms.CharField):
    """A text field whose clean value is the one entry it names (or None when empty)."""

    def __init__(self, *, resolve=None, **kwargs):
        kwargs.setdefault("max_length", 120)
        super().__init__(**kwargs)
        self.resolve = resolve

    def clean(self, value):
        text = super().clean(value)
        if not text or not text.strip():
            return None
        return self.resolve(text.strip())


def resolve(text, *, exact, candidates, messages):
    """The entry ``text`` names: ``exact`` (a Q for a slug or code) first, else the search
    ``candidates`` (a queryset); among several, the one whose folded name is the text.
    ``messages`` are (none, several), with %(text)s and %(names)s."""
    found = list(candidates.model._default_manager.filter(exact)[:2])
    if len(found) == 1:
        return found[0]
    matches = list(candidates[: SHOWN_CHOICES + 1])
    same = [entry for entry in matches if fold(str(entry)) == fold(text)]
    if len(matches) == 1 or len(same) == 1:
        return (same or matches)[0]
    none, several = messages
    if not matches:
        raise forms.ValidationError(none, params={"text": text})
    names = ", ".join(str(entry) for entry in matches[:SHOWN_CHOICES])
    if len(matches) > SHOWN_CHOICES:
        names += ", …"
    raise forms.ValidationError(several, params={"text": text, "names": names})


# The API documents it as what a visitor types: a slug, a name or an acronym.
@extend_schema_field(OpenApiTypes.STR)
class EntryFilter(django_filters.Filter):
    """Keeps the rows linked to the named entry: through ``field_name`` (a foreign key), or
    through ``related`` = (link model, its field to the row, its field to the entry) with an
    Exists() subquery, which neither multiplies rows nor needs DISTINCT."""

    field_class = EntryField

    def __init__(self, *, resolve, related=None, **kwargs):
        self.related = related
        kwargs.setdefault("widget", forms.TextInput(attrs={"autocomplete": "off"}))
        super().__init__(resolve=resolve, **kwargs)

    def filter(self, queryset, value):
        if value is None:
            return queryset
        if self.related is None:
            return queryset.filter(**{self.field_name: value})
        model, row_field, entry_field = self.related
        links = model._default_manager.filter(**{row_field: OuterRef("pk"), entry_field: value})
        return queryset.filter(Exists(links))


def municipality_by_name(text):
    from .models import Municipality

    return resolve(
        text,
        exact=Q(slug=text) | Q(ine_code=text),
        candidates=Municipality.objects.search(text),
        messages=(
            _("No municipality matches “%(text)s”."),
            _("Several municipalities match “%(text)s” (%(names)s): type more of the name."),
        ),
    )


def network_by_name(text):
    from .models import Network

    return resolve(
        text,
        exact=Q(slug_ca=text) | Q(slug_en=text) | Q(acronym__iexact=text),
        candidates=Network.objects.search(text),
        messages=(
            _("No network matches “%(text)s”."),
            _("Several networks match “%(text)s” (%(names)s): type more of the name."),
        ),
    )
