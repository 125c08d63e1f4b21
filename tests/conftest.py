import os
import shutil

import pytest
from django.conf import settings
from django.core.cache import cache
from django.core.management import call_command
from django.utils import translation

from networks.models import Municipality
from tests.factories import make_staff

BROWSER_FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    # This machine has no network: without these, chromium keeps dialling out.
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(autouse=True)
def _fast_password_hasher(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _default_language():
    """Each test starts in the site's default language, whatever page the previous test
    requested (a request's language stays active in the test's thread after it)."""
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Each test starts with an empty cache: a rolled-back test sends no change signal."""
    cache.clear()


@pytest.fixture(autouse=True)
def _own_download_folder(settings, tmp_path):
    """Each test keeps its downloads in a folder of its own: none kept by an earlier test
    (whose content version, counted again from an empty cache, may be this test's), and no
    kept file of this machine's own site removed when a test writes one."""
    settings.DOWNLOAD_CACHE_DIR = str(tmp_path / "downloads")


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """The test database, with SQLite's one probe per connection made: the first query that
    reads JSON (a network's member counts) makes Django's backend ask SQLite whether it has
    JSON, three statements once per connection, never again. Made here, a page's query count
    in a test is what the page runs on every request, whichever test comes first."""
    from django.db import connection

    with django_db_blocker.unblock():
        connection.features.supports_json_field  # noqa: B018 -- reading it makes the probe


@pytest.fixture(scope="session")
def seeded_db(django_db_setup, django_db_blocker):
    """The real seed content, loaded once per session for content tests."""
    with django_db_blocker.unblock():
        call_command("seed", verbosity=0)


@pytest.fixture
def seeded(seeded_db, db):
    """The real fixtures; each test still runs in a transaction that is rolled back."""


@pytest.fixture
def live_seeded(transactional_db, live_server):
    """The real fixtures behind a live server (browser tests; the data is flushed after)."""
    call_command("seed", verbosity=0)
    return live_server


# --- Staff accounts (the admin tests) -------------------------------------------------------


@pytest.fixture
def superuser(seeded):
    return make_staff("root", is_superuser=True)


@pytest.fixture
def editor(seeded):
    return make_staff("editor", group="Editors")


@pytest.fixture
def barcelona_editor(seeded):
    return make_staff(
        "bcn", group="Municipal editors", municipality=Municipality.objects.get(name="Barcelona")
    )


@pytest.fixture
def sabadell_editor(seeded):
    return make_staff(
        "sbd", group="Municipal editors", municipality=Municipality.objects.get(name="Sabadell")
    )


def pytest_collection_modifyitems(config, items):
    # Live-server tests flush the database when they end, which would also empty the
    # session-wide seed content: run them after every other test.
    items.sort(key=lambda item: item.get_closest_marker("browser") is not None)


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    executable = shutil.which("chromium")
    if executable is None:
        if os.environ.get("CI") == "true":
            pytest.fail("Debian's chromium is required on CI (make installs it with apt).")
        pytest.skip("Debian's chromium is not installed (apt-get install chromium).")
    return {**browser_type_launch_args, "executable_path": executable, "args": BROWSER_FLAGS}
