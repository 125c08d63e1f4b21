"""Errors are seen (logged with a traceback and a request id) and survived (503, recovery)."""

import io
import json
import logging
import os
import socket
import subprocess
import sys
from pathlib import Path
from unittest import mock

import pytest
from django.db import OperationalError, connection
from django.test import Client
from django.urls import path

import xmess_site.urls as root
from networks.failures import RETRY_AFTER_SECONDS

pytestmark = pytest.mark.django_db

BASE_DIR = Path(__file__).resolve().parent.parent


@pytest.fixture
def stderr_log():
    """What the configured stderr handler writes, through the real formatter."""
    handler = next(h for h in logging.getLogger().handlers if h.name == "stderr")
    stream = io.StringIO()
    previous = handler.setStream(stream)
    yield stream
    handler.setStream(previous)


def with_broken_view(settings):
    def broken(request):
        request.user.is_authenticated  # noqa: B018 - the view looked at its user
        raise RuntimeError("boom in a view")

    settings.ROOT_URLCONF = type(
        "Urls",
        (),
        {
            "urlpatterns": [*root.urlpatterns, path("en/broken/", broken)],
            "handler500": root.handler500,
        },
    )


def test_a_server_error_is_logged_with_its_traceback_path_user_and_request_id(
    settings, stderr_log, django_user_model
):
    with_broken_view(settings)
    user = django_user_model.objects.create_user("ana", password="x" * 12)
    client = Client(raise_request_exception=False)
    client.force_login(user)
    response = client.get("/en/broken/")
    assert response.status_code == 500
    request_id = response.headers["X-Request-ID"]
    # The visitor can quote the reference, and it is the one in the log.
    assert request_id in response.content.decode()
    lines = stderr_log.getvalue().splitlines()
    records = [json.loads(line) for line in lines]  # one JSON object per line
    error = next(r for r in records if r["logger"] == "django.request")
    assert error["level"] == "ERROR"
    assert error["status"] == 500
    assert error["path"] == "/en/broken/"
    assert error["request_id"] == request_id
    assert error["user_id"] == user.pk
    assert "RuntimeError: boom in a view" in error["traceback"]
    assert 'File "' in error["traceback"]


def test_every_response_names_its_request_even_a_static_file(client):
    page = client.get("/ca/")
    static = client.get("/static/css/site.css")
    assert static.status_code == 200
    ids = {page.headers["X-Request-ID"], static.headers["X-Request-ID"]}
    assert len(ids) == 2 and all(len(value) >= 8 for value in ids)


def test_a_request_id_from_the_proxy_is_kept_but_garbage_is_replaced(client):
    kept = client.get("/ca/", HTTP_X_REQUEST_ID="lb-0123456789abcdef")
    assert kept.headers["X-Request-ID"] == "lb-0123456789abcdef"
    forged = client.get("/ca/", HTTP_X_REQUEST_ID='x"\n{"level": "INFO"}')
    assert "\n" not in forged.headers["X-Request-ID"]
    assert forged.headers["X-Request-ID"] != 'x"\n{"level": "INFO"}'


def database_down():
    """Every new query fails as a refused connection does."""
    refused = OperationalError("connection refused: is the server running on that port?")
    return mock.patch.object(connection, "ensure_connection", side_effect=refused)


@pytest.mark.parametrize(
    ("url", "language", "heading"),
    [("/ca/", "ca", "Temporalment no disponible"), ("/en/", "en", "Temporarily unavailable")],
)
def test_a_database_outage_answers_503_in_the_visitors_language_then_recovers(
    client, url, language, heading, stderr_log
):
    with database_down():
        response = client.get(url)
    assert response.status_code == 503
    assert response.headers["Retry-After"] == str(RETRY_AFTER_SECONDS)
    assert "no-store" in response.headers["Cache-Control"]
    html = response.content.decode()
    assert f'<html lang="{language}">' in html
    assert f"<h1>{heading}</h1>" in html
    assert response.headers["X-Request-ID"] in html
    logged = [json.loads(line) for line in stderr_log.getvalue().splitlines()]
    assert any("connection refused" in r.get("traceback", "") for r in logged)
    # The database is back: the same process serves the page again, no restart.
    assert client.get(url).status_code == 200


def test_healthz_reports_database_and_cache_and_is_never_cached(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "checks": {"database": "ok", "cache": "ok"}}
    assert "no-store" in response.headers["Cache-Control"]
    assert client.head("/healthz").status_code == 200


def test_healthz_answers_503_when_the_database_or_the_cache_is_down(client):
    with database_down():
        response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["checks"] == {"database": "unavailable", "cache": "ok"}
    with mock.patch("networks.health.cache.set", side_effect=ConnectionError("redis gone")):
        response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["checks"] == {"database": "ok", "cache": "unavailable"}


def closed_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]  # nothing listens once the probe is closed


SCRIPT = """
import django, json
django.setup()
from django.test import Client
client = Client()
home = client.get("/en/", HTTP_ACCEPT_LANGUAGE="en")
health = client.get("/healthz")
print(json.dumps({
    "home": home.status_code, "retry": home.headers.get("Retry-After"),
    "health": health.status_code, "checks": health.json()["checks"],
}))
"""


def test_the_app_pointed_at_a_database_that_refuses_connections_answers_503():
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "xmess_site.settings",
        "DATABASE_URL": f"postgres://xmess@127.0.0.1:{closed_port()}/xmess",
        "ALLOWED_HOSTS": "testserver",
    }
    result = subprocess.run(  # noqa: S603 - our own interpreter and script
        [sys.executable, "-c", SCRIPT],
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    outcome = json.loads(result.stdout.strip().splitlines()[-1])
    assert outcome["home"] == 503
    assert outcome["retry"] == str(RETRY_AFTER_SECONDS)
    assert outcome["health"] == 503
    assert outcome["checks"] == {"database": "unavailable", "cache": "ok"}
    assert "Connection refused" in result.stderr or "connection refused" in result.stderr
