"""Staff accounts for the admin tests: a superuser, an editor and municipal editors.

Import the fixtures into a test module with ``from tests.admin_support import *``.
"""

import pytest
from django.contrib.auth.models import Group, User

from networks.models import EditorProfile, Municipality

PASSWORD = "a-long-test-password-42"

__all__ = [
    "PASSWORD",
    "admin_url",
    "barcelona_editor",
    "editor",
    "make_staff",
    "sabadell_editor",
    "superuser",
]


def make_staff(username, group=None, municipality=None, **extra):
    user = User.objects.create_user(
        username, f"{username}@example.org", PASSWORD, is_staff=True, **extra
    )
    if group:
        user.groups.add(Group.objects.get(name=group))
    if municipality:
        EditorProfile.objects.create(user=user, municipality=municipality)
    return user


def admin_url(name, *args, lang="ca"):
    from django.urls import reverse
    from django.utils import translation

    with translation.override(lang):
        return reverse(f"admin:{name}", args=args)


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
