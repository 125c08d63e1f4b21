"""The history of every entry (django-simple-history), with one deletion written as one.

Deleting a network also deletes its memberships; each row deleted leaves a history record
(type "-"), and ``networks/recovering.py`` finds a deletion's records again by their
author and moment to recover them together. Written one by one, as simple-history does,
the records of a network of 25,000 members took 55 s, and their moments spread over all of
it: recovery found those written within 30 s of the network's own, and left 11,669
memberships deleted.

Inside ``one_deletion()`` (the admin's deletions use it), the rows' records are kept until
the deletion ends and then written in bulk, in the same transaction, all with the moment
the deletion started. Outside it, each record is written at once, as before.
"""

import contextlib
import threading

from django.conf import settings
from django.utils import timezone
from simple_history import register
from simple_history.models import HistoricalRecords

# Records written per INSERT.
BATCH_SIZE = 1000

_deletion = threading.local()


def record_history(model):
    """Keep ``model``'s history: every field and many-to-many link, but not ``modified``,
    which changes on every save and would only be noise."""
    excluded = [f.name for f in model._meta.fields if f.name == "modified"]
    register(
        model,
        records_class=DeletionHistoricalRecords,
        m2m_fields=list(model._meta.many_to_many),
        excluded_fields=excluded,
    )


class DeletionHistoricalRecords(HistoricalRecords):
    """simple-history's records, but a row deleted inside ``one_deletion()`` is recorded
    with the rest of the deletion."""

    def post_delete(self, instance, using=None, **kwargs):
        deletion = getattr(_deletion, "current", None)
        if (
            deletion is None
            or self.cascade_delete_history
            or not getattr(settings, "SIMPLE_HISTORY_ENABLED", True)
        ):
            return super().post_delete(instance, using=using, **kwargs)
        # Read now: Django clears the row's id once the deletion is done.
        using = using if self.use_base_model_db else None
        deletion.records.setdefault(using, []).append(
            self.deletion_record(instance, deletion.moment, using)
        )

    def history_model(self, instance):
        """The model of the records, read once: through ``instance.history``, simple-history
        builds a manager class on every access, and that was a third of the time a
        deletion of 25,000 rows took."""
        model = getattr(self, "_xmess_history_model", None)
        if model is None:
            model = self._xmess_history_model = getattr(instance, self.manager_name).model
        return model

    def deletion_record(self, instance, moment, using):
        """The record ``create_historical_record`` would write for ``instance`` deleted at
        ``moment``, unsaved. Its many-to-many links are not copied: Django removes them
        before it deletes the row, so simple-history finds none either."""
        model = self.history_model(instance)
        fields = self.fields_included(instance)
        attrs = {field.attname: getattr(instance, field.attname) for field in fields}
        if getattr(model, "history_relation", None) is not None:
            attrs["history_relation"] = instance
        return model(
            history_date=getattr(instance, "_history_date", moment),
            history_type="-",
            history_user=self.get_history_user(instance),
            history_change_reason=self.get_change_reason_for_object(instance, "-", using),
            **attrs,
        )


class _Deletion:
    def __init__(self):
        self.moment = timezone.now()
        self.records = {}  # {database alias or None: [unsaved records]}

    def write(self):
        for using, records in self.records.items():
            by_model = {}
            for record in records:
                by_model.setdefault(type(record), []).append(record)
            for model, rows in by_model.items():
                model._default_manager.db_manager(using).bulk_create(rows, batch_size=BATCH_SIZE)


@contextlib.contextmanager
def one_deletion():
    """The rows deleted inside are recorded when it ends, in bulk, with one moment."""
    if getattr(_deletion, "current", None) is not None:  # inside another: that one writes
        yield
        return
    _deletion.current = deletion = _Deletion()
    try:
        yield
        _deletion.current = None
        deletion.write()
    finally:
        _deletion.current = None


def write_m2m_history(model, records):
    """Copy the links each entry has now into its history record: ``records`` maps an
    entry's pk to the record just written for it in bulk (which, unlike a save, leaves the
    record's links out)."""
    history_model = model.history.model
    for m2m_field in getattr(history_model, "_history_m2m_fields", []):
        m2m_history = HistoricalRecords.m2m_models[m2m_field]
        through = m2m_field.remote_field.through
        source = m2m_field.m2m_field_name()
        target = m2m_field.m2m_reverse_field_name()
        links = through.objects.filter(**{f"{source}_id__in": list(records)})
        m2m_history.objects.bulk_create(
            m2m_history(
                history=records[getattr(link, f"{source}_id")],
                id=link.pk,
                **{
                    f"{source}_id": getattr(link, f"{source}_id"),
                    f"{target}_id": getattr(link, f"{target}_id"),
                },
            )
            for link in links.iterator()
        )
