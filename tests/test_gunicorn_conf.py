"""The production server's hooks (xmess_site/gunicorn.conf.py): the master warms up what its
workers share without opening a connection they would inherit, and each worker opens its own
connections before its first request, and still starts when the database is down."""

import runpy
from pathlib import Path

import pytest
from django.db import OperationalError
from django.db.backends.base.base import BaseDatabaseWrapper

CONF = Path(__file__).resolve().parent.parent / "xmess_site" / "gunicorn.conf.py"

# Transactional: the tests close the connection, which a test inside a transaction cannot.
pytestmark = pytest.mark.django_db


def load_conf(monkeypatch, redis_url):
    """The configuration as gunicorn reads it, with ``REDIS_URL`` set or not."""
    if redis_url:
        monkeypatch.setenv("REDIS_URL", redis_url)
    else:
        monkeypatch.delenv("REDIS_URL", raising=False)
    return runpy.run_path(str(CONF))


def watch_connections(monkeypatch, refuse=False):
    """The aliases of the database connections asked for (or refused) from here on."""
    asked = []
    ensure = BaseDatabaseWrapper.ensure_connection

    def ensure_connection(self):
        asked.append(self.alias)
        if refuse:
            raise OperationalError("connection refused")
        return ensure(self)

    monkeypatch.setattr(BaseDatabaseWrapper, "ensure_connection", ensure_connection)
    return asked


class Log:
    def __init__(self):
        self.errors = []

    def exception(self, message, *args):
        self.errors.append(message % args if args else message)


class Worker:
    def __init__(self):
        self.log = Log()


def test_the_master_warms_up_without_opening_a_connection(monkeypatch):
    """A connection opened before the fork would be one socket shared by every worker."""
    conf = load_conf(monkeypatch, "redis://127.0.0.1:6379/15")
    asked = watch_connections(monkeypatch)
    conf["when_ready"](None)
    assert asked == []


def test_a_worker_opens_its_database_connection_before_its_first_request(monkeypatch):
    conf = load_conf(monkeypatch, "redis://127.0.0.1:6379/15")
    assert conf["threads"] == 1  # with a shared cache: one request at a time per worker
    asked = watch_connections(monkeypatch)
    worker = Worker()
    conf["post_worker_init"](worker)
    assert asked == ["default"]
    assert worker.log.errors == []


def test_a_worker_still_starts_when_the_database_is_down(monkeypatch):
    conf = load_conf(monkeypatch, "redis://127.0.0.1:6379/15")
    watch_connections(monkeypatch, refuse=True)
    worker = Worker()
    conf["post_worker_init"](worker)  # does not raise: the worker serves its 503s
    assert worker.log.errors == ["Could not open the worker's connections ahead of its requests"]


def test_threads_open_their_own_connections(monkeypatch):
    """Without a shared cache the workers are threads of one process: each opens its own."""
    conf = load_conf(monkeypatch, None)
    assert conf["threads"] > 1
    asked = watch_connections(monkeypatch)
    conf["post_worker_init"](Worker())
    assert asked == []
