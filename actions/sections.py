"""What plans and actions add to the directory's pages, through networks/extensions.py.

The directory (``networks``) never imports this app: ``ActionsConfig.ready`` calls
``register_sections()``, and the directory's templates render the slots. Each function here
runs one query, as the prefetch it replaces did, so the pages' query counts don't move.
"""

from collections import defaultdict

from networks.extensions import register

from .models import Action, Plan


def home_stats(request, obj):
    return {"plan_count": Plan.objects.count()}


def plan_actions(request, obj):
    """The actions that name this network or organisation."""
    return {"plan_actions": list(obj.plan_actions.select_related("line__plan").order_by())}


def municipality_actions(request, obj):
    actions = (
        Action.objects.concerning_municipality(obj)
        .select_related("line__plan")
        .prefetch_related("scheduled_years")
    )
    by_year, unscheduled = actions_by_year(actions)
    return {"actions_by_year": by_year, "unscheduled_actions": unscheduled}


COMARCA_ACTION_LIMIT = 10


def comarca_actions(request, obj):
    """The first actions concerning the comarca's municipalities, and how many more."""
    actions = Action.objects.concerning_comarca(obj).select_related("line__plan")
    shown = list(actions[: COMARCA_ACTION_LIMIT + 1])
    more = actions.count() - COMARCA_ACTION_LIMIT if len(shown) > COMARCA_ACTION_LIMIT else 0
    return {"actions": shown[:COMARCA_ACTION_LIMIT], "more": more}


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
