"""Fill the database with clearly synthetic sample data at scale, for benchmarks.

    manage.py generate_sample_data --organisations 100000 [--clear] [--seed 1]

Proportions from N: N/50 networks (three of them with 20–25 % of all organisations as
members), 3·N memberships, N/20 events, N/2000 funders with N/20 fundings, and (from the
``actions`` app, through the provider registry in ``networks/sample_data/``) N/10 plan
actions over 20 plans with their scheduled years. Every municipality is used. The seed is
loaded first if it is missing (municipalities and themes come from it).

Idempotent: with sample data already there for the same N, nothing is done; for another N,
``--clear`` is needed, and it removes only sample rows (slugs ``mostra-…`` / ``sample-…``).
On PostgreSQL it ends with ``VACUUM (ANALYZE)``, so the first queries are planned on the
new sizes and can read indexes alone.
"""

import time

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction

from networks import sample_data
from networks.caching import bump_content_version


class Command(BaseCommand):
    help = "Generate synthetic sample data at scale (clearly marked; --clear removes it)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--organisations",
            type=int,
            default=0,
            help="N: how many sample organisations (the rest is scaled from it).",
        )
        parser.add_argument(
            "--clear", action="store_true", help="Remove the sample data made before, first."
        )
        parser.add_argument(
            "--seed", type=int, default=1, help="Random seed (same seed, same data)."
        )

    def handle(self, *args, organisations, clear, seed, verbosity, **options):
        if organisations < 0:
            raise CommandError("--organisations must be 0 or more.")
        if not organisations and not clear:
            raise CommandError("Say how many: --organisations N (or --clear to remove).")
        start = time.perf_counter()
        existing = sample_data.exists()
        if existing and not clear:
            if existing == organisations:
                self.stdout.write(f"Sample data for {existing} organisations is already there.")
                return
            raise CommandError(
                f"Sample data for {existing} organisations is already there: "
                "add --clear to replace it."
            )
        call_command("seed", verbosity=0)
        with transaction.atomic():
            if clear and existing:
                sample_data.clear()
                if verbosity:
                    self.stdout.write(f"Removed the sample data for {existing} organisations.")
            counts = {}
            if organisations:
                counts = sample_data.generate(sample_data.make_context(organisations, seed))
            transaction.on_commit(bump_content_version)
        # Until autovacuum gets to the new rows (never, where it is off) the planner's
        # statistics describe the tables before the load and no page is marked all-visible:
        # a filter on 40,000 cooperatives was planned as 160 rows (20 times slower), and
        # page 2,000 of the API sorted every row (143 ms) instead of walking the order's
        # index (18 ms). VACUUM cannot run inside a transaction (tests): ANALYZE there.
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE" if connection.in_atomic_block else "VACUUM (ANALYZE)")
        if verbosity and counts:
            made = ", ".join(f"{count} {what}" for what, count in counts.items())
            self.stdout.write(
                self.style.SUCCESS(f"Made {made} in {time.perf_counter() - start:.1f} s.")
            )
