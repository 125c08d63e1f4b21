"""Plans, axes, lines, actions and scheduled years on the read-only API (/api/v1/).

Registered on the directory's router (``networks.api.router``) from ``ActionsConfig.ready``,
so the directory never imports this app. Same conventions as the directory's endpoints:
both languages of every text, choice codes with their labels, page URLs in each language.
"""

from rest_framework import serializers

from networks.api import ReadOnlyViewSet, documented, router
from networks.serializers import ChoiceLabelField, LinkedIdsField, PageURLField, TranslatedField

from . import filters
from .models import Action, Axis, Line, Plan, ScheduledYear


class PlanSerializer(serializers.ModelSerializer):
    name = TranslatedField()
    slug = TranslatedField()
    short_name = TranslatedField()
    description = TranslatedField()
    url = PageURLField()

    class Meta:
        model = Plan
        fields = [
            "id",
            "name",
            "slug",
            "short_name",
            "owner",
            "municipality",
            "start_year",
            "end_year",
            "description",
            "website",
            "predecessor",
            "url",
        ]


class AxisSerializer(serializers.ModelSerializer):
    name = TranslatedField()
    description = TranslatedField()
    objectives = TranslatedField(help_text="One objective per line.")
    audience = TranslatedField(help_text="One group per line.")

    class Meta:
        model = Axis
        fields = ["id", "plan", "position", "name", "description", "objectives", "audience"]


class LineSerializer(serializers.ModelSerializer):
    title = TranslatedField()
    description = TranslatedField()
    url = PageURLField()

    class Meta:
        model = Line
        fields = ["id", "plan", "axis", "number", "title", "description", "url"]


class ScheduledYearSerializer(serializers.ModelSerializer):
    status_label = ChoiceLabelField("status")
    note = TranslatedField()

    class Meta:
        model = ScheduledYear
        fields = ["id", "action", "year", "status", "status_label", "note"]


class NestedScheduledYearSerializer(ScheduledYearSerializer):
    class Meta(ScheduledYearSerializer.Meta):
        fields = ["id", "year", "status", "status_label", "note"]


class ActionSerializer(serializers.ModelSerializer):
    plan = serializers.IntegerField(source="line.plan_id", read_only=True)
    code = serializers.CharField(read_only=True, help_text="line.position, as the plan reads.")
    title = TranslatedField()
    description = TranslatedField()
    scheduled_years = NestedScheduledYearSerializer(many=True, source="scheduled_year_list")
    networks = LinkedIdsField()
    organisations = LinkedIdsField()
    municipalities = LinkedIdsField()
    url = PageURLField()

    class Meta:
        model = Action
        fields = [
            "id",
            "plan",
            "line",
            "position",
            "code",
            "title",
            "description",
            "networks",
            "organisations",
            "municipalities",
            "scheduled_years",
            "url",
        ]


@documented("plans")
class PlanViewSet(ReadOnlyViewSet):
    """Public bodies' plans for the social and solidarity economy."""

    queryset = Plan.objects.all()
    serializer_class = PlanSerializer
    filterset_class = filters.PlanFilter


@documented("plans")
class AxisViewSet(ReadOnlyViewSet):
    queryset = Axis.objects.all()
    serializer_class = AxisSerializer
    filterset_class = filters.AxisFilter


@documented("plans")
class LineViewSet(ReadOnlyViewSet):
    queryset = Line.objects.select_related("plan")
    serializer_class = LineSerializer
    filterset_class = filters.LineFilter


@documented("plans")
class ActionViewSet(ReadOnlyViewSet):
    queryset = Action.objects.for_api()
    serializer_class = ActionSerializer
    filterset_class = filters.ActionFilter


@documented("plans")
class ScheduledYearViewSet(ReadOnlyViewSet):
    """One row per year an action is scheduled for, with how it went."""

    ordering = ("id",)
    queryset = ScheduledYear.objects.all()
    serializer_class = ScheduledYearSerializer
    filterset_class = filters.ScheduledYearFilter


def register():
    router.register("plans", PlanViewSet, basename="plan")
    router.register("axes", AxisViewSet, basename="axis")
    router.register("lines", LineViewSet, basename="line")
    router.register("actions", ActionViewSet, basename="action")
    router.register("scheduled-years", ScheduledYearViewSet, basename="scheduledyear")
