"""Every fact as the sources say it (issue 14): one date-range format and one place label on
every output, membership years only where a source gives them, the members the directory
names set against the figures the sources give, links the sources make, and wording.

Expected values are written by hand from ../shared/seeds and ../shared/data/README.md.
"""

import datetime
import html as html_lib
import json
import re

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.urls import reverse
from django.utils import translation

from actions.models import Action, Axis, Plan
from networks.dates import format_date_range
from networks.fact_checks import membership_problems
from networks.models import (
    Event,
    Membership,
    Municipality,
    Network,
    Organisation,
    ReportedMemberCount,
)
from networks.places import place_label
from networks.search import registered_sections
from networks.search import search as full_text_search

pytestmark = pytest.mark.django_db


def url(name, language, **kwargs):
    with translation.override(language):
        return reverse(name, kwargs=kwargs or None)


def page(client, obj, language):
    with translation.override(language):
        path = obj.get_absolute_url()
    response = client.get(path)
    assert response.status_code == 200, path
    return response.content.decode()


def text_of(html):
    """Visible text, tags dropped and whitespace collapsed."""
    return " ".join(html_lib.unescape(re.sub(r"<[^>]+>", " ", html)).split())


# --- one date-range format ----------------------------------------------------------------

D = datetime.date


@pytest.mark.parametrize(
    ("start", "end", "precision", "ca", "en"),
    [
        (D(2015, 10, 22), D(2015, 10, 23), "day", "22–23 d'octubre de 2015", "22–23 October 2015"),
        (D(2015, 10, 22), None, "day", "22 d'octubre de 2015", "22 October 2015"),
        (D(2015, 10, 22), D(2015, 10, 22), "day", "22 d'octubre de 2015", "22 October 2015"),
        (
            D(2015, 9, 30),
            D(2015, 10, 2),
            "day",
            "30 de setembre – 2 d'octubre de 2015",
            "30 September – 2 October 2015",
        ),
        (
            D(2015, 12, 30),
            D(2016, 1, 2),
            "day",
            "30 de desembre de 2015 – 2 de gener de 2016",
            "30 December 2015 – 2 January 2016",
        ),
        (D(2024, 10, 1), None, "month", "octubre de 2024", "October 2024"),
        (
            D(2024, 9, 1),
            D(2024, 10, 1),
            "month",
            "setembre – octubre de 2024",
            "September – October 2024",
        ),
        (
            D(2024, 12, 1),
            D(2025, 1, 1),
            "month",
            "desembre de 2024 – gener de 2025",
            "December 2024 – January 2025",
        ),
        (D(2018, 1, 1), D(2019, 1, 1), "year", "2018–2019", "2018–2019"),
        (D(2018, 1, 1), D(2018, 6, 1), "year", "2018", "2018"),
    ],
)
def test_date_ranges_say_what_both_ends_share_once(start, end, precision, ca, en):
    assert format_date_range(start, end, precision, "ca") == ca
    assert format_date_range(start, end, precision, "en") == en


@pytest.fixture
def meeting(seeded):
    """The 1st International Meeting, 22-23 October 2015 in Barcelona (data README)."""
    return Event.objects.get(slug_ca="trobada-internacional-municipalisme-economia-solidaria-2015")


def test_a_two_day_event_reads_as_one_range_on_page_feed_and_calendar(client, meeting):
    assert "22–23 d'octubre de 2015" in text_of(page(client, meeting, "ca"))
    assert "22–23 October 2015" in text_of(page(client, meeting, "en"))
    for language, expected in (("ca", "22–23 d'octubre de 2015"), ("en", "22–23 October 2015")):
        atom = html_lib.unescape(client.get(url("networks:events_feed", language)).content.decode())
        assert expected in atom
        ical = client.get(url("networks:events_ical", language)).content.decode()
        unfolded = ical.replace("\r\n ", "")
        assert expected in unfolded
    for text in (
        text_of(page(client, meeting, "ca")),
        client.get(url("networks:events_feed", "ca")).content.decode(),
    ):
        assert "22 d'octubre de 2015 – 23" not in text.replace("&#x27;", "'")


