"""The camera job, the same function on every executor: a JSON spec in, a JSON result out."""

from __future__ import annotations

import importlib
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

__all__ = ["DEFAULT_JOB", "camera_spec", "execute_job", "resolve_job"]

DEFAULT_JOB = "qlf.pipeline.executors.job:execute_job"
Emit = Callable[[dict[str, Any]], None]


def camera_spec(
    raw_path: Path, camera: str, config, *, spec: dict[str, Any] | None = None
) -> dict[str, Any]:
    """The job description of one camera: plain JSON, so any executor can carry it.

    ``spec``: the threshold document that grades it (resolved by the daemon); without it the
    worker grades with the files of ``specs_dir`` in force on the exposure's night.
    """

    def text(path):
        return str(path) if path else None

    return {
        "raw_path": str(raw_path),
        "camera": camera,
        "scratch_dir": str(config.scratch_dir),
        "calib_dir": text(config.calib_dir),
        "specs_dir": text(config.specs_dir),
        "mapping_dir": text(config.mapping_dir),
        "spec": spec,
    }


def execute_job(spec: dict[str, Any], emit: Emit) -> dict[str, Any]:
    """Run one camera through Quick Look; the runner's events go to ``emit``."""
    from qlf.quicklook.runner import CameraTask, run_camera

    def path(key):
        return Path(spec[key]) if spec.get(key) else None

    task = CameraTask(
        raw_path=Path(spec["raw_path"]),
        camera=spec["camera"],
        scratch_dir=Path(spec["scratch_dir"]),
        calib_dir=path("calib_dir"),
        fibermap_path=path("fibermap_path"),
        specs_dir=path("specs_dir"),
        mapping_dir=path("mapping_dir"),
        spec=spec.get("spec"),
    )
    cpu0 = time.process_time()
    result = run_camera(task, on_event=emit)
    return {
        "cpu_s": round(time.process_time() - cpu0, 4),  # the worker's CPU for the whole camera
        "camera": result.camera,
        "night": result.night,
        "expid": result.expid,
        "status": result.status,
        "qa_path": str(result.qa_path),
        "log_path": str(result.log_path),
        "error": result.error,
        "failed_step": result.failed_step,
        "duration_s": result.duration_s,
        "steps": dict(result.steps),
    }


def resolve_job(name: str) -> Callable[[dict[str, Any], Emit], dict[str, Any]]:
    """The function named ``module:function`` (the job function is configurable for tests)."""
    module, _, function = name.partition(":")
    return getattr(importlib.import_module(module), function)


def warm_up() -> None:
    """Prepare a worker process once, before the first job arrives: the science stack
    imported, freed memory kept for the next camera and BLAS on one thread (see
    :mod:`qlf.quicklook.worker_process`)."""
    import qlf.quicklook.runner  # noqa: F401
    from qlf.quicklook.worker_process import prepare_worker_process

    prepare_worker_process()
