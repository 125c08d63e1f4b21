"""Plan actions on the directory's place pages, without the directory importing this app.

A comarca page (networks) loads this library and calls ``{% comarca_actions comarca %}``:
the query and the fragment belong to actions.
"""

from django import template

from actions.models import Action

register = template.Library()

LIMIT = 10


@register.inclusion_tag("actions/includes/comarca_actions.html")
def comarca_actions(comarca):
    actions = Action.objects.concerning_comarca(comarca).select_related("line__plan")
    shown = list(actions[: LIMIT + 1])
    return {
        "actions": shown[:LIMIT],
        "more": actions.count() - LIMIT if len(shown) > LIMIT else 0,
        "comarca": comarca,
    }
