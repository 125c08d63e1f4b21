"""The admin of an entry with thousands of rows (a network's members, a line's actions) stays
usable. Its change page names how many rows there are and links to them in their own list
above an inline's ``max_rows``; its delete confirmation names the first rows that go and
counts the rest. At 100,000 organisations the biggest network's change page took 175 s and
165 MB, and its delete confirmation 17 s and 3.5 MB."""

import re
from datetime import timedelta

import pytest
from django.contrib.admin.models import ADDITION, LogEntry
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from actions.admin import ActionInline
from actions.models import Action
from networks import recovering
from networks.admin import MembershipInline, deletion, recovery
from networks.admin.long_inlines import FewOrChosenFilter
from networks.models import Membership, Network, Organisation
from tests.admin_support import admin_url
from tests.factories import (
    make_action,
    make_line,
    make_membership,
    make_network,
    make_organisations,
    make_plan,
    make_year,
)
from tests.form_scraper import read_form

pytestmark = pytest.mark.django_db


def crowd(network, number):
    """``number`` new organisations, each a member of ``network``."""
    organisations = make_organisations(number)
    Membership.objects.bulk_create(
        Membership(network=network, organisation=organisation) for organisation in organisations
    )
    return organisations


@pytest.fixture
def staff_client(client, superuser):
    client.force_login(superuser)
    return client


def change_url(obj, lang="en"):
    return admin_url(f"{obj._meta.app_label}_{obj._meta.model_name}_change", obj.pk, lang=lang)


def test_a_network_with_more_members_than_a_page_links_to_them_and_still_saves(
    staff_client, django_assert_max_num_queries
):
    network = make_network("Xarxa molt gran", "Very big network")
    crowd(network, MembershipInline.max_rows + 1)
    with django_assert_max_num_queries(25):
        response = staff_client.get(change_url(network))
    page = response.content.decode()
    assert response.status_code == 200
    assert "memberships-TOTAL_FORMS" not in page  # no form row per member
    assert f"There are {MembershipInline.max_rows + 1}: too many to edit on this page." in page
    members = admin_url("networks_membership_changelist", lang="en")
    link = f"{members}?network__id__exact={network.pk}"
    assert f'href="{link}"' in page
    listed = staff_client.get(link).content.decode()
    assert f"{MembershipInline.max_rows + 1} memberships" in listed
    add = admin_url("networks_membership_add", lang="en")
    assert f'href="{add}?network={network.pk}"' in page
    assert re.search(
        rf'<option value="{network.pk}" selected>',
        staff_client.get(f"{add}?network={network.pk}").content.decode(),
    )

    # Saving the network's own fields keeps every membership.
    form = read_form(page, "network_form")
    form["summary_en"] = "A new summary"
    assert staff_client.post(change_url(network), form).status_code == 302
    network.refresh_from_db()
    assert network.summary_en == "A new summary"
    assert network.memberships.count() == MembershipInline.max_rows + 1


def test_a_network_with_few_members_edits_them_on_its_page(staff_client):
    network = make_network("Xarxa petita", "Small network")
    make_membership(network)
    page = staff_client.get(change_url(network)).content.decode()
    assert 'name="memberships-TOTAL_FORMS" value="1"' in page
    assert "too many to edit on this page" not in page


def test_a_line_with_more_actions_than_a_page_links_to_them(staff_client):
    line = make_line(make_plan("Pla llarg", "Long plan", start_year=2024, end_year=2025), 1)
    Action.objects.bulk_create(
        Action(line=line, position=n, title_ca=f"Acció {n}", title_en=f"Action {n}")
        for n in range(1, ActionInline.max_rows + 2)
    )
    page = staff_client.get(change_url(line, lang="ca")).content.decode()
    assert "actions-TOTAL_FORMS" not in page
    assert f"N'hi ha {ActionInline.max_rows + 1}, massa per editar en aquesta pàgina." in page
    actions = admin_url("actions_action_changelist", lang="ca")
    assert f'href="{actions}?line__id__exact={line.pk}"' in page
    listed = staff_client.get(f"{actions}?line__id__exact={line.pk}")
    assert listed.context["cl"].result_count == ActionInline.max_rows + 1
    make_action(line, ActionInline.max_rows + 5)  # counted again on the next view
    page = staff_client.get(change_url(line, lang="ca")).content.decode()
    assert f"N'hi ha {ActionInline.max_rows + 2}," in page


def test_deleting_a_network_of_many_members_names_the_first_rows_and_counts_the_rest(
    staff_client, django_assert_max_num_queries
):
    network = make_network("Xarxa molt gran", "Very big network")
    members = deletion.SHOWN_ROWS + 30
    organisations = crowd(network, members)
    url = admin_url("networks_network_delete", network.pk, lang="ca")
    # One query to name each row shown (its member), none for the rows only counted; the
    # memberships are read once, for the counts and the list alike.
    with django_assert_max_num_queries(deletion.SHOWN_ROWS + 25) as queries:
        page = staff_client.get(url).content.decode()
    memberships = [q for q in queries.captured_queries if 'FROM "networks_membership"' in q["sql"]]
    assert len(memberships) == 1
    # The network, then as many of its memberships as the list shows.
    assert page.count("Pertinença: <a href=") == deletion.SHOWN_ROWS - 1
    # The network and its memberships are the rows that go (links to its themes: none).
    assert f"…i {members + 1 - deletion.SHOWN_ROWS} objectes més." in page
    assert f"Pertinences: {members}" in " ".join(page.split())
    # Confirmed, all of it goes; the members themselves stay.
    response = staff_client.post(url, {"post": "yes", "confirm_cascade": "yes"})
    assert response.status_code == 302
    assert not Membership.objects.filter(network=network).exists()
    assert Organisation.objects.filter(pk__in=[o.pk for o in organisations]).count() == members


