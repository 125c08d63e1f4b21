"""Structured logs: one JSON object per line on stderr, each tied to its request.

Every request gets an id (``X-Request-ID`` on the response, so a visitor or a proxy log can
quote it); every record logged while the request runs carries that id, the path and the id
of the signed-in user, and a traceback when there is one. One line per record keeps a
traceback from being split across log lines by collectors that read line by line.
"""

import contextvars
import json
import logging
import re
import uuid

from django.utils import timezone

REQUEST_ID_HEADER = "X-Request-ID"
# An id given by a trusted proxy is kept so both logs agree; anything else is replaced,
# so a client cannot inject text into the logs through the header.
_VALID_ID = re.compile(r"^[A-Za-z0-9._-]{8,64}$")

_current_request = contextvars.ContextVar("xmess_current_request", default=None)


def current_request_id():
    request = _current_request.get()
    return getattr(request, "request_id", None)


def user_id(request):
    """The signed-in user's id, but only if the request already looked the user up.

    Logging must never query the database (it may be the thing that failed), so a user
    that is still a lazy object is left alone.
    """
    user = getattr(request, "_cached_user", None)
    if user is None or not getattr(user, "is_authenticated", False):
        return None
    return user.pk


class RequestIDMiddleware:
    """Outermost middleware: names the request, and names it on every response."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        incoming = request.META.get("HTTP_X_REQUEST_ID", "")
        request.request_id = incoming if _VALID_ID.match(incoming) else uuid.uuid4().hex
        token = _current_request.set(request)
        try:
            response = self.get_response(request)
        finally:
            _current_request.reset(token)
        response[REQUEST_ID_HEADER] = request.request_id
        return response


class JSONFormatter(logging.Formatter):
    """One JSON object per record, with the request it belongs to."""

    def format(self, record):
        request = getattr(record, "request", None) or _current_request.get()
        entry = {
            "time": timezone.now().isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        if request is not None and hasattr(request, "path"):
            entry["request_id"] = getattr(request, "request_id", None)
            entry["method"] = request.method
            entry["path"] = request.path
            entry["user_id"] = user_id(request)
        status = getattr(record, "status_code", None)
        if status is not None:
            entry["status"] = status
        if record.exc_info:
            entry["traceback"] = self.formatException(record.exc_info)
        elif record.stack_info:
            entry["stack"] = self.formatStack(record.stack_info)
        return json.dumps(entry, ensure_ascii=False, default=str)
