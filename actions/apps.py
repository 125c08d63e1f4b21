from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ActionsConfig(AppConfig):
    name = "actions"
    verbose_name = _("Plans and actions")

    def ready(self):
        # Plans join the directory's API (networks never imports this app).
        from . import api

        api.register()
