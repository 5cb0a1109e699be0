"""DRF authentication by API token (``Authorization: Token <key>``) over :class:`ApiToken`:
the key is looked up by its digest; expired and revoked tokens are refused (401)."""

from __future__ import annotations

from rest_framework import exceptions
from rest_framework.authentication import TokenAuthentication

__all__ = ["ApiTokenAuthentication"]


class ApiTokenAuthentication(TokenAuthentication):
    def authenticate_credentials(self, key):
        # imported here: DRF imports this class while its own views module is being imported
        from qlf.dashboard.services.tokens import token_user

        user, why = token_user(key)
        if user is None:
            raise exceptions.AuthenticationFailed(why)
        return user, None
