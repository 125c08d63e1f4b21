"""Downloads kept on disk, one file per download and content version.

The whole organisations list takes some 26 s of a worker to write (55 MB of CSV, 130 MB of
GeoJSON). So each download is written to a file in ``DOWNLOAD_CACHE_DIR`` as it streams,
named by the content version, and later requests for the same download at the same version
get that file (sent by the server, no query). Any change of content makes a new version, and
writing a file removes those of older versions; ``DOWNLOAD_CACHE_BYTES`` bounds the folder.
A cache outage or a full disk costs the kept copy, never the download.

Its gzip is kept beside it, written as the download streams, and sent to every client that
accepts gzip: a CSV of the directory is 13-25 times smaller on the wire (measured at 100,000
organisations: a filtered list of organisations 1,756 -> 129 KB, the biggest plan's timeline
531 -> 21 KB), and the server sends the kept bytes without compressing them again.

One writer per download. Every change makes every kept file stale at once, and a download
asked for by many at the same moment (a list linked from a newsletter) would have each of
them write it again: each worker busy for its 26 s, five times slower on two cores, and the
site without a free worker. So the first request takes the download's lock (``flock`` on
``<file>.lock``: the kernel frees it when its process dies) and writes; the others follow
it, sending the bytes of its part file as they arrive, and so asking the database nothing.
The writer finishes the file even when its own visitor leaves, since others may be following
it and the next one will want it. A writer that fails or dies leaves no file, and cuts short
those that followed it (their download ends in an error, never as a truncated file that
looks whole); the next request writes it again.
"""

import contextlib
import fcntl
import hashlib
import logging
import os
import threading
import time
import zlib
from pathlib import Path

from django.conf import settings
from django.http import FileResponse, StreamingHttpResponse
from django.utils.cache import patch_vary_headers

from . import caching, page_cache

logger = logging.getLogger(__name__)


def _kept_file(request, variant, suffix):
    """The file this download is kept in at the current content version."""
    version, changed, _found = caching.content_version()
    identity = f"{changed}|{variant}|{suffix}|{request.build_absolute_uri()}"
    digest = hashlib.sha256(identity.encode()).hexdigest()[:40]
    return Path(settings.DOWNLOAD_CACHE_DIR) / f"{version}-{digest}.{suffix}", f"{version}-"


class DownloadInterrupted(Exception):
    """The writer a download was following failed or died: the response is cut short."""


# A follower looks for new bytes this often, and gives up on a writer whose part file has not
# grown for this long (gunicorn kills a worker that hangs well before that).
FOLLOW_POLL_SECONDS = 0.05
FOLLOW_STALL_SECONDS = 180
BLOCK = 64 * 1024


def _locked(lock_path, mode):
    """An open file of ``lock_path`` holding ``mode`` (``fcntl.LOCK_EX``, creating the file,
    or ``LOCK_SH``), or None when another open file holds the exclusive lock (any process,
    or this one)."""
    create = os.O_CREAT if mode == fcntl.LOCK_EX else 0
    fd = os.open(lock_path, os.O_RDWR | create, 0o644)
    try:
        fcntl.flock(fd, mode | fcntl.LOCK_NB)
    except BlockingIOError:
        os.close(fd)
        return None
    return fd


def _release(fd):
    fcntl.flock(fd, fcntl.LOCK_UN)
    os.close(fd)


def _writer_alive(lock_path):
    try:
        fd = _locked(lock_path, fcntl.LOCK_SH)
    except OSError:
        return False
    if fd is None:
        return True
    _release(fd)
    return False


def _named_part(lock_path):
    """The name of the part file the lock's holder writes ("" before it names one)."""
    try:
        return Path(lock_path.read_bytes().decode(errors="replace")).name
    except OSError:
        return ""


def _file_bytes(path):
    with path.open("rb") as file:
        yield from iter(lambda: file.read(BLOCK), b"")


