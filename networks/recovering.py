"""Recovering a deleted entry, and what was deleted with it, in one step.

Deleting a network also deletes its memberships, strategic lines and fundings; deleting a
plan, its axes, lines, actions and scheduled years. Each of those deletions leaves its own
history record, written by the same person within the same request. ``deleted_with`` finds
them again (records of the entries that pointed to the deleted one through a cascading
foreign key, deleted by the same user within ``SAME_DELETION`` of it, and still deleted),
and ``recover`` brings a group back in an order where every entry finds what it points to.
"""

from datetime import timedelta

from django.core.exceptions import ValidationError
from django.db import IntegrityError, models, transaction
from django.db.models import Exists, OuterRef
from django.utils.text import Truncator
from simple_history.utils import get_m2m_reverse_field_name

from . import caching

# A cascade is written in one transaction, its records with one moment since
# history_records.one_deletion; before that, seconds apart at most.
SAME_DELETION = timedelta(seconds=30)

# Entries that ``recover_many`` brings back per step.
CHUNK_SIZE = 1000


def restore_many_to_many(instance, record):
    """Give ``instance`` the many-to-many links that the history ``record`` kept."""
    if record is None:
        return
    for field in getattr(record, "_history_m2m_fields", []):
        target = get_m2m_reverse_field_name(field)
        ids = [getattr(row, f"{target}_id") for row in getattr(record, field.name).all()]
        existing = field.related_model._default_manager.filter(pk__in=ids)
        getattr(instance, field.name).set(existing)


def still_there(model):
    """For a filter of ``model``'s history records: the entry exists. As NOT IN (the ids of
    every entry), PostgreSQL compared each of a network's 13,331 deleted memberships with
    the 300,000 others, one by one: 178 s."""
    pk_name = model._meta.pk.attname
    return Exists(model._base_manager.filter(pk=OuterRef(pk_name)))


def cascading_children(model):
    """(child model, foreign key) for each relation whose rows are deleted with ``model``'s."""
    for relation in model._meta.related_objects:
        child = relation.related_model
        if (
            (relation.one_to_many or relation.one_to_one)
            and relation.on_delete is models.CASCADE
            and hasattr(child, "history")
            and child is not model
        ):
            yield child, relation.field


def deleted_with(model, record):
    """[(model, deletion record)] of the entries deleted together with ``record``'s entry.

    Recursive (a plan's lines, their actions, their years), oldest first, each entry once;
    entries recovered since are left out.
    """
    found, seen = [], set()
    queue = [(model, record)]
    window = (record.history_date - SAME_DELETION, record.history_date + SAME_DELETION)
    while queue:
        parent_model, parent_record = queue.pop(0)
        parent_pk = getattr(parent_record, parent_model._meta.pk.attname)
        for child, foreign_key in cascading_children(parent_model):
            pk_name = child._meta.pk.attname
            records = (
                child.history.model.objects.filter(
                    history_type="-",
                    history_date__range=window,
                    history_user_id=record.history_user_id,
                    **{foreign_key.attname: parent_pk},
                )
                .exclude(still_there(child))
                .order_by("-history_id")
            )
            for child_record in records:
                key = (child, getattr(child_record, pk_name))
                if key in seen:
                    continue
                seen.add(key)
                found.append((child, child_record))
                queue.append((child, child_record))
    return found


def _depth(model, models_in_group, memo):
    """How many of the group's models ``model`` points to, transitively (they go first)."""
    if model not in memo:
        memo[model] = 0
        targets = {
            field.related_model
            for field in model._meta.concrete_fields
            if field.is_relation
            and field.related_model in models_in_group
            and field.related_model is not model
        }
        memo[model] = 1 + max((_depth(t, models_in_group, memo) for t in targets), default=-1)
    return memo[model]


def in_recovery_order(group):
    """``group`` [(model, record)] ordered so that what an entry points to comes first."""
    models_in_group = {model for model, _record in group}
    memo = {}
    return sorted(
        group, key=lambda item: (_depth(item[0], models_in_group, memo), item[1].history_id)
    )


def _reason(record, reason):
    """The history keeps a reason of limited length (an entry's name can be longer)."""
    limit = type(record)._meta.get_field("history_change_reason").max_length
    return Truncator(reason).chars(limit) if limit else reason


def recover(record, user, reason):
    """Bring the entry of deletion ``record`` back, validated as a form would (may raise
    ValidationError), with its links as they were just before the deletion."""
    instance = record.instance
    instance.full_clean()
    instance._change_reason = _reason(record, reason)
    instance._history_user = user
    instance.save(force_insert=True)
    # The deletion record has no links left (Django removes them first): take them from the
    # version before it.
    restore_many_to_many(instance, record.prev_record)
    return instance


class Refused(Exception):
    """``recover_many`` could not bring back the entry of ``record``: ``error`` says why."""

    def __init__(self, record, error):
        super().__init__(record, error)
        self.record, self.error = record, error


class _OneByOne(Exception):
    """Something in a chunk needs ``recover``'s own checks, which name the entry."""


def recover_many(model, records, user, reason):
    """``recover`` for each of ``records`` (deletion records of ``model``), the same checks
    a chunk at a time. One by one, a network's 25,000 memberships took 424 s (nine queries
    each: the entries it points to, its id, its constraints, the row, its history, the
    version before it, the admin's log), past gunicorn's time limit, so the network could
    not be recovered at all.

    A chunk is read and checked in bulk: the entries its rows point to exist (read once,
    which ``clean()`` and the names then use), their ids are free, each row passes its
    fields' and its model's checks, and the database refuses a broken constraint. If any
    of that fails, the chunk goes through ``recover`` row by row, which says which entry
    cannot come back and why. A model with many-to-many links or its own ``save()`` always
    goes row by row. Raises ``Refused`` for the first entry that cannot come back."""
    one_by_one = model._meta.many_to_many or model.save is not models.Model.save
    recovered = []
    for start in range(0, len(records), CHUNK_SIZE):
        chunk = records[start : start + CHUNK_SIZE]
        try:
            if one_by_one:
                raise _OneByOne
            with transaction.atomic():
                recovered += _recover_chunk(model, chunk, user, reason)
        except (_OneByOne, IntegrityError):
            for record in chunk:
                try:
                    recovered.append(recover(record, user, reason))
                except ValidationError as error:
                    raise Refused(record, error) from error
    return recovered


def _recover_chunk(model, records, user, reason):
    instances = [record.instance for record in records]
    keys = [
        field
        for field in model._meta.concrete_fields
        if field.many_to_one and not field.remote_field.limit_choices_to
    ]
    if len(keys) != sum(1 for field in model._meta.concrete_fields if field.many_to_one):
        raise _OneByOne
    for field in keys:
        wanted = {getattr(instance, field.attname) for instance in instances} - {None}
        target = field.target_field
        found = field.related_model._base_manager.in_bulk(wanted, field_name=target.name)
        if len(found) != len(wanted):
            raise _OneByOne
        for instance in instances:
            value = getattr(instance, field.attname)
            if value is not None:
                field.set_cached_value(instance, found[value])
    if model._base_manager.filter(pk__in=[instance.pk for instance in instances]).exists():
        raise _OneByOne
    for instance in instances:
        try:
            instance.full_clean(
                exclude=[field.name for field in keys],
                validate_unique=False,
                validate_constraints=False,
            )
        except ValidationError:
            raise _OneByOne from None
    model._base_manager.bulk_create(instances)
    model.history.bulk_history_create(
        instances, default_user=user, default_change_reason=_reason(records[0], reason)
    )
    caching.content_changed()  # bulk_create sends no signal
    return instances
