"""Bulk import: preview, all or nothing, history, permissions, round trip, undo, bad files."""

import csv
import io

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from openpyxl import Workbook

from actions.models import ScheduledYear
from networks.models import ImportRecord, Membership, Municipality, Network, Organisation, Theme
from tests.admin_support import admin_url

pytestmark = pytest.mark.django_db

HEADER = ["name_ca", "name_en", "slug_ca", "slug_en", "kind", "municipality", "themes"]


def csv_bytes(rows, delimiter=",", bom=True):
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=delimiter).writerows(rows)
    return (("\ufeff" if bom else "") + buffer.getvalue()).encode("utf-8")


def upload(client, model, content, name="file.csv", lang="ca"):
    file = io.BytesIO(content)
    file.name = name
    return client.post(admin_url(f"{model}_import", lang=lang), {"file": file})


def confirm(client, model, response):
    return client.post(admin_url(f"{model}_import_confirm"), {"token": response.context["token"]})


@pytest.fixture
def root_client(client, superuser):
    client.force_login(superuser)
    return client


@pytest.fixture
def editor_client(client, editor):
    client.force_login(editor)
    return client


def good_rows():
    theme = Theme.objects.order_by("pk").first()
    ine = Municipality.objects.get(name="Sabadell").ine_code
    return [
        list(HEADER),  # a copy: tests add columns to it
        ["Coop Nova", "New Coop", "coop-nova", "new-coop", "cooperative", ine, theme.slug_ca],
        ["Associació Veïna", "Neighbours", "associacio-veina", "neighbours", "association", "", ""],
    ]


def test_mixed_rows_name_each_bad_row_and_column_and_write_nothing(editor_client):
    rows = good_rows()
    rows.append(["Coop Mala", "Bad Coop", "coop-mala", "bad-coop", "cooperative", "99999", ""])
    rows.append(["Sense anglès", "", "sense-angles", "no-english", "nonsense", "", ""])
    before = Organisation.objects.count()
    response = upload(editor_client, "networks_organisation", csv_bytes(rows))
    assert response.status_code == 200
    report = response.context["report"]
    errors = {(r.row, column): message for r in report.errors_shown for column, message in r.errors}
    assert "99999" in errors[(4, "municipality")]
    assert "no existeix" in errors[(4, "municipality")]  # in the editor's language
    assert (5, "kind") in errors
    assert (5, "name_en") in errors
    html = response.content.decode()
    assert "Fila 4, municipality:" in html
    assert "import-confirm" not in html
    assert Organisation.objects.count() == before


def test_fixed_file_imports_and_database_and_history_match_row_for_row(editor_client, editor):
    rows = good_rows()
    response = upload(editor_client, "networks_organisation", csv_bytes(rows), name="coops.csv")
    assert response.status_code == 200
    assert not Organisation.objects.filter(slug_ca="coop-nova").exists()  # preview wrote nothing
    done = confirm(editor_client, "networks_organisation", response)
    assert done.status_code == 302
    record = ImportRecord.objects.get()
    assert (record.created, record.changed, record.user) == (2, 0, editor)
    for row in rows[1:]:
        org = Organisation.objects.get(slug_ca=row[2])
        assert [org.name_ca, org.name_en, org.slug_en, org.kind] == [row[0], row[1], row[3], row[4]]
        assert (org.municipality.ine_code if org.municipality else "") == row[5]
        assert ";".join(t.slug_ca for t in org.themes.all()) == row[6]
        history = list(org.history.all())
        assert len(history) == 1
        assert history[0].history_user == editor
        assert history[0].history_type == "+"
        assert "coops.csv" in history[0].history_change_reason
        assert [t.theme.slug_ca for t in history[0].themes.all()] == ([row[6]] if row[6] else [])


