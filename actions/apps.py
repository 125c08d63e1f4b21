from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ActionsConfig(AppConfig):
    name = "actions"
    verbose_name = _("Plans and actions")

    def ready(self):
        # The site search (owned by networks) finds plans, lines and actions through this.
        from . import search

        search.register()
