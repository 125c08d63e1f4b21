"""Every change is recorded with its author, can be reverted, and deleted entries come back."""

import pytest
from django.utils import translation
from django.utils.html import escape

from networks.models import Membership, Municipality, Network, Organisation, Theme
from tests.admin_support import admin_url
from tests.factories import make_membership, make_network, make_staff

pytestmark = pytest.mark.django_db


def network_form_data(network, **changes):
    """The change form's data for a network, as the browser would send it."""
    data = {
        "name_ca": network.name_ca,
        "name_en": network.name_en,
        "slug_ca": network.slug_ca,
        "slug_en": network.slug_en,
        "acronym": network.acronym,
        "kind": network.kind,
        "scope": network.scope,
        "summary_ca": network.summary_ca or "",
        "summary_en": network.summary_en or "",
        "description_ca": network.description_ca or "",
        "description_en": network.description_en or "",
        "website": network.website,
        "social_handle": network.social_handle,
        "founded_on": network.founded_on.isoformat() if network.founded_on else "",
        "parent": network.parent_id or "",
        "host": network.host_id or "",
        "themes": [theme.pk for theme in network.themes.all()],
    }
    for prefix, related in (
        ("strategic_lines", network.strategic_lines.all()),
        ("memberships", network.memberships.all()),
        ("fundings", network.fundings.all()),
    ):
        rows = list(related)
        data[f"{prefix}-TOTAL_FORMS"] = len(rows)
        data[f"{prefix}-INITIAL_FORMS"] = len(rows)
        for index, row in enumerate(rows):
            data[f"{prefix}-{index}-id"] = row.pk
            data[f"{prefix}-{index}-network"] = network.pk
            for field in row._meta.concrete_fields:
                if field.name in {"id", "network"} or not field.editable:
                    continue
                value = getattr(row, field.attname)
                if field.name in {"note", "title", "description", "project"}:
                    continue  # the language columns carry these
                data[f"{prefix}-{index}-{field.attname.removesuffix('_id')}"] = (
                    "" if value is None else value
                )
    data.update(changes)
    return data


@pytest.fixture
def xmess(seeded):
    return Network.objects.get(slug_ca="xmess")


@pytest.fixture
def small_network(seeded):
    """A network nothing protects, with two themes and two memberships."""
    network = make_network("Xarxa de prova", "Test network")
    network.themes.set(Theme.objects.order_by("pk")[:2])
    make_membership(network, Organisation.objects.first())
    make_membership(network, Municipality.objects.get(name="Sabadell"), start_year=2020)
    return network


def test_a_change_is_recorded_per_field_in_both_languages_with_its_author(client, xmess, editor):
    client.force_login(editor)
    old_en = xmess.summary_en
    data = network_form_data(xmess, summary_ca="Resum nou", summary_en="New summary")
    response = client.post(admin_url("networks_network_change", xmess.pk), data)
    assert response.status_code == 302, response.context["errors"] if response.context else ""
    record = xmess.history.filter(summary_en="New summary").latest()
    assert record.history_user == editor
    assert record.history_type == "~"
    delta = record.diff_against(record.prev_record)
    assert {"summary_ca", "summary_en"} <= set(delta.changed_fields)
    history = client.get(admin_url("networks_network_history", xmess.pk)).content.decode()
    assert "New summary" in history and escape(old_en) in history
    assert "editor" in history


