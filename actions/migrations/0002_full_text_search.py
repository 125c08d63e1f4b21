"""GIN indexes for searching plans, lines and actions on PostgreSQL (see actions/search.py).

The expressions must stay identical to what networks.search.document() builds from the
fields actions/search.py registers, or the planner cannot use them;
tests/test_source_facts.py checks that with EXPLAIN. Uses the xmess_ca / xmess_en
configurations created by networks' migration 0003. Nothing to do on SQLite.
"""

from django.db import migrations

CONFIGS = {"ca": "xmess_ca", "en": "xmess_en"}
SEARCH_FIELDS = {
    "plan": {"A": ["name", "short_name"], "B": ["description"]},
    "line": {"A": ["title"], "B": ["description"]},
    "action": {"A": ["title"], "B": ["description"]},
}


def index_name(model_name):
    return f"{model_name}_search_gin"


def document(fields):
    from django.contrib.postgres.search import SearchVector

    vector = None
    for lang, config in CONFIGS.items():
        for weight, names in fields.items():
            for name in names:
                part = SearchVector(f"{name}_{lang}", config=config, weight=weight)
                vector = part if vector is None else vector + part
    return vector


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    from django.contrib.postgres.indexes import GinIndex

    for model_name, fields in SEARCH_FIELDS.items():
        model = apps.get_model("actions", model_name)
        schema_editor.add_index(model, GinIndex(document(fields), name=index_name(model_name)))


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for model_name in SEARCH_FIELDS:
        schema_editor.execute(f"DROP INDEX IF EXISTS {index_name(model_name)}")


class Migration(migrations.Migration):
    dependencies = [
        ("actions", "0001_initial"),
        ("networks", "0003_full_text_search"),
    ]

    operations = [migrations.RunPython(create, drop)]
