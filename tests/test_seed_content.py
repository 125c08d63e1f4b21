"""Every fact of the seed documents is in the database after `manage.py seed`, in both languages.

Expected values are written here by hand from ../shared/seeds and ../shared/data/README.md,
not read back from the fixtures.
"""

import datetime

import pytest
from django.urls import resolve
from django.utils import translation
from modeltranslation.translator import translator

from actions.models import Action, Axis, Line, Plan, ScheduledYear
from networks.models import (
    Event,
    Funder,
    Funding,
    Membership,
    Municipality,
    Network,
    Organisation,
    StrategicLine,
)

pytestmark = pytest.mark.usefixtures("seeded")

# Seed 000 (Catalan) and 001 (English): the six networks, as each text names them.
SIX_NETWORKS = [
    (
        "Campanya Global per reivindicar la Sobirania dels Pobles i Desmantellar el Poder de "
        "les Transnacionals",
        "Global Campaign to Reclaim Peoples' Sovereignty, Dismantle Corporate Power and Stop "
        "Impunity",
    ),
    ("Good Electronics", "Good Electronics"),
    ("Consorci Make ICT Fair", "Make ICT Fair Consortium"),
    ("Campanya Right to Repair", "Right to Repair Campaign"),
    (
        "Grup d'Empresa i Drets Humans de Lafede.cat",
        "Lafede.cat Working Group on Human Rights and Business",
    ),
    (
        "Grup de Compra Pública Socialment Responsable",
        "Group for Socially Responsible Public Procurement",
    ),
]

EVERY_YEAR = [2016, 2017, 2018, 2019]

# Seed 002, the "Accions Anys" tables: line -> [(first words of the action, years)].
ACTION_YEARS = {
    11: [
        ("Elaborar un catàleg d'empreses", [2017]),
        ("Enfortir les eines i els mapes de mercat social", [2017, 2018]),
        ("Crear un portal que aglutini", [2017]),
    ],
    12: [
        ("Ajudar a diagnosticar les pràctiques empresarials", [2017]),
        ("Participar activament en el procés de construcció", EVERY_YEAR),
        ("Ajudar a dissenyar mecanismes d'avaluació", [2017]),
        ("Contribuir a explorar la possibilitat de generar un segell", [2016, 2017]),
        ("Formar sobre el mercat social", [2017, 2018]),
        ("Participar en processos internacionals", [2016, 2017]),
    ],
    13: [
        ("Promoure la celebració anual d'una Fira de Consum Responsable", EVERY_YEAR),
        ("Donar suport a la realització anual de la Fira", EVERY_YEAR),
        ("Donar suport a la realització i escalabilitat de les Installparties", EVERY_YEAR),
        ("Donar suport a l'organització de trobades d'economia col·laborativa", EVERY_YEAR),
        ("Fer present l'ESS en els grans esdeveniments", EVERY_YEAR),
        ("Promoure esdeveniments “satèl·lit”", EVERY_YEAR),
    ],
    14: [
        ("Establir convenis de col·laboració", EVERY_YEAR),
        ("Promoure un Àmbit Participat", EVERY_YEAR),
    ],
    15: [
        ("Donar suport a processos d'articulació de segon i ulterior grau", EVERY_YEAR),
        ("Enfortir els grups cooperatius existents", EVERY_YEAR),
        ("Donar suport a espais i accions d'intercanvi", EVERY_YEAR),
        ("Promoure espais d'articulació de les iniciatives sociocomunitàries", EVERY_YEAR),
        ("Afavorir la cooperació entre grups de consum responsable", [2017, 2018]),
    ],
    16: [
        ("Fundar i participar de manera activa en la xarxa de municipis", EVERY_YEAR),
        ("Organitzar anualment la Trobada Internacional", EVERY_YEAR),
        ("Participar en trobades i fòrums nacionals i internacionals", EVERY_YEAR),
    ],
    17: [
        ("Definir el model de desenvolupament de la moneda social", [2016]),
        ("Impulsar un projecte pilot", [2017, 2018]),
        ("Posar en marxa una primera fase operativa", [2019]),
    ],
}

LINE_TITLES = {
    11: "Facilitar a l'ESS el seu accés com a empreses proveïdores",
    12: "Contribuir al desenvolupament de polítiques i eines que fomentin la contractació "
    "pública responsable",
    13: "Impulsar i donar suport a fires, trobades i jornades",
    14: "Donar suport a processos d'articulació sociopolítica de l'ESS",
    15: "Donar suport a processos d'articulació socioempresarial i sociocomunitària de l'ESS",
    16: "Donar suport a processos d'articulació sociopolítica municipal",
    17: "Acompanyar la creació d'una moneda social",
}


def test_all_947_municipalities_with_codes_and_coordinates():
    assert Municipality.objects.count() == 947
    barcelona = Municipality.objects.get(ine_code="08019")
    assert (barcelona.name, barcelona.idescat_code) == ("Barcelona", "080193")
    assert float(barcelona.latitude) == pytest.approx(41.39, abs=0.05)
    assert Municipality.objects.get(slug="el-palau-danglesola").ine_code == "25158"