def test_a_change_can_be_reverted_with_its_links(client, xmess, editor):
    client.force_login(editor)
    before = xmess.history.latest()
    old = (xmess.name_ca, xmess.name_en, set(xmess.themes.all()))
    extra_theme = Theme.objects.exclude(pk__in=xmess.themes.all()).first()
    data = network_form_data(
        xmess,
        name_ca="Nom canviat",
        name_en="Changed name",
        themes=[extra_theme.pk],
    )
    assert client.post(admin_url("networks_network_change", xmess.pk), data).status_code == 302
    xmess.refresh_from_db()
    assert xmess.name_en == "Changed name"

    # The revert page shows the old version, links included, ready to save.
    url = admin_url("networks_network_simple_history", xmess.pk, before.history_id)
    page = client.get(url)
    assert page.status_code == 200
    form = page.context["adminform"].form
    assert form.initial["name_en"] == old[1]
    assert set(form.initial["themes"]) == {theme.pk for theme in old[2]}
    revert = network_form_data(xmess, name_ca=old[0], name_en=old[1])
    revert["themes"] = form.initial["themes"]
    assert client.post(url, revert).status_code == 302
    xmess.refresh_from_db()
    assert (xmess.name_ca, xmess.name_en, set(xmess.themes.all())) == old
    latest = xmess.history.latest()
    with translation.override("ca"):
        reverted = translation.gettext("Reverted to the version of %(date)s").split("%")[0]
    assert latest.history_change_reason.startswith(reverted)
    assert latest.history_user == editor


def test_revert_needs_the_right_to_change(client, xmess):
    viewer = make_staff("viewer")
    from django.contrib.auth.models import Permission

    viewer.user_permissions.add(Permission.objects.get(codename="view_network"))
    client.force_login(viewer)
    before = xmess.history.latest()
    url = admin_url("networks_network_simple_history", xmess.pk, before.history_id)
    assert client.get(url).status_code == 200  # looking is allowed
    data = network_form_data(xmess, name_en="Vandalised")
    assert client.post(url, data).status_code == 403
    xmess.refresh_from_db()
    assert xmess.name_en != "Vandalised"


def test_deleting_a_network_with_memberships_needs_an_explicit_confirmation(
    client, small_network, editor
):
    network = small_network
    memberships = network.memberships.count()
    client.force_login(editor)
    url = admin_url("networks_network_delete", network.pk)
    page = client.get(url).content.decode()
    assert 'name="confirm_cascade"' in page
    assert f"{memberships}</li>" in page  # how many memberships go with it
    response = client.post(url, {"post": "yes"})
    assert response.status_code == 200
    assert 'id="confirm-cascade-error"' in response.content.decode()
    assert Network.objects.filter(pk=network.pk).exists()
    assert network.memberships.count() == memberships


def recover_network_with_memberships(client, network):
    """Delete a network (confirmed) and return it, its pk and its memberships' pks."""
    membership_pks = set(network.memberships.values_list("pk", flat=True))
    themes = set(network.themes.values_list("pk", flat=True))
    response = client.post(
        admin_url("networks_network_delete", network.pk), {"post": "yes", "confirm_cascade": "yes"}
    )
    assert response.status_code == 302
    assert not Network.objects.filter(pk=network.pk).exists()
    return membership_pks, themes


def test_a_deleted_network_and_its_memberships_can_be_recovered(client, small_network, editor):
    network = small_network
    client.force_login(editor)
    membership_pks, theme_pks = recover_network_with_memberships(client, network)
    assert not Membership.objects.filter(pk__in=membership_pks).exists()

    deleted = client.get(admin_url("networks_network_deleted")).content.decode()
    assert escape(network.name) in deleted
    record = Network.history.filter(id=network.pk, history_type="-").latest()
    # Recovery is a POST: a link followed by a crawler only sees what it would do.
    restore = admin_url("networks_network_restore", record.history_id)
    assert client.get(restore).status_code == 200
    assert not Network.objects.filter(pk=network.pk).exists()

    # A membership cannot come back before its network.
    membership_record = Membership.history.filter(id__in=membership_pks, history_type="-").first()
    response = client.post(
        admin_url("networks_membership_restore", membership_record.history_id), follow=True
    )
    assert not Membership.objects.filter(pk=membership_record.id).exists()
    assert response.status_code == 200
    assert "Encara no es pot recuperar" in response.content.decode()

    assert client.post(restore).status_code == 302
    recovered = Network.objects.get(pk=network.pk)
    assert (recovered.name_ca, recovered.name_en) == (network.name_ca, network.name_en)
    assert set(recovered.themes.values_list("pk", flat=True)) == theme_pks
    with translation.override("ca"):
        reason = translation.gettext("Recovered after deletion")
    assert recovered.history.latest().history_change_reason == reason
    assert recovered.history.latest().history_user == editor

    for record in Membership.history.filter(id__in=membership_pks, history_type="-"):
        response = client.post(admin_url("networks_membership_restore", record.history_id))
        assert response.status_code == 302
    assert set(recovered.memberships.values_list("pk", flat=True)) == membership_pks
    after = client.get(admin_url("networks_network_deleted")).content.decode()
    assert f'<th scope="row">{escape(network.name)}</th>' not in after


