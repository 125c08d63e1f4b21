"""Validation a person understands, missing translations, and CSV exports."""

import csv
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from actions.models import Action, ScheduledYear
from networks.models import Membership, Network, Organisation, Theme
from tests.admin_support import admin_url
from tests.factories import make_staff

pytestmark = pytest.mark.django_db


@pytest.fixture
def editor_client(client, seeded, editor):
    client.force_login(editor)
    return client


def action_form_data(action, years):
    data = {
        "line": action.line_id,
        "position": action.position,
        "title_ca": action.title_ca,
        "title_en": action.title_en,
        "description_ca": action.description_ca or "",
        "description_en": action.description_en or "",
        "networks": [n.pk for n in action.networks.all()] if action.pk else [],
        "organisations": [o.pk for o in action.organisations.all()] if action.pk else [],
        "municipalities": [m.pk for m in action.municipalities.all()] if action.pk else [],
        "scheduled_years-TOTAL_FORMS": len(years),
        "scheduled_years-INITIAL_FORMS": 0,
    }
    for index, year in enumerate(years):
        data[f"scheduled_years-{index}-year"] = year
        data[f"scheduled_years-{index}-status"] = "planned"
        data[f"scheduled_years-{index}-note_ca"] = ""
        data[f"scheduled_years-{index}-note_en"] = ""
    return data


@pytest.mark.parametrize(
    "lang,message",
    [
        ("ca", "2030 és fora del període del pla"),
        ("en", "2030 is outside the plan&#x27;s period"),
    ],
)
def test_a_year_outside_the_plans_period_is_refused_in_the_editors_language(
    editor_client, lang, message
):
    action = Action.objects.select_related("line__plan").first()
    before = ScheduledYear.objects.count()
    url = admin_url("actions_action_change", action.pk, lang=lang)
    response = editor_client.post(url, action_form_data(action, [2030]))
    assert response.status_code == 200
    assert message in response.content.decode()
    assert ScheduledYear.objects.count() == before


def test_a_new_actions_years_are_checked_against_the_plan_too(editor_client):
    action = Action.objects.select_related("line__plan").first()
    new = Action(line=action.line, position=900, title_ca="Nova", title_en="New")
    response = editor_client.post(
        admin_url("actions_action_add", lang="en"), action_form_data(new, [1990])
    )
    assert response.status_code == 200
    assert "1990 is outside the plan&#x27;s period" in response.content.decode()
    assert not Action.objects.filter(position=900).exists()


def membership_data(network, **changes):
    data = {
        "network": network.pk,
        "organisation": "",
        "municipality": "",
        "role": "member",
        "start_year": "",
        "end_year": "",
        "note_ca": "",
        "note_en": "",
    }
    data.update(changes)
    return data


def test_an_end_before_the_start_is_refused(editor_client):
    existing = Membership.objects.filter(organisation__isnull=False).first()
    before = Membership.objects.count()
    data = membership_data(
        existing.network,
        organisation=existing.organisation_id,
        role="partner",
        start_year=2020,
        end_year=2018,
    )
    response = editor_client.post(admin_url("networks_membership_add"), data)
    assert response.status_code == 200
    assert "L&#x27;any final (2018) és anterior a l&#x27;any inicial (2020)." in (
        response.content.decode()
    )
    assert Membership.objects.count() == before


def test_a_duplicate_membership_is_refused_on_the_form(editor_client):
    existing = Membership.objects.filter(municipality__isnull=False).first()
    before = Membership.objects.count()
    data = membership_data(
        existing.network, municipality=existing.municipality_id, role=existing.role
    )
    response = editor_client.post(admin_url("networks_membership_add", lang="en"), data)
    assert response.status_code == 200
    assert "This municipality already has this role in this network." in (response.content.decode())
    assert Membership.objects.count() == before


def test_the_same_member_twice_in_one_save_is_refused(editor_client):
    network = Network.objects.exclude(slug_ca="xmess").first()
    from tests.test_admin_history import network_form_data

    data = network_form_data(network)
    municipality = Membership.objects.filter(municipality__isnull=False).first().municipality_id
    data["memberships-TOTAL_FORMS"] = 2
    for index in (0, 1):
        data[f"memberships-{index}-municipality"] = municipality
        data[f"memberships-{index}-organisation"] = ""
        data[f"memberships-{index}-role"] = "member"
        data[f"memberships-{index}-network"] = network.pk
    response = editor_client.post(admin_url("networks_network_change", network.pk), data)
    assert response.status_code == 200
    assert not network.memberships.exists()


