"""What plans and actions add to the directory's pages, through networks/extensions.py.

The directory (``networks``) never imports this app: ``ActionsConfig.ready`` calls
``register_sections()``, and the directory's templates render the slots. What each function
here reads counts against its page's cap of 10 queries: a preview brings its total with its
rows (networks.pagination.preview), and a summary is read only when the page shows it.
"""

from collections import defaultdict

from networks.caching import cached_by_version
from networks.extensions import register
from networks.pagination import preview

from .models import Action, Plan, ScheduledYear

# A municipality covered by a plan of 2,000 actions, or a network named by hundreds of them,
# shows this many actions and a summary of the rest (per year, and links to the timelines).
SHOWN_ACTIONS = 40


def home_stats(request, obj):
    # Counted once per content version, like the directory's own counts (networks/caching.py).
    return {"plan_count": cached_by_version("home-plan-count", Plan.objects.count)}


def plan_actions(request, obj):
    """The actions that name this network or organisation (the first ones, and how many)."""
    actions = obj.plan_actions.select_related("line__plan").order_by(
        "line__plan", "line__number", "position"
    )
    return {"plan_actions": preview(actions, SHOWN_ACTIONS)}


def municipality_actions(request, obj):
    """Every year's progress, and the latest actions year by year (a bounded number)."""
    actions = Action.objects.concerning_municipality(obj)
    shown = preview(
        actions.select_related("line__plan")
        .prefetch_related("scheduled_years")
        .order_by("-line__plan__start_year", "line__plan", "line__number", "position"),
        SHOWN_ACTIONS,
    )
    by_year, unscheduled = actions_by_year(shown.rows)
    # The summary of every year is shown only when the actions listed are not all of them.
    # It counts every year of every action (Barcelona: 5,000 action-years, 7 ms): once per
    # content version, like the home page's counts.
    progress = {}
    if shown.more:
        progress = cached_by_version(
            f"municipality-progress-{obj.pk}",
            lambda: ScheduledYear.objects.filter(action__in=actions).progress_by_year(),
        )
    return {
        "actions_by_year": by_year,
        "unscheduled_actions": unscheduled,
        "year_progress": sorted(progress.items()),
        "shown_actions": shown,
    }


COMARCA_ACTION_LIMIT = 10


def comarca_actions(request, obj):
    """The first actions concerning the comarca's municipalities, and how many more."""
    actions = Action.objects.concerning_comarca(obj).select_related("line__plan")
    shown = preview(actions, COMARCA_ACTION_LIMIT)
    return {"actions": shown.rows, "more": shown.count - len(shown.rows)}


def actions_by_year(actions):
    """[(year, [(action, scheduled year), ...]), ...] in year order, and the unscheduled."""
    years = defaultdict(list)
    unscheduled = []
    for action in actions:
        scheduled = list(action.scheduled_years.all())
        if not scheduled:
            unscheduled.append(action)
        for entry in scheduled:
            years[entry.year].append((action, entry))
    return sorted(years.items()), unscheduled


def register_sections():
    register("main_nav", "actions/includes/nav_plans.html")
    register("home_stats", "actions/includes/home_plans.html", home_stats)
    register("network_detail", "actions/includes/plan_actions.html", plan_actions)
    register("organisation_detail", "actions/includes/organisation_plans.html")
    register("organisation_detail", "actions/includes/plan_actions.html", plan_actions)
    register(
        "municipality_detail", "actions/includes/municipality_actions.html", municipality_actions
    )
    register("comarca_detail", "actions/includes/comarca_actions.html", comarca_actions)
