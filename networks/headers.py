"""Security headers for static files, which WhiteNoise answers before any middleware runs.

Pages get CSP and X-Frame-Options from Django's middlewares; static files would get
neither (see PITFALLS), so WhiteNoise adds the same policy through
``WHITENOISE_ADD_HEADERS_FUNCTION``. CORP keeps other sites from embedding our files.
"""

from django.conf import settings
from django.utils.csp import build_policy


def static_file_headers(headers, path, url):
    headers["Content-Security-Policy"] = build_policy(settings.SECURE_CSP)
    headers["X-Frame-Options"] = settings.X_FRAME_OPTIONS
    headers["X-Content-Type-Options"] = "nosniff"
    headers["Cross-Origin-Resource-Policy"] = "same-origin"


class CrossOriginResourcePolicyMiddleware:
    """CORP on pages as on static files: no other site may embed our responses."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.headers.setdefault("Cross-Origin-Resource-Policy", "same-origin")
        return response
