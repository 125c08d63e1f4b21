"""Benchmark of the server-drawn maps: prints figures, asserts nothing.

    make benchmark          (runs this after tests/benchmark.py)

Targets (issue 10): the full Catalonia map at most 300 KB of SVG and 80 KB gzipped,
rendered in at most 30 ms from the cache. Prints the one-off projection time, the render
time from cache (median of many), the SVG sizes raw and gzipped, and for each page with a
map its size, time and number of SQL queries.
"""

import gzip
import os
import statistics
import sys
import time

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "xmess_site.settings")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext, setup_test_environment  # noqa: E402
from django.utils import translation  # noqa: E402

from networks import map_layers, maps  # noqa: E402
from networks.models import Comarca, Municipality, Network  # noqa: E402

REPEAT = 50


def timed(function, repeat=REPEAT):
    timings = []
    for _ in range(repeat):
        start = time.perf_counter()
        result = function()
        timings.append((time.perf_counter() - start) * 1000)
    return result, statistics.median(timings)


def kib(data):
    return f"{len(data) / 1024:7.1f} KiB raw {len(gzip.compress(data)) / 1024:6.1f} KiB gzip"


def main():
    setup_test_environment()
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        call_command("seed", verbosity=0)
        print(f"database: {connection.vendor}")
        maps.geography.cache_clear()
        start = time.perf_counter()
        geography = maps.geography()
        print(
            f"decode + project + simplify (once per process): "
            f"{(time.perf_counter() - start) * 1000:.0f} ms, {len(geography.shapes)} shapes"
        )
        maps.municipality_index()
        xmess = Network.objects.get(acronym="XMESS")
        valles = Comarca.objects.get(code="40")
        codes = set(valles.municipalities.values_list("ine_code", flat=True))
        translation.activate("ca")
        cases = {
            "full map, plain": lambda: maps.render(label="Catalunya"),
            "full map, XMESS members (with queries)": lambda: map_layers.membership_map(xmess).svg,
            "Vallès Occidental map": lambda: maps.render(label="Vallès", only=codes),
        }
        print(f"\n{'map':42} {'size':>34} {'median ms':>10}")
        for name, function in cases.items():
            svg, median = timed(function)
            print(f"{name:42} {kib(svg.encode()):>34} {median:>10.2f}")

        client = Client()
        sabadell = Municipality.objects.get(name="Sabadell")
        urls = [
            "/ca/municipis/",
            "/ca/municipis/?network=xmess&comarca=valles-occidental",
            "/ca/xarxes/xmess/",
            "/ca/xarxes/xmess/?year=2017",
            sabadell.get_absolute_url(),
            "/ca/organitzacions/",
            "/ca/comarques/",
            valles.get_absolute_url(),
            "/ca/municipis.geojson",
        ]
        print(f"\n{'page':56} {'size':>34} {'median ms':>10} {'queries':>8}")
        for url in urls:
            response, median = timed(lambda url=url: client.get(url), repeat=7)
            with CaptureQueriesContext(connection) as queries:
                client.get(url)
            print(f"{url[:56]:56} {kib(response.content):>34} {median:>10.1f} {len(queries):>8}")
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)
    return 0


if __name__ == "__main__":
    sys.exit(main())
