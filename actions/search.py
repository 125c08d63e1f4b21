"""What of the plans the site search finds: plans, their lines and their actions.

Registered with networks' search page from ActionsConfig.ready(), in both languages (the
Catalan and English columns, each with its own stemming on PostgreSQL).
"""

from django.utils.translation import gettext_lazy as _

from networks.search import SearchSection, register_section

from .models import Action, Line, Plan


def register():
    register_section(
        SearchSection(
            key="plans",
            label=_("Plans"),
            queryset=lambda: Plan.objects.all(),
            fields={"A": ["name", "short_name"], "B": ["description"]},
            list_url="actions:plan_list",
            detail=lambda plan: f"{plan.start_year}–{plan.end_year}",
        )
    )
    register_section(
        SearchSection(
            key="lines",
            label=_("Plan lines"),
            queryset=lambda: Line.objects.select_related("plan"),
            fields={"A": ["title"], "B": ["description"]},
            detail=lambda line: line.plan.short_name or line.plan.name,
        )
    )
    register_section(
        SearchSection(
            key="actions",
            label=_("Plan actions"),
            queryset=lambda: Action.objects.select_related("line__plan"),
            fields={"A": ["title"], "B": ["description"]},
            detail=lambda action: action.line.plan.short_name or action.line.plan.name,
        )
    )
