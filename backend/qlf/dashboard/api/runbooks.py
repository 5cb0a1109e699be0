"""Alarm runbooks: read by viewers, edited by admins (each edit a new version)."""

from __future__ import annotations

import re

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from qlf.dashboard.api.common import query
from qlf.dashboard.errors import ApplicationError
from qlf.dashboard.permissions import IsViewerReadAdminWrite
from qlf.dashboard.selectors.mapping import FLAVORS
from qlf.dashboard.selectors.runbooks import runbook_current, runbook_get, runbook_scope_get
from qlf.dashboard.services.runbooks import runbook_edit

_KEY = re.compile(r"^[A-Z0-9_]{1,32}\Z")


class RunbookListApi(APIView):
    """GET: the runbook in force of every key and scope (viewers). POST: a new version of one
    (admins); ``base_version`` is the version edited (409 if another admin saved since)."""

    permission_classes = [IsViewerReadAdminWrite]

    class RunbookInputSerializer(serializers.Serializer):
        key = serializers.RegexField(r"^[A-Z0-9_]{1,32}$")
        scope = serializers.CharField(default="default", max_length=16)
        alarm = serializers.CharField(max_length=4000)
        warning = serializers.CharField(max_length=4000)
        check_first = serializers.CharField(max_length=4000)
        contact = serializers.CharField(max_length=1000)
        note = serializers.CharField(max_length=2000)
        base_version = serializers.CharField(max_length=32, allow_blank=True, default="")

    @extend_schema(responses=list[dict], operation_id="runbook_list")
    def get(self, request):
        return Response(runbook_current())

    @extend_schema(request=RunbookInputSerializer, responses=OpenApiTypes.OBJECT)
    def post(self, request):
        data = self.RunbookInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        entry = runbook_edit(
            key=values["key"],
            scope=values["scope"],
            texts={f: values[f] for f in ("alarm", "warning", "check_first", "contact")},
            note=values["note"],
            base_version=values["base_version"],
            user=request.user,
        )
        return Response(entry, status=status.HTTP_201_CREATED)


class RunbookDetailApi(APIView):
    """GET /api/runbooks/{key}/?flavor=&camera= — the runbook shown for an alert of ``key``
    (the most specific scope in force), or ``?scope=`` exactly; with its version history."""

    class FilterSerializer(serializers.Serializer):
        flavor = serializers.ChoiceField(choices=FLAVORS, required=False)
        camera = serializers.RegexField(r"^[brz]\d$", required=False)
        scope = serializers.CharField(required=False, max_length=16)

    @extend_schema(parameters=[FilterSerializer], responses=OpenApiTypes.OBJECT)
    def get(self, request, key: str):
        if not _KEY.match(key):
            raise ApplicationError(f"{key!r} is not a metric key", status_code=404)
        found = query(self.FilterSerializer, request)
        if "scope" in found:
            return Response(runbook_scope_get(key=key, scope=found["scope"]))
        return Response(runbook_get(key=key, **found))