# --- one place label ----------------------------------------------------------------------


@pytest.fixture
def amposta():
    return Municipality.objects.get(slug="amposta")


def unsaved_event(**fields):
    return Event(title="T", start_date=D(2024, 10, 1), **fields)


def test_place_label_says_each_part_once(seeded, amposta):
    assert place_label(unsaved_event(place="Amposta", municipality=amposta)) == "Amposta"
    barcelona = Municipality.objects.get(slug="barcelona")
    venue = unsaved_event(place="Barcelona Activa", municipality=barcelona)
    assert place_label(venue) == "Barcelona Activa, Barcelona"
    with translation.override("ca"):
        assert place_label(unsaved_event(place="En línia", online=True)) == "En línia"
        assert place_label(unsaved_event(place="", online=True)) == "En línia"
        assert place_label(
            unsaved_event(place="Barcelona Activa", municipality=barcelona, online=True)
        ) == ("Barcelona Activa, Barcelona · en línia")
    with translation.override("en"):
        assert place_label(unsaved_event(place="Online", online=True)) == "Online"
    assert place_label(unsaved_event()) == ""


def test_no_place_repeats_itself_on_page_feed_or_calendar(client, seeded, amposta):
    # Place fields as staff may type them: the town again, "online" again.
    event = Event.objects.create(
        title_ca="Assemblea de prova",
        title_en="Test assembly",
        slug_ca="assemblea-de-prova",
        slug_en="test-assembly",
        start_date=D(2030, 5, 4),
        place_ca="Amposta",
        place_en="Amposta",
        municipality=amposta,
    )
    online = Event.objects.create(
        title_ca="Sessió en línia de prova",
        title_en="Test online session",
        slug_ca="sessio-en-linia-de-prova",
        slug_en="test-online-session",
        start_date=D(2030, 5, 5),
        place_ca="En línia",
        place_en="Online",
        online=True,
    )
    for language in ("ca", "en"):
        outputs = [
            text_of(page(client, event, language)),
            text_of(page(client, online, language)),
            client.get(url("networks:events_feed", language)).content.decode(),
            client.get(url("networks:events_ical", language)).content.decode().replace("\r\n ", ""),
            client.get(url("networks:event_list", language)).content.decode(),
        ]
        for output in outputs:
            assert "Amposta, Amposta" not in output and "Amposta\\, Amposta" not in output
            assert not re.search(r"(?i)en línia · en línia|online · online", output)
    ical = client.get(url("networks:events_ical", "en")).content.decode().replace("\r\n ", "")
    assert "LOCATION:Amposta\r\n" in ical


def test_events_with_no_known_place_claim_no_attendance_mode(client, seeded):
    # Seed 003 gives neither a place nor a mode for the two sessions of 29 January 2021.
    for event in Event.objects.filter(start_date=D(2021, 1, 29)):
        html = page(client, event, "en")
        data = json.loads(re.search(r'application/ld\+json">(.*?)</script>', html, re.S)[1])
        assert "eventAttendanceMode" not in data
        assert "location" not in data
    respon = Event.objects.get(slug_ca="bones-practiques-premis-respon-cat-2020")
    data = json.loads(
        re.search(r'application/ld\+json">(.*?)</script>', page(client, respon, "en"), re.S)[1]
    )
    assert data["eventAttendanceMode"] == "https://schema.org/OnlineEventAttendanceMode"


# --- membership years against their sources -------------------------------------------------


def membership(**fields):
    fields.setdefault("role", Membership.Role.MEMBER)
    return Membership(network=Network(name="N"), **fields)


def test_fact_check_refuses_unknown_dates_beside_a_dated_note():
    bad = membership(note_ca="Grup promotor del procés de constitució (2015-2017)", note_en="")
    assert membership_problems(bad)
    assert membership_problems(membership(note_ca="Procés de constitució", note_en="")) == []


