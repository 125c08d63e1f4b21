"""gunicorn settings for production: ``gunicorn -c xmess_site/gunicorn.conf.py xmess_site.wsgi``.

Environment: ``BIND`` (default 127.0.0.1:8000; a TLS proxy in front), ``WEB_CONCURRENCY``
(worker processes, overriding the rule below), ``GUNICORN_THREADS``, ``ACCESS_LOG`` ("-" for
stdout; off by default, the proxy in front usually logs).

How many workers. Rendering a page is Python work that holds the GIL, so only processes use
more than one core: with a shared cache (``REDIS_URL``) we run ``2 × cores + 1`` synchronous
workers, gunicorn's own rule, so that while one worker waits on PostgreSQL or Redis another
renders.

Without ``REDIS_URL`` the cache is local memory, one per process: several processes would
each keep their own pages and their own content version, and an edit made through one would
not reach the others (stale pages for up to PAGE_CACHE_SECONDS). So then we run a single
process with ``2 × cores + 1`` threads: one cache, one version, correct at once, at the cost
of using one core. Set ``REDIS_URL`` to use them all.
"""

import contextlib
import gc
import multiprocessing
import os

cores = multiprocessing.cpu_count()
shared_cache = bool(os.environ.get("REDIS_URL"))

bind = os.environ.get("BIND", "127.0.0.1:8000")
if shared_cache:
    workers = int(os.environ.get("WEB_CONCURRENCY") or 2 * cores + 1)
    threads = int(os.environ.get("GUNICORN_THREADS") or 1)
else:
    workers = 1
    threads = int(os.environ.get("GUNICORN_THREADS") or 2 * cores + 1)
worker_class = "gthread" if threads > 1 else "sync"

# A request that takes longer than this is killed (and logged), never left to pile up.
# Pages answer in well under a second; the longest legitimate request is the first download
# of a whole list after a change (the organisations at 100,000: 26-29 s, then kept on disk
# and sent in milliseconds; networks/exports.py), which 30 s would cut on a busy server.
timeout = 120
graceful_timeout = 30
# Load the application once in the master and fork the workers from it: a worker that is
# recycled (below) is ready at once, instead of importing Django again for a second or two
# while its share of the traffic queues. Nothing opens a database or cache connection at
# import time, so no socket is shared across the fork.
preload_app = True
# Recycle workers now and then, so a slow leak in any library never grows without bound.
# Cached pages are served at 1,000+ requests/s: with 2,000 requests a worker, every worker
# restarted every few seconds, nearly together, and the load test saw whole seconds with no
# answer. Wide jitter keeps the restarts apart.
max_requests = 20000
max_requests_jitter = 5000
accesslog = os.environ.get("ACCESS_LOG") or None
errorlog = "-"
# Behind the proxy: trust its X-Forwarded-* headers only from these addresses.
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")


def when_ready(server):
    # Work every worker would otherwise repeat on its first requests (80-150 ms each), done
    # once in the master, opening no database or cache connection: the translation
    # catalogues, URL patterns and date formats of each language, the site's compiled
    # templates, their context processors and form renderer, the cache's modules and the
    # Redis client library, and the maps' boundaries, decoded and projected (80 ms, on the
    # first page with a map that each worker served).
    from pathlib import Path

    from django.conf import settings
    from django.forms.renderers import get_default_renderer
    from django.template import engines
    from django.template.loader import get_template
    from django.urls import NoReverseMatch, get_resolver, reverse
    from django.utils import formats, translation
    from django.utils.module_loading import import_string

    from networks import maps

    for code, _name in settings.LANGUAGES:
        formats.get_format_modules(code)
        with translation.override(code):
            resolver = get_resolver()
            resolver.reverse_dict  # noqa: B018 -- reading it fills it for the language
            # A name in a namespace ("networks:network_list") is reversed through patterns
            # Django builds for the namespace's prefix in each language, on first use (12 ms
            # on a worker's first page): reversing any one of its names builds them.
            for namespace, (_prefix, namespaced) in resolver.namespace_dict.items():
                name = next((n for n in namespaced.reverse_dict if isinstance(n, str)), None)
                if name is not None:
                    with contextlib.suppress(NoReverseMatch):  # a name that needs arguments
                        reverse(f"{namespace}:{name}")
    import_string(settings.CACHES["default"]["BACKEND"])
    if shared_cache:
        import redis  # noqa: F401 -- Django's Redis cache imports it at its first use (50 ms)
    engines["django"].engine.template_context_processors  # noqa: B018 -- imports them
    for folder in settings.TEMPLATES[0]["DIRS"]:
        for path in Path(folder).rglob("*.html"):
            get_template(path.relative_to(folder).as_posix())
    get_default_renderer()  # imports FORM_RENDERER's module, on a worker's first form
    maps.geography()


def post_worker_init(worker):
    # The worker's own connections, opened before its first request instead of during it
    # (13-16 ms of that request): PostgreSQL's, and Redis's with the subscription that
    # keeps this process's copy of the content version (networks/shared_cache.py). A sync
    # worker serves every request on this thread, so its requests use them; Django closes
    # the database's as usual, after CONN_MAX_AGE. Threads would each open their own.
    if threads > 1:
        return
    from django.db import connection

    from networks.caching import current_version

    try:
        connection.ensure_connection()
        current_version()
    except Exception:  # the database or Redis is down: the first request meets it (a 503)
        worker.log.exception("Could not open the worker's connections ahead of its requests")


def pre_fork(server, worker):
    # Move everything the preloaded application made into the permanent generation before
    # each fork: a worker's full garbage collections no longer walk Django's own objects,
    # and the memory pages it shares with the master stay shared instead of being copied
    # when the collector touches them. (Measured: of 60 requests for 100 API actions, 7
    # besides the workers' first took 126-157 ms before; with this and the warm-up above,
    # none took over 76 ms.)
    gc.freeze()
