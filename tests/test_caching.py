"""Public pages are cached for anonymous visitors and invalidated at once by any change."""

import gzip
import os
import re
from datetime import timedelta

import pytest
from django.core.cache import caches
from django.core.cache.backends.redis import RedisCache
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation

from networks.caching import VERSION_KEY, bump_content_version, content_version
from networks.models import Network, Organisation, Theme
from tests.admin_support import admin_url
from tests.factories import make_event, make_organisation, make_staff

pytestmark = pytest.mark.django_db

REDIS_TEST_URL = os.environ.get("REDIS_TEST_URL", "redis://127.0.0.1:6379/3")


def reverse_in(lang, name):
    with translation.override(lang):
        return reverse(name)


def url_of(obj, lang="ca"):
    with translation.override(lang):
        return obj.get_absolute_url()


@pytest.fixture
def theme(seeded):
    return Theme.objects.order_by("pk").first()


@pytest.mark.parametrize("lang", ["ca", "en"])
def test_an_anonymous_visitor_gets_the_second_view_from_the_cache(
    client, seeded, django_assert_num_queries, lang
):
    network = Network.objects.get(acronym="XMESS")
    for url in (f"/{lang}/", url_of(network, lang), url_of(network, lang) + "?x=1"):
        first = client.get(url)
        assert first.status_code == 200
        assert "public" in first["Cache-Control"]
        assert first["ETag"] and first["Last-Modified"]
        assert "Cookie" in first["Vary"]
        with django_assert_num_queries(0):
            second = client.get(url)
        assert second.content == first.content
        for header in ("ETag", "Last-Modified", "Cache-Control", "Vary"):
            assert second[header] == first[header]
        assert second["Content-Security-Policy"] == first["Content-Security-Policy"]
        assert second["X-Frame-Options"] == "DENY"


def test_each_language_and_query_string_is_its_own_page(client, seeded):
    network = Network.objects.get(acronym="XMESS")
    catalan = client.get(url_of(network, "ca"))
    english = client.get(url_of(network, "en"))
    assert catalan.content != english.content
    assert catalan["ETag"] != english["ETag"]
    page_two = client.get("/ca/" + "?page=2")
    assert page_two["ETag"] != catalan["ETag"]


def test_staff_never_get_a_cached_page(client, seeded, django_assert_max_num_queries):
    client.force_login(make_staff("staff", is_superuser=True))
    client.get("/ca/")
    response = client.get("/ca/")
    assert "private" in response["Cache-Control"]
    assert "no-store" in response["Cache-Control"]
    assert "public" not in response["Cache-Control"]
    assert not response.has_header("ETag")


def test_a_request_with_a_session_cookie_is_not_served_from_the_cache(client, seeded):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.get("/ca/")  # cached for anonymous visitors
    client.cookies["sessionid"] = "any-session"
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/ca/")
    assert len(queries) > 0
    assert "private" in response["Cache-Control"]


def test_the_admin_is_never_cached(client, seeded):
    response = client.get(admin_url("login"))
    assert "public" not in response.get("Cache-Control", "")
    assert not response.has_header("ETag")


def test_an_admin_edit_shows_at_once(client, seeded, theme):
    url = url_of(theme)
    assert theme.name_ca in client.get(url).content.decode()
    staff = Client()
    staff.force_login(make_staff("root", is_superuser=True))
    data = {
        "name_ca": "Tema canviat a l'administració",
        "name_en": theme.name_en,
        "slug_ca": theme.slug_ca,
        "slug_en": theme.slug_en,
        "description_ca": theme.description_ca,
        "description_en": theme.description_en,
    }
    response = staff.post(admin_url("networks_theme_change", theme.pk), data)
    assert response.status_code == 302, response.content.decode()[:2000]
    assert "Tema canviat a l&#x27;administració" in client.get(url).content.decode()


