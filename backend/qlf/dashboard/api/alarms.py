"""Alarms & masks: acknowledging alerts, known-bad masks and the audit log of both."""

from __future__ import annotations

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from qlf.dashboard.api.common import NightField, query
from qlf.dashboard.permissions import IsOperator, IsViewerReadOperatorWrite
from qlf.dashboard.selectors.alarms import ALARM_STATES, alarm_list, alarm_open_count
from qlf.dashboard.selectors.audit import audit_list
from qlf.dashboard.selectors.masks import mask_get, mask_list
from qlf.dashboard.services.alert_acks import ack_payload, alert_acknowledge
from qlf.dashboard.services.masks import mask_create, mask_end, mask_update


def _metric_key() -> serializers.Field:
    return serializers.RegexField(r"^[A-Z0-9_]{1,32}$")


class MaskOutputSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    camera = serializers.CharField()
    amp = serializers.CharField()
    fiber = serializers.IntegerField(allow_null=True)
    target = serializers.CharField()
    metrics = serializers.ListField(child=serializers.CharField())
    night_from = serializers.IntegerField()
    night_to = serializers.IntegerField(allow_null=True)
    reason = serializers.CharField()
    created_by = serializers.CharField(source="created_by.username", default="")
    created = serializers.DateTimeField()
    ended = serializers.DateTimeField(allow_null=True)


class AlarmListApi(APIView):
    class FilterSerializer(serializers.Serializer):
        state = serializers.ChoiceField(choices=ALARM_STATES, default="all")
        limit = serializers.IntegerField(min_value=1, max_value=1000, default=200)

    @extend_schema(parameters=[FilterSerializer], responses=list[dict])  # newest first
    def get(self, request):
        return Response(alarm_list(**query(self.FilterSerializer, request)))


class AlarmCountApi(APIView):
    """GET /api/alarms/open/ — how many alerts wait for an acknowledgement, per level."""

    @extend_schema(responses=OpenApiTypes.OBJECT)
    def get(self, request):
        return Response(alarm_open_count())


class AlarmAckApi(APIView):
    """POST /api/alarms/{seq}/ack/ — acknowledge the alert event ``seq`` with a note."""

    permission_classes = [IsOperator]

    class AckInputSerializer(serializers.Serializer):
        note = serializers.CharField(max_length=2000)

    @extend_schema(request=AckInputSerializer, responses=OpenApiTypes.OBJECT)
    def post(self, request, seq: int):
        data = self.AckInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        ack = alert_acknowledge(seq=seq, note=data.validated_data["note"], user=request.user)
        return Response(ack_payload(ack), status=status.HTTP_201_CREATED)


class MaskListApi(APIView):
    permission_classes = [IsViewerReadOperatorWrite]

    class FilterSerializer(serializers.Serializer):
        active_on = NightField(required=False, help_text="masks covering this night")
        include_ended = serializers.BooleanField(default=True)

    class MaskCreateInputSerializer(serializers.Serializer):
        camera = serializers.RegexField(r"^[brzBRZ]\d$")
        amp = serializers.CharField(required=False, allow_blank=True, max_length=1, default="")
        fiber = serializers.IntegerField(required=False, allow_null=True, default=None)
        metrics = serializers.ListField(child=_metric_key(), required=False, default=list)
        night_from = NightField()
        night_to = NightField(required=False, allow_null=True, default=None)
        reason = serializers.CharField(max_length=2000)

    @extend_schema(parameters=[FilterSerializer], responses=MaskOutputSerializer(many=True))
    def get(self, request):
        masks = mask_list(**query(self.FilterSerializer, request))
        return Response(MaskOutputSerializer(masks, many=True).data)

    @extend_schema(request=MaskCreateInputSerializer, responses=MaskOutputSerializer)
    def post(self, request):
        data = self.MaskCreateInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        mask = mask_create(**data.validated_data, user=request.user)
        return Response(MaskOutputSerializer(mask).data, status=status.HTTP_201_CREATED)


class MaskDetailApi(APIView):
    permission_classes = [IsViewerReadOperatorWrite]

    class MaskUpdateInputSerializer(serializers.Serializer):
        reason = serializers.CharField(required=False, max_length=2000)
        night_from = NightField(required=False)
        night_to = NightField(required=False, allow_null=True)
        metrics = serializers.ListField(child=_metric_key(), required=False)

    @extend_schema(responses=MaskOutputSerializer)
    def get(self, request, mask_id: int):
        return Response(MaskOutputSerializer(mask_get(mask_id=mask_id)).data)

    @extend_schema(request=MaskUpdateInputSerializer, responses=MaskOutputSerializer)
    def patch(self, request, mask_id: int):
        data = self.MaskUpdateInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        clear = "night_to" in values and values["night_to"] is None
        mask = mask_update(mask_id=mask_id, user=request.user, clear_night_to=clear, **values)
        return Response(MaskOutputSerializer(mask).data)


class MaskEndApi(APIView):
    """POST /api/masks/{id}/end/ — the mask's last night is ``last_night`` (default: last
    night); tonight's exposures are graded without it."""

    permission_classes = [IsOperator]

    class MaskEndInputSerializer(serializers.Serializer):
        last_night = NightField(required=False)
        note = serializers.CharField(required=False, allow_blank=True, max_length=2000, default="")

    @extend_schema(request=MaskEndInputSerializer, responses=MaskOutputSerializer)
    def post(self, request, mask_id: int):
        data = self.MaskEndInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        mask = mask_end(mask_id=mask_id, user=request.user, **data.validated_data)
        return Response(MaskOutputSerializer(mask).data)


class AuditListApi(APIView):
    class FilterSerializer(serializers.Serializer):
        action = serializers.RegexField(r"^[a-z._]{0,32}$", required=False, default="")
        limit = serializers.IntegerField(min_value=1, max_value=1000, default=200)

    class AuditOutputSerializer(serializers.Serializer):
        id = serializers.IntegerField()
        time = serializers.DateTimeField()
        author = serializers.CharField()
        action = serializers.CharField()
        target = serializers.CharField()
        detail = serializers.JSONField()

    @extend_schema(parameters=[FilterSerializer], responses=AuditOutputSerializer(many=True))
    def get(self, request):
        f = query(self.FilterSerializer, request)
        entries = audit_list(action_prefix=f["action"], limit=f["limit"])
        return Response(self.AuditOutputSerializer(entries, many=True).data)
