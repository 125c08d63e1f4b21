"""Benchmark: preview and import a 10,000-row organisations file (prints figures, asserts nothing).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/xmess_<name> .venv/bin/python manage.py migrate
    DATABASE_URL=... .venv/bin/python manage.py seed
    DATABASE_URL=... .venv/bin/python tests/benchmark_imports.py [ROWS]

The import is applied and then undone, so the database is left as it was. Targets (issue 12):
preview < 30 s, import < 60 s on PostgreSQL, memory bounded (peak Python allocations).
"""

import csv
import os
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
from networks.models import Municipality, Theme  # noqa: E402


def write_file(path, rows):
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
                    "Descripció " * 20,
                    "Description " * 20,
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
    print(f"{label}: {elapsed:.1f} s{memory}")
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
        for dry_run, label in ((True, "preview"), (False, "import")):
            with path.open("rb") as data:
                report = timed(
                    label,
                    lambda data=data, dry_run=dry_run: run_import(
                        OrganisationResource(user), ImportFile(data, path.name), dry_run=dry_run
                    ),
                )
            print("  ", report.summary())
        if report.record is not None:
            timed("undo", lambda: undo_import(report.record, user))


if __name__ == "__main__":
    main()
