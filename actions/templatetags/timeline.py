"""The rows of a plan's timeline and of a place's actions year by year, written in Python.

They are the innermost loops of the plans' pages: a timeline page writes a cell for every
year of each of its 50 actions (200 cells), Barcelona's page a line for every year of each
of its 40 actions (73). Written by the template language, the biggest plan's timeline took
64 ms of CPU, and 57 ms written here; the markup is the same as the templates wrote.
"""

from django import template
from django.utils.html import conditional_escape, format_html, format_html_join
from django.utils.text import Truncator, capfirst
from django.utils.translation import gettext

register = template.Library()

CELL = (
    '\n      <td role="cell" class="cell status-{}"><span class="cell-year">{}: </span>'
    '<span class="symbol" aria-hidden="true">{}</span> {}</td>'
)
EMPTY_CELL = (
    '\n      <td role="cell" class="cell cell-empty"><span class="visually-hidden">{}: {}</span>'
    "</td>"
)


@register.simple_tag
def timeline_cells(cells, status_filtered=False):
    """{% timeline_cells row.cells status_filtered %}: a timeline row's cells, one a year,
    each with its year and its status in words (not by colour or symbol alone)."""
    empty = gettext("not shown by the filters") if status_filtered else gettext("not scheduled")
    parts = []
    for cell in cells:
        scheduled = cell.scheduled
        if scheduled:
            parts.append(
                format_html(
                    CELL,
                    scheduled.status,
                    cell.year,
                    cell.symbol,
                    scheduled.get_status_display(),
                )
            )
        else:
            parts.append(format_html(EMPTY_CELL, cell.year, empty))
    return joined(parts)


def joined(parts):
    """Pieces written by format_html, as one piece of HTML (each is already escaped)."""
    return format_html_join("", "{}", ((part,) for part in parts))


YEAR = '\n<h3 class="year-heading">{}</h3>\n<ul class="timeline">{}\n</ul>\n'
ENTRY = (
    '\n  <li class="status status--{}"><span class="status__label">{}</span> '
    '<a href="{}"><span class="code">{}</span> {}</a></li>'
)


@register.simple_tag
def year_by_year(years):
    """{% year_by_year years %}: a place's actions year by year (``years`` as
    ``actions.sections.actions_by_year`` gives them), each with its status that year and a
    link to it. An action scheduled in several years has its link and title written once."""
    links = {}
    parts = []
    for year, entries in years:
        items = []
        for action, scheduled in entries:
            link = links.get(action.pk)
            if link is None:
                title = Truncator(action.title).words(24, truncate=" …")
                link = links[action.pk] = (
                    conditional_escape(action.get_absolute_url()),
                    conditional_escape(action.code),
                    conditional_escape(title),
                )
            status = scheduled.status
            items.append(
                format_html(ENTRY, status, capfirst(scheduled.get_status_display()), *link)
            )
        parts.append(format_html(YEAR, year, joined(items)))
    return joined(parts)
