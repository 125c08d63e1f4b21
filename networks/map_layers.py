"""What each page's map shows: which municipalities are shaded, what their accessible names
say (so the colour is never the only way to know), the title and the legend. maps.py draws.

Each builder runs at most one query of its own; names and slugs come from the cached index.
"""

import hashlib
from dataclasses import dataclass, field
from urllib.parse import urlencode

from django.db.models import Count
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext as _

from . import caching, maps
from .models import Membership
from .numbers import grouped

# Organisations per municipality: the CSS classes of up to five shades, light to dark.
SHADES = ("c1", "c2", "c3", "c4", "c5")


@dataclass
class MapFigure:
    key: str
    title: str
    svg: str
    legend: list = field(default_factory=list)  # [(CSS class, text)]
    rows: list = field(default_factory=list)  # [(URL, text)]: the shaded ones, in words
    credit: str = maps.CREDIT
    small: bool = False  # a locator beside the text, not the page's main figure
    note: str = ""  # what the reader must know to read it right, under the title


def text_rows(names):
    """[(URL, accessible name)] in Catalan order of the municipality names."""
    index = maps.municipality_index()
    url = reverse("networks:municipality_detail", kwargs={"slug": "SLUG"})
    return [
        (url.replace("SLUG", slug), names[code])
        for code, (_n, slug) in index.items()
        if code in names
    ]


def short_name(network):
    return network.acronym or network.name


def membership_spans(network, year=None):
    """{INE code: (first known start year or None, last end year or None)} of the network's
    member municipalities, in ``year`` when given (from the membership dates)."""
    memberships = Membership.objects.filter(network=network, municipality__isnull=False)
    if year:
        memberships = memberships.as_of(year)
    return spans_of(
        memberships.order_by().values_list("municipality__ine_code", "start_year", "end_year")
    )


def spans_of(rows):
    """``membership_spans`` of (INE code, start year, end year) rows a page already read."""
    spans = {}
    for code, start, end in rows:
        spans.setdefault(code, []).append((start, end))
    result = {}
    for code, rows in spans.items():
        starts = [start for start, _end in rows if start]
        open_ended = any(end is None for _start, end in rows)
        last = None if open_ended else max(end for _start, end in rows)
        result[code] = (min(starts) if starts else None, last)
    return result


def member_label(name, network, span):
    start, end = span
    values = {"name": name, "network": short_name(network), "start": start, "end": end}
    if start and end:
        return _("%(name)s: in %(network)s from %(start)s to %(end)s") % values
    if start:
        return _("%(name)s: in %(network)s since %(start)s") % values
    return _("%(name)s: in %(network)s, years not recorded") % values


def membership_map(network, *, year=None, only=None, key="map", spans=None):
    """Every municipality (or those in ``only``), shaded when a member of ``network``;
    ``spans`` when the page has read them (see ``spans_of``)."""
    if spans is None:
        spans = membership_spans(network, year)
    index = maps.municipality_index()
    shown = [code for code in spans if code in index and (only is None or code in only)]
    if year:
        title = _("Municipalities in %(network)s in %(year)s") % {
            "network": short_name(network),
            "year": year,
        }
    else:
        title = _("Municipalities in %(network)s") % {"network": short_name(network)}
    names = {code: member_label(index[code][0], network, spans[code]) for code in shown}
    svg = maps.render(label=title, classes=dict.fromkeys(shown, "on"), names=names, only=only)
    legend = [
        (
            "on",
            ngettext(
                "In %(network)s (%(count)s municipality)",
                "In %(network)s (%(count)s municipalities)",
                len(shown),
            )
            % {"network": short_name(network), "count": len(shown)},
        ),
        ("", _("Not in it")),
    ]
    return MapFigure(key, title, svg, legend, text_rows(names))


def round_down(value):
    """The largest of 1, 2 and 5 times a power of ten that is at most ``value`` (>= 1)."""
    power = 10 ** (len(str(int(value))) - 1)
    return next(step * power for step in (5, 2, 1) if step * power <= value)


def class_bounds(highest):
    """The lower bound of each class of a map whose busiest municipality has ``highest``
    organisations: steps even on a logarithmic scale from 1 to ``highest``, each rounded down
    to 1, 2 or 5 times a power of ten so the legend reads plainly. Fixed bounds (1, 2, 5, 10,
    25) drew every municipality in the darkest shade at 100,000 organisations; these give
    1, 2, 5, 10 and 20 for a busiest municipality of 99, and 1, 5, 20, 100 and 500 for one of
    5,000. Under 10, the classes are 1, 2, 3, 4 and 5 (or more)."""
    if highest < 10:
        return list(range(1, min(highest, len(SHADES)) + 1))
    bounds = []
    for step in range(len(SHADES)):
        # A hair over the power: 100000 ** 0.6 is 999.99... in floating point, not 1000.
        bound = round_down(highest ** (step / len(SHADES)) * (1 + 1e-9))
        if not bounds or bound > bounds[-1]:
            bounds.append(bound)
    return bounds