def test_changes_are_shown_field_by_field(editor_client):
    org = Organisation.objects.order_by("pk").first()
    rows = [["slug_ca", "name_ca", "name_en"], [org.slug_ca, "Nom nou", org.name_en]]
    response = upload(editor_client, "networks_organisation", csv_bytes(rows))
    report = response.context["report"]
    assert report.file_errors == [] and report.errors_shown == [], (
        report.file_errors,
        [r.errors for r in report.errors_shown],
    )
    [result] = report.shown
    assert result.outcome == "changed"
    assert result.changes == [("name_ca", org.name_ca, "Nom nou")]


def test_duplicate_keys_within_a_file(editor_client):
    rows = good_rows()
    rows.append(rows[1])
    response = upload(editor_client, "networks_organisation", csv_bytes(rows))
    [error] = response.context["report"].errors_shown
    assert error.row == 4
    assert error.errors[0][0] == "slug_ca"
    assert "2" in error.errors[0][1]


def test_one_language_only_is_refused(editor_client):
    org = Organisation.objects.exclude(description_en="").first()
    rows = [["slug_ca", "description_ca", "description_en"], [org.slug_ca, "Nova", ""]]
    response = upload(editor_client, "networks_organisation", csv_bytes(rows))
    [error] = response.context["report"].errors_shown
    assert error.errors[0][0] == "description_en"
    # A file with one language's column only is refused before any row is read.
    rows = [["slug_ca", "description_ca"], [org.slug_ca, "Nova"]]
    response = upload(editor_client, "networks_organisation", csv_bytes(rows))
    assert response.status_code == 400
    assert "description_en" in response.content.decode()


def test_semicolon_csv_without_bom_and_xlsx(editor_client):
    response = upload(
        editor_client, "networks_organisation", csv_bytes(good_rows(), delimiter=";", bom=False)
    )
    assert response.context["report"].counts["created"] == 2
    workbook = Workbook()
    sheet = workbook.active
    rows = good_rows()
    rows[1][5] = int(rows[1][5])  # a spreadsheet turns 08187 into the number 8187
    for row in rows:
        sheet.append(row)
    content = io.BytesIO()
    workbook.save(content)
    response = upload(editor_client, "networks_organisation", content.getvalue(), "coops.xlsx")
    assert response.context["report"].counts["created"] == 2, response.context[
        "report"
    ].errors_shown
    assert confirm(editor_client, "networks_organisation", response).status_code == 302
    org = Organisation.objects.get(slug_ca="coop-nova")
    assert org.municipality.name == "Sabadell"


def export_rows(client, model):
    response = client.get(admin_url(f"{model}_export"))
    assert response.status_code == 200
    return b"".join(response.streaming_content)


@pytest.mark.parametrize(
    "model",
    [
        "networks_organisation",
        "networks_network",
        "networks_membership",
        "networks_event",
        "networks_funding",
        "actions_scheduledyear",
    ],
)
def test_round_trip_export_reimports_with_no_changes(root_client, model):
    content = export_rows(root_client, model)
    response = upload(root_client, model, content, name="export.csv")
    report = response.context["report"]
    assert report.errors_shown == []
    assert report.shown == []
    assert report.rows == report.counts["unchanged"] > 0


def test_municipal_editor_limited_to_their_municipality(client, barcelona_editor, sabadell_editor):
    from actions.models import Action

    barcelona = Municipality.objects.get(name="Barcelona")
    mine = (
        ScheduledYear.objects.filter(action__in=Action.objects.concerning_municipality(barcelona))
        .select_related("action__line__plan")
        .first()
    )
    new_status = "done" if mine.status != "done" else "not_done"
    rows = [
        ["plan", "action", "year", "status"],
        [mine.action.line.plan.slug_ca, mine.action.code, mine.year, new_status],
    ]
    # Barcelona's action is not Sabadell's: an error naming the row, not a silent skip.
    client.force_login(sabadell_editor)
    response = upload(client, "actions_scheduledyear", csv_bytes(rows))
    [error] = response.context["report"].errors_shown
    assert (error.row, error.errors[0][0]) == (2, "plan")
    assert "Sabadell" in error.errors[0][1]
    # Their other lists have no import: only statuses and notes.
    assert client.get(admin_url("networks_organisation_import")).status_code == 403
    assert client.get(admin_url("networks_membership_import")).status_code == 403
    client.force_login(barcelona_editor)
    response = upload(client, "actions_scheduledyear", csv_bytes(rows))
    assert confirm(client, "actions_scheduledyear", response).status_code == 302
    mine.refresh_from_db()
    assert mine.status == new_status
    assert mine.history.first().history_user == barcelona_editor


