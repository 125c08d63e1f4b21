"""Public pages of plans. Minimal here; see the timelines issue."""

from django.shortcuts import get_object_or_404
from django.views.generic import DetailView, ListView

from .models import Action, Line, Plan


class PlanListView(ListView):
    model = Plan


class PlanDetailView(DetailView):
    model = Plan


class LineDetailView(DetailView):
    model = Line

    def get_object(self, queryset=None):
        return get_object_or_404(
            Line.objects.select_related("plan"),
            plan__slug=self.kwargs["plan"],
            number=self.kwargs["number"],
        )


class ActionDetailView(DetailView):
    model = Action

    def get_object(self, queryset=None):
        return get_object_or_404(
            Action.objects.select_related("line__plan"),
            line__plan__slug=self.kwargs["plan"],
            line__number=self.kwargs["number"],
            position=self.kwargs["position"],
        )
