"""The shared cache (Redis, ``REDIS_URL``) as the site uses it: Django's Redis cache with one
client per pool, and the feed that keeps each process's copy of the content version.

The feed: this process's copy of the content version, told of every change through pub/sub.

A cached page is served only under the current content version (``networks/caching.py``),
and that version lives in Redis, so that a change made through one server is seen at once
through every other. Reading it there cost a Redis round trip on every cached hit: in
process, a cached ``robots.txt`` took 290-400 µs with it and 130-155 µs with the version at
hand, and on a two-core server the round trip (client, kernel and Redis) held cached pages
under half the throughput of a static file.

So every bump of the version is also announced on a Redis channel, and each cache
(Django keeps one per thread) subscribes to it and keeps the version it last read. Before a
page is served, the request asks the subscription's socket, without waiting, whether it holds
anything: an announcement, the confirmation of a new subscription, or the end of the
connection. The copy is used only when the socket holds nothing, the subscription is
confirmed, and the copy was read less than ``REREAD_SECONDS`` ago; otherwise the request
reads the version from Redis as before, and that becomes the copy.

Why a change is still seen at once. A bump is announced by the process that made it before
that process answers the request that made the change (the save's ``post_save`` and its
``on_commit``), and Redis queues the announcement for every subscriber while it runs the
``PUBLISH``, and sends it in the same round of writes as its answer. A request that reaches
any server after the editor's response has left was sent after the announcement was on its
way, over one hop against the editor's two or more; and the process that made the change
forgets its copy there and then. This is "at once" for anything a person can do; it is not
a lock: a request already being served when the change lands may still get the old page,
as it may without the feed. Anything that breaks the subscription (Redis restarted, the
connection cut) shows as an unreadable or closed socket, which again means "read Redis".
What no announcement reports (the version key changed by hand in ``redis-cli``, a
``FLUSHALL``) is seen within ``REREAD_SECONDS``; ``cache.clear()`` announces.

Only the Redis cache has a feed; the local-memory cache is read directly (it is in memory).
The middleware is in ``networks/page_cache.py``, the content version in ``networks/caching.py``.
"""

import contextlib
import logging
import os
import threading
import time

import redis
from django.core.cache.backends.redis import RedisCache, RedisCacheClient
from redis.backoff import NoBackoff
from redis.connection import parse_url
from redis.retry import Retry

logger = logging.getLogger(__name__)

CHANNEL = "content:changes"
# How long a copy is trusted without news, at most: bounds what no announcement reports.
REREAD_SECONDS = 1.0
# After a failed subscription, requests read Redis directly for this long before another try.
RETRY_SECONDS = 5.0


class ReusedClientRedisCacheClient(RedisCacheClient):
    """One ``redis.Redis`` per connection pool, instead of a new one for every operation.

    Django's client builds a ``redis.Redis`` for each cache call, and redis-py builds its
    table of some 170 response callbacks in each (redis-py issue 3624): measured here, that
    was half the time of serving a cached page. A ``redis.Redis`` is safe to share between
    threads (each command borrows a connection from the pool), so one per pool is kept.
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._clients = {}

    def get_client(self, key=None, *, write=False):
        index = self._get_connection_pool_index(write)
        client = self._clients.get(index)
        if client is None:
            if index not in self._pools:
                self._pools[index] = self._pool_class.from_url(
                    self._servers[index], **self._pool_options
                )
            client = self._clients[index] = self._client(connection_pool=self._pools[index])
        return client


class SharedRedisCache(RedisCache):
    """Django's Redis cache (settings ``REDIS_URL``), reusing its clients (see above), with
    the feed that tells it of every change of the content version (below).
    """

    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = ReusedClientRedisCacheClient
        # Pub/sub channels are not per database: the database is in the channel's name.
        database = parse_url(self._servers[0]).get("db", 0)
        self._channel = f"{self.make_key(CHANNEL)}@{database}"
        self.feed = VersionFeed(self._servers[0], self._channel)

    def announce_change(self):
        """Stale: this process's copy of the version at once, every other one's when the
        announcement reaches it."""
        self.feed.forget()
        self._cache.get_client(write=True).publish(self._channel, b"")

    def clear(self):
        # Emptied, the version starts again from the clock: a copy of the old one is stale.
        cleared = super().clear()
        self.announce_change()
        return cleared


class VersionFeed:
    """The content version as this cache last read it, while no announcement says otherwise."""

    def __init__(self, url, channel):
        self.url = url
        self.channel = channel
        self._lock = threading.Lock()
        self._pid = None
        self._client = None
        self._pubsub = None
        self._stamp = None
        self._read_at = 0.0
        self._news = 0
        self._retry_at = 0.0

    def known(self):
        """(stamp, token): the copy of (version, time of the last change) when it can be
        trusted, else None; and the token to give ``remember`` with what is read instead
        (None: do not keep it)."""
        with self._lock:
            if not self._listening():
                return None, None
            try:
                while self._pubsub.get_message(timeout=0) is not None:
                    self._forget()
            except Exception:  # the connection broke: what was announced meanwhile is lost
                logger.warning("The content version feed broke: reading Redis", exc_info=True)
                self._drop()
                return None, None
            if self._stamp is None or time.monotonic() - self._read_at > REREAD_SECONDS:
                return None, self._news
            return self._stamp, self._news

    def remember(self, stamp, token):
        """Keep ``stamp``, read after ``known`` gave ``token``, unless news came in between."""
        with self._lock:
            if token is not None and token == self._news and self._pubsub is not None:
                self._stamp = stamp
                self._read_at = time.monotonic()

    def forget(self):
        """This process changed the version: never serve its copy again."""
        with self._lock:
            self._forget()

    def _forget(self, *_connection):
        # Also called by redis-py when the subscription connects again, which it does only
        # inside ``get_message``, so under our lock: what was announced meanwhile is lost.
        self._news += 1
        self._stamp = None

    def _listening(self):
        if self._pid != os.getpid():  # forked (gunicorn): the parent's socket is not ours
            self._pid, self._client, self._pubsub, self._stamp = os.getpid(), None, None, None
        if self._pubsub is not None:
            return True
        if time.monotonic() < self._retry_at:
            return False
        try:
            client = redis.Redis.from_url(
                self.url,
                # A broken connection fails the read at once, with no retry. (redis-py still
                # connects again before it raises; that calls ``_forget``, below.)
                retry=Retry(NoBackoff(), 0),
                socket_timeout=2,
                socket_connect_timeout=2,
            )
            pubsub = client.pubsub()
            pubsub.subscribe(self.channel)
            # Announcements count from the confirmation on; until it comes, none is heard.
            confirmation = pubsub.get_message(timeout=2)
            if not confirmation or confirmation["type"] != "subscribe":
                raise redis.ConnectionError("no confirmation of the subscription")
            pubsub.connection.register_connect_callback(self._forget)
        except Exception:
            logger.warning("Could not subscribe to the content version feed", exc_info=True)
            self._retry_at = time.monotonic() + RETRY_SECONDS
            return False
        # The client too: a ``redis.Redis`` from a URL closes its pool's connections, the
        # subscription's among them, when it is collected.
        self._client, self._pubsub = client, pubsub
        self._forget()
        return True

    def _drop(self):
        client, pubsub = self._client, self._pubsub
        self._client = self._pubsub = None
        self._forget()
        with contextlib.suppress(Exception):  # closing what already broke may fail too
            pubsub.close()
            client.close()
