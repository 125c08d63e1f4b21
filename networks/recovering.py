"""Recovering a deleted entry, and what was deleted with it, in one step.

Deleting a network also deletes its memberships, strategic lines and fundings; deleting a
plan, its axes, lines, actions and scheduled years. Each of those deletions leaves its own
history record, written by the same person within the same request. ``deleted_with`` finds
them again (records of the entries that pointed to the deleted one through a cascading
foreign key, deleted by the same user within ``SAME_DELETION`` of it, and still deleted),
and ``recover`` brings a group back in an order where every entry finds what it points to.
"""

from datetime import timedelta

from django.db import models
from django.utils.text import Truncator
from simple_history.utils import get_m2m_reverse_field_name

# A cascade is written in one transaction: its records are seconds apart at most.
SAME_DELETION = timedelta(seconds=30)


def restore_many_to_many(instance, record):
    """Give ``instance`` the many-to-many links that the history ``record`` kept."""
    if record is None:
        return
    for field in getattr(record, "_history_m2m_fields", []):
        target = get_m2m_reverse_field_name(field)
        ids = [getattr(row, f"{target}_id") for row in getattr(record, field.name).all()]
        existing = field.related_model._default_manager.filter(pk__in=ids)
        getattr(instance, field.name).set(existing)


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
                .exclude(**{f"{pk_name}__in": child._default_manager.values("pk")})
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


def recover(record, user, reason):
    """Bring the entry of deletion ``record`` back, validated as a form would (may raise
    ValidationError), with its links as they were just before the deletion."""
    instance = record.instance
    instance.full_clean()
    # The history keeps a reason of limited length (an entry's name can be longer).
    limit = type(record)._meta.get_field("history_change_reason").max_length
    instance._change_reason = Truncator(reason).chars(limit) if limit else reason
    instance._history_user = user
    instance.save(force_insert=True)
    # The deletion record has no links left (Django removes them first): take them from the
    # version before it.
    restore_many_to_many(instance, record.prev_record)
    return instance
