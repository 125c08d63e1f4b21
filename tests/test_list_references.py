"""What the rows of a page of a list show of the small tables they refer to, read from those
tables kept per content version (networks/models/listing.py): each row's themes, in their
order and the active language, from one query of the link table's pairs of ids; and its
municipality with its comarca, with no query. A change shows at once, and no page hands out
the kept instances themselves."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from networks.models import Comarca, Event, Municipality, Network, Organisation, Theme
from networks.models.geography import (
    attach_comarques,
    attach_municipalities,
    municipalities_by_id,
)
from networks.models.themes import attach_theme_lists
from tests.factories import (
    make_event,
    make_municipality,
    make_network,
    make_organisation,
    make_theme,
)


def fresh(model):
    return list(model.objects.order_by("pk"))


@pytest.mark.parametrize("model", [Organisation, Network, Event])
def test_each_row_gets_its_own_themes_in_their_order_in_one_query(seeded, model):
    last, first = make_theme("Zoologia urbana"), make_theme("Àgora veïnal")
    fresh(model)[0].themes.add(last, first)  # linked last first
    rows = fresh(model)
    assert sum(row.themes.exists() for row in rows) > 1, "the fixtures link rows to themes"
    attach_theme_lists(rows[:1])  # the themes kept for this version: read once
    rows = fresh(model)
    with CaptureQueriesContext(connection) as queries:
        attach_theme_lists(rows)
    assert len(queries) == 1
    for row in rows:
        assert [theme.pk for theme in row.theme_list] == [t.pk for t in row.themes.all()]
    names = [theme.name for theme in rows[0].theme_list]
    assert names.index("Àgora veïnal") < names.index("Zoologia urbana")


def test_the_themes_speak_the_active_language(seeded):
    theme = make_theme("Habitatge cooperatiu", "Cooperative housing")
    organisation = make_organisation()
    organisation.themes.add(theme)
    for code, name in (("ca", "Habitatge cooperatiu"), ("en", "Cooperative housing")):
        with translation.override(code):
            row = Organisation.objects.get(pk=organisation.pk)
            attach_theme_lists([row])
            assert [t.name for t in row.theme_list] == [name]


def test_a_renamed_theme_shows_at_once_on_the_list(seeded, client):
    theme = make_theme("Finances ètiques")
    make_organisation("Coop de prova").themes.add(theme)
    assert "Finances ètiques" in client.get("/ca/organitzacions/?q=prova").content.decode()
    theme.name_ca = "Finançament ètic"
    theme.save()
    page = client.get("/ca/organitzacions/?q=prova").content.decode()
    assert "Finançament ètic" in page
    assert "Finances ètiques" not in page


def test_a_theme_this_process_has_not_heard_of_is_read_all_the_same(seeded):
    """Another server added it: no change reached this process's copy of the version."""
    organisation = make_organisation()
    attach_theme_lists([Organisation.objects.get(pk=organisation.pk)])  # keeps the themes
    (theme,) = Theme.objects.bulk_create([Theme(name_ca="Nou", name_en="New", slug_ca="nou")])
    Organisation.themes.through.objects.bulk_create(
        [Organisation.themes.through(organisation=organisation, theme=theme)]
    )
    row = Organisation.objects.get(pk=organisation.pk)
    attach_theme_lists([row])
    assert [t.name_ca for t in row.theme_list] == ["Nou"]


def test_rows_get_copies_never_the_themes_kept_for_the_next_page(seeded):
    theme = make_theme("Comerç just")
    network, event = make_network(), make_event()
    network.themes.add(theme)
    event.themes.add(theme)
    first = Network.objects.get(pk=network.pk)
    attach_theme_lists([first])
    first.theme_list[0].name_ca = "changed by a page"
    second = Event.objects.get(pk=event.pk)
    attach_theme_lists([second])
    assert second.theme_list[0].name_ca == "Comerç just"
    assert second.theme_list[0] is not first.theme_list[0]


def test_rows_that_have_their_themes_and_rows_without_themes_are_left_alone(seeded):
    row = Organisation.objects.order_by("pk").first()
    row.theme_list = ["kept"]
    themes = list(Theme.objects.all()[:2])  # a model without themes of its own
    with CaptureQueriesContext(connection) as queries:
        attach_theme_lists([row])
        attach_theme_lists([])
        attach_theme_lists(themes)
    assert row.theme_list == ["kept"]
    assert not hasattr(themes[0], "theme_list")
    assert len(queries) == 0


