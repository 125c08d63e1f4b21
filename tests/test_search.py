"""Search across the directory: accents, case and word endings do not matter, in either
language, on SQLite (folded prefix match) and PostgreSQL (full-text, GIN-indexed)."""

import html
import re

import pytest
from django.db import connection
from django.utils import translation

from networks.models import Event, Municipality, Network, Organisation
from networks.search import fold, query_words
from networks.site_pages import SearchView
from tests.factories import make_organisation

pytestmark = pytest.mark.django_db


def organisation(name_ca, name_en=None, description_ca="", description_en=""):
    slug = fold(name_ca).strip().replace(" ", "-")
    return make_organisation(
        name_ca,
        name_en,
        slug_ca=slug,
        slug_en=f"{slug}-test-en",
        description_ca=description_ca,
        description_en=description_en,
    )


def names(queryset):
    return [obj.name_ca for obj in queryset]


def created(query):
    """Search among the rows a test created (the seed may be loaded in the same database)."""
    return names(Organisation.objects.filter(slug_en__endswith="-test-en").search(query))


def test_fold_and_stem():
    assert fold("L'Àgora·Coop") == " l agora coop "
    assert query_words("Cooperatives XARXES àgora") == ["cooperativ", "xarx", "agor"]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("agora", "Àgora Cooperativa"),
        ("ÀGORA", "Àgora Cooperativa"),
        ("àgora", "Àgora Cooperativa"),
        ("cooperativa", "Cooperatives Unides"),
        ("cooperatives", "Àgora Cooperativa"),
        ("economia", "Fundació Economía"),
        ("unides", "Cooperatives Unides"),
    ],
)
def test_accents_case_and_endings_do_not_matter(query, expected):
    organisation("Àgora Cooperativa")
    organisation("Cooperatives Unides")
    organisation("Fundació Economía")
    organisation("Res a veure")
    found = created(query)
    assert expected in found
    assert "Res a veure" not in found


def test_english_columns_are_searched_with_english_stemming():
    organisation("Xarxa de Consum", "Consumer Networks")
    organisation("Altres", "Others")
    assert created("network") == ["Xarxa de Consum"]
    assert created("consumer networks") == ["Xarxa de Consum"]


def test_all_words_must_match():
    organisation("Àgora Cooperativa")
    organisation("Àgora Cultural")
    assert created("agora cooperativa") == ["Àgora Cooperativa"]


def test_a_name_match_ranks_above_a_description_match():
    organisation("Fundació Solidària", description_ca="Treballa amb cooperatives.")
    organisation("Cooperatives del Camp")
    assert created("cooperatives")[0] == "Cooperatives del Camp"


@pytest.mark.parametrize("query", ["", "   ", "%", "_", "\\", "\x00", "'", '"', "&|!:*()", "-"])
def test_odd_queries_find_nothing_without_error(query):
    organisation("Àgora Cooperativa")
    assert list(Organisation.objects.search(query)) == []


def test_place_names_match_by_word_prefix_without_stemming(seeded):
    assert "Sant Cugat del Vallès" in names_of(Municipality.objects.search("sant cug valles"))
    hospitalet = names_of(Municipality.objects.search("hospitalet"))
    assert "L'Hospitalet de Llobregat" in hospitalet
    # A stemmer would cut "agora" and "Àger" to the same stem; place names are not stemmed.
    assert "Àger" not in names_of(Municipality.objects.search("agora"))


def names_of(queryset):
    return [str(obj) for obj in queryset]


def test_seeded_directory_is_found_in_both_languages(seeded):
    xmess = Network.objects.get(slug_ca="xmess")
    assert xmess in Network.objects.search("municipis economia solidaria")
    assert xmess in Network.objects.search("Municipalities solidarity economy")
    assert xmess in Network.objects.search("xmess")
    assert Event.objects.search("assemblea amposta").count() == 1


def test_search_page_groups_results_by_kind(client, seeded):
    body = client.get("/ca/cerca/?q=xmess").content.decode()
    assert 'id="group-networks"' in body
    assert 'id="group-events"' in body
    with translation.override("ca"):
        assert Network.objects.get(slug_ca="xmess").get_absolute_url() in body
    body = client.get("/en/search/?q=barcelona").content.decode()
    assert 'id="group-municipalities"' in body
    assert 'id="group-organisations"' in body
    assert "/en/municipalities/barcelona/" in body


def test_search_page_counts_what_it_shows_and_says_when_there_is_more(client, seeded, monkeypatch):
    """The page shows the best few of each kind. It once said "42 results" for a word that
    matches thousands of organisations: when a kind has more, it now says these are the
    best, and that kind's link leads to the rest."""
    status = re.compile(r'role="status">([^<]*)<')
    shown = re.compile(r'<ul class="plain-list results">(.*?)</ul>', re.S)

    def read(path):
        body = client.get(path).content.decode()
        links = sum(part.count("<li>") for part in shown.findall(body))
        return html.unescape(status.search(body)[1]), links, body

    said, links, body = read("/en/search/?q=amposta")
    assert "More results in" not in body
    assert said == f"{links} results for “amposta”"
    monkeypatch.setattr(SearchView, "per_kind", 1)
    said, links, body = read("/en/search/?q=barcelona")
    assert "More results in" in body
    assert said.startswith(f"The best {links} results for “barcelona”, by kind.")


