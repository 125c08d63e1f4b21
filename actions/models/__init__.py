"""Public action plans and the years their actions run.

A ``Plan`` (Barcelona's ESS impetus plan 2016-2019) is owned by an organisation and covers a
period of years. It is organised in axes (``Axis``, e.g. "Intercooperació", which carries its
objectives and audience) and numbered strategic lines (``Line`` 11 to 17). Each line has
ordered ``Action``s, and each action runs in one or more discrete years: a
``ScheduledYear`` per year, with its status. Municipalities read plans by those years, so
progress is always computed from the scheduled years, never stored.

One module per concern, each model with its queryset: ``progress`` (the figures read from
scheduled years, and how they are counted), ``plans``, ``lines`` (axes and strategic lines),
``actions`` and ``scheduled_years`` (with the status changes their history records). The
five models form one chain (plan, axis, line, action, year): a module imports the models its
fields point at, and a plan's or a line's progress, read from the scheduled years of a later
module, imports them inside the property. Import from ``actions.models``, which names them
all.
"""

# isort: off
# In the order the models were defined in the single models.py, which is the order Django
# registers them in (``get_models()``, content types): keep it.
from .progress import PROGRESS_FIELDS, Progress, progress_counts, share
from .plans import Plan, PlanQuerySet
from .lines import Axis, Line, LineQuerySet
from .actions import Action, ActionQuerySet
from .scheduled_years import ScheduledYear, ScheduledYearQuerySet, status_changes
# isort: on

__all__ = [
    "PROGRESS_FIELDS",
    "Action",
    "ActionQuerySet",
    "Axis",
    "Line",
    "LineQuerySet",
    "Plan",
    "PlanQuerySet",
    "Progress",
    "ScheduledYear",
    "ScheduledYearQuerySet",
    "progress_counts",
    "share",
    "status_changes",
]