@pytest.mark.parametrize("model", [Organisation, Event])
def test_each_row_gets_its_municipality_and_comarca_with_no_query(seeded, model):
    make_organisation(municipality=None)
    make_event(municipality=None)
    expected = {
        row.pk: (row.municipality, row.municipality and row.municipality.comarca)
        for row in model.objects.select_related("municipality__comarca")
    }
    assert any(m is None for m, _c in expected.values())
    assert sum(m is not None for m, _c in expected.values()) > 1
    placed = [row for row in fresh(model) if row.municipality_id]
    attach_municipalities(placed[:1])  # the municipalities kept for this version
    rows = fresh(model)
    with CaptureQueriesContext(connection) as queries:
        attach_municipalities(rows)
        places = {
            row.pk: (row.municipality, row.municipality and row.municipality.comarca)
            for row in rows
        }
    assert len(queries) == 0
    assert places == expected
    for municipality, comarca in places.values():
        if municipality is not None:
            assert (municipality.name, comarca.name) == (
                Municipality.objects.get(pk=municipality.pk).name,
                Comarca.objects.get(pk=comarca.pk).name,
            )


def test_a_renamed_comarca_shows_at_once_in_the_api(seeded, client):
    organisation = make_organisation(municipality=make_municipality())
    comarca = organisation.municipality.comarca

    def comarca_shown():
        rows = client.get("/api/v1/organisations/?page_size=100").json()["results"]
        (row,) = [row for row in rows if row["id"] == organisation.pk]
        return row["municipality"]["comarca"]["name"]["en"]

    assert comarca_shown() == comarca.name_en
    comarca.name_en = "Renamed comarca"
    comarca.save()
    assert comarca_shown() == "Renamed comarca"


def test_a_municipality_this_process_has_not_heard_of_is_read_all_the_same(seeded):
    """Another server added it, in a new comarca: no change reached this process's copy of
    the version. The page still gets copies of both, not the kept ones."""
    organisation = make_organisation()
    attach_municipalities(fresh(Organisation)[:1])  # keeps the municipalities
    (comarca,) = Comarca.objects.bulk_create(
        [Comarca(code="98", name_ca="Nova", name_en="New", slug_ca="nova", slug_en="new")]
    )
    (municipality,) = Municipality.objects.bulk_create(
        [
            Municipality(
                ine_code="08999",
                idescat_code="089990",
                name="Vila nova",
                slug="vila-nova",
                latitude=41.5,
                longitude=2.0,
                province="08",
                comarca=comarca,
            )
        ]
    )
    Organisation.objects.filter(pk=organisation.pk).update(municipality=municipality)
    row = Organisation.objects.get(pk=organisation.pk)
    with CaptureQueriesContext(connection) as queries:
        attach_municipalities([row])
        place = (row.municipality.name, row.municipality.comarca.name_ca)
    assert place == ("Vila nova", "Nova")
    assert len(queries) == 1  # the municipalities, read again
    kept = municipalities_by_id()[municipality.pk]
    assert row.municipality is not kept
    assert row.municipality.comarca is not kept.comarca


def test_pages_get_copies_of_municipalities_and_comarques_never_the_kept_ones(seeded):
    def placed():
        return [row for row in fresh(Organisation) if row.municipality_id][:1]

    first, second = placed(), placed()
    attach_municipalities(first)
    attach_municipalities(second)
    one, other = first[0].municipality, second[0].municipality
    assert one is not other and one.comarca is not other.comarca
    one.comarca.page_url_map = {"ca": "set by one page"}  # as attach_page_urls does
    third = placed()
    attach_municipalities(third)
    assert not hasattr(third[0].municipality.comarca, "page_url_map")


def test_municipalities_get_their_comarca_with_no_query(seeded):
    expected = {m.pk: m.comarca for m in Municipality.objects.select_related("comarca")}
    attach_comarques(list(Municipality.objects.all()[:1]))  # the comarques kept
    rows = list(Municipality.objects.all())
    with CaptureQueriesContext(connection) as queries:
        attach_comarques(rows)
        comarques = {row.pk: row.comarca for row in rows}
    assert len(queries) == 0
    assert comarques == expected
    assert len({id(c) for c in comarques.values()}) == len(set(comarques.values()))
    assert all(c.name_ca == expected[pk].name_ca for pk, c in comarques.items())
