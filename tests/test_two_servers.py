"""Two production servers (gunicorn) sharing PostgreSQL and Redis: an edit through one is
seen at once through the other, although the other had the page cached.

Runs in the PostgreSQL run of the suite (the servers must see the test database; SQLite's
in-memory test database is private to this process). Skipped when Redis does not answer,
except on CI, where it is required like PostgreSQL.
"""

import http.cookiejar
import os
import re
import socket
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from pathlib import Path

import pytest
from django.contrib.auth.hashers import PBKDF2PasswordHasher
from django.contrib.auth.models import User
from django.core.cache import caches
from django.db import connection
from django.utils import translation

from networks.models import Theme
from tests.test_caching import REDIS_TEST_URL, redis_answers

ROOT = Path(__file__).resolve().parent.parent
PASSWORD = "two-servers-password-42"

pytestmark = pytest.mark.django_db(transaction=True)


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def shared(settings):
    if connection.vendor != "postgresql":
        pytest.skip("Needs PostgreSQL: runs in the PostgreSQL run of the suite.")
    if not redis_answers():
        if os.environ.get("CI") == "true":
            pytest.fail(f"Redis is required on CI ({REDIS_TEST_URL}).")
        pytest.skip(f"No Redis at {REDIS_TEST_URL}.")
    # The servers and this test share one cache: the one production settings build.
    settings.CACHES = {
        "default": {
            "BACKEND": "networks.shared_cache.SharedRedisCache",
            "LOCATION": REDIS_TEST_URL,
            "KEY_PREFIX": "xmess",
        }
    }
    caches["default"].clear()
    yield
    caches["default"].clear()


def database_url():
    db = connection.settings_dict
    user = urllib.parse.quote(db["USER"] or "")
    password = f":{urllib.parse.quote(db['PASSWORD'])}" if db["PASSWORD"] else ""
    return (
        f"postgres://{user}{password}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"
    )


class Server:
    """One gunicorn, as production starts it, on a free 127.0.0.1 port."""

    def __init__(self):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        env = {
            **os.environ,
            "DATABASE_URL": database_url(),
            "REDIS_URL": REDIS_TEST_URL,
            "BIND": f"127.0.0.1:{self.port}",
            "WEB_CONCURRENCY": "1",
            "DEBUG": "false",
            "SECRET_KEY": "two-servers-test-key-0123456789abcdefghijklmnopqrstuvwxyz",
            "ALLOWED_HOSTS": "127.0.0.1",
            "SECURE_SSL_REDIRECT": "false",
            "SESSION_COOKIE_SECURE": "false",
            "CSRF_COOKIE_SECURE": "false",
            "STATIC_MANIFEST": "false",
            "WHITENOISE_USE_FINDERS": "true",
        }
        self.process = subprocess.Popen(
            [
                str(Path(sys.executable).with_name("gunicorn")),
                "-c",
                "xmess_site/gunicorn.conf.py",
                "xmess_site.wsgi",
            ],
            cwd=ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )
        self.cookies = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(self.cookies), NoRedirect()
        )
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=1):
                    return
            except OSError:
                if self.process.poll() is not None:
                    break
                time.sleep(0.2)
        self.stop()
        raise AssertionError(f"gunicorn did not start: {self.process.stderr.read().decode()}")

    def get(self, path, anonymous=True):
        opener = urllib.request.build_opener(NoRedirect()) if anonymous else self.opener
        with opener.open(self.url + path, timeout=10) as response:
            return response.status, response.headers, response.read().decode()

    def post(self, path, data):
        body = urllib.parse.urlencode(data, doseq=True).encode()
        try:
            with self.opener.open(self.url + path, data=body, timeout=10) as response:
                return response.status, response.read().decode()
        except urllib.error.HTTPError as error:
            return error.code, error.read().decode()

    def csrf_token(self, html):
        return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html)[1]

    def stop(self):
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


@pytest.fixture
def servers(shared):
    started = []
    try:
        started += [Server(), Server()]
        yield started
    finally:
        for server in started:
            server.stop()


def test_an_edit_through_one_server_shows_at_once_through_the_other(servers):
    server_a, server_b = servers
    theme = Theme.objects.create(
        name_ca="Tema de dos servidors",
        name_en="Two servers theme",
        slug_ca="tema-dos-servidors",
        slug_en="two-servers-theme",
    )
    User.objects.create(
        username="root",
        is_staff=True,
        is_superuser=True,
        password=PBKDF2PasswordHasher().encode(PASSWORD, "twoservers", iterations=1000),
    )
    with translation.override("ca"):
        page = theme.get_absolute_url()

    # Server B has the page in the shared cache before the edit.
    status, first, html = server_b.get(page)
    assert status == 200 and "Tema de dos servidors" in html
    status, again, _html = server_b.get(page)
    assert again["ETag"] == first["ETag"]

    # A member of staff edits the theme in the admin of server A.
    _status, _headers, html = server_a.get("/ca/admin/login/", anonymous=False)
    status, body = server_a.post(
        "/ca/admin/login/?next=/ca/admin/",
        {
            "username": "root",
            "password": PASSWORD,
            "csrfmiddlewaretoken": server_a.csrf_token(html),
        },
    )
    assert status == 302, body[:2000]
    change = f"/ca/admin/networks/theme/{theme.pk}/change/"
    _status, _headers, html = server_a.get(change, anonymous=False)
    status, body = server_a.post(
        change,
        {
            "csrfmiddlewaretoken": server_a.csrf_token(html),
            "name_ca": "Tema editat al servidor A",
            "name_en": "Two servers theme",
            "slug_ca": "tema-dos-servidors",
            "slug_en": "two-servers-theme",
            "description_ca": "",
            "description_en": "",
        },
    )
    assert status == 302, body[:2000]

    # Server B shows the edit at once: no timer, the shared version moved.
    status, after, html = server_b.get(page)
    assert status == 200
    assert "Tema editat al servidor A" in html
    assert after["ETag"] != first["ETag"]
