"""Benchmark of the API and the downloads at scale: prints figures, asserts nothing.

    make benchmark-api      (DATABASE_URL=postgres://… for PostgreSQL; --organisations N)

Creates a throwaway test database, loads the seed, adds N organisations (default 100,000)
spread over the municipalities, kinds and themes, and prints for each API request the median
and 95th-percentile time over several requests and its number of SQL queries; then the time,
size and peak Python memory of streaming whole downloads (CSV and GeoJSON of every
organisation).
"""

import argparse
import itertools
import os
import statistics
import sys
import time
import tracemalloc

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "xmess_site.settings")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext, setup_test_environment  # noqa: E402
from django.urls import reverse  # noqa: E402
from django.utils import translation  # noqa: E402

from networks.models import Municipality, Organisation, Theme  # noqa: E402

REPEAT = 20


def add_organisations(n):
    municipalities = list(Municipality.objects.values_list("pk", flat=True))
    kinds = itertools.cycle(Organisation.Kind.values)
    places = itertools.cycle(municipalities + [None])
    batch = 5000
    for start in range(0, n, batch):
        Organisation.objects.bulk_create(
            Organisation(
                name_ca=f"Cooperativa de prova {i}",
                name_en=f"Test cooperative {i}",
                slug_ca=f"cooperativa-prova-{i}",
                slug_en=f"test-cooperative-{i}",
                description_ca="Una cooperativa de prova per mesurar el directori.",
                description_en="A test cooperative to measure the directory.",
                kind=next(kinds),
                municipality_id=next(places),
            )
            for i in range(start, min(n, start + batch))
        )
    through = Organisation.themes.through
    themes = list(Theme.objects.values_list("pk", flat=True))
    ids = Organisation.objects.filter(slug_ca__startswith="cooperativa-prova-").values_list(
        "pk", flat=True
    )
    rows = [
        through(organisation_id=pk, theme_id=themes[pk % len(themes)])
        for pk in ids.iterator(chunk_size=5000)
    ]
    through.objects.bulk_create(rows, batch_size=5000)


def measure(client, url):
    timings = []
    for _ in range(REPEAT):
        start = time.perf_counter()
        response = client.get(url)
        timings.append((time.perf_counter() - start) * 1000)
        assert response.status_code == 200, (url, response.status_code)
    with CaptureQueriesContext(connection) as queries:
        client.get(url)
    p95 = statistics.quantiles(timings, n=20)[-1]
    return statistics.median(timings), p95, len(queries)


def stream(client, url):
    tracemalloc.start()
    start = time.perf_counter()
    response = client.get(url)
    size = sum(len(chunk) for chunk in response.streaming_content)
    elapsed = time.perf_counter() - start
    _current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return elapsed, size, peak


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--organisations", type=int, default=100_000)
    parser.add_argument("--no-downloads", action="store_true")
    args = parser.parse_args()

    setup_test_environment()
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        client = Client()
        call_command("seed", verbosity=0)
        start = time.perf_counter()
        add_organisations(args.organisations)
        print(f"database: {connection.vendor}; organisations: {Organisation.objects.count()}")
        print(f"(created in {time.perf_counter() - start:.1f} s)")
        theme = Theme.objects.first().slug_ca
        last_page = Organisation.objects.count() // 50
        urls = [
            "/api/v1/organisations/",
            "/api/v1/organisations/?page=2",
            f"/api/v1/organisations/?page={last_page // 2}",
            f"/api/v1/organisations/?page={last_page}",
            "/api/v1/organisations/?page_size=100",
            "/api/v1/organisations/?kind=cooperative",
            f"/api/v1/organisations/?theme={theme}",
            f"/api/v1/organisations/?kind=association&theme={theme}",
            "/api/v1/organisations/?q=cooperativa",
            "/api/v1/organisations/?q=xarxa",
            f"/api/v1/organisations/{Organisation.objects.order_by('-pk').first().pk}/",
            "/api/v1/networks/",
            "/api/v1/municipalities/?page_size=100",
            "/api/v1/events/",
            "/api/v1/actions/?page_size=100",
        ]
        print(f"\n{'request':64} {'median ms':>10} {'p95 ms':>8} {'queries':>8}")
        for url in urls:
            median, p95, queries = measure(client, url)
            print(f"{url[:64]:64} {median:>10.1f} {p95:>8.1f} {queries:>8}")
        if not args.no_downloads:
            print(f"\n{'download':64} {'seconds':>10} {'MiB':>8} {'peak MiB':>8}")
            for fmt, query in [("csv", ""), ("geojson", ""), ("csv", "?kind=cooperative")]:
                with translation.override("ca"):
                    url = reverse("networks:organisation_export", args=[fmt]) + query
                elapsed, size, peak = stream(client, url)
                print(f"{url[:64]:64} {elapsed:>10.1f} {size / 2**20:>8.1f} {peak / 2**20:>8.1f}")
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)
    return 0


if __name__ == "__main__":
    sys.exit(main())
