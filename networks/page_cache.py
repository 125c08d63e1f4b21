"""Whole public pages cached for anonymous visitors, invalidated at once by any change of
the content version (networks/caching.py).

The middleware. ``PublicPageCacheMiddleware`` sits after ``LocaleMiddleware`` (the language
is known) and keys a page on the scheme, host, language and full path with its query
string; the stored page carries the version it was rendered under, and is served only while
that is still the current version. The day is part of that version: a page that names it
(upcoming events, this year) changes at midnight though nothing was edited. Each process
also keeps the pages it served lately in its own memory (``PAGE_MEMORY_BYTES``, least
recently used out first), stamped with the version and change time they were rendered
under: a hit then needs only the version, not the page from the shared cache (a list with
its map is 300 KB to carry from Redis and unpickle on every request). With Redis, not even
the version: each process keeps a copy of it, which every change announces on a Redis
channel (networks/shared_cache.py). The stamp is checked on every request, so a change made
through any server is seen at once all the same.
It serves and stores only GET/HEAD requests without a session or messages cookie and
without credentials (staff always carry a session cookie), outside the admin, and only 200
responses that set no cookie, used no CSRF token and no CSP nonce, and say nothing against
caching. Cacheable pages get an ``ETag`` (version and key) and a ``Last-Modified`` (the time
of the last change), answer conditional requests with 304, and say ``Cache-Control: public,
max-age=PAGE_CACHE_MAX_AGE`` (short: a proxy cannot be told of a change) and ``Vary:
Cookie, Accept-Encoding``. A request with a session gets ``private, no-store``.

Downloads. A download is streamed, and kept whole on disk per content version
(networks/kept_downloads.py): for one, the cache stores the name its file is kept under,
with its headers, instead of its bytes, and a later request gets the file itself (or its
kept gzip) from this server's ``DOWNLOAD_CACHE_DIR`` without the view, with the ETag and 304
of a page. A file not kept there (the disk's budget, another server's download) sends the
request to the view, which writes it.

Compression. A page is stored with its gzip as well, compressed once when it is stored, and
the gzip goes to every client that accepts it (a list with its map: 310 KB of HTML, 65 KB on
the wire). Only cached pages are compressed, and that is what keeps it safe
from BREACH: a cached page carries no secret to guess (no CSRF token, no session, nothing
of one visitor's), whereas a page rendered for a session may. The gzip's ``ETag`` is the
page's, weak (``W/``), as Django's ``GZipMiddleware`` makes it: the same content in another
encoding, so either answers a conditional request with 304.
"""

import datetime
import hashlib
import logging
import re
import threading
from collections import OrderedDict
from pathlib import Path

from django.conf import settings
from django.core.cache import cache
from django.http import HttpResponse
from django.utils import timezone
from django.utils.cache import (
    get_conditional_response,
    patch_cache_control,
    patch_vary_headers,
)
from django.utils.http import http_date, quote_etag
from django.utils.text import compress_string

from .caching import current_version

logger = logging.getLogger(__name__)

PAGE_KEY = "page:{digest}"
EXCLUDED_PATHS = re.compile(r"^/(?:[\w-]+/)?admin/")
CACHEABLE_VARY = {"accept-language", "accept-encoding", "cookie"}
# What a kept download's file sets for itself (its size and encoding), not the stored headers.
ENCODING_HEADERS = {"Content-Length", "Content-Encoding"}
# Below this, gzip's own 20 bytes and a client's inflating cost more than they save (the
# threshold of Django's GZipMiddleware).
GZIP_MIN_BYTES = 200


class PageMemory:
    """The pages one process served lately, up to ``max_bytes`` of content, by cache key.

    An entry is served only under the stamp (version, time of the last change) it was stored
    with; the version alone would not do, since a cleared cache starts its version again from
    the clock and could meet an old number. Thread-safe (gthread workers share it).
    """

    def __init__(self, max_bytes):
        self.max_bytes = max_bytes
        self.size = 0
        self._pages = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key, stamp):
        with self._lock:
            found = self._pages.get(key)
            if found is None:
                return None
            if found[0] != stamp:
                self._forget(key)
                return None
            self._pages.move_to_end(key)
            return found[1]

    def put(self, key, stamp, stored):
        size = stored_size(stored)
        if size > self.max_bytes // 8:  # a few huge pages would push out all the others
            return
        with self._lock:
            self._forget(key)
            self._pages[key] = (stamp, stored)
            self.size += size
            while self.size > self.max_bytes:
                _key, (_stamp, oldest) = self._pages.popitem(last=False)
                self.size -= stored_size(oldest)

    def _forget(self, key):
        found = self._pages.pop(key, None)
        if found is not None:
            self.size -= stored_size(found[1])


