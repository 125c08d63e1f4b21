"""The public directory as a visitor sees it: every page in both languages, the language
switcher landing on the same object, filters, bad input, sitemap, and bounded queries."""

import datetime
import html
import json
import re
from datetime import date
from html.parser import HTMLParser

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from actions.models import Action, Plan, ScheduledYear
from networks.models import (
    Event,
    Funder,
    Funding,
    Membership,
    Municipality,
    Network,
    Organisation,
    Theme,
)
from networks.views import NetworkListView
from tests.factories import (
    make_action,
    make_event,
    make_funder,
    make_line,
    make_municipality,
    make_network,
    make_organisation,
    make_organisations,
    make_plan,
    make_theme,
)
from xmess_site.urls import sitemaps

pytestmark = pytest.mark.django_db


LIST_PAGES = {
    "networks:network_list": {"ca": "Xarxes", "en": "Networks"},
    "networks:organisation_list": {"ca": "Organitzacions", "en": "Organisations"},
    "networks:funder_list": {"ca": "Finançadors", "en": "Funders"},
    "networks:municipality_list": {"ca": "Municipis", "en": "Municipalities"},
    "networks:event_list": {"ca": "Esdeveniments", "en": "Events"},
    "networks:search": {"ca": "Cerca", "en": "Search"},
}


class Page(HTMLParser):
    """The parts of a page the tests look at: lang, title, h1s, links and meta tags."""

    def __init__(self, html):
        super().__init__()
        self.lang = None
        self.title = ""
        self.h1 = []
        self.alternates = {}
        self.links = []
        self.meta = {}
        self.canonical = None
        self.json_ld = []
        self._in = None
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "html":
            self.lang = attrs.get("lang")
        elif tag in ("title", "h1"):
            self._in = tag
            if tag == "h1":
                self.h1.append("")
        elif tag == "script" and attrs.get("type") == "application/ld+json":
            self._in = "json_ld"
            self.json_ld.append("")
        elif tag == "link" and attrs.get("rel") == "alternate" and attrs.get("hreflang"):
            self.alternates[attrs["hreflang"]] = attrs["href"]
        elif tag == "link" and attrs.get("rel") == "canonical":
            self.canonical = attrs["href"]
        elif tag == "meta":
            key = attrs.get("name") or attrs.get("property")
            if key:
                self.meta[key] = attrs.get("content", "")
        elif tag == "a":
            self.links.append(attrs)

    def handle_endtag(self, tag):
        if tag in ("title", "h1", "script"):
            self._in = None

    def handle_data(self, data):
        if self._in == "title":
            self.title += data
        elif self._in == "h1":
            self.h1[-1] += data
        elif self._in == "json_ld":
            self.json_ld[-1] += data

    def switcher(self, code):
        return next(
            link["href"]
            for link in self.links
            if link.get("hreflang") == code and link.get("lang") == code
        )


def get_page(client, url, status=200, **headers):
    response = client.get(url, **headers)
    assert response.status_code == status, (url, response.status_code)
    return Page(response.content.decode())


def url_in(language, name, **kwargs):
    with translation.override(language):
        return reverse(name, kwargs=kwargs or None)


def object_url(obj, language):
    with translation.override(language):
        return obj.get_absolute_url()


def assert_page_basics(page, language, path):
    assert page.lang == language
    assert len(page.h1) == 1
    assert set(page.alternates) == {"ca", "en", "x-default"}
    assert page.alternates["x-default"] == page.alternates["ca"]
    assert page.canonical == f"http://testserver{path}"
    assert page.alternates[language] == page.canonical
    assert page.meta["description"]
    assert page.meta["og:title"]
    assert page.meta["og:url"] == page.canonical
    assert page.meta["og:locale"] == {"ca": "ca_ES", "en": "en_GB"}[language]


# --- URLs and languages ---------------------------------------------------------------------


