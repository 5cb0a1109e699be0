"""Raw files that cannot become a whole process: a file cut inside a camera's header, a FITS
file without any camera HDU, a 0-byte file. Each is reported by an alert naming it, the cameras
that are whole are processed, and after a restart an unchanged bad file is not reported again
(it is retried only when it changes)."""

from __future__ import annotations

from pathlib import Path

from astropy.io import fits

from qlf.dashboard.models import Exposure, Job, Process
from qlf.quicklook.io.fits_layout import hdu_layout
from tests.faults.conftest import arrive, finished, rewrite, wait_for


def _cut_in_r0_header(after_extname: bool):
    def cut(raw: Path) -> None:
        with raw.open("rb") as handle:
            hdus, _ = hdu_layout(handle, raw.stat().st_size)
        r0 = next(h for h in hdus if h.name == "R0")
        extname = r0.header_text.index("EXTNAME")
        at = extname + 80 + 100 if after_extname else extname - 100
        raw.write_bytes(raw.read_bytes()[: r0.header_offset + at])

    return cut


def _no_camera(hdul: fits.HDUList) -> None:
    del hdul["B0"]
    del hdul["R0"]


def _empty(raw: Path) -> None:
    raw.write_bytes(b"")


def _alerts(recorder, expid: int) -> list[dict]:
    return [e["payload"] for e in recorder.of("alert") if e["payload"]["expid"] == expid]


def test_unprocessable_files_are_reported_once(dirs, make_daemon):
    daemon, recorder = make_daemon()
    daemon.start_background()
    arrive(dirs, 1, damage=_cut_in_r0_header(after_extname=True))
    no_camera = arrive(dirs, 2, damage=lambda raw: rewrite(raw, _no_camera))
    empty = arrive(dirs, 3, damage=_empty)
    unnamed = arrive(dirs, 4, damage=_cut_in_r0_header(after_extname=False))
    arrive(dirs, 5)
    wait_for(finished(recorder, 3), timeout=180)
    wait_for(lambda: _alerts(recorder, 2) and _alerts(recorder, 3), timeout=60)

    # cut inside r0's header: b0 is processed, r0 fails as truncated, with its alert
    jobs = {j.camera: j for j in Job.objects.filter(process__exposure_id=1)}
    assert set(jobs) == {"b0", "r0"} and jobs["b0"].status == "done"
    assert jobs["r0"].status == "failed" and "truncated" in jobs["r0"].error, jobs["r0"].error
    assert any(a["camera"] == "r0" and "truncated" in a["text"] for a in _alerts(recorder, 1))
    assert Process.objects.get(exposure_id=1).status == "failed"
    # cut before r0's name: b0 is processed; an alert names the file, says where it ends; r0,
    # a camera of the instrument (it has calibrations), is run and fails as truncated
    jobs = {j.camera: j for j in Job.objects.filter(process__exposure_id=4)}
    assert set(jobs) == {"b0", "r0"} and jobs["b0"].status == "done"
    assert jobs["r0"].status == "failed" and "truncated" in jobs["r0"].error, jobs["r0"].error
    (alert,) = [a for a in _alerts(recorder, 4) if not a["camera"]]  # about the file
    assert alert["level"] == "ALARM" and unnamed.name in alert["text"]
    assert "truncated file" in alert["text"] and "cameras after it are missing" in alert["text"]
    # no camera HDU / 0 bytes: not registered, one ALARM naming the file and saying why
    for expid, raw, why in ((2, no_camera, "no camera HDU"), (3, empty, "empty file")):
        assert not Exposure.objects.filter(expid=expid).exists()
        alerts = _alerts(recorder, expid)
        assert [a["level"] for a in alerts] == ["ALARM"], alerts
        assert raw.name in alerts[0]["text"] and why in alerts[0]["text"], alerts[0]["text"]
    assert Process.objects.get(exposure_id=5).status == "done"
    daemon.shutdown()

    # restarted: the unchanged bad files raise nothing; one that changes is retried
    again, recorder = make_daemon()
    again.start_background()
    arrive(dirs, 6)
    wait_for(finished(recorder, 1), timeout=120)
    assert [a for a in recorder.of("alert") if a["payload"]["expid"] in (2, 3)] == []
    empty.write_bytes(b"still not a FITS file\n" * 200)
    wait_for(lambda: _alerts(recorder, 3), timeout=60)
    assert [a["level"] for a in _alerts(recorder, 3)] == ["ALARM"]
    assert empty.name in _alerts(recorder, 3)[0]["text"]
    assert _alerts(recorder, 2) == []
