"""Versions of an entry: what really changed between two, and whether a copy is stale.

Optimistic concurrency for everything that saves an entry from a copy read earlier (an
admin form, a revert, an import row): the copy carries a *version token*, and a save whose
token no longer matches what is stored is refused, with who changed what since.

A token is ``<latest history id>.<fingerprint of the stored values>``. The fingerprint
decides (it also sees changes that left no history, such as a bulk update); the history id
finds the records made since, to name their authors and fields, and the version the copy
was read from, so that a form can take in the changes its editor did not touch.

With modeltranslation, the untranslated base column (``description``) mirrors one of the
per-language columns (``description_ca``/``description_en``) depending on the active
language, so it is never compared: only the per-language columns are real changes.
"""

import hashlib
import json
from dataclasses import dataclass, field

from django.db import models
from django.utils.formats import date_format
from django.utils.timezone import localtime
from django.utils.translation import gettext as _
from modeltranslation.translator import NotRegistered, translator
from simple_history.utils import get_m2m_reverse_field_name


def untranslated_base_fields(model):
    """Names of the fields modeltranslation mirrors into ``<name>_<language>`` columns."""
    try:
        return set(translator.get_options_for_model(model).fields)
    except NotRegistered:
        return set()


def compared_fields(model):
    """The concrete, editable fields whose values make a version (no pk, no base field).

    Not editable means nobody types it (``modified``, set on every save and kept out of the
    history): two editors cannot conflict over it.
    """
    skip = untranslated_base_fields(model)
    return [
        f
        for f in model._meta.concrete_fields
        if f.editable
        and not f.primary_key
        and f.name not in skip
        and not isinstance(f, models.AutoField)
    ]


def compared_many_to_many(model):
    """Many-to-many fields whose links the history keeps (so a version can be rebuilt)."""
    history = getattr(model, "history", None)
    tracked = getattr(history.model, "_history_m2m_fields", []) if history else []
    return [f for f in tracked if f.name not in untranslated_base_fields(model)]


def stored_values(model, pk, *, lock=False):
    """{attname: value} as stored now, links as sorted id lists (None: no such entry).

    ``lock`` holds the row until the end of the transaction, so that nobody saves in
    between a check and the save it allows.
    """
    queryset = model._default_manager.filter(pk=pk)
    if lock:
        queryset = queryset.select_for_update()
    values = queryset.values(*[f.attname for f in compared_fields(model)]).first()
    if values is None:
        return None
    for field_ in compared_many_to_many(model):
        through = field_.remote_field.through
        source = field_.m2m_field_name()
        target = field_.m2m_reverse_field_name()
        ids = through._default_manager.filter(**{f"{source}_id": pk}).values_list(
            f"{target}_id", flat=True
        )
        values[field_.name] = sorted(ids)
    return values


def recorded_values(record, model):
    """The same {attname: value} as ``stored_values``, from a history record."""
    values = {f.attname: getattr(record, f.attname) for f in compared_fields(model)}
    for field_ in compared_many_to_many(model):
        target = get_m2m_reverse_field_name(field_)
        rows = getattr(record, field_.name).all()
        values[field_.name] = sorted(getattr(row, f"{target}_id") for row in rows)
    return values


def fingerprint(values):
    text = json.dumps(values, sort_keys=True, default=str, ensure_ascii=False)
    return hashlib.sha256(text.encode()).hexdigest()[:24]


def history_of(model, pk):
    manager = getattr(model, "history", None)
    if manager is None:
        return None
    return manager.model.objects.filter(**{model._meta.pk.attname: pk})


def token_of(model, pk, values):
    history = history_of(model, pk)
    latest = None
    if history is not None:
        latest = history.order_by("-history_id").values_list("history_id", flat=True).first()
    return f"{latest or 0}.{fingerprint(values)}"


def version_tokens(model, pks, *, lock=False):
    """{pk: token} for many entries in a few queries (an inline's rows, an import's chunk).

    ``lock`` holds the rows until the end of the transaction, as in ``stored_values``.
    """
    pks = [pk for pk in pks if pk is not None]
    if not pks:
        return {}
    pk_name = model._meta.pk.attname
    attnames = [f.attname for f in compared_fields(model)]
    stored = {}
    queryset = model._default_manager.filter(pk__in=pks)
    if lock:
        queryset = queryset.select_for_update()
    for row in queryset.values(pk_name, *attnames):
        key = row[pk_name] if pk_name in attnames else row.pop(pk_name)
        stored[key] = row
    for field_ in compared_many_to_many(model):
        source = field_.m2m_field_name()
        target = field_.m2m_reverse_field_name()
        links = {pk: [] for pk in stored}
        rows = field_.remote_field.through._default_manager.filter(
            **{f"{source}_id__in": list(stored)}
        ).values_list(f"{source}_id", f"{target}_id")
        for source_id, target_id in rows:
            links[source_id].append(target_id)
        for pk, ids in links.items():
            stored[pk][field_.name] = sorted(ids)
    latest = {}
    history = getattr(model, "history", None)
    if history is not None:
        rows = (
            history.model.objects.filter(**{f"{pk_name}__in": list(stored)})
            .values(pk_name)
            .annotate(latest=models.Max("history_id"))
            .order_by()
        )
        latest = {row[pk_name]: row["latest"] for row in rows}
    return {pk: f"{latest.get(pk) or 0}.{fingerprint(values)}" for pk, values in stored.items()}


