"""Helpers for the admin tests (the staff fixtures are in ``conftest.py``)."""

from django.urls import reverse
from django.utils import translation


def admin_url(name, *args, lang="ca"):
    with translation.override(lang):
        return reverse(f"admin:{name}", args=args)