def _write_or_follow(make_stream, path, current):
    """The download's bytes: written by this request (and kept), or followed from the
    request that is writing them."""
    lock_path = path.with_name(f"{path.name}.lock")
    for _turn in range(3):
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            lock = _locked(lock_path, fcntl.LOCK_EX)
        except OSError:
            logger.exception("Download not kept: %s", path.parent)
            break
        if lock is None:
            if (yield from _follow(path, lock_path)):
                return
            continue  # its writer went away before writing a byte: take its turn
        try:
            # A part named here now is one whose writer died: nobody follows it any more.
            if leftover := _named_part(lock_path):
                (path.parent / leftover).unlink(missing_ok=True)
            os.ftruncate(lock, 0)
            if path.exists():  # written while this request waited for its turn
                yield from _file_bytes(path)
            else:
                yield from _keep(make_stream(), path, current, lock)
        finally:
            # Its file is complete (or failed): the lock is of no more use to anybody.
            lock_path.unlink(missing_ok=True)
            _release(lock)
        return
    yield from (chunk.encode() for chunk in make_stream())


def _follow(path, lock_path):
    """The bytes of the part file another request is writing, as they arrive, to its end.

    Returns False, having sent nothing, if that writer went away before naming its part."""
    deadline = time.monotonic() + FOLLOW_STALL_SECONDS
    while True:  # the writer names its part file once it has opened it
        if path.exists():
            yield from _file_bytes(path)
            return True
        if name := _named_part(lock_path):
            with contextlib.suppress(OSError):
                file = (path.parent / name).open("rb")
                break
        if not _writer_alive(lock_path) and not path.exists():
            return False
        if time.monotonic() > deadline:
            raise DownloadInterrupted(path.name)
        time.sleep(FOLLOW_POLL_SECONDS)
    with file:
        inode = os.fstat(file.fileno()).st_ino
        deadline = time.monotonic() + FOLLOW_STALL_SECONDS
        while True:
            if block := file.read(BLOCK):
                deadline = time.monotonic() + FOLLOW_STALL_SECONDS
                yield block
                continue
            # At the end of what is written so far. The writer renames its part to the file
            # once it is complete, before it lets the lock go.
            if _is(path, inode):
                yield from iter(lambda: file.read(BLOCK), b"")
                return True
            writer_gone = not _writer_alive(lock_path) or _named_part(lock_path) != name
            if writer_gone or time.monotonic() > deadline:
                if _is(path, inode):
                    continue
                logger.warning("Download cut short: its writer failed: %s", path.name)
                raise DownloadInterrupted(path.name)
            time.sleep(FOLLOW_POLL_SECONDS)


def _is(path, inode):
    try:
        return path.stat().st_ino == inode
    except OSError:
        return False


class _Copy:
    """A file written beside the download under a part name, and renamed to its own name once
    it is whole: the download itself, or its gzip (``packed``). A disk that refuses a write
    costs this copy, never the download."""

    def __init__(self, path, packed=False):
        self.path = path
        self.partial = path.with_name(f"{path.name}.{os.getpid()}-{threading.get_ident()}.part")
        # gzip's own format (wbits 31) at zlib's default level, with no time in its header:
        # the same download gives the same bytes.
        self.packer = zlib.compressobj(6, zlib.DEFLATED, 31) if packed else None
        self.file = self.partial.open("wb", buffering=BLOCK)

    def write(self, data):
        """Whether ``data`` was written (else the copy is discarded)."""
        try:
            self.file.write(self.packer.compress(data) if self.packer else data)
        except OSError:  # a full disk costs the copy, never the download
            logger.exception("Download not kept: %s", self.partial)
            self.close(whole=False)
            return False
        return True

    def close(self, whole):
        """Closes the copy: kept under its own name if ``whole``, else removed."""
        try:
            if whole and self.packer:
                self.file.write(self.packer.flush())
            self.file.close()
            if whole:
                os.replace(self.partial, self.path)
        except OSError:  # the last bytes did not fit on the disk
            logger.exception("Download not kept: %s", self.path.name)
        self.partial.unlink(missing_ok=True)


def _write(copies, data):
    """The copies still written after writing ``data`` to each: the gzip is dropped alone
    when it fails, and both when the download's own copy does (those following the download
    read that one)."""
    if not copies:
        return []
    own, *others = copies
    if not own.write(data):
        for copy in others:
            copy.close(whole=False)
        return []
    return [own, *(copy for copy in others if copy.write(data))]


