"""API tokens: created (the key returned once), looked up by digest, revoked."""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.utils import timezone

from qlf.dashboard.errors import ApplicationError
from qlf.dashboard.models import ApiToken

__all__ = ["NewToken", "token_create", "token_digest", "token_revoke", "token_user"]

_LAST_USED_EVERY = timedelta(minutes=5)  # not one write per request


@dataclass(frozen=True)
class NewToken:
    token: ApiToken
    key: str  # shown to its owner once; never stored


def token_digest(key: str) -> str:
    return hashlib.sha256(key.encode("utf-8", "replace")).hexdigest()


def token_create(*, user, name: str = "", days: float | None = None) -> NewToken:
    """A new token of ``user`` valid ``days`` (default ``QLF_TOKEN_DAYS``); its key, once."""
    days = settings.QLF["TOKEN_DAYS"] if days is None else days
    if not 0 < days <= 3660:
        raise ApplicationError(f"a token lasts 1 s to 10 years, not {days} days")
    key = secrets.token_hex(20)
    token = ApiToken.objects.create(
        user=user, digest=token_digest(key), prefix=key[:8], name=name[:100],
        expires=timezone.now() + timedelta(days=days),
    )  # fmt: skip
    return NewToken(token, key)


def token_user(key: str) -> tuple[object | None, str]:
    """(the active user of ``key``, "") or (None, why not)."""
    token = ApiToken.objects.select_related("user").filter(digest=token_digest(key)).first()
    if token is None:
        return None, "invalid token"
    now = timezone.now()
    if token.revoked is not None:
        return None, "token revoked"
    if token.expires <= now:
        return None, "token expired"
    if not token.user.is_active:
        return None, "user inactive or deleted"
    if token.last_used is None or now - token.last_used > _LAST_USED_EVERY:
        ApiToken.objects.filter(pk=token.pk).update(last_used=now)
    return token.user, ""


def token_revoke(*, token_id: int, by) -> ApiToken:
    """Revoke a token: its owner may, and admins (staff) may revoke anyone's (404 otherwise)."""
    token = ApiToken.objects.filter(pk=token_id).first()
    if token is None or not (by is None or by.is_staff or token.user_id == by.pk):
        raise ApplicationError(f"no token {token_id}", status_code=404)
    if token.revoked is None:
        token.revoked, token.revoked_by = timezone.now(), by
        token.save(update_fields=["revoked", "revoked_by"])
    return token
