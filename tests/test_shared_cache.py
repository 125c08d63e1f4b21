"""With Redis, a cached page is served under this process's copy of the content version,
which every change announces (networks/shared_cache.py): no Redis round trip per hit, and
still every change seen at once, whichever server made it.

Runs wherever Redis answers (required on CI), on either database.
"""

import time

import pytest
import redis
from django.core.cache import caches
from django.utils import translation

from networks import caching, shared_cache
from networks.models import Network
from tests.test_caching import REDIS_TEST_URL, redis_cache  # noqa: F401 -- a fixture

pytestmark = pytest.mark.django_db


@pytest.fixture
def page(seeded, redis_cache):  # noqa: F811
    network = Network.objects.get(acronym="XMESS")
    with translation.override("en"):
        return network, network.get_absolute_url()


@pytest.fixture
def other_server(redis_cache):  # noqa: F811
    """The same shared cache as another server's process sees it (its own connections)."""
    return caches.create_connection("default")


def version_reads(monkeypatch):
    reads = []
    real = caching.content_version

    def counted(*keys):
        reads.append(keys)
        return real(*keys)

    monkeypatch.setattr(caching, "content_version", counted)
    return reads


def renamed_elsewhere(network, other_server, name):
    """What another server's save does: the row changes (no signal reaches this process),
    then that server bumps the shared version and announces it."""
    Network.objects.filter(pk=network.pk).update(name_en=name)
    other_server.incr(caching.VERSION_KEY)
    other_server.set(caching.CHANGED_KEY, time.time(), timeout=None)
    other_server.announce_change()


def test_a_cached_page_is_served_without_asking_redis_for_the_version(
    client, page, monkeypatch, django_assert_num_queries
):
    _network, url = page
    client.get(url)
    client.get(url)
    reads = version_reads(monkeypatch)
    with django_assert_num_queries(0):
        for _ in range(3):
            assert client.get(url).status_code == 200
    assert reads == []


def test_a_change_announced_by_another_server_shows_at_once(client, page, other_server):
    network, url = page
    client.get(url)
    client.get(url)
    renamed_elsewhere(network, other_server, "Renamed through another server")
    assert "Renamed through another server" in client.get(url).content.decode()


def test_a_lost_subscription_makes_the_next_request_read_the_version(
    client, page, other_server, monkeypatch
):
    network, url = page
    client.get(url)
    client.get(url)
    # Redis drops this process's subscription (a restart, a cut connection): the change
    # made meanwhile is announced to nobody here.
    feed = caches["default"].feed
    host, port = feed._pubsub.connection._sock.getsockname()[:2]
    redis.Redis.from_url(REDIS_TEST_URL).client_kill(f"{host}:{port}")
    renamed_elsewhere(network, other_server, "Renamed while the feed was down")
    reads = version_reads(monkeypatch)
    assert "Renamed while the feed was down" in client.get(url).content.decode()
    assert reads  # read from Redis, not from the copy
    # The next request subscribes again, and hits are served from the copy once more.
    client.get(url)
    reads.clear()
    client.get(url)
    assert reads == []


def test_a_cleared_cache_is_never_served_from_the_copy(client, page, other_server):
    network, url = page
    client.get(url)
    client.get(url)
    Network.objects.filter(pk=network.pk).update(name_en="Fixed by hand, then cache cleared")
    other_server.clear()
    assert "Fixed by hand, then cache cleared" in client.get(url).content.decode()


def test_a_version_changed_behind_the_feed_is_read_again_soon(client, page, monkeypatch):
    network, url = page
    monkeypatch.setattr(shared_cache, "REREAD_SECONDS", 0.05)
    client.get(url)
    client.get(url)
    # Someone changes the version key by hand: nothing is announced.
    Network.objects.filter(pk=network.pk).update(name_en="Changed behind the feed")
    redis_client = redis.Redis.from_url(REDIS_TEST_URL)
    redis_client.incr(caches["default"].make_key(caching.VERSION_KEY))
    time.sleep(0.1)
    assert "Changed behind the feed" in client.get(url).content.decode()


def test_the_process_that_made_a_change_never_serves_its_copy(client, page, monkeypatch):
    network, url = page
    client.get(url)
    client.get(url)
    # Even before its own announcement comes back to it (here: never).
    shared = caches["default"]._cache.get_client(write=True)
    monkeypatch.setattr(shared, "publish", lambda *args: 0)
    network.name_en = "Renamed right here"
    network.save()
    assert "Renamed right here" in client.get(url).content.decode()
