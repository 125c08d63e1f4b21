"""Who may do what in the admin: editors, municipal editors, superusers."""

import logging

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils.html import escape

from actions.models import Plan, ScheduledYear
from networks.models import Event, Membership, Municipality, Network
from tests.admin_support import admin_url
from tests.factories import PASSWORD, make_action, make_line, make_plan, make_year
from tests.form_scraper import read_form

pytestmark = pytest.mark.django_db


def test_groups_come_from_the_migration():
    from django.contrib.auth.models import Group

    editors = Group.objects.get(name="Editors")
    municipal = Group.objects.get(name="Municipal editors")
    codenames = set(editors.permissions.values_list("codename", flat=True))
    assert {"add_network", "change_network", "delete_network", "change_plan"} <= codenames
    assert "delete_plan" not in codenames
    assert not codenames & {"add_user", "change_user", "change_group", "change_editorprofile"}
    municipal_codenames = set(municipal.permissions.values_list("codename", flat=True))
    assert "change_scheduledyear" in municipal_codenames
    assert "change_network" not in municipal_codenames


def test_editor_cannot_delete_a_plan(client, seeded, editor):
    client.force_login(editor)
    plan = Plan.objects.order_by("pk").first()
    change = client.get(admin_url("actions_plan_change", plan.pk)).content.decode()
    assert admin_url("actions_plan_delete", plan.pk) not in change
    url = admin_url("actions_plan_delete", plan.pk)
    assert client.get(url).status_code == 403
    assert client.post(url, {"post": "yes", "confirm_cascade": "yes"}).status_code == 403
    assert Plan.objects.filter(pk=plan.pk).exists()


def test_editor_can_change_a_plan(client, seeded, editor):
    client.force_login(editor)
    plan = Plan.objects.order_by("pk").first()
    assert client.get(admin_url("actions_plan_change", plan.pk)).status_code == 200


@pytest.mark.parametrize("name", ["auth_user_changelist", "auth_user_add", "auth_group_changelist"])
def test_editor_cannot_manage_accounts(client, seeded, editor, name):
    client.force_login(editor)
    assert client.get(admin_url(name)).status_code == 403
    index = client.get(admin_url("index")).content.decode()
    assert admin_url("auth_user_changelist") not in index


def test_editor_cannot_make_themselves_a_superuser(client, seeded, editor):
    client.force_login(editor)
    response = client.post(
        admin_url("auth_user_change", editor.pk), {"username": "editor", "is_superuser": "on"}
    )
    assert response.status_code == 403
    editor.refresh_from_db()
    assert not editor.is_superuser


def test_superuser_manages_accounts(client, seeded, superuser):
    client.force_login(superuser)
    assert client.get(admin_url("auth_user_changelist")).status_code == 200
    assert client.get(admin_url("networks_editorprofile_add")).status_code == 200


# --- Municipal editors -----------------------------------------------------------------------


def barcelona_year():
    return ScheduledYear.objects.filter(action__line__plan__municipality__name="Barcelona").first()


def test_municipal_editor_sees_only_their_own_entries(client, seeded, sabadell_editor):
    client.force_login(sabadell_editor)
    html = client.get(admin_url("networks_membership_changelist")).content.decode()
    own = Membership.objects.filter(municipality__name="Sabadell")
    assert own.exists()
    assert escape(str(own.first().network)) in html
    assert "Barcelona" not in html
    # Both plans are Barcelona's: Sabadell's timeline is empty.
    timeline = client.get(admin_url("actions_scheduledyear_changelist")).content.decode()
    assert barcelona_year().action.code not in timeline


def test_municipal_editor_cannot_change_another_municipalitys_year_by_url(
    client, seeded, sabadell_editor, caplog
):
    year = barcelona_year()
    client.force_login(sabadell_editor)
    url = admin_url("actions_scheduledyear_change", year.pk)
    with caplog.at_level(logging.WARNING, logger="xmess.security"):
        assert client.get(url).status_code == 403
        response = client.post(url, {"status": "done", "note_ca": "hack", "note_en": "hack"})
    assert response.status_code == 403
    year.refresh_from_db()
    assert year.note_ca != "hack"
    assert any("permission denied" in r.message and "sbd" in r.message for r in caplog.records)
    assert client.get(admin_url("actions_scheduledyear_history", year.pk)).status_code == 403


def test_municipal_editor_changes_the_status_of_their_own_year(client, seeded, barcelona_editor):
    year = barcelona_year()
    original_year = year.year
    new_status = "done" if year.status != "done" else "not_done"
    client.force_login(barcelona_editor)
    url = admin_url("actions_scheduledyear_change", year.pk)
    page = client.get(url).content.decode()
    assert 'name="status"' in page
    assert 'name="year"' not in page  # the year and the action are read-only for them
    response = client.post(
        url,
        {"status": new_status, "note_ca": "Fet", "note_en": "Done", "year": 1999},
    )
    assert response.status_code == 302
    year.refresh_from_db()
    assert (year.status, year.note_en, year.year) == (new_status, "Done", original_year)
    assert year.history.latest().history_user == barcelona_editor


