"""One error type and one handler: every API error is ``{"detail": ..., "field": ...}``."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import DataError
from django.http import Http404, JsonResponse
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import set_rollback

__all__ = ["ApplicationError", "exception_handler", "json_404", "json_500"]


class ApplicationError(Exception):
    """A failure the client should see: ``message`` plus ``extra`` fields, with an HTTP status."""

    def __init__(self, message: str, *, extra: dict | None = None, status_code: int = 400):
        super().__init__(message)
        self.message = message
        self.extra = extra or {}
        self.status_code = status_code


def exception_handler(exc, context) -> Response | None:
    if isinstance(exc, ApplicationError):
        return Response({"detail": exc.message, **exc.extra}, status=exc.status_code)
    if isinstance(exc, DjangoValidationError):
        exc = exceptions.ValidationError(_django_messages(exc))
    elif isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, PermissionDenied):
        exc = exceptions.PermissionDenied()
    elif isinstance(exc, OverflowError | DataError):  # an id or page the database cannot hold
        exc = exceptions.ValidationError("a number in the request is out of range")
    if not isinstance(exc, exceptions.APIException):
        return None
    set_rollback()
    headers = {}
    if getattr(exc, "auth_header", None):
        headers["WWW-Authenticate"] = exc.auth_header
    if getattr(exc, "wait", None):
        headers["Retry-After"] = str(int(exc.wait))
    return Response(_body(exc), status=exc.status_code, headers=headers)


def _body(exc: exceptions.APIException) -> dict:
    detail = exc.detail
    if isinstance(exc, exceptions.ValidationError):
        field, message = _first_error(detail)
        return {"detail": message, "field": field, "errors": detail}
    return {"detail": str(detail), "field": None}


def _first_error(detail, field: str | None = None) -> tuple[str | None, str]:
    """The first message in a (nested) DRF error structure and the dotted field it belongs to."""
    if isinstance(detail, dict):
        for key, value in detail.items():
            name = None if key == "non_field_errors" else str(key)
            sub = f"{field}.{name}" if field and name else (name or field)
            return _first_error(value, sub)
    if isinstance(detail, list) and detail:
        return _first_error(detail[0], field)
    return field, str(detail)


def _django_messages(exc: DjangoValidationError):
    return exc.message_dict if hasattr(exc, "error_dict") else exc.messages


def json_404(request, exception=None) -> JsonResponse:
    return JsonResponse({"detail": "Not found.", "field": None}, status=status.HTTP_404_NOT_FOUND)


def json_500(request) -> JsonResponse:
    return JsonResponse({"detail": "Server error.", "field": None}, status=500)
