"""Copy the municipal and comarca boundaries the maps draw into networks/data/.

Reads the shared TopoJSON (947 municipalities keyed by INE code, 43 comarques keyed by
comarca code; IGN/CNIG and ICGC, CC BY 4.0) and the municipality CSV, checks that both list
the same municipalities, and writes ``networks/data/boundaries.topojson``. Municipalities
that collapsed to no area at this resolution (null geometry) become a TopoJSON ``Point`` at
their representative point from the CSV, quantized like the arcs, so the maps draw a dot.
"""

import csv
import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from networks.maps import DATA_FILE


class Command(BaseCommand):
    help = "Build networks/data/boundaries.topojson from the shared TopoJSON and CSV."

    def add_arguments(self, parser):
        parser.add_argument("topojson_path", type=Path)
        parser.add_argument("csv_path", type=Path, help="catalan-municipalities.csv")
        parser.add_argument("--output", type=Path, default=DATA_FILE)

    def handle(self, *args, topojson_path, csv_path, output, **options):
        try:
            topology = json.loads(topojson_path.read_text(encoding="utf-8"))
            with csv_path.open(encoding="utf-8", newline="") as handle:
                points = {row["ine_code"]: row for row in csv.DictReader(handle)}
        except (OSError, ValueError, KeyError) as error:
            raise CommandError(f"Could not read the inputs: {error}") from error
        try:
            municipalities = topology["objects"]["municipalities"]["geometries"]
            comarques = topology["objects"]["comarques"]["geometries"]
            (sx, sy), (tx, ty) = topology["transform"]["scale"], topology["transform"]["translate"]
        except (KeyError, TypeError, ValueError) as error:
            raise CommandError(f"{topojson_path}: not the expected TopoJSON ({error})") from error
        codes = {geometry["id"] for geometry in municipalities}
        if codes != set(points):
            raise CommandError(
                f"{topojson_path} and {csv_path} list different municipalities: "
                f"{sorted(codes ^ set(points))[:10]}"
            )
        dots = 0
        for geometry in municipalities:
            if geometry.get("type") is None:
                row = points[geometry["id"]]
                geometry["type"] = "Point"
                geometry["coordinates"] = [
                    round((float(row["longitude"]) - tx) / sx),
                    round((float(row["latitude"]) - ty) / sy),
                ]
                dots += 1
        output.parent.mkdir(parents=True, exist_ok=True)
        output.write_text(
            json.dumps(topology, ensure_ascii=False, separators=(",", ":")) + "\n",
            encoding="utf-8",
        )
        self.stdout.write(
            self.style.SUCCESS(
                f"{len(municipalities)} municipalities ({dots} as points) and "
                f"{len(comarques)} comarques written to {output}"
            )
        )
