"""A camera job's log: the last lines, or what follows an offset (for polling)."""

from __future__ import annotations

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from qlf.dashboard.api.common import query
from qlf.dashboard.selectors.logs import job_log


class JobLogApi(APIView):
    class FilterSerializer(serializers.Serializer):
        tail = serializers.IntegerField(required=False, min_value=1, max_value=10000)
        offset = serializers.IntegerField(required=False, min_value=0)

        def validate(self, attrs):
            if "tail" in attrs and "offset" in attrs:
                raise serializers.ValidationError({"offset": "give tail or offset, not both"})
            return attrs

    @extend_schema(parameters=[FilterSerializer], responses=OpenApiTypes.OBJECT)
    def get(self, request, job_id: int):
        f = query(self.FilterSerializer, request)
        return Response(job_log(job_id=job_id, tail=f.get("tail"), offset=f.get("offset")))