def test_both_languages_are_required_for_names(editor_client):
    before = Theme.objects.count()
    response = editor_client.post(
        admin_url("networks_theme_add"),
        {"name_ca": "Habitatge cooperatiu", "slug_ca": "habitatge-cooperatiu", "name_en": ""},
    )
    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    assert {"name_en", "slug_en"} <= set(errors)
    assert Theme.objects.count() == before


def test_missing_translations_are_listed_and_filtered(editor_client):
    theme = Theme.objects.first()
    theme.description_ca = "Només en català"
    theme.description_en = ""
    theme.save()
    complete = Theme.objects.exclude(pk=theme.pk).filter(description_en__gt="").first()
    url = admin_url("networks_theme_changelist", lang="en")
    response = editor_client.get(url, {"missing_translation": "en"})
    shown = list(response.context["cl"].result_list)
    assert theme in shown
    assert complete not in shown
    html = response.content.decode()
    assert "EN: description" in html
    assert editor_client.get(url, {"missing_translation": "xx"}).status_code == 200


def read_csv(response):
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert response.streaming  # a worker never holds a whole list of 100,000 rows
    body = b"".join(response.streaming_content)
    return list(csv.DictReader(io.StringIO(body.decode("utf-8-sig"))))


@pytest.mark.parametrize(
    "model,key,count_of",
    [
        ("networks_network", "name_ca", "networks.Network"),
        ("networks_organisation", "name_en", "networks.Organisation"),
        ("networks_municipality", "ine_code", "networks.Municipality"),
        ("actions_scheduledyear", "year", "actions.ScheduledYear"),
    ],
)
def test_csv_export_of_each_list(
    editor_client, model, key, count_of, django_assert_max_num_queries
):
    from django.apps import apps

    with django_assert_max_num_queries(10):
        rows = read_csv(editor_client.get(admin_url(f"{model}_export")))
    assert len(rows) == apps.get_model(count_of).objects.count()
    assert all(row[key] for row in rows)


def test_csv_export_reads_the_list_a_chunk_at_a_time(editor_client, monkeypatch):
    """Every row is written, its many-to-many values (themes) included, while no more than
    a chunk of rows is read at once."""
    from networks.admin import exports

    monkeypatch.setattr(exports, "CHUNK_SIZE", 3)
    organisations = Organisation.objects.prefetch_related("themes")
    with CaptureQueriesContext(connection) as captured:
        rows = read_csv(editor_client.get(admin_url("networks_organisation_export")))
    assert len(rows) == organisations.count() > 3 * 3
    themes = {
        o.slug_ca: "; ".join(sorted(t.slug_ca for t in o.themes.all())) for o in organisations
    }
    assert {row["slug_ca"]: row["themes"] for row in rows} == themes
    chunks = -(-len(rows) // 3)
    theme_reads = [q for q in captured if '"networks_organisation_themes"' in q["sql"]]
    assert len(theme_reads) == chunks


def test_timeline_export_has_one_row_per_action_year_and_follows_the_filters(editor_client):
    year = ScheduledYear.objects.order_by("year").first().year
    rows = read_csv(editor_client.get(admin_url("actions_scheduledyear_export"), {"year": year}))
    done = ScheduledYear.objects.filter(year=year).select_related("action__line")
    assert len(rows) == done.count() > 0
    assert {(r["action"], r["year"]) for r in rows} == {
        (sy.action.code, str(sy.year)) for sy in done
    }
    assert set(rows[0]) >= {"plan", "line", "action", "title_ca", "title_en", "year", "status"}


def test_csv_cells_cannot_run_as_formulas(editor_client):
    network = Network.objects.first()
    network.summary_en = '=HYPERLINK("http://evil.example")'
    network.save()
    rows = read_csv(editor_client.get(admin_url("networks_network_export")))
    row = next(r for r in rows if r["slug_ca"] == network.slug_ca)
    assert row["summary_en"].startswith("'=")


def test_csv_export_with_bogus_filters_is_a_clean_400(editor_client):
    response = editor_client.get(admin_url("networks_network_export"), {"nonsense__gt": "x"})
    assert response.status_code == 400


def test_csv_export_needs_the_right_to_view(client, seeded):

    client.force_login(make_staff("nobody"))
    assert client.get(admin_url("networks_network_export")).status_code == 403
