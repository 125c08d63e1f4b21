"""The checks a row passes before it is written, beyond its columns' own parsing.

Unique values (against the database, one query per chunk, and against the file's earlier
rows), translated texts in both languages, and the model's own validation, with each error
put under the column it is about. ``ValidationMixin`` is part of ``engine.Importer`` and
reads its state: ``resource``, ``pairs``, ``unique_fields``, ``unique_seen`` and ``taken``.
"""

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db.models import UniqueConstraint
from django.utils.translation import get_language_info
from django.utils.translation import gettext as _

from .columns import RefColumn, clean_text
from .resources import LANGUAGE_CODES


def single_unique_fields(model):
    """Fields with an unconditional one-field unique constraint (per-language slugs).

    They are checked for a whole chunk in one query instead of one query per row.
    """
    fields = []
    for constraint in model._meta.constraints:
        if (
            isinstance(constraint, UniqueConstraint)
            and len(constraint.fields) == 1
            and constraint.condition is None
            and not constraint.expressions
        ):
            fields.append(model._meta.get_field(constraint.fields[0]).attname)
    return fields


class ValidationMixin:
    """``Importer``'s checks of a row (see the module's docstring)."""

    def find_taken(self, parsed):
        """{field: {value: pk}} of the chunk's unique values already in the database."""
        model = self.resource.model
        for name in self.unique_fields:
            values = {clean_text(cells.get(name, "")) for _n, cells, _k, _e in parsed} - {""}
            self.taken[name] = (
                dict(
                    model._default_manager.filter(**{f"{name}__in": values}).values_list(name, "pk")
                )
                if values
                else {}
            )

    def unique_errors(self, obj, number):
        errors = []
        for name in self.unique_fields:
            value = getattr(obj, name)
            if value in (None, ""):
                continue
            owner = self.taken[name].get(value)
            first = self.unique_seen[name].setdefault(value, number)
            if owner is not None and owner != obj.pk:
                errors.append(
                    (name, _("“%(value)s” is already used by another entry.") % {"value": value})
                )
            elif first != number:
                errors.append(
                    (
                        name,
                        _("“%(value)s” is also in row %(row)s.") % {"value": value, "row": first},
                    )
                )
        return errors

    def language_errors(self, obj, created, changed):
        errors = []
        for names in self.pairs.values():
            if not created and not any(name in changed for name in names):
                continue
            values = [getattr(obj, name, None) for name in names]
            filled = [value not in (None, "") for value in values]
            if any(filled) and not all(filled):
                for name, is_filled, code in zip(names, filled, LANGUAGE_CODES, strict=True):
                    if not is_filled:
                        language = get_language_info(code)["name_translated"]
                        errors.append(
                            (
                                name,
                                _("Filled in one language only: give the %(language)s text too.")
                                % {"language": language},
                            )
                        )
        return errors

    def validate(self, obj, number):
        # References read from the file were found by their keys just now: Django need not
        # check again, one query per reference, that they exist.
        found = [
            column.field.name
            for column in self.resource.columns
            if isinstance(column, RefColumn)
            and not column.is_m2m
            and getattr(column, "field", None) is not None
            and getattr(obj, column.attname) is not None
        ]
        try:
            obj.full_clean(exclude=found, validate_constraints=False)
            obj.validate_constraints(exclude=set(self.unique_fields))
        except ValidationError as error:
            return [
                (self.column_for(name), message)
                for name, messages in error.message_dict.items()
                for message in messages
            ]
        return self.unique_errors(obj, number)

    def column_for(self, field_name):
        by_name = self.resource.by_name
        if field_name == NON_FIELD_ERRORS:
            return ""
        if field_name in by_name:
            return field_name
        for column in self.resource.columns:
            if getattr(column, "field_name", None) == field_name:
                return column.name
        # modeltranslation's untranslated field ("name") stands for its language columns.
        names = [
            f"{field_name}_{code}" for code in LANGUAGE_CODES if f"{field_name}_{code}" in by_name
        ]
        return " / ".join(names) or field_name
