"""Damaged raw files on a mini night: each exposure ends in exactly the state it must, with a
clear error where a camera cannot be processed, and the night goes on."""

from __future__ import annotations

import json
import math
import os
from dataclasses import replace
from pathlib import Path

import numpy as np
from astropy.io import fits

from qlf.dashboard.models import Event, Exposure, Job, Metric, Process
from tests.faults.conftest import NIGHT, arrive, finished, rewrite, simulate, wait_for


def _not_fits(raw: Path) -> None:
    raw.write_bytes(b"this is not a FITS file\n" * 400)


def _truncated(raw: Path) -> None:
    data = raw.read_bytes()
    raw.write_bytes(data[: len(data) // 2])


def _edit(edit):
    return lambda raw: rewrite(raw, edit)


def _no_r0(hdul):
    del hdul["R0"]


def _malformed_section(hdul):
    hdul["R0"].header["DATASECA"] = "[1:oops"


def _nan_pixels(hdul):
    header = hdul["R0"].header.copy()
    data = hdul["R0"].data.astype(np.float32)
    data[10:20, 10:20], data[30, 30], data[31, 31] = np.nan, np.inf, -np.inf
    hdul["R0"] = fits.CompImageHDU(data, header=header, name="R0", compression_type="RICE_1")


def _section(text: str) -> tuple[slice, slice]:
    cols, rows = (tuple(int(v) for v in part.split(":")) for part in text.strip("[]").split(","))
    return slice(rows[0] - 1, rows[1]), slice(cols[0] - 1, cols[1])


def _zero_amp(hdul):
    """Amp A of r0 reads all zeros: data, prescan and overscans."""
    header, data = hdul["R0"].header, hdul["R0"].data.copy()
    for key in ("PRESECA", "DATASECA", "BIASSECA", "ORSECA"):
        if key in header:
            data[_section(header[key])] = 0
    hdul["R0"].data = data


def _wrong_expid(hdul):
    hdul["R0"].header["EXPID"] = 999


DAMAGE = {  # expid → damage done to the raw file before it is dropped
    1: _not_fits,
    2: _truncated,
    3: _edit(_no_r0),
    4: _edit(_malformed_section),
    5: _edit(_nan_pixels),
    6: _edit(_zero_amp),
    7: _edit(_wrong_expid),
    8: None,  # a good exposure closes the night
}


def _jobs(expid: int) -> dict[str, Job]:
    return {j.camera: j for j in Job.objects.filter(process__exposure_id=expid)}


def _alerts(recorder, expid: int) -> list[dict]:
    return [e["payload"] for e in recorder.of("alert") if e["payload"]["expid"] == expid]


def _qa(dirs, expid: int, camera: str) -> dict:
    path = dirs["scratch"] / str(NIGHT) / f"{expid:08d}" / f"ql-{camera}-{expid:08d}.json"
    return json.loads(path.read_text(), parse_constant=lambda name: math.nan)


def _assert_identity_alarm(dirs, recorder, expid: int, camera: str, message: str) -> None:
    """The camera's identity (CHECKHDUS) graded ALARM with ``message`` as its reason, in the
    QA file, on the job and in the live event."""
    job = _jobs(expid)[camera]
    assert job.qa_status == "ALARM" and message in job.qa_reasons["CHECKHDUS"], job.qa_reasons
    ccd = _qa(dirs, expid, camera)["TASKS"]["CHECK_CCDs"]
    assert ccd["METRICS"]["CHECKHDUS_STATUS"] == "ALARM"
    assert message in ccd["REASONS"]["CHECKHDUS"]
    mine = (job.process_id, camera)
    events = [e["payload"] for e in recorder.of("qa.ingested")
              if (e["payload"]["process_id"], e["payload"]["camera"]) == mine]  # fmt: skip
    assert events and message in events[-1]["reasons"]["CHECKHDUS"]
    alerts = [a for a in _alerts(recorder, expid) if a["camera"] == camera]
    assert any(a["level"] == "ALARM" and "CHECKHDUS" in a["text"] for a in alerts), alerts


def _assert_failed(dirs, recorder, expid: int, camera: str, message: str) -> None:
    job = _jobs(expid)[camera]
    assert job.status == "failed" and message in job.error, (expid, camera, job.error)
    assert job.qa_status == "UNKNOWN"
    assert message in Path(job.log_path).read_text()
    qa = _qa(dirs, expid, camera)
    assert qa["STATUS"] == "UNKNOWN" and message in qa["ERROR"]
    assert (qa["EXPID"], qa["NIGHT"], qa["CAMERA"]) == (expid, NIGHT, camera)
    texts = [a["text"] for a in _alerts(recorder, expid) if a["camera"] == camera]
    assert any(a.startswith(f"{camera} of {expid} failed:") and message in a for a in texts)


def test_damaged_raw_files(dirs, make_daemon):
    daemon, recorder = make_daemon()
    daemon.start_background()
    for expid, damage in DAMAGE.items():
        arrive(dirs, expid, damage=damage)
    wait_for(finished(recorder, 7), timeout=180)  # every exposure but the unreadable one

    # 1: not FITS: never registered, one ALARM naming the file, not retried
    assert not Exposure.objects.filter(expid=1).exists()
    assert [(a["level"], a["camera"]) for a in _alerts(recorder, 1)] == [("ALARM", "")]
    assert "desi-00000001.fits.fz" in _alerts(recorder, 1)[0]["text"]
    # 2: truncated inside b0's data (r0 beyond the end is absent): b0 fails, says why; r0, a
    # camera of the instrument (it has a calibration), is an identity ALARM saying why
    assert Process.objects.get(exposure_id=2).status == "failed"
    assert set(_jobs(2)) == {"b0", "r0"}
    _assert_failed(dirs, recorder, 2, "b0", "truncated file")
    _assert_identity_alarm(dirs, recorder, 2, "r0", "no HDU R0")
    # 3: no r0 HDU: r0 is an identity ALARM (not silence), b0 is processed
    assert set(_jobs(3)) == {"b0", "r0"} and _jobs(3)["b0"].status == "done"
    _assert_identity_alarm(dirs, recorder, 3, "r0", "no HDU R0 in desi-00000003.fits.fz")
    assert Process.objects.get(exposure_id=3).status == "done"
    # 4: malformed section keyword: r0 fails as it is read (before any step), b0 is done
    _assert_failed(dirs, recorder, 4, "r0", "DATASECA: malformed section '[1:oops'")
    assert _jobs(4)["r0"].failed_step == "" and _jobs(4)["b0"].status == "done"
    assert Process.objects.get(exposure_id=4).status == "failed"
    # 5: NaN and inf pixels: processed; the QA JSON is strict JSON (no NaN / Infinity)
    assert {j.status for j in _jobs(5).values()} == {"done"}
    text = (dirs["scratch"] / str(NIGHT) / "00000005" / "ql-r0-00000005.json").read_text()
    json.loads(text, parse_constant=lambda name: (_ for _ in ()).throw(ValueError(name)))
    # 6: an amp reading all zeros: processed, its bias graded ALARM, an alert raised
    r0 = _qa(dirs, 6, "r0")["TASKS"]["CHECK_CCDs"]["METRICS"]
    assert r0["BIAS_AMP"][0] == 0 and r0["BIAS_AMP_STATUS"] == "ALARM"
    assert _jobs(6)["r0"].status == "done" and _jobs(6)["r0"].qa_status == "ALARM"
    assert any(a["level"] == "ALARM" and a["camera"] == "r0" for a in _alerts(recorder, 6))
    assert Process.objects.get(exposure_id=6).qa_status == "ALARM"
    # 7: a camera header with another EXPID: r0 processed, its identity an ALARM naming both
    _assert_identity_alarm(
        dirs, recorder, 7, "r0", "EXPID: the path says 7, the R0 header says 999"
    )
    assert _jobs(7)["b0"].status == "done"
    # 8: the night went on
    assert {j.status for j in _jobs(8).values()} == {"done"}
    assert Process.objects.get(exposure_id=8).status == "done"

    # in order, each once; each camera's QA ingested once; a gap-free, ordered journal
    expids = [e["payload"]["expid"] for e in recorder.of("process.finished")]
    assert expids == [2, 3, 4, 5, 6, 7, 8]
    ingested = [(e["payload"]["process_id"], e["payload"]["camera"])
                for e in recorder.of("qa.ingested")]  # fmt: skip
    assert len(ingested) == len(set(ingested)) == Job.objects.count()  # failed ones too
    reasons = {(e["payload"]["process_id"], e["payload"]["camera"]): e["payload"]["reasons"]
               for e in recorder.of("qa.ingested")}  # fmt: skip
    assert all(isinstance(r, dict) for r in reasons.values())
    seqs = list(Event.objects.order_by("seq").values_list("seq", flat=True))
    assert seqs == [e["seq"] for e in recorder.events] == sorted(set(seqs))
    rows = Metric.objects.values_list("expid", "camera", "key", "index")
    assert len(rows) == len(set(rows))


def test_half_written_file_is_processed_once_complete(dirs, config, make_daemon):
    """A file written in place, the first half now and the rest within ``QLF_SETTLE_S``, is
    taken only when complete; another exposure is processed meanwhile."""
    half = simulate(dirs, 2)
    data = half.read_bytes()
    target = dirs["data"] / str(NIGHT) / "00000002" / half.name
    target.parent.mkdir(parents=True)
    for other in half.parent.iterdir():
        if other != half:
            os.replace(other, target.parent / other.name)
    target.write_bytes(data[: len(data) // 2])
    daemon, recorder = make_daemon(config=replace(config, settle_s=60))
    daemon.start_background()
    arrive(dirs, 1)
    wait_for(finished(recorder, 1), timeout=120)  # discovery polled the half file meanwhile
    assert not Exposure.objects.filter(expid=2).exists() and not recorder.of("alert")
    with target.open("ab") as handle:  # the writer finishes
        handle.write(data[len(data) // 2 :])
    wait_for(finished(recorder, 2), timeout=120)
    assert [e["payload"]["expid"] for e in recorder.of("process.finished")] == [1, 2]
    assert {j.status for j in _jobs(2).values()} == {"done"} and set(_jobs(2)) == {"b0", "r0"}
    assert not recorder.of("alert")
