"""Running an import: preview (everything done, then rolled back) or apply (all or nothing).

Rows are read in chunks of ``CHUNK`` rows: one query finds the entries a chunk refers to,
each row is parsed, compared field by field, checked (permissions, both languages, the
model's own validation) and saved inside a savepoint; history for the chunk is then written
in bulk. A preview runs exactly the same code and rolls back, so what it shows is what
confirming does. Any error anywhere rolls back the whole import.

Each row's outcome goes to a ``Report`` (``reports``); the checks a row passes before it is
saved are ``validation``'s.

Why one module over 300 lines: reading, comparing and writing a chunk share the chunk's
state (pending rows, references, history); splitting them would pass it around. The checks
read that state too, as a mixin of ``Importer``.
"""

from itertools import batched

from django.core.exceptions import ValidationError
from django.db import DatabaseError, transaction
from django.utils.translation import gettext as _

from ..caching import content_changed
from ..history_records import write_m2m_history
from .columns import RefColumn, clean_text, same
from .files import ImportFileError
from .models import ImportEntry, ImportRecord
from .reports import CHANGED, CREATED, ERROR, UNCHANGED, Report, RowResult, error_text, read_header
from .resources import RowKeyError
from .validation import ValidationMixin, single_unique_fields

CHUNK = 500


def run_import(resource, import_file, *, dry_run, sink=None, versions=None):
    """Preview (``dry_run``) or apply one file; returns the ``Report``.

    ``versions``: a preview's ``PreviewNotes`` (what it read), or a confirmation's
    ``ConfirmCheck`` (nothing is written if an entry changed since); None for neither.
    Raises ``ImportFileError`` when the file cannot be read at all.
    """
    report = Report(resource, import_file.name, sink)
    rows = import_file.rows()
    header = next(rows, None)
    if header is None or not any(cell.strip() for cell in header):
        raise ImportFileError(_("The file has no column names in its first row."))
    columns = read_header(resource, header, report)
    if report.file_errors:
        return report
    with transaction.atomic():
        if versions is not None:
            versions.check(resource.model, report)
            if report.conflict_count:
                return report  # before a single write
        record = None
        if not dry_run:
            record = ImportRecord.objects.create(
                model_label=resource.label(),
                file_name=import_file.name[:255],
                user=resource.user,
            )
        importer = Importer(resource, columns, report, record, versions)
        try:
            for chunk in batched(enumerate(rows, start=2), CHUNK):
                importer.process(chunk)
        except Aborted:
            pass  # the failing row is in the report; the transaction is rolled back below
        if report.rows == 0 and not report.conflict_count:
            report.file_errors.append(_("The file has column names but no rows."))
        if report.has_errors or dry_run:
            transaction.set_rollback(True)
        else:
            record.rows = report.rows
            record.created = report.counts[CREATED]
            record.changed = report.counts[CHANGED]
            record.unchanged = report.counts[UNCHANGED]
            record.save()
            report.record = record
            # Rows were written in bulk, which sends no signals: cached pages go stale now.
            content_changed()
    return report


class Aborted(Exception):
    """The database refused a row that passed validation: nothing more can be written."""


