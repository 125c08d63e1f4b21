"""The content version: what every cached page and figure is stored under, bumped at once
by any change; and the values kept per version (a page's counts, the small tables).

The content version. One integer in the shared cache (Redis when ``REDIS_URL`` is set, so
every server reads the same one) names the current state of the content. Any change bumps
it: ``post_save``, ``post_delete`` and ``m2m_changed`` of every model of the apps that call
``watch(app_config)`` (networks and actions; admin edits, history reverts and recoveries all
save through the ORM), the ``seed`` command through those signals; imports, which write
rows in bulk, through the save of their ``ImportRecord`` in the same transaction, and
``generate_sample_data`` calls ``bump_content_version()``. A bump
happens at once (so the same process never serves what it just changed) and again when the
transaction commits (so a page rendered by another server between the two, from the old
rows, is stored under a version nobody asks for any more). Nothing expires on a timer to be
correct; the page timeout only bounds memory.

With the local-memory cache (the default) each process has its own version: right for one
process (see gunicorn.conf.py, which uses threads in a single process without Redis), and a
command run in another process cannot reach it, so pages then live at most
``PAGE_CACHE_SECONDS``.
"""

import contextlib
import logging
import threading
import time

from django.conf import settings
from django.core.cache import cache
from django.db import connection, transaction
from django.db.models.signals import m2m_changed, post_delete, post_save

logger = logging.getLogger(__name__)

VERSION_KEY = "content:version"
CHANGED_KEY = "content:changed"


def content_version(*other_keys):
    """(version, time of the last change, {other key: value}) in one round trip.

    A cache that has lost the version (new, restarted, evicted) starts again from the clock
    in milliseconds, above any version it can have held before, so an old page never matches.
    """
    _unread.bump = False
    keys = [VERSION_KEY, CHANGED_KEY, *other_keys]
    values = cache.get_many(keys)
    if VERSION_KEY not in values:
        now = time.time()
        cache.add(VERSION_KEY, int(now * 1000), timeout=None)
        cache.add(CHANGED_KEY, now, timeout=None)
        values = cache.get_many(keys)
    return values.pop(VERSION_KEY), values.pop(CHANGED_KEY, time.time()), values


def bump_content_version():
    """Make every cached page and every cached figure stale, on every server."""
    try:
        # No version yet (ValueError): the next read starts one from the clock.
        with contextlib.suppress(ValueError):
            cache.incr(VERSION_KEY)
        cache.set(CHANGED_KEY, time.time(), timeout=None)
        if hasattr(cache, "announce_change"):  # Redis: every process's copy of the version
            cache.announce_change()
    except Exception:  # a cache outage must not undo the edit that was just saved
        logger.exception("Could not bump the content version")


def current_version():
    """(version, time of the last change) for a request: this process's copy while the
    feed vouches for it (networks/shared_cache.py), else read from the shared cache."""
    _unread.bump = False
    feed = getattr(cache, "feed", None)
    stamp, token = feed.known() if feed is not None else (None, None)
    if stamp is None:
        version, changed, _found = content_version()
        stamp = (version, changed)
        if token is not None:
            feed.remember(stamp, token)
    return stamp


def _bump_on_commit():
    bump_content_version()


def release_changed(**kwargs):
    """After ``migrate``, which every deploy runs (README): the new code must not serve the
    pages the old code rendered under the same content version (a changed template, a
    fixed count) until somebody happens to edit something."""
    bump_content_version()


def content_changed(**kwargs):
    in_transaction = connection.in_atomic_block
    # Inside a transaction, a change needs a bump at once only if this thread has read the
    # version since the last one: nothing else can have stored a page with the change, as
    # it is not committed, and the bump on commit covers every other server. Deleting a
    # network of 25,000 members bumped 50,000 times (each row and its history record),
    # four round trips to Redis each: 2.6 s of every 6 for 1,550 members.
    if not (in_transaction and getattr(_unread, "bump", False)):
        bump_content_version()
        _unread.bump = in_transaction
    # Once per transaction, whatever the number of rows it writes (seed writes a thousand).
    if in_transaction and not any(
        entry[1] is _bump_on_commit for entry in connection.run_on_commit
    ):
        transaction.on_commit(_bump_on_commit)


# Whether this thread's last bump happened inside a transaction and nothing has read the
# version since (content_changed).
_unread = threading.local()


def watch(app_config):
    """Bump the version on any save, delete or many-to-many change of the app's models."""
    for model in app_config.get_models(include_auto_created=True):
        uid = f"xmess-content-{model._meta.label_lower}"
        post_save.connect(content_changed, sender=model, weak=False, dispatch_uid=uid)
        post_delete.connect(content_changed, sender=model, weak=False, dispatch_uid=uid)
        m2m_changed.connect(content_changed, sender=model, weak=False, dispatch_uid=uid)


def cached_by_version(name, compute):
    """A value (e.g. the home page's counts) computed once per content version.

    Stored with the version it was computed under, so one round trip reads both.
    """
    try:
        version, _changed, found = content_version(name)
    except Exception:  # a cache outage costs time, never the page
        logger.exception("Cache unavailable: computing %s", name)
        return compute()
    stored = found.get(name)
    if stored is not None and stored[0] == version:
        return stored[1]
    value = compute()
    try:
        cache.set(name, (version, value), settings.PAGE_CACHE_SECONDS)
    except Exception:
        logger.exception("Cache unavailable: %s not stored", name)
    return value


# What ``kept_by_version`` keeps in this process: {name: (stamp, value)}.
_kept = {}


def kept_by_version(name, compute):
    """A value computed once per content version in this process, with no round trip to
    the shared cache: for the small tables the rows of every list refer to (the themes, the
    municipalities with their comarques). Callers hand out copies, never the kept value."""
    try:
        stamp = current_version()
    except Exception:  # a cache outage costs time, never the page
        logger.exception("Cache unavailable: computing %s", name)
        return compute()
    kept = _kept.get(name)
    if kept is None or kept[0] != stamp:
        kept = _kept[name] = (stamp, compute())
    return kept[1]


def forget_kept(name):
    """Read ``name`` again on its next use (it misses a row another server just added)."""
    _kept.pop(name, None)
