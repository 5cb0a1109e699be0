"""Thresholds as living data: versions (files + database), new versions, re-grading history."""

from __future__ import annotations

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from qlf.dashboard.api.common import NightField, query
from qlf.dashboard.models import ThresholdVersion
from qlf.dashboard.permissions import IsViewerReadAdminWrite
from qlf.dashboard.selectors.thresholds import threshold_get, threshold_versions
from qlf.dashboard.services.regrade import regrade_apply, regrade_preview
from qlf.dashboard.services.thresholds import threshold_version_create
from qlf.quicklook.specs import SpecVersion


def _summary(version: SpecVersion, edits: dict[str, ThresholdVersion]) -> dict:
    edit = edits.get(version.version)
    return {
        "version": version.version,
        "effective_night": version.effective_night,
        "source": "file" if version.path else "database",
        "author": version.author,
        "note": version.note,
        "base_version": edit.base_version if edit else None,
        "change": edit.change if edit else None,
        "created": edit.created.isoformat() if edit else None,
    }


class ThresholdListApi(APIView):
    """GET: every version, newest first (viewers). POST: a new version (admins)."""

    permission_classes = [IsViewerReadAdminWrite]

    class ThresholdInputSerializer(serializers.Serializer):
        key = serializers.RegexField(r"^[A-Z0-9_]{1,32}$")
        selector = serializers.CharField(default="default", max_length=32)
        ref = serializers.JSONField(help_text="number, list, {camera|arm|label: number}, calib:…")
        normal_range = serializers.ListField(child=serializers.FloatField(), min_length=2,
                                             max_length=2)  # fmt: skip
        warn_range = serializers.ListField(child=serializers.FloatField(), min_length=2,
                                           max_length=2)  # fmt: skip
        effective_night = NightField()
        reason = serializers.CharField(max_length=2000)

    @extend_schema(responses=list[dict], operation_id="threshold_list")  # newest first
    def get(self, request):
        edits = {v.version: v for v in ThresholdVersion.objects.all()}
        return Response([_summary(v, edits) for v in reversed(threshold_versions())])

    @extend_schema(request=ThresholdInputSerializer, responses=OpenApiTypes.OBJECT)
    def post(self, request):
        data = self.ThresholdInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        created = threshold_version_create(**data.validated_data, user=request.user)
        version = threshold_get(version=created.version)
        return Response(
            _summary(version, {created.version: created}), status=status.HTTP_201_CREATED
        )


class ThresholdDetailApi(APIView):
    @extend_schema(responses=OpenApiTypes.OBJECT)
    def get(self, request, version: str):
        found = threshold_get(version=version)
        edits = {v.version: v for v in ThresholdVersion.objects.filter(version=version)}
        return Response({**_summary(found, edits), "metrics": found.metrics})


class RegradeApi(APIView):
    """GET: what re-grading the nights with this version would change (viewers).
    POST: re-grade them (admins). Both answer the exposures and cameras whose status changes."""

    permission_classes = [IsViewerReadAdminWrite]

    class RegradeRangeSerializer(serializers.Serializer):
        night_from = NightField()
        night_to = NightField(required=False, allow_null=True, default=None)

        def validate(self, attrs):
            if attrs["night_to"] is not None and attrs["night_to"] < attrs["night_from"]:
                raise serializers.ValidationError({"night_to": "must not be before night_from"})
            return attrs

    @extend_schema(parameters=[RegradeRangeSerializer], responses=OpenApiTypes.OBJECT)
    def get(self, request, version: str):
        return Response(
            regrade_preview(version=version, **query(self.RegradeRangeSerializer, request))
        )

    @extend_schema(request=RegradeRangeSerializer, responses=OpenApiTypes.OBJECT)
    def post(self, request, version: str):
        data = self.RegradeRangeSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        return Response(regrade_apply(version=version, **data.validated_data, user=request.user))
