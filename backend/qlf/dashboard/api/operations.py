"""Operations: drift flags of a night, the pipeline's backlog, two processes side by side."""

from __future__ import annotations

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from qlf.dashboard.api.common import ID_MAX, NightField, query
from qlf.dashboard.api.qa import CAMERA, KEY
from qlf.dashboard.selectors.compare import process_compare
from qlf.dashboard.selectors.drift import DriftConfig, drift_list
from qlf.dashboard.selectors.latency import backlog_get
from qlf.dashboard.selectors.mapping import FLAVORS

_DEFAULT = DriftConfig()


class DriftApi(APIView):
    class FilterSerializer(serializers.Serializer):
        night = NightField(help_text="the night judged, YYYYMMDD")
        metric = serializers.RegexField(KEY, required=False, help_text="metric key")
        camera = serializers.RegexField(CAMERA, required=False)
        flavor = serializers.ChoiceField(FLAVORS, required=False, help_text="default: all")
        window = serializers.IntegerField(default=_DEFAULT.window, min_value=3, max_value=60)
        k_step = serializers.FloatField(default=_DEFAULT.k_step, min_value=1, max_value=100)
        z_drift = serializers.FloatField(default=_DEFAULT.z_drift, min_value=1, max_value=10)

    @extend_schema(parameters=[FilterSerializer], responses=OpenApiTypes.OBJECT)
    def get(self, request):
        f = query(self.FilterSerializer, request)
        config = DriftConfig(
            window=f["window"],
            min_nights=min(_DEFAULT.min_nights, f["window"]),
            k_step=f["k_step"],
            z_drift=f["z_drift"],
        )
        return Response(
            drift_list(
                night=f["night"],
                key=f.get("metric"),
                camera=f.get("camera"),
                flavor=f.get("flavor") or "",
                config=config,
            )
        )


class BacklogApi(APIView):
    @extend_schema(responses=OpenApiTypes.OBJECT)
    def get(self, request):
        return Response(backlog_get())


class CompareApi(APIView):
    class FilterSerializer(serializers.Serializer):
        a = serializers.IntegerField(min_value=1, max_value=ID_MAX, help_text="process id")
        b = serializers.IntegerField(
            min_value=1, max_value=ID_MAX, help_text="process id of the same exposure"
        )

    @extend_schema(parameters=[FilterSerializer], responses=OpenApiTypes.OBJECT)
    def get(self, request):
        f = query(self.FilterSerializer, request)
        return Response(process_compare(a=f["a"], b=f["b"]))
