"""Public pages of plans: the plan, its lines and actions, and its timeline with exports."""

from urllib.parse import urlencode

from django.conf import settings
from django.db.models import Exists, OuterRef
from django.http import HttpResponseBadRequest
from django.shortcuts import get_object_or_404, render
from django.utils import timezone, translation
from django.utils.translation import gettext
from django.views import View
from django.views.generic import DetailView, ListView

from networks.caching import cached_by_version
from networks.pagination import SectionPage

from . import exports, structured_data
from .filters import TimelineFilter
from .models import PROGRESS_FIELDS, Action, Line, Plan, Progress, ScheduledYear
from .timeline import build_grid, status_legend

# About 0.8 KB of HTML per action row: a page of the timeline or of a line stays far under
# 150 KB and renders fast.
ACTIONS_PER_PAGE = 50


def this_year():
    return timezone.localdate().year


def other_languages(request):
    """The languages other than the page's, for the "download in English" links."""
    return [(code, name) for code, name in settings.LANGUAGES if code != request.LANGUAGE_CODE]


class PlanListView(ListView):
    model = Plan
    template_name = "actions/plan_list.html"  # the list below is not a QuerySet

    def get_queryset(self):
        plans = list(Plan.objects.prefetch_related("owner", "municipality"))
        # Every plan's figures group all 19,000 action-years at 100,000 organisations (20 ms
        # of the page's 31): counted once per content version, like the home page's counts.
        figures = cached_by_version("plan-list-progress", plan_figures)
        for plan in plans:
            vars(plan).update(figures.get(plan.pk, {}))
        return plans


def plan_figures():
    """{plan id: what with_progress() annotates} for every plan."""
    names = ["line_count", "action_count", *(f"progress_{f}" for f in PROGRESS_FIELDS)]
    rows = Plan.objects.with_progress().order_by().values("pk", *names)
    return {row.pop("pk"): row for row in rows}


def lines_with_progress(plan):
    """The plan's lines with their figures (``with_progress()``), read once per content
    version: grouping the action-years of a plan of 2,000 actions is the longest query of
    its page and of its timeline (4-5 ms)."""
    return cached_by_version(
        f"plan-lines:{plan.pk}",
        lambda: list(Line.objects.filter(plan=plan).with_progress().select_related("plan")),
    )


class PlanDetailView(DetailView):
    model = Plan

    def get_queryset(self):
        return Plan.objects.select_related("owner", "municipality", "predecessor", "successor")

    def get_context_data(self, **kwargs):
        plan = self.object
        lines = lines_with_progress(plan)
        # Counted over the plan joined to what the page shows, every action-year was sorted
        # on disk (17 ms for a plan of 2,000 actions).
        plan.add_up(lines)
        axes = list(plan.axes.all())
        for axis in axes:
            axis.line_list = [line for line in lines if line.axis_id == axis.pk]
        return super().get_context_data(
            axes=axes,
            lines=lines,
            lines_without_axis=[line for line in lines if line.axis_id is None],
            this_year=this_year(),
            other_language=other_languages(self.request),
            structured_data=structured_data.plan_data(plan, lines, self.request),
            **kwargs,
        )


class LineDetailView(DetailView):
    model = Line

    def get_object(self, queryset=None):
        return get_object_or_404(
            Line.objects.with_progress().select_related("plan", "axis"),
            plan__slug=self.kwargs["plan"],
            number=self.kwargs["number"],
        )

    # A line of a large plan holds hundreds of actions (250 in the sample data: 196 KB of
    # HTML): they are shown a page at a time, as on the timeline.
    actions_per_page = ACTIONS_PER_PAGE

    def get_context_data(self, **kwargs):
        line = self.object
        page = SectionPage(
            self.request,
            line.actions.order_by("position"),
            param="page",
            per_page=self.actions_per_page,
            total=line.action_count,
        )
        grid = build_grid(
            lines=[line],
            actions=page.rows,
            scheduled_years=ScheduledYear.objects.filter(action__in=page.rows),
            years=line.plan.years,
            only_matching=False,
        )
        return super().get_context_data(
            grid=grid,
            page=page,
            legend=status_legend(),
            plan=line.plan,
            structured_data=structured_data.line_data(line, self.request),
            **kwargs,
        )


class ActionDetailView(DetailView):
    model = Action

    def get_object(self, queryset=None):
        return get_object_or_404(
            Action.objects.select_related(
                "line__plan__owner", "line__plan__municipality", "line__axis"
            ).prefetch_related(
                "scheduled_years",
                "networks",
                "organisations",
                "municipalities",
            ),
            line__plan__slug=self.kwargs["plan"],
            line__number=self.kwargs["number"],
            position=self.kwargs["position"],
        )

    def get_context_data(self, **kwargs):
        action = self.object
        plan = action.line.plan
        scheduled = list(action.scheduled_years.all())
        by_year = {item.year: item for item in scheduled}
        return super().get_context_data(
            plan=plan,
            years=[(year, by_year.get(year)) for year in plan.years],
            legend=status_legend(),
            structured_data=structured_data.action_data(action, scheduled, self.request),
            **kwargs,
        )


