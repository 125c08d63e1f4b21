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
from django.db import router, transaction
from django.db.models import Max, ProtectedError
from django.db.models.deletion import Collector
from django.utils import timezone
from django.utils.translation import gettext as _

from ..history_records import one_deletion
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
        history = model.history.model
        for entry in changed.iterator():
            imported = history.objects.get(history_id=entry.history_id)
            before = imported.prev_record
            obj = model._default_manager.get(pk=entry.object_id)
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
        for obj in objs:
            obj._history_user = user
            obj._change_reason = reason
        # Newest first, so an entry goes before the entries it was created under.
        _delete(model, sorted(objs, key=lambda obj: obj.pk, reverse=True))
        record.undone_at = timezone.now()
        record.undone_by = user
        record.save(update_fields=["undone_at", "undone_by"])