def test_municipal_editor_may_not_change_other_columns(client, barcelona_editor):
    client.force_login(barcelona_editor)
    sy = ScheduledYear.objects.select_related("action__line__plan").first()
    rows = [
        ["plan", "action", "year", "status"],
        [sy.action.line.plan.slug_ca, sy.action.code, 1800, "done"],
    ]
    response = upload(client, "actions_scheduledyear", csv_bytes(rows))
    assert response.context["report"].counts["error"] == 1


def test_undo_a_whole_import(editor_client, editor):
    network = Network.objects.order_by("pk").first()
    old_summary = network.summary_en
    rows = [["slug_ca", "summary_ca", "summary_en"], [network.slug_ca, "Resum nou", "New summary"]]
    response = upload(editor_client, "networks_network", csv_bytes(rows))
    confirm(editor_client, "networks_network", response)
    response = upload(editor_client, "networks_organisation", csv_bytes(good_rows()))
    confirm(editor_client, "networks_organisation", response)
    orgs, networks = ImportRecord.objects.order_by("pk")[1], ImportRecord.objects.order_by("pk")[0]
    page = editor_client.get(admin_url("networks_importrecord_change", orgs.pk))
    assert page.status_code == 200
    assert "import-undo" in page.content.decode()
    assert editor_client.post(admin_url("networks_importrecord_undo", orgs.pk)).status_code == 302
    assert not Organisation.objects.filter(slug_ca__in=["coop-nova", "associacio-veina"]).exists()
    # An entry edited since the import is never overwritten: the undo is refused.
    network.refresh_from_db()
    network.summary_ca = "Editat després"
    network.save()
    refused = editor_client.post(admin_url("networks_importrecord_undo", networks.pk))
    assert refused.status_code == 409
    network.refresh_from_db()
    assert network.summary_ca == "Editat després"
    # Once that edit is itself reverted away, the import's changes go back as they were.
    network.history.first().delete()
    assert (
        editor_client.post(admin_url("networks_importrecord_undo", networks.pk)).status_code == 302
    )
    network.refresh_from_db()
    assert network.summary_en == old_summary
    assert network.history.first().history_user == editor