@pytest.mark.parametrize(("name_ca", "name_en"), SIX_NETWORKS)
def test_each_seed_network_is_named_in_both_languages(name_ca, name_en):
    network = Network.objects.get(name_ca=name_ca)
    assert network.name_en == name_en
    assert network.description_ca and network.description_en


def test_network_facts_from_the_seed_texts():
    make_ict = Network.objects.get(name_en="Make ICT Fair Consortium")
    assert make_ict.scope == Network.Scope.EUROPEAN
    assert "11" in make_ict.description_en and "11" in make_ict.description_ca
    lafede_group = Network.objects.get(name_en__startswith="Lafede.cat Working Group")
    assert lafede_group.host.name_ca == "Lafede.cat"
    assert lafede_group.scope == Network.Scope.CATALAN
    assert Network.objects.get(name_en="Right to Repair Campaign").kind == Network.Kind.CAMPAIGN


def test_both_funders_and_what_they_funded():
    barcelona = Funder.objects.get(name_en="Barcelona City Council")
    assert barcelona.name_ca == "Ajuntament de Barcelona"
    (congress,) = barcelona.fundings.all()
    assert (congress.start_year, congress.end_year, congress.agreements) == (2016, None, 3)
    assert congress.organisation.name_en == "Mobile Social Congress"

    eu = Funder.objects.get(name_en="European Union")
    assert eu.name_ca == "Unió Europea"
    (project,) = eu.fundings.all()
    assert (project.project_en, project.start_year, project.end_year) == (
        "Make ICT Fair",
        2017,
        2021,
    )
    assert project.network.name_en == "Make ICT Fair Consortium"
    assert Funding.objects.count() == 2


def test_xmess_with_founding_date_handle_working_groups_and_lines():
    xmess = Network.objects.get(acronym="XMESS")
    assert xmess.name_ca == "Xarxa de Municipis per l'Economia Social i Solidària"
    assert xmess.founded_on == datetime.date(2017, 5, 17)
    assert xmess.social_handle == "@XmessCat"
    assert set(xmess.working_groups.values_list("name_ca", flat=True)) == {
        "Grup de treball de Comunicació",
        "Grup de treball de Compra Pública Responsable",
        "Grup de treball de Guia i Relació amb la Generalitat",
        "Grup de treball de Relacions",
    }
    lines = StrategicLine.objects.filter(network=xmess).order_by("number")
    assert [line.number for line in lines] == [1, 2, 3]
    assert lines[2].title_ca == "Compartir coneixement i experiències municipals"
    for fact in ("32", "44%", "67", "17 municipis", "Amposta"):
        assert fact in xmess.description_ca
    for fact in ("32", "44%", "67", "17 municipalities", "Amposta"):
        assert fact in xmess.description_en


def municipalities_with(role):
    return set(
        Membership.objects.filter(network__acronym="XMESS", role=role).values_list(
            "municipality__name", flat=True
        )
    )


def test_xmess_promoting_group_executive_commission_and_2024_members():
    assert municipalities_with(Membership.Role.PROMOTING_GROUP) == {
        "Badalona",
        "Barcelona",
        "Sabadell",
        "Santa Coloma de Gramenet",
    }
    assert municipalities_with(Membership.Role.EXECUTIVE_COMMISSION) == {
        "Barcelona",
        "Santa Margarida i els Monjos",
        "Manlleu",
        "Badalona",
        "Girona",
        "Mataró",
        "Mieres",
        "Sabadell",
        "Santa Coloma de Gramenet",
    }
    joined_2024 = Membership.objects.filter(network__acronym="XMESS", start_year=2024)
    assert {str(m.member) for m in joined_2024} == {
        "Manresa",
        "Sant Cugat del Vallès",
        "El Palau d'Anglesola",
        "Consell Comarcal del Berguedà",
    }


def test_events_of_early_2021_with_dates_and_organisers():
    early_2021 = Event.objects.filter(start_date__range=("2021-01-01", "2021-03-31"))
    assert early_2021.count() == 4
    rural = early_2021.get(start_date="2021-01-29", organisers__name_ca="Resilience Earth")
    assert set(rural.organisers.values_list("name_ca", flat=True)) == {
        "Cercle Garrotxa Ripollès",
        "Resilience Earth",
    }
    koop = early_2021.get(organisers__name_ca="KoopFabrika")
    assert koop.start_date == datetime.date(2021, 1, 29)
    respon = early_2021.get(start_date="2021-03-02")
    assert respon.online and "Manlleu" in respon.description_ca
    uab = early_2021.get(start_date="2021-03-04")
    assert "17" in uab.description_en
    assert all(event.networks.filter(acronym="XMESS").exists() for event in early_2021)


