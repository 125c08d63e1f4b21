"""No lost updates: two members of staff editing the same entry keep both their work."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation
from django.utils.html import escape

from networks.admin.versions import VERSION_FIELD
from networks.models import Membership, Network, Organisation
from networks.versions import StaleVersion, check_version, version_token, version_tokens
from tests.admin_support import admin_url
from tests.factories import make_membership, make_network, make_staff
from tests.form_scraper import read_form

pytestmark = pytest.mark.django_db


@pytest.fixture
def network(seeded):
    network = make_network(
        "Xarxa de prova",
        "Test network",
        slug_ca="xarxa-prova",
        slug_en="test-net",
        summary_ca="Resum",
        summary_en="Summary",
    )
    make_membership(network, Organisation.objects.first())
    return network


@pytest.fixture
def ana(client, seeded):
    client.force_login(make_staff("ana", is_superuser=True))
    return client


@pytest.fixture
def biel(seeded, django_user_model):
    from django.test import Client

    other = Client()
    other.force_login(make_staff("biel", is_superuser=True))
    return other


def open_form(client, url, lang="en"):
    with translation.override(lang):
        response = client.get(url)
    assert response.status_code == 200
    form_id = f"{response.context['opts'].model_name}_form"
    return read_form(response.content.decode(), form_id)


def change_url(obj, lang="en"):
    meta = obj._meta
    return admin_url(f"{meta.app_label}_{meta.model_name}_change", obj.pk, lang=lang)


def test_the_change_form_carries_a_version_token(ana, network):
    form = open_form(ana, change_url(network))
    assert form[VERSION_FIELD] == version_token(network)
    assert form[f"memberships-0-{VERSION_FIELD}"] == version_token(network.memberships.get())


def test_two_editors_changing_different_fields_keep_both_changes(ana, biel, network):
    url = change_url(network)
    ana_form, biel_form = open_form(ana, url), open_form(biel, url)

    ana_form["description_en"] = "Ana's description"
    assert ana.post(url, ana_form).status_code == 302

    biel_form["summary_ca"] = "El resum d'en Biel"
    response = biel.post(url, biel_form)
    # Refused: nothing of Biel's is written, Ana's change is intact.
    assert response.status_code == 200
    network.refresh_from_db()
    assert network.description_en == "Ana's description"
    assert network.summary_ca == "Resum"
    page = response.content.decode()
    assert "Since you opened it, this entry was changed." in page
    assert "ana changed, on" in page
    assert "description [en]" in page
    assert "Nothing was saved." in page
    # The form came back with Biel's input and Ana's change taken in.
    returned = read_form(page, "network_form")
    assert returned["summary_ca"] == "El resum d'en Biel"
    assert returned["description_en"] == "Ana's description"
    assert returned[VERSION_FIELD] == version_token(network)

    assert biel.post(url, returned).status_code == 302
    network.refresh_from_db()
    assert network.description_en == "Ana's description"
    assert network.summary_ca == "El resum d'en Biel"


def test_the_same_field_changed_by_both_keeps_the_second_editors_input_marked(ana, biel, network):
    url = change_url(network)
    ana_form, biel_form = open_form(ana, url), open_form(biel, url)
    ana_form["summary_en"] = "Ana's summary"
    assert ana.post(url, ana_form).status_code == 302
    biel_form["summary_en"] = "Biel's summary"
    response = biel.post(url, biel_form)
    assert response.status_code == 200
    assert Network.objects.get(pk=network.pk).summary_en == "Ana's summary"
    returned = read_form(response.content.decode(), "network_form")
    assert returned["summary_en"] == "Biel's summary"
    assert "Changed since you opened the form, to: Ana&#x27;s summary." in (
        response.content.decode()
    )
    # Biel decides, having read it: his version goes in.
    assert biel.post(url, returned).status_code == 302
    assert Network.objects.get(pk=network.pk).summary_en == "Biel's summary"


def test_two_editors_changing_the_same_inline_row_keep_both_changes(ana, biel, network):
    url = change_url(network)
    ana_form, biel_form = open_form(ana, url), open_form(biel, url)
    ana_form["memberships-0-note_en"] = "Ana's note"
    assert ana.post(url, ana_form).status_code == 302
    biel_form["memberships-0-start_year"] = "2019"
    response = biel.post(url, biel_form)
    assert response.status_code == 200
    membership = Membership.objects.get(network=network)
    assert (membership.note_en, membership.start_year) == ("Ana's note", None)
    page = response.content.decode()
    assert "note [en]" in page
    returned = read_form(page, "network_form")
    assert returned["memberships-0-note_en"] == "Ana's note"
    assert returned["memberships-0-start_year"] == "2019"
    assert biel.post(url, returned).status_code == 302
    membership.refresh_from_db()
    assert (membership.note_en, membership.start_year) == ("Ana's note", 2019)


def test_a_change_without_history_is_still_caught(ana, network):
    url = change_url(network)
    form = open_form(ana, url)
    Network.objects.filter(pk=network.pk).update(acronym="XP")  # no history record
    form["summary_en"] = "Mine"
    response = ana.post(url, form)
    assert response.status_code == 200
    assert Network.objects.get(pk=network.pk).summary_en == "Summary"
    returned = read_form(response.content.decode(), "network_form")
    assert returned["acronym"] == "XP"


def test_the_message_is_in_catalan_in_the_catalan_admin(ana, biel, network):
    url = change_url(network, "ca")
    ana_form, biel_form = open_form(ana, url, "ca"), open_form(biel, url, "ca")
    ana_form["summary_en"] = "Ana's summary"
    assert ana.post(url, ana_form).status_code == 302
    response = biel.post(url, biel_form)
    page = response.content.decode()
    assert escape("Des que l'heu oberta, aquesta entrada ha canviat. ana ha canviat, el") in page
    assert escape("No s'ha desat res.") in page
    assert "Nothing was saved" not in page


def test_a_stale_revert_is_refused(ana, biel, network):
    record = network.history.earliest()
    with translation.override("en"):
        revert_url = admin_url("networks_network_simple_history", network.pk, record.history_id)
    revert_form = open_form(biel, revert_url)
    url = change_url(network)
    ana_form = open_form(ana, url)
    ana_form["description_en"] = "Written after the revert page was opened"
    assert ana.post(url, ana_form).status_code == 302
    response = biel.post(revert_url, revert_form)
    assert response.status_code == 200
    network.refresh_from_db()
    assert network.description_en == "Written after the revert page was opened"


def test_check_version_for_imports(network):
    token = version_token(network)
    check_version(network, token)  # current: no error
    network.summary_en = "Changed elsewhere"
    network.save()
    with translation.override("en"), pytest.raises(StaleVersion) as raised:
        check_version(network, token)
    assert "summary [en]" in str(raised.value)
    assert raised.value.staleness.current["summary_en"] == "Changed elsewhere"


def test_tokens_read_in_bulk_match_one_by_one(seeded):
    from actions.models import Action

    actions = list(Action.objects.filter(networks__isnull=False)[:5])
    tokens = version_tokens(Action, [action.pk for action in actions])
    assert tokens == {action.pk: version_token(action) for action in actions}


def test_an_inlines_tokens_take_a_fixed_number_of_queries_whatever_its_rows(ana, network):
    def history_queries():
        with CaptureQueriesContext(connection) as captured:
            open_form(ana, change_url(network))
        return [q for q in captured.captured_queries if "historicalmembership" in q["sql"]]

    one_row = history_queries()
    others = Organisation.objects.exclude(memberships__network=network)[:5]
    for organisation in others:
        Membership.objects.create(network=network, organisation=organisation)
    assert len(history_queries()) == len(one_row) == 1