def test_fact_check_refuses_a_since_year_no_source_gives():
    # The first executive commission (2017) does not make anyone a member "since 2017".
    commission = membership(
        role=Membership.Role.EXECUTIVE_COMMISSION,
        start_year=2017,
        source="first executive commission (2017)",
    )
    assert membership_problems(commission)
    commission.end_year = 2017
    assert membership_problems(commission) == []
    # Projects monitored in early 2021 say nothing of when a partnership began.
    partner = membership(
        role=Membership.Role.PARTNER,
        start_year=2021,
        source="seed 003: projects were monitored in the first quarter of 2021",
    )
    assert membership_problems(partner)
    assert membership_problems(membership(start_year=2024, source="")) != []
    joined = membership(start_year=2024, source="joined at the October 2024 assembly")
    assert membership_problems(joined) == []


def test_seed_refuses_a_fixture_with_an_unsupported_since_year(db, tmp_path):
    call_command("seed", "municipalities", verbosity=0)
    rows = [
        {
            "model": "networks.network",
            "pk": 900,
            "fields": {"name_ca": "X", "name_en": "X", "slug_ca": "x", "slug_en": "x"},
        },
        {
            "model": "networks.membership",
            "pk": 900,
            "fields": {
                "network": 900,
                "municipality": 8019,
                "role": "executive_commission",
                "start_year": 2017,
                "note_ca": "Primera comissió executiva",
                "note_en": "First executive commission",
                "source": "First executive commission (2017).",
            },
        },
    ]
    fixture = tmp_path / "bad.json"
    fixture.write_text(json.dumps(rows), encoding="utf-8")
    with pytest.raises(CommandError, match="since 2017"):
        call_command("seed", str(fixture), verbosity=0)
    assert not Network.objects.filter(pk=900).exists()


def test_seed_memberships_pass_the_fact_check(seeded):
    for m in Membership.objects.all():
        assert membership_problems(m) == [], m


def test_xmess_roles_say_no_more_than_the_sources(client, seeded):
    xmess = Network.objects.get(slug_ca="xmess")
    for language, unknown, since in (
        ("ca", "dates desconegudes", "des del"),
        ("en", "dates not known", "since"),
    ):
        html = page(client, xmess, language)
        members = text_of(html[html.index('id="members-heading"') :])
        for row in re.findall(r"\(([^()]*\d{4}[^()]*)\)", members):
            assert unknown not in row
        assert f"{unknown} (" not in members or not re.search(rf"{unknown} \([^)]*\d{{4}}", members)
        commission = re.findall(r"(?:Comissió executiva|Executive commission): ([^(]+)", members)
        assert commission and all(since not in value for value in commission)
        confederacio = Organisation.objects.get(slug_ca="confederacio-de-cooperatives-de-catalunya")
        row = members[members.index(confederacio.name) :][:200]
        assert since not in row.split(")")[0]


def test_confederacio_description_says_who_helped_whom(seeded):
    # Seed 003: thanks to XMESS's relationship with the Confederació, XMESS could monitor
    # the projects. The Confederació did not benefit from XMESS.
    confederacio = Organisation.objects.get(slug_ca="confederacio-de-cooperatives-de-catalunya")
    assert "Gràcies a la seva relació amb la XMESS" not in confederacio.description_ca
    assert "relació de la XMESS amb la Confederació" in confederacio.description_ca
    assert "XMESS monitored" in confederacio.description_en
    assert confederacio.memberships.get().start_year is None


# --- incomplete lists say so ------------------------------------------------------------------


def test_xmess_page_sets_the_members_it_names_against_the_source_figures(client, seeded):
    xmess = Network.objects.get(slug_ca="xmess")
    figures = list(ReportedMemberCount.objects.filter(network=xmess))
    # shared/data/README.md: 32 member councils at the founding, 67 after October 2024.
    assert {(f.year, f.count) for f in figures} == {(2017, 32), (2024, 67)}
    named = len({m.member for m in xmess.memberships.filter(role=Membership.Role.MEMBER)})
    for language in ("ca", "en"):
        with translation.override(language):
            descriptions = [f.description for f in figures]
        members = text_of(page(client, xmess, language))
        assert (f"{named} membres" if language == "ca" else f"{named} members") in members
        for figure, description in zip(figures, descriptions, strict=True):
            assert f"{figure.count} {description} ({figure.year})" in members


