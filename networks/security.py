"""Security log: logins, failed logins, lockouts and permission refusals.

Everything goes to the "xmess.security" logger (configured in settings.LOGGING). User input
(a submitted username) is logged with ``%r`` so it cannot forge extra log lines.
"""

import logging
import time

from axes.helpers import get_client_ip_address
from axes.signals import user_locked_out
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.core.exceptions import PermissionDenied
from django.dispatch import receiver

logger = logging.getLogger("xmess.security")


def client_address(request):
    """The address axes locks (behind TRUSTED_PROXIES proxies, the client's, not theirs)."""
    if request is None:
        return "-"
    return get_client_ip_address(request) or "-"


@receiver(user_logged_in, dispatch_uid="xmess_log_login")
def log_login(sender, request, user, **kwargs):
    logger.info("login user=%r ip=%s", user.get_username(), client_address(request))


@receiver(user_logged_out, dispatch_uid="xmess_log_logout")
def log_logout(sender, request, user, **kwargs):
    username = user.get_username() if user is not None else None
    logger.info("logout user=%r ip=%s", username, client_address(request))


@receiver(user_login_failed, dispatch_uid="xmess_log_login_failed")
def log_login_failed(sender, credentials, request=None, **kwargs):
    logger.warning(
        "login failed user=%r ip=%s", credentials.get("username"), client_address(request)
    )


@receiver(user_locked_out, dispatch_uid="xmess_log_locked_out")
def log_locked_out(sender, request, username, ip_address, **kwargs):
    logger.warning("locked out user=%r ip=%s", username, ip_address)


class PermissionDeniedLogMiddleware:
    """Log every refused request (403) with who asked for what; Django still answers it."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if isinstance(exception, PermissionDenied):
            user = getattr(request, "user", None)
            username = user.get_username() if user is not None else None
            logger.warning(
                "permission denied user=%r ip=%s method=%s path=%r",
                username,
                client_address(request),
                request.method,
                request.path,
            )


# The session is written again (restarting its SESSION_COOKIE_AGE) at most this often, so
# staff stay signed in while they work without a database write on every request.
SESSION_REFRESH_SECONDS = 300
SESSION_REFRESHED_KEY = "_xmess_refreshed_at"


@receiver(user_logged_in, dispatch_uid="xmess_session_refreshed_at_login")
def mark_session_fresh(sender, request, user, **kwargs):
    if request is not None and hasattr(request, "session"):
        request.session[SESSION_REFRESHED_KEY] = int(time.time())


class IdleSessionMiddleware:
    """Sessions end after SESSION_COOKIE_AGE without activity, not that long after login.

    Only sessions a request already looked at (the admin always does) are refreshed, so a
    public page never loads the session just for this.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        session = getattr(request, "session", None)
        if session is None or not session.accessed or session.is_empty():
            return response
        now = int(time.time())
        if now - session.get(SESSION_REFRESHED_KEY, 0) >= SESSION_REFRESH_SECONDS:
            session[SESSION_REFRESHED_KEY] = now  # saved, with a new expiry, on the way out
        return response
