"""Full-text search on PostgreSQL: accent-free Catalan and English configurations and GIN
indexes on the weighted search document of each searchable model (see networks/search.py).

Runs only on PostgreSQL; on SQLite the search uses the xmess_fold() function instead.
`unaccent` is a trusted extension (PostgreSQL 13+): a database owner may create it.
The index expressions must stay identical to networks.search.document() for the planner
to use them; tests/test_search.py checks that with EXPLAIN.
"""

from django.db import migrations

CONFIGS = {"ca": ("xmess_ca", "catalan"), "en": ("xmess_en", "english")}
# Place names are not stemmed ("agora" must not find "Àger"): unaccented words only.
SIMPLE_CONFIG = "xmess_simple"

# model name -> {weight: fields}; "=field" is untranslated (read in both configurations).
SEARCH_FIELDS = {
    "theme": {"A": ["name"], "B": ["description"]},
    "organisation": {"A": ["name"], "B": ["description"]},
    "network": {"A": ["name", "=acronym"], "B": ["summary", "description"]},
    "funder": {"A": ["name"], "B": ["description"]},
    "event": {"A": ["title"], "B": ["place", "description"]},
}


def index_name(model_name):
    return f"{model_name}_search_gin"


def document(fields):
    from django.contrib.postgres.search import SearchVector

    vector = None
    for lang, (config, _base) in CONFIGS.items():
        for weight, names in fields.items():
            for name in names:
                column = name[1:] if name.startswith("=") else f"{name}_{lang}"
                part = SearchVector(column, config=config, weight=weight)
                vector = part if vector is None else vector + part
    return vector


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    from django.contrib.postgres.indexes import GinIndex
    from django.contrib.postgres.search import SearchVector

    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS unaccent")
    for config, base in CONFIGS.values():
        schema_editor.execute(f"CREATE TEXT SEARCH CONFIGURATION {config} (COPY = pg_catalog.{base})")
        schema_editor.execute(
            f"ALTER TEXT SEARCH CONFIGURATION {config} "
            f"ALTER MAPPING FOR hword, hword_part, word WITH unaccent, {base}_stem"
        )
    for model_name, fields in SEARCH_FIELDS.items():
        model = apps.get_model("networks", model_name)
        schema_editor.add_index(model, GinIndex(document(fields), name=index_name(model_name)))
    schema_editor.execute(
        f"CREATE TEXT SEARCH CONFIGURATION {SIMPLE_CONFIG} (COPY = pg_catalog.simple)"
    )
    schema_editor.execute(
        f"ALTER TEXT SEARCH CONFIGURATION {SIMPLE_CONFIG} "
        "ALTER MAPPING FOR hword, hword_part, word WITH unaccent, simple"
    )
    municipality = apps.get_model("networks", "Municipality")
    schema_editor.add_index(
        municipality,
        GinIndex(
            SearchVector("name", config=SIMPLE_CONFIG, weight="A"),
            name=index_name("municipality"),
        ),
    )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for model_name in [*SEARCH_FIELDS, "municipality"]:
        schema_editor.execute(f"DROP INDEX IF EXISTS {index_name(model_name)}")
    for config in [*(config for config, _base in CONFIGS.values()), SIMPLE_CONFIG]:
        schema_editor.execute(f"DROP TEXT SEARCH CONFIGURATION IF EXISTS {config}")


class Migration(migrations.Migration):
    dependencies = [
        ("networks", "0002_staff_groups"),
    ]

    operations = [migrations.RunPython(create, drop)]
