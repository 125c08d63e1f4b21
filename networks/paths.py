"""The paths of entries' pages (``get_absolute_url``), reversed once per URL name.

``reverse()`` tries the name's patterns against its arguments on every call: 60 µs, and a
network's page called it 120 times for its members' links and their JSON-LD. ``slug_path``
reverses a name once per language, script prefix and URLconf with a stand-in slug, and then
puts each slug in its place. It does so only for a slug the ``slug`` converter accepts
(letters, digits, hyphens and underscores, which a URL carries as they are); anything else
goes to ``reverse()``, which raises ``NoReverseMatch`` as before.
"""

import re

from django.conf import settings
from django.urls import get_script_prefix, get_urlconf, reverse
from django.utils.translation import get_language

SLUG = re.compile(r"[-a-zA-Z0-9_]+")
STAND_IN = "slug-stand-in-0c3f9a"

_halves = {}


def slug_path(viewname, slug):
    """``reverse(viewname, kwargs={"slug": slug})``, for a name whose only argument is the
    ``<slug:slug>`` of its path."""
    if not isinstance(slug, str) or not SLUG.fullmatch(slug):
        return reverse(viewname, kwargs={"slug": slug})
    key = (viewname, get_language(), get_script_prefix(), get_urlconf() or settings.ROOT_URLCONF)
    halves = _halves.get(key)
    if halves is None:
        path = reverse(viewname, kwargs={"slug": STAND_IN})
        if path.count(STAND_IN) != 1:  # not a path with the slug once: nothing to reuse
            return reverse(viewname, kwargs={"slug": slug})
        halves = _halves[key] = tuple(path.split(STAND_IN))
    return halves[0] + slug + halves[1]