def stored_size(stored):
    """Its bytes, headers included: a kept download's entry holds its headers alone."""
    headers = sum(len(name) + len(value) for name, value in stored["headers"])
    return len(stored["content"]) + len(stored.get("gzip") or b"") + headers


page_memory = PageMemory(settings.PAGE_MEMORY_BYTES)


def cacheable_request(request):
    if request.method not in ("GET", "HEAD") or EXCLUDED_PATHS.match(request.path_info):
        return False
    cookies = request.COOKIES
    if settings.SESSION_COOKIE_NAME in cookies or "messages" in cookies:
        return False
    return "HTTP_AUTHORIZATION" not in request.META


def accepts_gzip(request):
    """Whether ``Accept-Encoding`` admits gzip: named (or ``*``) with a q above 0."""
    weights = {}
    for part in request.META.get("HTTP_ACCEPT_ENCODING", "").lower().split(","):
        coding, _, params = part.partition(";")
        weight = 1.0
        for param in params.split(";"):
            name, _, value = param.strip().partition("=")
            if name == "q":
                try:
                    weight = float(value)
                except ValueError:
                    weight = 0.0
        weights[coding.strip()] = weight
    return weights.get("gzip", weights.get("x-gzip", weights.get("*", 0.0))) > 0


def compressed(response):
    """The gzip of a page about to be stored, or None when it would not pay (small, already
    encoded, or no smaller). No timestamp in it: the same page gives the same bytes."""
    content = response.content
    if len(content) < GZIP_MIN_BYTES or response.has_header("Content-Encoding"):
        return None
    # Without the random bytes GZipMiddleware adds against BREACH: nothing secret to guard.
    packed = compress_string(content)
    return packed if len(packed) < len(content) else None


def cacheable_response(request, response):
    """Whether the page cache may keep this response: a page, or a download kept on disk
    (streamed, but kept whole in a file, networks/kept_downloads.py)."""
    streams = response.streaming and getattr(response, "kept_download", None) is None
    if response.status_code != 200 or streams or response.cookies:
        return False
    if request.META.get("CSRF_COOKIE_NEEDS_UPDATE") or getattr(request, "_csp_nonce", None):
        return False
    control = response.get("Cache-Control", "").lower()
    if any(word in control for word in ("private", "no-store", "no-cache")):
        return False
    vary = {v.strip().lower() for v in response.get("Vary", "").split(",") if v.strip()}
    return vary <= CACHEABLE_VARY


_day = (0.0, "", 0.0)  # (next midnight, today, today's midnight), worked out once a day


def local_day():
    """(today's date in the site's time zone, its midnight as a timestamp)."""
    global _day
    now = timezone.now().timestamp()
    if not _day[2] <= now < _day[0]:
        today = timezone.localdate()
        midnight = timezone.make_aware(datetime.datetime.combine(today, datetime.time.min))
        following = timezone.make_aware(
            datetime.datetime.combine(today + datetime.timedelta(days=1), datetime.time.min)
        )
        _day = (following.timestamp(), today.isoformat(), midnight.timestamp())
    return _day[1], _day[2]


class PublicPageCacheMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not cacheable_request(request):
            response = self.get_response(request)
            if settings.SESSION_COOKIE_NAME in request.COOKIES:
                patch_cache_control(response, private=True, no_store=True)
            return response
        digest = hashlib.sha256(
            "|".join(
                (request.scheme, request.get_host(), request.LANGUAGE_CODE, request.get_full_path())
            ).encode()
        ).hexdigest()
        key = PAGE_KEY.format(digest=digest)
        try:
            # This process's copy of the version, or one small round trip for it.
            version, changed = current_version()
        except Exception:  # the site keeps serving, uncached, through a cache outage
            logger.exception("Cache unavailable: serving without it")
            return self.get_response(request)
        # Pages that name the day (the home page's upcoming and recent events, the calendar,
        # "this year" on a timeline, a plan that has ended) change at midnight without any
        # edit: each day is a version of its own, and its midnight a change.
        day, midnight = local_day()
        version, changed = f"{version}.{day}", max(changed, midnight)
        etag = quote_etag(f"{version}-{digest[:16]}")
        # A client holding this ETag got it from this page at this version: no need to render.
        # (Compared weakly: a client holding the gzip's W/ tag matches too.)
        not_modified = get_conditional_response(request, etag=etag, last_modified=int(changed))
        if not_modified is not None:
            self.decorate(not_modified, etag, changed)
            if accepts_gzip(request):
                not_modified.headers["ETag"] = "W/" + etag
            return not_modified
        # The page: from this process's memory when it served it at this version, else from
        # the shared cache.
        stamp = (version, changed)
        stored = page_memory.get(key, stamp)
        if stored is None:
            try:
                stored = cache.get(key)
            except Exception:
                logger.exception("Cache unavailable: rendering the page")
            if stored is not None and stored["version"] == version:
                page_memory.put(key, stamp, stored)
        if stored is not None and stored["version"] == version:
            response = self.restored(request, stored)
            if response is not None:
                # Stored decorated, under this version and change time; a page stored before
                # "changed" was kept with it (or under a clock restarted since) is decorated
                # again.
                if stored.get("changed") != changed:
                    self.decorate(response, etag, changed)
                return self.encode(request, response, stored)
        response = self.get_response(request)
        if not cacheable_response(request, response):
            return response
        self.decorate(response, etag, changed)
        stored = {"version": version, "changed": changed, "headers": list(response.headers.items())}
        if kept := getattr(response, "kept_download", None):
            # A download: the name its file is kept under, not its bytes (megabytes, and on
            # disk already); a later request gets the file without the view while it is kept.
            # Each server looks in its own DOWNLOAD_CACHE_DIR, and only there.
            stored.update(kept=kept.name, content=b"")
        else:
            stored.update(content=response.content, gzip=compressed(response))
        try:
            cache.set(key, stored, settings.PAGE_CACHE_SECONDS)
        except Exception:
            logger.exception("Cache unavailable: page not stored")
        else:
            page_memory.put(key, stamp, stored)
        return self.encode(request, response, stored)

    @staticmethod
    def restored(request, stored):
        """The stored page, or the kept download's file (None when it is no longer kept)."""
        own_headers = ()
        if "kept" not in stored:
            response = HttpResponse(stored["content"], status=200)
        else:
            from .kept_downloads import sent

            path = Path(settings.DOWNLOAD_CACHE_DIR) / Path(stored["kept"]).name
            response = sent(request, path, dict(stored["headers"])["Content-Type"])
            if response is None:
                return None
            own_headers = ENCODING_HEADERS
        for header, value in stored["headers"]:
            if header not in own_headers:
                response.headers[header] = value
        return response

    @staticmethod
    def encode(request, response, stored):
        """The stored gzip instead of the page, to a client that accepts it (a kept download
        is sent as its kept gzip already): either way with a weak ETag."""
        if response.get("Content-Encoding") == "gzip":
            response.headers["ETag"] = "W/" + response.headers["ETag"]
            return response
        packed = stored.get("gzip")  # pages stored before compression came have none
        if packed is None or not accepts_gzip(request):
            return response
        response.content = packed
        response.headers["Content-Encoding"] = "gzip"
        response.headers["Content-Length"] = str(len(packed))
        response.headers["ETag"] = "W/" + response.headers["ETag"]
        return response

    @staticmethod
    def decorate(response, etag, changed):
        response.headers["ETag"] = etag
        response.headers["Last-Modified"] = http_date(changed)
        patch_cache_control(response, public=True, max_age=settings.PAGE_CACHE_MAX_AGE)
        # A proxy must not hand the anonymous copy to someone signed in (staff who just
        # edited the page would see the old one), nor the gzip to a client without gzip.
        patch_vary_headers(response, ["Cookie", "Accept-Encoding"])
        return response
