"""Test-only environment, loaded by pytest (`-p tests.env`) before Django reads settings.

Tests run with production settings (DEBUG off) except for what a test client cannot do:
plain HTTP instead of an HTTPS redirect, and static files served without collectstatic.
"""

import os

os.environ.setdefault("SECRET_KEY", "insecure-key-for-the-test-suite-only")
os.environ["DEBUG"] = "false"
os.environ["SECURE_SSL_REDIRECT"] = "false"
os.environ["STATIC_MANIFEST"] = "false"
os.environ["WHITENOISE_USE_FINDERS"] = "true"
# Live-server browser tests call the ORM from Playwright's event loop thread.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
