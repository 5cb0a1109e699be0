"""WSGI entry point (management tools; the server runs the ASGI application)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "qlf.web.settings")

application = get_wsgi_application()
