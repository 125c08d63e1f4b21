from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NetworksConfig(AppConfig):
    name = "networks"
    verbose_name = _("Directory")

    def ready(self):
        # Connects the security log's receivers (logins, failures, lockouts).
        from . import caching, security  # noqa: F401

        caching.watch(self)
