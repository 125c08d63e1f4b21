"""sitemap.xml: every public page in both languages, each with its hreflang alternates.

Django's i18n sitemap calls ``location()`` under each language, so objects give their own
slug in each language (swapping the prefix alone would 404).

These are the directory's sections; other apps keep theirs in their own sitemaps.py and
xmess_site/urls.py puts them together.
"""

from django.conf import settings
from django.contrib.sitemaps import Sitemap
from django.urls import reverse

from .models import Comarca, Event, Funder, Municipality, Network, Organisation, Theme

LANGUAGE = settings.LANGUAGE_CODE


class BilingualSitemap(Sitemap):
    i18n = True
    alternates = True
    x_default = True

    def get_urls(self, *args, **kwargs):
        # Django builds x-default from the URL outside any language, which under
        # i18n_patterns has no prefix (and 404s); point it at the default language's URL.
        urls = super().get_urls(*args, **kwargs)
        for url in urls:
            default = next(
                (a["location"] for a in url["alternates"] if a.get("lang_code") == LANGUAGE),
                None,
            )
            for alternate in url["alternates"]:
                if alternate.get("lang_code") == "x-default" and default:
                    alternate["location"] = default
        return urls


class StaticPagesSitemap(BilingualSitemap):
    """Pages without an object, named by their URL name (other apps subclass it for theirs)."""

    priority = 0.8
    pages = [
        "home",
        "networks:network_list",
        "networks:organisation_list",
        "networks:funder_list",
        "networks:municipality_list",
        "networks:comarca_list",
        "networks:event_list",
    ]

    def items(self):
        return self.pages

    def location(self, item):
        return reverse(item)


class ModelSitemap(BilingualSitemap):
    queryset = None

    def items(self):
        return self.queryset.all()


class MunicipalitySitemap(BilingualSitemap):
    def items(self):
        # Only municipalities the directory says something about; the other ~900 pages
        # would be empty shells.
        return Municipality.objects.with_content().order_by("name")


def model_sitemap(queryset, priority=0.6):
    return type(
        f"{queryset.model.__name__}Sitemap",
        (ModelSitemap,),
        {"queryset": queryset, "priority": priority},
    )


sitemaps = {
    "pages": StaticPagesSitemap,
    "networks": model_sitemap(Network.objects.order_by("pk"), 0.7),
    "organisations": model_sitemap(Organisation.objects.order_by("pk")),
    "funders": model_sitemap(Funder.objects.order_by("pk")),
    "municipalities": MunicipalitySitemap,
    "comarques": model_sitemap(Comarca.objects.order_by("pk"), 0.5),
    "events": model_sitemap(Event.objects.order_by("pk")),
    "themes": model_sitemap(Theme.objects.order_by("pk"), 0.4),
}
