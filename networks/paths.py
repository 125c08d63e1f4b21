"""The paths of entries' pages (``get_absolute_url``), reversed once per URL name.

``reverse()`` tries the name's patterns against its arguments on every call: 60 µs, and a
network's page called it 120 times for its members' links and their JSON-LD, a page of the
API's actions 200 times. ``entry_path`` reverses a name once per language, script prefix
and URLconf with stand-ins for its arguments, and then puts each value in its place. It does
so only for values that a URL carries as they are and that the ``slug`` or ``int``
converter accepts: a slug (letters, digits, hyphens and underscores) or a whole number from
zero. Anything else goes to ``reverse()``, which raises ``NoReverseMatch`` as before.
"""

import re

from django.conf import settings
from django.urls import NoReverseMatch, get_script_prefix, get_urlconf, reverse
from django.utils.translation import get_language

SLUG = re.compile(r"[-a-zA-Z0-9_]+")

_templates = {}


def _stand_in(value, index):
    """A stand-in the value's converter accepts, found once in the reversed path."""
    if isinstance(value, int):
        return str(9_000_000_017 + index)
    return f"stand-in-0c3f9a-{index}"


def _plain(value):
    if isinstance(value, bool):
        return False
    if isinstance(value, int):
        return value >= 0
    return isinstance(value, str) and SLUG.fullmatch(value) is not None


def entry_path(viewname, **kwargs):
    """``reverse(viewname, kwargs=kwargs)``, for names whose arguments are slugs and ints."""
    if not all(_plain(value) for value in kwargs.values()):
        return reverse(viewname, kwargs=kwargs)
    kinds = tuple((name, isinstance(value, int)) for name, value in kwargs.items())
    urlconf = get_urlconf() or settings.ROOT_URLCONF
    key = (viewname, kinds, get_language(), get_script_prefix(), urlconf)
    template = _templates.get(key)
    if template is None:
        template = _templates[key] = _template(viewname, kwargs)
    if template is False:  # this name cannot be filled in: reverse every time
        return reverse(viewname, kwargs=kwargs)
    pieces, order = template
    path = [pieces[0]]
    for name, piece in zip(order, pieces[1:], strict=True):
        path.append(str(kwargs[name]))
        path.append(piece)
    return "".join(path)


def _template(viewname, kwargs):
    """(the path's pieces between the values, the names in their order), or False."""
    stand_ins = {name: _stand_in(value, i) for i, (name, value) in enumerate(kwargs.items())}
    try:
        path = reverse(viewname, kwargs=stand_ins)
    except NoReverseMatch:
        return False
    found = sorted((path.find(stand_in), name) for name, stand_in in stand_ins.items())
    if any(path.count(stand_ins[name]) != 1 for _at, name in found):
        return False
    pieces, start = [], 0
    for at, name in found:
        pieces.append(path[start:at])
        start = at + len(stand_ins[name])
    pieces.append(path[start:])
    return pieces, [name for _at, name in found]


def slug_path(viewname, slug):
    """``reverse(viewname, kwargs={"slug": slug})``."""
    return entry_path(viewname, slug=slug)
