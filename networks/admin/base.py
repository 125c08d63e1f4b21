"""The base admin classes every model of the directory and the plans builds on.

``XmessAdmin`` composes the concerns of this package: full history with a safe revert
(``history.py``), recovery of deleted entries (``recovery.py``), a confirmed delete
(``deletion.py``), CSV export (``exports.py``), the missing-translation column
(``translations.py``), no lost updates (``versions.py``) and change pages that stay a page
when an entry has thousands of inline rows (``long_inlines.py``). ``TranslatedAdmin`` adds
modeltranslation's language tabs.
"""

from django.contrib import admin
from django.utils.translation import gettext_lazy
from modeltranslation.admin import TabbedTranslationAdmin

from .deletion import ConfirmCascadeMixin
from .exports import CSVExportMixin
from .long_inlines import LongInlinesMixin
from .recovery import RecoveryAdmin
from .translations import missing_translations_of
from .versions import VersionedAdminMixin


class XmessAdmin(
    LongInlinesMixin, VersionedAdminMixin, ConfirmCascadeMixin, CSVExportMixin, RecoveryAdmin
):
    """Base admin for every model of the directory and the plans."""

    change_list_template = "admin/xmess/change_list.html"
    list_per_page = 50
    # Bulk deletion would skip the per-entry cascade confirmation.
    actions = None

    @admin.display(description=gettext_lazy("missing translation"))
    def missing_translations(self, obj):
        missing = missing_translations_of(obj)
        if not missing:
            return "—"
        return "; ".join(
            "{}: {}".format(
                code.upper(),
                ", ".join(str(obj._meta.get_field(name).verbose_name) for name in names),
            )
            for code, names in missing.items()
        )


class TranslatedAdmin(XmessAdmin, TabbedTranslationAdmin):
    """Base admin for models with Catalan and English fields (shown as tabs)."""
