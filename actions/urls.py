from django.urls import path
from django.utils.translation import gettext_lazy as _

from . import feeds, views

app_name = "actions"

urlpatterns = [
    path(_("plans/"), views.PlanListView.as_view(), name="plan_list"),
    path(_("plans/<slug:slug>/"), views.PlanDetailView.as_view(), name="plan_detail"),
    path(_("plans/<slug:slug>/timeline/"), views.TimelineView.as_view(), name="timeline"),
    path(
        _("plans/<slug:slug>/timeline.csv"),
        views.TimelineExportView.as_view(format="csv"),
        name="timeline_csv",
    ),
    path(
        _("plans/<slug:slug>/timeline.json"),
        views.TimelineExportView.as_view(format="json"),
        name="timeline_json",
    ),
    path(_("plans/<slug:slug>/changes.atom"), feeds.PlanChangesFeed(), name="plan_changes_feed"),
    path(
        _("plans/<slug:plan>/lines/<int:number>/"),
        views.LineDetailView.as_view(),
        name="line_detail",
    ),
    path(
        _("plans/<slug:plan>/lines/<int:number>/actions/<int:position>/"),
        views.ActionDetailView.as_view(),
        name="action_detail",
    ),
    # Feeds: one per language, as the language prefix of the URL says.
    path(_("feeds/plan-changes.atom"), feeds.PlanChangesFeed(), name="changes_feed"),
]
