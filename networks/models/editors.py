"""Municipal editors: the staff accounts allowed to change one municipality's entries."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from .geography import Municipality


class EditorProfile(models.Model):
    """Links a staff account to the one municipality whose entries it may change."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="editor_profile",
    )
    municipality = models.ForeignKey(
        Municipality,
        verbose_name=_("municipality"),
        on_delete=models.PROTECT,
        related_name="editors",
    )

    class Meta:
        verbose_name = _("municipal editor")
        verbose_name_plural = _("municipal editors")

    def __str__(self):
        return f"{self.user} ({self.municipality})"
