"""Import of scheduled years' statuses and notes: the yearly update a municipality makes.

A row names its action-year by the plan's Catalan slug, the action's number as the plan
reads it ("12.3": line 12, third action) and the year. Registered with the directory's
import engine (``networks.imports``), which finds this module by its name.
"""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from networks.imports import register
from networks.imports.columns import Column, KeyCache, ReadOnlyColumn, clean_text
from networks.imports.resources import Resource, RowKeyError

from .models import Action, Plan, ScheduledYear


class PlanColumn(Column):
    """The plan's Catalan slug (a scheduled year reaches its plan through its action)."""

    def bind(self, model):
        self.model = model
        self.keys = KeyCache(Plan, ("slug_ca",))
        return self

    def parse(self, text):
        text = clean_text(text)
        pk = self.keys.pk_for(text) if text else None
        if pk is None:
            raise ValidationError(_("The plan “%(value)s” does not exist.") % {"value": text})
        return pk

    def export(self, obj):
        return obj.action.line.plan.slug_ca


class ActionCodeColumn(Column):
    """The action's number in its plan, "line.position" (e.g. 12.3)."""

    def bind(self, model):
        self.model = model
        self.cache = {}
        return self

    def parse_in_plan(self, text, plan_id):
        text = clean_text(text)
        line, _dot, position = text.partition(".")
        if not (line.isdigit() and position.isdigit()):
            raise ValidationError(
                _("“%(value)s” is not an action number such as 12.3.") % {"value": text}
            )
        key = (plan_id, int(line), int(position))
        if key not in self.cache:
            self.cache[key] = (
                Action.objects.filter(line__plan_id=plan_id, line__number=key[1], position=key[2])
                .values_list("pk", flat=True)
                .first()
            )
        if self.cache[key] is None:
            raise ValidationError(_("The plan has no action %(value)s.") % {"value": text})
        return self.cache[key]

    def export(self, obj):
        return obj.action.code


@register
class ScheduledYearResource(Resource):
    model = ScheduledYear
    key = ("plan", "action", "year")
    municipal_columns = ("status", "note_ca", "note_en")
    select_related = ("action__line__plan",)

    def get_columns(self):
        return [
            PlanColumn("plan", help_text=gettext_lazy("The plan's Catalan slug.")),
            ReadOnlyColumn(
                "line",
                "action__line__number",
                help_text=gettext_lazy("The line's number (to read; ignored on import)."),
            ),
            ActionCodeColumn(
                "action", help_text=gettext_lazy("The action's number in the plan, as 12.3.")
            ),
            ReadOnlyColumn(
                "title_ca",
                "action__title_ca",
                help_text=gettext_lazy("The action, in Catalan (to read; ignored on import)."),
            ),
            ReadOnlyColumn(
                "title_en",
                "action__title_en",
                help_text=gettext_lazy("The action, in English (to read; ignored on import)."),
            ),
            Column("year"),
            Column("status"),
            Column("note_ca"),
            Column("note_en"),
        ]

    def key_values(self, cells):
        errors = {}
        plan = action = year = None
        try:
            plan = self.by_name["plan"].parse(cells.get("plan", ""))
        except ValidationError as error:
            errors["plan"] = error
        if plan is not None:
            try:
                action = self.by_name["action"].parse_in_plan(cells.get("action", ""), plan)
            except ValidationError as error:
                errors["action"] = error
        try:
            year = self.by_name["year"].parse(cells.get("year", ""))
            if year is None:
                raise ValidationError(_("The year is missing."))
        except ValidationError as error:
            errors["year"] = error
        if errors:
            raise RowKeyError(errors)
        return {"action_id": action, "year": year}

    def get_queryset(self):
        return super().get_queryset().select_related("action__line__plan")

    def in_municipal_scope(self, obj, municipality):
        if not hasattr(self, "_scope"):
            self._scope = set(
                Action.objects.concerning_municipality(municipality).values_list("pk", flat=True)
            )
        return obj.action_id in self._scope

    def row_errors(self, obj, created, changed_columns):
        errors = super().row_errors(obj, created, changed_columns)
        municipality = self.municipality()
        if municipality is not None and created:
            errors.append(
                (
                    "year",
                    _("This action is not scheduled that year; only editors add years."),
                )
            )
        return errors
