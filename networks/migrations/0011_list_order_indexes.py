"""Indexes that serve the organisations list in its order, filtered or not (PostgreSQL).

At 100,000 organisations, page 2,000 of the list sorted every row by ``name_ca`` (66 MB
spilled to disk) and a kind filter did the same for its share. A B-tree on the order the
list reads lets PostgreSQL walk the first rows of a page instead. Two orders are indexed:
``name_ca`` as the models order today, and ``name_ca COLLATE "ca-x-icu"``, the Catalan order
the Comarca work (issue 10) moves the lists to; the same index serves both the plain list and
the filters that keep its order (kind; theme, municipality and network are Exists()
subqueries probed row by row along it). SQLite, with development-sized data, needs none.
"""

from django.db import migrations

ORDERS = {"": "name_ca", "_ca": 'name_ca COLLATE "ca-x-icu"'}
INDEXES = {
    "organisation_name{suffix}_idx": "networks_organisation ({order}, id)",
    "organisation_kind_name{suffix}_idx": "networks_organisation (kind, {order}, id)",
}


def has_icu(schema_editor):
    with schema_editor.connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_collation WHERE collname = 'ca-x-icu'")
        return cursor.fetchone() is not None


# (name_ca, id) itself is the model's index "organisation_list_order" (migration 0006).
ALREADY_INDEXED = {"organisation_name_idx"}


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    orders = ORDERS if has_icu(schema_editor) else {"": ORDERS[""]}
    for suffix, order in orders.items():
        for name, target in INDEXES.items():
            if name.format(suffix=suffix) in ALREADY_INDEXED:
                continue
            schema_editor.execute(
                f"CREATE INDEX IF NOT EXISTS {name.format(suffix=suffix)} "
                f"ON {target.format(order=order)}"
            )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for suffix in ORDERS:
        for name in INDEXES:
            schema_editor.execute(f"DROP INDEX IF EXISTS {name.format(suffix=suffix)}")


class Migration(migrations.Migration):
    dependencies = [
        ("networks", "0010_stored_search_vectors"),
    ]

    operations = [migrations.RunPython(create, drop)]
