"""Deleted-entry recovery: ``deleted/`` lists the entries of a model that are deleted, and
``deleted/<history id>/restore/`` (POST) brings one back with its many-to-many links, after
the same validation as a form, recorded in its history.
"""

from django.contrib import messages
from django.contrib.admin.utils import quote
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import router, transaction
from django.http import HttpResponseNotAllowed, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext as _
from simple_history.utils import get_m2m_reverse_field_name

from .history import HistoryAdmin, history_label

# Deleted entries listed on one page; older deletions are still in each model's history.
DELETED_LIST_LIMIT = 200


def restore_many_to_many(instance, record):
    """Give ``instance`` the many-to-many links that the history ``record`` kept."""
    if record is None:
        return
    for field in getattr(record, "_history_m2m_fields", []):
        target = get_m2m_reverse_field_name(field)
        ids = [getattr(row, f"{target}_id") for row in getattr(record, field.name).all()]
        existing = field.related_model._default_manager.filter(pk__in=ids)
        getattr(instance, field.name).set(existing)


class RecoveryAdmin(HistoryAdmin):
    """``HistoryAdmin`` plus the list of deleted entries and their recovery.

    Who may recover is ``HistoryAdmin.can_recover``: reverting a deleted entry to an earlier
    version is a recovery too, so both paths ask the same question.
    """

    def get_urls(self):
        info = self.opts.app_label, self.opts.model_name
        urls = [
            path(
                "deleted/",
                self.admin_site.admin_view(self.deleted_list_view),
                name="{}_{}_deleted".format(*info),
            ),
            path(
                "deleted/<int:history_id>/restore/",
                self.admin_site.admin_view(self.restore_view),
                name="{}_{}_restore".format(*info),
            ),
        ]
        return urls + super().get_urls()

    def deleted_records(self, request):
        """The latest deletion record of each entry that is still deleted, newest first."""
        history_model = self.model.history.model
        live = self.model._default_manager.values("pk")
        records = (
            history_model.objects.filter(history_type="-")
            .exclude(**{f"{self.opts.pk.attname}__in": live})
            .select_related("history_user")
            .order_by("-history_date", "-history_id")
        )
        seen, latest = set(), []
        for record in records[: DELETED_LIST_LIMIT * 2]:
            key = getattr(record, self.opts.pk.attname)
            if key not in seen:
                seen.add(key)
                record.label = history_label(record.instance)
                latest.append(record)
        return latest[:DELETED_LIST_LIMIT]

    def deleted_list_view(self, request):
        if not self.can_recover(request):
            raise PermissionDenied
        context = {
            **self.admin_site.each_context(request),
            "title": _("Deleted %(name)s") % {"name": self.opts.verbose_name_plural},
            "opts": self.opts,
            "records": self.deleted_records(request),
            "limit": DELETED_LIST_LIMIT,
        }
        return TemplateResponse(request, "admin/xmess/deleted_list.html", context)

    def restore_view(self, request, history_id):
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        if not self.can_recover(request):
            raise PermissionDenied
        history_model = self.model.history.model
        record = get_object_or_404(history_model, history_id=history_id, history_type="-")
        deleted_list = reverse(
            f"{self.admin_site.name}:{self.opts.app_label}_{self.opts.model_name}_deleted"
        )
        pk = getattr(record, self.opts.pk.attname)
        if self.model._default_manager.filter(pk=pk).exists():
            messages.info(
                request,
                _("“%(entry)s” is not deleted.") % {"entry": history_label(record.instance)},
            )
            return HttpResponseRedirect(deleted_list)
        instance = record.instance
        try:
            # The same rules as a form: the entries it points to still exist, its slugs are
            # still free, and the model's own checks pass.
            instance.full_clean()
        except ValidationError as error:
            messages.error(
                request,
                _(
                    "“%(entry)s” cannot be recovered yet (if what it belongs to was deleted "
                    "too, recover that first): %(reasons)s"
                )
                % {"entry": history_label(instance), "reasons": " ".join(error.messages)},
            )
            return HttpResponseRedirect(deleted_list)
        with transaction.atomic(using=router.db_for_write(self.model)):
            instance._change_reason = _("Recovered after deletion")
            instance._history_user = request.user
            instance.save(force_insert=True)
            # The deletion record has no links left (Django removes them first): take them
            # from the version before it.
            restore_many_to_many(instance, record.prev_record)
        self.log_addition(request, instance, [{"added": {}}])
        messages.success(request, _("“%(entry)s” was recovered.") % {"entry": instance})
        return HttpResponseRedirect(
            reverse(
                f"{self.admin_site.name}:{self.opts.app_label}_{self.opts.model_name}_change",
                args=[quote(instance.pk)],
            )
        )

    def changelist_view(self, request, extra_context=None):
        extra_context = {"can_recover": self.can_recover(request), **(extra_context or {})}
        return super().changelist_view(request, extra_context)
