"""Observing history, processing history, the 10 most recent processes and process detail."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from qlf.dashboard.api.common import CsvField, HistoryPagination, NightRangeMixin, query
from qlf.dashboard.models import Exposure, Job, Process, ProcessStatus, QaStatus, StepRun
from qlf.dashboard.selectors.history import (
    EXPOSURE_ORDERING,
    PROCESS_ORDERING,
    exposure_list,
    process_get,
    process_list,
    process_recent,
)
from qlf.dashboard.selectors.latency import latency_seconds, processes_with_latency
from qlf.dashboard.selectors.mapping import FLAVORS


def _ordering_choices(names):
    return [*names, *(f"-{n}" for n in names)]


class _Filter(NightRangeMixin):
    flavor = CsvField(choices=FLAVORS, required=False)
    program = CsvField(pattern=r"[A-Za-z0-9_]{1,16}", required=False)
    qa_status = CsvField(choices=QaStatus.values, required=False)
    night = serializers.IntegerField(required=False, min_value=19000101, max_value=30000101)
    tile = serializers.IntegerField(required=False)
    page = serializers.IntegerField(required=False, min_value=1)
    page_size = serializers.IntegerField(required=False, min_value=1, max_value=500)


class ExposureOutput(serializers.ModelSerializer):
    class Meta:
        model = Exposure
        exclude = ["discovered_at"]


class ExposureListApi(APIView):
    pagination_class = HistoryPagination  # pages in the schema too

    class FilterSerializer(_Filter):
        ordering = serializers.ChoiceField(_ordering_choices(EXPOSURE_ORDERING), default="-expid")

    @extend_schema(parameters=[FilterSerializer], responses=ExposureOutput(many=True))
    def get(self, request):
        filters = query(self.FilterSerializer, request)
        exposures = exposure_list(filters=filters, ordering=filters["ordering"])
        paginator = HistoryPagination()
        page = paginator.paginate_queryset(exposures, request, view=self)
        return paginator.get_paginated_response(ExposureOutput(page, many=True).data)


class ProcessOutput(serializers.ModelSerializer):
    expid = serializers.IntegerField(source="exposure_id")
    # The observation of the processed exposure (orderings of PROCESS_ORDERING).
    dateobs = serializers.DateTimeField(source="exposure.dateobs", allow_null=True)
    exptime = serializers.FloatField(source="exposure.exptime", allow_null=True)
    ra = serializers.FloatField(source="exposure.ra", allow_null=True)
    dec = serializers.FloatField(source="exposure.dec", allow_null=True)

    class Meta:
        model = Process
        fields = [
            "id", "expid", "night", "flavor", "program", "tile", "status", "qa_status",
            "qa_summary", "started", "ended", "duration_s", "pipeline_version", "spec_version",
            "dateobs", "exptime", "ra", "dec",
        ]  # fmt: skip


class ProcessLatencyOutput(ProcessOutput):
    """A process with its readout-to-QA time and budget (``selectors/latency.py``)."""

    readout_to_qa_s = serializers.SerializerMethodField()
    budget_s = serializers.SerializerMethodField()

    class Meta(ProcessOutput.Meta):
        fields = [*ProcessOutput.Meta.fields, "readout_to_qa_s", "budget_s"]

    def get_readout_to_qa_s(self, process) -> float | None:
        return latency_seconds(process)["readout_to_qa_s"]

    def get_budget_s(self, process) -> float:
        return latency_seconds(process)["budget_s"]


class ProcessListApi(APIView):
    pagination_class = HistoryPagination  # pages in the schema too

    class FilterSerializer(_Filter):
        status = CsvField(choices=ProcessStatus.values, required=False)
        expid = serializers.IntegerField(required=False)
        started_from = serializers.DateTimeField(
            required=False, help_text="ISO 8601 time, e.g. 2026-11-22T00:00Z"
        )
        started_to = serializers.DateTimeField(
            required=False, help_text="ISO 8601 time, e.g. 2026-11-22T00:00Z"
        )
        ordering = serializers.ChoiceField(_ordering_choices(PROCESS_ORDERING), default="-id")

    @extend_schema(parameters=[FilterSerializer], responses=ProcessLatencyOutput(many=True))
    def get(self, request):
        filters = query(self.FilterSerializer, request)
        processes = process_list(filters=filters, ordering=filters["ordering"])
        paginator = HistoryPagination()
        page = processes_with_latency(paginator.paginate_queryset(processes, request, view=self))
        return paginator.get_paginated_response(ProcessLatencyOutput(page, many=True).data)


class ProcessRecentApi(APIView):
    @extend_schema(responses=ProcessOutput(many=True))
    def get(self, request):
        return Response(ProcessOutput(process_recent(limit=10), many=True).data)


class StepRunOutput(serializers.ModelSerializer):
    class Meta:
        model = StepRun
        fields = ["name", "state", "qa_status", "started", "ended", "duration_s", "error"]


class JobOutput(serializers.ModelSerializer):
    steps = StepRunOutput(many=True)
    #: metric key → why it is UNKNOWN (or an identity ALARM); {} when none
    reasons = serializers.JSONField(source="qa_reasons", read_only=True)

    class Meta:
        model = Job
        fields = [
            "id", "camera", "status", "qa_status", "reasons", "started", "ended", "duration_s",
            "current_step", "error", "failed_step", "steps",
        ]  # fmt: skip


class ProcessDetailOutput(ProcessLatencyOutput):
    exposure = ExposureOutput()
    jobs = JobOutput(many=True)

    class Meta(ProcessLatencyOutput.Meta):
        fields = [*ProcessLatencyOutput.Meta.fields, "exposure", "jobs"]


class ProcessDetailApi(APIView):
    @extend_schema(responses=ProcessDetailOutput)
    def get(self, request, process_id: int):
        return Response(ProcessDetailOutput(process_get(process_id=process_id)).data)
