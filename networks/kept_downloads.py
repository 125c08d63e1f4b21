"""Downloads kept on disk, one file per download and content version.

The whole organisations list takes some 26 s of a worker to write (55 MB of CSV, 130 MB of
GeoJSON). So each download is written to a file in ``DOWNLOAD_CACHE_DIR`` as it streams,
named by the content version, and later requests for the same download at the same version
get that file (sent by the server, no query). Any change of content makes a new version, and
writing a file removes those of older versions; ``DOWNLOAD_CACHE_BYTES`` bounds the folder.
A download cut short leaves no file; a cache outage or a full disk costs the kept copy,
never the download.
"""

import contextlib
import hashlib
import logging
import os
import threading
import time
from pathlib import Path

from django.conf import settings
from django.http import FileResponse, StreamingHttpResponse

from . import caching

logger = logging.getLogger(__name__)


def _kept_file(request, variant, suffix):
    """The file this download is kept in at the current content version."""
    version, changed, _found = caching.content_version()
    identity = f"{changed}|{variant}|{suffix}|{request.build_absolute_uri()}"
    digest = hashlib.sha256(identity.encode()).hexdigest()[:40]
    return Path(settings.DOWNLOAD_CACHE_DIR) / f"{version}-{digest}.{suffix}", f"{version}-"


def _keep(stream, path, current):
    """Yield the download's bytes, writing them to ``path`` on the way (for the next
    request); the file appears only once the download is complete."""
    partial = path.with_name(f"{path.name}.{os.getpid()}-{threading.get_ident()}.part")
    file = None
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        file = partial.open("wb")
    except OSError:
        logger.exception("Download not kept: %s", path.parent)
    complete = False
    try:
        for chunk in stream:
            data = chunk.encode()
            if file is not None:
                try:
                    file.write(data)
                except OSError:  # a full disk costs the copy, never the download
                    logger.exception("Download not kept: %s", path)
                    file.close()
                    partial.unlink(missing_ok=True)
                    file = None
            yield data
        complete = True
    finally:
        if file is not None:
            file.close()
            if complete:
                os.replace(partial, path)
                _prune(path.parent, current)
            else:
                partial.unlink(missing_ok=True)


def _prune(folder, current):
    """Remove the files of older versions, then the oldest until the folder fits its budget;
    parts left by a process that died are removed after an hour."""
    files = []
    for entry in os.scandir(folder):
        with contextlib.suppress(OSError):
            stat = entry.stat()
            if entry.name.endswith(".part"):
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
    or ``make_stream()``'s text streamed and kept on the way."""
    try:
        path, current = _kept_file(request, variant, suffix)
    except Exception:  # a cache outage costs the kept copy, never the download
        logger.exception("Cache unavailable: download not kept")
        return StreamingHttpResponse(make_stream(), content_type=content_type)
    with contextlib.suppress(OSError):  # not kept at this version (yet)
        return FileResponse(path.open("rb"), content_type=content_type)
    return StreamingHttpResponse(_keep(make_stream(), path, current), content_type=content_type)
