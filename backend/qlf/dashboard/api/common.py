"""Pieces shared by the API views: query-parameter fields, validation and pagination."""

from __future__ import annotations

import re
from datetime import date

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers
from rest_framework.pagination import PageNumberPagination

__all__ = ["ID_MAX", "CsvField", "HistoryPagination", "NightField", "NightRangeMixin", "query"]

#: the largest primary key a database holds (64-bit): a larger id is a 400, never a 500
ID_MAX = 2**63 - 1


@extend_schema_field(OpenApiTypes.STR)
class CsvField(serializers.Field):
    """A comma-separated list (``?flavor=science,arc``), each item checked by ``choices``."""

    def __init__(self, *, choices=None, pattern: str | None = None, **kwargs):
        self.choices, self.pattern = choices, re.compile(pattern) if pattern else None
        super().__init__(**kwargs)

    def to_internal_value(self, data) -> list[str]:
        items = [item.strip() for item in str(data).split(",") if item.strip()]
        for item in items:
            if self.choices is not None and item not in self.choices:
                raise serializers.ValidationError(f"{item!r} is not one of {list(self.choices)}")
            if self.pattern is not None and not self.pattern.fullmatch(item):
                raise serializers.ValidationError(f"{item!r} is not valid here")
        return items

    def to_representation(self, value):
        return ",".join(value)


@extend_schema_field(OpenApiTypes.STR)
class NightField(serializers.Field):
    """A night as ``YYYYMMDD`` or an ISO date ``YYYY-MM-DD``; stored as the int YYYYMMDD."""

    def to_internal_value(self, data) -> int:
        text = str(data).strip()
        if re.fullmatch(r"\d{8}", text):
            text = f"{text[:4]}-{text[4:6]}-{text[6:]}"
        try:
            day = date.fromisoformat(text)
        except ValueError:
            raise serializers.ValidationError(
                "expected a night YYYYMMDD or a date YYYY-MM-DD"
            ) from None
        return day.year * 10000 + day.month * 100 + day.day

    def to_representation(self, value):
        return value


class NightRangeMixin(serializers.Serializer):
    """``night_from`` / ``night_to`` (also spelled ``date_from`` / ``date_to``)."""

    night_from = NightField(required=False)
    night_to = NightField(required=False)
    date_from = NightField(required=False, help_text="alias of night_from")
    date_to = NightField(required=False, help_text="alias of night_to")

    def validate(self, attrs):
        for alias, name in (("date_from", "night_from"), ("date_to", "night_to")):
            value = attrs.pop(alias, None)
            if attrs.get(name) is None:
                attrs[name] = value
        low, high = attrs.get("night_from"), attrs.get("night_to")
        if low is not None and high is not None and low > high:
            raise serializers.ValidationError({"night_from": "must not be after night_to"})
        return attrs


def query(serializer_class, request) -> dict:
    """Validate the query parameters of ``request`` (400 with the field on failure)."""
    serializer = serializer_class(data=request.query_params)
    serializer.is_valid(raise_exception=True)
    return serializer.validated_data


class HistoryPagination(PageNumberPagination):
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 500
