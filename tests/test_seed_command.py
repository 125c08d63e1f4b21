"""`manage.py seed`: all or nothing, clear errors, never overwrites what staff edited."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command

from actions.models import Action, Plan, ScheduledYear
from networks.models import Municipality, Network, Theme

FIXTURES = Path(settings.BASE_DIR) / "fixtures"

# Other modules load the seed once per session, so these tests compare before and after
# rather than assume an empty database, and use primary keys the seed does not.
pytestmark = pytest.mark.django_db


def write(tmp_path, name, objects):
    path = tmp_path / name
    path.write_text(json.dumps(objects, ensure_ascii=False), encoding="utf-8")
    return str(path)


def theme(pk, ca="Tema", en="Theme", slug_ca=None, slug_en=None):
    return {
        "model": "networks.theme",
        "pk": pk,
        "fields": {
            "name_ca": ca,
            "name_en": en,
            "slug_ca": slug_ca or f"tema-{pk}",
            "slug_en": slug_en or f"theme-{pk}",
        },
    }


def in_fixtures(label):
    """How many rows of the model ``label`` the seed fixtures hold."""
    return sum(
        1
        for path in FIXTURES.glob("*.json")
        for obj in json.loads(path.read_text(encoding="utf-8"))
        if obj["model"] == label
    )


def counts():
    return (
        Theme.objects.count(),
        Municipality.objects.count(),
        Network.objects.count(),
        ScheduledYear.objects.count(),
    )


def test_loads_every_fixture_and_twice_is_harmless():
    call_command("seed", verbosity=0)
    first = (counts(), Action.objects.count())
    call_command("seed", verbosity=0)
    assert (counts(), Action.objects.count()) == first
    expected = [
        in_fixtures(label)
        for label in ("networks.municipality", "networks.network", "actions.scheduledyear")
    ]
    assert first[0][1:] == tuple(expected)
    assert first[1] == in_fixtures("actions.action") > 0


def test_running_again_keeps_what_staff_edited_unless_forced():
    call_command("seed", verbosity=0)
    xmess = Network.objects.get(acronym="XMESS")
    xmess.name_en = "Edited by staff"
    xmess.save()
    call_command("seed", verbosity=0)
    assert Network.objects.get(pk=xmess.pk).name_en == "Edited by staff"
    call_command("seed", "directory", force=True, verbosity=0)
    assert Network.objects.get(pk=xmess.pk).name_en.startswith("Network of Municipalities")


def test_malformed_json_names_the_file_and_writes_nothing(tmp_path):
    before = counts()
    good = write(tmp_path, "good.json", [theme(901)])
    broken = tmp_path / "broken.json"
    broken.write_text('[{"model": "networks.theme", "pk": 902, "fields": {', encoding="utf-8")
    with pytest.raises(CommandError, match=r"Nothing was loaded\. broken\.json: cannot be read"):
        call_command("seed", good, str(broken), verbosity=0)
    assert counts() == before
    assert not Theme.objects.filter(pk=901).exists()


def test_broken_json_names_the_line_and_column_of_the_slip(tmp_path):
    broken = tmp_path / "broken.json"
    broken.write_text('[\n  {"model": "networks.theme",\n   "pk": 902 "fields": {}}\n]\n')
    with pytest.raises(CommandError) as raised:
        call_command("seed", str(broken), verbosity=0)
    message = str(raised.value)
    assert "broken.json" in message
    assert "line 3, column 14" in message
    assert "delimiter" in message  # json's own reason: "Expecting ',' delimiter"


def test_invalid_object_names_file_object_and_problem_and_rolls_back(tmp_path):
    call_command("seed", verbosity=0)
    before = counts()
    bad_year = {
        "model": "actions.scheduledyear",
        "pk": 9001,
        "fields": {"action": 1, "year": 2031, "status": "planned", "note_ca": "", "note_en": ""},
    }
    path = write(tmp_path, "extra.json", [theme(900), bad_year])
    with pytest.raises(CommandError) as raised:
        call_command("seed", path, verbosity=0)
    message = str(raised.value)
    assert "extra.json" in message
    assert "actions.ScheduledYear(pk=9001)" in message
    assert "2031 is outside the plan's period (2016–2019)" in message
    assert counts() == before
    assert not Theme.objects.filter(pk=900).exists()


def test_a_text_in_one_language_only_is_refused(tmp_path):
    half = theme(905)
    half["fields"].update(description_ca="Només en català", description_en="")
    with pytest.raises(CommandError, match=r"networks\.Theme\(pk=905\): description_en: filled"):
        call_command("seed", write(tmp_path, "half.json", [half]), verbosity=0)
    assert not Theme.objects.filter(pk=905).exists()


def test_a_name_missing_in_english_is_refused(tmp_path):
    nameless = theme(906, en="")
    with pytest.raises(CommandError, match=r"half\.json: networks\.Theme\(pk=906\)"):
        call_command("seed", write(tmp_path, "half.json", [nameless]), verbosity=0)
    assert not Theme.objects.filter(pk=906).exists()


def test_a_reference_to_a_missing_object_is_refused(tmp_path):
    orphan = {
        "model": "actions.line",
        "pk": 907,
        "fields": {"plan": 77, "number": 1, "title_ca": "Línia", "title_en": "Line"},
    }
    with pytest.raises(CommandError, match=r"orphan\.json: actions\.Line\(pk=907\): plan:"):
        call_command("seed", write(tmp_path, "orphan.json", [orphan]), verbosity=0)
    assert not Plan.objects.filter(pk=77).exists()


def test_a_duplicate_slug_is_refused(tmp_path):
    twins = [theme(908, slug_ca="igual"), theme(909, slug_ca="igual")]
    with pytest.raises(CommandError, match=r"twins\.json: networks\.Theme\(pk=909\)"):
        call_command("seed", write(tmp_path, "twins.json", twins), verbosity=0)
    assert not Theme.objects.filter(pk__in=[908, 909]).exists()


def test_an_unknown_fixture_name_is_a_clear_error():
    with pytest.raises(CommandError, match="Fixture 'nowhere' not found"):
        call_command("seed", "nowhere", verbosity=0)


def run_without_a_key(*command):
    env = {k: v for k, v in os.environ.items() if k not in {"SECRET_KEY", "DEBUG"}}
    return subprocess.run(
        [sys.executable, *command],
        env={**env, "DEBUG": "false", "DJANGO_SETTINGS_MODULE": "xmess_site.settings"},
        cwd=settings.BASE_DIR,
        capture_output=True,
        text=True,
        check=False,
    )


@pytest.mark.parametrize("entry_point", ["xmess_site.wsgi", "xmess_site.asgi"])
def test_production_refuses_to_serve_without_a_secret_key(entry_point):
    result = run_without_a_key("-c", f"import {entry_point}")
    assert result.returncode != 0
    assert "SECRET_KEY is not set: refusing to serve" in result.stderr


def test_commands_that_need_no_key_run_without_one():
    result = run_without_a_key("manage.py", "makemigrations", "--check", "--dry-run")
    assert result.returncode == 0, result.stderr
    assert "No changes detected" in result.stdout
