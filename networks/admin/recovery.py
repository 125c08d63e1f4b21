"""Deleted-entry recovery: ``deleted/`` lists the entries of a model that are deleted, and
``deleted/<history id>/restore/`` shows what a recovery brings back (GET) and does it
(POST): the entry with its many-to-many links and, if asked, everything deleted with it
(a network's memberships, a plan's lines, actions and years), in one step, each after the
same validation as a form and recorded in its history.
"""

import itertools

from django.contrib import messages
from django.contrib.admin.models import ADDITION, LogEntry
from django.contrib.admin.utils import quote
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import router, transaction
from django.http import HttpResponseNotAllowed, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext as _

from ..recovering import (
    Refused,
    deleted_with,
    in_recovery_order,
    recover,
    recover_many,
    still_there,
)
from .deletion import SHOWN_ROWS, more_rows
from .history import HistoryAdmin, history_label

# Deleted entries listed on one page; older deletions are still in each model's history.
DELETED_LIST_LIMIT = 200


def group_counts(group):
    """[(verbose name plural, count)] of a group of (model, record), by model."""
    counts = {}
    for model, _record in group:
        name = str(model._meta.verbose_name_plural)
        counts[name] = counts.get(name, 0) + 1
    return sorted(counts.items())


class RecoveryFailed(Exception):
    pass


def recovery_failed(record, error):
    return RecoveryFailed(
        _(
            "“%(entry)s” cannot be recovered yet (if what it belongs to was deleted "
            "too, recover that first): %(reasons)s"
        )
        % {"entry": history_label(record.instance), "reasons": " ".join(error.messages)}
    )


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
        records = (
            history_model.objects.filter(history_type="-")
            .exclude(still_there(self.model))
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
        if request.method not in ("GET", "HEAD", "POST"):
            return HttpResponseNotAllowed(["GET", "POST"])
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
        dependents = in_recovery_order(deleted_with(self.model, record))
        if request.method != "POST":
            # Recovering is a POST: a link followed by a crawler shows this page, no more.
            return self.recover_confirmation(request, record, dependents)
        if request.POST.get("with_dependents") != "yes":
            dependents = []
        label = history_label(record.instance)
        try:
            with transaction.atomic(using=router.db_for_write(self.model)):
                instance = self.recover_one(request, record, _("Recovered after deletion"))
                # In recovery order, each model's entries together.
                for model, group in itertools.groupby(dependents, key=lambda item: item[0]):
                    self.recover_group(
                        request,
                        model,
                        [dependent for _model, dependent in group],
                        _("Recovered with “%(entry)s”") % {"entry": instance},
                    )
        except RecoveryFailed as failure:
            messages.error(request, str(failure))
            return HttpResponseRedirect(deleted_list)
        if dependents:
            messages.success(
                request,
                _("“%(entry)s” was recovered, with what was deleted with it: %(counts)s.")
                % {
                    "entry": instance,
                    "counts": ", ".join(f"{n} {name}" for name, n in group_counts(dependents)),
                },
            )
        else:
            messages.success(request, _("“%(entry)s” was recovered.") % {"entry": label})
        return HttpResponseRedirect(
            reverse(
                f"{self.admin_site.name}:{self.opts.app_label}_{self.opts.model_name}_change",
                args=[quote(instance.pk)],
            )
        )

    def recover_one(self, request, record, reason):
        try:
            # The same rules as a form: the entries it points to still exist, its slugs are
            # still free, and the model's own checks pass.
            instance = recover(record, request.user, reason)
        except ValidationError as error:
            raise recovery_failed(record, error) from error
        self.log_addition(request, instance, [{"added": {}}])
        return instance

    def recover_group(self, request, model, records, reason):
        """``recover_one`` for many entries of ``model``, checked and written in bulk."""
        try:
            instances = recover_many(model, records, request.user, reason)
        except Refused as refused:
            raise recovery_failed(refused.record, refused.error) from refused
        LogEntry.objects.log_actions(
            user_id=request.user.pk,
            queryset=instances,
            action_flag=ADDITION,
            change_message=[{"added": {}}],
        )

    def recover_confirmation(self, request, record, dependents):
        context = {
            **self.admin_site.each_context(request),
            "title": _("Recover “%(entry)s”") % {"entry": history_label(record.instance)},
            "opts": self.opts,
            "record": record,
            "entry": history_label(record.instance),
            # Named only as far as the page shows them: a name can read the entries it
            # points to, and a network has 25,000 memberships.
            "dependents": [history_label(dep.instance) for _model, dep in dependents[:SHOWN_ROWS]],
            "more_dependents": more_rows(len(dependents) - SHOWN_ROWS),
            "dependent_counts": group_counts(dependents),
        }
        return TemplateResponse(request, "admin/xmess/recover_confirmation.html", context)

    def changelist_view(self, request, extra_context=None):
        extra_context = {"can_recover": self.can_recover(request), **(extra_context or {})}
        return super().changelist_view(request, extra_context)
