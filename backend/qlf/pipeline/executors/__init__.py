"""Executors run camera jobs: a local process pool or Celery workers, with one message format.

The daemon talks to an executor through ``submit(job_id, spec)``, ``poll(timeout)`` (the
messages that arrived), ``cancel_pending()`` and ``shutdown()``. Campaign jobs (docs/operations.md)
are submitted with ``low_priority=True`` and only while ``spare()`` is positive: the local pool
takes none while a live job waits, else enough to fill its idle workers plus one waiting per
worker, and always dispatches waiting live jobs first; Celery sends them to their own queue
(``QLF_CELERY_CAMPAIGN_QUEUE``) and counts free campaign slots. Messages are dicts:

- ``{"kind": "started", "job": id, "pid": int, "host": str}`` when a worker takes the job,
- ``{"kind": "event", "job": id, "event": {...}}`` for each runner step or log event,
- ``{"kind": "result", "job": id, "result": {...}}`` when the job returns (see :mod:`.job`),
- ``{"kind": "failed", "job": id, "error": str}`` when it cannot return (worker died, timeout).
"""

from __future__ import annotations

from typing import Any, Protocol

__all__ = ["Executor", "make_executor"]


class Executor(Protocol):
    def start(self) -> None: ...

    def submit(self, job_id: str, spec: dict[str, Any], *, low_priority: bool = False) -> None: ...

    def spare(self) -> int: ...

    def poll(self, timeout: float) -> list[dict[str, Any]]: ...

    def cancel_pending(self, job_ids: set[str] | None = None) -> list[str]: ...

    def shutdown(self) -> None: ...


def make_executor(config, **options) -> Executor:
    """The executor named by ``config.executor`` (``local`` or ``celery``)."""
    if config.executor == "celery":
        from qlf.pipeline.executors.celery import CeleryExecutor

        return CeleryExecutor(config, **options)
    from qlf.pipeline.executors.local import LocalExecutor

    return LocalExecutor(workers=config.workers, job_timeout_s=config.job_timeout_s, **options)
