"""Hardening a visitor or an attacker would notice: lock-outs behind a proxy, headers on
static files, passwords, session length, where signing in lands, HEAD requests."""

import pytest
from axes.models import AccessAttempt
from django.conf import settings as django_settings
from django.contrib.auth.password_validation import validate_password
from django.contrib.sessions.models import Session
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation

from networks.security import SESSION_REFRESH_SECONDS, SESSION_REFRESHED_KEY
from tests.factories import PASSWORD, make_staff
from xmess_site.settings import axes_client_address

pytestmark = pytest.mark.django_db

PROXY = "10.0.0.2"
ATTACKER = "198.51.100.66"
STAFF_HOME = "203.0.113.9"


def login(client, username, password, client_ip):
    # As the TLS proxy forwards it: the proxy connects, and appends what it saw.
    return client.post(
        "/ca/admin/login/?next=/ca/admin/",
        {"username": username, "password": password},
        REMOTE_ADDR=PROXY,
        HTTP_X_FORWARDED_FOR=client_ip,
    )


@pytest.mark.parametrize(
    ("trusted_proxies", "locked_address", "staff_locked_out"),
    [(0, PROXY, True), (1, ATTACKER, False)],
)
def test_the_proxy_setting_decides_which_address_is_locked(
    client, settings, trusted_proxies, locked_address, staff_locked_out
):
    for name, value in axes_client_address(trusted_proxies).items():
        setattr(settings, name, value)
    make_staff("editor")
    for _attempt in range(django_settings.AXES_FAILURE_LIMIT):
        login(client, "editor", "wrong-password", ATTACKER)
    assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) == {locked_address}

    response = login(client, "editor", PASSWORD, STAFF_HOME)
    if staff_locked_out:  # the defect: everyone behind the proxy shares its address
        assert response.status_code == 429
    else:
        assert response.status_code == 302
        assert response.url == "/ca/admin/"


def test_a_forged_forwarded_header_cannot_pick_the_address_that_gets_locked(client, settings):
    for name, value in axes_client_address(1).items():
        setattr(settings, name, value)
    make_staff("editor")
    for _attempt in range(django_settings.AXES_FAILURE_LIMIT):
        # The attacker claims to be the editor; the proxy appends the real address.
        login(client, "editor", "wrong-password", f"{STAFF_HOME}, {ATTACKER}")
    assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) == {ATTACKER}
    assert login(client, "editor", PASSWORD, STAFF_HOME).status_code == 302


def test_lockout_holds_the_username_from_that_address_only(client):
    make_staff("editor")
    make_staff("other")
    for _attempt in range(django_settings.AXES_FAILURE_LIMIT):
        client.post("/ca/admin/login/", {"username": "editor", "password": "nope"})
    locked = client.post("/ca/admin/login/", {"username": "editor", "password": PASSWORD})
    assert locked.status_code == 429
    # Another member of staff at the same address is not locked out.
    other = client.post("/ca/admin/login/", {"username": "other", "password": PASSWORD})
    assert other.status_code == 302


def test_static_files_carry_the_same_security_headers_as_pages(client):
    response = client.get("/static/css/site.css")
    assert response.status_code == 200
    page = client.get("/ca/")
    assert response.headers["Content-Security-Policy"] == page.headers["Content-Security-Policy"]
    assert "frame-ancestors 'none'" in response.headers["Content-Security-Policy"]
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Cross-Origin-Resource-Policy"] == "same-origin"
    assert page.headers["Cross-Origin-Resource-Policy"] == "same-origin"


@pytest.mark.parametrize("password", ["Xarxa2024", "Xarxa2024!", "password1234", "editor-editor"])
def test_weak_passwords_are_refused(password, django_user_model):
    user = django_user_model(username="editor-editor", email="editor@example.org")
    with pytest.raises(ValidationError):
        validate_password(password, user)


def test_a_long_uncommon_password_is_accepted(django_user_model):
    user = django_user_model(username="editor", email="editor@example.org")
    validate_password("pluja de tardor a Olot", user)


def test_admin_sessions_end_after_eight_hours_without_a_request(client):
    make_staff("editor")
    response = client.post("/ca/admin/login/", {"username": "editor", "password": PASSWORD})
    assert response.status_code == 302
    assert client.session.get_expiry_age() == 8 * 3600
    assert response.cookies["sessionid"]["max-age"] == 8 * 3600
    session_key = client.session.session_key
    expiry = Session.objects.get(session_key=session_key).expire_date
    # Working on: no write on every request...
    assert "sessionid" not in client.get("/ca/admin/").cookies
    # ...but once a few minutes have passed, a request starts the eight hours again.
    session = client.session
    session[SESSION_REFRESHED_KEY] -= SESSION_REFRESH_SECONDS
    session.save()
    again = client.get("/ca/admin/")
    assert again.status_code == 200
    assert again.cookies["sessionid"]["max-age"] == 8 * 3600
    assert Session.objects.get(session_key=session_key).expire_date > expiry


@pytest.mark.parametrize("language", ["ca", "en"])
@pytest.mark.parametrize("next_url", ["https://evil.example/", "//evil.example/", ""])
def test_signing_in_lands_in_the_admin_even_with_an_unsafe_next(client, language, next_url):
    make_staff("editor")
    with translation.override(language):
        login_url = reverse("admin:login")
        admin_index = reverse("admin:index")
    response = client.post(
        login_url, {"username": "editor", "password": PASSWORD, "next": next_url}
    )
    assert response.status_code == 302
    assert response.url == admin_index
    assert client.get(response.url).status_code == 200


def test_head_works_wherever_get_does(client, seeded):
    from actions.models import Plan

    plan = Plan.objects.first()
    with translation.override("ca"):
        urls = [
            "/robots.txt",
            "/sitemap.xml",
            "/healthz",
            reverse("home"),
            reverse("networks:network_list"),
            reverse("actions:plan_detail", kwargs={"slug": plan.slug}),
            reverse("actions:timeline_csv", kwargs={"slug": plan.slug}),
            reverse("networks:events_feed"),
            reverse("networks:events_ical"),
            reverse("actions:changes_feed"),
        ]
    for url in urls:
        get = client.get(url)
        head = client.head(url)
        assert get.status_code == 200, url
        assert head.status_code == 200, url
        body = b"".join(head.streaming_content) if head.streaming else head.content
        assert body == b"", url
        assert head.headers["Content-Type"] == get.headers["Content-Type"], url
