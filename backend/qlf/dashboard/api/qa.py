"""QA of a process, metric trends, observing conditions and the survey footprint."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from qlf.dashboard.api.common import CsvField, NightRangeMixin, query
from qlf.dashboard.errors import ApplicationError
from qlf.dashboard.selectors.efftime import exposure_efftime, tile_efftime
from qlf.dashboard.selectors.mapping import FLAVORS
from qlf.dashboard.selectors.observing import conditions_get, survey_counts, survey_tiles
from qlf.dashboard.selectors.qa import qa_of_process
from qlf.dashboard.selectors.trends import trend_get

CAMERA = r"^[brz]\d\Z"
KEY = r"^[A-Za-z0-9_]{1,32}\Z"
PROGRAM = r"^[A-Za-z0-9_]{1,16}\Z"


def _default_range(attrs: dict, days: int) -> dict:
    """Fill a missing end with today and a missing start with ``days`` before the end."""
    if attrs.get("night_to") is None:
        attrs["night_to"] = int(datetime.now(UTC).strftime("%Y%m%d"))
    if attrs.get("night_from") is None:
        end = datetime.strptime(str(attrs["night_to"]), "%Y%m%d")
        attrs["night_from"] = int((end - timedelta(days=days - 1)).strftime("%Y%m%d"))
    return attrs


class ProcessQaApi(APIView):
    class FilterSerializer(serializers.Serializer):
        camera = serializers.RegexField(CAMERA, required=False)
        step = serializers.RegexField(KEY, required=False)

    @extend_schema(parameters=[FilterSerializer], responses=OpenApiTypes.OBJECT)
    def get(self, request, process_id: int):
        filters = query(self.FilterSerializer, request)
        cameras = qa_of_process(
            process_id=process_id, camera=filters.get("camera"), step=filters.get("step")
        )
        return Response({"process_id": process_id, "cameras": cameras})


class TrendApi(APIView):
    class FilterSerializer(NightRangeMixin):
        key = serializers.RegexField(KEY, help_text="metric key, e.g. BIAS_AMP")
        cameras = CsvField(pattern=CAMERA, required=False)
        amps = CsvField(pattern=r"[A-Za-z0-9_]{1,16}", required=False, help_text="or indexes")
        flavor = serializers.ChoiceField(FLAVORS, required=False)
        resolution = serializers.ChoiceField(["auto", "exposure", "night"], default="auto")

        def validate(self, attrs):
            return _default_range(super().validate(attrs), 31)

    @extend_schema(parameters=[FilterSerializer], responses=OpenApiTypes.OBJECT)
    def get(self, request):
        f = query(self.FilterSerializer, request)
        trend = trend_get(
            key=f["key"],
            night_from=f["night_from"],
            night_to=f["night_to"],
            cameras=f.get("cameras"),
            indexes=f.get("amps"),
            flavor=f.get("flavor"),
            resolution=f["resolution"],
        )
        return Response({**trend, "night_from": f["night_from"], "night_to": f["night_to"]})


class ConditionsApi(APIView):
    class FilterSerializer(NightRangeMixin):
        flavor = serializers.ChoiceField(FLAVORS, required=False)
        program = serializers.RegexField(PROGRAM, required=False)
        camera = serializers.RegexField(
            CAMERA, required=False, help_text="only its exposures, with its sky (sky_camera)"
        )

        def validate(self, attrs):
            return _default_range(super().validate(attrs), 31)

    @extend_schema(parameters=[FilterSerializer], responses=OpenApiTypes.OBJECT)
    def get(self, request):
        f = query(self.FilterSerializer, request)
        columns = conditions_get(
            night_from=f["night_from"],
            night_to=f["night_to"],
            flavor=f.get("flavor"),
            program=f.get("program"),
            camera=f.get("camera"),
        )
        return Response({"night_from": f["night_from"], "night_to": f["night_to"], **columns})


class SurveyApi(APIView):
    class FilterSerializer(NightRangeMixin):
        program = serializers.RegexField(PROGRAM, required=False)

    @extend_schema(parameters=[FilterSerializer], responses=OpenApiTypes.OBJECT)
    def get(self, request):
        f = query(self.FilterSerializer, request)
        scope = {name: f.get(name) for name in ("night_from", "night_to", "program")}
        return Response({**survey_tiles(**scope), "counts": survey_counts(**scope)})


class SurveyTilesApi(APIView):
    """Per tile: its science exposures' summed effective time against its program's goal."""

    class FilterSerializer(NightRangeMixin):
        program = serializers.RegexField(PROGRAM, required=False)
        tile = serializers.IntegerField(required=False, min_value=0)

    @extend_schema(parameters=[FilterSerializer], responses=OpenApiTypes.OBJECT)
    def get(self, request):
        f = query(self.FilterSerializer, request)
        scope = {name: f.get(name) for name in ("night_from", "night_to", "program", "tile")}
        return Response(tile_efftime(**scope))


class ExposureEfftimeApi(APIView):
    """One exposure's effective time per camera, petal and overall, and its tile's progress."""

    @extend_schema(responses=OpenApiTypes.OBJECT)
    def get(self, request, expid: int):
        found = exposure_efftime(expid)
        if found is None:
            raise ApplicationError(f"no exposure {expid}", status_code=404)
        return Response(found)
