"""Sign in and out (session, for the browser), who am I, and API tokens (for scripts).

Password guessing is slowed down: after :data:`LOGIN_FAILURES` wrong passwords for one username
from one address within :data:`LOGIN_WINDOW_S`, sign-in and token requests for that pair answer
429 with ``Retry-After`` until the window of the first failure ends (counted in Django's cache).
"""

from __future__ import annotations

import hashlib
import math
import time

from django.contrib.auth import authenticate, login, logout
from django.core.cache import cache
from django.utils.decorators import method_decorator
from django.views.decorators.csrf import ensure_csrf_cookie
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework import exceptions, serializers
from rest_framework.authentication import SessionAuthentication
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from qlf.dashboard.errors import ApplicationError
from qlf.dashboard.models import ApiToken
from qlf.dashboard.permissions import roles
from qlf.dashboard.services.tokens import token_create, token_revoke


class CredentialsSerializer(serializers.Serializer):
    username = serializers.CharField(max_length=150)
    password = serializers.CharField(max_length=256, style={"input_type": "password"})


def _me(user) -> dict:
    return {"username": user.username, "roles": roles(user)}


LOGIN_FAILURES = 10
LOGIN_WINDOW_S = 300


def _authenticate(request) -> object:
    data = CredentialsSerializer(data=request.data)
    data.is_valid(raise_exception=True)
    key = _failures_key(request, data.validated_data["username"])
    failures, since = cache.get(key) or (0, time.time())
    wait = since + LOGIN_WINDOW_S - time.time()
    if failures >= LOGIN_FAILURES and wait > 0:
        raise exceptions.Throttled(wait=math.ceil(wait), detail="too many failed sign-ins")
    user = authenticate(request, **data.validated_data)
    if user is None:
        cache.set(key, (failures + 1, since), timeout=max(1, math.ceil(wait)))
        raise ApplicationError("wrong username or password", status_code=401)
    cache.delete(key)
    return user


def _failures_key(request, username: str) -> str:
    who = f"{username.lower()}|{request.META.get('REMOTE_ADDR', '')}"
    return "qlf:login-failures:" + hashlib.sha256(who.encode()).hexdigest()


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
