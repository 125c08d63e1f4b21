from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class NetworksConfig(AppConfig):
    name = "networks"
    verbose_name = _("Directory")
    # Loaded by `manage.py seed`, in this order; other apps add theirs (actions/apps.py).
    seed_fixtures = ["comarques", "municipalities", "directory"]

    def ready(self):
        # Connects the security log's receivers (logins, failures, lockouts), and the maps'
        # (a saved municipality drops the cached name index, in commands too).
        from . import caching, maps, security  # noqa: F401
        from .links import name_links

        caching.watch(self)
        post_migrate.connect(caching.release_changed, sender=self, dispatch_uid="xmess-release")
        name_links(self)
        # django-axes names its app "Axes" in every language; staff read what it holds.
        from django.apps import apps

        apps.get_app_config("axes").verbose_name = _("Login attempts")
