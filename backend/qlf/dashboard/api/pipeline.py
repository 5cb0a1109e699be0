"""Pipeline control: viewers read the status, operators start, stop, reset and reprocess."""

from __future__ import annotations

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from qlf.dashboard.permissions import IsOperator
from qlf.dashboard.services.pipeline_control import (
    pipeline_action,
    pipeline_reprocess,
    pipeline_status,
)


class PipelineStatusApi(APIView):
    @extend_schema(responses=OpenApiTypes.OBJECT)
    def get(self, request):
        return Response(pipeline_status())


class PipelineActionApi(APIView):
    """POST /api/pipeline/{start|stop|reset}/ (the action comes from the URL); reset acts only
    with ``{"confirm": true}``, otherwise the daemon answers what it would delete."""

    permission_classes = [IsOperator]
    action: str = ""

    class ActionInputSerializer(serializers.Serializer):
        confirm = serializers.BooleanField(default=False)

    @extend_schema(request=ActionInputSerializer, responses=OpenApiTypes.OBJECT)
    def post(self, request):
        data = self.ActionInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        return Response(pipeline_action(action=self.action, confirm=data.validated_data["confirm"]))


class PipelineReprocessApi(APIView):
    permission_classes = [IsOperator]

    class ReprocessInputSerializer(serializers.Serializer):
        expid = serializers.IntegerField(min_value=0)
        spec_version = serializers.CharField(
            required=False, max_length=32, help_text="threshold version (default: in force)"
        )

    @extend_schema(request=ReprocessInputSerializer, responses=OpenApiTypes.OBJECT)
    def post(self, request):
        data = self.ReprocessInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        return Response(
            pipeline_reprocess(
                expid=data.validated_data["expid"],
                spec_version=data.validated_data.get("spec_version"),
            )
        )
