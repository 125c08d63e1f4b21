"""What plans and actions add to the directory's pages, through networks/extensions.py.

The directory (``networks``) never imports this app: ``ActionsConfig.ready`` calls
``register_sections()``, and the directory's templates render the slots. What each function
here reads counts against its page's cap of 10 queries: a preview brings its total with its
rows (networks.pagination.preview), and a summary is read only when the page shows it.
"""

from collections import defaultdict

from django.db.models import Prefetch

from networks.caching import cached_by_version
from networks.extensions import register
from networks.pagination import Preview, preview

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


def place_actions_summary(name, actions, size, order, progress=False):
    """How many ``actions`` concern a place, the keys of the first ``size`` in ``order``,
    and (with ``progress``, when there are more than ``size``) their outcomes year by year:
    once per content version, like the home page's counts. For Barcelona's 2,624 actions,
    the count joined them all again (3.5 ms), the first keys sorted them all (4.7 ms), the
    years grouped 5,000 action-years (7 ms). The rows shown are then read by their keys.

    Callers name it ``<kind>-actions:<pk>``: the (count, progress) kept before the keys
    were added went under ``<kind>-actions-<pk>``, which servers still on the old code read
    during a rolling deploy."""

    def compute():
        # The first keys and the count in one query (a page's cap is 10 queries).
        keys, count = actions.first_keys(size, order)
        by_year = {}
        if progress and count > size:
            by_year = ScheduledYear.objects.filter(action__in=actions).progress_by_year()
        return count, keys, by_year

    return cached_by_version(name, compute)


MUNICIPALITY_ORDER = ("-line__plan__start_year", "line__plan", "line__number", "position")


def municipality_actions(request, obj):
    """Every year's progress, and the latest actions year by year (a bounded number)."""
    count, keys, progress = place_actions_summary(
        f"municipality-actions:{obj.pk}",
        Action.objects.concerning_municipality(obj),
        SHOWN_ACTIONS,
        MUNICIPALITY_ORDER,
        progress=True,
    )
    # The summary of every year is shown only when the actions listed are not all of them.
    # Each action's years into a list of its own: a related manager per action, as a plain
    # prefetch gives, took 8 of the section's 20 ms for Barcelona's 40.
    years = ScheduledYear.objects.order_by("year")
    rows = list(
        Action.objects.shown(keys, MUNICIPALITY_ORDER).prefetch_related(
            Prefetch("scheduled_years", years, "years_shown")
        )
    )
    shown = Preview(rows, count)
    by_year, unscheduled = actions_by_year(shown.rows)
    return {
        "actions_by_year": by_year,
        "unscheduled_actions": unscheduled,
        "year_progress": sorted(progress.items()),
        "shown_actions": shown,
    }


COMARCA_ACTION_LIMIT = 10


def comarca_actions(request, obj):
    """The first actions concerning the comarca's municipalities, and how many more."""
    order = Action._meta.ordering
    count, keys, _progress = place_actions_summary(
        f"comarca-actions:{obj.pk}",
        Action.objects.concerning_comarca(obj),
        COMARCA_ACTION_LIMIT,
        order,
    )
    rows = list(Action.objects.shown(keys, order))
    return {"actions": rows, "more": count - len(rows)}


def actions_by_year(actions):
    """[(year, [(action, scheduled year), ...]), ...] in year order, and the unscheduled
    (each action with its ``years_shown``, as ``municipality_actions`` reads them)."""
    years = defaultdict(list)
    unscheduled = []
    for action in actions:
        scheduled = action.years_shown
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
