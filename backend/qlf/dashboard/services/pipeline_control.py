"""The pipeline daemon's control interface, as the web layer sees it.

Calls go to a daemon attached in this process (embedded mode: :func:`pipeline_attach`), else
to the Pyro4 daemon at ``QLF_PIPELINE_URL`` (through :func:`.pipeline_client.pipeline_proxy`,
which adds the HMAC key). With neither, or when the daemon does not answer, every call raises an
ApplicationError answered as 503 "pipeline daemon not reachable".
"""

from __future__ import annotations

from typing import Any

from django.conf import settings

from qlf.dashboard.errors import ApplicationError

__all__ = [
    "ACTIONS",
    "pipeline_action",
    "pipeline_attach",
    "pipeline_campaign_act",
    "pipeline_campaign_start",
    "pipeline_publish",
    "pipeline_reprocess",
    "pipeline_status",
]

ACTIONS = ("start", "stop", "reset")
_UNREACHABLE = "pipeline daemon not reachable"
_attached: Any = None


def pipeline_attach(daemon: Any) -> None:
    """Route control calls to ``daemon`` (an object with start/stop/reset/status/reprocess)
    running in this process; ``None`` detaches it."""
    global _attached
    _attached = daemon


def pipeline_status() -> dict[str, Any]:
    return _call("status")


def pipeline_action(*, action: str, confirm: bool = False) -> dict[str, Any]:
    """start, stop or reset (reset only acts with ``confirm``: the operator confirmed)."""
    if action not in ACTIONS:
        raise ApplicationError(f"unknown action {action!r}", extra={"field": "action"})
    return _call(action, confirm) if action == "reset" else _call(action)


def pipeline_reprocess(*, expid: int, spec_version: str | None = None) -> dict[str, Any]:
    """Queue a new process of ``expid``; ``spec_version`` picks the thresholds that grade it."""
    return _call("reprocess", expid, spec_version) if spec_version else _call("reprocess", expid)


def pipeline_campaign_start(
    *, filters: dict[str, Any], spec_version: str = "", name: str = "", author: str = ""
) -> dict[str, Any]:
    """Have the daemon start a campaign (docs/operations.md, Campaigns)."""
    return _raise_error(_call("campaign_start", filters, spec_version, name, author))


def pipeline_campaign_act(*, campaign_id: int, action: str, author: str = "") -> dict[str, Any]:
    """pause, resume, cancel or promote a campaign, through the daemon."""
    return _raise_error(_call("campaign_act", campaign_id, action, author))


def pipeline_publish(*, type: str, payload: dict[str, Any]) -> dict[str, Any]:
    """Have the daemon journal and send a live event of the web server (one journal writer)."""
    return _call("publish", type, payload)


def _call(method: str, *args) -> dict[str, Any]:
    daemon = _daemon()
    try:
        result = getattr(daemon, method)(*args)
    except ApplicationError:
        raise
    except Exception as exc:  # any transport failure of the remote call means unreachable
        raise ApplicationError(
            _UNREACHABLE, extra={"reason": str(exc) or type(exc).__name__}, status_code=503
        ) from exc
    return result if isinstance(result, dict) else {"result": result}


def _raise_error(answer: dict[str, Any]) -> dict[str, Any]:
    """A remote daemon answers a client error as ``{"error": {...}}``: raise it here."""
    error = answer.get("error")
    if isinstance(error, dict) and "detail" in error:
        status = error.get("status_code", 400)
        raise ApplicationError(error["detail"], extra=error.get("extra") or {}, status_code=status)
    return answer


def _daemon():
    if _attached is not None:
        return _attached
    url = settings.QLF.get("PIPELINE_URL")
    if not url:
        raise ApplicationError(
            _UNREACHABLE, extra={"reason": "QLF_PIPELINE_URL is not set"}, status_code=503
        )
    from qlf.dashboard.services.pipeline_client import (
        pipeline_proxy,  # Pyro4 only when a daemon is configured
    )

    return pipeline_proxy(url)
