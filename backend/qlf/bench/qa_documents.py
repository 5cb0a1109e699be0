"""A full science camera's QA document (every metric of DESIGN.md 5), for ingestion timings."""

from __future__ import annotations

import numpy as np

__all__ = ["science_qa"]

_CLASSES = ["ELG", "LRG", "QSO", "BGS", "MWS"]


def _metric(key, value, ref, normal, warn):
    return {key: value, f"{key}_STATUS": "NORMAL"}, {
        f"{key}_REF": ref,
        f"{key}_NORMAL_RANGE": normal,
        f"{key}_WARN_RANGE": warn,
    }


def _task(status, *metrics, auxiliary=None):
    values, params = {}, {}
    for v, p in metrics:
        values.update(v)
        params.update(p)
    values.update(auxiliary or {})
    return {"STATUS": status, "DURATION_S": 0.2, "ERROR": None, "METRICS": values, "PARAMS": params}


def science_qa(expid: int, camera: str, *, night: int, mjd: float, seed: int = 0) -> dict:
    rng = np.random.default_rng(seed + expid)
    fibers = 500
    per_class = {c: round(float(rng.normal(3, 0.3)), 3) for c in _CLASSES}
    tasks = {
        "CHECK_CCDs": _task(
            "NORMAL",
            _metric(
                "BIAS_AMP",
                (1200 + rng.normal(0, 5, 4)).round(2).tolist(),
                [1200] * 4,
                [-40, 40],
                [-60, 60],
            ),
            _metric(
                "NOISE_AMP",
                (3 + rng.normal(0, 0.1, 4)).round(3).tolist(),
                [3.0] * 4,
                [-1.5, 1.5],
                [-2, 2],
            ),
            _metric("LITFRAC_AMP", [0.01, 0.02, 0.01, 0.01], 0.0, [-0.15, 0.15], [-0.2, 0.2]),
            _metric("COSMICS_RATE", [5.0, 6.0, 4.0, 5.5], 5.0, [-3, 3], [-4, 4]),
            _metric("XWSIGMA", [1.05, 1.1], [1.0, 1.0], [-0.9, 0.9], [-1.2, 1.2]),
        ),
        "CHECK_FIBERS": _task(
            "NORMAL",
            _metric("XYSHIFTS", [0.01, -0.02], [0, 0], [-0.2, 0.2], [-0.3, 0.3]),
            _metric("NGOODFIB", 499, 500, [-3, 3], [-4, 4]),
            auxiliary={
                "GOOD_FIBERS": [1] * fibers,
                "FIBER_FLUX": rng.normal(1000, 30, fibers).round(1).tolist(),
            },
        ),
        "CHECK_SPECTRA": _task(
            "NORMAL",
            _metric("SKYCONT", [120.0, 130.0], [125, 125], [-75, 75], [-100, 100]),
            _metric("PEAKCOUNT", 410.0, 400.0, [-75, 75], [-100, 100]),
            _metric("SKYRESID", [0.5, 2.0], [0, 0], [-5, 5], [-10, 10]),
            _metric("FIDSNR_TGT", per_class, dict.fromkeys(_CLASSES, 3.0), [-0.9, 0.9], [-1, 1]),
            _metric("DELTAMAG_TGT", dict.fromkeys(_CLASSES, 0.1), 0.0, [-1.5, 1.5], [-2, 2]),
            _metric("SKYRBAND", 21.0, 21.0, [-15, 15], [-20, 20]),
            auxiliary={
                "SNR_FIBER": rng.normal(3, 0.5, fibers).round(3).tolist(),
                "SKYRESID_FIBER": rng.normal(0, 1, fibers).round(3).tolist(),
            },
        ),
    }
    return {
        "NIGHT": night,
        "EXPID": expid,
        "CAMERA": camera,
        "FLAVOR": "science",
        "PROGRAM": "DARK",
        "STATUS": "NORMAL",
        "ERROR": None,
        "FAILED_STEP": None,
        "PIPELINE_VERSION": "0.1.0",
        "SPEC_VERSION": "2026-01-01",
        "STARTED": "2027-01-01T03:01:02.123+00:00",
        "FINISHED": "2027-01-01T03:01:20.456+00:00",
        "DURATION_S": 18.3,
        "AMPS": list("ABCD"),
        "GENERAL_INFO": {
            "EXPTIME": 900.0,
            "AIRMASS": 1.12,
            "SEEING": 1.1,
            "SKYRA": 150.1,
            "SKYDEC": 2.2,
            "TILEID": 1234,
            "MJD-OBS": mjd,
            "DATE-OBS": "2027-01-01T03:00:00",
            "TILERA": 150.0,
            "TILEDEC": 2.2,
            "SKYLEVEL": 1.2,
        },
        "TASKS": tasks,
    }