def test_url_words_are_translated():
    assert url_in("ca", "networks:network_detail", slug="x") == "/ca/xarxes/x/"
    assert url_in("en", "networks:network_detail", slug="x") == "/en/networks/x/"
    assert url_in("ca", "networks:organisation_list") == "/ca/organitzacions/"
    assert url_in("ca", "networks:funder_list") == "/ca/financadors/"
    assert url_in("ca", "networks:municipality_list") == "/ca/municipis/"
    assert url_in("ca", "networks:event_list") == "/ca/esdeveniments/"
    assert url_in("ca", "networks:theme_detail", slug="x") == "/ca/temes/x/"
    assert url_in("ca", "networks:search") == "/ca/cerca/"
    assert url_in("en", "networks:search") == "/en/search/"


@pytest.mark.parametrize(
    ("accept", "target"),
    [("en-GB,en;q=0.9", "/en/"), ("ca,es;q=0.5", "/ca/"), ("es-ES", "/ca/"), ("", "/ca/")],
)
def test_root_redirects_by_accept_language(client, accept, target):
    response = client.get("/", HTTP_ACCEPT_LANGUAGE=accept)
    assert response.status_code == 302
    assert response["Location"] == target


@pytest.mark.parametrize("language", ["ca", "en"])
def test_home_page(client, seeded, language):
    path = f"/{language}/"
    page = get_page(client, path)
    assert_page_basics(page, language, path)
    with translation.override(language):
        assert page.title.endswith("Xarxa ESS")
    # Counts of what the directory holds, and entry points to each list.
    body = client.get(path).content.decode()
    assert f">{Network.objects.count()}<" in body
    for name in LIST_PAGES:
        assert url_in(language, name) in body or name == "networks:search"


@pytest.mark.parametrize("language", ["ca", "en"])
@pytest.mark.parametrize("name", list(LIST_PAGES))
def test_list_pages_render_in_both_languages(client, seeded, language, name):
    path = url_in(language, name)
    page = get_page(client, path)
    assert_page_basics(page, language, path)
    heading = LIST_PAGES[name][language]
    assert page.h1 == [heading]
    assert page.title.startswith(heading)


def seeded_objects():
    return {
        "network": Network.objects.get(slug_ca="xmess"),
        "organisation": Organisation.objects.get(slug_en="barcelona-city-council"),
        "funder": Funder.objects.get(slug_en="european-union"),
        "municipality": Municipality.objects.get(slug="barcelona"),
        "event": Event.objects.get(slug_ca="constitucio-xmess-2017"),
        "theme": Theme.objects.get(slug_en="municipalism"),
    }


@pytest.mark.parametrize("kind", ["network", "organisation", "funder", "municipality", "event"])
def test_switcher_lands_on_the_same_object_in_the_other_language(client, seeded, kind):
    obj = seeded_objects()[kind]
    ca_path, en_path = object_url(obj, "ca"), object_url(obj, "en")
    ca_page = get_page(client, ca_path)
    assert_page_basics(ca_page, "ca", ca_path)
    assert ca_page.switcher("en") == en_path
    en_page = get_page(client, ca_page.switcher("en"))
    assert_page_basics(en_page, "en", en_path)
    assert en_page.switcher("ca") == ca_path
    with translation.override("en"):
        assert en_page.h1[0].strip().startswith(str(obj))
        assert en_page.title.startswith(str(obj))
    with translation.override("ca"):
        assert ca_page.title.startswith(str(obj))


def test_network_urls_use_each_languages_slug(client, seeded):
    network = Network.objects.get(slug_ca="xmess-comunicacio")
    assert object_url(network, "ca") == "/ca/xarxes/xmess-comunicacio/"
    assert object_url(network, "en") == "/en/networks/xmess-communication/"
    # The Catalan slug under the English prefix does not exist: a 404, in English.
    page = get_page(client, "/en/networks/xmess-comunicacio/", status=404)
    assert page.lang == "en"
    assert page.h1 == ["Page not found"]
    page = get_page(client, "/ca/xarxes/xmess-communication/", status=404)
    assert page.lang == "ca"
    assert page.h1 == ["No s'ha trobat la pàgina"]


def test_list_switcher_keeps_filters(client, seeded):
    page = get_page(client, "/ca/xarxes/?kind=working_group&theme=municipalisme")
    assert page.switcher("en") == "/en/networks/?kind=working_group&theme=municipalisme"
    en = client.get(page.switcher("en")).content.decode()
    assert "Communication working group" in en or "xmess-communication" in en


# --- Pages ----------------------------------------------------------------------------------


