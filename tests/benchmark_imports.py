"""Benchmark: preview and import a 10,000-row organisations file (prints figures, asserts nothing).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/xmess_<name> .venv/bin/python manage.py migrate
    DATABASE_URL=... .venv/bin/python manage.py seed
    DATABASE_URL=... .venv/bin/python tests/benchmark_imports.py [ROWS]

The second import is undone (timed), and the entries the first created are deleted, so the
database is left as it was; its history keeps the benchmark's records. Targets (issue 12):
preview < 30 s, import < 60 s on PostgreSQL, memory bounded (peak Python allocations).
"""

import csv
import os
import resource
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "xmess_site.settings")

import django  # noqa: E402

django.setup()

from django.contrib.auth.models import User  # noqa: E402
from django.db import connection  # noqa: E402

from networks.imports.directory import OrganisationResource  # noqa: E402
from networks.imports.engine import run_import  # noqa: E402
from networks.imports.files import ImportFile  # noqa: E402
from networks.imports.undo import undo_import  # noqa: E402
from networks.models import Municipality, Organisation, Theme  # noqa: E402


def write_file(path, rows, words=("Descripció", "Description")):
    ines = list(Municipality.objects.values_list("ine_code", flat=True))
    themes = list(Theme.objects.values_list("slug_ca", flat=True))
    with path.open("w", encoding="utf-8-sig", newline="") as f:
        writer = csv.writer(f, delimiter=";")
        writer.writerow(
            [
                "name_ca",
                "name_en",
                "slug_ca",
                "slug_en",
                "kind",
                "municipality",
                "themes",
                "website",
                "description_ca",
                "description_en",
            ]
        )
        for i in range(rows):
            writer.writerow(
                [
                    f"Cooperativa de prova {i}",
                    f"Test cooperative {i}",
                    f"bench-coop-{i}",
                    f"bench-coop-en-{i}",
                    "cooperative",
                    ines[i % len(ines)],
                    "; ".join(themes[i % len(themes) : i % len(themes) + 2]),
                    f"https://example.org/{i}",
                    f"{words[0]} " * 20,
                    f"{words[1]} " * 20,
                ]
            )


def timed(label, function):
    if os.environ.get("BENCH_MEMORY"):
        tracemalloc.start()
    start = time.perf_counter()
    result = function()
    elapsed = time.perf_counter() - start
    memory = ""
    if tracemalloc.is_tracing():  # BENCH_MEMORY=1: slows the run several times over
        memory = f", peak Python memory {tracemalloc.get_traced_memory()[1] / 1e6:.1f} MB"
        tracemalloc.stop()
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"{label}: {elapsed:.1f} s{memory}, peak process memory so far {rss:.0f} MB")
    return result


def main():
    rows = int(sys.argv[1]) if len(sys.argv) > 1 else 10_000
    user = User.objects.filter(is_superuser=True).first() or User.objects.create_superuser(
        "bench-importer", "bench@example.org", None
    )
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "organisations.csv"
        write_file(path, rows)
        print(f"{connection.vendor}, {rows} rows, file {path.stat().st_size / 1e6:.1f} MB")
        changed = Path(folder) / "organisations-changed.csv"
        write_file(changed, rows, ("Descripció nova", "New description"))
        runs = (
            (path, True, "preview (all new)"),
            (path, False, "import (all new)"),
            (changed, True, "preview (every description changed)"),
            (changed, False, "import (every description changed)"),
        )
        for source, dry_run, label in runs:
            with source.open("rb") as data:
                report = timed(
                    label,
                    lambda data=data, dry_run=dry_run, name=source.name: run_import(
                        OrganisationResource(user), ImportFile(data, name), dry_run=dry_run
                    ),
                )
            print("  ", report.summary())
        if report.record is None:
            return
        timed("undo (every description changed back)", lambda: undo_import(report.record, user))
        # The first import cannot be undone any more (its entries changed since): delete.
        Organisation.objects.filter(slug_ca__startswith="bench-coop-").delete()


if __name__ == "__main__":
    main()
