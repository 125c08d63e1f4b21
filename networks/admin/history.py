"""History and revert: simple-history's admin, made safe and complete.

Reverting needs the right to change the entry (simple-history only asks for the right to
view it), restores many-to-many links as they were rather than as they are now, and is
recorded with a change reason. Bringing deleted entries back is ``recovery.py``.
"""

from django.contrib.admin.utils import unquote
from django.core.exceptions import ObjectDoesNotExist, PermissionDenied, ValidationError
from django.db.models import ForeignKey
from django.http import Http404
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from simple_history.admin import SimpleHistoryAdmin
from simple_history.utils import get_m2m_reverse_field_name

from ..versions import untranslated_base_fields
from .scope import editor_municipality


def history_label(instance):
    """How a history record names its entry: the entry's name, or its kind and number when
    the name needs a related entry that has since been deleted."""
    try:
        return str(instance)
    except ObjectDoesNotExist:
        return f"{instance._meta.verbose_name} #{instance.pk}"


class HistoryAdmin(SimpleHistoryAdmin):
    """Full history of each entry, with a revert that checks rights and restores links."""

    object_history_list_template = "admin/xmess/object_history_list.html"

    def get_history_queryset(self, request, history_manager, pk_name, object_id):
        # simple-history's own version calls select_related() with no arguments for models
        # without foreign keys, which Django 6.1 deprecates.
        queryset = history_manager.filter(**{pk_name: object_id}).select_related("history_user")
        foreign_keys = [
            field.name
            for field in history_manager.model.tracked_fields
            if isinstance(field, ForeignKey)
        ]
        return queryset.select_related(*foreign_keys) if foreign_keys else queryset

    def set_history_delta_changes(self, request, historical_records, foreign_keys_are_objs=True):
        """Each history row lists the fields that really changed: the per-language columns,
        never the untranslated base column, which only mirrors the active language's."""
        excluded = untranslated_base_fields(self.model)
        previous = None
        for current in historical_records:
            if previous is not None:
                delta = previous.diff_against(
                    current,
                    excluded_fields=excluded,
                    foreign_keys_are_objs=foreign_keys_are_objs,
                )
                helper = self.get_historical_record_context_helper(request, previous)
                previous.history_delta_changes = helper.context_for_delta_changes(delta)
            previous = current

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        history_model = self.model.history.model
        try:
            record = history_model.objects.get(
                **{self.opts.pk.attname: unquote(object_id), "history_id": version_id}
            )
        except (history_model.DoesNotExist, ValueError, ValidationError):
            raise Http404 from None
        if request.method == "POST" and not self.can_revert(request, object_id):
            raise PermissionDenied
        request.xmess_revert_record = record
        return super().history_form_view(request, object_id, version_id, extra_context)

    def can_revert(self, request, object_id):
        current = self.model._default_manager.filter(pk=unquote(object_id)).first()
        if current is None:
            return self.can_recover(request)
        return self.has_change_permission(request, current)

    def can_recover(self, request):
        return self.has_add_permission(request) and editor_municipality(request.user) is None

    def revert_disabled(self, request, obj=None):
        if obj is not None and not self.model._default_manager.filter(pk=obj.pk).exists():
            return not self.can_recover(request)
        return super().revert_disabled(request, obj)

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        record = getattr(request, "xmess_revert_record", None)
        if record is None:
            return form
        m2m_initial = {}
        for field in getattr(record, "_history_m2m_fields", []):
            target = get_m2m_reverse_field_name(field)
            rows = getattr(record, field.name).all()
            m2m_initial[field.name] = [getattr(row, f"{target}_id") for row in rows]

        class RevertForm(form):
            def __init__(self, *args, **kwargs):
                super().__init__(*args, **kwargs)
                for name, ids in m2m_initial.items():
                    if name in self.fields:
                        self.initial[name] = ids

        return RevertForm

    def save_model(self, request, obj, form, change):
        record = getattr(request, "xmess_revert_record", None)
        if record is not None:
            obj._change_reason = _("Reverted to the version of %(date)s") % {
                "date": date_format(timezone.localtime(record.history_date), "DATETIME_FORMAT")
            }
        super().save_model(request, obj, form, change)
