"""An import confirmed after someone else edited one of its entries writes nothing over it."""

import pytest
from django.test import Client

from networks.models import ImportRecord, Organisation
from tests.factories import make_staff
from tests.test_imports import confirm, csv_bytes, upload

pytestmark = pytest.mark.django_db

MODEL = "networks_organisation"


@pytest.fixture
def editor_client(client, editor):
    client.force_login(editor)
    return client


@pytest.fixture
def marta(seeded):
    return make_staff("marta", is_superuser=True)


def renaming(orgs, suffix=" (nou)"):
    """A file that changes the Catalan name of each of ``orgs``."""
    rows = [["slug_ca", "name_ca", "name_en"]]
    rows += [[org.slug_ca, org.name_ca + suffix, org.name_en] for org in orgs]
    return csv_bytes(rows)


def edit_as(user, org, **values):
    """Another member of staff saving ``org`` (with history, as the admin does)."""
    org.refresh_from_db()
    for name, value in values.items():
        setattr(org, name, value)
    org._history_user = user
    org.save()


def conflicts_of(response):
    return [(c.row, c.label, c.text) for c in response.context["report"].conflicts]


def test_an_entry_edited_since_the_preview_stops_the_whole_import(editor_client, marta):
    orgs = list(Organisation.objects.order_by("pk")[:3])
    preview = upload(editor_client, MODEL, renaming(orgs), lang="en")
    assert preview.status_code == 200 and not preview.context["report"].has_errors
    edit_as(marta, orgs[1], name_ca="Nom de la Marta")

    refused = confirm(editor_client, MODEL, preview)

    assert refused.status_code == 409
    assert not ImportRecord.objects.exists()
    stored = Organisation.objects.filter(pk__in=[o.pk for o in orgs])
    names = dict(stored.values_list("pk", "name_ca"))
    # Nothing written: neither over Marta's edit nor on the rows nobody touched.
    assert names == {
        orgs[0].pk: orgs[0].name_ca,
        orgs[1].pk: "Nom de la Marta",
        orgs[2].pk: orgs[2].name_ca,
    }
    [(row, label, text)] = conflicts_of(refused)
    assert (row, label) == (3, orgs[1].slug_ca)
    assert "marta" in text
    assert str(Organisation._meta.get_field("name_ca").verbose_name) in text
    html = refused.content.decode()
    assert "import-conflicts" in html and "marta" in html
    assert 'id="import-confirm"' not in html  # the same preview cannot be confirmed again
    assert 'id="import-again"' in html


def test_preview_again_shows_the_other_edit_then_confirms(editor_client, marta):
    orgs = list(Organisation.objects.order_by("pk")[:2])
    file_name_en = orgs[0].name_en
    preview = upload(editor_client, MODEL, renaming(orgs))
    edit_as(marta, orgs[0], name_en="Marta's English name")
    refused = confirm(editor_client, MODEL, preview)
    assert refused.status_code == 409

    again = editor_client.post(
        f"{preview.wsgi_request.path}again/", {"token": preview.context["token"]}
    )
    assert again.status_code == 200
    report = again.context["report"]
    assert not report.has_errors
    # The new preview compares the file with Marta's version: her English name would go.
    changes = {r.row: r.changes for r in report.shown}
    assert ("name_en", "Marta's English name", file_name_en) in changes[2]
    assert confirm(editor_client, MODEL, again).status_code == 302
    assert ImportRecord.objects.count() == 1


def test_without_interference_the_preview_is_applied(editor_client, editor):
    orgs = list(Organisation.objects.order_by("pk")[:3])
    preview = upload(editor_client, MODEL, renaming(orgs))
    done = confirm(editor_client, MODEL, preview)
    assert done.status_code == 302
    record = ImportRecord.objects.get()
    assert (record.changed, record.user) == (3, editor)
    for org in orgs:
        org.refresh_from_db()
        assert org.name_ca.endswith(" (nou)")


def test_a_row_shown_unchanged_is_not_put_back_over_an_edit_since(editor_client, marta):
    orgs = list(Organisation.objects.order_by("pk")[:2])
    rows = [["slug_ca", "name_ca", "name_en"]]
    rows += [[orgs[0].slug_ca, orgs[0].name_ca + " (nou)", orgs[0].name_en]]
    rows += [[orgs[1].slug_ca, orgs[1].name_ca, orgs[1].name_en]]  # no change in the preview
    preview = upload(editor_client, MODEL, csv_bytes(rows))
    assert preview.context["report"].counts["unchanged"] == 1
    edit_as(marta, orgs[1], name_ca="Canviat per la Marta")
    refused = confirm(editor_client, MODEL, preview)
    assert refused.status_code == 409
    assert Organisation.objects.get(pk=orgs[1].pk).name_ca == "Canviat per la Marta"
    assert [row for row, _l, _t in conflicts_of(refused)] == [3]


