"""Who may call what: the minimum role of every route, per HTTP method.

Format — one row per URL *name* (the ``name=`` of its ``path()``; routes of
``qlf/dashboard/api/urls.py`` are not namespaced, so the name alone is the key)::

    "process-comments": {"GET": "viewer", "POST": "operator"},

The value maps each HTTP method the route answers (upper case) to the lowest role allowed to
call it, one of :data:`ROLES`, in increasing order of power (DESIGN.md 10):

- ``"anonymous"`` — anyone, signed in or not (sign in, schema, API docs);
- ``"viewer"`` — read: every GET of the dashboard;
- ``"operator"`` — act: pipeline control, comments, reprocess;
- ``"admin"`` — manage: users, thresholds (staff users; superusers have every role).

``tests/security/test_endpoint_access.py`` enumerates the URL configuration and fails for any
``/api/`` route without a row here, then calls every row as each role: a role below the minimum
must get 401 (anonymous) or 403, a role at or above it must get neither, nor a 5xx. Methods not
listed for a route are not called. When you add an endpoint, add its row here; if its path has a
parameter the test does not know yet, add an example value to :data:`PATH_EXAMPLES`.
"""

from __future__ import annotations

__all__ = ["ACCESS", "PATH_EXAMPLES", "ROLES", "WEBSOCKET"]

ROLES = ("anonymous", "viewer", "operator", "admin")

ACCESS: dict[str, dict[str, str]] = {
    # sign in and out, who am I, API token
    "auth-login": {"POST": "anonymous"},
    "auth-logout": {"POST": "anonymous"},
    "auth-me": {"GET": "anonymous"},
    "auth-token": {"POST": "anonymous"},
    "auth-token-list": {"GET": "viewer"},  # one's own tokens; an admin's: everyone's
    "auth-token-detail": {"DELETE": "viewer"},  # revoke one's own; an admin: anyone's
    # schema and local API docs
    "schema": {"GET": "anonymous"},
    "api-docs": {"GET": "anonymous"},
    "api-redoc": {"GET": "anonymous"},
    # history and QA
    "exposure-list": {"GET": "viewer"},
    "process-list": {"GET": "viewer"},
    "process-recent": {"GET": "viewer"},
    "process-detail": {"GET": "viewer"},
    "process-qa": {"GET": "viewer"},
    "process-comments": {"GET": "viewer", "POST": "operator"},
    "job-log": {"GET": "viewer"},
    "trends": {"GET": "viewer"},
    "conditions": {"GET": "viewer"},
    "survey": {"GET": "viewer"},
    "survey-tiles": {"GET": "viewer"},
    "exposure-efftime": {"GET": "viewer"},
    # reference data and configuration
    "mapping-list": {"GET": "viewer"},
    "mapping-detail": {"GET": "viewer"},
    "spec-list": {"GET": "viewer"},
    "spec-current": {"GET": "viewer"},
    "config": {"GET": "viewer"},
    # plots
    "plot-resources": {"GET": "viewer"},
    "plot-ccd": {"GET": "viewer"},
    "plot-spectra": {"GET": "viewer"},
    "plot-metric": {"GET": "viewer"},
    # pipeline control
    "pipeline-status": {"GET": "viewer"},
    "pipeline-start": {"POST": "operator"},
    "pipeline-stop": {"POST": "operator"},
    "pipeline-reset": {"POST": "operator"},
    "pipeline-reprocess": {"POST": "operator"},
    # operations: drift, backlog, night summaries and reports, comparison (all read)
    "drift": {"GET": "viewer"},
    "pipeline-backlog": {"GET": "viewer"},
    "night-list": {"GET": "viewer"},
    "night-summary": {"GET": "viewer"},
    "night-report": {"GET": "viewer"},
    "process-compare": {"GET": "viewer"},
    # campaigns: viewers read progress and grade changes, operators start and control them
    "campaign-list": {"GET": "viewer", "POST": "operator"},
    "campaign-detail": {"GET": "viewer"},
    "campaign-diff": {"GET": "viewer"},
    "campaign-pause": {"POST": "operator"},
    "campaign-resume": {"POST": "operator"},
    "campaign-cancel": {"POST": "operator"},
    "campaign-promote": {"POST": "operator"},
    # alarms & masks: viewers read, operators acknowledge and mask
    "alarm-list": {"GET": "viewer"},
    "alarm-open": {"GET": "viewer"},
    "alarm-ack": {"POST": "operator"},
    "mask-list": {"GET": "viewer", "POST": "operator"},
    "mask-detail": {"GET": "viewer", "PATCH": "operator"},
    "mask-end": {"POST": "operator"},
    "audit-list": {"GET": "viewer"},
    # thresholds: viewers read and preview a re-grade, admins make versions and re-grade
    "threshold-list": {"GET": "viewer", "POST": "admin"},
    "threshold-detail": {"GET": "viewer"},
    "threshold-regrade": {"GET": "viewer", "POST": "admin"},
    # alarm runbooks: viewers read, admins edit (a new version each time)
    "runbook-list": {"GET": "viewer", "POST": "admin"},
    "runbook-detail": {"GET": "viewer"},
}

# Example values of path parameters, by parameter name ("<int:process_id>" → "process_id").
# "{process}" and "{job}" are replaced by the ids of a process and a job the test creates.
PATH_EXAMPLES: dict[str, str] = {
    "process_id": "{process}",
    "job_id": "{job}",
    "flavor": "science",
    "metric": "NOISE_AMP",
    "night": "20261122",
    "seq": "1",
    "mask_id": "1",
    "token_id": "1",
    "version": "2026-01-01",
    "key": "NOISE_AMP",
    "campaign_id": "1",
    "expid": "1",
}

# The live feed /ws/monitor/ (docs/live.md): connecting, then each message a client may send.
# tests/security/test_websocket_access.py checks each as every role.
WEBSOCKET: dict[str, str] = {
    "connect": "viewer",
    "subscribe-log": "viewer",
    "ping": "viewer",
    "action-start": "operator",
    "action-stop": "operator",
    "action-reset": "operator",
}