@pytest.mark.parametrize("model", ["membership", "event"])
def test_municipal_editor_cannot_change_another_municipalitys_entry(
    client, seeded, sabadell_editor, model
):
    queryset = Membership.objects if model == "membership" else Event.objects
    other = queryset.filter(municipality__name="Barcelona").first()
    client.force_login(sabadell_editor)
    assert client.get(admin_url(f"networks_{model}_change", other.pk)).status_code == 403
    assert client.post(admin_url(f"networks_{model}_change", other.pk), {}).status_code == 403


def test_municipal_editor_cannot_change_networks_or_delete(client, seeded, sabadell_editor):
    client.force_login(sabadell_editor)
    network = Network.objects.get(slug_ca="xmess")
    page = client.get(admin_url("networks_network_change", network.pk))
    assert page.status_code == 200  # they may look
    assert b'name="_save"' not in page.content
    assert client.post(admin_url("networks_network_change", network.pk), {}).status_code == 403
    own = Membership.objects.filter(municipality__name="Sabadell").first()
    assert client.get(admin_url("networks_membership_delete", own.pk)).status_code == 403


def test_municipal_editor_adds_a_membership_for_their_own_municipality(
    client, seeded, sabadell_editor
):
    network = Network.objects.exclude(memberships__municipality__name="Sabadell").first()
    client.force_login(sabadell_editor)
    data = {
        "network": network.pk,
        "role": "member",
        "start_year": 2024,
        "end_year": "",
        "note_ca": "",
        "note_en": "",
        # A municipal editor cannot choose another municipality or an organisation.
        "municipality": Municipality.objects.get(name="Girona").pk,
    }
    response = client.post(admin_url("networks_membership_add"), data)
    assert response.status_code == 302, response.content.decode()[:2000]
    membership = Membership.objects.get(network=network, start_year=2024)
    assert membership.municipality.name == "Sabadell"
    # The same membership again is refused on the form, not by the database.
    response = client.post(admin_url("networks_membership_add"), data)
    assert response.status_code == 200
    assert "Aquest municipi ja té aquest paper en aquesta xarxa." in response.content.decode()
    assert Membership.objects.filter(network=network, start_year=2024).count() == 1


def test_logins_and_failures_are_logged(client, seeded, editor, caplog):
    with caplog.at_level(logging.INFO, logger="xmess.security"):
        client.post(admin_url("login"), {"username": "editor", "password": "wrong"})
        client.post(admin_url("login"), {"username": "editor", "password": PASSWORD})
    messages = [r.message for r in caplog.records if r.name == "xmess.security"]
    assert any(m.startswith("login failed user='editor'") for m in messages)
    assert any(m.startswith("login user='editor'") for m in messages)


def test_repeated_failed_logins_lock_the_account(client, seeded, editor, settings):
    url = admin_url("login")
    first = client.post(url, {"username": "editor", "password": "wrong"})
    assert first.status_code == 200  # the form again, with an error
    for _attempt in range(settings.AXES_FAILURE_LIMIT - 1):
        client.post(url, {"username": "editor", "password": "wrong"})
    # Even the right password is refused while the lock lasts.
    response = client.post(url, {"username": "editor", "password": PASSWORD})
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session
    assert client.get(admin_url("index")).status_code == 302  # still sent to the login page


def test_municipal_editor_sets_many_statuses_at_once_in_the_timeline_list(
    client, seeded, barcelona_editor
):
    """The timeline's list edits every year's status of a page in one save. The page reads
    whether each row is the editor's once for all of them, not with a query per row: a
    municipality with hundreds of actions would otherwise pay two per row and save."""
    plan = make_plan(
        "Pla del barri",
        "Neighbourhood plan",
        municipality=barcelona_editor.editor_profile.municipality,
    )
    line = make_line(plan, 1)

    def add_years(number):
        for _ in range(number):
            make_year(make_action(line, line.actions.count() + 1), plan.start_year)

    client.force_login(barcelona_editor)
    url = (
        admin_url("actions_scheduledyear_changelist") + f"?action__line__plan__id__exact={plan.pk}"
    )

    def queries():
        with CaptureQueriesContext(connection) as captured:
            page = client.get(url).content.decode()
        return len(captured), page

    add_years(2)
    queries()  # the first view also reads what Django keeps afterwards
    few, _page = queries()
    add_years(10)
    many, page = queries()
    assert many == few

    form = read_form(page, "changelist-form")
    rows = [key for key in form if key.endswith("-status")]
    assert len(rows) == 12
    for key in rows:
        form[key] = "done"
    form["_save"] = "Save"
    response = client.post(url, form)
    assert response.status_code == 302
    shown = [form[key.replace("-status", "-id")] for key in rows]
    changed = ScheduledYear.objects.filter(pk__in=shown)
    assert set(changed.values_list("status", flat=True)) == {"done"}
    assert len(shown) == 12
    assert changed.get(action__position=12).history.latest().history_user == barcelona_editor