def class_shades(bounds):
    """{lower bound: CSS class}: the shades spread over the classes, the last the darkest."""
    if len(bounds) == 1:
        return {bounds[0]: SHADES[-1]}
    last = len(SHADES) - 1
    return {
        bound: SHADES[round(position * last / (len(bounds) - 1))]
        for position, bound in enumerate(bounds)
    }


def class_label(bounds, position, highest):
    """The legend's words for a class; the last one ends at the busiest municipality's
    count ``highest``."""
    lower = bounds[position]
    if position + 1 == len(bounds):
        if lower < highest:
            return _("%(lower)s or more organisations") % {"lower": grouped(lower)}
        upper = lower
    else:
        upper = bounds[position + 1] - 1
    if upper == lower:
        return ngettext("%(count)s organisation", "%(count)s organisations", lower) % {
            "count": grouped(lower)
        }
    return _("%(lower)s to %(upper)s organisations") % {
        "lower": grouped(lower),
        "upper": grouped(upper),
    }


def organisation_counts(organisations):
    """[(INE code, count)] of the organisations in the queryset, by municipality."""
    rows = (
        organisations.order_by()
        .filter(municipality__isnull=False)
        .values("municipality__ine_code")
        .annotate(count=Count("pk", distinct=True))
        .values_list("municipality__ine_code", "count")
    )
    return dict(rows)


def organisation_map(counts, key="map", note=""):
    """A choropleth of organisations per municipality: ``counts`` is {INE code: count}."""
    index = maps.municipality_index()
    title = _("Organisations per municipality")
    names = {
        code: ngettext(
            "%(name)s: %(count)s organisation", "%(name)s: %(count)s organisations", count
        )
        % {"name": index[code][0], "count": grouped(count)}
        for code, count in counts.items()
        if code in index
    }
    highest = max(counts.values(), default=0)
    bounds = class_bounds(highest)
    shades = class_shades(bounds)
    classes = {
        code: shades[max(bound for bound in bounds if bound <= count)]
        for code, count in counts.items()
        if count >= 1
    }
    legend = [("", _("None"))] + [
        (shades[bound], class_label(bounds, position, highest))
        for position, bound in enumerate(bounds)
    ]
    svg = maps.render(label=title, classes=classes, names=names)
    return MapFigure(key, title, svg, legend, text_rows(names), note=note)


def comarca_map(comarca, network_counts, codes, key="map"):
    """A comarca's municipalities, shaded when they belong to at least one network."""
    index = maps.municipality_index()
    title = _("Municipalities of %(comarca)s") % {"comarca": comarca.name}
    names = {
        code: ngettext("%(name)s: in %(count)s network", "%(name)s: in %(count)s networks", count)
        % {"name": index[code][0], "count": count}
        for code, count in network_counts.items()
        if code in index
    }
    svg = maps.render(
        label=title, classes=dict.fromkeys(network_counts, "on"), names=names, only=codes
    )
    legend = [("on", _("In at least one network")), ("", _("In no network recorded here"))]
    return MapFigure(key, title, svg, legend, text_rows(names))


def locator_map(municipality, codes, key="map"):
    """A municipality among the others of its comarca."""
    values = {"name": municipality.name, "comarca": municipality.comarca.name}
    title = _("%(name)s in %(comarca)s") % values
    svg = maps.render(label=title, only=codes, highlight=municipality.ine_code)
    legend = [("here", municipality.name), ("", _("Other municipalities of %(comarca)s") % values)]
    return MapFigure(key, title, svg, legend, small=True)


def cached_list_map(request, name, build):
    """A list page's map as HTML, built once per content version, language and filters.

    A list's map sums every row the filters match (100,000 organisations, 300,000
    memberships), not only the page shown, and draws all 947 municipalities: built on every
    request it was most of the list's time. ``build()`` returns the MapFigure (or None); the
    page number does not change the map, so it is not part of the key.
    """
    filters = urlencode(sorted((k, v) for k, v in request.GET.lists() if k != "page"), True)
    digest = hashlib.sha256(filters.encode()).hexdigest()[:32]

    def rendered():
        figure = build()
        return render_to_string("includes/map.html", {"map": figure}) if figure else ""

    html = caching.cached_by_version(f"list-map:{name}:{get_language()}:{digest}", rendered)
    return mark_safe(html)  # noqa: S308 -- rendered by our own autoescaping template