def test_network_detail_shows_members_groups_funders_and_events(client, seeded):
    xmess = Network.objects.get(slug_ca="xmess")
    body = client.get(object_url(xmess, "en")).content.decode()
    # Working groups, municipal members with roles and years, events — each one click away.
    for group in xmess.working_groups.all():
        assert object_url(group, "en") in body
    assert object_url(Municipality.objects.get(slug="barcelona"), "en") in body
    assert "Executive commission" in body
    assert "since 2017" in body
    assert object_url(Event.objects.get(slug_ca="constitucio-xmess-2017"), "en") in body
    make_ict = Network.objects.get(slug_en="make-ict-fair-consortium")
    body = client.get(object_url(make_ict, "ca")).content.decode()
    assert object_url(Funder.objects.get(slug_en="european-union"), "ca") in body
    assert "2017–2021" in body


def test_fundings_show_agreements_and_what_was_funded_on_every_page(client, seeded):
    congress = Organisation.objects.get(name_en="Mobile Social Congress")
    body = client.get(object_url(congress, "en")).content.decode()
    assert "3 agreements" in body
    assert "through three signed collaboration agreements" in body
    make_ict = Network.objects.get(slug_en="make-ict-fair-consortium")
    body = client.get(object_url(make_ict, "en")).content.decode()
    assert "2017–2021" in body
    assert "consortium of 11 European organisations" in body


def test_a_member_with_several_roles_is_listed_once_with_all_of_them(client, seeded):
    xmess = Network.objects.get(slug_ca="xmess")
    page = client.get(object_url(xmess, "ca")).content.decode()
    barcelona = object_url(Municipality.objects.get(slug="barcelona"), "ca")
    members = page[page.index('id="members-heading"') :]
    assert members.count(f'href="{barcelona}"') == 1
    row = members[members.index(f'href="{barcelona}"') :].split("</tr>")[0]
    assert "Membre: des del 2017" in row
    # The sources name the first commission (2017), not how long its seats lasted.
    assert "Comissió executiva: 2017" in row
    assert "Comissió executiva: des del" not in row
    assert "Grup promotor: 2015–2017" in row
    # Strategic lines keep their own numbers, once.
    assert '<li value="3"><strong>Compartir coneixement' in page


def test_event_dates_are_correct_catalan(client, seeded):
    event = Event.objects.get(slug_ca="assemblea-xmess-amposta-2024")  # known to the month
    body = client.get(object_url(event, "ca")).content.decode()
    assert ">octubre de 2024</time>" in body
    event = Event.objects.get(slug_ca="constitucio-xmess-2017")
    assert "17 de maig de 2017" in client.get(object_url(event, "ca")).content.decode()
    assert "17 May 2017" in client.get(object_url(event, "en")).content.decode()


def test_catalan_date_elides_before_a_vowel(client, db):
    event = make_event("Trobada d'agost", start_date=date(2021, 8, 1))
    assert "1 d&#x27;agost de 2021" in client.get(object_url(event, "ca")).content.decode()


def test_municipality_detail_lists_plan_actions_year_by_year(client, seeded):
    barcelona = Municipality.objects.get(slug="barcelona")
    page = client.get(object_url(barcelona, "en")).content.decode()
    actions = Action.objects.concerning_municipality(barcelona)
    assert actions.exists()
    years = sorted(
        set(ScheduledYear.objects.filter(action__in=actions).values_list("year", flat=True))
    )
    headings = re.findall(r'<h3 class="year-heading">(\d{4})</h3>', page)
    assert [int(y) for y in headings] == years
    assert object_url(actions.select_related("line__plan").first(), "en") in page
    # Memberships and events held there are linked too.
    assert object_url(Network.objects.get(slug_ca="xmess"), "en") in page
    assert object_url(Event.objects.get(slug_ca="constitucio-xmess-2017"), "en") in page