def test_the_memberships_filter_by_network_lists_only_the_chosen_one_when_there_are_many(
    staff_client, monkeypatch
):
    """With 2,000 networks the filter listed them all on every page of memberships (150 KB).
    Past a few it shows only the network chosen, and still filters by it."""
    monkeypatch.setattr(FewOrChosenFilter, "max_choices", 2)
    network = make_network("Xarxa escollida", "Chosen network")
    crowd(network, 3)
    members = admin_url("networks_membership_changelist", lang="en")
    page = staff_client.get(members).content.decode()
    assert "?network__id__exact=" not in page
    response = staff_client.get(f"{members}?network__id__exact={network.pk}")
    assert response.context["cl"].result_count == 3
    chosen = response.content.decode()
    assert set(re.findall(r'href="\?network__id__exact=(\d+)"', chosen)) == {str(network.pk)}
    # A network that is not a number is a clear error, not a list of everything.
    bogus = staff_client.get(f"{members}?network__id__exact=abc")
    assert bogus.status_code == 302 and bogus["Location"].endswith("?e=1")


def test_a_networks_page_reads_its_members_names_with_its_rows(staff_client):
    """Each membership row's autocomplete field names the member it holds: from the row
    read with it, not with a query of its own per row (50 queries for 50 members)."""
    network = make_network("Xarxa mitjana", "Middle network")
    organisations = crowd(network, 5)

    def queries():
        with CaptureQueriesContext(connection) as captured:
            page = staff_client.get(change_url(network)).content.decode()
        return len(captured), page

    few, _page = queries()
    organisations += crowd(network, 20)
    many, page = queries()
    assert many == few
    for organisation in organisations:
        assert f'<option value="{organisation.pk}" selected>{organisation.name}</option>' in page


def test_a_save_keeps_the_rows_its_form_was_shown_with_when_the_count_crosses_the_limit(
    staff_client,
):
    """Someone adds a member while an editor has a network of 50 open: the editor's change
    to a membership row is saved, not dropped because the network now has 51. And the other
    way: a form shown without rows still saves once the count falls under the limit."""
    network = make_network("Xarxa al límit", "Network at the limit")
    crowd(network, MembershipInline.max_rows)
    page = staff_client.get(change_url(network)).content.decode()
    form = read_form(page, "network_form")
    assert form["memberships-TOTAL_FORMS"] == str(MembershipInline.max_rows)
    crowd(network, 1)  # someone else, meanwhile
    form["memberships-0-note_en"] = "Joined through the assembly"
    assert staff_client.post(change_url(network), form).status_code == 302
    first = Membership.objects.get(pk=form["memberships-0-id"])
    assert first.note_en == "Joined through the assembly"

    page = staff_client.get(change_url(network)).content.decode()
    form = read_form(page, "network_form")
    assert "memberships-TOTAL_FORMS" not in form
    network.memberships.order_by("pk").first().delete()
    network.memberships.order_by("pk").first().delete()  # now under the limit
    form["summary_en"] = "Saved all the same"
    assert staff_client.post(change_url(network), form).status_code == 302
    network.refresh_from_db()
    assert network.summary_en == "Saved all the same"


@pytest.mark.parametrize("kind", ["line", "action"])
def test_an_entrys_rows_name_it_without_a_query_each(staff_client, kind):
    """Each inline row's heading names its entry ("1.3 Action…", "1.3 — 2024 (planned)"):
    from the entry the page already has, not with a query per row (50 queries for a line of
    50 actions; two per year for an action's years)."""
    plan = make_plan("Pla de files", "Plan of rows", start_year=2000, end_year=2040)
    line = make_line(plan, 1)
    action = make_action(line, 1)
    entry = line if kind == "line" else action

    def add_rows(number):
        for _ in range(number):
            if kind == "line":
                make_action(line, line.actions.count() + 1)
            else:
                make_year(action, 2000 + action.scheduled_years.count())

    def queries():
        with CaptureQueriesContext(connection) as captured:
            page = staff_client.get(change_url(entry)).content.decode()
        return len(captured), page

    add_rows(2)
    queries()  # the first view also reads what Django keeps afterwards (content types)
    few, _page = queries()
    add_rows(10)
    many, page = queries()
    assert many == few
    if kind == "line":
        assert "1.12 Action 1.12" in page
    else:
        assert "1.1 — 2011" in page