def test_municipal_editors_cannot_recover(client, seeded, barcelona_editor):
    client.force_login(barcelona_editor)
    assert client.get(admin_url("networks_membership_deleted")).status_code == 403


def test_recovering_a_network_offers_its_memberships_and_brings_them_back_in_one_step(
    client, small_network, editor
):
    network = small_network
    client.force_login(editor)
    membership_pks, theme_pks = recover_network_with_memberships(client, network)
    record = Network.history.filter(id=network.pk, history_type="-").latest()
    restore = admin_url("networks_network_restore", record.history_id)

    page = client.get(restore).content.decode()
    assert "Esborrat amb aquesta entrada" in page
    assert f"<li>{len(membership_pks)} pertinences</li>" in page
    assert 'name="with_dependents" value="yes" id="id_with_dependents" checked' in page

    response = client.post(restore, {"with_dependents": "yes"})
    assert response.status_code == 302
    recovered = Network.objects.get(pk=network.pk)
    assert set(recovered.memberships.values_list("pk", flat=True)) == membership_pks
    assert set(recovered.themes.values_list("pk", flat=True)) == theme_pks
    # Each recovered membership's history says it came back with its network, and who did it.
    with translation.override("ca"):
        reason = translation.gettext("Recovered with “%(entry)s”") % {"entry": recovered}
    for pk in membership_pks:
        latest = Membership.history.filter(id=pk).latest()
        assert (latest.history_type, latest.history_change_reason) == ("+", reason)
        assert latest.history_user == editor
    # Nothing is left to recover.
    after = client.get(admin_url("networks_membership_deleted")).content.decode()
    assert "No s'ha esborrat res." in after


def test_recovering_without_what_was_deleted_with_it_is_a_choice(client, small_network, editor):
    network = small_network
    client.force_login(editor)
    membership_pks, _themes = recover_network_with_memberships(client, network)
    record = Network.history.filter(id=network.pk, history_type="-").latest()
    response = client.post(admin_url("networks_network_restore", record.history_id))
    assert response.status_code == 302
    assert Network.objects.filter(pk=network.pk).exists()
    assert not Membership.objects.filter(pk__in=membership_pks).exists()


def test_recovering_a_line_brings_back_its_actions_their_years_and_links(client, superuser):
    from actions.models import Action, Line, ScheduledYear

    line = Line.objects.filter(actions__networks__isnull=False).distinct().first()
    actions = {a.pk: set(a.networks.values_list("pk", flat=True)) for a in line.actions.all()}
    years = set(ScheduledYear.objects.filter(action__line=line).values_list("pk", "status"))
    assert actions and years
    client.force_login(superuser)
    response = client.post(
        admin_url("actions_line_delete", line.pk), {"post": "yes", "confirm_cascade": "yes"}
    )
    assert response.status_code == 302
    assert not Action.objects.filter(pk__in=actions).exists()
    record = Line.history.filter(id=line.pk, history_type="-").latest()
    restore = admin_url("actions_line_restore", record.history_id)
    page = client.get(restore).content.decode()
    assert f"<li>{len(actions)} accions</li>" in page
    assert f"<li>{len(years)} anys programats</li>" in page
    assert client.post(restore, {"with_dependents": "yes"}).status_code == 302
    recovered = Line.objects.get(pk=line.pk)
    links = {a.pk: set(a.networks.values_list("pk", flat=True)) for a in recovered.actions.all()}
    assert links == actions
    assert set(ScheduledYear.objects.filter(action__line=line).values_list("pk", "status")) == (
        years
    )