@pytest.mark.parametrize("kind", ["network", "organisation", "event"])
def test_detail_pages_carry_schema_org_json_ld(client, seeded, kind):
    obj = seeded_objects()[kind]
    page = get_page(client, object_url(obj, "en"))
    assert len(page.json_ld) == 1
    data = json.loads(page.json_ld[0])
    assert data["@context"] == "https://schema.org"
    # Barcelona City Council is a council: a GovernmentOrganization (an Organization subtype).
    expected = {"event": "Event", "organisation": "GovernmentOrganization"}
    assert data["@type"] == expected.get(kind, "Organization")
    assert data["url"] == "http://testserver" + object_url(obj, "en")
    with translation.override("en"):
        assert data["name"] == str(obj)
    if kind == "event":
        assert data["startDate"] == "2017-05-17"
        assert data["location"]["address"]["addressLocality"] == "Barcelona"


def test_theme_page_links_its_networks(client, seeded):
    theme = Theme.objects.get(slug_en="municipalism")
    page = get_page(client, object_url(theme, "ca"))
    assert page.switcher("en") == object_url(theme, "en")
    hrefs = {link["href"] for link in page.links}
    for network in theme.networks.all():
        assert object_url(network, "ca") in hrefs


# --- Filters and search on lists ------------------------------------------------------------


def result_names(client, url):
    body = client.get(url).content.decode()
    names = re.findall(r'class="card__title"><a href="[^"]+">([^<]+)</a>', body)
    return [html.unescape(name) for name in names]


def test_network_filters_combine(client, seeded):
    everything = result_names(client, "/en/networks/")
    groups = result_names(client, "/en/networks/?kind=working_group")
    assert groups and len(groups) < len(everything)
    with translation.override("en"):
        expected = {str(n) for n in Network.objects.filter(kind=Network.Kind.WORKING_GROUP)}
    assert set(groups) == expected
    in_manlleu = result_names(client, "/en/networks/?municipality=manlleu")
    assert in_manlleu == ["Network of Municipalities for the Social and Solidarity Economy"]
    assert result_names(client, "/en/networks/?kind=working_group&municipality=manlleu") == []
    assert (
        result_names(client, "/en/networks/?kind=municipal_network&municipality=manlleu")
        == in_manlleu
    )
    procurement = result_names(client, "/en/networks/?q=procurement&kind=working_group")
    assert set(procurement) == {
        "Group for Socially Responsible Public Procurement",
        "Responsible Public Procurement working group",
    }
    # The same filters in Catalan, with a Catalan search word.
    assert len(result_names(client, "/ca/xarxes/?q=contractació&kind=working_group")) >= 1


def test_result_count_and_filters_kept_in_pagination(client, db):
    theme = make_theme("Tema", "Theme", slug_ca="tema")
    per_page = NetworkListView.paginate_by
    for number in range(per_page + 6):
        network = make_network(f"Xarxa {number:02}", kind=Network.Kind.CAMPAIGN)
        network.themes.add(theme)
    make_network("Una altra xarxa")
    body = client.get("/ca/xarxes/?kind=campaign&theme=tema").content.decode()
    assert f"{per_page + 6} resultats" in body
    assert "?kind=campaign&amp;theme=tema&amp;page=2" in body
    page_two = client.get("/ca/xarxes/?kind=campaign&theme=tema&page=2").content.decode()
    assert len(re.findall('class="card__title"', page_two)) == 6


def test_municipality_filter_members_of_xmess(client, seeded):
    body = client.get("/ca/municipis/?network=xmess").content.decode()
    xmess = Network.objects.get(slug_ca="xmess")
    members = Municipality.objects.members_of(xmess)
    assert f"{members.count()} resultats" in body
    # The map above draws every municipality; the results are the list after it.
    results = body[body.index("</figure>") :]
    for municipality in members:
        assert object_url(municipality, "ca") in results
    assert "/ca/municipis/abella-de-la-conca/" not in results
    searched = client.get("/ca/municipis/?q=hospitalet").content.decode()
    assert "L&#x27;Hospitalet de Llobregat" in searched


def test_events_by_year(client, seeded):
    body = client.get("/en/events/?year=2016").content.decode()
    assert f"{Event.objects.filter(start_date__year=2016).count()} results" in body
    assert "Founding of XMESS" not in body


