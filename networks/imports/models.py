"""What an import did, kept so that it can be read again and undone as a whole.

An ``ImportRecord`` is written only when an import is applied (a preview writes nothing).
Each entry the import created or changed has an ``ImportEntry`` that names the history record
the import wrote for it: undoing checks that this record is still the entry's latest, so an
entry edited since the import is never overwritten.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from ..models.common import ChoiceLabels


class ImportRecord(models.Model):
    model_label = models.CharField(_("kind of entries"), max_length=100)
    file_name = models.CharField(_("file name"), max_length=255)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("imported by"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("imported on"), auto_now_add=True)
    rows = models.PositiveIntegerField(_("rows"), default=0)
    created = models.PositiveIntegerField(_("created"), default=0)
    changed = models.PositiveIntegerField(_("changed"), default=0)
    unchanged = models.PositiveIntegerField(_("unchanged"), default=0)
    undone_at = models.DateTimeField(_("undone on"), null=True, blank=True)
    undone_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("undone by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("import")
        verbose_name_plural = _("imports")
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return f"{self.file_name} ({self.created_at:%Y-%m-%d %H:%M})"

    @property
    def change_reason(self):
        """The history's change reason for every entry of this import (100 characters max)."""
        return f"Import #{self.pk}: {self.file_name}"[:100]


class ImportEntry(ChoiceLabels, models.Model):
    class Outcome(models.TextChoices):
        CREATED = "created", _("created")
        CHANGED = "changed", _("changed")

    record = models.ForeignKey(ImportRecord, on_delete=models.CASCADE, related_name="entries")
    row = models.PositiveIntegerField(_("row"))
    object_id = models.PositiveBigIntegerField()
    history_id = models.PositiveBigIntegerField()
    outcome = models.CharField(_("outcome"), max_length=10, choices=Outcome)
    label = models.CharField(_("entry"), max_length=300)
    # [[column, old, new], ...] as the report showed them.
    changes = models.JSONField(default=list)

    class Meta:
        verbose_name = _("imported entry")
        verbose_name_plural = _("imported entries")
        ordering = ["record", "row"]

    def __str__(self):
        return self.label
