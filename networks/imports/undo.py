"""Undoing an applied import as a whole, or not at all.

An entry the import created is deleted; an entry it changed gets back the values (and
many-to-many links) of its history record before the import. Every entry's latest history
record must still be the one the import wrote: if anybody edited or deleted an entry since,
nothing is undone and the refusal names those entries. Created entries that something else
now depends on (a membership added later to an imported organisation) are refused too,
rather than deleted along with it.
"""

from django.apps import apps
from django.contrib.admin.utils import NestedObjects
from django.db import models, router, transaction
from django.db.models import Max, ProtectedError
from django.db.models.deletion import Collector
from django.utils import timezone
from django.utils.translation import gettext as _
from simple_history.models import HistoricalRecords

from ..caching import content_changed
from ..history_records import one_deletion, write_m2m_history
from ..recovering import restore_many_to_many
from .models import ImportEntry

SHOWN_CONFLICTS = 20
BATCH = 1000


class UndoRefused(Exception):
    def __init__(self, reasons):
        super().__init__(reasons)
        self.reasons = reasons


def _model(record):
    return apps.get_model(record.model_label)


def conflicts(record):
    """Reasons (at most SHOWN_CONFLICTS, then a count) why the import cannot be undone."""
    model = _model(record)
    history = model.history.model
    reasons, count = [], 0
    entries = record.entries.only("object_id", "history_id", "label", "row")
    for start in range(0, record.entries.count(), BATCH):
        batch = list(entries[start : start + BATCH])
        latest = dict(
            history.objects.filter(id__in=[entry.object_id for entry in batch])
            .values_list("id")
            .annotate(Max("history_id"))
        )
        live = set(
            model._default_manager.filter(pk__in=[entry.object_id for entry in batch]).values_list(
                "pk", flat=True
            )
        )
        for entry in batch:
            if entry.object_id not in live:
                reason = _("row %(row)s, “%(entry)s”: deleted since the import")
            elif latest.get(entry.object_id) != entry.history_id:
                reason = _("row %(row)s, “%(entry)s”: changed since the import")
            else:
                continue
            count += 1
            if len(reasons) < SHOWN_CONFLICTS:
                reasons.append(reason % {"row": entry.row, "entry": entry.label})
    if count > len(reasons):
        reasons.append(_("… and %(count)s more.") % {"count": count - len(reasons)})
    return reasons


def _dependents(model, objs):
    """Rows outside ``objs`` that deleting them would take along."""
    collector = NestedObjects(using=router.db_for_write(model))
    collector.collect(objs)
    ours = {obj.pk for obj in objs}
    found = []
    for dependent_model, instances in collector.model_objs.items():
        if dependent_model._meta.auto_created:
            continue  # many-to-many links go with the entry
        for instance in instances:
            if dependent_model is model and instance.pk in ours:
                continue
            found.append(f"{dependent_model._meta.verbose_name}: {instance}")
    for instance in collector.protected:
        if not (type(instance) is model and instance.pk in ours):
            found.append(f"{instance._meta.verbose_name}: {instance}")
    return found


def _revert(model, entries, user, reason):
    """Give each entry of ``entries`` [(pk, the history id the import wrote)] back the
    values and links of its history record before the import, and a history record of its
    own, read and written in bulk. One by one, with a save for the values and another for
    the record, it took 16 ms an entry: undoing 10,000 changes outlasted gunicorn's time
    limit. A model with its own ``save()``, or an entry with no record before the import,
    goes one by one."""
    history = model.history.model
    ids = [pk for pk, _history_id in entries]
    before_ids = dict(
        history.objects.filter(id__in=ids)
        .exclude(history_id__in=[history_id for _pk, history_id in entries])
        .values_list("id")
        .annotate(Max("history_id"))
    )
    if model.save is not models.Model.save or len(before_ids) != len(ids):
        for pk, history_id in entries:
            _revert_one(model, pk, history_id, user, reason)
        return
    befores = history.objects.in_bulk(before_ids.values())
    objs = model._default_manager.in_bulk(ids)
    pk_name = model._meta.pk.attname
    fields = [field.attname for field in history.tracked_fields if field.attname != pk_name]
    stamped = [f for f in model._meta.concrete_fields if getattr(f, "auto_now", False)]
    for pk, obj in objs.items():
        before = befores[before_ids[pk]]
        for name in fields:
            setattr(obj, name, getattr(before, name))
        for field in stamped:
            field.pre_save(obj, add=False)
        obj._history_user = user
        obj._change_reason = reason
    model._default_manager.bulk_update(objs.values(), fields + [f.attname for f in stamped])
    for m2m_field in getattr(history, "_history_m2m_fields", []):
        _restore_links(m2m_field, {pk: before_ids[pk] for pk in objs})
    saved = list(objs.values())
    records = model.history.bulk_history_create(saved, update=True)
    write_m2m_history(model, {obj.pk: rec for obj, rec in zip(saved, records or [], strict=True)})
    content_changed()  # bulk writes send no signal


