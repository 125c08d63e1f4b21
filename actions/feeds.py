"""Atom feed of the status changes of plan actions, all plans or one plan, one per language
(the URL's language prefix picks it). The directory's event feeds are in networks/feeds.py.
"""

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext

from networks.feeds import FEED_LENGTH

from .models import Plan, ScheduledYear, status_changes


class PlanChangesFeed(Feed):
    """Status changes of the action-years of every plan, or of one plan."""

    feed_type = Atom1Feed

    def get_object(self, request, slug=None):
        if slug is None:
            return None
        return get_object_or_404(Plan, slug=slug)

    def title(self, obj):
        if obj is None:
            return gettext("Xarxa ESS: status changes of plan actions")
        return gettext("Status changes: %(plan)s") % {"plan": obj.name}

    def subtitle(self, obj):
        return gettext("Each time an action-year of a plan changes status.")

    def link(self, obj):
        return obj.get_timeline_url() if obj else reverse("actions:plan_list")

    def items(self, obj):
        changes = status_changes()
        if obj is not None:
            changes = changes.filter(action__line__plan=obj)
        return changes[:FEED_LENGTH]

    def item_title(self, item):
        labels = dict(ScheduledYear.Status.choices)
        return gettext("%(code)s, %(year)s: %(before)s → %(after)s") % {
            "code": item.action.code,
            "year": item.year,
            "before": labels.get(item.previous_status, item.previous_status),
            "after": labels.get(item.status, item.status),
        }

    def item_description(self, item):
        parts = [item.action.title, item.action.line.plan.name]
        if item.note:
            parts.append(item.note)
        return "\n\n".join(parts)

    def item_link(self, item):
        return item.action.get_absolute_url()

    def item_guid(self, item):
        # An Atom id must be an absolute IRI, and stay the same whichever host was asked.
        path = item.action.get_absolute_url()
        return f"{settings.SITE_URL}{path}#status-change-{item.history_id}"

    def author_name(self):
        return gettext("Xarxa ESS")

    def item_author_name(self, item):
        return gettext("Xarxa ESS")

    item_guid_is_permalink = False

    def item_updateddate(self, item):
        return item.history_date
