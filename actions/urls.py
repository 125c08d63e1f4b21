from django.urls import path
from django.utils.translation import gettext_lazy as _

from . import views

app_name = "actions"

urlpatterns = [
    path(_("plans/"), views.PlanListView.as_view(), name="plan_list"),
    path(_("plans/<slug:slug>/"), views.PlanDetailView.as_view(), name="plan_detail"),
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
]
