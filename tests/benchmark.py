"""Benchmark: prints figures, asserts nothing (targets are judged by reading them).

    make benchmark          (DATABASE_URL=postgres://… make benchmark for PostgreSQL)

It creates a throwaway test database, loads the seed, and for each public page prints the
median time over several requests, the number of SQL queries and the peak Python memory of
one request. With --scale N it then adds N synthetic networks, organisations, memberships
and plan actions, and measures again: query counts that grow with N would show an N+1.
"""

import argparse
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

from actions.models import Action, Line, Plan, ScheduledYear  # noqa: E402
from networks.models import Membership, Municipality, Network, Organisation  # noqa: E402

REPEAT = 7


def pages():
    """One URL per kind of public page, in both languages."""
    plan = Plan.objects.filter(lines__isnull=False).first()
    objects = (
        Network.objects.get(acronym="XMESS"),
        Organisation.objects.get(name_ca="Ajuntament de Barcelona"),
        Municipality.objects.get(name="Barcelona"),
        plan,
        plan.lines.first(),
        Action.objects.filter(line__plan=plan).first(),
    )
    lists = (
        "home",
        "networks:network_list",
        "networks:organisation_list",
        "networks:funder_list",
        "networks:municipality_list",
        "networks:event_list",
        "actions:plan_list",
    )
    urls = []
    for language in ("ca", "en"):
        with translation.override(language):
            urls += [reverse(name) for name in lists]
            urls += [obj.get_absolute_url() for obj in objects]
            urls.append(reverse("actions:timeline", kwargs={"slug": plan.slug}))
            urls.append(reverse("networks:search") + "?q=cooperativa")
    return urls


def measure(client, url):
    timings = []
    for _ in range(REPEAT):
        start = time.perf_counter()
        response = client.get(url)
        timings.append((time.perf_counter() - start) * 1000)
    with CaptureQueriesContext(connection) as queries:
        tracemalloc.start()
        client.get(url)
        _current, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
    return response.status_code, statistics.median(timings), len(queries), peak / 1024


def report(title):
    client = Client()
    # A session cookie keeps the page cache out of the way: these figures are for rendering.
    client.cookies["sessionid"] = "benchmark-uncached"
    print(f"\n{title}")
    print(f"{'page':72} {'status':>6} {'median ms':>10} {'queries':>8} {'peak KiB':>9}")
    for url in pages():
        status, median, queries, peak = measure(client, url)
        print(f"{url[:72]:72} {status:>6} {median:>10.1f} {queries:>8} {peak:>9.0f}")


def scale_up(n):
    """Add n networks with two memberships each, and n actions with four years each."""
    municipality_ids = list(Municipality.objects.values_list("pk", flat=True)[:n])
    orgs = Organisation.objects.bulk_create(
        Organisation(
            name_ca=f"Cooperativa de prova {i}",
            name_en=f"Test cooperative {i}",
            slug_ca=f"cooperativa-prova-{i}",
            slug_en=f"test-cooperative-{i}",
            kind=Organisation.Kind.COOPERATIVE,
        )
        for i in range(n)
    )
    networks = Network.objects.bulk_create(
        Network(
            name_ca=f"Xarxa de prova {i}",
            name_en=f"Test network {i}",
            slug_ca=f"xarxa-prova-{i}",
            slug_en=f"test-network-{i}",
        )
        for i in range(n)
    )
    xmess = Network.objects.get(acronym="XMESS")
    Membership.objects.bulk_create(
        [Membership(network=net, organisation=org) for net, org in zip(networks, orgs, strict=True)]
        + [Membership(network=xmess, organisation=org) for org in orgs]
        + [Membership(network=xmess, municipality_id=m, role="partner") for m in municipality_ids]
    )
    plan = Plan.objects.filter(lines__isnull=False).first()
    line = Line.objects.filter(plan=plan).order_by("number").last()
    start = line.actions.count() + 1
    actions = Action.objects.bulk_create(
        Action(line=line, position=start + i, title_ca=f"Acció {i}", title_en=f"Action {i}")
        for i in range(n)
    )
    ScheduledYear.objects.bulk_create(
        ScheduledYear(action=action, year=year) for action in actions for year in plan.years
    )


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--scale", type=int, default=300)
    args = parser.parse_args()

    setup_test_environment()
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        print(f"database: {connection.vendor}")
        start = time.perf_counter()
        call_command("seed", verbosity=0)
        print(f"seed: {time.perf_counter() - start:.2f} s")
        report("Seed content")
        if args.scale:
            scale_up(args.scale)
            report(f"Seed content plus {args.scale} networks, organisations and actions")
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)
    return 0


if __name__ == "__main__":
    sys.exit(main())
