"""No lost updates in the admin: every change form and inline row carries a version token.

Two members of staff open the same entry; A saves; B saves from the older form. B's save is
refused with who changed what since B opened it, and B's form comes back:

- the fields A changed and B did not now hold A's values (B would otherwise undo them);
- the fields both changed keep B's input, each marked with A's value;
- the token is brought up to date, so saving again (after reading) goes through.

Nothing is written until then. The same holds for each inline row and for a revert (whose
form is the change form). ``networks.versions.check_version`` is the same check for code
that saves without a form (imports).
"""

import functools

from django import forms
from django.contrib.admin.widgets import RelatedFieldWidgetWrapper
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.text import Truncator
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ..versions import (
    compared_fields,
    compared_many_to_many,
    staleness,
    version_token,
    version_tokens,
)

VERSION_FIELD = "xmess_version"


def _same(a, b):
    empty = (None, "")
    return (a in empty and b in empty) or a == b


def _model_value(form, field_):
    """The form's input for a model field, shaped like ``stored_values`` shapes it."""
    value = form.cleaned_data[field_.name]
    if isinstance(field_, models.ManyToManyField):
        return sorted(item.pk for item in value or [])
    if isinstance(field_, models.ForeignKey):
        return value.pk if value is not None else None
    return value


def _display(field_, value):
    if value in (None, "", []):
        return "—"
    if isinstance(field_, models.ManyToManyField):
        related = field_.related_model._default_manager.filter(pk__in=value)
        return ", ".join(str(item) for item in related)
    if isinstance(field_, models.ForeignKey):
        related = field_.related_model._default_manager.filter(pk=value).first()
        return str(related) if related is not None else "—"
    if field_.choices:
        return str(dict(field_.flatchoices).get(value, value))
    return Truncator(str(value)).chars(120)


def _set_bound_value(form, data, name, value):
    """Put a stored value into bound form data, as the field's widget would submit it."""
    form_field = form.fields[name]
    widget = form_field.widget
    if isinstance(widget, RelatedFieldWidgetWrapper):
        widget = widget.widget
    key = form.add_prefix(name)
    if isinstance(widget, forms.CheckboxInput):
        if value:
            data[key] = "on"
        else:
            data.pop(key, None)
    elif isinstance(value, list):
        data.setlist(key, [str(item) for item in value])
    elif isinstance(widget, forms.MultiWidget):
        parts = widget.decompress(value)
        for suffix, part in zip(widget.widgets_names, parts, strict=False):
            data[key + suffix] = "" if part is None else str(part)
    else:
        prepared = form_field.prepare_value(value)
        data[key] = "" if prepared is None else str(prepared)


class VersionedFormMixin:
    """Refuse a save from a stale copy; bring the form up to date without losing input."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound and self.instance.pk is not None:
            token = getattr(self.instance, "_xmess_version_token", None)
            self.initial[VERSION_FIELD] = token or version_token(self.instance)

    def clean(self):
        cleaned = super().clean()
        token = self.cleaned_data.get(VERSION_FIELD)
        if not token or self.instance.pk is None:
            return cleaned  # a new entry, or a client that does not send a token
        model = type(self.instance)
        stale = staleness(model, self.instance.pk, token, lock=True)
        if stale is None:
            return cleaned
        if stale.deleted:
            raise ValidationError(stale.summary(), code="stale")
        data = self.data.copy()
        data[self.add_prefix(VERSION_FIELD)] = stale.token
        if stale.base is not None:
            for field_ in [*compared_fields(model), *compared_many_to_many(model)]:
                if field_.name not in self.fields:
                    continue
                before, now = stale.base.get(field_.attname), stale.current.get(field_.attname)
                if _same(before, now):
                    continue  # nobody else changed it
                if field_.name in self.cleaned_data:
                    mine = _model_value(self, field_)
                    if _same(mine, before):
                        _set_bound_value(self, data, field_.name, now)  # take theirs in
                        continue
                    if _same(mine, now):
                        continue  # both made the same change
                self.add_error(
                    field_.name,
                    _(
                        "Changed since you opened the form, to: %(value)s. Your input is "
                        "kept here: save again to replace theirs, or change it."
                    )
                    % {"value": _display(field_, now)},
                )
        self.data = data
        advice = _(
            "Nothing was saved. The form now shows their changes where you had not changed "
            "anything; check it and save again."
        )
        raise ValidationError(f"{stale.summary()} {advice}", code="stale")


def versioned(form_class):
    """``form_class`` with the hidden version token and the stale-save check."""
    if issubclass(form_class, VersionedFormMixin):
        return form_class
    token = forms.CharField(label=gettext_lazy("version"), required=False, widget=forms.HiddenInput)
    return type(
        f"Versioned{form_class.__name__}",
        (VersionedFormMixin, form_class),
        {VERSION_FIELD: token, "__module__": form_class.__module__},
    )


def with_version_field(fieldsets, wanted):
    """The fieldsets with the token in the first one (a hidden input) if ``wanted``.

    Only a form that can save needs it: a read-only view would show it as a field.
    """
    fieldsets = [
        (
            name,
            {
                **options,
                "fields": [f for f in options.get("fields", ()) if f != VERSION_FIELD],
            },
        )
        for name, options in fieldsets
    ]
    if wanted and fieldsets:
        name, options = fieldsets[0]
        fieldsets[0] = (name, {**options, "fields": [*options["fields"], VERSION_FIELD]})
    return fieldsets


@functools.cache
def versioned_inline(inline_class):
    if issubclass(inline_class, VersionedInlineMixin):
        return inline_class
    return type(
        f"Versioned{inline_class.__name__}",
        (VersionedInlineMixin, inline_class),
        {"__module__": inline_class.__module__},
    )


class VersionedAdminMixin:
    """For ``ModelAdmin``s: the change form, the revert form and every inline row carry a
    version token (inlines get it here, so an inline added later cannot forget it)."""

    def get_inlines(self, request, obj):
        return [versioned_inline(inline) for inline in super().get_inlines(request, obj)]

    def get_form(self, request, obj=None, change=False, **kwargs):
        kwargs.setdefault("form", versioned(self.form))
        return super().get_form(request, obj, change=change, **kwargs)

    def get_fieldsets(self, request, obj=None):
        wanted = obj is not None and self.has_change_permission(request, obj)
        return with_version_field(super().get_fieldsets(request, obj), wanted)


class VersionedFormSetMixin:
    """Reads the tokens of all the formset's rows at once, not two queries per row."""

    def get_queryset(self):
        queryset = super().get_queryset()
        if not getattr(self, "_xmess_tokens_read", False):
            self._xmess_tokens_read = True
            rows = list(queryset)  # the formset's own cached rows: its forms use these
            tokens = version_tokens(self.model, [row.pk for row in rows])
            for row in rows:
                row._xmess_version_token = tokens.get(row.pk)
        return queryset


class VersionedInlineMixin:
    """For inlines: each row carries its own version token."""

    def get_formset(self, request, obj=None, **kwargs):
        kwargs.setdefault("form", versioned(self.form))
        formset = super().get_formset(request, obj, **kwargs)
        return type(f"Versioned{formset.__name__}", (VersionedFormSetMixin, formset), {})

    def get_fieldsets(self, request, obj=None):
        wanted = obj is not None and self.has_change_permission(request, obj)
        return with_version_field(super().get_fieldsets(request, obj), wanted)
