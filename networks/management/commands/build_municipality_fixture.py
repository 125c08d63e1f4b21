"""Regenerate fixtures/municipalities.json and fixtures/comarques.json from the ICGC lists.

Three CSV files, all in the shared data folder (see its README):
- catalan-municipalities.csv: ine_code, idescat_code, name, latitude, longitude;
- catalan-comarques.csv: comarca_code, name (the 43 comarques);
- municipality-comarca.csv: ine_code, comarca_code (each municipality's comarca).
The comarca files are read from the folder of the first one unless given.

Primary keys are the INE codes and comarca codes as integers, so the fixtures are stable
across rebuilds and other fixtures can refer to a municipality by its code (Barcelona is
8019) and to a comarca by its code (the Vallès Occidental is 40). Every municipality must
have a comarca: the build stops otherwise.
"""

import csv
import json
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils.text import slugify

from networks.models import Province

COLUMNS = ["ine_code", "idescat_code", "name", "latitude", "longitude"]
COMARCA_COLUMNS = ["comarca_code", "name"]
MEMBERSHIP_COLUMNS = ["ine_code", "comarca_code"]
# The only comarca whose name differs in English: its official name is the Aranese "Aran"
# (Catalan "Val d'Aran"); every other comarca keeps its Catalan name in English.
ENGLISH_NAMES = {"39": "Aran"}


def read_csv(path, columns):
    try:
        with path.open(encoding="utf-8", newline="") as handle:
            reader = csv.DictReader(handle)
            if reader.fieldnames != columns:
                raise CommandError(f"{path}: expected columns {columns}, got {reader.fieldnames}")
            return list(reader)
    except OSError as error:
        raise CommandError(f"{path}: {error.strerror}") from error


def write_json(path, objects):
    path.write_text(json.dumps(objects, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")


class Command(BaseCommand):
    help = "Build fixtures/municipalities.json and fixtures/comarques.json from the ICGC CSVs."

    def add_arguments(self, parser):
        parser.add_argument("csv_path", type=Path)
        parser.add_argument("--comarques-csv", type=Path)
        parser.add_argument("--municipality-comarca-csv", type=Path)
        parser.add_argument(
            "--output", type=Path, default=Path(settings.FIXTURE_DIRS[0]) / "municipalities.json"
        )
        parser.add_argument("--comarques-output", type=Path)

    def handle(self, *args, csv_path, output, **options):
        folder = csv_path.parent
        comarques_csv = options["comarques_csv"] or folder / "catalan-comarques.csv"
        links_csv = options["municipality_comarca_csv"] or folder / "municipality-comarca.csv"
        comarques_output = options["comarques_output"] or output.with_name("comarques.json")

        rows = read_csv(csv_path, COLUMNS)
        comarques = read_csv(comarques_csv, COMARCA_COLUMNS)
        comarca_of = {
            row["ine_code"]: row["comarca_code"] for row in read_csv(links_csv, MEMBERSHIP_COLUMNS)
        }
        codes = {row["comarca_code"] for row in comarques}
        problems = [
            f"{row['ine_code']} {row['name']}: no comarca in {links_csv}"
            for row in rows
            if row["ine_code"] not in comarca_of
        ]
        problems += [
            f"{code}: comarca {comarca} is not in {comarques_csv}"
            for code, comarca in comarca_of.items()
            if comarca not in codes
        ]
        problems += [
            f"{row['ine_code']} {row['name']}: not a Catalan province code"
            for row in rows
            if row["ine_code"][:2] not in Province.values
        ]
        if problems:
            raise CommandError("\n".join(problems))

        comarca_objects = [
            {
                "model": "networks.comarca",
                "pk": int(row["comarca_code"]),
                "fields": {
                    "code": row["comarca_code"],
                    "name_ca": row["name"],
                    "name_en": ENGLISH_NAMES.get(row["comarca_code"], row["name"]),
                    "slug_ca": slugify(row["name"]),
                    "slug_en": slugify(ENGLISH_NAMES.get(row["comarca_code"], row["name"])),
                },
            }
            for row in comarques
        ]
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
                    "comarca": int(comarca_of[row["ine_code"]]),
                    "province": row["ine_code"][:2],
                },
            }
            for row in rows
        ]
        write_json(comarques_output, comarca_objects)
        write_json(output, objects)
        self.stdout.write(
            self.style.SUCCESS(
                f"{len(objects)} municipalities written to {output}, "
                f"{len(comarca_objects)} comarques to {comarques_output}"
            )
        )
