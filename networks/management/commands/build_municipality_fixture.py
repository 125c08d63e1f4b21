"""Regenerate fixtures/municipalities.json from the ICGC municipality list (CSV).

The CSV has one row per municipality: ine_code, idescat_code, name, latitude, longitude.
Primary keys are the INE codes as integers, so the fixture is stable across rebuilds and
other fixtures can refer to a municipality by its code (Barcelona is 8019).
"""

import csv
import json
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils.text import slugify

COLUMNS = ["ine_code", "idescat_code", "name", "latitude", "longitude"]


class Command(BaseCommand):
    help = "Build fixtures/municipalities.json from catalan-municipalities.csv."

    def add_arguments(self, parser):
        parser.add_argument("csv_path", type=Path)
        parser.add_argument(
            "--output", type=Path, default=Path(settings.FIXTURE_DIRS[0]) / "municipalities.json"
        )

    def handle(self, *args, csv_path, output, **options):
        with csv_path.open(encoding="utf-8", newline="") as handle:
            reader = csv.DictReader(handle)
            if reader.fieldnames != COLUMNS:
                raise CommandError(
                    f"{csv_path}: expected columns {COLUMNS}, got {reader.fieldnames}"
                )
            rows = list(reader)
        objects = [
            {
                "model": "networks.municipality",
                "pk": int(row["ine_code"]),
                "fields": {
                    "ine_code": row["ine_code"],
                    "idescat_code": row["idescat_code"],
                    "name": row["name"],
                    "slug": slugify(row["name"]),
                    "latitude": f"{float(row['latitude']):.6f}",
                    "longitude": f"{float(row['longitude']):.6f}",
                },
            }
            for row in rows
        ]
        output.write_text(
            json.dumps(objects, ensure_ascii=False, indent=1) + "\n", encoding="utf-8"
        )
        self.stdout.write(self.style.SUCCESS(f"{len(objects)} municipalities written to {output}"))
