import json
import re

from django import template
from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.template.defaultfilters import date
from django.urls import translate_url
from django.utils import translation
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from networks import extensions
from networks.dates import event_dates as _event_dates
from networks.dates import format_date, years_label
from networks.numbers import grouped as _grouped
from networks.places import place_label, place_parts

register = template.Library()


@register.filter
def long_date(value, precision="day"):
    """{{ event.start_date|long_date:event.date_precision }} in the active language."""
    return format_date(value, precision or "day")


@register.filter
def event_dates(event):
    """{{ event|event_dates }}: '22–23 d'octubre de 2015', the one date-range format."""
    return _event_dates(event)


@register.simple_tag
def years(start, end):
    """{% years start end %}: a period of whole years, or that its dates are not known.
    Written here, not by a template included once per row: a network's page writes one
    for each role of 50 members."""
    label = years_label(start, end)
    if label is None:
        return format_html('<span class="muted">{}</span>', translation.gettext("dates not known"))
    return label


@register.simple_tag
def member_roles(memberships):
    """{% member_roles roles %}: a member's roles in a network, each with its years and
    note, as the rows of a network's and a municipality's members list them."""
    return format_html(
        '<ul class="role-list">{}</ul>',
        format_html_join(
            "",
            "<li>{}: {}{}</li>",
            (
                (
                    capfirst(m.get_role_display()),
                    years(m.start_year, m.end_year),
                    format_html(' <span class="muted">({})</span>', m.note) if m.note else "",
                )
                for m in memberships
            ),
        ),
    )


@register.filter
def grouped(count):
    """{{ paginator.count|grouped }}: a count as the language writes it (100.021 in Catalan,
    100,021 in English). In a ``{% blocktranslate count n=… with counter=…|grouped %}``
    the plural follows ``n`` and the text shows ``counter``: the catalogue's msgids stay.
    Anything but a whole number is written as it is, as Django's own filters do."""
    if not isinstance(count, int) or isinstance(count, bool):
        return count
    return _grouped(count)


@register.filter
def event_place(event):
    """{{ event|event_place }}: the one place label, as plain text."""
    return place_label(event)


EVENT_CARD = (
    '<article class="card card--event">\n'
    '  <p class="card__date"><time datetime="{}">{}</time></p>\n'
    '  <h{} class="card__title"><a href="{}">{}</a></h{}>\n'
    "  {}\n"
    "</article>"
)


@register.simple_tag
def event_card(event, level=3):
    """{% event_card event %}: an event's card (its dates, title and place), in lists and
    detail pages; ``level`` is its title's heading level. Written here, not by a template
    included once per card: a page of 24 events took 29 ms of CPU, and 26 ms this way."""
    place = place_label(event)
    return format_html(
        EVENT_CARD,
        date(event.start_date, "Y-m-d"),
        _event_dates(event),
        level,
        event.get_absolute_url(),
        event.title,
        level,
        format_html('<p class="card__meta">{}</p>', place) if place else "",
    )


NETWORK_CARD = (
    '<article class="card">\n'
    '  <h3 class="card__title"><a href="{}">{}</a>{}</h3>\n'
    '  <p class="card__meta">{}</p>\n'
    "  {}\n"
    "  {}\n"
    "</article>"
)


@register.simple_tag
def network_card(network):
    """{% network_card network %}: a network's card (name, acronym, kind, scope, parent,
    summary, themes) on the list of networks and the home page. Written here like
    ``event_card``: 48 cards took 4.7-4.9 ms of CPU through an included template, 2.9-3.0 ms
    this way (the list's page of 24: 8.8-9.7 ms, then 8.1-8.5 ms)."""
    meta = [capfirst(network.get_kind_display())]
    if network.scope:
        meta.append(_("scope: %(scope)s") % {"scope": network.get_scope_display()})
    if network.parent:
        meta.append(_("part of %(parent)s") % {"parent": network.parent.name})
    themes = network.theme_list
    return format_html(
        NETWORK_CARD,
        network.get_absolute_url(),
        network.name,
        format_html(' <abbr class="card__acronym">({})</abbr>', network.acronym)
        if network.acronym
        else "",
        " · ".join(meta),  # escaped by format_html as one text
        format_html("<p>{}</p>", network.summary) if network.summary else "",
        format_html(
            '<ul class="tags" aria-label="{}">{}</ul>',
            _("Themes"),
            format_html_join("", "<li>{}</li>", ((theme.name,) for theme in themes)),
        )
        if themes
        else "",
    )


@register.inclusion_tag("includes/event_place.html")
def event_place_links(event):
    """The place label with the municipality linked to its page."""
    return {"parts": place_parts(event)}


# JSON-LD is data for search engines, not script: browsers never execute it, so a strict
# script-src does not apply. '<', '>' and '&' are escaped so no value can close the element.
_JSON_ESCAPES = {ord("<"): "\\u003C", ord(">"): "\\u003E", ord("&"): "\\u0026"}


