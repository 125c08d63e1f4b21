import os

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "xmess_site.settings")

application = get_wsgi_application()

# Refuse to serve at start-up, not at the first request, when production has no key.
if not settings.DEBUG and not os.environ.get("SECRET_KEY"):
    raise ImproperlyConfigured(
        "SECRET_KEY is not set: refusing to serve. Set it in the environment "
        "(see .env.example), or set DEBUG=true for local development."
    )
