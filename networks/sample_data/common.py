"""What the generators and other apps' providers share: the marker and the registry of
providers, batch writes and raw deletes, the ``Context`` and the synthetic names and
descriptions."""

import itertools
import random
from dataclasses import dataclass, field
from datetime import date

from django.db.models import Q
from django.utils.text import slugify

CA_PREFIX = "mostra-"
EN_PREFIX = "sample-"
BATCH = 2000

_providers = []


def register(provider):
    """Add another app's part (an object with ``generate(context)`` and ``clear()``)."""
    if provider not in _providers:
        _providers.append(provider)


def providers():
    return list(_providers)


def is_sample(prefix="slug"):
    """The marker as a lookup on a model with per-language slugs."""
    return Q(**{f"{prefix}_ca__startswith": CA_PREFIX})


def raw_delete(queryset):
    # A plain delete() would send a signal and write a history record per row (hundreds of
    # thousands): sample rows are removed without either. ``_raw_delete`` is what Django's
    # own deletion collector uses for such fast deletes.
    return queryset._raw_delete(queryset.db)


def bulk_insert(model, rows):
    """Insert an iterable of unsaved instances in batches; return the saved ones' ids."""
    ids = []
    for batch in itertools.batched(rows, BATCH):
        ids += [obj.pk for obj in model.objects.bulk_create(batch)]
    return ids


@dataclass
class Context:
    """What providers may use: the generator, the scale and what the directory part made."""

    rng: random.Random
    organisations: int
    width: int
    today: date
    municipality_ids: list
    barcelona_id: int | None
    theme_ids: list
    organisation_ids: list = field(default_factory=list)
    organisation_ids_by_kind: dict = field(default_factory=dict)
    network_ids: list = field(default_factory=list)
    counts: dict = field(default_factory=dict)

    def number(self, i):
        return f"{i:0{self.width}d}"

    def municipality(self):
        """A municipality id: Barcelona for about 1 in 20 (as in reality), else any."""
        if self.barcelona_id and self.rng.random() < 0.05:
            return self.barcelona_id
        return self.rng.choice(self.municipality_ids)


def names(ca_word, en_word, number):
    """Names and slugs that cannot pass for a real entry, with the marker on each slug."""
    return {
        "name_ca": f"{ca_word} Mostra {number}",
        "name_en": f"Sample {en_word} {number}",
        "slug_ca": f"{CA_PREFIX}{slugify(ca_word)}-{number}",
        "slug_en": f"{EN_PREFIX}{slugify(en_word)}-{number}",
    }


def descriptions(theme, place):
    return {
        "description_ca": (
            f"Entrada de mostra, generada per a proves de càrrega: no és real. Treballa en "
            f"{theme.name_ca.lower()} dins l'economia social i solidària, a {place}."
        ),
        "description_en": (
            f"Sample entry generated for load tests: not real. Works on "
            f"{theme.name_en.lower()} in the social and solidarity economy, in {place}."
        ),
    }


def weighted(rng, table, count):
    return rng.choices(table, weights=[row[-1] for row in table], k=count)
