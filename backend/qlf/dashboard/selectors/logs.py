"""A camera job's log file: its last lines, or what follows a byte offset."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from qlf.dashboard.errors import ApplicationError
from qlf.dashboard.models import Job, JobStatus
from qlf.dashboard.selectors.files import contained

__all__ = ["MAX_CHUNK", "job_log"]

MAX_CHUNK = 1 << 20  # bytes per answer; a client pages on with next_offset


def job_log(*, job_id: int, tail: int | None = None, offset: int | None = None) -> dict[str, Any]:
    """``tail`` last lines (default 200), or the complete lines from byte ``offset`` on."""
    job = Job.objects.filter(pk=job_id).only("log_path", "camera", "status").first()
    if job is None:
        raise ApplicationError(f"job {job_id} does not exist", status_code=404)
    path = _safe(job.log_path)
    try:
        size = path.stat().st_size
        with path.open("rb") as handle:
            if offset is None:
                start, data = _tail(handle, size, tail or 200)
            else:
                start = min(offset, size)
                handle.seek(start)
                data = handle.read(MAX_CHUNK)
    except FileNotFoundError as exc:
        raise ApplicationError(f"no log yet for job {job_id}", status_code=404) from exc
    running = job.status in (JobStatus.QUEUED, JobStatus.RUNNING)
    if offset is not None and (running or start + len(data) < size):
        data = data[: data.rfind(b"\n") + 1]  # whole lines only; the rest comes next time
    text = data.decode("utf-8", errors="replace")
    return {
        "job_id": job_id,
        "camera": job.camera,
        "size": size,
        "offset": start,
        "next_offset": start + len(data),
        "lines": text.splitlines(),
    }


def _tail(handle, size: int, lines: int) -> tuple[int, bytes]:
    start = max(0, size - MAX_CHUNK)
    handle.seek(start)
    data = handle.read()
    cut = len(data)
    for _ in range(lines + (1 if data.endswith(b"\n") else 0)):
        cut = data.rfind(b"\n", 0, cut)
        if cut < 0:
            return start, data
    return start + cut + 1, data[cut + 1 :]


def _safe(log_path: str) -> Path:
    """The log path, refused unless it lies inside the scratch directory (DESIGN.md 10)."""
    if not log_path:
        raise ApplicationError("this job has no log file", status_code=404)
    real = contained(log_path, "SCRATCH_DIR")
    if real is None:
        raise ApplicationError("log file outside the scratch directory", status_code=403)
    return real
