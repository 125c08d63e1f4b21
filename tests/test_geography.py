"""Comarques, provinces, the maps, the GeoJSON download and Catalan order, as a visitor and
a developer reusing the data meet them. Expected values come from the database, the
project's boundary file or the shared ICGC lists, never from the test itself."""

import csv
import html
import json
import os
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import translation

from networks import maps
from networks.collation import sort_key
from networks.models import Comarca, Event, Membership, Municipality, Network, Organisation
from tests.factories import (
    make_membership,
    make_network,
    make_organisation,
    make_organisations,
)
from tests.test_public_pages import QUERY_CAP

pytestmark = pytest.mark.django_db


def shared_data():
    """The shared ICGC lists the fixtures are built from, where this machine has them."""
    candidates = [os.environ.get("XMESS_SHARED_DATA", "")] + [
        str(parent / "shared" / "data") for parent in Path(settings.BASE_DIR).parents
    ]
    for candidate in candidates:
        if candidate and (Path(candidate) / "municipality-comarca.csv").is_file():
            return Path(candidate)
    pytest.skip("The shared data folder is not on this machine (set XMESS_SHARED_DATA).")


def boundary_geometries():
    topology = json.loads(maps.DATA_FILE.read_text(encoding="utf-8"))
    return topology["objects"]["municipalities"]["geometries"]


class MapParser(HTMLParser):
    """Every map of a page: its linked shapes (name from their <title>, drawing, classes),
    legend (its texts, and the shade of each key), credit."""

    def __init__(self, html):
        super().__init__()
        self.maps = []
        self._link = None
        self._in_title = False
        self._in_svg = False
        self._in = None
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        classes = (attrs.get("class") or "").split()
        if tag == "figure" and "map" in classes:
            self.maps.append(
                {"links": [], "legend": [], "keys": [], "credit": "", "outline": False}
            )
        elif not self.maps:
            return
        elif tag == "svg":
            self._in_svg = True
        elif tag == "a" and "href" in attrs and self._in_svg:
            self._link = {"href": attrs["href"], "label": "", "drawing": None, "classes": []}
        elif tag == "title" and self._link is not None:
            self._in_title = True
        elif tag in ("path", "circle") and self._link is not None:
            self._link["drawing"], self._link["classes"] = tag, classes
        elif tag == "path" and "map__outline" in classes:
            self.maps[-1]["outline"] = True
        elif tag == "div" and "map__legend" in classes:
            self._in = "legend"
        elif tag == "li" and self._in == "legend":
            self.maps[-1]["legend"].append("")
        elif tag == "span" and "map__key" in classes and self._in == "legend":
            self.maps[-1]["keys"].append(" ".join(c for c in classes if c != "map__key"))
        elif tag == "p" and "map__credit" in classes:
            self._in = "credit"

    def handle_endtag(self, tag):
        if tag == "svg":
            self._in_svg = False
        elif tag == "a" and self._link is not None:
            self.maps[-1]["links"].append(self._link)
            self._link = None
        elif tag == "title":
            self._in_title = False
        elif tag == "div" and self._in == "legend" or tag == "p" and self._in == "credit":
            self._in = None

    def handle_data(self, data):
        if self._in_title and self._link is not None:
            self._link["label"] += data
        elif self._in == "legend" and self.maps[-1]["legend"]:
            self.maps[-1]["legend"][-1] += data
        elif self._in == "credit":
            self.maps[-1]["credit"] += data