class Importer(ValidationMixin):
    def __init__(self, resource, columns, report, record, versions=None):
        self.resource = resource
        self.versions = versions
        self.columns = columns
        self.report = report
        self.record = record
        self.seen = {}  # key → first row: bounded by the file's rows, a few bytes each
        self.saved = []
        self.links = {}  # through model → links of created entries, inserted per chunk
        self.pairs = resource.translated_pairs()
        self.unique_fields = single_unique_fields(resource.model)
        self.unique_seen = {name: {} for name in self.unique_fields}
        self.taken = {}
        # New entries are inserted in bulk, one query per chunk; a row that refers to one of
        # them (an organisation's parent in the same file) first has them inserted.
        self.pending = []
        self.pending_keys = set()
        self.updates = []  # changed entries, updated in bulk per chunk
        model = resource.model
        self.self_refs = [
            column
            for column in resource.columns
            if isinstance(column, RefColumn) and column.field.related_model is model
        ]
        self.self_ref_names = {
            lookup.split("__")[0] for column in self.self_refs for lookup in column.lookups
        }

    def process(self, chunk):
        parsed = [self.read(number, raw) for number, raw in chunk]
        parsed = [row for row in parsed if row is not None]
        keys = [key for _n, _c, key, errors in parsed if key is not None and not errors]
        existing = self.resource.existing(keys)
        if self.versions is not None:
            matched = [objs[0].pk for objs in existing.values() if len(objs) == 1]
            self.versions.read_chunk(self.resource.model, matched)
        self.find_taken(parsed)
        for column in self.resource.columns:
            if isinstance(column, RefColumn):
                column.prefetch(cells.get(column.name, "") for _n, cells, _k, _e in parsed)
        for number, cells, key, errors in parsed:
            if self.pending and self.refers_to_pending(cells):
                self.insert_pending()
            self.process_row(number, cells, key, errors, existing)
        self.insert_pending()
        self.update_pending()
        self.write_links()
        if self.record is not None:
            self.write_history()
        self.saved = []  # a preview keeps nothing per row beyond the report's first rows

    def refers_to_pending(self, cells):
        for column in self.self_refs:
            for key in clean_text(cells.get(column.name, "")).split(";"):
                if key.strip() and key.strip().casefold() in self.pending_keys:
                    return True
        return False

    def insert_pending(self):
        if not self.pending:
            return
        try:
            self.resource.model._default_manager.bulk_create([obj for _n, obj, _m in self.pending])
        except DatabaseError as error:
            failure = _("This row or one of the next %(count)s could not be written: %(reason)s")
            first = self.pending[0][0]
            reason = failure % {"count": len(self.pending) - 1, "reason": error_text(error)}
            self.report.add(RowResult(first, ERROR, "", errors=[("", reason)]))
            raise Aborted from error
        for _number, obj, m2m in self.pending:
            for column, value in m2m.items():
                manager = getattr(obj, column.field.name)
                source = column.field.m2m_field_name()
                target = column.field.m2m_reverse_field_name()
                self.links.setdefault(manager.through, []).extend(
                    manager.through(**{f"{source}_id": obj.pk, f"{target}_id": pk}) for pk in value
                )
        self.pending = []
        self.pending_keys = set()

    def update_pending(self):
        if not self.updates:
            return
        fields = sorted({name for _n, _obj, names in self.updates for name in names})
        try:
            self.resource.model._default_manager.bulk_update(
                [obj for _n, obj, _names in self.updates], fields
            )
        except DatabaseError as error:
            failure = _("This row or one of the next %(count)s could not be written: %(reason)s")
            reason = failure % {"count": len(self.updates) - 1, "reason": error_text(error)}
            self.report.add(RowResult(self.updates[0][0], ERROR, "", errors=[("", reason)]))
            raise Aborted from error
        self.updates = []

    def write_links(self):
        for through, links in self.links.items():
            through.objects.bulk_create(links)
        self.links = {}

    def read(self, number, raw):
        if not any(cell.strip() for cell in raw):
            return None  # blank lines are not rows
        cells, errors = {}, []
        for index, text in enumerate(raw):
            column = self.columns[index] if index < len(self.columns) else None
            if column is None:
                if text.strip():
                    errors.append(
                        (f"#{index + 1}", _("This cell is in a column without a known name."))
                    )
                continue
            cells[column.name] = text
        key = None
        try:
            key = self.resource.key_values(cells)
        except RowKeyError as error:
            errors += [(name, error_text(e)) for name, e in error.errors.items()]
        if key is not None:
            key_tuple = tuple(key.values())
            first = self.seen.setdefault(key_tuple, number)
            if first != number:
                errors.append(
                    (
                        self.resource.key[0],
                        _("The same entry as row %(row)s: each entry may appear only once.")
                        % {"row": first},
                    )
                )
        return number, cells, key, errors

    def process_row(self, number, cells, key, errors, existing):
        resource = self.resource
        label = resource.row_label(cells)
        if errors:
            self.report.add(RowResult(number, ERROR, label, errors=errors))
            return
        matches = existing.get(tuple(key.values()), [])
        if len(matches) > 1:
            message = _("%(count)s entries match this row; change them in the admin instead.")
            errors.append((resource.key[0], message % {"count": len(matches)}))
            self.report.add(RowResult(number, ERROR, label, errors=errors))
            return
        created = not matches
        obj = matches[0] if matches else resource.new(key)
        if self.versions is not None:
            conflict = self.versions.row(number, obj, created, label)
            if conflict is not None:
                self.report.add_conflict(number, label, conflict)
                return
        changes, changed, m2m = [], [], {}
        for column in resource.columns:
            if column.readonly or column.name in resource.key or column.name not in cells:
                continue
            try:
                value = column.parse(cells[column.name])
            except ValidationError as error:
                errors.append((column.name, error_text(error)))
                continue
            old = column.current(obj)
            if created and value in (None, "", frozenset()):
                continue
            if not created and (
                column.is_m2m and old == value or not column.is_m2m and same(old, value)
            ):
                continue
            changes.append(
                (column.name, "" if created else column.display(old), column.display(value))
            )
            changed.append(column.name)
            if column.is_m2m:
                m2m[column] = value
            else:
                column.assign(obj, value)
        errors += self.language_errors(obj, created, changed)
        errors += resource.row_errors(obj, created, changed)
        if not errors and not created and not changed:
            self.report.add(RowResult(number, UNCHANGED, label))
            return
        if not errors:
            errors += self.validate(obj, number)
        if not errors:
            failure = RowResult(number, ERROR, label, errors=errors)
            self.save(obj, m2m, created, failure, cells, changed)
        if errors:
            self.report.add(RowResult(number, ERROR, label, errors=errors))
            return
        outcome = CREATED if created else CHANGED
        self.saved.append((number, obj, outcome, label, changes))
        self.report.add(RowResult(number, outcome, label, changes=changes))

    def save(self, obj, m2m, created, failure, cells, changed):
        fields = {self.resource.by_name[name].field.name for name in changed}
        # modeltranslation keeps the untranslated column too; save() would write it.
        fields |= {base for base, names in self.pairs.items() if set(names) & set(changed)}
        if not created and not m2m:
            self.updates.append((failure.row, obj, fields))
            return
        if created:
            self.pending.append((failure.row, obj, m2m))
            for name in self.self_ref_names:
                text = clean_text(cells.get(name, "")).casefold()
                if text:
                    self.pending_keys.add(text)
            return
        # No savepoint per row (two more queries each): rows reach the database validated,
        # and if one is refused anyway the whole import stops and is rolled back.
        obj.skip_history_when_saving = True  # history is written in bulk per chunk
        try:
            obj.save()
            for column, value in m2m.items():
                getattr(obj, column.field.name).set(value)
        except DatabaseError as error:
            failure.errors.append(("", error_text(error)))
            self.report.add(failure)
            raise Aborted from error
        finally:
            del obj.skip_history_when_saving

    def write_history(self):
        """One history record per created or changed entry, as the importing user."""
        if not self.saved:
            return
        model = self.resource.model
        manager = model.history
        records = {}
        for outcome in (CREATED, CHANGED):
            objs = [obj for _n, obj, o, _l, _c in self.saved if o == outcome]
            for obj in objs:
                obj._history_user = self.resource.user
                obj._change_reason = self.record.change_reason
            created = manager.bulk_history_create(objs, update=outcome == CHANGED)
            for obj, history in zip(objs, created or [], strict=True):
                records[obj.pk] = history
        self.write_m2m_history(records)
        ImportEntry.objects.bulk_create(
            ImportEntry(
                record=self.record,
                row=number,
                object_id=obj.pk,
                history_id=records[obj.pk].pk,
                outcome=outcome,
                label=label[:300],
                changes=[list(change) for change in changes],
            )
            for number, obj, outcome, label, changes in self.saved
        )
        self.saved = []

    def write_m2m_history(self, records):
        write_m2m_history(self.resource.model, records)