# --- repetition -------------------------------------------------------------------------------


def test_barcelona_lists_xmess_once_with_all_its_roles(client, seeded):
    barcelona = Municipality.objects.get(slug="barcelona")
    xmess = Network.objects.get(slug_ca="xmess")
    roles = barcelona.memberships.filter(network=xmess).count()
    assert roles > 1
    for language in ("ca", "en"):
        html = page(client, barcelona, language)
        section = html[html.index('id="networks-heading"') :].split("</section>")[0]
        with translation.override(language):
            assert section.count(f'href="{xmess.get_absolute_url()}"') == 1
        assert section.count("<li>") == roles


def test_piess_says_once_that_its_actions_are_not_recorded(client, seeded):
    piess = Plan.objects.get(slug_ca="piess-2021-2023")
    assert not piess.lines.exists()
    assert "accions" not in piess.description_ca.split("65 accions")[-1]
    for language, words in (("ca", "no recull"), ("en", "does not hold")):
        assert text_of(page(client, piess, language)).count(words) == 1


# --- links the sources make -------------------------------------------------------------------


def test_respon_cat_session_links_manlleu_which_ran_the_workshop(client, seeded):
    # Seed 003: "La representant de l'Ajuntament de Manlleu va fer el Taller…"
    respon = Event.objects.get(slug_ca="bones-practiques-premis-respon-cat-2020")
    manlleu = Organisation.objects.get(slug_ca="ajuntament-de-manlleu")
    assert manlleu in respon.participants.all()
    assert manlleu not in respon.organisers.all()
    for language in ("ca", "en"):
        with translation.override(language):
            assert f'href="{manlleu.get_absolute_url()}"' in page(client, respon, language)
            assert f'href="{respon.get_absolute_url()}"' in page(client, manlleu, language)


# --- wording ----------------------------------------------------------------------------------


def test_catalan_wording(seeded):
    plan = Plan.objects.get(slug_ca="pla-impuls-ess-2016-2019")
    assert "unes 124 accions" in plan.description_ca
    axis = Axis.objects.get(plan=plan)
    assert "que la proveeixen de béns i serveis" in axis.description_ca


def test_proper_names_are_kept_in_english(seeded):
    # Seed 002 names "Balanç Social" and "Pam a Pam": names, not words to translate.
    balanc = Organisation.objects.get(slug_ca="balanc-social")
    assert balanc.name_en == "Balanç Social"
    action = Action.objects.get(title_ca__contains="Balanç Social")
    assert "Balanç Social" in action.title_en and "Social Balance" not in action.title_en


def test_a_jornada_is_not_a_conference(seeded):
    # Seed 003: "Jornada de revitalització…" vs KoopFabrika's "Conferència…".
    jornada = Event.objects.get(title_ca__startswith="Jornada de revitalització")
    assert "Conference" not in jornada.title_en
    koop = Event.objects.get(slug_ca="xarxes-municipals-desenvolupament-cohesio-territorial-2021")
    assert koop.title_en.startswith("Conference")


def test_the_x_handle_links_to_its_profile(client, seeded):
    # Seed 004: "seguir la Xarxa a Twitter: @XmessCat".
    xmess = Network.objects.get(slug_ca="xmess")
    assert xmess.social_handle == "@XmessCat"
    for language in ("ca", "en"):
        assert '<a href="https://twitter.com/XmessCat" rel="external">@XmessCat</a>' in page(
            client, xmess, language
        )


# --- search finds plan actions, in both languages ----------------------------------------------


