"""What an import of one kind of entry reads: its columns, its natural key, who may import.

A resource is built afresh for every import (its key caches must not outlive a rolled-back
preview). Subclasses list their columns in ``get_columns()``, name the columns that identify
an entry in ``key``, and may narrow who imports what (``can_import``, ``row_errors``).
"""

from django.conf import settings
from django.db.models import Q
from django.utils.translation import gettext as _
from modeltranslation.translator import NotRegistered, translator

LANGUAGE_CODES = [code for code, _name in settings.LANGUAGES]


class Resource:
    model = None
    key = ("slug_ca",)
    # Columns a municipal editor may change; empty: municipal editors cannot import these.
    municipal_columns = ()
    select_related = ()

    def __init__(self, user=None):
        self.user = user
        self.columns = [column.bind(self.model) for column in self.get_columns()]
        self.by_name = {column.name: column for column in self.columns}
        self.key_columns = [self.by_name[name] for name in self.key]
        self.m2m_columns = [c for c in self.columns if c.is_m2m]

    def get_columns(self):
        raise NotImplementedError

    @classmethod
    def label(cls):
        return cls.model._meta.label_lower

    @classmethod
    def verbose_name_plural(cls):
        return cls.model._meta.verbose_name_plural

    # Language pairs: name_ca goes with name_en.

    def translated_pairs(self):
        """{field: [column names per language]} for translated fields with columns."""
        try:
            fields = translator.get_options_for_model(self.model).all_fields
        except NotRegistered:
            return {}
        pairs = {}
        for field in fields:
            names = [f"{field}_{code}" for code in LANGUAGE_CODES]
            if any(name in self.by_name and not self.by_name[name].readonly for name in names):
                pairs[field] = names
        return pairs

    # Finding the entries a chunk of rows refers to.

    def get_queryset(self):
        queryset = self.model._default_manager.all()
        if self.select_related:
            queryset = queryset.select_related(*self.select_related)
        if self.m2m_columns:
            queryset = queryset.prefetch_related(*(c.field.name for c in self.m2m_columns))
        return queryset

    def key_values(self, cells):
        """{attname: value} of the row's key; raises ValidationError keyed by column name."""
        values, errors = {}, {}
        for column in self.key_columns:
            try:
                values[column.attname] = column.parse(cells.get(column.name, ""))
            except Exception as error:  # noqa: BLE001 - ValidationError or a bad value
                errors[column.name] = error
        if errors:
            raise RowKeyError(errors)
        return values

    def existing(self, keys):
        """{key tuple: [entries]} for a list of key dicts, in one query."""
        if not keys:
            return {}
        first = next(iter(keys[0]))
        condition = Q(**{f"{first}__in": {key[first] for key in keys if key[first] is not None}})
        if any(key[first] is None for key in keys):
            condition |= Q(**{f"{first}__isnull": True})
        names = list(keys[0])
        found = {}
        for obj in self.get_queryset().filter(condition):
            found.setdefault(tuple(getattr(obj, name) for name in names), []).append(obj)
        return found

    def new(self, key):
        obj = self.model()
        for attname, value in key.items():
            setattr(obj, attname, value)
        return obj

    # Permissions.

    def municipality(self):
        # Imported here: the admin package imports this module's users while it loads.
        from ..admin.scope import editor_municipality

        return editor_municipality(self.user)

    def can_import(self):
        if self.user is None:
            return True
        if self.municipality() is not None:
            return bool(self.municipal_columns) and self._has("change")
        return self._has("add") or self._has("change")

    def _has(self, action):
        opts = self.model._meta
        return self.user.has_perm(f"{opts.app_label}.{action}_{opts.model_name}")

    def row_errors(self, obj, created, changed_columns):
        """[(column name, message)] of what this user may not do with this row."""
        if self.user is None:
            return []
        errors = []
        if created and not self._has("add"):
            errors.append(
                ("", _("You may not add %(what)s.") % {"what": self.verbose_name_plural()})
            )
        if not created and changed_columns and not self._has("change"):
            errors.append(
                ("", _("You may not change %(what)s.") % {"what": self.verbose_name_plural()})
            )
        municipality = self.municipality()
        if municipality is not None:
            if not created and not self.in_municipal_scope(obj, municipality):
                errors.append(
                    (
                        self.key[0],
                        _("This entry is not one of %(municipality)s's: you may not change it.")
                        % {"municipality": municipality},
                    )
                )
            for name in changed_columns:
                if name not in self.municipal_columns:
                    errors.append((name, _("A municipal editor may not change this column.")))
        return errors

    def in_municipal_scope(self, obj, municipality):
        return False

    def row_label(self, cells):
        return " · ".join(cells.get(name, "") for name in self.key)


class RowKeyError(Exception):
    """The row's key columns could not be read: {column name: error}."""

    def __init__(self, errors):
        super().__init__(errors)
        self.errors = errors
