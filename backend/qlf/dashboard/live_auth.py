"""Websocket authentication by API token, for scripts (browsers use the session cookie).

The token comes from ``?token=...`` or an ``Authorization: Token ...`` header; without one the
user set by Channels' session middleware is kept.
"""

from __future__ import annotations

from urllib.parse import parse_qs

from channels.db import database_sync_to_async
from django.contrib.auth.models import AnonymousUser

__all__ = ["TokenAuthMiddleware"]


class TokenAuthMiddleware:
    def __init__(self, app):
        self.app = app

    async def __call__(self, scope, receive, send):
        key = _token(scope)
        if key is not None:
            scope = {**scope, "user": await _user(key)}
        return await self.app(scope, receive, send)


def _token(scope) -> str | None:
    query = parse_qs(scope.get("query_string", b"").decode("latin-1"))
    if query.get("token"):
        return query["token"][0]
    for name, value in scope.get("headers", []):
        if name == b"authorization":
            kind, _, key = value.decode("latin-1").partition(" ")
            if kind.lower() == "token" and key.strip():
                return key.strip()
    return None


@database_sync_to_async
def _user(key: str):
    from qlf.dashboard.services.tokens import token_user

    user, _ = token_user(key)
    return user or AnonymousUser()  # a wrong token never falls back to the session
