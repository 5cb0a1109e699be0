"""Sign in and out (session, for the browser), who am I, and API tokens (for scripts).

Password guessing is slowed down per client address (seen through the trusted proxies), with a
back-off that doubles: :mod:`qlf.dashboard.services.sign_in_limit`. Sign-in and token requests
of a held-back address answer 429 with ``Retry-After``.
"""

from __future__ import annotations

from django.contrib.auth import authenticate, login, logout
from django.utils.decorators import method_decorator
from django.views.decorators.csrf import ensure_csrf_cookie
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework import exceptions, serializers
from rest_framework.authentication import SessionAuthentication
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from qlf.dashboard.api.client_address import client_address
from qlf.dashboard.errors import ApplicationError
from qlf.dashboard.models import ApiToken
from qlf.dashboard.permissions import roles
from qlf.dashboard.services.sign_in_limit import (
    LOGIN_FAILURES,
    LOGIN_WINDOW_S,
    sign_in_failed,
    sign_in_succeeded,
    sign_in_wait,
)
from qlf.dashboard.services.tokens import token_create, token_revoke

__all__ = ["LOGIN_FAILURES", "LOGIN_WINDOW_S", "LoginApi", "LogoutApi", "MeApi", "TokenApi",
           "TokenDetailApi", "TokenListApi"]  # fmt: skip


class CredentialsSerializer(serializers.Serializer):
    username = serializers.CharField(max_length=150)
    password = serializers.CharField(max_length=256, style={"input_type": "password"})


def _me(user) -> dict:
    return {"username": user.username, "roles": roles(user)}


def _authenticate(request) -> object:
    data = CredentialsSerializer(data=request.data)
    data.is_valid(raise_exception=True)
    address = client_address(request)
    wait = sign_in_wait(address)
    if wait > 0:
        raise exceptions.Throttled(wait=wait, detail="too many failed sign-ins")
    user = authenticate(request, **data.validated_data)
    if user is None:
        sign_in_failed(address)
        raise ApplicationError("wrong username or password", status_code=401)
    sign_in_succeeded(address)
    return user


class LoginApi(APIView):
    """Session sign-in for the browser. It needs the CSRF token like every session write (the
    app reads it from the cookie that ``auth/me/`` sets): otherwise a foreign page could sign the
    browser in to an account of its choosing (login CSRF). Scripts use ``auth/token/``."""

    permission_classes = [AllowAny]

    @extend_schema(request=CredentialsSerializer, responses=OpenApiTypes.OBJECT)
    def post(self, request):
        SessionAuthentication().enforce_csrf(request)  # 403 "CSRF Failed: ..."
        user = _authenticate(request)
        login(request, user)
        return Response(_me(user))


class LogoutApi(APIView):
    permission_classes = [AllowAny]

    @extend_schema(request=None, responses=OpenApiTypes.OBJECT)
    def post(self, request):
        logout(request)
        return Response({"detail": "signed out"})


@method_decorator(ensure_csrf_cookie, name="get")
class MeApi(APIView):
    """The signed-in user and roles; also sets the CSRF cookie the browser needs to sign in."""

    permission_classes = [AllowAny]

    @extend_schema(responses=OpenApiTypes.OBJECT)
    def get(self, request):
        if not request.user.is_authenticated:
            return Response({"username": None, "roles": []})
        return Response(_me(request.user))


class TokenApi(APIView):
    """Exchange a username and password for a new API token (``Authorization: Token ...``).

    The key is in this answer only (the database keeps its digest); it expires after
    ``QLF_TOKEN_DAYS`` days and can be revoked (``DELETE /api/auth/tokens/{id}/``)."""

    permission_classes = [AllowAny]
    authentication_classes = []

    @extend_schema(request=CredentialsSerializer, responses=OpenApiTypes.OBJECT)
    def post(self, request):
        user = _authenticate(request)
        new = token_create(user=user, name="auth/token")
        return Response({"token": new.key, "id": new.token.pk,
                         "expires": new.token.expires, **_me(user)})  # fmt: skip


class TokenSerializer(serializers.ModelSerializer):
    user = serializers.CharField(source="user.username")

    class Meta:
        model = ApiToken
        fields = ["id", "user", "prefix", "name", "created", "expires", "last_used", "revoked"]


class TokenListApi(APIView):
    """The caller's API tokens (an admin's: everyone's), without their keys."""

    @extend_schema(responses=TokenSerializer(many=True))
    def get(self, request):
        tokens = ApiToken.objects.select_related("user")
        if not request.user.is_staff:
            tokens = tokens.filter(user=request.user)
        return Response(TokenSerializer(tokens, many=True).data)


class TokenDetailApi(APIView):
    """Revoke a token: its owner may, and admins may revoke anyone's."""

    @extend_schema(request=None, responses={204: None})
    def delete(self, request, token_id: int):
        token_revoke(token_id=token_id, by=request.user)
        return Response(status=204)