@pytest.mark.parametrize(
    ("language", "query", "expected"),
    [
        ("ca", "Installparties", "Installparties"),
        ("ca", "moneda social", "moneda social"),
        ("ca", "grups cooperatius", "grups cooperatius"),
        ("en", "social currency", "social currency"),
        ("en", "cooperative groups", "cooperative groups"),
    ],
)
def test_search_finds_plan_actions(client, seeded, language, query, expected):
    body = client.get(url("networks:search", language), {"q": query}).content.decode()
    section = body[body.index('id="group-actions"') :]
    assert expected.casefold() in section.casefold()


def test_search_finds_plans_and_lines(client, seeded):
    body = client.get(url("networks:search", "en"), {"q": "impetus"}).content.decode()
    assert 'id="group-plans"' in body
    body = client.get(url("networks:search", "ca"), {"q": "fires trobades"}).content.decode()
    assert 'id="group-lines"' in body


def test_search_stems_english_inflections(client, seeded):
    repair = Network.objects.get(slug_ca="campanya-right-to-repair")
    assert repair in Network.objects.search("repairing")
    body = client.get(url("networks:search", "en"), {"q": "repairing"}).content.decode()
    with translation.override("en"):
        assert repair.get_absolute_url() in body


# --- pages ------------------------------------------------------------------------------------


def test_not_found_claims_no_canonical_and_its_language_links_lead_home(client, db):
    for language, other in (("ca", "en"), ("en", "ca")):
        response = client.get(f"/{language}/no-such-page/")
        assert response.status_code == 404
        body = response.content.decode()
        assert 'rel="canonical"' not in body
        assert "no-such-page" not in body.split("</head>")[0]
        switcher = body[body.index('class="language-switcher"') :].split("</nav>")[0]
        assert "no-such-page" not in switcher
        assert f'href="{url("home", other)}"' in switcher


def test_every_search_landmark_has_its_own_name(client, seeded):
    for language in ("ca", "en"):
        for path in (url("home", language), url("networks:search", language) + "?q=xarxa"):
            body = client.get(path).content.decode()
            forms = re.findall(r"<form[^>]*role=\"search\"[^>]*>", body)
            assert len(forms) == 2, path
            names = []
            for form in forms:
                label = re.search(r'aria-label="([^"]+)"', form)
                labelledby = re.search(r'aria-labelledby="([^"]+)"', form)
                assert label or labelledby, form
                if labelledby:
                    element = re.search(rf'id="{labelledby[1]}"[^>]*>(.*?)</', body, re.S)
                    assert element, labelledby[1]
                    names.append(element[1].strip())
                else:
                    names.append(label[1])
            assert len(set(names)) == len(names), names


def test_admin_login_has_a_heading(client, db):
    for language in ("ca", "en"):
        body = client.get(url("admin:login", language)).content.decode()
        assert re.search(r"<h1>[^<]+</h1>", body)


def test_the_result_count_stands_next_to_the_nothing_found_message(client, seeded):
    for name in (
        "networks:network_list",
        "networks:organisation_list",
        "networks:funder_list",
        "networks:municipality_list",
        "networks:event_list",
    ):
        body = client.get(url(name, "en"), {"q": "zzzzqqq"}).content.decode()
        results = body[body.index('id="results-heading"') :]
        count, empty = results.index('class="result-count"'), results.index('class="empty"')
        # Nothing but the count's own paragraph between them.
        between = results[count:empty]
        assert between.count("<p") == 1 and "<form" not in between, name
        assert "0 results" in between


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL full-text search")
@pytest.mark.parametrize("key", ["plans", "lines", "actions"])
def test_postgresql_plan_search_uses_its_gin_index(seeded, key):
    section = next(s for s in registered_sections() if s.key == key)
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
    queryset = full_text_search(section.queryset(), "cooperatius", section.fields)
    plan = queryset.explain()
    # The stored vector's index (actions migration 0005): no action's text is parsed again.
    assert f"{queryset.model._meta.model_name}_search_vector_gin" in plan
    assert "to_tsvector" not in plan
