"""Nights: the list of observed nights, one night's summary and its HTML report."""

from __future__ import annotations

from django.http import HttpResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from qlf.dashboard.api.common import HistoryPagination, NightField, NightRangeMixin, query
from qlf.dashboard.selectors.night_summary import night_list, night_summary_get
from qlf.dashboard.services.night_summary import night_report_render


class NightOutput(serializers.Serializer):
    night = serializers.IntegerField()
    exposures = serializers.IntegerField()
    science = serializers.IntegerField()
    warning = serializers.IntegerField()
    alarm = serializers.IntegerField()


class NightListApi(APIView):
    pagination_class = HistoryPagination  # pages in the schema too

    class FilterSerializer(NightRangeMixin):
        page = serializers.IntegerField(required=False, min_value=1)
        page_size = serializers.IntegerField(required=False, min_value=1, max_value=500)

    @extend_schema(parameters=[FilterSerializer], responses=NightOutput(many=True))
    def get(self, request):
        f = query(self.FilterSerializer, request)
        nights = night_list(night_from=f.get("night_from"), night_to=f.get("night_to"))
        paginator = HistoryPagination()
        page = paginator.paginate_queryset(nights, request, view=self)
        return paginator.get_paginated_response(NightOutput(page, many=True).data)


class NightSummaryApi(APIView):
    @extend_schema(responses=OpenApiTypes.OBJECT)
    def get(self, request, night: str):
        return Response(night_summary_get(night=_night(night)))


class NightReportApi(APIView):
    """The night summary as a self-contained HTML file, sent as a download."""

    @extend_schema(responses={(200, "text/html"): OpenApiTypes.STR})
    def get(self, request, night: str):
        number = _night(night)
        response = HttpResponse(night_report_render(night=number), content_type="text/html")
        response["Content-Disposition"] = f'attachment; filename="qlf-night-{number}.html"'
        return response


def _night(text: str) -> int:
    field = NightField()
    try:
        return field.to_internal_value(text)
    except serializers.ValidationError as exc:
        raise serializers.ValidationError({"night": exc.detail}) from None
