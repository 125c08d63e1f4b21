from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.contrib.sitemaps.views import sitemap
from django.urls import include, path

from actions.sitemaps import sitemaps as plan_sitemaps
from networks import api
from networks import views as public_views
from networks.health import healthz
from networks.sitemaps import sitemaps as directory_sitemaps

# Each app lists its own sections; the project, which knows every app, joins them.
sitemaps = directory_sitemaps | plan_sitemaps

urlpatterns = [
    path("", public_views.root_redirect, name="root"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("sitemap.xml", sitemap, {"sitemaps": sitemaps}, name="sitemap"),
    path("robots.txt", public_views.robots_txt, name="robots_txt"),
    path("healthz", healthz, name="healthz"),
    path("api/v1/", include((api.urlpatterns(), "api"))),
]

urlpatterns += i18n_patterns(
    path("", public_views.HomeView.as_view(), name="home"),
    path("admin/", admin.site.urls),
    path("", include("networks.urls")),
    path("", include("actions.urls")),
    prefix_default_language=True,
)

handler404 = "networks.views.page_not_found"
# Rendered without a request context: see networks/failures.py.
handler500 = "networks.failures.server_error"