@pytest.mark.parametrize("language", ["ca", "en"])
def test_events_page_links_to_feeds_a_reader_and_a_calendar_can_open(client, seeded, language):
    import feedparser
    from icalendar import Calendar

    body = client.get(f"/{language}/" + ("esdeveniments/" if language == "ca" else "events/"))
    links = dict(re.findall(r'<a href="([^"]+)" type="([^"]+)"', body.content.decode()))
    atom_url = next(url for url, kind in links.items() if kind == "application/atom+xml")
    ical_url = next(url for url, kind in links.items() if kind == "text/calendar")
    feed = feedparser.parse(client.get(atom_url).content)
    assert not feed.bozo
    assert feed.feed.language == language
    assert any("XMESS" in entry.title for entry in feed.entries)
    calendar = Calendar.from_ical(client.get(ical_url).content)
    assert calendar.walk("VEVENT")


@pytest.mark.parametrize(
    "query",
    [
        "page=abc",
        "page=99999",
        "page=-1",
        "page=1.5",
        "kind=nonsense",
        "scope=%00",
        "theme=does-not-exist",
        "municipality=atlantis",
        "q=" + "x" * 5000,
        "q=%00%00",
        "q=%22unbalanced",
        "q=a%26b|c!d:*",
        "q=-",
        "q=%F0%9F%90%9D",
        "kind=network&kind=coalition",
    ],
)
@pytest.mark.parametrize(
    "path", ["/ca/xarxes/", "/en/organisations/", "/en/funders/", "/ca/municipis/", "/en/events/"]
)
def test_bad_parameters_give_a_clean_page(client, seeded, path, query):
    response = client.get(f"{path}?{query}")
    assert response.status_code == 200
    assert b"<h1>" in response.content


@pytest.mark.parametrize("query", ["", "x" * 5000, "%00", "%22", "a%26b", "%E2%80%8B", "-"])
def test_bad_search_queries_give_a_clean_page(client, seeded, query):
    response = client.get(f"/en/search/?q={query}")
    assert response.status_code == 200


def test_unknown_filter_value_is_reported_and_ignored(client, seeded):
    body = client.get("/en/networks/?kind=nonsense").content.decode()
    assert "Some filters were not understood" in body
    assert f"{Network.objects.count()} results" in body


# --- Sitemap, robots, errors ----------------------------------------------------------------


def sitemap_sections(client):
    """{section URL: its XML}, every page of every section the index lists."""
    index = client.get("/sitemap.xml")
    assert index.status_code == 200
    entries = re.findall(r"<sitemap>(.*?)</sitemap>", index.content.decode(), re.S)
    sections = [re.search(r"<loc>http://testserver([^<]+)</loc>", e)[1] for e in entries]
    assert sections and all("/sitemap-" in url for url in sections)
    # Every section of entries says when it last changed (the pages without one need not).
    for url, entry in zip(sections, entries, strict=True):
        assert "pages" in url or "<lastmod>" in entry, url
    return {url: client.get(html.unescape(url)).content.decode() for url in sections}


def test_sitemap_lists_every_page_with_hreflang_alternates(client, seeded):
    xml = "".join(sitemap_sections(client).values())
    xmess = Network.objects.get(slug_ca="xmess-comunicacio")
    ca = "http://testserver" + object_url(xmess, "ca")
    en = "http://testserver" + object_url(xmess, "en")
    assert f"<loc>{ca}</loc>" in xml
    assert f"<loc>{en}</loc>" in xml
    assert f'hreflang="en" href="{en}"' in xml
    assert f'hreflang="x-default" href="{ca}"' in xml
    plan = Plan.objects.first()
    assert f"<loc>http://testserver{object_url(plan, 'en')}</loc>" in xml
    action = Action.objects.select_related("line__plan").first()
    assert f"<loc>http://testserver{object_url(action, 'ca')}</loc>" in xml
    # Every location answers.
    for loc in re.findall(r"<loc>http://testserver([^<]+)</loc>", xml)[::7]:
        assert client.get(loc).status_code == 200, loc


def test_robots_txt_points_to_the_sitemap(client):
    response = client.get("/robots.txt")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain")
    body = response.content.decode()
    assert "Sitemap: http://testserver/sitemap.xml" in body
    # The admin is kept out of search engines in every language.
    assert "Disallow: /ca/admin/" in body.splitlines()
    assert "Disallow: /en/admin/" in body.splitlines()


