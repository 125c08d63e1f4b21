"""What a visitor gets when something fails: a 503 while the database is down, a 500 else.

Both pages are rendered without a request context, so rendering them touches neither the
database nor the session (the very things that may have failed). Nothing is kept between
requests: once the database answers again, the next request is served as usual, and
Django's connection health checks replace a broken persistent connection.
"""

import logging
import sys

from django.db import InterfaceError, OperationalError
from django.http import HttpResponse, HttpResponseServerError
from django.template.loader import render_to_string
from django.utils.cache import add_never_cache_headers

from .log import current_request_id

logger = logging.getLogger("xmess.request")

# Errors that mean "cannot reach the database right now" (refused, dropped, timed out),
# as opposed to a bug in a query (ProgrammingError, IntegrityError…), which stays a 500.
UNAVAILABLE = (OperationalError, InterfaceError)
RETRY_AFTER_SECONDS = 30


def service_unavailable():
    html = render_to_string("503.html", {"request_id": current_request_id()})
    response = HttpResponse(html, status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    # A proxy or the browser must not keep the outage page once the site is back.
    add_never_cache_headers(response)
    return response


class DatabaseUnavailableMiddleware:
    """Turn a lost database connection in a view into a 503 with ``Retry-After``."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not isinstance(exception, UNAVAILABLE):
            return None
        logger.error("database unavailable: %s", exception, exc_info=exception)
        return service_unavailable()


def server_error(request):
    """handler500: the outage page when a middleware lost the database, else the 500 page.

    Django calls it while handling the exception, so ``sys.exc_info()`` names the cause;
    the traceback itself is logged by Django's ``django.request`` logger.
    """
    if isinstance(sys.exc_info()[1], UNAVAILABLE):
        return service_unavailable()
    html = render_to_string("500.html", {"request_id": current_request_id()})
    return HttpResponseServerError(html)
