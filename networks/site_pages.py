"""Site-wide pages: home, search across every kind of entry, open data, the language
redirect at /, the 404 page and robots.txt. The directory's lists and details are views.py.
"""

from django import forms
from django.conf import settings
from django.http import HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_safe
from django.views.generic import TemplateView

from . import exports
from .caching import cached_by_version
from .dates import event_dates
from .models import (
    Comarca,
    Event,
    Funder,
    Municipality,
    Network,
    Organisation,
    Theme,
)
from .models.themes import attach_theme_lists
from .pagination import count_together
from .search import MAX_QUERY_LENGTH, SearchSection, registered_sections
from .search import search as full_text_search


def home_counts():
    return count_together(
        networks=Network.objects.all(),
        organisations=Organisation.objects.all(),
        funders=Funder.objects.all(),
        municipalities=Municipality.objects.in_networks(),
        events=Event.objects.all(),
    )


class HomeView(TemplateView):
    template_name = "home.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        today = timezone.localdate()
        # Counting every table costs more than the rest of the page: once per content version.
        context["counts"] = cached_by_version("home-counts", home_counts)
        context["upcoming_events"] = Event.objects.upcoming(today).select_related("municipality")[
            :3
        ]
        context["recent_events"] = Event.objects.past(today).select_related("municipality")[:4]
        context["themes"] = Theme.objects.all()
        context["networks"] = list(Network.objects.filter(parent__isnull=True).for_list()[:6])
        attach_theme_lists(context["networks"])
        return context


class OpenDataView(TemplateView):
    """What can be downloaded and queried, in which formats, and under which licence."""

    template_name = "networks/open_data.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(**exports.catalogue(self.request), **kwargs)


class SearchForm(forms.Form):
    q = forms.CharField(label=_("Search"), max_length=MAX_QUERY_LENGTH, required=False)

    def clean_q(self):
        return self.cleaned_data["q"].strip()


def _summary(obj):
    return getattr(obj, "summary", "")


class SearchView(TemplateView):
    """One query across every kind of entry, grouped by kind, best matches first.

    The directory's own kinds come first, then the sections other apps register (plans,
    lines and actions: see networks.search.register_section).
    """

    template_name = "networks/search.html"
    per_kind = 8
    kinds = [
        SearchSection(
            "networks", _("Networks"), Network.objects.all, None, "networks:network_list", _summary
        ),
        SearchSection(
            "organisations",
            _("Organisations"),
            Organisation.objects.all,
            None,
            "networks:organisation_list",
        ),
        SearchSection("funders", _("Funders"), Funder.objects.all, None, "networks:funder_list"),
        SearchSection(
            "municipalities",
            _("Municipalities"),
            Municipality.objects.all,
            None,
            "networks:municipality_list",
        ),
        SearchSection(
            "comarques", _("Comarques"), Comarca.objects.all, None, "networks:comarca_list"
        ),
        SearchSection(
            "events", _("Events"), Event.objects.all, None, "networks:event_list", event_dates
        ),
        SearchSection("themes", _("Themes"), Theme.objects.all, None),
    ]

    def sections(self):
        return [*self.kinds, *registered_sections()]

    def find(self, section, query):
        queryset = section.queryset()
        if section.fields is None:
            return queryset.search(query)
        return full_text_search(queryset, query, section.fields)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        # A query longer than the limit is cut, not refused: the visitor still gets results.
        data = self.request.GET.copy()
        if "q" in data:
            data["q"] = data["q"][:MAX_QUERY_LENGTH]
        form = SearchForm(data)
        query = form.cleaned_data["q"] if form.is_valid() else ""
        groups = []
        if query:
            for section in self.sections():
                matches = list(self.find(section, query)[: self.per_kind + 1])
                if matches:
                    groups.append(
                        {
                            "key": section.key,
                            "label": section.label,
                            "results": [
                                {
                                    "object": match,
                                    "url": match.get_absolute_url(),
                                    "detail": section.detail(match) if section.detail else "",
                                }
                                for match in matches[: self.per_kind]
                            ],
                            "more": len(matches) > self.per_kind,
                            "list_url": section.list_url,
                        }
                    )
        context.update(form=form, query=query, groups=groups)
        # What the page shows: a kind with more matches links to its list, which counts them.
        context["total"] = sum(len(group["results"]) for group in groups)
        context["more"] = any(group["more"] for group in groups)
        return context


def root_redirect(request):
    """/ goes to the visitor's language (from Accept-Language; Catalan when in doubt)."""
    language = translation.get_language_from_request(request, check_path=False)
    codes = [code for code, _name in settings.LANGUAGES]
    if language not in codes:
        language = settings.LANGUAGE_CODE
    return HttpResponseRedirect(f"/{language}/")


def page_not_found(request, exception):
    """The 404 page: its language links lead to the home page in each language, since
    the missing address has no counterpart in the other language."""
    home = {}
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            home[code] = reverse("home")
    return render(request, "404.html", {"alternate_urls": home}, status=404)


@require_safe
def robots_txt(request):
    sitemap = request.build_absolute_uri("/sitemap.xml")
    lines = ["User-agent: *"]
    lines += [f"Disallow: /{code}/admin/" for code, _name in settings.LANGUAGES]
    lines.append("")
    lines.append(f"Sitemap: {sitemap}")
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")