@pytest.mark.parametrize(
    ("path", "accept", "language", "heading"),
    [
        ("/en/nowhere/", "ca", "en", "Page not found"),
        ("/ca/enlloc/", "en", "ca", "No s'ha trobat la pàgina"),
        ("/nowhere-at-all/", "en", "en", "Page not found"),
    ],
)
def test_404_is_in_the_visitors_language(client, db, path, accept, language, heading):
    page = get_page(client, path, status=404, HTTP_ACCEPT_LANGUAGE=accept)
    assert page.lang == language
    assert page.h1 == [heading]


def test_500_page_is_in_the_visitors_language(db, settings):
    from django.test import Client
    from django.urls import path

    def broken(request):
        raise RuntimeError("boom")

    import xmess_site.urls as root

    settings.ROOT_URLCONF = type(
        "Urls", (), {"urlpatterns": [*root.urlpatterns, path("en/broken/", broken)]}
    )
    client = Client(raise_request_exception=False)
    response = client.get("/en/broken/")
    assert response.status_code == 500
    page = Page(response.content.decode())
    assert page.lang == "en"
    assert page.h1 == ["Server error"]


# --- Query counts ---------------------------------------------------------------------------


@pytest.fixture
def crowded(db):
    """Enough related rows everywhere to expose any N+1 query."""
    themes = [make_theme(f"Tema {n}", f"Theme {n}") for n in range(5)]
    municipalities = [make_municipality(f"Poble {n}") for n in range(12)]
    organisations = [
        make_organisation(f"Cooperativa {n}", municipality=municipalities[n % 12])
        for n in range(12)
    ]
    for organisation in organisations[:6]:
        organisation.themes.set(themes[:2])
    funder = make_funder("Fons", "Fund", organisation=organisations[0])
    hub = make_network("Xarxa central", kind=Network.Kind.MUNICIPAL_NETWORK)
    networks = [make_network(f"Grup {n}", parent=hub, host=organisations[n]) for n in range(12)]
    owner = organisations[0]
    plan = make_plan("Pla", "Plan", owner=owner, municipality=municipalities[0])
    for n, network in enumerate([hub, *networks]):
        network.themes.set(themes)
        for municipality in municipalities:
            Membership.objects.create(network=network, municipality=municipality)
        for organisation in organisations:
            Membership.objects.create(
                network=network, organisation=organisation, role=Membership.Role.PARTNER
            )
        Funding.objects.create(funder=funder, network=network, start_year=2020 + n % 3)
        Funding.objects.create(funder=funder, organisation=organisations[n % 12], start_year=2020)
        action = make_action(make_line(plan, n + 1))
        action.networks.add(network)
        action.organisations.set(organisations)
        action.municipalities.add(municipalities[1])
        for year in (2020, 2021, 2022):
            ScheduledYear.objects.create(action=action, year=year)
    for n in range(12):
        event = make_event(
            f"Trobada {n}",
            start_date=date(2020 + n % 4, 1 + n % 12, 1),
            municipality=municipalities[0],
        )
        event.networks.set([hub, *networks])
        event.organisers.set(organisations)
        event.themes.set(themes)
        Funding.objects.create(funder=funder, event=event)
    return {
        "network": hub,
        "plan": plan,
        "line": action.line,
        "action": action,
        "comarca": municipalities[0].comarca,
        "organisation": organisations[0],
        "funder": funder,
        "municipality": municipalities[0],
        "municipality_with_actions": municipalities[1],
        "event": Event.objects.first(),
        "theme": themes[0],
        "themes": themes,
        "municipalities": municipalities,
    }


# Every public page, for an anonymous visitor and uncached, whatever the number of rows
# (issue 9). The network page is the largest: its sections, its member previews (one query
# for both kinds), events, the map's municipality names and the plan slot.
QUERY_CAP = 10


@pytest.mark.parametrize("language", ["ca", "en"])
@pytest.mark.parametrize(
    "name", [*[n for n in LIST_PAGES if n != "networks:search"], "networks:search", "home"]
)
def test_list_pages_run_a_bounded_number_of_queries(
    client, crowded, django_assert_max_num_queries, language, name
):
    path = url_in(language, name)
    query = "?q=grup" if name == "networks:search" else ""
    with django_assert_max_num_queries(QUERY_CAP):
        response = client.get(path + query)
    assert response.status_code == 200
    if name in FILTERED:
        query, expected = FILTERED[name](crowded)
        with django_assert_max_num_queries(QUERY_CAP):
            response = client.get(path + query)
        assert response.status_code == 200
        assert "not understood" not in response.content.decode()
        assert result_count(response) == expected.distinct().count() > 0


