"""Load test: the production server on PostgreSQL + Redis at scale. Prints figures, asserts nothing.

    make loadtest                 (SCALE=100000 by default; DATABASE_URL and REDIS_URL from
                                   LOADTEST_DATABASE_URL / LOADTEST_REDIS_URL)

1. Makes sure the database holds the sample data at ``--scale`` organisations (migrates,
   and runs ``generate_sample_data`` only when the sample data there has another size:
   it is kept between runs), and collects the static files.
2. Starts gunicorn with ``xmess_site/gunicorn.conf.py`` and production settings (DEBUG off,
   hashed static files, Redis cache) on a free 127.0.0.1 port. Only the HTTPS redirect is
   off: there is no TLS proxy in front here.
3. For every kind of public page prints, uncached and cached: median and p95 of one client
   (sequential requests, over at most ``--budget`` seconds per page, at least 3), the SQL
   queries of one request (counted in this process through Django's test client, same
   settings and database) and the HTML bytes; for an uncached request, also the CPU it
   takes in this process, and how much of that goes to rendering templates.
4. Then ``wrk`` at ``--connections`` connections for ``--duration`` each: requests/s, p95
   and errors, cached and uncached, and the same for a static file served by the same
   server, with the ratios to it, and what one request cost in CPU: in the server, in
   PostgreSQL and on the whole machine. Cached pages are loaded twice: as the bytes
   themselves (``Accept-Encoding: identity``, as every other figure here), and as a
   browser asks for them (``gzip, deflate, br``: the cache serves its stored gzip), each
   against the static file asked for the same way (whitenoise serves its precompressed
   ``.gz``). The one-client table gives a cached page's gzip size beside its HTML size.

"Uncached" means the page is rendered for the request: each request carries a session
cookie, and the page cache never serves nor stores a request with a session (what a visitor
with a session gets). What production keeps cached per content version inside a page (the
home page's counts) stays cached, as it would be. "Cached" is an anonymous request after one
warm-up request. A page whose uncached one-client median exceeds ``--wrk-max-seconds`` is
not loaded uncached with wrk: 64 connections would only queue behind it (said in the table).

(One script over 300 lines: it is run and read in one go, top to bottom.)
"""

import argparse
import http.client
import os
import secrets
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
UNCACHED_SESSION = "loadtest-uncached"
UNCACHED_COOKIE = f"sessionid={UNCACHED_SESSION}"

SERVER_ENV = {
    "DEBUG": "false",
    "SECRET_KEY": "loadtest-" + secrets.token_urlsafe(40),
    "ALLOWED_HOSTS": "127.0.0.1,testserver",
    "SECURE_SSL_REDIRECT": "false",
    "STATIC_MANIFEST": "true",
    "WHITENOISE_USE_FINDERS": "false",
}
os.environ.update(SERVER_ENV)
# This process counts each page's queries in-process: no query may run longer than gunicorn
# lets a request run (libpq reads PGOPTIONS; the servers do not get it).
os.environ["PGOPTIONS"] = "-c statement_timeout=30000"
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "xmess_site.settings")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import DatabaseError, connection  # noqa: E402
from django.db.models import Count  # noqa: E402
from django.template.backends import django as django_backend  # noqa: E402
from django.templatetags.static import static  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.urls import reverse  # noqa: E402
from django.utils import translation  # noqa: E402

from actions.models import Action, Plan  # noqa: E402
from networks import sample_data  # noqa: E402
from networks.models import (  # noqa: E402
    Event,
    Funder,
    Municipality,
    Network,
    Organisation,
    Theme,
)
from tests import cpu_usage  # noqa: E402

WRK_SCRIPT = """
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format("RESULT %d %d %d %d %d\\n", summary.requests, summary.duration,
    e.connect + e.read + e.write + e.timeout, e.status, latency:percentile(95)))
end
"""


def ensure_database():
    """Creates the load test's database on its server when it is not there yet (a new
    machine has only PostgreSQL's own databases)."""
    import psycopg
    from psycopg import sql

    params = connection.get_connection_params()
    name = settings.DATABASES["default"]["NAME"]
    params = {k: v for k, v in params.items() if k in ("host", "port", "user", "password")}
    with psycopg.connect(dbname="postgres", autocommit=True, **params) as server:
        if not server.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            server.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
            print(f"created the database {name}")