def test_deleting_many_rows_bumps_the_content_version_once_and_again_on_commit(
    staff_client, monkeypatch, client
):
    """Each deleted row and its history record used to bump the version, four round trips
    to Redis each: 2.6 s of the 6 a network of 1,550 members took to delete. A public page
    still shows the deletion at once."""
    from networks import caching

    network = make_network("Xarxa que marxa", "Network that goes")
    crowd(network, 40)
    page = network.get_absolute_url()
    assert client.get(page).status_code == 200  # now cached
    bumps = []
    bump = caching.bump_content_version
    monkeypatch.setattr(caching, "bump_content_version", lambda: bumps.append(1) or bump())
    url = admin_url("networks_network_delete", network.pk, lang="ca")
    response = staff_client.post(url, {"post": "yes", "confirm_cascade": "yes"})
    assert response.status_code == 302
    assert len(bumps) == 1
    # The test's transaction never commits: the bump its commit would make is pending, once.
    pending = [entry for entry in connection.run_on_commit if entry[1] is caching._bump_on_commit]
    assert len(pending) == 1
    assert client.get(page).status_code == 404


def test_a_deletion_that_takes_long_is_recovered_whole(staff_client, monkeypatch):
    """Recovery finds a deletion's rows by their author and moment. Written one by one, a
    network of 25,000 members took 55 s to delete and its rows' moments spread over all of
    it: recovery brought back those within 30 s of the network's own, 13,331 of 25,000. Here
    each record written the old way would take a second."""
    import simple_history.models

    start = timezone.now()
    ticks = iter(range(10_000))

    class SlowClock:
        @staticmethod
        def now():
            return start + timedelta(seconds=next(ticks))

    monkeypatch.setattr(simple_history.models, "timezone", SlowClock)
    network = make_network("Xarxa lenta", "Slow network")
    members = recovering.SAME_DELETION.seconds + 10
    crowd(network, members)
    memberships = set(network.memberships.values_list("pk", flat=True))
    delete = admin_url("networks_network_delete", network.pk, lang="ca")
    assert staff_client.post(delete, {"post": "yes", "confirm_cascade": "yes"}).status_code == 302
    assert not Membership.objects.filter(pk__in=memberships).exists()

    record = Network.history.filter(id=network.pk, history_type="-").latest()
    restore = admin_url("networks_network_restore", record.history_id, lang="ca")
    assert staff_client.post(restore, {"with_dependents": "yes"}).status_code == 302
    assert set(Membership.objects.filter(network=network).values_list("pk", flat=True)) == (
        memberships
    )


def delete_network(staff_client, network):
    delete = admin_url("networks_network_delete", network.pk, lang="ca")
    assert staff_client.post(delete, {"post": "yes", "confirm_cascade": "yes"}).status_code == 302
    record = Network.history.filter(id=network.pk, history_type="-").latest()
    return admin_url("networks_network_restore", record.history_id, lang="ca")


def test_recovering_a_network_of_many_members_checks_and_writes_them_a_chunk_at_a_time(
    staff_client, superuser, monkeypatch
):
    """One by one, the 25,000 memberships of a network took 424 s to recover (nine queries
    each), past gunicorn's limit: it could not be recovered at all. Its confirmation named
    every one of them (216 s)."""
    monkeypatch.setattr(recovery, "SHOWN_ROWS", 5)

    def recover(number):
        network = make_network(f"Xarxa {number}", f"Network {number}")
        crowd(network, number)
        memberships = set(network.memberships.values_list("pk", flat=True))
        restore = delete_network(staff_client, network)
        page = staff_client.get(restore).content.decode()
        assert f"Pertinences: {number}" not in page  # counted in the list above it
        assert f"<li>{number} pertinences</li>" in page
        assert page.count("<li>pertinença #") == 5  # named by number: its network is gone
        assert f"…i {number - 5} objectes més." in page
        with CaptureQueriesContext(connection) as queries:
            response = staff_client.post(restore, {"with_dependents": "yes"})
        assert response.status_code == 302
        back = Membership.objects.filter(network=network)
        assert set(back.values_list("pk", flat=True)) == memberships
        for membership in back:
            latest = membership.history.latest()
            assert (latest.history_type, latest.history_user) == ("+", superuser)
            assert latest.history_change_reason == f"Recuperació juntament amb «{network.name_ca}»"
        logged = LogEntry.objects.filter(
            action_flag=ADDITION, object_id__in=[str(pk) for pk in memberships]
        )
        assert logged.count() == number
        return len(queries)

    assert recover(10) == recover(40)


def test_a_network_whose_member_is_gone_is_not_recovered_and_says_which_membership(
    staff_client,
):
    network = make_network("Xarxa orfe", "Orphan network")
    organisations = crowd(network, 12)
    restore = delete_network(staff_client, network)
    gone = organisations[7].pk
    organisations[7].delete()
    response = staff_client.post(restore, {"with_dependents": "yes"}, follow=True)
    page = response.content.decode()
    refused = Membership.history.get(organisation_id=gone, history_type="-")
    assert f"Encara no es pot recuperar «pertinença #{refused.id}»" in page
    assert not Network.objects.filter(pk=network.pk).exists()
    assert not Membership.objects.filter(network_id=network.pk).exists()