def the_map(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    found = MapParser(response.content.decode()).maps
    assert len(found) == 1, url
    return found[0]


def assert_complete_map(drawn, municipalities):
    """One link per municipality, to its page, with a name; a legend; the credit."""
    links = drawn["links"]
    assert len(links) == len(municipalities)
    hrefs = {link["href"] for link in links}
    assert hrefs == {m.get_absolute_url() for m in municipalities}
    for link in links:
        assert link["label"]
        assert link["drawing"] in ("path", "circle")
    names = {m.get_absolute_url(): m.name for m in municipalities}
    assert all(link["label"].startswith(names[link["href"]]) for link in links)
    dots = {g["id"] for g in boundary_geometries() if g["type"] == "Point"}
    circles = {link["href"] for link in links if link["drawing"] == "circle"}
    assert circles == {m.get_absolute_url() for m in municipalities if m.ine_code in dots}
    assert len(drawn["legend"]) >= 2 and all(text.strip() for text in drawn["legend"])
    assert "IGN/CNIG" in drawn["credit"] and "ICGC" in drawn["credit"]
    assert "CC BY 4.0" in drawn["credit"]
    assert drawn["outline"]


# --- Data -------------------------------------------------------------------------------


def test_every_municipality_has_the_comarca_and_province_of_the_shared_lists(seeded):
    folder = shared_data()
    with (folder / "municipality-comarca.csv").open(encoding="utf-8") as handle:
        expected = {row["ine_code"]: row["comarca_code"] for row in csv.DictReader(handle)}
    with (folder / "catalan-comarques.csv").open(encoding="utf-8") as handle:
        names = {row["comarca_code"]: row["name"] for row in csv.DictReader(handle)}
    rows = Municipality.objects.values_list("ine_code", "comarca__code", "province")
    assert len(rows) == len(expected)
    assert {code: comarca for code, comarca, _province in rows} == expected
    assert all(province == code[:2] for code, _comarca, province in rows)
    assert dict(Comarca.objects.values_list("code", "name_ca")) == names


def test_the_boundaries_agree_with_the_database(seeded):
    geometries = {g["id"]: g["properties"]["comarca"] for g in boundary_geometries()}
    assert geometries == dict(Municipality.objects.values_list("ine_code", "comarca__code"))


def test_province_follows_the_ine_code_and_a_foreign_code_is_refused(seeded):
    municipality = Municipality.objects.get(name="Sabadell")
    municipality.province = "43"
    municipality.save()
    municipality.refresh_from_db()
    assert municipality.get_province_display() == "Barcelona"
    municipality.ine_code, municipality.idescat_code = "28079", "280796"
    with pytest.raises(ValidationError, match="08, 17, 25"):
        municipality.full_clean()


def test_the_val_daran_has_its_own_name_and_slug_in_english(client, seeded):
    aran = Comarca.objects.get(code="39")
    with translation.override("en"):
        english = aran.get_absolute_url()
    with translation.override("ca"):
        catalan = aran.get_absolute_url()
    assert english == f"/en/comarques/{aran.slug_en}/" and aran.name_en != aran.name_ca
    assert catalan == f"/ca/comarques/{aran.slug_ca}/"
    assert aran.name_en in client.get(english).content.decode()
    assert client.get(f"/en/comarques/{aran.slug_ca}/").status_code == 404


# --- The Vallès question, filters and search --------------------------------------------


def test_xmess_members_in_the_valles_occidental_with_their_years(client, seeded):
    xmess = Network.objects.get(slug_ca="xmess")
    valles = Comarca.objects.get(name_ca="Vallès Occidental")
    body = client.get(f"/en/municipalities/?network=xmess&comarca={valles.slug_ca}")
    body = body.content.decode()
    results = body[body.index("</figure>") :]
    expected = Municipality.objects.filter(comarca=valles).members_of(xmess)
    names = {m.name for m in expected}
    assert {"Sabadell", "Sant Cugat del Vallès"} <= names
    for municipality in expected:
        start = (
            Membership.objects.filter(network=xmess, municipality=municipality, role="member")
            .values_list("start_year", flat=True)
            .get()
        )
        row = re.search(rf">{re.escape(municipality.name)}</a>([^<]*<span[^>]*>[^<]*)", results)
        assert row and f"since {start}" in row.group(1)
    assert f"{len(names)} results" in body
    assert "/en/municipalities/barcelona/" not in results


def test_a_members_years_read_as_on_every_other_page(client, seeded):
    """The municipalities list gives a member's years as the network, organisation and
    funder pages do ("2015–2019", "since 2015", "until 2019"), nothing when unknown."""
    network = make_network("Xarxa dels anys", "Network of years", slug_ca="xarxa-anys")
    towns = Municipality.objects.order_by("pk")[:4]
    spans = [(2015, 2019), (2016, None), (None, 2018), (None, None)]
    for town, (start, end) in zip(towns, spans, strict=True):
        make_membership(network, town, role="member", start_year=start, end_year=end)
    body = client.get(f"/en/municipalities/?network={network.slug_ca}").content.decode()
    results = body[body.index("</figure>") :]

    def years(town):
        row = re.search(rf">{re.escape(town.name)}</a>([^<]*<span[^>]*>[^<]*)", results)
        return row.group(1).split(">", 1)[1] if row else None

    assert [years(town) for town in towns] == [
        "(member 2015–2019)",
        "(member since 2016)",
        "(member until 2018)",
        "(member)",
    ]


@pytest.mark.parametrize(
    "url, model, path",
    [
        ("/en/networks/", Network, "memberships__municipality"),
        ("/en/organisations/", Organisation, "municipality"),
        ("/en/events/", Event, "municipality"),
        ("/en/municipalities/", Municipality, ""),
    ],
)
def test_lists_filter_by_comarca_and_province(client, seeded, url, model, path):
    prefix = f"{path}__" if path else ""
    for params, lookup in [
        ({"comarca": "barcelones"}, {f"{prefix}comarca__slug_ca": "barcelones"}),
        ({"province": "25"}, {f"{prefix}province": "25"}),
        ({"province": "17"}, {f"{prefix}province": "17"}),
    ]:
        expected = model.objects.filter(**lookup).distinct().count()
        body = client.get(url, params).content.decode()
        assert re.search(rf">{expected} results?<", body), (url, params)
    bogus = client.get(url, {"comarca": "atlantida", "province": "99"})
    assert bogus.status_code == 200
    assert "were not understood" in bogus.content.decode()


def test_search_finds_a_comarca_without_accents(client, seeded):
    valles = Comarca.objects.get(name_ca="Vallès Occidental")
    assert list(Comarca.objects.search("valles occidental")) == [valles]
    with translation.override("ca"):
        url = valles.get_absolute_url()
    body = client.get("/ca/cerca/", {"q": "valles occidental"}).content.decode()
    assert f'href="{url}"' in body


# --- Maps ---------------------------------------------------------------------------------


def test_the_municipality_list_maps_every_municipality_shaded_by_xmess(client, seeded):
    drawn = the_map(client, "/ca/municipis/")
    municipalities = list(Municipality.objects.all())
    assert_complete_map(drawn, municipalities)
    xmess = Network.objects.get(slug_ca="xmess")
    members = {m.get_absolute_url() for m in Municipality.objects.members_of(xmess)}
    assert {link["href"] for link in drawn["links"] if "on" in link["classes"]} == members


def test_the_municipality_list_map_follows_the_comarca_filter(client, seeded):
    valles = Comarca.objects.get(code="40")
    drawn = the_map(client, f"/ca/municipis/?comarca={valles.slug_ca}&network=xmess")
    assert_complete_map(drawn, list(valles.municipalities.all()))


@pytest.mark.parametrize("year", [2015, 2017, 2020, 2024, 2026])
def test_a_network_as_of_a_year_shows_the_members_its_dates_say(client, seeded, year):
    xmess = Network.objects.get(slug_ca="xmess")
    translation.activate("en")
    in_year = {
        m.municipality.get_absolute_url()
        for m in Membership.objects.filter(network=xmess, municipality__isnull=False)
        if m.start_year is not None
        and m.start_year <= year
        and (m.end_year is None or m.end_year >= year)
    }
    body = client.get(xmess.get_absolute_url(), {"year": year}).content.decode()
    drawn = MapParser(body).maps[0]
    assert_complete_map(drawn, list(Municipality.objects.all()))
    assert {link["href"] for link in drawn["links"] if "on" in link["classes"]} == in_year
    members = body[body.index('id="members-heading"') :] if in_year else ""
    table = members[: members.index("</table>")] if in_year else ""
    assert set(re.findall(r'<th scope="row"><a href="([^"]+)"', table)) == in_year


def test_a_bogus_year_shows_every_member_and_says_so(client, seeded):
    body = client.get("/en/networks/xmess/", {"year": "last"}).content.decode()
    assert "That year was not understood" in body
    assert len(MapParser(body).maps[0]["links"]) == Municipality.objects.count()


def test_a_municipality_page_locates_it_in_its_comarca(client, seeded):
    sabadell = Municipality.objects.get(name="Sabadell")
    with translation.override("ca"):
        drawn = the_map(client, sabadell.get_absolute_url())
        assert_complete_map(drawn, list(sabadell.comarca.municipalities.all()))
    here = [link for link in drawn["links"] if "here" in link["classes"]]
    assert [link["href"] for link in here] == ["/ca/municipis/sabadell/"]


def test_a_municipality_with_no_area_is_a_dot(client, seeded):
    dots = [g["id"] for g in boundary_geometries() if g["type"] == "Point"]
    assert len(dots) == 3
    municipality = Municipality.objects.get(ine_code=dots[0])
    with translation.override("en"):
        drawn = the_map(client, municipality.get_absolute_url())
        assert_complete_map(drawn, list(municipality.comarca.municipalities.all()))
    here = [link for link in drawn["links"] if "here" in link["classes"]]
    assert here[0]["drawing"] == "circle"


def test_the_organisation_list_map_counts_the_filtered_organisations(client, seeded):
    drawn = the_map(client, "/en/organisations/?province=08")
    with translation.override("en"):
        assert_complete_map(drawn, list(Municipality.objects.all()))
    counts = {}
    for organisation in Organisation.objects.filter(municipality__province="08"):
        url = organisation.municipality.get_absolute_url().replace("/ca/", "/en/")
        counts[url] = counts.get(url, 0) + 1
    shaded = {link["href"]: link["label"] for link in drawn["links"] if link["classes"]}
    assert set(shaded) == set(counts)
    for url, count in counts.items():
        assert shaded[url].endswith(f": {count} organisation" + ("s" if count > 1 else ""))


def test_the_organisation_map_has_shades_that_fit_its_counts_at_any_size(client, seeded):
    """Classes fixed at 1, 2, 5, 10 and 25 organisations drew every municipality in the
    darkest shade at 100,000 organisations. They now follow the busiest municipality: five
    shades, each holding the counts its legend says; the busiest is the darkest."""
    added = {"Barcelona": 600, "Girona": 30, "Sabadell": 1}
    for name, number in added.items():
        make_organisations(number, municipality=Municipality.objects.get(name=name))
    drawn = the_map(client, "/en/organisations/")
    assert drawn["legend"][0].strip() == "None" and drawn["keys"][0] == ""
    ranges = {}
    for shade, text in zip(drawn["keys"][1:], drawn["legend"][1:], strict=True):
        numbers = [int(n.replace(",", "")) for n in re.findall(r"\d[\d,]*", text)]
        ranges[shade] = (numbers[0], float("inf") if "or more" in text else numbers[-1])
    assert list(ranges) == ["c1", "c2", "c3", "c4", "c5"]
    shade_of = {}
    for link in drawn["links"]:
        if link["classes"]:
            (shade,) = link["classes"]
            count = int(link["label"].rsplit(": ", 1)[1].split()[0].replace(",", ""))
            low, high = ranges[shade]
            assert low <= count <= high, (link["label"], shade, ranges[shade])
            shade_of[link["href"]] = shade
    assert shade_of["/en/municipalities/barcelona/"] == "c5"
    assert shade_of["/en/municipalities/sabadell/"] == "c1"
    assert shade_of["/en/municipalities/girona/"] not in ("c1", "c5")


def test_a_list_map_follows_an_edit_at_once_and_each_filter_and_language_has_its_own(
    client, seeded
):
    """Each list's map is built once per content version: an edit redraws it at once."""
    town = Municipality.objects.get(name="Sabadell")

    def label(path):
        link = [x for x in the_map(client, path)["links"] if x["href"].endswith("/sabadell/")]
        return link[0]["label"]

    before = Organisation.objects.filter(municipality=town).count()
    assert label("/en/organisations/") == "Sabadell" and before == 0  # none in the seed
    make_organisation("Cooperativa nova de Sabadell", municipality=town)
    make_organisation("Associació nova de Sabadell", municipality=town)
    assert label("/en/organisations/") == "Sabadell: 2 organisations"
    assert label("/ca/organitzacions/") == "Sabadell: 2 organitzacions"
    # Page 2 of the same filters draws the same map; another filter its own.
    assert label("/en/organisations/?page=2") == label("/en/organisations/")
    assert label("/en/organisations/?province=17") == "Sabadell"
    # The municipality list's map follows the network's members after an edit too.
    network = make_network("Xarxa de prova del mapa")
    make_membership(network, town)
    make_membership(network, Municipality.objects.get(name="Terrassa"))
    drawn = the_map(client, f"/en/municipalities/?network={network.slug_ca}")
    shaded = {x["href"] for x in drawn["links"] if "on" in x["classes"]}
    assert shaded == {"/en/municipalities/sabadell/", "/en/municipalities/terrassa/"}
    network.memberships.filter(municipality__name="Terrassa").delete()
    drawn = the_map(client, f"/en/municipalities/?network={network.slug_ca}")
    assert {x["href"] for x in drawn["links"] if "on" in x["classes"]} == {
        "/en/municipalities/sabadell/"
    }


def test_a_comarca_page_maps_its_municipalities_and_lists_its_networks(client, seeded):
    valles = Comarca.objects.get(code="40")
    with translation.override("en"):
        drawn = the_map(client, valles.get_absolute_url())
        body = client.get(valles.get_absolute_url()).content.decode()
        assert_complete_map(drawn, list(valles.municipalities.all()))
    xmess = Network.objects.get(slug_ca="xmess")
    members_here = Municipality.objects.filter(comarca=valles).members_of(xmess).count()
    assert re.search(
        rf'{re.escape(xmess.name_en)}</a></th><td><a href="[^"]+">{members_here}</a>', body
    )


# --- GeoJSON --------------------------------------------------------------------------------


def test_the_geojson_has_every_municipality_with_its_geometry(client, seeded):
    response = client.get("/en/municipalities.geojson")
    assert response["Content-Type"].startswith("application/geo+json")
    data = json.loads(response.content)
    features = data["features"]
    assert data["type"] == "FeatureCollection"
    assert len(features) == Municipality.objects.count()
    by_code = {f["properties"]["ine_code"]: f for f in features}
    for code, comarca, province in Municipality.objects.values_list(
        "ine_code", "comarca__code", "province"
    ):
        properties = by_code[code]["properties"]
        assert (properties["comarca_code"], properties["province_code"]) == (comarca, province)
        assert by_code[code]["geometry"]["type"] in ("Polygon", "MultiPolygon", "Point")
    xmess = Network.objects.get(slug_ca="xmess")
    members = set(Municipality.objects.members_of(xmess).values_list("ine_code", flat=True))
    assert {code for code, f in by_code.items() if f["properties"]["member"]} == members


def test_the_geojson_follows_the_list_filters(client, seeded):
    valles = Comarca.objects.get(code="40")
    data = json.loads(
        client.get("/ca/municipis.geojson", {"comarca": valles.slug_ca, "network": "xmess"}).content
    )
    expected = Municipality.objects.filter(comarca=valles).members_of(
        Network.objects.get(slug_ca="xmess")
    )
    assert {f["properties"]["name"] for f in data["features"]} == {m.name for m in expected}
    years = {f["properties"]["name"]: f["properties"]["member_since"] for f in data["features"]}
    for municipality in expected:
        first = min(
            m.start_year
            for m in municipality.memberships.filter(network__slug_ca="xmess")
            if m.start_year
        )
        assert years[municipality.name] == first
    body = client.get("/ca/municipis/", {"comarca": valles.slug_ca}).content.decode()
    assert f"/ca/municipis.geojson?comarca={valles.slug_ca}" in body


def test_a_bad_geojson_filter_is_a_clear_400(client, seeded):
    response = client.get("/en/municipalities.geojson", {"province": "99"})
    assert response.status_code == 400
    assert "province" in json.loads(response.content)["fields"]


# --- Catalan order ----------------------------------------------------------------------


def test_names_are_in_catalan_order_on_this_database(client, seeded):
    names = list(Municipality.objects.values_list("name", flat=True))
    assert names.index("Abrera") < names.index("Àger") < names.index("Agramunt")
    assert names.index("Bàscara") < names.index("Bràfim")
    assert [n for n in names if n[0] in "AÀ"] == sorted(
        [n for n in names if n[0] in "AÀ"], key=sort_key
    )
    page = client.get("/ca/municipis/").content.decode()
    results = page[page.index("</figure>") :]
    assert results.index(">Abrera<") < results.index(">Àger<") < results.index(">Agramunt<")


@pytest.mark.parametrize("language", ["ca", "en"])
def test_comarques_are_listed_in_catalan_order_of_their_names(client, seeded, language):
    page = client.get(f"/{language}/comarques/").content.decode()
    listed = [
        html.unescape(name)
        for name in re.findall(r'<th scope="row"><a href="[^"]+">([^<]+)</a>', page)
    ]
    names = Comarca.objects.values_list(f"name_{language}", flat=True)
    assert sorted(listed) == sorted(names)
    assert listed == sorted(listed, key=sort_key)


# --- Commands -----------------------------------------------------------------------------


def test_the_fixtures_and_boundaries_rebuild_identically_from_the_shared_files(tmp_path):
    folder = shared_data()
    call_command(
        "build_municipality_fixture",
        folder / "catalan-municipalities.csv",
        output=tmp_path / "municipalities.json",
        stdout=open(os.devnull, "w"),  # noqa: SIM115
    )
    fixtures = Path(settings.FIXTURE_DIRS[0])
    for name in ("municipalities.json", "comarques.json"):
        assert (tmp_path / name).read_text() == (fixtures / name).read_text()
    call_command(
        "build_boundaries",
        folder / "catalonia-boundaries.topojson",
        folder / "catalan-municipalities.csv",
        output=tmp_path / "boundaries.topojson",
        stdout=open(os.devnull, "w"),  # noqa: SIM115
    )
    assert (tmp_path / "boundaries.topojson").read_text() == maps.DATA_FILE.read_text()


def test_a_municipality_without_comarca_stops_the_build(tmp_path):
    folder = shared_data()
    links = (folder / "municipality-comarca.csv").read_text().splitlines()
    (tmp_path / "links.csv").write_text("\n".join(links[:-1]) + "\n")
    with pytest.raises(CommandError, match="no comarca"):
        call_command(
            "build_municipality_fixture",
            folder / "catalan-municipalities.csv",
            municipality_comarca_csv=tmp_path / "links.csv",
            output=tmp_path / "municipalities.json",
        )
    assert not (tmp_path / "municipalities.json").exists()


# --- Bounded queries ----------------------------------------------------------------------


@pytest.fixture
def crowded_valles(seeded):
    """Many organisations, events and memberships in the Vallès Occidental: an N+1 shows."""
    valles = Comarca.objects.get(code="40")
    places = list(valles.municipalities.all()[:12])
    networks = [make_network(f"Xarxa vallesana {n}") for n in range(6)]
    for n in range(30):
        make_organisation(f"Cooperativa vallesana {n}", municipality=places[n % 12])
    for network in networks:
        for place in places:
            make_membership(network, place, start_year=2018)
    return valles


@pytest.mark.parametrize("language", ["ca", "en"])
def test_map_pages_run_a_bounded_number_of_queries(
    client, crowded_valles, django_assert_max_num_queries, language
):
    translation.activate(language)
    valles = crowded_valles
    urls = {
        valles.get_absolute_url(): QUERY_CAP,
        reverse("networks:comarca_list"): 2,
        reverse("networks:municipality_list") + f"?comarca={valles.slug_ca}&network=xmess": 10,
        reverse("networks:municipality_geojson") + f"?comarca={valles.slug_ca}": 5,
        Network.objects.get(slug_ca="xmess").get_absolute_url() + "?year=2017": QUERY_CAP,
        reverse("networks:organisation_list") + f"?comarca={valles.slug_ca}": 10,
        valles.municipalities.first().get_absolute_url(): QUERY_CAP,
    }
    for url, cap in urls.items():
        with django_assert_max_num_queries(cap):
            assert client.get(url).status_code == 200, url


def test_the_comarca_page_bounds_its_lists(client, crowded_valles):
    valles = crowded_valles
    body = client.get(valles.get_absolute_url()).content.decode()
    total = Organisation.objects.filter(municipality__comarca=valles).count()
    section = body[body.index('id="organisations-heading"') :]
    section = section[: section.index("</section>")]
    assert section.count("<li>") == min(total, 24)
    assert f"?comarca={valles.slug_ca}" in section and str(total) in section


def test_the_comarca_page_counts_a_change_at_once(client, crowded_valles):
    """Its figures are kept per content version: the next view, even one rendered for a
    session (never the page cache's copy), counts what was just added."""
    valles = crowded_valles
    client.cookies["sessionid"] = "no-such-session"
    with translation.override("en"):
        url = valles.get_absolute_url()

    def sections():
        body = client.get(url).content.decode()
        networks = body[body.index('id="networks-heading"') :]
        organisations = body[body.index('id="organisations-heading"') :]
        return networks[: networks.index("</section>")], organisations[
            : organisations.index("</section>")
        ]

    networks, organisations = sections()
    total = Organisation.objects.filter(municipality__comarca=valles).count()
    assert f"{total} organisations" in organisations
    newcomer = make_network("Xarxa acabada d'arribar")
    assert newcomer.name not in networks
    places = list(valles.municipalities.all()[:20])
    for place in places:
        make_membership(newcomer, place, start_year=2024)
    first = make_organisation("Aaa cooperativa primera", municipality=places[0])
    networks, organisations = sections()
    assert f"{total + 1} organisations" in organisations
    assert first.name in organisations  # first by name, among the 24 shown
    # The newcomer has the most member municipalities here: it heads the table.
    rows = re.findall(
        r'<th scope="row"><a href="[^"]+">([^<]+)</a></th><td><a [^>]+>(\d+)<', networks
    )
    assert rows[0] == (html.escape(newcomer.name), str(len(places)))


def test_the_comarca_list_counts_municipalities_in_a_network_and_follows_a_change_at_once(
    client, seeded
):
    """Its figures are kept per content version: a view rendered for a session (never the
    page cache's copy) counts a membership added just before."""
    client.cookies["sessionid"] = "no-such-session"
    with translation.override("en"):
        url = reverse("networks:comarca_list")

    def counts():
        rows = re.findall(
            r'<th scope="row"><a href="[^"]+">([^<]+)</a></th><td>(\d+)</td><td>(\d+)</td>',
            client.get(url).content.decode(),
        )
        return {html.unescape(name): (int(here), int(members)) for name, here, members in rows}

    before = counts()
    assert len(before) == Comarca.objects.count()
    for comarca in Comarca.objects.all():
        with translation.override("en"):
            name = comarca.name
        in_a_network = comarca.municipalities.filter(memberships__isnull=False).distinct()
        assert before[name] == (comarca.municipalities.count(), in_a_network.count())
    outsider = Municipality.objects.filter(memberships__isnull=True).select_related("comarca")
    outsider = outsider.order_by("pk").first()
    make_membership(make_network("Xarxa acabada d'arribar"), outsider, start_year=2024)
    with translation.override("en"):
        name = outsider.comarca.name
    here, members = before[name]
    assert counts()[name] == (here, members + 1)
