"""The queries detail pages are built from, tested directly: each gives in one query what a
page used to read in two or three (issue 9: every public page within 10 queries)."""

import datetime

import pytest
from django.db import connection

from actions.models import Action
from networks.models import Event, Membership, Municipality, Network, Organisation
from networks.pagination import count_together, preview
from tests.factories import (
    make_action,
    make_comarca,
    make_funder,
    make_funding,
    make_line,
    make_membership,
    make_municipality,
    make_network,
    make_organisation,
    make_plan,
    make_theme,
)

pytestmark = pytest.mark.django_db


def test_a_preview_reads_its_rows_and_their_total_in_one_query(django_assert_num_queries):
    # Names of their own: the seed content may share the database with these tests.
    for name in ["Prova C", "Prova A", "Prova B"]:
        make_organisation(name)
    tested = Organisation.objects.filter(name_ca__startswith="Prova ")
    with django_assert_num_queries(1):
        shown = preview(tested, 2)
    assert [o.name for o in shown] == ["Prova A", "Prova B"]
    assert shown.count == 3 and shown.more
    assert preview(tested.filter(name_ca="Cap"), 2).count == 0
    # A distinct queryset counts distinct rows, as count() does.
    joined = tested.filter(name_ca__in=["Prova A", "Prova B"]).distinct()
    assert preview(joined, 1).count == joined.count() == 2


def test_a_preview_can_count_its_rows_by_their_links(django_assert_num_queries):
    theme, other = make_theme("Prova"), make_theme("Altra")
    for name in ["Prova C", "Prova A", "Prova B"]:
        make_organisation(name).themes.add(theme, other)
    make_organisation("Sense tema")
    links = Organisation.themes.through.objects.filter(theme=theme)
    with django_assert_num_queries(1):
        shown = preview(theme.organisations.order_by("name_ca"), 2, counted=links)
    assert [o.name for o in shown] == ["Prova A", "Prova B"]
    assert shown.count == 3 and shown.more


def test_count_together_counts_each_queryset_in_one_query(django_assert_num_queries):
    member, other = make_municipality(), make_municipality()
    make_membership(make_network(), member)
    make_organisation("Prova X")
    make_organisation("Altra Y")
    towns = Municipality.objects.filter(pk__in=[member.pk, other.pk])
    with django_assert_num_queries(1):
        counts = count_together(
            towns=towns,
            in_networks=towns.in_networks(),
            named=Organisation.objects.filter(name_ca__startswith="Prova "),
        )
    assert counts == {"towns": 2, "in_networks": 1, "named": 1}


def test_a_network_counts_its_members_in_its_own_query(django_assert_num_queries):
    network, other = make_network("Xarxa A"), make_network("Xarxa B")
    organisation, town = make_organisation(), make_municipality()
    make_membership(network, organisation)
    make_membership(network, organisation, role=Membership.Role.PARTNER)
    make_membership(network, town, role=Membership.Role.EXECUTIVE_COMMISSION)
    make_membership(other, town)
    with django_assert_num_queries(1):
        counted = {n.pk: n for n in Network.objects.with_member_counts().filter(pk=network.pk)}
    assert counted[network.pk].member_counts == {"organisations": 1, "members": 1}
    assert counted[network.pk].has_municipalities
    assert Municipality.objects.with_network_count().get(pk=town.pk).network_count == 2
    empty = Network.objects.with_member_counts().get(pk=make_network("Xarxa buida").pk)
    assert empty.member_counts is None and not empty.has_municipalities
    only_organisations = make_network("Xarxa d'entitats")
    make_membership(only_organisations, make_organisation())
    make_membership(only_organisations, make_organisation(), role=Membership.Role.PARTNER)
    counted = Network.objects.with_member_counts().get(pk=only_organisations.pk)
    assert counted.member_counts == {"organisations": 2, "members": 1}
    assert not counted.has_municipalities