def _restore_links(m2m_field, before_ids):
    """Give each entry (pk: the id of its history record before the import) the links that
    record kept, if what they link to still exists, as ``restore_many_to_many`` does."""
    m2m_history = HistoricalRecords.m2m_models[m2m_field]
    through = m2m_field.remote_field.through
    source = m2m_field.m2m_field_name()
    target = m2m_field.m2m_reverse_field_name()
    entry_of = {history_id: pk for pk, history_id in before_ids.items()}
    wanted = {pk: set() for pk in before_ids}
    kept = m2m_history.objects.filter(history_id__in=list(entry_of))
    for history_id, linked in kept.values_list("history_id", f"{target}_id"):
        wanted[entry_of[history_id]].add(linked)
    linked_ids = set().union(*wanted.values())
    existing = set(
        m2m_field.related_model._default_manager.filter(pk__in=linked_ids).values_list(
            "pk", flat=True
        )
    )
    now = {pk: set() for pk in before_ids}
    links = through.objects.filter(**{f"{source}_id__in": list(before_ids)})
    for pk, linked in links.values_list(f"{source}_id", f"{target}_id"):
        now[pk].add(linked)
    differ = [pk for pk in before_ids if wanted[pk] & existing != now[pk]]
    through.objects.filter(**{f"{source}_id__in": differ}).delete()
    through.objects.bulk_create(
        through(**{f"{source}_id": pk, f"{target}_id": linked})
        for pk in differ
        for linked in sorted(wanted[pk] & existing)
    )


def _revert_one(model, pk, history_id, user, reason):
    history = model.history.model
    imported = history.objects.get(history_id=history_id)
    before = imported.prev_record
    obj = model._default_manager.get(pk=pk)
    for field in history.tracked_fields:
        if field.attname != model._meta.pk.attname:
            setattr(obj, field.attname, getattr(before, field.attname))
    obj._history_user = user
    obj._change_reason = reason
    obj.skip_history_when_saving = True
    obj.save()
    restore_many_to_many(obj, before)
    del obj.skip_history_when_saving
    obj.save()  # one history record, with the links as restored


def _delete(model, objs):
    """Delete ``objs`` a batch at a time, their history written together
    (history_records.one_deletion). One by one, each entry asked every table that can point
    to it whether it does, 12 queries an organisation: 20 ms each, so undoing 10,000 created
    entries outlasted gunicorn's time limit. A batch that holds an entry and one it was
    created under (a PROTECT parent) goes one by one, in order."""
    using = router.db_for_write(model)
    with one_deletion():
        for start in range(0, len(objs), BATCH):
            batch = objs[start : start + BATCH]
            collector = Collector(using=using, origin=batch)
            try:
                collector.collect(batch)
            except ProtectedError:
                for obj in batch:
                    obj.delete()
            else:
                collector.delete()


def undo_import(record, user):
    """Revert every entry of ``record``; raises UndoRefused (and changes nothing) if unsafe."""
    if record.undone_at is not None:
        raise UndoRefused([_("This import has already been undone.")])

    model = _model(record)
    reason = _("Undo of import #%(id)s: %(file)s") % {"id": record.pk, "file": record.file_name}
    reason = reason[:100]
    with transaction.atomic():
        reasons = conflicts(record)
        if reasons:
            raise UndoRefused(reasons)
        created = record.entries.filter(outcome=ImportEntry.Outcome.CREATED)
        created_ids = list(created.values_list("object_id", flat=True))
        objs = list(model._default_manager.filter(pk__in=created_ids))
        dependents = _dependents(model, objs) if objs else []
        if dependents:
            shown = dependents[:SHOWN_CONFLICTS]
            if len(dependents) > len(shown):
                shown.append(_("… and %(count)s more.") % {"count": len(dependents) - len(shown)})
            raise UndoRefused(
                [_("Entries added since depend on entries this import created:"), *shown]
            )
        changed = record.entries.filter(outcome=ImportEntry.Outcome.CHANGED)
        entries = list(changed.values_list("object_id", "history_id"))
        for start in range(0, len(entries), BATCH):
            _revert(model, entries[start : start + BATCH], user, reason)
        for obj in objs:
            obj._history_user = user
            obj._change_reason = reason
        # Newest first, so an entry goes before the entries it was created under.
        _delete(model, sorted(objs, key=lambda obj: obj.pk, reverse=True))
        record.undone_at = timezone.now()
        record.undone_by = user
        record.save(update_fields=["undone_at", "undone_by"])
