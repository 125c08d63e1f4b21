"""Bulk import of spreadsheets into the directory and the plans, for council staff.

- ``files``: reading CSV and XLSX uploads, and refusing what is not one.
- ``columns`` and ``resources``: how a kind of entry is read from a file, by natural keys.
- ``engine``: preview and apply, all or nothing, with history; ``reports``: what it found,
  row by row; ``validation``: a row's checks before it is written; ``undo``: revert an import.
- ``versions``: confirming writes over no entry changed since its preview.
- ``directory``: the directory's resources; other apps register theirs in ``<app>/imports.py``
  (``actions/imports.py``), found by ``autodiscover``, so this package never imports them.
- ``upload``: the import pages and the "Import" button on the admin's lists; ``admin``: the
  list of past imports, with their report and undo.

This module stays light (it is imported while models load): only the registry lives here.
"""

from django.utils.module_loading import autodiscover_modules

_registry = {}
_discovered = False


def register(resource_class):
    """Class decorator: make a resource importable (admin and ``import_data``)."""
    _registry[resource_class.label()] = resource_class
    return resource_class


def _discover():
    global _discovered
    if not _discovered:
        from . import directory  # noqa: F401

        autodiscover_modules("imports")
        _discovered = True


def get_resource(label):
    """The resource class for a model label ("networks.organisation"), or None."""
    _discover()
    return _registry.get(label.lower())


def all_resources():
    _discover()
    return dict(_registry)
