"""Deletion that never cascades silently: deleting an entry that takes dependent rows with
it needs a second, explicit confirmation naming how many of each will go.
"""

from django.contrib.admin.utils import NestedObjects, display_for_value, quote, unquote
from django.db import router
from django.http import QueryDict
from django.urls import NoReverseMatch, reverse
from django.utils.html import format_html
from django.utils.text import capfirst
from django.utils.translation import ngettext

from ..history_records import one_deletion

# The confirmation names this many of the rows that go, and counts the rest (Django's
# "...and N more objects."): a network of 25,000 members listed them all in 3.5 MB. So does
# the confirmation of a recovery (recovery.py).
SHOWN_ROWS = 100


def more_rows(count):
    """Django's "…and N more objects." for the rows a list leaves out, or "" for none."""
    if count <= 0:
        return ""
    return ngettext("…and %(count)d more object.", "…and %(count)d more objects.", count) % {
        "count": count
    }


def collected(request, objs):
    """What deleting ``objs`` takes with it, collected once per request: the confirmation's
    counts and its list both read it (collecting a network's 25,000 memberships: 0.9 s)."""
    objs = list(objs)
    found = request.__dict__.setdefault("_xmess_collected", {})
    key = tuple((type(obj), obj.pk) for obj in objs)
    if key not in found:
        collector = NestedObjects(using=router.db_for_write(type(objs[0])), origin=objs)
        collector.collect(objs)
        found[key] = collector
    return found[key]


def cascaded_counts(request, obj):
    """[(verbose name plural, count)] of the rows that deleting ``obj`` would also delete."""
    collector = collected(request, [obj])
    counts = []
    for model, instances in collector.model_objs.items():
        if model._meta.auto_created:
            continue  # many-to-many links: the linked entries themselves stay
        count = sum(1 for instance in instances if instance != obj)
        if count:
            counts.append((str(model._meta.verbose_name_plural), count))
    return sorted(counts)


class Named:
    """A row of the confirmation's list, named only when the page shows it: naming a
    membership reads its member, a query each (17 s for a network of 25,000 members)."""

    def __init__(self, obj, admin_site):
        self.obj, self.admin_site = obj, admin_site

    def __html__(self):
        obj, opts = self.obj, self.obj._meta
        if self.admin_site.is_registered(type(obj)):
            try:
                url = reverse(
                    f"{self.admin_site.name}:{opts.app_label}_{opts.model_name}_change",
                    args=(quote(obj.pk),),
                )
            except NoReverseMatch:
                pass
            else:
                name = display_for_value(str(obj), "-")
                label = capfirst(opts.verbose_name)
                return format_html('{}: <a href="{}">{}</a>', label, url, name)
        return format_html("{}: {}", capfirst(opts.verbose_name), obj)

    __str__ = __html__


def deleted_objects(objs, request, admin_site):
    """Django's ``get_deleted_objects`` (what goes, how many of each, the permissions it
    needs, what protects it), with each row named only if the page shows it. Every row's
    delete permission is still checked."""
    if not objs:
        return [], {}, set(), []
    collector = collected(request, objs)
    perms_needed = set()

    def named(obj):
        model = type(obj)
        admin = admin_site.get_model_admin(model) if admin_site.is_registered(model) else None
        if admin is not None and not admin.has_delete_permission(request, obj):
            perms_needed.add(obj._meta.verbose_name)
        return Named(obj, admin_site)

    to_delete = collector.nested(named)
    protected = [named(obj) for obj in collector.protected]
    model_count = {
        model._meta.verbose_name_plural: len(rows) for model, rows in collector.model_objs.items()
    }
    return to_delete, model_count, perms_needed, protected


class ConfirmCascadeMixin:
    """Deleting an entry that has dependents needs a second, explicit confirmation.

    Django's page already lists what goes with it; a network's memberships, strategic lines
    and fundings are easy to overlook in that list, so the editor must also tick a box that
    names how many of each will go. Without it nothing is deleted.
    """

    delete_confirmation_template = "admin/xmess/delete_confirmation.html"
    delete_confirmation_max_display = SHOWN_ROWS

    def get_deleted_objects(self, objs, request):
        return deleted_objects(objs, request, self.admin_site)

    # One deletion, one moment: the history of every row that goes is written together
    # (networks/history_records.py), so that recovering the entry finds all of it.
    def delete_model(self, request, obj):
        with one_deletion():
            super().delete_model(request, obj)

    def delete_queryset(self, request, queryset):
        with one_deletion():
            super().delete_queryset(request, queryset)

    def delete_view(self, request, object_id, extra_context=None):
        extra_context = dict(extra_context or {})
        obj = self.get_object(request, unquote(object_id))
        if obj is not None and self.has_delete_permission(request, obj):
            counts = cascaded_counts(request, obj)
            extra_context["cascaded_counts"] = counts
            if request.method == "POST" and counts and request.POST.get("confirm_cascade") != "yes":
                extra_context["cascade_unconfirmed"] = True
                # An empty POST makes Django show the confirmation again instead of deleting.
                request.POST = QueryDict()
        return super().delete_view(request, object_id, extra_context)
