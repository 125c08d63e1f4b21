"""The directory: who works in the social and solidarity economy (ESS), and with whom.

An ``Organisation`` is any actor (a cooperative, a council, a university). A ``Network`` is
anything actors join: coalitions, campaigns, consortia, associations of municipalities such
as XMESS, and the working groups inside them (a working group is a network whose ``parent``
is the network it belongs to). ``Membership`` says who is in which network: either an
organisation or a municipality, never both. ``Funding`` says which ``Funder`` paid for what.
``Event`` records conferences, seminars and meetings, with the networks involved.

Human-readable fields are translated by modeltranslation (see ``networks/translation.py``):
each has ``_ca`` and ``_en`` columns, and names and slugs are required in both languages
because queries on them do not fall back from one language to the other.

One module per concern, each model with its queryset: ``themes``, ``geography`` (comarques,
provinces, municipalities), ``directory`` (organisations, networks, strategic lines),
``memberships``, ``funding``, ``events`` and ``editors``; ``common`` holds what several of
them share. These models point at each other both ways (an organisation hosts networks and
is a member of them; a funder may be an organisation): a module imports the models its
fields point at, and a queryset that reads a model of a later module imports it inside the
method. Import from ``networks.models``, which names them all.
"""

# isort: off
# In the order the models were defined in the single models.py, which is the order Django
# registers them in (``get_models()``, content types): keep it.
from .common import (
    YEAR_VALIDATORS,
    ChoiceLabels,
    choice_labels,
    modified_field,
    per_language_unique_slug,
)
from .themes import Theme
from .geography import Comarca, Municipality, Province
from .directory import Network, Organisation, StrategicLine
from .memberships import Membership, ReportedMemberCount
from .funding import Funder, Funding
from .events import Event
from .editors import EditorProfile

# Bulk imports keep a record of what they did (see networks/imports/models.py).
from ..imports.models import ImportEntry, ImportRecord
# isort: on

__all__ = [
    "YEAR_VALIDATORS",
    "ChoiceLabels",
    "choice_labels",
    "Comarca",
    "EditorProfile",
    "Event",
    "Funder",
    "Funding",
    "ImportEntry",
    "ImportRecord",
    "Membership",
    "Municipality",
    "Network",
    "Organisation",
    "Province",
    "ReportedMemberCount",
    "StrategicLine",
    "Theme",
    "modified_field",
    "per_language_unique_slug",
]
