"""Shared pieces of the staff admin, used by ``networks/admin.py`` and ``actions/admin.py``.

- ``XmessAdmin`` / ``TranslatedAdmin``: the base admin classes. They keep full history
  (django-simple-history) with a safe revert, list deleted entries for recovery, ask for an
  explicit confirmation before a delete cascades into dependent rows, and export the
  filtered changelist as CSV.
- ``MissingTranslationFilter`` and the ``missing_translations`` column: entries where a
  translated field is filled in one language and empty in the other.
- ``MunicipalScopeMixin``: limits a municipal editor (a staff account with an
  ``EditorProfile``) to the entries of their own municipality, by queryset *and* by
  object permission, so a direct URL to another municipality's entry is refused (403).
"""

import csv

from django.conf import settings
from django.contrib import admin, messages
from django.contrib.admin.utils import NestedObjects, quote, unquote
from django.contrib.admin.views.main import IncorrectLookupParameters
from django.core.exceptions import ObjectDoesNotExist, PermissionDenied, ValidationError
from django.db import router, transaction
from django.db.models import ForeignKey, Q
from django.forms.models import BaseInlineFormSet
from django.http import (
    Http404,
    HttpResponse,
    HttpResponseBadRequest,
    HttpResponseNotAllowed,
    HttpResponseRedirect,
    QueryDict,
)
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import get_language_info, gettext_lazy
from django.utils.translation import gettext as _
from modeltranslation.admin import TabbedTranslationAdmin
from modeltranslation.translator import NotRegistered, translator
from simple_history.admin import SimpleHistoryAdmin
from simple_history.utils import get_m2m_reverse_field_name

from .admin_versions import VersionedAdminMixin
from .spreadsheets import csv_cell

LANGUAGE_CODES = [code for code, _name in settings.LANGUAGES]

# Deleted entries listed on one page; older deletions are still in each model's history.
DELETED_LIST_LIMIT = 200


# --- Municipal editors -----------------------------------------------------------------------


def editor_municipality(user):
    """The municipality a municipal editor is limited to; None for everyone else.

    A superuser is never limited, even with a profile. The profile (or its absence) is
    cached on the user object by Django's one-to-one descriptor.
    """
    if not getattr(user, "is_authenticated", False) or user.is_superuser:
        return None
    profile = getattr(user, "editor_profile", None)
    return profile.municipality if profile is not None else None


class MunicipalScopeMixin:
    """Limit a municipal editor to their municipality's entries.

    Subclasses say which rows belong to a municipality (``municipal_filter``, on querysets;
    ``in_municipal_scope``, on one object) and which fields a municipal editor may not
    touch (``municipal_readonly_fields``). ``municipal_forced_fields`` are set to the
    editor's municipality on new entries.
    """

    municipal_readonly_fields = ()
    municipal_forced_fields = ()

    def municipal_filter(self, queryset, municipality):
        raise NotImplementedError

    def in_municipal_scope(self, obj, municipality):
        raise NotImplementedError

    def _allowed(self, request, obj):
        municipality = editor_municipality(request.user)
        return obj is None or municipality is None or self.in_municipal_scope(obj, municipality)

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        municipality = editor_municipality(request.user)
        if municipality is None:
            return queryset
        return self.municipal_filter(queryset, municipality)

    def get_object(self, request, object_id, from_field=None):
        obj = super().get_object(request, object_id, from_field)
        if obj is None and editor_municipality(request.user) is not None:
            # Another municipality's entry: refuse it plainly (and get it logged as a
            # permission refusal) rather than pretend that it does not exist.
            try:
                exists = self.model._default_manager.filter(pk=object_id).exists()
            except (ValueError, ValidationError):
                exists = False
            if exists:
                raise PermissionDenied
        return obj

    def has_view_permission(self, request, obj=None):
        return super().has_view_permission(request, obj) and self._allowed(request, obj)

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and self._allowed(request, obj)

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and self._allowed(request, obj)

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        if editor_municipality(request.user) is not None:
            fields += [f for f in self.municipal_readonly_fields if f not in fields]
        return fields

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        municipality = editor_municipality(request.user)
        if municipality is None or not self.municipal_forced_fields:
            return form
        forced = self.municipal_forced_fields

        class MunicipalForm(form):
            def __init__(self, *args, **kwargs):
                super().__init__(*args, **kwargs)
                if self.instance.pk is None:
                    for name in forced:
                        setattr(self.instance, name, municipality)

            def validate_constraints(self):
                # The forced fields are not on the form, so Django would skip the
                # constraints that use them (a duplicate membership would then reach the
                # database). Check them anyway.
                exclude = self._get_validation_exclusions() - set(forced)
                try:
                    self.instance.validate_constraints(exclude=exclude)
                except ValidationError as error:
                    self._update_errors(error)

        return MunicipalForm