def test_search_page_with_nothing_found(client, seeded):
    body = client.get("/en/search/?q=zzzzqqq").content.decode()
    assert "0 results" in body
    assert "Nothing matches" in body


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL full-text search")
@pytest.mark.parametrize("model", [Network, Organisation, Event, Municipality])
def test_postgresql_search_uses_the_gin_index(seeded, model):
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
    plan = model.objects.search("cooperativa").explain()
    # The stored vector's index (migration 0010); municipalities keep their expression one.
    name = "search_gin" if model is Municipality else "search_vector_gin"
    assert f"{model._meta.model_name}_{name}" in plan
    # Ranking reads the stored column: no row's text is parsed again.
    assert "to_tsvector" not in plan or model is Municipality


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL full-text search")
def test_a_common_word_ranks_a_bounded_number_of_matches(seeded, monkeypatch):
    from networks import search

    monkeypatch.setattr(search, "MAX_RANKED", 3)
    for number in range(6):
        organisation(f"Cooperativa Prova {number}", description_ca="cooperativa")
    found = Organisation.objects.filter(slug_en__endswith="-test-en").search("cooperativa")
    # One more than the bound, so that a list can say "more than".
    assert found.count() == 4


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL full-text search")
def test_a_search_reads_its_matches_from_the_start_of_the_table(db):
    """A common word ranks the first matches a scan meets. With PostgreSQL's synchronized
    scans, a scan of a big table starts where the last one stopped, so "economia" at 100,000
    organisations showed other organisations at each reload (too big a table to show here:
    the setting that prevents it is checked instead)."""
    with connection.cursor() as cursor:
        cursor.execute("SHOW synchronize_seqscans")
        assert cursor.fetchone()[0] == "off"


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL full-text search")
def test_postgresql_websearch_syntax(seeded):
    assert Network.objects.search('"compra pública"').count() >= 2
    with_minus = Network.objects.search("compra -grup")
    assert all("Grup" not in n.name_ca for n in with_minus)
    assert Network.objects.search("rural or repair").count() >= 1


def titles(queryset):
    return [obj.title_ca for obj in queryset]


def pages(rows, size, label=names):
    """The names (or ``label``) on each page of ``rows`` as a list shows them, one request
    a page, and the total the first page gives."""
    from networks.pagination import BoundedPaginator

    found, total, number = [], None, 1
    while True:
        paginator = BoundedPaginator(rows, size)
        page = paginator.get_page(number)
        if page.number < number:  # past the end: the last page again
            return found, total
        found.append(label(page))
        total = paginator.count if total is None else total
        number += 1


def test_a_searched_list_pages_as_the_whole_ranking():
    """A list's page of a search and its total are read from the candidates' own scan on
    PostgreSQL (ranking.Ranking): the same rows, in the same order, as the whole ranking,
    ties broken by Catalan name."""
    for name in ["Zeta", "Àger", "Abrera", "Bràfim", "Agramunt", "Bàscara", "Cervera"]:
        organisation(f"{name} cooperativa", description_ca="Una cooperativa de consum.")
        organisation(f"{name} associació", description_ca="Treballa amb cada cooperativa.")
    rows = Organisation.objects.filter(slug_en__endswith="-test-en").search("cooperativa")
    everything = names(rows)
    assert len(everything) == 14
    # Name matches first; among equal ranks, Catalan order (Àger between Abrera and Agramunt).
    assert everything[:4] == [
        "Abrera cooperativa",
        "Àger cooperativa",
        "Agramunt cooperativa",
        "Bàscara cooperativa",
    ]
    for size in (1, 5, 14):
        found, total = pages(rows, size)
        assert total == 14 and len(found) == -(-14 // size)
        assert [name for page in found for name in page] == everything
    # A search filtered again afterwards keeps to that filter.
    consumers = rows.filter(description_ca__contains="consum")
    assert pages(consumers, 20) == ([everything[:7]], 7)


def test_a_searched_list_of_actions_follows_their_plans_order():
    """Actions are ordered by their plan (newest first, then name), line and position: a
    searched list keeps that order among equal ranks."""
    from actions.models import Action
    from networks.search import search
    from tests.factories import make_action, make_line, make_plan

    plans = []
    for start, plan_name in [(2019, "Pla B"), (2024, "Pla A"), (2024, "Pla C")]:
        plan = make_plan(plan_name, start_year=start, end_year=start + 3)
        plans.append(plan)
        for number in (2, 1):
            line = make_line(plan, number=number)
            for position in (3, 1, 2):
                title = f"Mercat social {plan_name} {number}.{position}"
                make_action(line, position, title=title, description_ca="Mercat social.")
    # Among the actions made here (the seed may be loaded in the same database).
    actions = Action.objects.filter(line__plan__in=plans).select_related("line__plan")
    rows = search(actions, "mercat", {"A": ["title"], "B": ["description"]})
    everything = titles(rows)
    assert len(everything) == 18
    assert everything[0] == "Mercat social Pla A 1.1"
    assert everything[-1] == "Mercat social Pla B 2.3"
    found, total = pages(rows, 7, label=titles)
    assert [title for page in found for title in page] == everything and total == 18


def test_a_searched_list_pages_through_every_match_once(client):
    """The keys of a searched list's page and its total come from one query on PostgreSQL:
    every match shows on exactly one page, in rank order, and the total counts them."""
    for number in range(30):
        organisation(f"Entitat {number:02d}", description_ca="Una entitat de prova.")
    client.cookies["sessionid"] = "rendered-each-time"  # not served from the page cache
    seen, count = [], None
    for page in (1, 2):
        data = client.get(f"/api/v1/organisations/?q=entitat&page_size=20&page={page}").json()
        seen += [row["name"]["ca"] for row in data["results"]]
        count = data["count"]
    created = sorted(f"Entitat {number:02d}" for number in range(30))
    assert [name for name in seen if name in created] == created
    assert count == len(seen) >= 30
    # A filter that can match nothing, searched: an empty list, not an error.
    nowhere = client.get("/en/organisations/?q=entitat&municipality=nowhere-at-all")
    assert nowhere.status_code == 200
