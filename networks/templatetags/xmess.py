import json

from django import template
from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.urls import translate_url
from django.utils import translation
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from networks.dates import format_date

register = template.Library()


@register.filter
def long_date(value, precision="day"):
    """{{ event.start_date|long_date:event.date_precision }} in the active language."""
    return format_date(value, precision or "day")


# JSON-LD is data for search engines, not script: browsers never execute it, so a strict
# script-src does not apply. '<', '>' and '&' are escaped so no value can close the element.
_JSON_ESCAPES = {ord("<"): "\\u003C", ord(">"): "\\u003E", ord("&"): "\\u0026"}


@register.simple_tag
def json_ld(data):
    """Render a schema.org dict as <script type="application/ld+json">."""
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