def test_founding_history_events():
    meeting = Event.objects.get(title_en="1st International Meeting on Municipalism and "
                                         "Solidarity Economy")  # fmt: skip
    assert (meeting.start_date, meeting.end_date) == (
        datetime.date(2015, 10, 22),
        datetime.date(2015, 10, 23),
    )
    preparatory = Event.objects.filter(title_en__startswith="XMESS preparatory meeting")
    assert sorted(preparatory.values_list("start_date", "municipality__name")) == [
        (datetime.date(2016, 3, 16), "Badalona"),
        (datetime.date(2016, 6, 10), "Sabadell"),
        (datetime.date(2016, 11, 30), "Santa Coloma de Gramenet"),
    ]
    founding = Event.objects.get(start_date="2017-05-17")
    assert founding.place_ca == "Barcelona Activa"
    amposta = Event.objects.get(municipality__name="Amposta")
    assert (amposta.start_date.year, amposta.start_date.month) == (2024, 10)
    assert amposta.date_precision == Event.Precision.MONTH


def test_barcelona_plan_period_axis_objectives_and_audience():
    plan = Plan.objects.get(slug_ca="pla-impuls-ess-2016-2019")
    assert plan.name_en == "The Impetus Plan for the Social and Solidarity Economy 2016-2019"
    assert (plan.start_year, plan.end_year) == (2016, 2019)
    assert plan.owner.name_en == "Barcelona City Council"
    assert "124" in plan.description_ca and "24" in plan.description_en
    axis = Axis.objects.get(plan=plan)
    assert axis.name_ca == "Intercooperació"
    assert len(axis.objective_list) == 3
    assert axis.audience_list == ["Empreses i entitats", "Xarxes i entitats representatives"]
    assert len(axis.audience_en.splitlines()) == 2
    successor = Plan.objects.get(predecessor=plan)
    assert (successor.start_year, successor.end_year) == (2021, 2023)
    assert "65" in successor.description_en and "12" in successor.description_en


def test_seven_lines_with_their_titles():
    lines = Line.objects.filter(plan__slug_ca="pla-impuls-ess-2016-2019")
    assert {line.number: line.title_ca for line in lines} == LINE_TITLES
    assert all(line.title_en for line in lines)


def test_every_action_has_exactly_the_years_of_its_table():
    actions = Action.objects.filter(line__plan__slug_ca="pla-impuls-ess-2016-2019")
    assert actions.count() == 28
    found = {}
    for action in actions.prefetch_related("scheduled_years").select_related("line"):
        years = sorted(y.year for y in action.scheduled_years.all())
        found.setdefault(action.line.number, []).append((action.position, action.title_ca, years))
    for number, expected in ACTION_YEARS.items():
        rows = sorted(found[number])
        assert len(rows) == len(expected), f"line {number}"
        for (position, title, years), (start, expected_years) in zip(rows, expected, strict=True):
            assert title.startswith(start), f"{number}.{position}: {title}"
            assert years == expected_years, f"{number}.{position}: {title}"
    assert ScheduledYear.objects.filter(action__in=actions).count() == 82
    # The seeds say when actions are scheduled, not how they went.
    assert set(ScheduledYear.objects.values_list("status", flat=True)) == {"not_reported"}


def test_actions_link_to_the_directory_where_the_seeds_make_the_link():
    found_network = Action.objects.get(line__number=16, position=1)
    assert list(found_network.networks.values_list("acronym", flat=True)) == ["XMESS"]
    pam_a_pam = Organisation.objects.get(name_ca="Pam a Pam")
    assert {a.code for a in pam_a_pam.plan_actions.all()} == {"11.2", "15.5"}


def all_translated_objects():
    for model in translator.get_registered_models():
        if model._meta.app_label not in {"networks", "actions"}:
            continue
        fields = translator.get_options_for_model(model).fields
        for obj in model.objects.all():
            yield obj, fields


def test_every_translated_field_is_filled_in_both_languages_or_neither():
    gaps = []
    for obj, fields in all_translated_objects():
        for field in fields:
            ca, en = getattr(obj, f"{field}_ca"), getattr(obj, f"{field}_en")
            if bool(ca) != bool(en):
                gaps.append(f"{obj._meta.label} {obj.pk} {field}")
    assert gaps == []


def test_names_titles_and_slugs_are_filled_in_both_languages():
    for obj, fields in all_translated_objects():
        for field in {"name", "title", "slug"} & set(fields):
            assert getattr(obj, f"{field}_ca") and getattr(obj, f"{field}_en"), (obj, field)


@pytest.mark.parametrize("language", ["ca", "en"])
def test_every_page_url_resolves_in_each_language(language):
    with translation.override(language):
        for model in (Network, Organisation, Funder, Event, Municipality, Plan, Line, Action):
            for obj in model.objects.all()[:50]:
                url = obj.get_absolute_url()
                assert url.startswith(f"/{language}/")
                assert resolve(url).url_name.endswith("_detail")