def test_previewing_reads_the_first_networks_by_name_with_every_role():
    town = make_municipality()
    networks = [make_network(f"Xarxa {letter}") for letter in "DCBA"]
    for network in networks:
        make_membership(network, town)
    make_membership(networks[-1], town, role=Membership.Role.PROMOTING_GROUP)
    shown = list(Membership.objects.filter(municipality=town).previewing("network", 2))
    assert sorted((m.network.name, m.role) for m in shown) == [
        ("Xarxa A", "member"),
        ("Xarxa A", "promoting_group"),
        ("Xarxa B", "member"),
    ]


def test_a_network_page_reads_its_first_organisations_and_every_municipality():
    network = make_network()
    for letter in "CBA":
        make_membership(network, make_organisation(f"Cooperativa {letter}"))
    early, late = make_municipality("Poble antic"), make_municipality("Poble nou")
    make_membership(network, early, start_year=2010)
    make_membership(network, late, start_year=2020)
    make_membership(make_network(), make_municipality())  # another network's
    shown = Membership.objects.shown_on_network_page(network, organisations=2)
    assert sorted(str(m.member) for m in shown) == [
        "Cooperativa A",
        "Cooperativa B",
        "Poble antic",
        "Poble nou",
    ]
    in_2015 = Membership.objects.shown_on_network_page(network, organisations=2, year=2015)
    assert sorted(str(m.member) for m in in_2015) == [
        "Cooperativa A",
        "Cooperativa B",
        "Poble antic",
    ]


def test_a_comarca_lists_each_action_concerning_it_once():
    comarca, elsewhere = make_comarca(), make_comarca(code="98")
    first, second = make_municipality(comarca=comarca), make_municipality(comarca=comarca)
    other = make_municipality(comarca=elsewhere)
    # Named for two of its municipalities, in a plan of a third: still one action.
    both = make_action(make_line(make_plan(municipality=first)), title="Totes dues")
    both.municipalities.add(first, second)
    by_plan = make_action(make_line(make_plan(municipality=second)), title="Pel pla")
    named = make_action(title="Anomenada")
    named.municipalities.add(second, other)
    make_action(make_line(make_plan(municipality=other)), title="D'una altra comarca")
    found = Action.objects.concerning_comarca(comarca)
    assert sorted(action.title for action in found) == ["Anomenada", "Pel pla", "Totes dues"]
    assert found.count() == 3
    assert {action.pk for action in found} == {both.pk, by_plan.pk, named.pk}


def test_a_municipality_lists_each_action_concerning_it_once():
    town, other = make_municipality(), make_municipality()
    by_plan = make_action(make_line(make_plan(municipality=town)), title="Pel pla")
    # Named by an action of its own plan too: still one action.
    by_plan.municipalities.add(town, other)
    named = make_action(title="Anomenada")
    named.municipalities.add(town)
    make_action(make_line(make_plan(municipality=other)), title="D'un altre poble")
    make_action(title="Sense poble")
    found = Action.objects.concerning_municipality(town)
    assert sorted(action.title for action in found) == ["Anomenada", "Pel pla"]
    assert found.count() == 2
    # Still a queryset to narrow and order as the pages and the admin do.
    assert list(found.filter(title="Pel pla")) == [by_plan]
    elsewhere = Action.objects.concerning_municipality(other)
    assert sorted(action.title for action in elsewhere) == ["D'un altre poble", "Pel pla"]


