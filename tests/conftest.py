import pytest
from django.core.management import call_command


@pytest.fixture(autouse=True)
def _fast_tests(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(scope="session")
def seeded_db(django_db_setup, django_db_blocker):
    """The real seed content, loaded once per session for content tests."""
    with django_db_blocker.unblock():
        call_command("seed", verbosity=0)


@pytest.fixture
def seeded(seeded_db, db):
    """Use in tests that read the real fixtures (each test still runs in a transaction)."""
