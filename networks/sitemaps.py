"""sitemap.xml: every public page in both languages, each with its hreflang alternates.

Django's i18n sitemap calls ``location()`` under each language, so objects give their own
slug in each language (swapping the prefix alone would 404).

These are the directory's sections; other apps keep theirs in their own sitemaps.py and
xmess_site/urls.py puts them together.

At 100,000 organisations one sitemap.xml was 37 MB and took 277 s: it is now a sitemap
index (/sitemap.xml) of sections (/sitemap-<section>.xml?p=n), each page at most ``LIMIT``
URLs. Django's sitemap reads every item of a section to paginate it; ``DatabasePages``
reads only the page's rows (LIMIT/OFFSET on the primary key), and each location is built
once per language (Django asks for it three times: the URL, its alternate, x-default).
Each entry's ``lastmod`` is its ``modified`` time; a section's is the newest of them.
"""

from django.conf import settings
from django.contrib.sitemaps import Sitemap
from django.core.paginator import Paginator
from django.db.models import Max, QuerySet
from django.urls import reverse

from .models import Event, Funder, Municipality, Network, Organisation, Theme

LANGUAGE = settings.LANGUAGE_CODE


# URLs per sitemap page (the protocol allows 50,000): each carries its alternates, and a page
# this size renders in a fraction of a second.
LIMIT = 2000


class DatabasePages:
    """(row, language) pairs of a queryset, as Django's i18n sitemap lists them, read from
    the database one page at a time instead of all at once."""

    def __init__(self, queryset, languages):
        self.queryset, self.languages = queryset, languages
        self._count = None

    def count(self):
        if self._count is None:
            self._count = self.queryset.count() * len(self.languages)
        return self._count

    __len__ = count

    def __getitem__(self, index):
        if not isinstance(index, slice):
            return self[index : index + 1][0]
        per_row = len(self.languages)
        start, stop = index.start or 0, index.stop if index.stop is not None else self.count()
        first = start // per_row
        rows = self.queryset[first : -(-stop // per_row)]
        pairs = [(row, language) for row in rows for language in self.languages]
        return pairs[start - first * per_row : stop - first * per_row]


class BilingualSitemap(Sitemap):
    i18n = True
    alternates = True
    x_default = True
    limit = LIMIT

    @property
    def paginator(self):
        items = self.items()
        if not isinstance(items, QuerySet):
            return super().paginator
        languages = [code for code, _name in settings.LANGUAGES]
        return Paginator(DatabasePages(items, languages), self.limit)

    def _location(self, item, force_lang_code=None):
        key = (id(item[0]), force_lang_code or item[1])
        if key not in self._locations:
            self._locations[key] = super()._location(item, force_lang_code)
        return self._locations[key]

    def lastmod(self, item):
        return getattr(item, "modified", None)

    def get_latest_lastmod(self):
        items = self.items()
        if isinstance(items, QuerySet) and hasattr(items.model, "modified"):
            return items.aggregate(latest=Max("modified"))["latest"]
        return None

    def get_urls(self, *args, **kwargs):
        self._locations = {}
        # Django builds x-default from the URL outside any language, which under
        # i18n_patterns has no prefix (and 404s); point it at the default language's URL.
        urls = super().get_urls(*args, **kwargs)
        self._locations = {}
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
    # Every municipality has its page (947: the ones without content say so).
    "municipalities": model_sitemap(Municipality.objects.order_by("pk"), 0.5),
    "events": model_sitemap(Event.objects.order_by("pk")),
    "themes": model_sitemap(Theme.objects.order_by("pk"), 0.4),
}