# --- Missing translations --------------------------------------------------------------------


def translated_fields(model):
    """Names of the model's fields that have a column per language."""
    try:
        return list(translator.get_options_for_model(model).all_fields)
    except NotRegistered:
        return []


def _filled(value):
    return value is not None and str(value).strip() != ""


def missing_translations_of(obj):
    """{language code: [field names]} of fields filled in another language but not this one."""
    missing = {}
    for field in translated_fields(type(obj)):
        values = {code: getattr(obj, f"{field}_{code}", None) for code in LANGUAGE_CODES}
        if not any(_filled(value) for value in values.values()):
            continue
        for code, value in values.items():
            if not _filled(value):
                missing.setdefault(code, []).append(field)
    return missing


def missing_translation_q(model, code):
    """Rows with at least one field filled in another language and empty in ``code``."""
    condition = Q(pk__in=[])
    for field in translated_fields(model):
        empty = Q(**{f"{field}_{code}": ""}) | Q(**{f"{field}_{code}__isnull": True})
        filled_elsewhere = Q(pk__in=[])
        for other in LANGUAGE_CODES:
            if other != code:
                filled_elsewhere |= Q(**{f"{field}_{other}__gt": ""})
        condition |= empty & filled_elsewhere
    return condition


def language_name(code):
    return get_language_info(code)["name_translated"]


class MissingTranslationFilter(admin.SimpleListFilter):
    title = gettext_lazy("translation")
    parameter_name = "missing_translation"

    def lookups(self, request, model_admin):
        return [
            (code, _("%(language)s missing") % {"language": language_name(code)})
            for code in LANGUAGE_CODES
        ]

    def queryset(self, request, queryset):
        if self.value() not in LANGUAGE_CODES:
            return queryset
        return queryset.filter(missing_translation_q(queryset.model, self.value()))


# --- CSV export ------------------------------------------------------------------------------


def resolve(obj, accessor):
    if callable(accessor):
        return accessor(obj)
    value = obj
    for part in accessor.split("__"):
        value = getattr(value, part, None)
        if value is None:
            return None
    if hasattr(value, "all") and callable(value.all):  # a many-to-many manager
        return "; ".join(str(item) for item in value.all())
    return value


class CSVExportMixin:
    """A "CSV" button on the changelist that exports what the list currently shows.

    ``csv_columns``: (header, accessor) pairs; an accessor is a field path ("line__number")
    or a callable taking the object. Headers are stable column names, not translated, so a
    spreadsheet built on one export keeps working with the next.
    """

    csv_columns = ()
    csv_select_related = ()
    csv_prefetch_related = ()

    def get_urls(self):
        info = self.opts.app_label, self.opts.model_name
        urls = []
        if self.csv_columns:
            urls.append(
                path(
                    "export.csv",
                    self.admin_site.admin_view(self.export_csv_view),
                    name="{}_{}_export".format(*info),
                )
            )
        return urls + super().get_urls()

    def changelist_view(self, request, extra_context=None):
        extra_context = {"has_csv_export": bool(self.csv_columns), **(extra_context or {})}
        return super().changelist_view(request, extra_context)

    def export_csv_view(self, request):
        if not self.has_view_or_change_permission(request):
            raise PermissionDenied
        try:
            changelist = self.get_changelist_instance(request)
        except IncorrectLookupParameters:
            return HttpResponseBadRequest(_("These filters are not valid."))
        queryset = changelist.queryset
        if self.csv_select_related:
            queryset = queryset.select_related(*self.csv_select_related)
        if self.csv_prefetch_related:
            queryset = queryset.prefetch_related(*self.csv_prefetch_related)
        stamp = timezone.localdate().isoformat()
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = (
            f'attachment; filename="{self.opts.model_name}-{stamp}.csv"'
        )
        response.write("\ufeff")  # spreadsheet programs then read the file as UTF-8
        writer = csv.writer(response)
        writer.writerow([header for header, _accessor in self.csv_columns])
        for obj in queryset:
            writer.writerow([csv_cell(resolve(obj, acc)) for _h, acc in self.csv_columns])
        return response