@pytest.mark.parametrize(
    "content,name,status,words",
    [
        (b"", "empty.csv", 400, "buit"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00", "image.csv", 400, "no és un fitxer CSV"),
        ("slug_ca,name_ca\ncafè,x\n".encode("latin-1"), "latin1.csv", 400, "UTF-8"),
        (b"PK\x03\x04broken", "broken.xlsx", 400, "XLSX"),
        (b"slug_ca,name_ca,name_en,slug_en\n", "header.csv", 400, "cap fila"),
        (b"colour,size\nred,3\n", "other.csv", 400, "colour"),
    ],
)
def test_bad_files_are_refused_with_a_clear_message(editor_client, content, name, status, words):
    response = upload(editor_client, "networks_organisation", content, name)
    assert response.status_code == status
    assert words in response.content.decode()


def test_a_50_mb_file_is_refused(editor_client):
    response = upload(editor_client, "networks_organisation", b"a" * (50 * 1024 * 1024))
    assert response.status_code == 413
    assert "MB" in response.content.decode()


def test_import_page_explains_columns_in_both_languages(editor_client):
    response = editor_client.get(admin_url("networks_organisation_import"))
    assert response.status_code == 200
    html = response.content.decode()
    assert 'lang="ca"' in html and 'lang="en"' in html
    assert "codi INE" in html and "INE code" in html
    example = editor_client.get(admin_url("networks_organisation_import_example"))
    rows = list(csv.reader(io.StringIO(example.content.decode("utf-8-sig"))))
    assert rows[0][:4] == ["name_ca", "name_en", "slug_ca", "slug_en"]
    assert len(rows) > 1
    listing = editor_client.get(admin_url("networks_organisation_changelist"))
    assert "xmess-import-link" in listing.content.decode()


def test_command_prints_the_report_and_fails_with_nothing_written(tmp_path, editor, capsys):
    rows = good_rows()
    rows.append(["Coop Mala", "Bad Coop", "coop-mala", "bad-coop", "cooperative", "99999", ""])
    path = tmp_path / "coops.csv"
    path.write_bytes(csv_bytes(rows))
    before = Organisation.objects.count()
    with pytest.raises(CommandError):
        call_command("import_data", "organisation", str(path), user="editor")
    assert "99999" in capsys.readouterr().err
    assert Organisation.objects.count() == before
    path.write_bytes(csv_bytes(good_rows()))
    call_command("import_data", "networks.organisation", str(path), dry_run=True)
    assert Organisation.objects.count() == before
    call_command("import_data", "organisation", str(path), user="editor")
    assert Organisation.objects.count() == before + 2
    assert Organisation.objects.get(slug_ca="coop-nova").history.first().history_user == editor


def test_membership_rows_by_natural_keys(editor_client):
    network = Network.objects.exclude(acronym="").first()
    org = Organisation.objects.exclude(memberships__network=network).first()
    rows = [
        [
            "network",
            "organisation",
            "municipality",
            "role",
            "start_year",
            "end_year",
            "note_ca",
            "note_en",
        ],
        [network.acronym, org.slug_ca, "", "member", "2020", "", "", ""],
    ]
    response = upload(editor_client, "networks_membership", csv_bytes(rows))
    assert response.context["report"].counts["created"] == 1
    confirm(editor_client, "networks_membership", response)
    assert Membership.objects.filter(network=network, organisation=org, start_year=2020).exists()


def test_a_slug_taken_by_another_entry_or_twice_in_the_file_is_refused(editor_client):
    taken = Organisation.objects.order_by("pk").first().slug_en
    rows = good_rows()
    rows[1][3] = taken
    rows[2][3] = "same-slug"
    rows.append(["Tercera", "Third", "tercera", "same-slug", "other", "", ""])
    response = upload(editor_client, "networks_organisation", csv_bytes(rows))
    errors = {
        (r.row, column): message
        for r in response.context["report"].errors_shown
        for column, message in r.errors
    }
    assert set(errors) == {(2, "slug_en"), (4, "slug_en")}
    assert taken in errors[(2, "slug_en")]
    assert "3" in errors[(4, "slug_en")]


def test_a_row_may_refer_to_an_entry_created_earlier_in_the_same_file(editor_client):
    rows = good_rows()
    rows[0].append("parent")
    rows[1].append("")
    rows[2].append("coop-nova")
    response = upload(editor_client, "networks_organisation", csv_bytes(rows))
    assert response.context["report"].counts["created"] == 2
    confirm(editor_client, "networks_organisation", response)
    child = Organisation.objects.get(slug_ca="associacio-veina")
    assert child.parent.slug_ca == "coop-nova"


def test_undoing_created_entries_asks_what_points_to_them_once_per_batch(editor_client, editor):
    """One by one, each created organisation asked every table that can point to it, 12
    queries each: undoing 10,000 outlasted gunicorn's time limit."""

    def undo(number):
        rows = [HEADER[:5]] + [
            [f"Coop {number}-{n}", f"Coop {number}-{n}", f"coop-{number}-{n}", f"c-{number}-{n}"]
            + ["cooperative"]
            for n in range(number)
        ]
        confirm(
            editor_client,
            "networks_organisation",
            upload(editor_client, "networks_organisation", csv_bytes(rows)),
        )
        record = ImportRecord.objects.latest("pk")
        created = list(record.entries.values_list("object_id", flat=True))
        assert len(created) == number
        with CaptureQueriesContext(connection) as queries:
            response = editor_client.post(admin_url("networks_importrecord_undo", record.pk))
        assert response.status_code == 302
        assert not Organisation.objects.filter(pk__in=created).exists()
        gone = Organisation.history.filter(id__in=created, history_type="-")
        assert gone.count() == number
        assert {(r.history_user, r.history_change_reason) for r in gone} == {
            (editor, f"Desfer la importació #{record.pk}: file.csv")
        }
        return len(queries)

    assert undo(3) == undo(15)


def test_undoing_changes_gives_back_values_and_links_reading_them_once_per_batch(
    editor_client, editor
):
    """One by one, each changed entry took two saves and its links' queries (16 ms):
    undoing 10,000 changes outlasted gunicorn's time limit."""
    first, second = Theme.objects.order_by("pk")[:2]

    def rows(number, name, theme):
        return [HEADER[:4] + ["kind", "themes"]] + [
            [f"{name} {n}", f"{name} {n}", f"canvi-{number}-{n}", f"change-{number}-{n}"]
            + ["cooperative", theme.slug_ca]
            for n in range(number)
        ]

    def imported(content):
        response = upload(editor_client, "networks_organisation", csv_bytes(content))
        assert confirm(editor_client, "networks_organisation", response).status_code == 302
        return ImportRecord.objects.latest("pk")

    def undo(number):
        imported(rows(number, "Abans", first))
        record = imported(rows(number, "Després", second))
        changed = Organisation.objects.filter(slug_ca__startswith=f"canvi-{number}-")
        assert {o.name_ca.split()[0] for o in changed} == {"Després"}
        with CaptureQueriesContext(connection) as queries:
            response = editor_client.post(admin_url("networks_importrecord_undo", record.pk))
        assert response.status_code == 302
        for organisation in changed.prefetch_related("themes"):
            assert organisation.name_ca.startswith("Abans ")
            assert [t.pk for t in organisation.themes.all()] == [first.pk]
            latest = organisation.history.latest()
            assert (latest.history_type, latest.history_user) == ("~", editor)
            assert latest.history_change_reason == f"Desfer la importació #{record.pk}: file.csv"
            assert [row.theme_id for row in latest.themes.all()] == [first.pk]
        return len(queries)

    assert undo(3) == undo(15)


def test_undoing_an_import_that_created_an_entry_and_its_part_deletes_both(editor_client):
    rows = good_rows()
    rows[0].append("parent")
    rows[1].append("")
    rows[2].append("coop-nova")
    confirm(
        editor_client,
        "networks_organisation",
        upload(editor_client, "networks_organisation", csv_bytes(rows)),
    )
    record = ImportRecord.objects.latest("pk")
    assert editor_client.post(admin_url("networks_importrecord_undo", record.pk)).status_code == 302
    assert not Organisation.objects.filter(slug_ca__in=["coop-nova", "associacio-veina"]).exists()


def test_an_import_and_its_undo_show_at_once_on_cached_pages(editor_client):
    # Imports write in bulk, without the signals of a save: the cached pages still follow.
    from django.test import Client

    visitor = Client()
    url = "/en/organisations/?q=neighbours"
    for _ in range(2):  # the second view comes from the cache
        assert "Neighbours" not in visitor.get(url).content.decode()
    response = upload(editor_client, "networks_organisation", csv_bytes(good_rows()))
    confirm(editor_client, "networks_organisation", response)
    assert "Neighbours" in visitor.get(url).content.decode()
    record = ImportRecord.objects.get()
    assert editor_client.post(admin_url("networks_importrecord_undo", record.pk)).status_code == 302
    assert "Neighbours" not in visitor.get(url).content.decode()
