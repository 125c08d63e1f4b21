"""Deletion that never cascades silently: deleting an entry that takes dependent rows with
it needs a second, explicit confirmation naming how many of each will go.
"""

from django.contrib.admin.utils import NestedObjects, unquote
from django.db import router
from django.http import QueryDict


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
