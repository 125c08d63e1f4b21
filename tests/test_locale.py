"""Both catalogues are complete, and each locale folder really serves its language."""

from pathlib import Path

import pytest
from django.conf import settings
from django.utils import translation

LOCALES = Path(settings.BASE_DIR) / "locale"


def entries(po_path):
    """(msgid, msgstr values, flags) for each active entry of a .po file (a tiny reader)."""
    blocks = po_path.read_text(encoding="utf-8").split("\n\n")
    for block in blocks:
        lines = [line for line in block.splitlines() if not line.startswith("#~")]
        if not any(line.startswith("msgid") for line in lines):
            continue
        flags = " ".join(line for line in lines if line.startswith("#,"))
        fields, current = {}, None
        for line in lines:
            if line.startswith("#"):
                continue
            if line.startswith(("msgid", "msgstr", "msgctxt")):
                current, _sep, rest = line.partition(" ")
                fields[current] = rest.strip('"')
            elif line.startswith('"') and current:
                fields[current] += line.strip('"')
        if fields.get("msgid") == "":
            continue  # the header
        strings = [value for key, value in fields.items() if key.startswith("msgstr")]
        yield fields["msgid"], strings, flags


@pytest.mark.parametrize("language", ["ca", "en"])
def test_catalogue_has_no_empty_or_fuzzy_entries(language):
    po_path = LOCALES / language / "LC_MESSAGES" / "django.po"
    found = list(entries(po_path))
    assert len(found) > 100
    empty = [msgid for msgid, strings, _flags in found if not all(strings)]
    fuzzy = [msgid for msgid, _strings, flags in found if "fuzzy" in flags]
    assert empty == []
    assert fuzzy == []


def test_each_locale_folder_serves_its_language():
    with translation.override("ca"):
        assert translation.gettext("Municipalities") == "Municipis"
        assert translation.gettext("Skip to content") == "Salta al contingut"
    with translation.override("en"):
        assert translation.gettext("Municipalities") == "Municipalities"
