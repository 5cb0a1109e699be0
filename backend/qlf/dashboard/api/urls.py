"""Routes of the REST API, mounted under /api/."""

from django.urls import path

from qlf.dashboard.api import (
    alarms,
    auth,
    campaigns,
    comments,
    history,
    jobs,
    nights,
    operations,
    pipeline,
    plots,
    qa,
    reference,
    runbooks,
    thresholds,
)

urlpatterns = [
    path("auth/login/", auth.LoginApi.as_view(), name="auth-login"),
    path("auth/logout/", auth.LogoutApi.as_view(), name="auth-logout"),
    path("auth/me/", auth.MeApi.as_view(), name="auth-me"),
    path("auth/token/", auth.TokenApi.as_view(), name="auth-token"),
    path("auth/tokens/", auth.TokenListApi.as_view(), name="auth-token-list"),
    path("auth/tokens/<int:token_id>/", auth.TokenDetailApi.as_view(), name="auth-token-detail"),
    path("exposures/", history.ExposureListApi.as_view(), name="exposure-list"),
    path("processes/", history.ProcessListApi.as_view(), name="process-list"),
    path("processes/recent/", history.ProcessRecentApi.as_view(), name="process-recent"),
    path("processes/compare/", operations.CompareApi.as_view(), name="process-compare"),
    path("processes/<int:process_id>/", history.ProcessDetailApi.as_view(), name="process-detail"),
    path("processes/<int:process_id>/qa/", qa.ProcessQaApi.as_view(), name="process-qa"),
    path(
        "processes/<int:process_id>/comments/",
        comments.ProcessCommentsApi.as_view(),
        name="process-comments",
    ),
    path("jobs/<int:job_id>/log/", jobs.JobLogApi.as_view(), name="job-log"),
    path("trends/", qa.TrendApi.as_view(), name="trends"),
    path("conditions/", qa.ConditionsApi.as_view(), name="conditions"),
    path("survey/", qa.SurveyApi.as_view(), name="survey"),
    path("survey/tiles/", qa.SurveyTilesApi.as_view(), name="survey-tiles"),
    path(
        "exposures/<int:expid>/efftime/",
        qa.ExposureEfftimeApi.as_view(),
        name="exposure-efftime",
    ),
    path("ql-mapping/", reference.MappingListApi.as_view(), name="mapping-list"),
    path("ql-mapping/<str:flavor>/", reference.MappingDetailApi.as_view(), name="mapping-detail"),
    path("specs/", reference.SpecListApi.as_view(), name="spec-list"),
    path("specs/current/", reference.SpecCurrentApi.as_view(), name="spec-current"),
    path("config/", reference.ConfigApi.as_view(), name="config"),
    path("plots/resources/", plots.PlotResourcesApi.as_view(), name="plot-resources"),
    path("plots/ccd/", plots.PlotCcdApi.as_view(), name="plot-ccd"),
    path("plots/spectra/", plots.PlotSpectrumApi.as_view(), name="plot-spectra"),
    path("plots/<str:metric>/", plots.PlotMetricApi.as_view(), name="plot-metric"),
    path("pipeline/status/", pipeline.PipelineStatusApi.as_view(), name="pipeline-status"),
    path("pipeline/backlog/", operations.BacklogApi.as_view(), name="pipeline-backlog"),
    path("drift/", operations.DriftApi.as_view(), name="drift"),
    path("nights/", nights.NightListApi.as_view(), name="night-list"),
    path("nights/<str:night>/summary/", nights.NightSummaryApi.as_view(), name="night-summary"),
    path("nights/<str:night>/report.html", nights.NightReportApi.as_view(), name="night-report"),
    *(
        path(
            f"pipeline/{action}/",
            pipeline.PipelineActionApi.as_view(action=action),
            name=f"pipeline-{action}",
        )
        for action in ("start", "stop", "reset")
    ),
    path("pipeline/reprocess/", pipeline.PipelineReprocessApi.as_view(), name="pipeline-reprocess"),
    # campaigns (docs/operations.md)
    path("campaigns/", campaigns.CampaignListApi.as_view(), name="campaign-list"),
    path(
        "campaigns/<int:campaign_id>/",
        campaigns.CampaignDetailApi.as_view(),
        name="campaign-detail",
    ),
    path(
        "campaigns/<int:campaign_id>/diff/",
        campaigns.CampaignDiffApi.as_view(),
        name="campaign-diff",
    ),
    *(
        path(
            f"campaigns/<int:campaign_id>/{action}/",
            campaigns.CampaignActionApi.as_view(action=action),
            name=f"campaign-{action}",
        )
        for action in ("pause", "resume", "cancel", "promote")
    ),
    # alarms & masks (docs/operations.md)
    path("alarms/", alarms.AlarmListApi.as_view(), name="alarm-list"),
    path("alarms/open/", alarms.AlarmCountApi.as_view(), name="alarm-open"),
    path("alarms/<int:seq>/ack/", alarms.AlarmAckApi.as_view(), name="alarm-ack"),
    path("masks/", alarms.MaskListApi.as_view(), name="mask-list"),
    path("masks/<int:mask_id>/", alarms.MaskDetailApi.as_view(), name="mask-detail"),
    path("masks/<int:mask_id>/end/", alarms.MaskEndApi.as_view(), name="mask-end"),
    path("audit/", alarms.AuditListApi.as_view(), name="audit-list"),
    # thresholds as living data
    path("thresholds/", thresholds.ThresholdListApi.as_view(), name="threshold-list"),
    path(
        "thresholds/<str:version>/",
        thresholds.ThresholdDetailApi.as_view(),
        name="threshold-detail",
    ),
    path(
        "thresholds/<str:version>/regrade/",
        thresholds.RegradeApi.as_view(),
        name="threshold-regrade",
    ),
    # alarm runbooks (docs/operations.md)
    path("runbooks/", runbooks.RunbookListApi.as_view(), name="runbook-list"),
    path("runbooks/<str:key>/", runbooks.RunbookDetailApi.as_view(), name="runbook-detail"),
]
