"""Hand-built QA documents in the exact shape of DESIGN.md 4.4, and database helpers."""

from __future__ import annotations

import json
from pathlib import Path

STEPS = {
    "zero": ["CHECK_CCDs"],
    "dark": ["CHECK_CCDs"],
    "flat": ["CHECK_CCDs", "CHECK_FIBERS", "CHECK_FIBERFLAT"],
    "arc": ["CHECK_CCDs", "CHECK_FIBERS", "CHECK_ARC"],
    "science": ["CHECK_CCDs", "CHECK_FIBERS", "CHECK_SPECTRA"],
}


def _ccd(bias: list) -> dict:
    return {
        "STATUS": "NORMAL",
        "DURATION_S": 0.21,
        "ERROR": None,
        "METRICS": {
            "BIAS_AMP": bias,
            "BIAS_AMP_STATUS": "NORMAL",
            "NOISE_AMP": [2.9, 3.0, 3.1, None],
            "NOISE_AMP_STATUS": "NORMAL",
            "LITFRAC_AMP": [0.01, 0.01, 0.02, 0.01],
            "LITFRAC_AMP_STATUS": "NORMAL",
        },
        "PARAMS": {
            "BIAS_AMP_REF": [1200, 1200, 1200, 1200],
            "BIAS_AMP_NORMAL_RANGE": [-40, 40],
            "BIAS_AMP_WARN_RANGE": [-60, 60],
            "NOISE_AMP_REF": [3.0, 3.0, 3.0, 3.0],
            "NOISE_AMP_NORMAL_RANGE": [-1.5, 1.5],
            "NOISE_AMP_WARN_RANGE": [-2.0, 2.0],
            "LITFRAC_AMP_REF": 0.0,
            "LITFRAC_AMP_NORMAL_RANGE": [-0.15, 0.15],
            "LITFRAC_AMP_WARN_RANGE": [-0.2, 0.2],
        },
    }


def _fibers() -> dict:
    return {
        "STATUS": "WARNING",
        "DURATION_S": 0.3,
        "ERROR": None,
        "METRICS": {
            "XYSHIFTS": [0.01, -0.02],
            "XYSHIFTS_STATUS": "NORMAL",
            "NGOODFIB": 496,
            "NGOODFIB_STATUS": "WARNING",
            "GOOD_FIBERS": [1, 1, 0, 1],
        },
        "PARAMS": {
            "XYSHIFTS_REF": [0.0, 0.0],
            "XYSHIFTS_NORMAL_RANGE": [-0.2, 0.2],
            "XYSHIFTS_WARN_RANGE": [-0.3, 0.3],
            "NGOODFIB_REF": 500,
            "NGOODFIB_NORMAL_RANGE": [-3, 3],
            "NGOODFIB_WARN_RANGE": [-4, 4],
        },
    }


def _spectra() -> dict:
    return {
        "STATUS": "NORMAL",
        "DURATION_S": 0.5,
        "ERROR": None,
        "METRICS": {
            "FIDSNR_TGT": {"ELG": 3.1, "LRG": 4.2, "QSO": None},
            "FIDSNR_TGT_STATUS": "NORMAL",
        },
        "PARAMS": {
            "FIDSNR_TGT_REF": {"ELG": 3.0, "LRG": 4.0, "QSO": 2.0},
            "FIDSNR_TGT_NORMAL_RANGE": [-0.9, 0.9],
            "FIDSNR_TGT_WARN_RANGE": [-1.2, 1.2],
        },
    }


def _other(name: str) -> dict:
    key = "CHECKFLAT" if name == "CHECK_FIBERFLAT" else "CHECKARC"
    return {
        "STATUS": "NORMAL",
        "DURATION_S": 0.1,
        "ERROR": None,
        "METRICS": {key: 1.0, f"{key}_STATUS": "NORMAL"},
        "PARAMS": {},
    }


def make_qa(
    expid: int = 42,
    camera: str = "r3",
    *,
    night: int = 20261122,
    flavor: str = "science",
    program: str = "DARK",
    bias: list | None = None,
    tile: int = 1234,
    mjd: float = 61366.1,
    error: str | None = None,
) -> dict:
    builders = {"CHECK_CCDs": lambda: _ccd(bias or [1201.3, 1198.0, 1210.7, 1189.9])}
    builders.update(CHECK_FIBERS=_fibers, CHECK_SPECTRA=_spectra)
    tasks = {name: builders.get(name, lambda n=name: _other(n))() for name in STEPS[flavor]}
    if error:
        tasks.pop(list(tasks)[-1])
    statuses = [t["STATUS"] for t in tasks.values()]
    worst = "WARNING" if "WARNING" in statuses else "NORMAL"
    return {
        "NIGHT": night,
        "EXPID": expid,
        "CAMERA": camera,
        "FLAVOR": flavor,
        "PROGRAM": program if flavor == "science" else None,
        "STATUS": "UNKNOWN" if error else worst,
        "ERROR": error,
        "FAILED_STEP": list(STEPS[flavor])[-1] if error else None,
        "PIPELINE_VERSION": "0.1.0",
        "SPEC_VERSION": "2026-01-01",
        "STARTED": "2026-11-22T03:01:02.123+00:00",
        "FINISHED": "2026-11-22T03:01:03.456+00:00",
        "DURATION_S": 1.33,
        "AMPS": ["A", "B", "C", "D"],
        "GENERAL_INFO": {
            "EXPTIME": 900.0,
            "AIRMASS": 1.12,
            "SEEING": 1.1,
            "SKYRA": 150.1,
            "SKYDEC": 2.2,
            "TILEID": tile,
            "MJD-OBS": mjd,
            "DATE-OBS": "2026-11-22T03:00:00",
            "TILERA": 150.0,
            "TILEDEC": 2.2,
            "SKYLEVEL": 1.2,
        },
        "TASKS": tasks,
    }


def write_qa(scratch: Path, qa: dict) -> Path:
    folder = scratch / str(qa["NIGHT"]) / f"{qa['EXPID']:08d}"
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"ql-{qa['CAMERA']}-{qa['EXPID']:08d}.json"
    path.write_text(json.dumps(qa))
    return path


def ingest_exposure(expid: int, cameras=("b0", "r3"), **kwargs):
    """Register an exposure, run a process over it and ingest QA of ``cameras``; the process."""
    from qlf.dashboard.services.exposures import exposure_fields_from_header, exposure_register
    from qlf.dashboard.services.processes import process_finish, process_start
    from qlf.dashboard.services.qa_ingest import job_ingest_qa

    first = make_qa(expid, cameras[0], **kwargs)
    exposure_register(**exposure_fields_from_header({**first["GENERAL_INFO"], **first}))
    process = process_start(expid=expid, cameras=cameras)
    for camera in cameras:
        job_ingest_qa(process_id=process.pk, qa=make_qa(expid, camera, **kwargs))
    return process_finish(process_id=process.pk)
