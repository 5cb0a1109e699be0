"""ASGI entry point: HTTP through Django; the websocket feed is added by the live-feed issue."""

import os

from channels.routing import ProtocolTypeRouter
from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "qlf.web.settings")

application = ProtocolTypeRouter({"http": get_asgi_application()})