def test_a_many_to_many_change_shows_at_once(client, seeded, theme):
    organisation = Organisation.objects.exclude(themes=theme).first()
    url = url_of(theme)
    assert organisation.name_ca not in client.get(url).content.decode()
    organisation.themes.add(theme)
    assert organisation.name_ca in client.get(url).content.decode()


def test_a_deletion_shows_at_once(client, seeded):
    organisation = Organisation.objects.filter(
        memberships__isnull=True,
        plans__isnull=True,
        fundings__isnull=True,
        funder__isnull=True,
        hosted_networks__isnull=True,
        parts__isnull=True,
    ).first()
    url = url_of(organisation)
    assert client.get(url).status_code == 200
    organisation.delete()
    assert client.get(url).status_code == 404


def test_the_home_counts_follow_the_content(client, seeded):
    before = client.get("/en/").context["counts"]["organisations"]
    assert before == Organisation.objects.count()
    Organisation.objects.create(
        name_ca="Nova", name_en="New", slug_ca="nova-prova", slug_en="new-test"
    )
    assert client.get("/en/").context["counts"]["organisations"] == before + 1


def test_a_matching_if_none_match_gets_304_without_a_query(
    client, seeded, django_assert_num_queries
):
    first = client.get("/ca/")
    with django_assert_num_queries(0):
        response = client.get("/ca/", HTTP_IF_NONE_MATCH=first["ETag"])
    assert response.status_code == 304
    assert response.content == b""
    assert response["ETag"] == first["ETag"]
    bump_content_version()
    assert client.get("/ca/", HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 200


def test_a_matching_if_modified_since_gets_304(client, seeded):
    first = client.get("/ca/")
    response = client.get("/ca/", HTTP_IF_MODIFIED_SINCE=first["Last-Modified"])
    assert response.status_code == 304


def test_not_found_pages_are_not_cached(client, seeded, django_assert_max_num_queries):
    with translation.override("ca"):
        url = reverse("networks:organisation_detail", kwargs={"slug": "no-existeix"})
    response = client.get(url)
    assert response.status_code == 404
    assert not response.has_header("ETag")


def test_seed_bumps_the_version(seeded, django_capture_on_commit_callbacks):
    before = content_version()[0]
    with django_capture_on_commit_callbacks(execute=True):
        call_command("seed", "directory", "--force", verbosity=0)
    assert content_version()[0] > before


def test_a_deploy_does_not_serve_the_pages_of_the_code_before_it(client, seeded):
    # A deploy runs migrate (README): the pages cached under the old code go stale with it.
    url = url_of(Network.objects.get(acronym="XMESS"))
    first = client.get(url)
    assert client.get(url)["ETag"] == first["ETag"]
    call_command("migrate", verbosity=0)
    assert client.get(url)["ETag"] != first["ETag"]


def redis_answers():
    try:
        import redis

        redis.Redis.from_url(REDIS_TEST_URL, socket_connect_timeout=1).ping()
    except Exception:
        return False
    return True


@pytest.fixture
def redis_cache(settings):
    if not redis_answers():
        if os.environ.get("CI") == "true":
            pytest.fail(f"Redis is required on CI ({REDIS_TEST_URL}).")
        pytest.skip(f"No Redis at {REDIS_TEST_URL}.")
    settings.CACHES = {
        "default": {
            "BACKEND": "networks.shared_cache.SharedRedisCache",
            "LOCATION": REDIS_TEST_URL,
            "KEY_PREFIX": "xmess-test",
        }
    }
    caches["default"].clear()
    yield caches["default"]
    caches["default"].clear()


def test_with_redis_url_pages_and_the_version_live_in_redis(
    client, seeded, redis_cache, django_assert_num_queries
):
    import redis

    assert isinstance(caches["default"], RedisCache)
    client.get("/ca/")
    with django_assert_num_queries(0):
        client.get("/ca/")
    server = redis.Redis.from_url(REDIS_TEST_URL)
    version = int(server.get(f"xmess-test:1:{VERSION_KEY}"))
    assert server.keys("xmess-test:1:page:*")
    Theme.objects.order_by("pk").first().save()
    assert int(server.get(f"xmess-test:1:{VERSION_KEY}")) > version


def test_the_home_counts_are_not_recounted_while_nothing_changes(client, seeded):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.get("/ca/")
    client.cookies["sessionid"] = "any-session"  # the page itself is rendered again
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/ca/")
    assert response.context["counts"]["networks"] == Network.objects.count()
    assert not [q for q in queries.captured_queries if "COUNT(" in q["sql"].upper()]


@pytest.mark.parametrize("query", ["", "kind=cooperative&"])
def test_the_api_total_is_counted_once_per_change(client, seeded, query):
    """Rendered for a session each time (no page cache): the total is kept per version."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    url = f"/api/v1/organisations/?{query}page_size=5"
    client.cookies["sessionid"] = "any-session"
    before = client.get(url).json()["count"]
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).json()["count"] == before
    assert not [q for q in queries.captured_queries if "COUNT(" in q["sql"].upper()]
    make_organisation("Cooperativa comptada", kind="cooperative")
    assert client.get(url).json()["count"] == before + 1


def test_the_filter_choices_are_read_once_per_change(client, seeded):
    """Rendered for a session each time: the themes and comarques of the filter form are
    kept per version and language, and a new theme is offered at once, in each language."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    urls = {lang: reverse_in(lang, "networks:organisation_list") for lang in ("ca", "en")}
    client.cookies["sessionid"] = "any-session"
    client.get(urls["ca"])
    with CaptureQueriesContext(connection) as queries:
        client.get(urls["ca"])
    # (The cards' themes come with their organisations, through a join.)
    lists = [q["sql"] for q in queries.captured_queries if "JOIN" not in q["sql"]]
    assert not [sql for sql in lists if 'FROM "networks_theme"' in sql]
    assert not [sql for sql in lists if 'FROM "networks_comarca"' in sql]
    Theme.objects.create(
        name_ca="Tema acabat de crear", name_en="Brand new theme", slug_ca="nou", slug_en="new"
    )
    names = {"ca": "Tema acabat de crear", "en": "Brand new theme"}
    for lang, other in (("ca", "en"), ("en", "ca")):
        page = client.get(urls[lang]).content.decode()
        assert names[lang] in page and names[other] not in page


def test_the_event_years_to_filter_by_are_read_once_per_change(client, seeded):
    """Rendered for a session each time: the years of the events list's filter are kept
    per version, and an event in a new year makes that year a choice at once."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    url = reverse_in("en", "networks:event_list")
    client.cookies["sessionid"] = "any-session"
    client.get(url)
    with CaptureQueriesContext(connection) as queries:
        client.get(url)
    assert not [q for q in queries.captured_queries if "DATE_TRUNC" in q["sql"].upper()]
    assert '<option value="2031">' not in client.get(url).content.decode()
    make_event("Trobada del futur", start_date="2031-03-04")
    page = client.get(url).content.decode()
    assert '<option value="2031">2031</option>' in page
    select = page[page.index('<select name="year"') :]
    years = re.findall(r'<option value="(\d{4})">', select[: select.index("</select>")])
    assert years[0] == "2031" and years == sorted(years, reverse=True)  # latest first


def test_the_timeline_counts_its_years_once_per_change(client, seeded):
    """Rendered for a session each time: the whole plan's figures per year, the same for
    every page and filter of its timeline, are kept per version and follow an edit."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from actions.models import Plan, ScheduledYear

    plan = Plan.objects.get(slug_ca="pla-impuls-ess-2016-2019")
    with translation.override("en"):
        url = plan.get_timeline_url()
    client.cookies["sessionid"] = "any-session"

    def year_row():
        return client.get(url).context["year_progress"]

    before = dict(year_row())
    with CaptureQueriesContext(connection) as queries:
        assert dict(year_row()) == before
    assert not [q for q in queries.captured_queries if "COUNT(" in q["sql"].upper()]
    scheduled = ScheduledYear.objects.of_plan(plan).filter(year=2017).first()
    scheduled.status = ScheduledYear.Status.DONE
    scheduled.save()
    after = dict(year_row())
    assert (before[2017].done, after[2017].done) == (0, 1)
    assert after[2017].scheduled == before[2017].scheduled


def test_the_api_page_keys_are_sorted_once_per_change(client, seeded):
    """Actions are ordered by their plan and line: a page's keys are sorted once per content
    version, and a new plan that sorts first shows at once."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tests.factories import make_action, make_line, make_plan

    url = "/api/v1/actions/?page_size=5"
    client.cookies["sessionid"] = "any-session"  # rendered each time, no page cache
    before = [row["id"] for row in client.get(url).json()["results"]]
    with CaptureQueriesContext(connection) as queries:
        assert [row["id"] for row in client.get(url).json()["results"]] == before
    keys_only = 'SELECT "actions_action"."id" AS "pk" FROM'
    assert not [q for q in queries.captured_queries if q["sql"].startswith(keys_only)]
    newest = make_action(make_line(make_plan("Pla del futur", start_year=2099, end_year=2100)))
    after = [row["id"] for row in client.get(url).json()["results"]]
    assert after == [newest.pk, *before[:4]]
    # A filter that matches nothing has an empty first page, no keys to sort or keep.
    empty = client.get(f"/api/v1/actions/?plan={newest.line.plan_id + 1000}")
    assert empty.status_code == 200 and empty.json()["results"] == []


def test_a_deletion_and_a_recovery_in_the_admin_show_at_once(client, seeded):
    theme = Theme.objects.create(
        name_ca="Tema recuperable",
        name_en="Recoverable theme",
        slug_ca="recuperable",
        slug_en="rec",
    )
    url = url_of(theme)
    assert client.get(url).status_code == 200  # now cached
    staff = Client()
    staff.force_login(make_staff("root", is_superuser=True))
    response = staff.post(admin_url("networks_theme_delete", theme.pk), {"post": "yes"})
    assert response.status_code == 302
    assert client.get(url).status_code == 404
    record = Theme.history.filter(id=theme.pk, history_type="-").latest()
    assert staff.post(admin_url("networks_theme_restore", record.history_id)).status_code == 302
    assert "Tema recuperable" in client.get(url).content.decode()


def test_a_change_through_another_server_shows_at_once_though_this_one_kept_the_page(
    client, seeded, django_assert_num_queries
):
    """Each process keeps the pages it served in memory; the shared version still rules."""
    network = Network.objects.get(acronym="XMESS")
    url = url_of(network, "en")
    client.get(url)
    with django_assert_num_queries(0):
        assert client.get(url).status_code == 200
    # Another server saves the network: the row changes here with no signal in this process,
    # and that server's save bumps the version in the shared cache.
    Network.objects.filter(pk=network.pk).update(name_en="Renamed by the other server")
    bump_content_version()
    assert "Renamed by the other server" in client.get(url).content.decode()


def test_the_pages_a_process_keeps_in_memory_stay_within_their_budget():
    from networks.page_cache import PageMemory

    memory = PageMemory(max_bytes=1000)
    for number in range(30):
        memory.put(f"page:{number}", (1, 0.5), {"content": b"x" * 100, "headers": []})
    assert memory.size <= 1000
    assert memory.get("page:0", (1, 0.5)) is None  # the least recently used went first
    assert memory.get("page:29", (1, 0.5))["content"] == b"x" * 100
    assert memory.get("page:29", (2, 0.7)) is None  # another version: not served, forgotten
    assert memory.get("page:29", (1, 0.5)) is None
    memory.put("huge", (1, 0.5), {"content": b"x" * 900, "headers": []})
    assert memory.get("huge", (1, 0.5)) is None  # one page may not push out all the others


def test_a_cached_page_goes_gzipped_to_a_client_that_accepts_it(
    client, seeded, django_assert_num_queries
):
    """Compressed once when stored: the gzip is the very page, and a second view runs no
    query in either encoding."""
    url = url_of(Network.objects.get(acronym="XMESS"))
    plain = client.get(url)
    for _attempt in range(2):
        with django_assert_num_queries(0):
            packed = client.get(url, HTTP_ACCEPT_ENCODING="gzip, deflate, br, zstd")
        assert packed["Content-Encoding"] == "gzip"
        assert gzip.decompress(packed.content) == plain.content
        assert int(packed["Content-Length"]) == len(packed.content) < len(plain.content) / 3
        assert {"Cookie", "Accept-Encoding"} <= {v.strip() for v in packed["Vary"].split(",")}
        # The same page in another encoding: the same tag, weak.
        assert packed["ETag"] == "W/" + plain["ETag"]
    assert "Accept-Encoding" in plain["Vary"]
    assert not plain.has_header("Content-Encoding")
    with django_assert_num_queries(0):
        again = client.get(url)
    assert again.content == plain.content and not again.has_header("Content-Encoding")


@pytest.mark.parametrize(
    "accept", ["", "identity", "gzip;q=0", "br, deflate", "*;q=0.5, gzip;q=0", "gzip;q=x"]
)
def test_a_client_that_does_not_accept_gzip_gets_the_page_as_it_is(client, seeded, accept):
    client.get("/en/", HTTP_ACCEPT_ENCODING="gzip")  # stored, with its gzip
    response = client.get("/en/", HTTP_ACCEPT_ENCODING=accept)
    assert not response.has_header("Content-Encoding")
    assert b"<html" in response.content


def test_either_encodings_tag_answers_a_conditional_request(client, seeded):
    plain = client.get("/ca/")
    packed = client.get("/ca/", HTTP_ACCEPT_ENCODING="gzip")
    for held, accept in ((packed["ETag"], "gzip"), (plain["ETag"], "gzip"), (packed["ETag"], "")):
        response = client.get("/ca/", HTTP_IF_NONE_MATCH=held, HTTP_ACCEPT_ENCODING=accept)
        assert response.status_code == 304
    assert response["ETag"] == plain["ETag"]  # what this client would get
    bump_content_version()
    assert client.get("/ca/", HTTP_IF_NONE_MATCH=packed["ETag"]).status_code == 200


def test_a_page_for_a_session_is_never_compressed(client, seeded):
    """BREACH: a page rendered for a session may hold a secret (its CSRF token); only the
    cached pages, which hold none, are compressed."""
    client.cookies["sessionid"] = "anything"
    response = client.get("/ca/", HTTP_ACCEPT_ENCODING="gzip")
    assert response.status_code == 200
    assert not response.has_header("Content-Encoding")
    client.cookies.clear()
    login = client.get(admin_url("login"), HTTP_ACCEPT_ENCODING="gzip")
    assert b"csrfmiddlewaretoken" in login.content
    assert not login.has_header("Content-Encoding")


def test_a_cached_page_that_names_the_day_is_rendered_again_the_next_day(
    client, seeded, monkeypatch
):
    """The home page lists upcoming events. With no edit at all, an event that is over by the
    next day is not upcoming then, though the content version has not changed."""
    event = make_event("Trobada d'avui", "Today's meeting", start_date=timezone.localdate())
    with translation.override("en"):
        url = event.get_absolute_url()

    def upcoming(response):
        """The links of the page's "Upcoming events" section (none when it has none)."""
        body = response.content.decode()
        if 'id="upcoming-heading"' not in body:
            return ""
        return body.split('id="upcoming-heading"')[1].split("</section>")[0]

    first = client.get("/en/")
    assert url in upcoming(first)
    assert client.get("/en/", HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 304
    later = timezone.now() + timedelta(days=2)
    monkeypatch.setattr(timezone, "now", lambda: later)
    assert url not in upcoming(client.get("/en/"))
    # A client holding the day before's copy gets the new one, by either of its validators.
    assert client.get("/en/", HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 200
    assert client.get("/en/", HTTP_IF_MODIFIED_SINCE=first["Last-Modified"]).status_code == 200