# --- Deletion that never cascades silently ---------------------------------------------------


def cascaded_counts(obj):
    """[(verbose name plural, count)] of the rows that deleting ``obj`` would also delete."""
    collector = NestedObjects(using=router.db_for_write(type(obj)))
    collector.collect([obj])
    counts = []
    for model, instances in collector.model_objs.items():
        if model._meta.auto_created:
            continue  # many-to-many links: the linked entries themselves stay
        count = sum(1 for instance in instances if instance != obj)
        if count:
            counts.append((str(model._meta.verbose_name_plural), count))
    return sorted(counts)


class ConfirmCascadeMixin:
    """Deleting an entry that has dependents needs a second, explicit confirmation.

    Django's page already lists what goes with it; a network's memberships, strategic lines
    and fundings are easy to overlook in that list, so the editor must also tick a box that
    names how many of each will go. Without it nothing is deleted.
    """

    delete_confirmation_template = "admin/xmess/delete_confirmation.html"

    def delete_view(self, request, object_id, extra_context=None):
        extra_context = dict(extra_context or {})
        obj = self.get_object(request, unquote(object_id))
        if obj is not None and self.has_delete_permission(request, obj):
            counts = cascaded_counts(obj)
            extra_context["cascaded_counts"] = counts
            if request.method == "POST" and counts and request.POST.get("confirm_cascade") != "yes":
                extra_context["cascade_unconfirmed"] = True
                # An empty POST makes Django show the confirmation again instead of deleting.
                request.POST = QueryDict()
        return super().delete_view(request, object_id, extra_context)


# --- History: revert and recovery ------------------------------------------------------------


def restore_many_to_many(instance, record):
    """Give ``instance`` the many-to-many links that the history ``record`` kept."""
    if record is None:
        return
    for field in getattr(record, "_history_m2m_fields", []):
        target = get_m2m_reverse_field_name(field)
        ids = [getattr(row, f"{target}_id") for row in getattr(record, field.name).all()]
        existing = field.related_model._default_manager.filter(pk__in=ids)
        getattr(instance, field.name).set(existing)


def describe(instance):
    """The entry's name, or its kind and number when the name needs a deleted entry."""
    try:
        return str(instance)
    except ObjectDoesNotExist:
        return f"{instance._meta.verbose_name} #{instance.pk}"


class HistoryAdmin(SimpleHistoryAdmin):
    """simple-history's admin, made safe and complete.

    - Reverting needs the right to change the entry (simple-history only asks for the right
      to view it), and it restores many-to-many links as they were, not as they are now.
    - Each revert and recovery is recorded with a change reason.
    - ``deleted/`` lists deleted entries; ``deleted/<history id>/restore/`` (POST) brings one
      back with its links, after the same validation as a form.
    """

    object_history_list_template = "admin/xmess/object_history_list.html"

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

    # Reverting to an earlier version.

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

    # Recovering deleted entries.

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
                record.label = describe(record.instance)
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
                request, _("“%(entry)s” is not deleted.") % {"entry": describe(record.instance)}
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
                % {"entry": describe(instance), "reasons": " ".join(error.messages)},
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


# --- The base admin classes ------------------------------------------------------------------


class XmessAdmin(VersionedAdminMixin, ConfirmCascadeMixin, CSVExportMixin, HistoryAdmin):
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