def result_count(response):
    """The number of results the page announces."""
    counts = re.findall(r'role="status">(\d+) ', response.content.decode())
    assert len(counts) == 1, counts
    return int(counts[0])


# Each list with all its filters at once: (query string, the rows it must find, by the ORM).
FILTERED = {
    "networks:network_list": lambda c: (
        f"?kind=network&theme={c['themes'][1].slug_ca}"
        f"&municipality={c['municipalities'][3].slug}&q=grup",
        Network.objects.filter(
            kind=Network.Kind.NETWORK,
            themes=c["themes"][1],
            memberships__municipality=c["municipalities"][3],
            name_ca__startswith="Grup",
        ),
    ),
    "networks:organisation_list": lambda c: (
        f"?kind=other&theme={c['themes'][1].slug_ca}&q=cooperativa",
        Organisation.objects.filter(
            kind=Organisation.Kind.OTHER, themes=c["themes"][1], name_ca__startswith="Cooperativa"
        ),
    ),
    "networks:municipality_list": lambda c: (
        f"?network={c['network'].slug_ca}&q=poble",
        Municipality.objects.filter(memberships__network=c["network"], name__startswith="Poble"),
    ),
    "networks:event_list": lambda c: (
        f"?year=2021&theme={c['themes'][2].slug_ca}&q=trobada",
        Event.objects.filter(
            start_date__year=2021, themes=c["themes"][2], title_ca__startswith="Trobada"
        ),
    ),
    "networks:funder_list": lambda c: (
        "?kind=foundation&q=fons",
        Funder.objects.filter(kind=Funder.Kind.FOUNDATION, name_ca__startswith="Fons"),
    ),
}


@pytest.mark.parametrize("language", ["ca", "en"])
@pytest.mark.parametrize(
    "kind",
    [
        "network",
        "organisation",
        "funder",
        "municipality",
        "municipality_with_actions",
        "event",
        "theme",
        "comarca",
        "plan",
        "line",
        "action",
    ],
)
def test_detail_pages_run_a_bounded_number_of_queries(
    client, crowded, django_assert_max_num_queries, language, kind
):
    with django_assert_max_num_queries(QUERY_CAP):
        response = client.get(object_url(crowded[kind], language))
    assert response.status_code == 200


def timeline_url(plan, language, query=""):
    with translation.override(language):
        return plan.get_timeline_url() + query


# Pages narrowed by their query string, each URL in the given language.
NARROWED_PAGES = {
    "network in a year": lambda c, language: object_url(c["network"], language) + "?year=2021",
    "timeline": lambda c, language: timeline_url(c["plan"], language),
    "filtered timeline": lambda c, language: timeline_url(
        c["plan"], language, f"?year=2021&line={c['line'].number}&status=planned"
    ),
}


@pytest.mark.parametrize("language", ["ca", "en"])
@pytest.mark.parametrize("page", NARROWED_PAGES)
def test_narrowed_pages_run_a_bounded_number_of_queries(
    client, crowded, django_assert_max_num_queries, language, page
):
    with django_assert_max_num_queries(QUERY_CAP):
        response = client.get(NARROWED_PAGES[page](crowded, language))
    assert response.status_code == 200


def test_sitemap_runs_a_bounded_number_of_queries(client, crowded, django_assert_max_num_queries):
    # The index: one query per section (its count and newest change) once per content
    # version, then none, even for a visitor the page cache does not serve.
    with django_assert_max_num_queries(len(sitemaps)):
        index = client.get("/sitemap.xml")
    client.cookies["sessionid"] = "not-from-the-page-cache"
    with django_assert_max_num_queries(0):
        assert client.get("/sitemap.xml").content == index.content
    del client.cookies["sessionid"]
    for url in re.findall(r"<loc>http://testserver([^<]+)</loc>", index.content.decode()):
        with django_assert_max_num_queries(3):
            assert client.get(html.unescape(url)).status_code == 200


