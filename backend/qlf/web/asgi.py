"""ASGI entry point: HTTP through Django, the live monitor feed through Channels.

Websockets are checked against ``ALLOWED_HOSTS`` (the ``Origin`` header), then authenticated
by the session cookie (browsers) or an API token (scripts, :mod:`qlf.dashboard.live_auth`).
"""

import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "qlf.web.settings")
django_application = get_asgi_application()  # sets Django up before the consumers' imports

from channels.auth import AuthMiddlewareStack  # noqa: E402
from channels.routing import ProtocolTypeRouter, URLRouter  # noqa: E402
from channels.security.websocket import AllowedHostsOriginValidator  # noqa: E402

from qlf.dashboard.live_auth import TokenAuthMiddleware  # noqa: E402
from qlf.dashboard.routing import websocket_urlpatterns  # noqa: E402

application = ProtocolTypeRouter(
    {
        "http": django_application,
        "websocket": AllowedHostsOriginValidator(
            AuthMiddlewareStack(TokenAuthMiddleware(URLRouter(websocket_urlpatterns)))
        ),
    }
)
