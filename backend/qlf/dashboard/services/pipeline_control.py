"""The pipeline daemon's control interface, as the web layer sees it.

The daemon (a Pyro4 server, DESIGN.md 2) is reached at ``QLF_PIPELINE_URL``. Until it is
configured and answering, every call raises an ApplicationError answered as 503.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings

from qlf.dashboard.errors import ApplicationError

__all__ = ["ACTIONS", "pipeline_action", "pipeline_reprocess", "pipeline_status"]

ACTIONS = ("start", "stop", "reset")
_UNREACHABLE = "pipeline daemon not reachable"


def pipeline_status() -> dict[str, Any]:
    return dict(_call("status"))


def pipeline_action(*, action: str) -> dict[str, Any]:
    if action not in ACTIONS:
        raise ApplicationError(f"unknown action {action!r}", extra={"field": "action"})
    # The operator's POST is the confirmation the daemon's reset asks for.
    return dict(_call(action, *((True,) if action == "reset" else ())) or {})


def pipeline_reprocess(*, expid: int) -> dict[str, Any]:
    return dict(_call("reprocess", expid) or {})


def _call(method: str, *args):
    daemon = _daemon()
    try:
        return getattr(daemon, method)(*args)
    except Exception as exc:  # any transport failure of the remote call means unreachable
        raise ApplicationError(
            _UNREACHABLE, extra={"reason": str(exc) or type(exc).__name__}, status_code=503
        ) from exc


def _daemon():
    url = settings.QLF.get("PIPELINE_URL")
    if not url:
        raise ApplicationError(
            _UNREACHABLE, extra={"reason": "QLF_PIPELINE_URL is not set"}, status_code=503
        )
    from qlf.pipeline.client import pipeline_proxy  # Pyro4 with the daemon's HMAC key

    return pipeline_proxy(url, timeout=5)
