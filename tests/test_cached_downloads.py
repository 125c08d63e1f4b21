"""The page cache sends a kept download itself, without asking its view.

A download is kept on disk per content version (networks/kept_downloads.py); the page cache
(networks/page_cache.py) keeps where, with the download's headers, and a later anonymous
request gets the file as it gets a cached page: no query, an ETag and a 304.
"""

import gzip

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation

from actions.models import Plan
from networks.page_cache import PageMemory

pytestmark = pytest.mark.django_db

GZIP = {"accept-encoding": "gzip, deflate, br"}


@pytest.fixture
def folder(settings, tmp_path):
    settings.DOWNLOAD_CACHE_DIR = str(tmp_path)
    return tmp_path


def timeline_csv(lang="en"):
    plan = Plan.objects.get(slug_ca="pla-impuls-ess-2016-2019")
    with translation.override(lang):
        return reverse("actions:timeline_csv", kwargs={"slug": plan.slug})


def organisations_csv():
    with translation.override("en"):
        return reverse("networks:organisation_export", kwargs={"format": "csv"})


def download(response):
    assert response.status_code == 200
    content = b"".join(response.streaming_content)
    return gzip.decompress(content) if response.get("Content-Encoding") == "gzip" else content


def test_a_kept_download_answers_a_conditional_request_with_304(seeded, client, folder):
    url = timeline_csv()
    written = client.get(url)
    first = download(written)
    assert written["ETag"] and written["Last-Modified"]
    assert "public" in written["Cache-Control"]
    kept = client.get(url)
    assert download(kept) == first and kept["ETag"] == written["ETag"]
    assert client.get(url, headers={"if-none-match": kept["ETag"]}).status_code == 304
    packed = client.get(url, headers=GZIP)
    assert packed["ETag"] == "W/" + kept["ETag"]  # the same download in another encoding
    assert download(packed) == first
    assert client.get(url, headers={**GZIP, "if-none-match": packed["ETag"]}).status_code == 304


def test_a_download_whose_kept_file_is_gone_is_written_again_by_its_view(
    seeded, client, folder, django_assert_max_num_queries
):
    """The disk's budget may remove a kept file while the cache still says where it was."""
    url = organisations_csv()
    first = download(client.get(url))
    for path in folder.iterdir():
        path.unlink()
    again = client.get(url, headers=GZIP)
    assert again.get("Content-Encoding") is None  # streamed from the rows again
    assert download(again) == first
    assert sorted(path.suffix for path in folder.iterdir()) == [".csv", ".gz"]
    with django_assert_max_num_queries(0):
        assert download(client.get(url, headers=GZIP)) == first


def test_each_server_sends_the_download_from_its_own_folder(
    seeded, client, settings, tmp_path, django_assert_max_num_queries
):
    """Servers share the page cache but each keeps its downloads on its own disk: what the
    cache holds is the file's name, looked for in this server's folder alone."""
    first_server, second_server = tmp_path / "first", tmp_path / "second"
    settings.DOWNLOAD_CACHE_DIR = str(first_server)
    url = organisations_csv()
    first = download(client.get(url))
    settings.DOWNLOAD_CACHE_DIR = str(second_server)
    assert download(client.get(url)) == first  # written again, by this server's view
    assert sorted(path.name for path in second_server.iterdir()) == sorted(
        path.name for path in first_server.iterdir()
    )
    with django_assert_max_num_queries(0):
        assert download(client.get(url, headers=GZIP)) == first


def test_a_visitor_with_a_session_gets_the_download_from_its_view_never_cached(
    seeded, client, folder
):
    url = timeline_csv("ca")
    anonymous = download(client.get(url))
    signed_in = Client()
    signed_in.cookies["sessionid"] = "a-session"
    response = signed_in.get(url)
    assert download(response) == anonymous
    assert "no-store" in response["Cache-Control"] and "ETag" not in response


def test_the_pages_a_process_keeps_count_their_headers_too():
    """A kept download's entry holds no page, only its headers: many of them still fit the
    process's budget instead of growing without bound."""
    memory = PageMemory(max_bytes=1000)
    headers = [("Content-Disposition", 'attachment; filename="a-long-name.csv"')] * 2
    for number in range(100):
        memory.put(f"page:{number}", (1, 0.5), {"content": b"", "kept": "x", "headers": headers})
    assert memory.size <= 1000
    assert memory.get("page:0", (1, 0.5)) is None
    assert memory.get("page:99", (1, 0.5)) is not None