def funder_of_many():
    """A funder with more fundings than its page shows, and the statistics to say so: with
    those an earlier test left (a funding or two per funder), reading them by the funder's
    key and sorting them costs the planner the same as walking the index of their order."""
    funder, organisation = make_funder(), make_organisation("Entitat finançada")
    for number in range(200):
        make_funding(funder, organisation=organisation, start_year=2000 + number % 20)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE networks_funding")
    return funder


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL plans")
@pytest.mark.parametrize(
    ("listing", "index"),
    [
        pytest.param(lambda: Network.objects.for_list()[:6], "network_name_ca_idx", id="networks"),
        pytest.param(lambda: Event.objects.all()[:24], "event_list_order", id="events"),
        pytest.param(
            lambda: Event.objects.upcoming(datetime.date(2026, 1, 1))[:3],
            "event_list_order",
            id="coming-events",
        ),
        pytest.param(
            lambda: Event.objects.past(datetime.date(2026, 1, 1))[:4],
            "event_list_order",
            id="past-events",
        ),
        pytest.param(
            lambda: funder_of_many().fundings.order_by("start_year", "id")[:51],
            "funding_list_order",
            id="a-funders-fundings",
        ),
    ],
)
def test_lists_read_their_first_rows_from_an_index_of_their_order(listing, index):
    # networks 0013 and 0014: at 2,000 networks and 5,000 events each of these sorted its
    # whole table (2.5-7 ms), four times on the home page; a funder of 2,000 fundings joined
    # and sorted them all (18 ms). With the scan of the table off, the plan must walk an
    # index of the list's order rather than sort a scan of an unrelated one.
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
    plan = listing().explain()
    assert index in plan, plan


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL plans")
@pytest.mark.parametrize(
    ("model", "index"),
    [
        (Organisation, "organisation_theme_links"),
        (Network, "network_theme_links"),
        (Event, "event_theme_links"),
    ],
)
def test_a_themes_entries_are_found_from_an_index_of_their_links_alone(model, index):
    # networks 0017: the theme filter found a theme's links by the index of theme_id, then
    # read every link row for its entry (8,408 for a theme of 100,000 organisations:
    # 1.8-2.2 ms, then 0.6). With the scans of the whole table and of a bitmap off, the
    # plan must read them from the index that carries both keys.
    theme = make_theme()
    with connection.cursor() as cursor:
        for setting in ("enable_seqscan", "enable_bitmapscan"):
            cursor.execute(f"SET LOCAL {setting} = off")
    plan = model.themes.through.objects.filter(theme=theme).values(model._meta.model_name).explain()
    assert f"Index Only Scan using {index}" in plan, plan


def test_a_networks_working_groups_and_lines_read_alike_for_a_page_and_for_one_network(
    django_assert_num_queries,
):
    """The API and the downloads read a page of networks' working groups and strategic lines
    as lists, in a fixed number of queries; a network read alone reads the same lists."""
    from networks.models import StrategicLine

    parents = [make_network(f"Prova pare {n}") for n in range(3)]
    for parent in parents:
        for name in ["Prova Zeta", "Prova Bràfim", "Prova Àger", "Prova Bàscara"]:
            make_network(f"{name} {parent.pk}", parent=parent)
        for number in (2, 1):
            StrategicLine.objects.create(network=parent, number=number, title_ca="L")
    ids = [parent.pk for parent in parents]
    with django_assert_num_queries(3):  # the networks, their groups and their lines
        page = list(Network.objects.for_api().filter(pk__in=ids).order_by("pk"))
        read = [
            ([g.name_ca for g in n.working_group_list], [x.number for x in n.strategic_line_list])
            for n in page
        ]
    for parent, (groups, lines) in zip(parents, read, strict=True):
        alone = Network.objects.get(pk=parent.pk)
        # Catalan order: "Àger" among the A's, "Bàscara" before "Bràfim".
        expected = [f"{name} {parent.pk}" for name in ("Prova Àger", "Prova Bàscara")]
        expected += [f"{name} {parent.pk}" for name in ("Prova Bràfim", "Prova Zeta")]
        assert groups == expected
        assert [g.name_ca for g in alone.working_group_list] == expected
        assert lines == [1, 2] == [x.number for x in alone.strategic_line_list]


def test_a_page_of_actions_reads_its_years_in_one_query_and_one_action_alone_the_same(
    django_assert_num_queries,
):
    from tests.factories import make_year

    line = make_line()
    actions = [make_action(line=line, position=n) for n in (1, 2, 3)]
    for action in actions:
        for year in (2021, 2019, 2020):
            make_year(action=action, year=year)
    # The actions with their line and plan, then every year of them.
    with django_assert_num_queries(2):
        page = list(Action.objects.for_api().filter(line=line).order_by("position"))
        years = [[s.year for s in action.scheduled_year_list] for action in page]
    assert years == [[2019, 2020, 2021]] * 3
    alone = Action.objects.get(pk=actions[0].pk)
    assert [s.year for s in alone.scheduled_year_list] == [2019, 2020, 2021]
