"""One writer per kept download: those who ask while it is written follow it.

networks/kept_downloads.py, driven directly: a download whose rows come as the test lets
them, so that a second request arrives while the first is writing. The views that use it
(the lists' and the timelines' downloads) are tested in test_open_data and test_exports.
"""

import threading

import pytest
from django.test import RequestFactory

from networks import kept_downloads

pytestmark = pytest.mark.django_db

ROWS = [f"row {n:05d}," + "x" * 200 + "\n" for n in range(2000)]  # 0.4 MB: several blocks
WHOLE = "".join(ROWS).encode()
# Rows the writer has written before a second request comes: more than the one block
# (kept_downloads.BLOCK, 64 KB) it writes to its part file at a time.
AHEAD = 400


class Export:
    """The rows of a download; counts how many times it is written."""

    def __init__(self, fail_after=None):
        self.started = 0
        self.fail_after = fail_after

    def stream(self):
        self.started += 1
        for number, row in enumerate(ROWS):
            if number == self.fail_after:
                raise ConnectionError("the database went away")
            yield row


@pytest.fixture
def folder(settings, tmp_path):
    settings.DOWNLOAD_CACHE_DIR = str(tmp_path)
    return tmp_path


def ask(export):
    request = RequestFactory().get("/en/organisations/download.csv?kind=cooperative")
    return kept_downloads.response(request, "en", "csv", export.stream, "text/csv")


def begin(export):
    """A first request, its writer ``AHEAD`` rows in: (what it has sent, its other chunks)."""
    chunks = iter(ask(export).streaming_content)
    return b"".join(next(chunks) for _row in range(AHEAD)), chunks


def follow(response):
    """Reads ``response`` in another thread, and returns once it has its first bytes:
    (thread, {"body": bytes} or {"error": the exception that cut it short})."""
    result, started = {}, threading.Event()

    def read():
        body = b""
        try:
            for chunk in response.streaming_content:
                body += chunk
                started.set()
            result["body"] = body
        except Exception as error:  # noqa: BLE001 -- what the follower's visitor would get
            result["error"] = error
        started.set()

    thread = threading.Thread(target=read)
    thread.start()
    assert started.wait(10), "the second request got nothing while the first was writing"
    return thread, result


def test_a_download_asked_for_while_it_is_written_is_followed_not_written_again(folder):
    export = Export()
    head, chunks = begin(export)
    follower, followed = follow(ask(export))  # it has bytes before the writer goes on
    body = head + b"".join(chunks)
    follower.join(10)
    assert body == WHOLE
    assert followed == {"body": WHOLE}
    assert export.started == 1  # the database was asked once
    (kept,) = folder.iterdir()  # the file, no part nor lock left
    assert kept.read_bytes() == WHOLE
    # The next request gets the file itself.
    assert b"".join(ask(export).streaming_content) == WHOLE
    assert export.started == 1


def test_those_following_get_the_whole_download_when_its_first_visitor_leaves(folder):
    export = Export()
    first = ask(export)
    chunks = iter(first.streaming_content)
    for _row in range(AHEAD):
        next(chunks)
    follower, followed = follow(ask(export))
    first.close()  # the first visitor went away: the writer finishes the file all the same
    follower.join(10)
    assert followed == {"body": WHOLE}
    assert [path.read_bytes() for path in folder.iterdir()] == [WHOLE]
    assert export.started == 1


def test_a_writer_that_fails_cuts_its_followers_short_and_keeps_nothing(folder):
    export = Export(fail_after=1500)
    _head, chunks = begin(export)
    follower, followed = follow(ask(export))
    with pytest.raises(ConnectionError):
        b"".join(chunks)
    follower.join(10)
    # Never a truncated file that looks whole: the follower's download ends in an error.
    assert isinstance(followed["error"], kept_downloads.DownloadInterrupted)
    assert not list(folder.iterdir())
    # The next request writes it again, whole.
    export.fail_after = None
    assert b"".join(ask(export).streaming_content) == WHOLE
    assert export.started == 2


def test_a_part_left_by_a_writer_that_died_is_written_again_not_followed(folder):
    """A worker killed while writing leaves its part and its lock file; the kernel frees the
    lock itself. The next request writes the download and clears what was left."""
    request = RequestFactory().get("/en/organisations/download.csv?kind=cooperative")
    path, _current = kept_downloads._kept_file(request, "en", "csv")
    part = path.with_name(f"{path.name}.999-1.part")
    part.write_bytes(WHOLE[:70000])
    path.with_name(f"{path.name}.lock").write_text(part.name)
    export = Export()
    assert b"".join(ask(export).streaming_content) == WHOLE
    assert export.started == 1
    assert [p.name for p in folder.iterdir()] == [path.name]
    assert path.read_bytes() == WHOLE
