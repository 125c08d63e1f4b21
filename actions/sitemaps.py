"""The plans' sections of sitemap.xml (the directory's are in networks/sitemaps.py)."""

from networks.sitemaps import StaticPagesSitemap, model_sitemap

from .models import Action, Line, Plan


class PlanPagesSitemap(StaticPagesSitemap):
    pages = ["actions:plan_list"]


TimelineSitemap = model_sitemap(Plan.objects.order_by("pk"), 0.6, "actions:timeline")


sitemaps = {
    "plan_pages": PlanPagesSitemap,
    "plans": model_sitemap(Plan.objects.order_by("pk"), 0.7, "actions:plan_detail"),
    "timelines": TimelineSitemap,
    "lines": model_sitemap(Line.objects.select_related("plan").order_by("pk"), 0.5),
    "actions": model_sitemap(Action.objects.select_related("line__plan").order_by("pk"), 0.4),
}
