"""Synthetic sample data at scale, for benchmarks and load tests (never for the real site).

Everything made here is clearly synthetic in both languages ("Cooperativa Mostra 00042" /
"Sample Cooperative 00042") and carries a marker: every slug starts with ``mostra-`` in
Catalan and ``sample-`` in English. ``clear()`` removes only rows with that marker (and
the rows that hang off them), so the real seed content is never touched.

Direction rule: ``networks`` never imports ``actions``. Other apps add their part through
``register(provider)`` from their ``AppConfig.ready()`` (``actions`` does it for plans and
actions). A provider has ``generate(context)`` (called after the directory part, so it can
use its organisations, networks and municipalities) and ``clear()`` (called before the
directory part is removed, since plans protect their owners).

Speed: rows are written with ``bulk_create`` in batches from generators, so memory stays flat
and no per-row ``full_clean`` or history row is made; removal uses raw deletes for the same
reason (a normal delete would write one history record per removed row).

One module per concern: ``common`` (the marker, the providers' registry, batch writes and
raw deletes, the ``Context`` and the synthetic names), ``run`` (what the command calls:
``exists``, ``clear``, ``make_context`` and ``generate``, which runs the generators in one
fixed order, then each provider's, all drawing on the one seeded generator), and one
generator per kind of entry, with its proportions: ``directory`` (organisations, networks),
``memberships``, ``events`` and ``funding``. Import from ``networks.sample_data``, which
names them all.
"""

from .common import (
    BATCH,
    CA_PREFIX,
    EN_PREFIX,
    Context,
    bulk_insert,
    descriptions,
    is_sample,
    names,
    providers,
    raw_delete,
    register,
    weighted,
)
from .directory import (
    NETWORK_KINDS,
    ORGANISATION_KINDS,
    generate_networks,
    generate_organisations,
)
from .events import EVENT_KINDS, generate_events
from .funding import FUNDER_KINDS, generate_fundings
from .memberships import generate_memberships, membership_years
from .run import clear, exists, generate, make_context

__all__ = [
    "BATCH",
    "CA_PREFIX",
    "EN_PREFIX",
    "EVENT_KINDS",
    "FUNDER_KINDS",
    "NETWORK_KINDS",
    "ORGANISATION_KINDS",
    "Context",
    "bulk_insert",
    "clear",
    "descriptions",
    "exists",
    "generate",
    "generate_events",
    "generate_fundings",
    "generate_memberships",
    "generate_networks",
    "generate_organisations",
    "is_sample",
    "make_context",
    "membership_years",
    "names",
    "providers",
    "raw_delete",
    "register",
    "weighted",
]