def gzipped(path):
    """Where the gzip of the download kept at ``path`` is kept."""
    return path.with_name(f"{path.name}.gz")


def _keep(stream, path, current, lock):
    """Yield the download's bytes, writing them to ``path`` on the way (for the next
    request, and for those following this one), and their gzip beside it (for the next
    clients that accept gzip); each file appears only once it is complete. The part file's
    name is written in the lock file, for the followers."""
    copies = []
    try:
        copies.append(_Copy(path))
        os.ftruncate(lock, 0)
        os.pwrite(lock, copies[0].partial.name.encode(), 0)
        copies.append(_Copy(gzipped(path), packed=True))
    except OSError:
        logger.exception("Download not kept: %s", path.parent)
    complete = False
    try:
        try:
            for chunk in stream:
                data = chunk.encode()
                copies = _write(copies, data)
                yield data
        except GeneratorExit:
            # The visitor went away: finish the files for those following and the next.
            try:
                for chunk in stream if copies else ():
                    if not (copies := _write(copies, chunk.encode())):
                        break
                complete = bool(copies)
            except Exception:  # a failure now must not escape the closing of the response
                logger.exception("Download not kept: %s", path.name)
            raise
        complete = True
    finally:
        # The gzip first: a request that finds the download finds its gzip too.
        for copy in reversed(copies):
            copy.close(whole=complete)
        if complete and copies:
            with contextlib.suppress(OSError):
                _prune(path.parent, current)


def _prune(folder, current):
    """Remove the files of older versions, then the oldest until the folder fits its budget;
    parts and locks left by a process that died are removed after an hour (no request writes
    for an hour)."""
    files = []
    for entry in os.scandir(folder):
        with contextlib.suppress(OSError):
            stat = entry.stat()
            if entry.name.endswith((".part", ".lock")):
                stale = stat.st_mtime < time.time() - 3600
            else:
                stale = not entry.name.startswith(current)
                files.append((stat.st_mtime, stat.st_size, entry.path, stale))
            if stale:
                os.unlink(entry.path)
    files = [(mtime, size, path) for mtime, size, path, stale in files if not stale]
    total = sum(size for _mtime, size, _path in files)
    for _mtime, size, path in sorted(files):
        if total <= settings.DOWNLOAD_CACHE_BYTES:
            break
        with contextlib.suppress(OSError):
            os.unlink(path)
            total -= size


def response(request, variant, suffix, make_stream, content_type):
    """The download of ``request`` (``variant``: what else tells its files apart, such as
    the language; ``suffix``: the file's extension): the kept file at this content version,
    as its kept gzip to a client that accepts gzip, or ``make_stream()``'s text streamed and
    kept on the way. (Public data only, the same for every visitor: nothing secret for
    compression to leak.)"""
    try:
        path, current = _kept_file(request, variant, suffix)
    except Exception:  # a cache outage costs the kept copy, never the download
        logger.exception("Cache unavailable: download not kept")
        return _varies(StreamingHttpResponse(make_stream(), content_type=content_type))
    response = sent(request, path, content_type) or _varies(
        StreamingHttpResponse(
            _write_or_follow(make_stream, path, current), content_type=content_type
        )
    )
    # The page cache keeps the file's name, and sends the file itself next time without
    # asking the view (networks/page_cache.py).
    response.kept_download = path
    return response


def sent(request, path, content_type):
    """The download kept at ``path``: its gzip to a client that accepts gzip, else the file
    itself; None when it is not (or no longer) kept."""
    if page_cache.accepts_gzip(request):
        with contextlib.suppress(OSError):  # no gzip kept (yet): the download itself
            response = FileResponse(gzipped(path).open("rb"), content_type=content_type)
            response.headers["Content-Encoding"] = "gzip"
            return _varies(response)
    with contextlib.suppress(OSError):  # not kept at this version (yet), or pruned since
        return _varies(FileResponse(path.open("rb"), content_type=content_type))
    return None


def _varies(response):
    """Whichever encoding it is sent in, a download says it depends on Accept-Encoding."""
    patch_vary_headers(response, ["Accept-Encoding"])
    return response
