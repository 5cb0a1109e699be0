"""Synthetic history for ``qlf bench api``: five survey years loaded with COPY (Postgres)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import numpy as np
from django.db import connection

from qlf.quicklook.mapping import FLAVORS as QL_FLAVORS

__all__ = ["CAMERAS", "FLAVORS", "load_history", "nights"]

CAMERAS = [f"{arm}{spec}" for arm in "brz" for spec in range(10)]
FLAVORS = np.array(QL_FLAVORS)
_FLAVOR_P = [0.1, 0.05, 0.1, 0.05, 0.7]
_PROGRAMS = np.array(["DARK", "GRAY", "BRIGHT"])
_AMPS = "ABCD"


def nights(first: date, count: int) -> list[int]:
    return [int((first + timedelta(days=i)).strftime("%Y%m%d")) for i in range(count)]


def load_history(*, exposures: int, metric_nights: int, seed: int = 1) -> dict:
    """Exposures, one done process each, and BIAS_AMP rows (per exposure for the last
    ``metric_nights`` nights, per night for all) of 30 cameras. Returns the night range."""
    rng = np.random.default_rng(seed)
    per_night = 82
    all_nights = nights(date(2027, 1, 1), -(-exposures // per_night))
    expids = np.arange(1, exposures + 1)
    night_of = np.array(all_nights)[(expids - 1) // per_night]
    flavor = rng.choice(FLAVORS, size=exposures, p=_FLAVOR_P)
    start = datetime(2027, 1, 1, 2, tzinfo=UTC)
    dateobs = [
        start + timedelta(days=int(i // per_night), minutes=int(i % per_night) * 7)
        for i in range(exposures)
    ]
    mjd = 61406.08 + (expids - 1) // per_night + ((expids - 1) % per_night) * 7 / 1440
    qa = rng.choice(["NORMAL", "WARNING", "ALARM"], size=exposures, p=[0.8, 0.15, 0.05])
    tile = rng.integers(1000, 40000, size=exposures)
    with connection.cursor() as cursor:
        with cursor.cursor.copy(
            "COPY dashboard_exposure (expid, night, flavor, program, tile, exptime, dateobs, mjd,"
            " airmass, seeing, ra, dec, tile_ra, tile_dec, sky_level, qa_status, discovered_at)"
            " FROM STDIN"
        ) as copy:
            for i, e in enumerate(expids.tolist()):
                science = flavor[i] == "science"
                copy.write_row(
                    (
                        e,
                        int(night_of[i]),
                        flavor[i],
                        _PROGRAMS[e % 3] if science else "",
                        int(tile[i]) if science else None,
                        900.0,
                        dateobs[i],
                        float(mjd[i]),
                        1.0 + (e % 50) / 100,
                        0.8 + (e % 30) / 50,
                        (e * 7) % 360,
                        (e % 60) - 20,
                        (e * 7) % 360,
                        (e % 60) - 20,
                        1.0 + (e % 10) / 10,
                        qa[i],
                        dateobs[i],
                    )
                )
        with cursor.cursor.copy(
            "COPY dashboard_process (id, exposure_id, night, flavor, program, tile, status,"
            " qa_status, qa_summary, started, ended, duration_s, pipeline_version, spec_version)"
            " FROM STDIN"
        ) as copy:
            for i, e in enumerate(expids.tolist()):
                copy.write_row(
                    (
                        e,
                        e,
                        int(night_of[i]),
                        flavor[i],
                        "",
                        None,
                        "done",
                        qa[i],
                        "{}",
                        dateobs[i],
                        dateobs[i] + timedelta(seconds=20),
                        20.0,
                        "0.1.0",
                        "2026-01-01",
                    )
                )
        cursor.execute("SELECT setval('dashboard_process_id_seq', %s)", [exposures])
        _load_metrics(cursor, rng, expids, night_of, flavor, mjd, metric_nights, all_nights)
        cursor.execute("ANALYZE")
    return {"night_from": all_nights[0], "night_to": all_nights[-1], "nights": all_nights}


def _load_metrics(cursor, rng, expids, night_of, flavor, mjd, metric_nights, all_nights):
    recent = expids[night_of >= all_nights[-metric_nights]].tolist()
    with cursor.cursor.copy(
        "COPY dashboard_job (id, process_id, camera, status, qa_status,"
        " current_step, error, failed_step, log_path, qa_path, qa_digest)"
        " FROM STDIN"
    ) as copy:
        for e in recent:
            for c, camera in enumerate(CAMERAS):
                copy.write_row((e * 30 + c, e, camera, "done", "NORMAL", "", "", "", "", "", ""))
    cursor.execute("SELECT setval('dashboard_job_id_seq', %s)", [(len(expids) + 1) * 30])
    with cursor.cursor.copy(
        "COPY dashboard_metric (job_id, step, key, index, value, status,"
        " camera, expid, night, mjd, flavor) FROM STDIN"
    ) as copy:
        for e in recent:
            i = e - 1
            values = 1200 + rng.normal(0, 10, size=(30, 4))
            for c, camera in enumerate(CAMERAS):
                for a, amp in enumerate(_AMPS):
                    copy.write_row(
                        (
                            e * 30 + c,
                            "CHECK_CCDs",
                            "BIAS_AMP",
                            amp,
                            float(values[c, a]),
                            "NORMAL",
                            camera,
                            e,
                            int(night_of[i]),
                            float(mjd[i]),
                            flavor[i],
                        )
                    )
    columns = "night, camera, flavor, key, index, count, total, min, max, n_warning, n_alarm"
    with cursor.cursor.copy(f"COPY dashboard_metricnight ({columns}) FROM STDIN") as copy:
        for night in all_nights:
            for camera in CAMERAS:
                for fl in [*FLAVORS.tolist(), ""]:
                    for key in ("BIAS_AMP", "NOISE_AMP"):
                        for amp in _AMPS:
                            mean = 1200.0 if key == "BIAS_AMP" else 3.0
                            n = 80 if fl == "" else 16
                            copy.write_row(
                                (
                                    night,
                                    camera,
                                    fl,
                                    key,
                                    amp,
                                    n,
                                    n * mean,
                                    mean - 20,
                                    mean + 20,
                                    0,
                                    0,
                                )
                            )