@register.simple_tag
def structured_data(data):
    """Render a schema.org dict (structured data) as <script type="application/ld+json">."""
    if not data:
        return ""
    text = json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False).translate(_JSON_ESCAPES)
    return format_html('<script type="application/ld+json">{}</script>', mark_safe(text))  # noqa: S308


@register.simple_tag(takes_context=True)
def page_alternates(context):
    """This page's path in every language, for hreflang links and the language switcher.

    A view can set ``alternate_urls`` ({"ca": path, "en": path}) itself; a page about an
    ``object`` links to that object's own page in each language (slugs differ per language,
    so swapping the language prefix is not enough); any other page swaps the prefix.
    """
    explicit = context.get("alternate_urls")
    if explicit:
        return explicit
    request = context.get("request")
    obj = context.get("object")
    urls = {}
    for code, _name in settings.LANGUAGES:
        if obj is not None and hasattr(obj, "get_absolute_url"):
            with translation.override(code):
                urls[code] = obj.get_absolute_url()
        elif request is not None:
            urls[code] = translate_url(request.path, code)
    return urls


class CaptureNode(template.Node):
    child_nodelists = ("nodelist",)

    def __init__(self, nodelist, varname):
        self.nodelist = nodelist
        self.varname = varname

    def render(self, context):
        # Whitespace collapsed: the text goes into <title> and meta attributes.
        text = " ".join(self.nodelist.render(context).split())
        context[self.varname] = mark_safe(text)  # noqa: S308 - already rendered and escaped
        return ""


@register.tag
def capture(parser, token):
    """{% capture as name %}…{% endcapture %}: render once, reuse as {{ name }}.

    Blocks inside stay overridable, so base.html can use a page's title block for <title>
    and for Open Graph alike.
    """
    bits = token.split_contents()
    if len(bits) != 3 or bits[1] != "as":
        raise template.TemplateSyntaxError("Usage: {% capture as name %}…{% endcapture %}")
    nodelist = parser.parse(("endcapture",))
    parser.delete_first_token()
    return CaptureNode(nodelist, bits[2])


@register.filter
def lookup(mapping, key):
    """{{ dict|lookup:key }} with a variable key."""
    try:
        return mapping.get(key, "")
    except AttributeError:
        return ""


@register.simple_tag(takes_context=True)
def absolute_url(context, path):
    request = context.get("request")
    if not path:
        return ""
    if request is None:
        return settings.SITE_URL + path
    return request.build_absolute_uri(path)


@register.simple_tag(takes_context=True)
def language_links(context):
    """The language switcher: this page in each language, the current one marked.

    Pages without an object of their own (lists, search) keep their query string, so
    filters and the search survive the switch; filter values are language-neutral.
    """
    # base.html works them out once for the page (its head's links and canonical link too):
    # resolving the path in each language took 0.2 ms a time.
    alternates = context.get("alternates")
    if alternates is None:
        alternates = page_alternates(context)
    request = context.get("request")
    keep_query = (
        request is not None
        and request.GET
        and context.get("object") is None
        and not context.get("alternate_urls")
    )
    current = (translation.get_language() or settings.LANGUAGE_CODE)[:2]
    links = []
    for code, name in settings.LANGUAGES:
        url = alternates.get(code)
        if not url:
            continue
        if keep_query:
            url = f"{url}?{request.GET.urlencode()}"
        links.append({"code": code, "name": name, "url": url, "current": code == current})
    return links


_HANDLE = re.compile(r"^@(?P<user>[A-Za-z0-9_]{1,30})(?:@(?P<host>[A-Za-z0-9.-]+\.[A-Za-z]{2,}))?$")


def social_url(handle):
    """The profile a handle names: '@name' is an X (Twitter) handle, '@name@host' a
    Mastodon one. Anything else has no address we could state without inventing it."""
    match = _HANDLE.match((handle or "").strip())
    if not match:
        return ""
    if match["host"]:
        return f"https://{match['host']}/@{match['user']}"
    return f"https://twitter.com/{match['user']}"


@register.simple_tag
def social_link(handle):
    """{% social_link network.social_handle %}: the handle, linked to its profile."""
    url = social_url(handle)
    if not url:
        return handle
    return format_html('<a href="{}" rel="external">{}</a>', url, handle)


@register.simple_tag(takes_context=True)
def extension_slot(context, slot):
    """Render what other apps registered for ``slot`` (see networks/extensions.py)."""
    request, obj = context.get("request"), context.get("object")
    parts = []
    for section in extensions.sections(slot):
        extra = section.context(request, obj) if section.context else {}
        with context.push(extra):
            parts.append(context.template.engine.get_template(section.template).render(context))
    return mark_safe("".join(parts))  # noqa: S308 - each part rendered and escaped by its template