def test_counts_in_the_thousands_are_written_as_each_language_writes_them(client, seeded):
    """At the directory's real size counts run into thousands: a reader of Catalan reads
    1.021, a reader of English 1,021, and neither 1021. Home, list and map alike."""
    barcelona = Municipality.objects.get(slug="barcelona")
    make_organisations(1000, municipality=barcelona)
    total = Organisation.objects.count()
    in_barcelona = Organisation.objects.filter(municipality=barcelona).count()
    catalan, english = f"{total:,}".replace(",", "."), f"{total:,}"
    assert f'<span class="stats__number">{catalan}</span> organitzacions' in (
        client.get("/ca/").content.decode()
    )
    assert f'<span class="stats__number">{english}</span> organisations' in (
        client.get("/en/").content.decode()
    )
    body = client.get("/ca/organitzacions/").content.decode()
    assert f'role="status">{catalan} resultats' in body
    body = client.get("/en/organisations/").content.decode()
    assert f'role="status">{english} results' in body
    assert f"Barcelona: {in_barcelona:,} organisations" in body
    # Numbers that are not text for a reader stay as they are: a page link, a year.
    assert 'href="?page=2"' in body


def test_the_events_list_shows_upcoming_ones_soonest_first_or_the_past_ones(client, db):
    """Newest first, the list of a directory with events planned a year ahead starts a year
    ahead. "Upcoming and ongoing" starts today, soonest first (an event on now included);
    the home page's upcoming events link to it, and the API takes the same filter."""
    today = timezone.localdate()
    day = datetime.timedelta(days=1)
    make_event("Trobada passada", "Past meeting", start_date=today - 10 * day)
    make_event("Fira en curs", "Ongoing fair", start_date=today - day, end_date=today + day)
    make_event("Trobada llunyana", "Far meeting", start_date=today + 400 * day)
    make_event("Trobada propera", "Soon meeting", start_date=today + 3 * day)

    mine = {"Past meeting", "Ongoing fair", "Far meeting", "Soon meeting"}

    def titles(query):
        """This test's events in the order the list shows them (other tests' data aside)."""
        body = client.get(f"/en/events/{query}").content.decode()
        shown = re.findall(r'class="card__title"><a href="[^"]+">([^<]+)</a>', body)
        return [title for title in shown if title in mine]

    assert titles("") == ["Far meeting", "Soon meeting", "Ongoing fair", "Past meeting"]
    assert titles("?when=upcoming") == ["Ongoing fair", "Soon meeting", "Far meeting"]
    assert titles("?when=past") == ["Past meeting"]
    assert 'href="/en/events/?when=upcoming"' in client.get("/en/").content.decode()
    api = client.get("/api/v1/events/?when=upcoming&lang=en").json()
    found = [event["title"]["en"] for event in api["results"]]
    assert [title for title in found if title in mine] == titles("?when=upcoming")
    assert client.get("/api/v1/events/?when=someday").status_code == 400


def test_the_grouped_filter_writes_what_is_not_a_count_as_it_is():
    """A template that reaches a missing figure ('' in a template) or None shows it as
    before, never an error page."""
    from django.template import Context, Template

    template = Template("{% load xmess %}[{{ value|grouped }}]")
    with translation.override("ca"):
        assert template.render(Context({"value": 12345})) == "[12.345]"
        assert template.render(Context({"value": None})) == "[None]"
        assert template.render(Context({})) == "[]"
        assert template.render(Context({"value": "3"})) == "[3]"


def test_a_lists_later_pages_say_their_number_in_the_title(client, db):
    """Tabs, history and screen readers tell page 1 from page 2 of a list by its title."""
    for number in range(NetworkListView.paginate_by + 1):
        make_network(f"Xarxa {number:02}")
    first = client.get("/en/networks/").content.decode()
    second = client.get("/en/networks/?page=2").content.decode()
    assert "<title>Networks · Xarxa ESS</title>" in first
    assert "<title>Networks, page 2 · Xarxa ESS</title>" in second
    assert "<title>Xarxes, pàgina 2 · Xarxa ESS</title>" in (
        client.get("/ca/xarxes/?page=2").content.decode()
    )
