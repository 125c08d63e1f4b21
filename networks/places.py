"""Where an event took place, said once: the one place label for pages, feeds, iCal and
JSON-LD.

An event records a free-text ``place`` (a venue, or a town), an optional ``municipality``
and whether it was ``online``. Written side by side they repeat themselves when the place
is the municipality's name ("Amposta, Amposta") or says "online" again ("En línia · en
línia"); each part appears here only when it adds something.
"""

from dataclasses import dataclass
from functools import lru_cache

from django.utils.text import capfirst
from django.utils.translation import gettext

from .search import fold

# What a place field may say instead of ticking "online", in either language.
_ONLINE_WORDS = {"online", "en linia", "virtual", "en linia virtual"}


@dataclass(frozen=True)
class PlacePart:
    text: str
    url: str = ""
    online: bool = False


@lru_cache(maxsize=4096)
def _folded(text):
    # Places and municipalities' names repeat from event to event: a feed of 200 events
    # folded 780 of them, a third of its time.
    return fold(text).strip()


def says_online(place):
    return bool(place) and _folded(place) in _ONLINE_WORDS


def is_online(event):
    return bool(event.online or says_online(event.place))


def place_parts(event):
    """The distinct parts of an event's place; the municipality carries its page's URL."""
    parts = []
    place = (event.place or "").strip()
    municipality = event.municipality if event.municipality_id else None
    repeats_town = municipality and _folded(place) == _folded(municipality.name)
    if place and not says_online(place) and not repeats_town:
        parts.append(PlacePart(place))
    if municipality:
        parts.append(PlacePart(municipality.name, municipality.get_absolute_url()))
    if is_online(event):
        parts.append(PlacePart(gettext("online"), online=True))
    return parts


def join_parts(parts):
    """'Barcelona Activa, Barcelona · online': the physical place, then the online mode."""
    physical = ", ".join(part.text for part in parts if not part.online)
    online = [part.text for part in parts if part.online]
    return capfirst(" · ".join(text for text in (physical, *online) if text))


def place_label(event):
    """'Barcelona Activa, Barcelona', 'Amposta', 'Online'; empty when the sources say nothing."""
    return join_parts(place_parts(event))


def physical_place(event, parts=None):
    """The place without the online mode ('' when only online or unknown); ``parts``: the
    event's place_parts, when they were worked out already."""
    parts = place_parts(event) if parts is None else parts
    return join_parts([part for part in parts if not part.online])
