"""Inline formsets with rules Django's formsets cannot check on their own."""

from django.forms.models import BaseInlineFormSet
from django.utils.translation import gettext as _


class UniqueMembershipFormSet(BaseInlineFormSet):
    """Catch the same member twice in one role among the rows of one save.

    Django's formset only checks unconditional unique constraints; the membership ones are
    conditional, so two identical new rows would otherwise reach the database.
    """

    def clean(self):
        super().clean()
        seen = set()
        for form in self.forms:
            if not form.has_changed() and form.instance.pk is None:
                continue
            data = getattr(form, "cleaned_data", None) or {}
            if not data or data.get("DELETE"):
                continue
            member = data.get("organisation") or data.get("municipality")
            key = (
                type(member).__name__,
                getattr(member, "pk", None),
                data.get("role"),
                getattr(data.get("network"), "pk", None),
            )
            if member is None:
                continue
            if key in seen:
                form.add_error(None, _("The same member appears twice with the same role."))
            seen.add(key)