def ensure_data(scale):
    ensure_database()
    call_command("migrate", verbosity=0)
    existing = sample_data.exists()
    if existing == scale:
        print(f"sample data: {scale} organisations already there (generated earlier)")
        return
    start = time.perf_counter()
    call_command("generate_sample_data", organisations=scale, clear=True, verbosity=0)
    print(f"generate_sample_data --organisations {scale}: {time.perf_counter() - start:.1f} s")


def pages():
    """(label, path): every kind of public page, the heaviest of each at this scale."""
    sample = {"slug_ca__startswith": sample_data.CA_PREFIX}
    biggest = Network.objects.annotate(n=Count("memberships")).order_by("-n").first()
    typical = Network.objects.filter(**sample).annotate(n=Count("memberships")).order_by("n")
    typical = typical[typical.count() // 2]
    organisation = (
        Organisation.objects.filter(**sample).annotate(n=Count("memberships")).order_by("-n")
    ).first()
    funder = Funder.objects.annotate(n=Count("fundings")).order_by("-n").first()
    plan = Plan.objects.annotate(n=Count("lines__actions")).order_by("-n").first()
    line = plan.lines.annotate(n=Count("actions")).order_by("-n").first()
    action = Action.objects.filter(line=line).order_by("position").first()
    theme = Theme.objects.annotate(n=Count("organisations")).order_by("-n").first()
    event = Event.objects.filter(**sample).order_by("-start_date").first()
    small = Municipality.objects.annotate(n=Count("organisations")).order_by("n").first()
    barcelona = Municipality.objects.get(slug="barcelona")
    municipal = Network.objects.filter(kind=Network.Kind.MUNICIPAL_NETWORK, **sample).first()
    year = event.start_date.year
    organisations = Organisation.objects.count()
    with translation.override("ca"):
        return [
            ("home", reverse("home")),
            ("home (en)", translation.override("en")(lambda: reverse("home"))()),
            ("networks", reverse("networks:network_list")),
            (
                "networks filtered",
                reverse("networks:network_list") + f"?kind=network&theme={theme.slug_ca}"
                "&municipality=barcelona",
            ),
            (
                "networks deep page",
                reverse("networks:network_list") + f"?page={Network.objects.count() // 48}",
            ),
            ("organisations", reverse("networks:organisation_list")),
            (
                "organisations filtered",
                reverse("networks:organisation_list")
                + f"?kind=cooperative&theme={theme.slug_ca}&q=economia",
            ),
            (
                "organisations deep page",
                reverse("networks:organisation_list") + f"?page={organisations // 48}",
            ),
            ("funders", reverse("networks:funder_list")),
            ("municipalities", reverse("networks:municipality_list")),
            (
                "municipalities filtered",
                reverse("networks:municipality_list") + f"?network={municipal.slug_ca}",
            ),
            ("municipalities deep page", reverse("networks:municipality_list") + "?page=15"),
            ("events", reverse("networks:event_list")),
            (
                "events filtered",
                reverse("networks:event_list") + f"?year={year}&theme={theme.slug_ca}",
            ),
            ("events deep page", reverse("networks:event_list") + "?page=100"),
            ("plans", reverse("actions:plan_list")),
            (f"network, biggest ({biggest.n} members)", biggest.get_absolute_url()),
            (f"network, typical ({typical.n} members)", typical.get_absolute_url()),
            (f"organisation ({organisation.n} networks)", organisation.get_absolute_url()),
            (f"funder ({funder.n} fundings)", funder.get_absolute_url()),
            ("municipality Barcelona", barcelona.get_absolute_url()),
            ("municipality, small", small.get_absolute_url()),
            ("event", event.get_absolute_url()),
            ("theme", theme.get_absolute_url()),
            (f"plan ({plan.n} actions)", plan.get_absolute_url()),
            ("line", line.get_absolute_url()),
            ("action", action.get_absolute_url()),
            ("timeline, biggest plan", plan.get_timeline_url()),
            ("timeline filtered", plan.get_timeline_url() + f"?year={plan.start_year}"),
            ("timeline CSV", reverse("actions:timeline_csv", kwargs={"slug": plan.slug})),
            ("search cooperativa", reverse("networks:search") + "?q=cooperativa"),
            ("search economia", reverse("networks:search") + "?q=economia"),
            ("events feed", reverse("networks:events_feed")),
            ("events iCal", reverse("networks:events_ical")),
            ("plan changes feed", reverse("actions:changes_feed")),
            ("comarques", reverse("networks:comarca_list")),
            ("comarca Barcelonès", barcelona.comarca.get_absolute_url()),
            ("API organisations", "/api/v1/organisations/"),
            (
                "API organisations filtered",
                f"/api/v1/organisations/?kind=cooperative&theme={theme.slug_ca}&q=economia",
            ),
            ("API organisations deep page", f"/api/v1/organisations/?page={organisations // 50}"),
            ("API networks", "/api/v1/networks/"),
            (
                "API memberships, biggest network",
                f"/api/v1/memberships/?network={biggest.pk}&page_size=100",
            ),
            ("API municipalities", "/api/v1/municipalities/?page_size=100"),
            ("API events", "/api/v1/events/"),
            ("API actions", "/api/v1/actions/?page_size=100"),
            (
                "CSV organisations filtered",
                reverse("networks:organisation_export", kwargs={"format": "csv"})
                + f"?kind=cooperative&theme={theme.slug_ca}",
            ),
            ("sitemap.xml", "/sitemap.xml"),
            ("robots.txt", "/robots.txt"),
        ]


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_server(port):
    env = {**os.environ, **SERVER_ENV, "BIND": f"127.0.0.1:{port}"}
    env.pop("PGOPTIONS")
    gunicorn = str(Path(sys.executable).with_name("gunicorn"))
    process = subprocess.Popen(
        [gunicorn, "-c", "xmess_site/gunicorn.conf.py", "xmess_site.wsgi"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            fetch(port, "/robots.txt")
            return process
        except OSError:
            time.sleep(0.3)
    process.terminate()
    raise SystemExit("gunicorn did not start")


BROWSER_ENCODINGS = "gzip, deflate, br"


def fetch(port, path, cookie=None, timeout=60, encoding="identity"):
    """One request on a new connection: (status, body bytes, seconds).

    The ``Host`` names the port, as wrk's and a browser's do: pages and kept downloads are
    keyed on the host, so a warm-up under another one warms nothing wrk asks for."""
    headers = {"Host": f"127.0.0.1:{port}", "Accept-Encoding": encoding}
    if cookie:
        headers["Cookie"] = cookie
    start = time.perf_counter()
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        conn.request("GET", path, headers=headers)
        response = conn.getresponse()
        body = response.read()
    finally:
        conn.close()
    return response.status, len(body), time.perf_counter() - start


def one_client(port, path, cookie, budget):
    timings = []
    status = size = 0
    started = time.perf_counter()
    try:
        if cookie is None:
            fetch(port, path)  # warm the cache
            started = time.perf_counter()
        while len(timings) < 20 and (len(timings) < 3 or time.perf_counter() - started < budget):
            status, size, seconds = fetch(port, path, cookie)
            timings.append(seconds * 1000)
    except OSError as error:  # gunicorn's timeout killed the worker, or ours expired
        status = type(error).__name__[:6]
        timings.append((time.perf_counter() - started) * 1000)
    timings.sort()
    p95 = timings[min(len(timings) - 1, round(0.95 * (len(timings) - 1)))]
    return status, size, statistics.median(timings), p95, len(timings)


def read(response):
    """The whole response: a download streams, and is kept (and its queries run) only as
    it is read."""
    if response.streaming:
        b"".join(response.streaming_content)
    return response


def query_count(client, path, cookie):
    """The queries of one request after a first one, as the timings see it: a download is
    then kept (and sent by its view with a session, by the page cache without one)."""
    if cookie:
        client.cookies["sessionid"] = UNCACHED_SESSION
    else:
        client.cookies.clear()
    try:
        read(client.get(path))  # warm the cache, keep the download
    except DatabaseError:
        return "timeout"
    try:
        with CaptureQueriesContext(connection) as queries:
            read(client.get(path))
    except DatabaseError:  # over the statement timeout, as gunicorn's would be
        return "timeout"
    finally:
        client.cookies.clear()
    return len(queries)


class TemplateClock:
    """CPU seconds spent rendering templates in this process: the outermost
    ``Template.render`` of Django's backend (a page, or a feed's entry), with what it
    includes and the forms it renders, and the queries it runs lazily."""

    def __init__(self):
        self.seconds = 0.0
        self._depth = 0
        original = django_backend.Template.render

        def render(template, *args, **kwargs):
            self._depth += 1
            started = time.process_time()
            try:
                return original(template, *args, **kwargs)
            finally:
                self._depth -= 1
                if not self._depth:
                    self.seconds += time.process_time() - started

        django_backend.Template.render = render


def render_cost(client, path, clock, repeat=5):
    """Median CPU milliseconds of one uncached request in this process, and of that, in
    templates (the rest is the ORM, the views, the middleware; the server's own share of
    PostgreSQL's time is not in either)."""
    client.cookies["sessionid"] = UNCACHED_SESSION
    totals, templates = [], []
    try:
        for _ in range(repeat):
            clock.seconds = 0.0
            started = time.process_time()
            read(client.get(path))
            totals.append(1000 * (time.process_time() - started))
            templates.append(1000 * clock.seconds)
    except DatabaseError:
        return None, None
    finally:
        client.cookies.clear()
    return statistics.median(totals), statistics.median(templates)


def wrk(port, path, cookie, duration, connections, script, encoding="identity"):
    command = ["wrk", "-t2", f"-c{connections}", f"-d{duration}s", "--timeout", "10s"]
    command += ["-s", script, "-H", f"Accept-Encoding: {encoding}"]
    if cookie:
        command += ["-H", f"Cookie: {cookie}"]
    else:
        fetch(port, path)  # warm the cache
    output = subprocess.run(
        [*command, f"http://127.0.0.1:{port}{path}"],
        capture_output=True,
        text=True,
        check=True,
        timeout=duration + 60,
    ).stdout
    line = next(row for row in output.splitlines() if row.startswith("RESULT"))
    requests, micros, errors, bad_status, p95 = map(int, line.split()[1:])
    return requests, requests / (micros / 1e6), p95 / 1000, errors + bad_status


def drain(port):
    """Wait for the requests still queued from the last run: a new one waits behind them."""
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        try:
            _status, _size, seconds = fetch(port, "/robots.txt", timeout=120)
        except OSError:
            continue
        if seconds < 0.2:
            return
        time.sleep(1)


def load_phase(port, server_pid, results, static_path, args, script):
    """wrk on the static file, then every page cached, then the static file and every page
    cached as a browser asks (gzip), then every page uncached, then the static file again
    (uncached runs leave queues behind: they go last, each drained).

    Each run also gives what one of its requests cost in CPU (tests/cpu_usage.py): in the
    server's processes, in PostgreSQL's, and on the whole machine (wrk included). The
    machine's cores are busy in every run, so a page reaches 5 % of the static file's
    throughput only if it costs at most 20 times the static file's machine CPU."""

    def run(label, mode, path, cookie, static_rps=None, encoding="identity"):
        before = cpu_usage.snapshot(server_pid)
        requests, rps, p95, errors = wrk(
            port, path, cookie, args.duration, args.connections, script, encoding
        )
        cost = cpu_usage.per_request(before, cpu_usage.snapshot(server_pid), requests)
        share = f"{100 * rps / static_rps:>10.1f}%" if static_rps else f"{'-':>11}"
        cpu = "".join(
            f" {cost[part]:>9.2f}" if cost else f" {'-':>9}"
            for part in ("server", "database", "machine")
        )
        print(
            f"{label[:36]:36} {mode:9} {rps:>9.1f} {p95:>9.1f} {errors:>7} {share}{cpu}",
            flush=True,
        )
        return rps, cost

    print(f"\nwrk: {args.connections} connections, {args.duration} s each, 2 threads")
    print(f"{'':36} {'':9} {'':9} {'':9} {'':7} {'':11} {'CPU ms per request':>29}")
    print(
        f"{'page':36} {'mode':9} {'req/s':>9} {'p95 ms':>9} {'errors':>7} {'% of static':>11}"
        f" {'server':>9} {'database':>9} {'machine':>9}"
    )
    static_name = static_path.rsplit("/", 1)[-1]
    static_rps, static_cost = run(f"static {static_name}", "file", static_path, None)
    if static_cost:
        print(
            f"(5 % of the static file's throughput leaves a page about "
            f"{20 * static_cost['machine']:.1f} ms of machine CPU per request)",
            flush=True,
        )
    static_gzip_rps = None
    for mode, cookie in (("cached", None), ("cached gz", None), ("uncached", UNCACHED_COOKIE)):
        encoding = BROWSER_ENCODINGS if mode == "cached gz" else "identity"
        if mode == "cached gz":
            static_gzip_rps, _cost = run(
                f"static {static_name}", "file gz", static_path, None, None, encoding
            )
        for row in results:
            label = row["label"]
            if row[mode.split()[0]] is None:
                print(f"{label[:36]:36} {mode:8} skipped: it fails for one client")
            elif mode == "uncached" and row["uncached"] > args.wrk_max_seconds * 1000:
                print(
                    f"{label[:36]:36} {mode:8} skipped: one request takes "
                    f"{row['uncached'] / 1000:.1f} s"
                )
            else:
                ratio_to = static_gzip_rps if mode == "cached gz" else static_rps
                run(label, mode, row["path"], cookie, ratio_to, encoding)
                if mode == "uncached":
                    drain(port)
    run(f"static {static_name} again", "file", static_path, None, static_rps)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=int, default=100_000)
    parser.add_argument("--duration", type=int, default=10, help="seconds per wrk run")
    parser.add_argument("--connections", type=int, default=64)
    parser.add_argument("--budget", type=float, default=8, help="seconds per one-client series")
    parser.add_argument("--wrk-max-seconds", type=float, default=1.0)
    parser.add_argument(
        "--one-client", action="store_true", help="only the one-client table (no wrk runs)"
    )
    parser.add_argument(
        "--only", help="only pages whose label contains this (or one of these, comma-separated)"
    )
    args = parser.parse_args()
    if (
        connection.vendor != "postgresql"
        or "redis" not in settings.CACHES["default"]["BACKEND"].lower()
    ):
        raise SystemExit("Set DATABASE_URL (PostgreSQL) and REDIS_URL: see the Makefile.")
    if not shutil.which("wrk"):
        raise SystemExit("wrk is missing: make system-packages (Debian's wrk).")

    ensure_data(args.scale)
    call_command("collectstatic", interactive=False, verbosity=0)
    call_command("seed", verbosity=0)
    wanted = args.only.split(",") if args.only else None
    page_list = [p for p in pages() if not wanted or any(w in p[0] for w in wanted)]
    static_path = static("css/site.css")
    port = free_port()
    server = start_server(port)
    client = Client()
    results = []
    with tempfile.NamedTemporaryFile("w", suffix=".lua") as script:
        script.write(WRK_SCRIPT)
        script.flush()
        try:
            print(
                f"\n{connection.vendor}, {Organisation.objects.count()} organisations; "
                f"gunicorn on 127.0.0.1:{port}; {os.cpu_count()} cores\n"
            )
            header = (
                f"{'page':36} {'mode':8} {'status':>6} {'median ms':>10} {'p95 ms':>8} "
                f"{'n':>3} {'queries':>7} {'HTML KB':>8} {'gzip KB':>8} {'CPU ms':>7} "
                f"{'of it, templates':>16}"
            )
            print(header)
            clock = TemplateClock()
            for label, path in page_list:
                row = {"label": label, "path": path}
                for mode, cookie in (("uncached", UNCACHED_COOKIE), ("cached", None)):
                    status, size, median, p95, n = one_client(port, path, cookie, args.budget)
                    queries = query_count(client, path, cookie)
                    row[mode] = median if status == 200 else None
                    # What a browser is sent: only cached pages are compressed.
                    packed = cpu = templates = "-"
                    if cookie is None:
                        packed = f"{fetch(port, path, encoding=BROWSER_ENCODINGS)[1] / 1024:.1f}"
                    else:
                        total, in_templates = render_cost(client, path, clock)
                        if total is not None:
                            cpu, templates = f"{total:.1f}", f"{in_templates:.1f}"
                    print(
                        f"{label[:36]:36} {mode:8} {status:>6} {median:>10.1f} {p95:>8.1f} "
                        f"{n:>3} {queries:>7} {size / 1024:>8.1f} {packed:>8} {cpu:>7} "
                        f"{templates:>16}",
                        flush=True,
                    )
                results.append(row)

            if not args.one_client:
                load_phase(port, server.pid, results, static_path, args, script.name)
        finally:
            server.terminate()
            server.wait(timeout=30)
    return 0


if __name__ == "__main__":
    sys.exit(main())
