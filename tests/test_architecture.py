"""The layout ARCHITECTURE.md draws: the directory (networks) never depends on plans (actions).

Imports are read with ``ast`` (a comment or a string mentioning actions is not an import);
templates by their ``{% url %}`` tags.
"""

import ast
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
DIRECTORY_TEMPLATES = [
    *sorted((ROOT / "templates" / "networks").glob("*.html")),
    *sorted((ROOT / "templates" / "includes").glob("*.html")),
    ROOT / "templates" / "home.html",
    ROOT / "templates" / "base.html",
]
URL_TAG = re.compile(r"""{%\s*url\s+["']([\w-]+):""")


def imported_modules(source):
    """The absolute module names a Python source imports, wherever the import sits."""
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            yield node.module


def imports_actions(source):
    return any(
        name == "actions" or name.startswith("actions.") for name in imported_modules(source)
    )


def directory_modules():
    return [
        path
        for path in sorted((ROOT / "networks").rglob("*.py"))
        if "migrations" not in path.relative_to(ROOT / "networks").parts
    ]


@pytest.mark.parametrize(
    "source",
    [
        "import actions",
        "from actions.models import Plan",
        "def f():\n    from actions import sections\n",
        "import actions.feeds as feeds",
    ],
)
def test_the_check_sees_every_form_of_import(source):
    assert imports_actions(source)


@pytest.mark.parametrize(
    "source", ["from . import actions", "# import actions", "x = 'from actions import y'"]
)
def test_the_check_ignores_what_is_not_an_import_of_the_app(source):
    assert not imports_actions(source)


def test_the_directory_never_imports_plans():
    modules = directory_modules()
    assert ROOT / "networks" / "views.py" in modules
    offenders = [
        str(path.relative_to(ROOT))
        for path in modules
        if imports_actions(path.read_text(encoding="utf-8"))
    ]
    assert offenders == []


def test_the_directory_templates_link_no_plan_urls():
    namespaces = {
        path.relative_to(ROOT).as_posix(): set(URL_TAG.findall(path.read_text(encoding="utf-8")))
        for path in DIRECTORY_TEMPLATES
    }
    assert "networks" in namespaces["templates/includes/header.html"]  # the check reads tags
    offenders = {path: names for path, names in namespaces.items() if "actions" in names}
    assert offenders == {}
