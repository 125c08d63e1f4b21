from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ActionsConfig(AppConfig):
    name = "actions"
    verbose_name = _("Plans and actions")

    def ready(self):
        from networks import caching, sample_data

        from .sample_data import PlansSampleData

        # Changes to plans invalidate cached pages; sample data includes plans.
        caching.watch(self)
        sample_data.register(PlansSampleData())
