"""The columns of an import file: how a cell becomes a field's value, and back again.

Every column reads exactly what the admin's CSV export of the same model writes, so an
export re-imports with no changes. References use keys a person can type (slugs, INE codes,
acronyms), never database ids; many-to-many cells list keys separated by semicolons.

Just over 300 lines: one small class per kind of column, each with its read and its write.
"""

from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Prefetch, Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ..spreadsheets import FORMULA_PREFIXES, csv_cell

TRUE_WORDS = {"1", "true", "yes", "y", "x", "sí", "si", "s", "cert", "veritat"}
FALSE_WORDS = {"0", "false", "no", "n", "fals", ""}
LIST_SEPARATOR = ";"


def clean_text(text):
    """A cell's text without the apostrophe our exports add to keep formulas from running."""
    text = (text or "").strip()
    if text[:1] == "'" and text[1:2] and text[1:2] in FORMULA_PREFIXES:
        return text[1:]
    return text


def same(old, new):
    """Equal for a person: empty is empty, and line endings do not count."""
    if old in (None, "") and new in (None, ""):
        return True
    if isinstance(old, str) and isinstance(new, str):
        return old.replace("\r\n", "\n") == new.replace("\r\n", "\n")
    return old == new


class Column:
    """A column that holds a model field's value as the export writes it."""

    readonly = False
    is_m2m = False

    def __init__(self, name, field=None, *, help_text=None):
        self.name = name
        self.field_name = field or name
        self.help_text = help_text

    def bind(self, model):
        self.model = model
        self.field = model._meta.get_field(self.field_name)
        if self.help_text is None:
            self.help_text = self.field.help_text or self.field.verbose_name
        return self

    @property
    def attname(self):
        return self.field.attname

    # Reading a cell.

    def parse(self, text):
        """The field's value for a cell's text; raises ValidationError with a readable reason."""
        text = clean_text(text)
        field = self.field
        if text == "":
            if field.null:
                return None
            return "" if isinstance(field, models.CharField | models.TextField) else None
        if isinstance(field, models.BooleanField):
            word = text.casefold()
            if word in TRUE_WORDS:
                return True
            if word in FALSE_WORDS:
                return False
            raise ValidationError(_("“%(value)s” is not yes (1) or no (0).") % {"value": text})
        if isinstance(field, models.DecimalField):
            return self._decimal(text)
        if field.choices and text not in {str(value) for value, _label in field.flatchoices}:
            raise ValidationError(
                _("“%(value)s” is not one of: %(choices)s.")
                % {"value": text, "choices": ", ".join(str(v) for v, _l in field.flatchoices)}
            )
        return field.to_python(text)

    def _decimal(self, text):
        # "1.234,50" and "1234,5" as typed in a Catalan spreadsheet, "1234.50" as exported.
        text = text.replace(" ", "").replace("\u00a0", "")
        if "," in text and "." in text:
            decimal_mark = "," if text.rfind(",") > text.rfind(".") else "."
            thousands = "." if decimal_mark == "," else ","
            text = text.replace(thousands, "").replace(decimal_mark, ".")
        else:
            text = text.replace(",", ".")
        try:
            return self.field.to_python(Decimal(text))
        except InvalidOperation:
            raise ValidationError(_("“%(value)s” is not a number.") % {"value": text}) from None

    # The entry's current value, shown and compared.

    def current(self, obj):
        return getattr(obj, self.attname)

    def assign(self, obj, value):
        setattr(obj, self.attname, value)

    def display(self, value):
        if value is None:
            return ""
        return str(csv_cell(value))

    def export(self, obj):
        return self.current(obj)

    def choices_text(self):
        """The values a choice column accepts, for the import page."""
        field = getattr(self, "field", None)
        if field is None or not field.choices:
            return ""
        return ", ".join(str(value) for value, _label in field.flatchoices)


class ReadOnlyColumn(Column):
    """Exported to help the reader of the spreadsheet; ignored when the file is imported."""

    readonly = True

    def __init__(self, name, accessor, *, help_text):
        super().__init__(name, help_text=help_text)
        self.accessor = accessor

    def bind(self, model):
        self.model = model
        return self

    def export(self, obj):
        value = obj
        for part in self.accessor.split("__"):
            value = getattr(value, part, None)
            if value is None:
                return None
        return value


