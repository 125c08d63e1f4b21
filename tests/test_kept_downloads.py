"""One writer per kept download: those who ask while it is written follow it.

networks/kept_downloads.py, driven directly: a download whose rows come as the test lets
them, so that a second request arrives while the first is writing. The views that use it
(the lists' and the timelines' downloads) are tested in test_open_data and test_exports.
Last, where downloads are kept when DOWNLOAD_CACHE_DIR is not set: a folder per site.
"""

import errno
import gzip
import os
import subprocess
import sys
import threading
from pathlib import Path

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

    def __init__(self, fail_after=None, rows=ROWS):
        self.started = 0
        self.fail_after = fail_after
        self.rows = rows

    def stream(self):
        self.started += 1
        for number, row in enumerate(self.rows):
            if number == self.fail_after:
                raise ConnectionError("the database went away")
            yield row


@pytest.fixture
def folder(settings, tmp_path):
    settings.DOWNLOAD_CACHE_DIR = str(tmp_path)
    return tmp_path


def ask(export, **headers):
    request = RequestFactory().get("/en/organisations/download.csv?kind=cooperative", **headers)
    return kept_downloads.response(request, "en", "csv", export.stream, "text/csv")


def kept(folder):
    """The download kept in ``folder`` and its gzip, inflated; nothing else is left there
    (no part, no lock)."""
    plain, packed = sorted(folder.iterdir())
    assert packed.name == plain.name + ".gz"
    return plain.read_bytes(), gzip.decompress(packed.read_bytes())


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
    assert kept(folder) == (WHOLE, WHOLE)
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
    assert kept(folder) == (WHOLE, WHOLE)
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
    assert sorted(p.name for p in folder.iterdir()) == [path.name, path.name + ".gz"]
    assert kept(folder) == (WHOLE, WHOLE)


def test_a_kept_download_goes_as_its_gzip_to_a_client_that_accepts_gzip(folder):
    export = Export()
    # The first request streams the download as it is written: not compressed.
    first = ask(export, HTTP_ACCEPT_ENCODING="gzip, deflate, br")
    assert "Content-Encoding" not in first
    assert b"".join(first.streaming_content) == WHOLE
    packed = ask(export, HTTP_ACCEPT_ENCODING="gzip, deflate, br")
    assert packed["Content-Encoding"] == "gzip"
    body = b"".join(packed.streaming_content)
    assert int(packed["Content-Length"]) == len(body) < len(WHOLE) / 5
    assert gzip.decompress(body) == WHOLE
    # A client that does not take gzip, or refuses it, gets the download itself.
    for refusing in ({}, {"HTTP_ACCEPT_ENCODING": "gzip;q=0, identity"}):
        plain = ask(export, **refusing)
        assert "Content-Encoding" not in plain
        assert b"".join(plain.streaming_content) == WHOLE
    assert export.started == 1
    # A cache in between keeps the two apart.
    for response in (first, packed, plain):
        assert response["Vary"] == "Accept-Encoding"


class FillingDisk:
    """A file on a disk that fills up once ``room`` bytes are written to it."""

    def __init__(self, file, room):
        self.file, self.room = file, room

    def write(self, data):
        self.room -= len(data)
        if self.room < 0:
            raise OSError(errno.ENOSPC, "No space left on device")
        return self.file.write(data)

    def close(self):
        self.file.close()


@pytest.mark.parametrize("failing", ["gzip", "download"])
def test_a_disk_that_fills_up_costs_the_kept_copies_never_the_download(
    folder, monkeypatch, failing
):
    """When the gzip does not fit, the download is still kept (its gzip is not); when the
    download itself does not fit, neither is kept. The visitor gets it whole either way."""
    make_copy = kept_downloads._Copy.__init__

    def on_a_filling_disk(copy, path, packed=False):
        make_copy(copy, path, packed)
        if packed == (failing == "gzip"):
            copy.file = FillingDisk(copy.file, room=1_000)

    monkeypatch.setattr(kept_downloads._Copy, "__init__", on_a_filling_disk)
    # Rows that compress little, so that the gzip is written as the rows come, not only as
    # it is closed.
    rows = [f"row {n:05d}," + os.urandom(100).hex() + "\n" for n in range(2000)]
    whole = "".join(rows).encode()
    export = Export(rows=rows)
    assert b"".join(ask(export).streaming_content) == whole
    if failing == "gzip":
        (plain,) = folder.iterdir()
        assert plain.suffix == ".csv" and plain.read_bytes() == whole
        # Then a client that accepts gzip gets the download itself, from the kept file.
        again = ask(export, HTTP_ACCEPT_ENCODING="gzip")
        assert "Content-Encoding" not in again
        assert b"".join(again.streaming_content) == whole
        assert export.started == 1
    else:
        assert not list(folder.iterdir())


def default_folder(database_url, **env):
    """DOWNLOAD_CACHE_DIR as a server started with ``database_url`` (and ``env``) reads it."""
    environment = {key: value for key, value in os.environ.items() if key != "DOWNLOAD_CACHE_DIR"}
    environment.update(DATABASE_URL=database_url, DJANGO_SETTINGS_MODULE="xmess_site.settings")
    environment.update(env)
    return subprocess.run(
        [
            sys.executable,
            "-c",
            "from django.conf import settings; print(settings.DOWNLOAD_CACHE_DIR)",
        ],
        env=environment,
        cwd=Path(__file__).resolve().parent.parent,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()


def test_two_sites_on_one_machine_keep_their_downloads_apart_by_default():
    # Writing a download removes the files of any other content version in its folder: a
    # staging site sharing production's folder would remove production's kept downloads.
    production = default_folder("postgres://xmess@127.0.0.1:5432/xmess")
    staging = default_folder("postgres://xmess@127.0.0.1:5432/xmess_staging")
    assert production != staging
    # Every server of one site, started again, finds the folder it kept them in.
    assert default_folder("postgres://xmess@127.0.0.1:5432/xmess") == production
    assert default_folder("sqlite:////srv/a.sqlite3") != default_folder("sqlite:////srv/b.sqlite3")
    # A folder set in the environment is used as it is.
    assert (
        default_folder(
            "postgres://xmess@127.0.0.1:5432/xmess", DOWNLOAD_CACHE_DIR="/var/cache/xmess/downloads"
        )
        == "/var/cache/xmess/downloads"
    )
