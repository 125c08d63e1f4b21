"""Security defaults a visitor's browser enforces on every page."""

import json
import re
from html.parser import HTMLParser

import pytest
from django.urls import reverse
from django.utils import translation
from django.utils.html import escape

from tests.factories import make_network, make_organisation, make_theme

pytestmark = pytest.mark.django_db


def test_pages_carry_a_strict_content_security_policy(client):
    response = client.get("/ca/")
    policy = response.headers["Content-Security-Policy"]
    directives = dict(part.strip().split(" ", 1) for part in policy.split(";"))
    assert directives["script-src"] == "'self'"
    assert directives["style-src"] == "'self'"
    assert directives["frame-ancestors"] == "'none'"
    assert "unsafe-inline" not in policy
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["X-Content-Type-Options"] == "nosniff"


def test_no_inline_script_or_style_on_the_home_page(client):
    html = client.get("/ca/").content.decode()
    # Only scripts from a file, or JSON-LD data blocks, which browsers never run.
    scripts = re.findall(r"<script\b[^>]*>", html, re.IGNORECASE)
    assert all("src=" in tag or "application/ld+json" in tag for tag in scripts), scripts
    assert not re.search(r"<[a-z][^>]*\sstyle=", html, re.IGNORECASE)


# --- Names that try to break out of the HTML ------------------------------------------------

# A quote of each kind, angle brackets, an ampersand and an attribute injection.
HOSTILE = {
    "ca": 'Coop "cometes" l\'apòstrof <b>negreta</b> & " onmouseover="alert(1)',
    "en": "Coop 'quoted' <i>italic</i> \" onmouseover=\"alert(2)",
}


class Parsed(HTMLParser):
    """Every attribute and text node of a page, and the JSON-LD blocks."""

    def __init__(self, html):
        super().__init__(convert_charrefs=True)
        self.tags, self.text, self.json_ld, self._in_json = [], [], [], False
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))
        self._in_json = tag == "script" and dict(attrs).get("type") == "application/ld+json"

    def handle_endtag(self, tag):
        self._in_json = False

    def handle_data(self, data):
        (self.json_ld if self._in_json else self.text).append(data)


@pytest.fixture
def hostile_network():
    return make_network(
        HOSTILE["ca"],
        HOSTILE["en"],
        summary_ca=HOSTILE["ca"],
        summary_en=HOSTILE["en"],
        host=make_organisation(HOSTILE["ca"], HOSTILE["en"]),
    )


def assert_shown_as_text(html, name):
    """``name`` reached the page as text only: escaped, no element or attribute of its own."""
    page = Parsed(html)
    assert name in " ".join(page.text), "the name is shown, exactly"
    assert escape(name) in html
    for tag, attrs in page.tags:
        assert "onmouseover" not in attrs, (tag, attrs)
    assert "<b>negreta" not in html and "<i>italic" not in html
    assert 'onmouseover="alert' not in html
    return page


@pytest.mark.parametrize("language", ["ca", "en"])
def test_hostile_names_are_escaped_on_list_detail_and_search_pages(
    client, hostile_network, language
):
    name = HOSTILE[language]
    with translation.override(language):
        pages = {
            "list": reverse("networks:network_list"),
            "detail": hostile_network.get_absolute_url(),
            "search": reverse("networks:search") + "?q=coop",
            "organisation": hostile_network.host.get_absolute_url(),
        }
    for kind, url in pages.items():
        response = client.get(url)
        assert response.status_code == 200, kind
        assert_shown_as_text(response.content.decode(), name)


@pytest.mark.parametrize("language", ["ca", "en"])
def test_every_part_of_a_network_card_is_shown_as_text(client, hostile_network, language):
    """The card is written in Python (``network_card``): its acronym, parent and themes are
    escaped there, and its scope is read in the page's language."""
    child = make_network(
        "Grup", "Group", acronym='<b>negreta</b>"', parent=hostile_network, scope="european"
    )
    child.themes.add(make_theme(HOSTILE["ca"], HOSTILE["en"]))
    with translation.override(language):
        html = client.get(reverse("networks:network_list")).content.decode()
        scope, url = child.get_scope_display(), child.get_absolute_url()
    page = assert_shown_as_text(html, HOSTILE[language])
    assert '(<b>negreta</b>")' in " ".join(page.text)
    (card,) = [card for card in html.split("<article") if f'href="{url}"' in card]
    # Its parent ("part of …") and its theme, each escaped, and its scope in this language.
    assert card.count(escape(HOSTILE[language])) == 2
    assert scope in card


@pytest.mark.parametrize("language", ["ca", "en"])
def test_hostile_names_stay_inside_the_json_ld(client, hostile_network, language):
    with translation.override(language):
        url = hostile_network.get_absolute_url()
    page = Parsed(client.get(url).content.decode())
    (block,) = page.json_ld
    # No "<" at all: "</script>" or "<!--" in a name cannot end the data block early.
    assert "<" not in block and ">" not in block
    data = json.loads(block)
    assert data["name"] == HOSTILE[language]
