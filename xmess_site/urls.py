from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.contrib.sitemaps import views as sitemap_views
from django.urls import include, path

from actions.sitemaps import sitemaps as plan_sitemaps
from networks import api, site_pages
from networks.health import healthz
from networks.sitemaps import section as sitemap_section
from networks.sitemaps import sitemaps as directory_sitemaps

# Each app lists its own sections; the project, which knows every app, joins them.
sitemaps = directory_sitemaps | plan_sitemaps

urlpatterns = [
    path("", site_pages.root_redirect, name="root"),
    path("i18n/", include("django.conf.urls.i18n")),
    # An index of sections, each paginated (?p=2): see networks/sitemaps.py.
    path(
        "sitemap.xml",
        sitemap_views.index,
        {"sitemaps": sitemaps, "sitemap_url_name": "sitemap_section"},
        name="sitemap",
    ),
    path(
        "sitemap-<section>.xml",
        sitemap_section,
        {"sitemaps": sitemaps},
        name="sitemap_section",
    ),
    path("robots.txt", site_pages.robots_txt, name="robots_txt"),
    path("healthz", healthz, name="healthz"),
    path("api/v1/", include((api.urlpatterns(), "api"))),
]

urlpatterns += i18n_patterns(
    path("", site_pages.HomeView.as_view(), name="home"),
    path("admin/", admin.site.urls),
    path("", include("networks.urls")),
    path("", include("actions.urls")),
    prefix_default_language=True,
)

handler404 = "networks.site_pages.page_not_found"
# Rendered without a request context: see networks/failures.py.
handler500 = "networks.failures.server_error"
