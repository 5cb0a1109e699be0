"""API tokens for scripts, stored as SHA-256 digests of their keys (the key is shown once), and
the failed sign-ins of each client address."""

from __future__ import annotations

from django.conf import settings
from django.db import models

__all__ = ["ApiToken", "SignInThrottle"]


class ApiToken(models.Model):
    """One API key of a user: ``Authorization: Token <key>``, valid until ``expires`` or until
    revoked. Only the digest is kept; ``prefix`` (the key's first 8 characters) identifies it in
    listings. Keys are 160 random bits, so an unsalted digest cannot be reversed."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens"
    )
    digest = models.CharField(max_length=64, unique=True)
    prefix = models.CharField(max_length=8)
    name = models.CharField(max_length=100, blank=True, default="")
    created = models.DateTimeField(auto_now_add=True)
    expires = models.DateTimeField()
    last_used = models.DateTimeField(null=True, blank=True)
    revoked = models.DateTimeField(null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )  # fmt: skip

    class Meta:
        ordering = ["-created", "-id"]

    def __str__(self) -> str:
        return f"token {self.prefix}… of {self.user_id}"


class SignInThrottle(models.Model):
    """Failed sign-ins of one client address (``qlf.dashboard.services.sign_in_limit``).

    In the database so that every server process counts the same failures."""

    address = models.CharField(max_length=45, unique=True)
    failures = models.PositiveIntegerField(default=0)
    since = models.FloatField(help_text="epoch s: start of the current window")
    level = models.PositiveSmallIntegerField(default=0, help_text="blocks so far: 2^level")
    updated = models.FloatField(db_index=True, help_text="epoch s of the last failure")

    def __str__(self) -> str:
        return f"{self.failures} failed sign-ins from {self.address}"
