"""The "ends after it starts" rule, written once for every model with a period.

A model with a period declares the database constraint with ``end_after_start(...)`` in its
``Meta.constraints`` and calls ``validate_period(self, ...)`` in ``clean()``. The check in
``clean()`` puts the error on the end field, with the years, where the editor typed it;
Django then skips the constraint for that field (``full_clean`` leaves out constraints on
fields that already failed), so the editor reads the message once. The constraint stays
for everything that doesn't call ``full_clean`` (``update()``, raw SQL, fixtures loaded
without validation).
"""

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _


def end_after_start(name, *, start="start_year", end="end_year", optional=(), message=None):
    """A CheckConstraint: ``end >= start``, or one of the ``optional`` fields is empty."""
    if optional:
        empty = [(f"{field}__isnull", True) for field in optional]
        condition = Q(*empty, (f"{end}__gte", F(start)), _connector=Q.OR)
    else:
        condition = Q(**{f"{end}__gte": F(start)})
    return models.CheckConstraint(
        condition=condition,
        name=name,
        violation_error_message=message or _("The end year is before the start year."),
    )


def validate_period(instance, start="start_year", end="end_year", message=None):
    """Raise a ValidationError on ``end`` when it is before ``start`` (both known)."""
    start_value, end_value = getattr(instance, start), getattr(instance, end)
    if start_value is None or end_value is None or end_value >= start_value:
        return
    if message is None:
        message = _("The end year (%(end)s) is before the start year (%(start)s).") % {
            "end": end_value,
            "start": start_value,
        }
    raise ValidationError({end: message})
