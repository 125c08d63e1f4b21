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

import hashlib

from django.conf import settings
from django.contrib.sitemaps import Sitemap
from django.contrib.sitemaps.views import x_robots_tag
from django.contrib.sites.shortcuts import get_current_site
from django.core.paginator import EmptyPage, PageNotAnInteger, Paginator
from django.db.models import Count, Max, QuerySet
from django.http import Http404, HttpResponse
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.html import escape
from django.utils.http import http_date

from .caching import cached_by_version
from .models import Comarca, Event, Funder, Municipality, Network, Organisation, Theme

LANGUAGE = settings.LANGUAGE_CODE


# URLs per sitemap page (the protocol allows 50,000): each carries its alternates, and a page
# this size renders in a fraction of a second.
LIMIT = 2000


class DatabasePages:
    """(row, language) pairs of a queryset, as Django's i18n sitemap lists them, read from
    the database one page at a time instead of all at once."""

    def __init__(self, queryset, languages, rows):
        self.queryset, self.languages = queryset, languages
        self._count = rows * len(languages)

    def count(self):
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
        return Paginator(DatabasePages(items, languages, self.figures()["rows"]), self.limit)

    def figures(self):
        """{"rows", "latest"}: the section's number of entries and newest change, in one
        query, once per content version (the index asks every section for both: 22 queries
        on every request before), and read once per request (Django makes a sitemap for
        each request)."""
        if getattr(self, "_figures", None) is None:
            items = self.items()
            aggregates = {"rows": Count("pk")}
            if hasattr(items.model, "modified"):
                aggregates["latest"] = Max("modified")
            self._figures = cached_by_version(
                f"sitemap:{self._figures_key(items)}", lambda: items.aggregate(**aggregates)
            )
        return self._figures

    @classmethod
    def _figures_key(cls, items):
        """The digest of the section's SQL, which is the same for every request: compiled
        once per process (compiling it took a third of the index's time)."""
        if "_sql_digest" not in cls.__dict__:
            cls._sql_digest = hashlib.sha256(str(items.query).encode()).hexdigest()[:32]
        return cls._sql_digest

    def _location(self, item, force_lang_code=None):
        key = (id(item[0]), force_lang_code or item[1])
        if key not in self._locations:
            self._locations[key] = super()._location(item, force_lang_code)
        return self._locations[key]

    def lastmod(self, item):
        return getattr(item, "modified", None)

    def get_latest_lastmod(self):
        if isinstance(self.items(), QuerySet):
            return self.figures().get("latest")
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
        "networks:comarca_list",
        "networks:event_list",
    ]

    def items(self):
        return self.pages

    def location(self, item):
        return reverse(item)


SLUG = "xmess-slug-placeholder"


class ModelSitemap(BilingualSitemap):
    """Entries of one model. With ``url_name`` (a URL taking only the entry's slug), each
    location is the language's URL pattern with the entry's slug in that language put in:
    reversing and switching language 2,000 times was most of a section's time."""

    queryset = None
    url_name = None

    def items(self):
        return self.queryset.all()

    def _location(self, item, force_lang_code=None):
        if self.url_name is None:
            return super()._location(item, force_lang_code)
        obj, language = item
        language = force_lang_code or language
        if language not in self._patterns:
            with translation.override(language):
                self._patterns[language] = reverse(self.url_name, kwargs={"slug": SLUG})
        slug = getattr(obj, f"slug_{language}", None) or obj.slug
        return self._patterns[language].replace(SLUG, slug)

    def get_urls(self, *args, **kwargs):
        self._patterns = {}
        return super().get_urls(*args, **kwargs)


def model_sitemap(queryset, priority=0.6, url_name=None):
    return type(
        f"{queryset.model.__name__}Sitemap",
        (ModelSitemap,),
        {"queryset": queryset, "priority": priority, "url_name": url_name},
    )


sitemaps = {
    "pages": StaticPagesSitemap,
    "networks": model_sitemap(Network.objects.order_by("pk"), 0.7, "networks:network_detail"),
    "organisations": model_sitemap(
        Organisation.objects.order_by("pk"), 0.6, "networks:organisation_detail"
    ),
    "funders": model_sitemap(Funder.objects.order_by("pk"), 0.6, "networks:funder_detail"),
    # Every municipality has its page (947: the ones without content say so).
    "municipalities": model_sitemap(
        Municipality.objects.order_by("pk"), 0.5, "networks:municipality_detail"
    ),
    "comarques": model_sitemap(Comarca.objects.order_by("pk"), 0.5, "networks:comarca_detail"),
    "events": model_sitemap(Event.objects.order_by("pk"), 0.6, "networks:event_detail"),
    "themes": model_sitemap(Theme.objects.order_by("pk"), 0.4, "networks:theme_detail"),
}


@x_robots_tag
def section(request, sitemaps, section):
    """One page of one section, as Django's sitemap view writes it, without its template:
    rendering 2,000 URLs with their alternates took the template engine most of a second."""
    if section not in sitemaps:
        raise Http404(f"No sitemap section {section!r}.")
    site = sitemaps[section]()
    try:
        urls = site.get_urls(
            page=request.GET.get("p", 1), site=get_current_site(request), protocol=request.scheme
        )
    except (EmptyPage, PageNotAnInteger):
        raise Http404("No such sitemap page.") from None
    parts = [
        '<?xml version="1.0" encoding="UTF-8"?>\n<urlset xmlns="http://www.sitemaps.org/schemas/'
        'sitemap/0.9" xmlns:xhtml="http://www.w3.org/1999/xhtml">\n'
    ]
    for url in urls:
        parts.append(f"<url><loc>{escape(url['location'])}</loc>")
        if url["lastmod"]:
            parts.append(f"<lastmod>{timezone.localtime(url['lastmod']):%Y-%m-%d}</lastmod>")
        if url["priority"]:
            parts.append(f"<priority>{url['priority']}</priority>")
        for alternate in url["alternates"]:
            parts.append(
                f'<xhtml:link rel="alternate" hreflang="{alternate["lang_code"]}" '
                f'href="{escape(alternate["location"])}"/>'
            )
        parts.append("</url>")
    parts.append("\n</urlset>\n")
    latest = getattr(site, "latest_lastmod", None)
    headers = {"Last-Modified": http_date(latest.timestamp())} if latest else None
    return HttpResponse("".join(parts), content_type="application/xml", headers=headers)