def version_token(obj):
    """The token of ``obj`` as stored now; "" for an entry not saved yet."""
    if obj.pk is None:
        return ""
    values = stored_values(type(obj), obj.pk)
    return "" if values is None else token_of(type(obj), obj.pk, values)


def parse_token(token):
    history_id, _dot, print_ = (token or "").partition(".")
    try:
        return int(history_id), print_
    except ValueError:
        return None, ""


@dataclass
class Change:
    """One edit made since a copy was read: who, when, and which fields (their labels)."""

    user: object = None
    date: object = None
    fields: list = field(default_factory=list)

    def describe(self):
        who = str(self.user) if self.user else _("someone")
        labels = ", ".join(self.fields) if self.fields else _("no field you can edit here")
        if self.date is None:
            return _("%(who)s changed: %(fields)s") % {"who": who, "fields": labels}
        return _("%(who)s changed, on %(date)s: %(fields)s") % {
            "who": who,
            "date": date_format(localtime(self.date), "DATETIME_FORMAT"),
            "fields": labels,
        }


def field_label(model, name):
    return str(model._meta.get_field(name).verbose_name)


def changed_field_names(new, old):
    """Per-language and other real changes between two history records of one entry."""
    excluded = untranslated_base_fields(new.instance_type)
    delta = new.diff_against(old, excluded_fields=excluded)
    return [change.field for change in delta.changes]


@dataclass
class Staleness:
    """What happened to an entry since a copy with ``token`` was read."""

    changes: list
    base: dict | None  # the values the copy was read from, when history has them
    current: dict | None  # None: the entry was deleted since
    token: str  # the token of what is stored now

    @property
    def deleted(self):
        return self.current is None

    def summary(self):
        if self.deleted:
            return _("Someone deleted this entry since you opened it.")
        described = "; ".join(change.describe() for change in self.changes)
        return _("Since you opened it, this entry was changed. %(changes)s.") % {
            "changes": described or _("Someone changed it")
        }


def staleness(model, pk, token, *, lock=False):
    """None when ``token`` is still the stored version of entry ``pk``; else a Staleness."""
    current = stored_values(model, pk, lock=lock)
    if current is None:
        return Staleness(changes=[], base=None, current=None, token="")
    opened_history_id, opened_print = parse_token(token)
    if opened_print and opened_print == fingerprint(current):
        return None
    history = history_of(model, pk)
    records = []
    base = None
    if history is not None and opened_history_id is not None:
        records = list(
            history.filter(history_id__gte=opened_history_id)
            .select_related("history_user")
            .order_by("history_id")
        )
        if records and records[0].history_id == opened_history_id:
            opened = records.pop(0)
            base = recorded_values(opened, model)
            previous = opened
        else:
            previous = None
    changes = []
    for record in records:
        names = changed_field_names(record, previous) if previous is not None else []
        changes.append(
            Change(
                user=record.history_user,
                date=record.history_date,
                fields=[field_label(model, name) for name in names],
            )
        )
        previous = record
    if base is not None and not changes:
        # Stored values moved without a history record (a bulk update): name the fields.
        names = [
            f.name
            for f in [*compared_fields(model), *compared_many_to_many(model)]
            if base.get(f.attname) != current.get(f.attname)
        ]
        changes.append(Change(fields=[field_label(model, name) for name in names]))
    return Staleness(
        changes=changes, base=base, current=current, token=token_of(model, pk, current)
    )


class StaleVersion(Exception):
    """A save from a stale copy; ``staleness`` says what changed since."""

    def __init__(self, staleness):
        self.staleness = staleness
        super().__init__(staleness.summary())


def check_version(obj, token, *, lock=True):
    """Raise StaleVersion unless ``token`` is the stored version of ``obj``.

    For imports and other code that saves an entry read earlier: call it inside the
    transaction that saves (``lock`` holds the row until then, so nobody slips in between).
    """
    if obj.pk is None:
        return
    stale = staleness(type(obj), obj.pk, token, lock=lock)
    if stale is not None:
        raise StaleVersion(stale)
