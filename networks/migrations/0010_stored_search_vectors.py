"""Stored search vectors on PostgreSQL: ranking reads a column instead of re-parsing text.

Migration 0003 indexed the search document as an expression; ranking still had to rebuild
the vector from the text of every matching row (5.4 s for "cooperativa" at 100,000
organisations). Each searchable table now has a ``search_vector`` column that PostgreSQL
generates from the same expression on every insert and update (bulk paths included, so
nothing in Python has to keep it in sync), with a GIN index on it; the expression indexes
of 0003 go. The column is not a model field: SQLite, which has no tsvector, never sees it,
and networks/search.py reads it only on PostgreSQL. The expression must stay that of
networks.search.document().
"""

from django.db import migrations

CONFIGS = {"ca": "xmess_ca", "en": "xmess_en"}
SEARCH_FIELDS = {
    "theme": {"A": ["name"], "B": ["description"]},
    "organisation": {"A": ["name"], "B": ["description"]},
    "network": {"A": ["name", "=acronym"], "B": ["summary", "description"]},
    "funder": {"A": ["name"], "B": ["description"]},
    "event": {"A": ["title"], "B": ["place", "description"]},
}


def document_sql(fields):
    parts = []
    for lang, config in CONFIGS.items():
        for weight, names in fields.items():
            for name in names:
                column = name[1:] if name.startswith("=") else f"{name}_{lang}"
                parts.append(
                    f"setweight(to_tsvector('{config}'::regconfig, "
                    f"COALESCE({column}::text, '')), '{weight}')"
                )
    return " || ".join(parts)


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for model_name, fields in SEARCH_FIELDS.items():
        table = f"networks_{model_name}"
        schema_editor.execute(f"DROP INDEX IF EXISTS {model_name}_search_gin")
        schema_editor.execute(
            f"ALTER TABLE {table} ADD COLUMN search_vector tsvector "
            f"GENERATED ALWAYS AS ({document_sql(fields)}) STORED"
        )
        schema_editor.execute(
            f"CREATE INDEX {model_name}_search_vector_gin ON {table} USING gin (search_vector)"
        )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    from importlib import import_module

    from django.contrib.postgres.indexes import GinIndex

    document = import_module("networks.migrations.0003_full_text_search").document
    for model_name, fields in SEARCH_FIELDS.items():
        schema_editor.execute(f"ALTER TABLE networks_{model_name} DROP COLUMN search_vector")
        model = apps.get_model("networks", model_name)
        schema_editor.add_index(
            model, GinIndex(document(fields), name=f"{model_name}_search_gin")
        )


class Migration(migrations.Migration):
    dependencies = [
        ("networks", "0009_modified_for_sitemaps"),
    ]

    operations = [migrations.RunPython(create, drop)]