class KeyCache:
    """Key ↔ primary key of one model, filled as keys are read (bounded by the database)."""

    def __init__(self, model, lookups, normalise=None):
        self.model = model
        self.lookups = lookups
        self.normalise = normalise or (lambda text: text)
        self.by_key = {}
        self.by_pk = {}

    def pk_for(self, key):
        key = self.normalise(key)
        if key in self.by_key:
            return self.by_key[key]
        condition = Q()
        for lookup in self.lookups:
            condition |= Q(**{lookup: key})
        found = list(self.model._default_manager.filter(condition).values_list("pk", flat=True)[:2])
        if len(found) != 1:
            return None if not found else ...
        self.by_key[key] = found[0]
        self.by_pk.setdefault(found[0], key)
        return found[0]

    def key_for(self, pk):
        if pk is None:
            return ""
        if pk not in self.by_pk:
            self.by_pk[pk] = (
                self.model._default_manager.filter(pk=pk)
                .values_list(self.lookups[0], flat=True)
                .first()
            )
        return self.by_pk[pk] or ""

    def prefetch(self, keys):
        """Resolve many keys in one query (a chunk's worth), when there is one lookup."""
        missing = {self.normalise(key) for key in keys} - set(self.by_key) - {""}
        if not missing or len(self.lookups) != 1:
            return
        lookup = self.lookups[0]
        rows = self.model._default_manager.filter(**{f"{lookup}__in": missing})
        counts = {}
        for key, pk in rows.values_list(lookup, "pk"):
            counts[key] = counts.get(key, 0) + 1
            self.by_key[key] = pk
            self.by_pk.setdefault(pk, key)
        for key, count in counts.items():
            if count > 1:
                del self.by_key[key]  # ambiguous: pk_for reports it

    def forget(self):
        """Rows created inside a rolled-back preview must not be found again."""
        self.by_key.clear()
        self.by_pk.clear()


def ine_code(text):
    # Spreadsheets drop the leading zero of "08019" when they read it as a number.
    return text.zfill(5) if text.isdigit() and len(text) < 5 else text


class RefColumn(Column):
    """A foreign key, by a key a person can type (``lookups``: the first is what is exported)."""

    def __init__(self, name, field=None, *, lookups=("slug_ca",), what, normalise=None, **kw):
        super().__init__(name, field, **kw)
        self.lookups = lookups
        self.what = what  # e.g. "the INE code", for "the INE code “99999” does not exist"
        self.normalise = normalise

    def bind(self, model):
        super().bind(model)
        self.keys = KeyCache(self.field.related_model, self.lookups, self.normalise)
        return self

    def resolve(self, text):
        pk = self.keys.pk_for(text)
        if pk is ...:
            raise ValidationError(
                _("%(what)s “%(value)s” matches several entries.")
                % {"what": self.what, "value": text}
            )
        if pk is None:
            raise ValidationError(
                _("%(what)s “%(value)s” does not exist.") % {"what": self.what, "value": text}
            )
        return pk

    def parse(self, text):
        text = clean_text(text)
        return self.resolve(text) if text else None

    def prefetch(self, texts):
        self.keys.prefetch(clean_text(text) for text in texts)

    def display(self, value):
        return self.keys.key_for(value)

    def export(self, obj):
        # Read through select_related, never the key cache: an export must show today's keys.
        target = getattr(obj, self.field.name)
        return getattr(target, self.lookups[0]) if target is not None else None


class ManyColumn(RefColumn):
    """A many-to-many field: keys separated by semicolons (order does not matter)."""

    is_m2m = True

    @property
    def attname(self):
        return self.field.name

    def parse(self, text):
        text = clean_text(text)
        keys = [key.strip() for key in text.split(LIST_SEPARATOR) if key.strip()]
        pks, missing = set(), []
        for key in keys:
            try:
                pks.add(self.resolve(key))
            except ValidationError:
                missing.append(key)
        if missing:
            raise ValidationError(
                _("%(what)s %(values)s do not exist.")
                % {"what": self.what, "values": ", ".join(f"“{key}”" for key in missing)}
            )
        return frozenset(pks)

    def prefetch(self, texts):
        keys = (key.strip() for text in texts for key in clean_text(text).split(LIST_SEPARATOR))
        self.keys.prefetch(keys)

    def current(self, obj):
        if obj.pk is None:
            return frozenset()
        # Prefetched by the resource: no query per row.
        return frozenset(item.pk for item in getattr(obj, self.field.name).all())

    def assign(self, obj, value):
        raise TypeError("many-to-many values are set after the entry is saved")

    def display(self, value):
        return "; ".join(sorted(self.keys.key_for(pk) for pk in value or ()))

    @property
    def export_attr(self):
        return f"xmess_export_{self.field.name}"

    def export_prefetch(self):
        """What an export prefetches for this column: the key of each linked row, as a
        list on the row. Going through the related manager instead cost 50 µs a row and
        field (django-modeltranslation builds a queryset class for every ``.all()``)."""
        key = self.lookups[0]
        related = self.field.related_model._default_manager.only(key).order_by()
        return Prefetch(self.field.name, queryset=related, to_attr=self.export_attr)

    def export(self, obj):
        items = getattr(obj, self.export_attr, None)
        if items is None:
            items = getattr(obj, self.field.name).all()
        return "; ".join(sorted(getattr(item, self.lookups[0]) for item in items))


WHAT_SLUG = gettext_lazy("The slug")
WHAT_INE = gettext_lazy("The INE code")
WHAT_NETWORK = gettext_lazy("The network (slug or acronym)")