def test_an_entry_deleted_since_the_preview_is_named(editor_client, marta):
    org = Organisation.objects.create(
        name_ca="Efímera", name_en="Ephemeral", slug_ca="efimera", slug_en="ephemeral"
    )
    preview = upload(editor_client, MODEL, renaming([org]), lang="en")
    org._history_user = marta
    org.delete()
    refused = confirm(editor_client, MODEL, preview)
    assert refused.status_code == 409
    [(row, label, text)] = conflicts_of(refused)
    assert (row, label) == (2, "efimera")
    assert "esborrada" in text and "marta" in text
    assert not Organisation.objects.filter(slug_ca="efimera").exists()  # not created anew


def test_an_entry_added_since_the_preview_is_not_overwritten(editor_client, marta):
    rows = [["slug_ca", "slug_en", "name_ca", "name_en"], ["nova", "new", "Nova", "New"]]
    preview = upload(editor_client, MODEL, csv_bytes(rows), lang="en")
    assert preview.context["report"].counts["created"] == 1
    theirs = Organisation(name_ca="De la Marta", name_en="Marta's", slug_ca="nova", slug_en="n2")
    theirs._history_user = marta
    theirs.save()
    refused = confirm(editor_client, MODEL, preview)
    assert refused.status_code == 409
    [(row, label, text)] = conflicts_of(refused)
    assert (row, label) == (2, "nova")
    assert "afegit" in text and "marta" in text
    theirs.refresh_from_db()
    assert theirs.name_ca == "De la Marta"
    assert not ImportRecord.objects.exists()


def test_the_refusal_reads_in_catalan(editor_client, marta):
    orgs = list(Organisation.objects.order_by("pk")[:1])
    preview = upload(editor_client, MODEL, renaming(orgs), lang="ca")
    edit_as(marta, orgs[0], name_ca="Un altre nom")
    refused = confirm(editor_client, MODEL, preview)
    html = refused.content.decode()
    assert "No s'ha importat res" in html
    assert "des de la vostra previsualització" in conflicts_of(refused)[0][2]


@pytest.mark.parametrize("interfere", [False, True])
def test_confirm_queries_do_not_grow_with_rows(
    editor_client, marta, interfere, monkeypatch, django_assert_max_num_queries
):
    # Conflicts are described (a few queries each) up to a bound: make both sizes exceed it.
    monkeypatch.setattr("networks.imports.reports.CONFLICTS_SHOWN", 2)
    orgs = list(Organisation.objects.order_by("pk")[:20])
    assert len(orgs) == 20
    for size in (3, 20):
        preview = upload(editor_client, MODEL, renaming(orgs[:size], suffix=f" {size}"))
        if interfere:
            for org in orgs[:size]:
                edit_as(marta, org, name_en=org.name_en + " (M)")
        with django_assert_max_num_queries(25):
            response = confirm(editor_client, MODEL, preview)
        assert response.status_code == (409 if interfere else 302)


def test_the_command_has_no_preview_to_compare_with(tmp_path, editor):
    from django.core.management import call_command

    org = Organisation.objects.order_by("pk").first()
    path = tmp_path / "orgs.csv"
    path.write_bytes(renaming([org]))
    call_command("import_data", "organisation", str(path), "--user", editor.username)
    org.refresh_from_db()
    assert org.name_ca.endswith(" (nou)")


def test_another_session_cannot_confirm_or_preview_again_with_the_token(editor_client, marta):
    preview = upload(editor_client, MODEL, renaming(Organisation.objects.order_by("pk")[:1]))
    other = Client()
    other.force_login(marta)
    again = other.post(f"{preview.wsgi_request.path}again/", {"token": preview.context["token"]})
    assert again.status_code == 400
    assert not ImportRecord.objects.exists()


def test_an_edit_undone_before_the_confirmation_is_no_conflict(editor_client, marta):
    org = Organisation.objects.order_by("pk").first()
    original = org.name_ca
    preview = upload(editor_client, MODEL, renaming([org]))
    edit_as(marta, org, name_ca="Provisional")
    edit_as(marta, org, name_ca=original)
    assert confirm(editor_client, MODEL, preview).status_code == 302
    org.refresh_from_db()
    assert org.name_ca == original + " (nou)"


def test_notes_cut_short_ask_for_a_new_upload(editor_client, settings, tmp_path):
    settings.XMESS_IMPORT_DIR = tmp_path
    org = Organisation.objects.order_by("pk").first()
    preview = upload(editor_client, MODEL, renaming([org]))
    notes = tmp_path / f"{preview.context['token']}.versions"
    notes.write_text(notes.read_text()[:10])
    response = confirm(editor_client, MODEL, preview)
    assert response.status_code == 400
    assert not ImportRecord.objects.exists()
