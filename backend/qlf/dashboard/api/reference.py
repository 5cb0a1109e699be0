"""Reference data: ql_mapping, threshold specs and the configuration in force."""

from __future__ import annotations

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from qlf.dashboard.api.common import NightField, query
from qlf.dashboard.selectors.config import config_get
from qlf.dashboard.selectors.mapping import mapping_get, mapping_list
from qlf.dashboard.selectors.specs import spec_current, spec_list


class MappingListApi(APIView):
    @extend_schema(responses=OpenApiTypes.OBJECT, operation_id="ql_mapping_list")
    def get(self, request):
        return Response(mapping_list())


class MappingDetailApi(APIView):
    @extend_schema(responses=OpenApiTypes.OBJECT)
    def get(self, request, flavor: str):
        return Response(mapping_get(flavor=flavor))


class SpecListApi(APIView):
    @extend_schema(responses=list[dict])  # the versions, newest first
    def get(self, request):
        return Response(spec_list())


class SpecCurrentApi(APIView):
    class FilterSerializer(serializers.Serializer):
        night = NightField(required=False)

    @extend_schema(parameters=[FilterSerializer], responses=OpenApiTypes.OBJECT)
    def get(self, request):
        f = query(self.FilterSerializer, request)
        return Response(spec_current(night=f.get("night")))


class ConfigApi(APIView):
    @extend_schema(responses=OpenApiTypes.OBJECT)
    def get(self, request):
        return Response(config_get())
