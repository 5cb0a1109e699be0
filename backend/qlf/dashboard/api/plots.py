"""Bokeh drill-down plots of a process and camera, as ``json_item`` documents."""

from __future__ import annotations

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from qlf.dashboard.api.common import ID_MAX, query
from qlf.dashboard.selectors.plots import plot_ccd, plot_metric, plot_resources, plot_spectrum

CAMERA = r"^[brz]\d\Z"


class _CameraFilter(serializers.Serializer):
    process = serializers.IntegerField(min_value=1, max_value=ID_MAX, help_text="process id")
    camera = serializers.RegexField(CAMERA, help_text="e.g. r3")


class PlotMetricApi(APIView):
    @extend_schema(parameters=[_CameraFilter], responses=OpenApiTypes.OBJECT)
    def get(self, request, metric: str):
        f = query(_CameraFilter, request)
        return Response(plot_metric(metric=metric, process_id=f["process"], camera=f["camera"]))


class PlotCcdApi(APIView):
    @extend_schema(parameters=[_CameraFilter], responses=OpenApiTypes.OBJECT)
    def get(self, request):
        f = query(_CameraFilter, request)
        return Response(plot_ccd(process_id=f["process"], camera=f["camera"]))


class PlotSpectrumApi(APIView):
    class FilterSerializer(_CameraFilter):
        fiber = serializers.IntegerField(min_value=0, max_value=4999, help_text="0-based")

    @extend_schema(parameters=[FilterSerializer], responses=OpenApiTypes.OBJECT)
    def get(self, request):
        f = query(self.FilterSerializer, request)
        return Response(
            plot_spectrum(process_id=f["process"], camera=f["camera"], fiber=f["fiber"])
        )


class PlotResourcesApi(APIView):
    @extend_schema(responses=OpenApiTypes.OBJECT)
    def get(self, request):
        return Response(plot_resources())
