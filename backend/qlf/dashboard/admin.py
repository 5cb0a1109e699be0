"""The Django admin for every model of the dashboard."""

from django.contrib import admin

from qlf.dashboard import models


@admin.register(models.Exposure)
class ExposureAdmin(admin.ModelAdmin):
    list_display = ["expid", "night", "flavor", "program", "tile", "exptime", "qa_status"]
    list_filter = ["flavor", "program", "qa_status"]
    search_fields = ["=expid", "=night", "=tile"]


@admin.register(models.Fibermap)
class FibermapAdmin(admin.ModelAdmin):
    list_display = ["exposure", "tile", "nfiber"]
    raw_id_fields = ["exposure"]


class JobInline(admin.TabularInline):
    model = models.Job
    fields = ["camera", "status", "qa_status", "started", "ended", "current_step", "error"]
    readonly_fields = fields
    extra = 0
    show_change_link = True


@admin.register(models.Process)
class ProcessAdmin(admin.ModelAdmin):
    list_display = ["id", "exposure", "night", "flavor", "status", "qa_status", "started"]
    list_filter = ["status", "qa_status", "flavor"]
    search_fields = ["=exposure__expid", "=night"]
    raw_id_fields = ["exposure"]
    inlines = [JobInline]


class StepRunInline(admin.TabularInline):
    model = models.StepRun
    extra = 0


@admin.register(models.Job)
class JobAdmin(admin.ModelAdmin):
    list_display = ["id", "process", "camera", "status", "qa_status", "current_step"]
    list_filter = ["status", "qa_status", "camera"]
    search_fields = ["=process__exposure__expid", "=camera"]
    raw_id_fields = ["process"]
    inlines = [StepRunInline]


@admin.register(models.StepRun)
class StepRunAdmin(admin.ModelAdmin):
    list_display = ["id", "job", "name", "state", "qa_status", "duration_s"]
    list_filter = ["name", "state", "qa_status"]
    raw_id_fields = ["job"]


@admin.register(models.Metric)
class MetricAdmin(admin.ModelAdmin):
    list_display = ["expid", "camera", "step", "key", "index", "value", "status"]
    list_filter = ["key", "status", "flavor"]
    search_fields = ["=expid", "=key", "=camera"]
    raw_id_fields = ["job"]


@admin.register(models.MetricNight)
class MetricNightAdmin(admin.ModelAdmin):
    list_display = ["night", "camera", "flavor", "key", "index", "count", "total", "n_alarm"]
    list_filter = ["key", "flavor"]
    search_fields = ["=night", "=key", "=camera"]


@admin.register(models.ProcessComment)
class ProcessCommentAdmin(admin.ModelAdmin):
    list_display = ["id", "process", "author", "created"]
    raw_id_fields = ["process"]


@admin.register(models.Event)
class EventAdmin(admin.ModelAdmin):
    list_display = ["seq", "type", "time"]
    list_filter = ["type"]
