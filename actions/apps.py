from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ActionsConfig(AppConfig):
    name = "actions"
    verbose_name = _("Plans and actions")
    # Loaded by `manage.py seed` after the directory's (plans point at its entries).
    seed_fixtures = ["plans"]

    def ready(self):
        # Adds plans and actions to the directory's pages (networks/extensions.py) and to
        # its search page (networks/search.py: register_section) and its API
        # (networks/api/viewsets.py: router).
        from networks import caching, sample_data

        from . import api, search
        from .sample_data import PlansSampleData
        from .sections import register_sections

        register_sections()
        search.register()
        api.register()
        # Changes to plans invalidate cached pages; sample data includes plans.
        caching.watch(self)
        sample_data.register(PlansSampleData())
        # "Action_networks object (3)" reads as its action and network.
        from networks.links import name_links

        name_links(self)
