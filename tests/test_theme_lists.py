"""The themes of a page of organisations, networks or events (``attach_theme_lists``): read
as pairs of ids from the link table, with the dozen themes kept per content version, they
are each row's own themes in their order, in the active language, and a change of a theme
shows at once."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from networks.models import Event, Network, Organisation, Theme
from networks.models.themes import attach_theme_lists
from tests.factories import make_event, make_network, make_organisation, make_theme


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
