"""Calibration missing or unreadable for one camera, and a science exposure without its
fibermap: the steps that need them fail with a clear error, everything else is graded."""

from __future__ import annotations

import json

from qlf.dashboard.models import Exposure, Fibermap, Job, Process
from tests.faults.conftest import NIGHT, drop, finished, simulate, wait_for


def _job(expid: int, camera: str) -> Job:
    return Job.objects.get(process__exposure_id=expid, camera=camera)


def _qa(dirs, expid: int, camera: str) -> dict:
    path = dirs["scratch"] / str(NIGHT) / f"{expid:08d}" / f"ql-{camera}-{expid:08d}.json"
    return json.loads(path.read_text())


def _failed_alerts(recorder, expid: int) -> dict[str, str]:
    return {
        e["payload"]["camera"]: e["payload"]["text"]
        for e in recorder.of("alert")
        if e["payload"]["expid"] == expid and " failed: " in e["payload"]["text"]
    }


def test_missing_or_unreadable_calibration_and_missing_fibermap(dirs, make_daemon):
    daemon, recorder = make_daemon()
    daemon.start_background()

    # 1: r0's PSF is missing
    staged = simulate(dirs, 1, flavor="science")
    (dirs["calib"] / "r0" / "psf-r0.fits").unlink()
    drop(dirs, staged)
    wait_for(finished(recorder, 1), timeout=120)
    r0 = _qa(dirs, 1, "r0")
    assert r0["TASKS"]["CHECK_CCDs"]["METRICS"]["NOISE_AMP"] is not None  # graded without it
    assert "no PSF calibration" in r0["TASKS"]["CHECK_FIBERS"]["ERROR"]
    assert _job(1, "r0").status == "failed" and "no PSF calibration" in _job(1, "r0").error
    assert _job(1, "b0").status == "done"
    assert set(_failed_alerts(recorder, 1)) == {"r0"}

    # 2: b0's PSF is there but unreadable (r0's is back)
    staged = simulate(dirs, 2, flavor="science")
    assert (dirs["calib"] / "r0" / "psf-r0.fits").is_file()
    (dirs["calib"] / "b0" / "psf-b0.fits").write_bytes(b"garbage" * 1000)
    drop(dirs, staged)
    wait_for(finished(recorder, 2), timeout=120)
    b0 = _job(2, "b0")
    assert b0.status == "failed" and "psf-b0.fits" in b0.error, b0.error
    assert _job(2, "r0").status == "done"
    assert set(_failed_alerts(recorder, 2)) == {"b0"}

    # 3: a science exposure without its fibermap: spectra are not graded, the rest is
    staged = simulate(dirs, 3, flavor="science")
    (dirs["calib"] / "b0" / "psf-b0.fits").unlink()
    simulate(dirs, 99, flavor="zero")  # restores b0's calibration
    (staged.parent / "fibermap-00000003.fits").unlink()
    drop(dirs, staged)
    wait_for(finished(recorder, 3), timeout=120)
    assert Exposure.objects.filter(expid=3).exists()
    assert not Fibermap.objects.filter(exposure_id=3).exists()
    for camera in ("b0", "r0"):
        qa, job = _qa(dirs, 3, camera), _job(3, camera)
        assert qa["TASKS"]["CHECK_FIBERS"]["STATUS"] != "UNKNOWN"
        assert "no fibermap" in qa["TASKS"]["CHECK_SPECTRA"]["ERROR"]
        assert job.status == "failed" and job.failed_step == "CHECK_SPECTRA"
    assert set(_failed_alerts(recorder, 3)) == {"b0", "r0"}

    assert [p.status for p in Process.objects.order_by("exposure_id")] == ["failed"] * 3
    assert [e["payload"]["expid"] for e in recorder.of("process.finished")] == [1, 2, 3]
