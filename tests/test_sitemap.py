"""The sitemap at scale: an index of sections, each paginated, every public page with its
lastmod and hreflang alternates (the basics are in test_public_pages.py)."""

import re

import pytest
from django.urls import reverse
from django.utils import translation

from actions.models import Line, Plan
from networks.models import Event, Funder, Municipality, Organisation, Theme
from networks.sitemaps import BilingualSitemap
from tests.factories import make_organisation
from tests.test_public_pages import object_url, sitemap_sections

pytestmark = pytest.mark.django_db


def test_sitemap_lists_every_kind_of_public_page_with_lastmod(client, seeded):
    sections = sitemap_sections(client)
    xml = "".join(sections.values())
    locations = set(re.findall(r"<loc>http://testserver([^<]+)</loc>", xml))
    plan = Plan.objects.first()
    expected = [
        Municipality.objects.order_by("pk").last(),  # with or without content: every one
        Organisation.objects.first(),
        Funder.objects.first(),
        Event.objects.first(),
        Theme.objects.first(),
        Line.objects.select_related("plan").first(),
    ]
    for language in ("ca", "en"):
        for obj in expected:
            assert object_url(obj, language) in locations, obj
        with translation.override(language):
            assert plan.get_timeline_url() in locations
            assert reverse("networks:organisation_list") in locations
    municipality_urls = {url for url in locations if "/municipis/" in url}
    assert len(municipality_urls) == Municipality.objects.count() + 1  # and the list
    # Each entry of an object says when it last changed.
    assert xml.count("<lastmod>") >= len(locations) - 20


def test_sitemap_sections_are_paginated(client, db, settings, monkeypatch):
    for number in range(7):
        make_organisation(f"Entitat {number}")
    monkeypatch.setattr(BilingualSitemap, "limit", 4)
    sections = sitemap_sections(client)
    pages = [url for url in sections if url.startswith("/sitemap-organisations.xml")]
    # Two languages per organisation (the seed may be there too), four URLs a page.
    urls = 2 * Organisation.objects.count()
    assert len(pages) == -(-urls // 4)
    counts = [sections[page].count("<url>") for page in pages]
    assert counts == [4] * (len(pages) - 1) + [urls - 4 * (len(pages) - 1)]
    locations = re.findall(r"<loc>([^<]+)</loc>", "".join(sections[page] for page in pages))
    assert len(set(locations)) == urls


def test_a_sitemap_page_or_section_that_does_not_exist_is_a_404(client, db):
    assert client.get("/sitemap-organisations.xml?p=999").status_code == 404
    assert client.get("/sitemap-organisations.xml?p=x").status_code == 404
    assert client.get("/sitemap-nonsense.xml").status_code == 404
    response = client.get("/sitemap-municipalities.xml")
    assert response["Content-Type"] == "application/xml"
    assert response["X-Robots-Tag"]
    assert "Last-Modified" in response