class TimelineMixin:
    """Reads the plan and the filters of a timeline URL (shared by the page and exports)."""

    def setup_timeline(self, request, slug, *, progress=True):
        # Its owner is read only by the page, which names it; the downloads never do. Its
        # figures are its lines' added up (Plan.add_up), as on the plan's page; the downloads
        # show no figures, and their lines serve only the filter's choices.
        self.plan = get_object_or_404(Plan, slug=slug)
        if progress:
            self.lines = lines_with_progress(self.plan)
            self.plan.add_up(self.lines)
        else:
            self.lines = list(Line.objects.filter(plan=self.plan).select_related("plan"))
        self.filterset = TimelineFilter(request.GET or None, plan=self.plan, lines=self.lines)

    @property
    def filters_valid(self):
        return not self.filterset.is_bound or self.filterset.is_valid()

    def filtered_query_string(self, **extra):
        query = self.request.GET.copy()
        query.pop("lang", None)
        for key, value in extra.items():
            query[key] = value
        return query.urlencode()


class TimelineView(TimelineMixin, View):
    template_name = "actions/plan_timeline.html"
    actions_per_page = ACTIONS_PER_PAGE

    def get(self, request, slug):
        self.setup_timeline(request, slug)
        plan, filterset = self.plan, self.filterset
        context = {
            "plan": plan,
            "lines": self.lines,
            "filter": filterset,
            "legend": status_legend(),
            "this_year": this_year(),
            "query_string": self.filtered_query_string(),
            "alternate_urls": self.alternate_urls(),
            "structured_data": structured_data.timeline_data(plan, request),
        }
        if not self.filters_valid:
            return render(request, self.template_name, context, status=400)
        active = filterset.active
        years = [active["year"]] if "year" in active else plan.years
        only_matching = bool({"year", "status"} & active.keys())
        actions = Action.objects.filter(line__plan=plan).order_by("line__number", "position")
        lines = self.lines
        if "line" in active:
            actions = actions.filter(line__number=active["line"])
            lines = [line for line in lines if str(line.number) == active["line"]]
        if only_matching:
            # The filters applied to each action's own years: the filterset's queryset would
            # join every action of the plan again inside the EXISTS (5.6 ms of SQL, 0.6 so).
            own_years = ScheduledYear.objects.filter(action=OuterRef("pk"))
            actions = actions.filter(Exists(filterset.filter_queryset(own_years)))
        grid = page = None
        if not filterset.year_outside_plan:
            # A plan of 2,000 actions is read a page of actions at a time, in line order. Its
            # lines' counts (cached) add up to the total; filtered by a year or a status, the
            # matching actions are counted once per content version and filters.
            if only_matching:
                filters = urlencode(sorted(active.items()))
                total = cached_by_version(f"timeline-count:{plan.pk}:{filters}", actions.count)
            else:
                total = sum(line.action_count for line in lines)
            page = SectionPage(
                request, actions, param="page", per_page=self.actions_per_page, total=total
            )
            if page.has_previous or page.has_next:
                shown_lines = {action.line_id for action in page.rows}
                lines = [line for line in lines if line.pk in shown_lines]
            grid = build_grid(
                lines=lines,
                actions=page.rows,
                scheduled_years=filterset.qs.filter(action__in=page.rows),
                years=years,
                only_matching=only_matching,
            )
        # The plan's figures per year are the same for every page and filter of its
        # timeline: counted once per content version (3,700 action-years: 4 ms).
        by_year = (
            cached_by_version(
                f"timeline-progress:{plan.pk}",
                lambda: ScheduledYear.objects.of_plan(plan).progress_by_year(),
            )
            if grid
            else {}
        )
        context.update(
            grid=grid,
            page=page,
            active=active,
            year_progress=[(year, by_year.get(year, Progress())) for year in years],
            other_language=other_languages(request),
        )
        return render(request, self.template_name, context)

    def alternate_urls(self):
        """The timeline in each language: its own plan slug, the same filters."""
        query = self.filtered_query_string()
        urls = {}
        for code, _name in settings.LANGUAGES:
            with translation.override(code):
                path = self.plan.get_timeline_url()
            urls[code] = f"{path}?{query}" if query else path
        return urls


class TimelineExportView(TimelineMixin, View):
    """?lang=ca|en picks the language of the texts; the filters are the page's."""

    format = None

    def get(self, request, slug):
        languages = dict(settings.LANGUAGES)
        lang = request.GET.get("lang") or request.LANGUAGE_CODE
        if lang not in languages:
            return HttpResponseBadRequest(
                gettext("Unknown language: choose one of %(codes)s.")
                % {"codes": ", ".join(languages)},
                content_type="text/plain; charset=utf-8",
            )
        self.setup_timeline(request, slug, progress=False)
        if not self.filters_valid:
            errors = "\n".join(
                f"{name}: {' '.join(messages)}" for name, messages in self.filterset.errors.items()
            )
            return HttpResponseBadRequest(errors, content_type="text/plain; charset=utf-8")
        rows = self.filterset.qs
        with translation.override(lang):
            filename = "-".join(
                [self.plan.slug, gettext("timeline")]
                + [str(value) for value in self.filterset.active.values()]
            )
            if self.format == "csv":
                return exports.csv_response(request, rows, filename, lang)
            timeline_path = self.plan.get_timeline_url()
            query = self.filtered_query_string()
            return exports.json_response(
                request,
                rows,
                plan=self.plan,
                filters=dict(self.filterset.active),
                url=request.build_absolute_uri(
                    f"{timeline_path}?{query}" if query else timeline_path
                ),
                filename=filename,
                language=lang,
            )
