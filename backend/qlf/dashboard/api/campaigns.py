"""Campaigns (docs/operations.md): viewers read progress and grade changes, operators start,
pause, resume, cancel and promote (through the pipeline daemon, like the pipeline's control)."""

from __future__ import annotations

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from qlf.dashboard.api.common import NightField, NightRangeMixin, query
from qlf.dashboard.permissions import IsOperator, IsViewerReadOperatorWrite
from qlf.dashboard.selectors.campaigns import (
    campaign_diff,
    campaign_exposure_compare,
    campaign_list,
    campaign_progress,
)
from qlf.dashboard.selectors.mapping import FLAVORS
from qlf.dashboard.services.pipeline_control import (
    pipeline_campaign_act,
    pipeline_campaign_start,
)

PROGRAMS = ("DARK", "GRAY", "BRIGHT")


class CampaignListApi(APIView):
    """GET: the newest campaigns with their progress. POST: start one over the exposures of a
    night or a night range, optionally of some flavors, programs or a tile."""

    permission_classes = [IsViewerReadOperatorWrite]

    class StartInputSerializer(NightRangeMixin):
        name = serializers.CharField(required=False, allow_blank=True, max_length=100, default="")
        night = NightField(required=False)
        flavor = serializers.ListField(
            child=serializers.ChoiceField(FLAVORS), required=False, max_length=len(FLAVORS)
        )
        program = serializers.ListField(
            child=serializers.ChoiceField(PROGRAMS), required=False, max_length=len(PROGRAMS)
        )
        tile = serializers.IntegerField(required=False, min_value=0)
        spec_version = serializers.CharField(
            required=False, allow_blank=True, max_length=32, default="",
            help_text="threshold version (default: the one in force on each night)",
        )  # fmt: skip

        def validate(self, attrs):
            attrs = super().validate(attrs)
            if all(attrs.get(k) is None for k in ("night", "night_from", "night_to")):
                raise serializers.ValidationError({"night": "give a night or a night range"})
            return attrs

    @extend_schema(responses=OpenApiTypes.OBJECT, operation_id="campaign_list")
    def get(self, request):
        return Response({"results": campaign_list()})

    @extend_schema(request=StartInputSerializer, responses=OpenApiTypes.OBJECT)
    def post(self, request):
        data = self.StartInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        name, spec_version = values.pop("name"), values.pop("spec_version")
        filters = {k: v for k, v in values.items() if v not in (None, [])}
        answer = pipeline_campaign_start(
            filters=filters, spec_version=spec_version, name=name, author=request.user.username
        )
        return Response(answer, status=status.HTTP_201_CREATED)


class CampaignDetailApi(APIView):
    @extend_schema(responses=OpenApiTypes.OBJECT)
    def get(self, request, campaign_id: int):
        return Response(campaign_progress(campaign_id=campaign_id))


class CampaignActionApi(APIView):
    """POST /api/campaigns/{id}/{pause|resume|cancel|promote}/ (the action is in the URL)."""

    permission_classes = [IsOperator]
    action: str = ""

    @extend_schema(request=None, responses=OpenApiTypes.OBJECT)
    def post(self, request, campaign_id: int):
        return Response(
            pipeline_campaign_act(
                campaign_id=campaign_id, action=self.action, author=request.user.username
            )
        )


class CampaignDiffApi(APIView):
    """The exposures and cameras whose grade the campaign changes; with ``expid``, that
    exposure's element by element comparison (current process a, campaign's b)."""

    class FilterSerializer(serializers.Serializer):
        expid = serializers.IntegerField(required=False, min_value=0)

    @extend_schema(parameters=[FilterSerializer], responses=OpenApiTypes.OBJECT)
    def get(self, request, campaign_id: int):
        f = query(self.FilterSerializer, request)
        if "expid" in f:
            return Response(campaign_exposure_compare(campaign_id=campaign_id, expid=f["expid"]))
        return Response(campaign_diff(campaign_id=campaign_id))
