"""A byte copy of one exposure filed as another: processed and filed under its path's identity,
graded ALARM with both values named, and the original's results untouched (issue 15)."""

from __future__ import annotations

import json
import shutil

from qlf.dashboard.models import Job, Metric, Process
from tests.faults.conftest import NIGHT, arrive, finished, wait_for


def _qa_file(dirs, expid: int, camera: str):
    return dirs["scratch"] / str(NIGHT) / f"{expid:08d}" / f"ql-{camera}-{expid:08d}.json"


def _rows(expid: int) -> list[tuple]:
    columns = ("camera", "key", "index", "value", "status")
    return sorted(Metric.objects.filter(expid=expid).values_list(*columns))


def test_mislabelled_copy_never_overwrites_the_original(dirs, make_daemon):
    daemon, recorder = make_daemon()
    daemon.start_background()
    original = arrive(dirs, 101)
    wait_for(finished(recorder, 1), timeout=120)
    before = {c: _qa_file(dirs, 101, c).read_bytes() for c in ("b0", "r0")}
    rows_before = _rows(101)
    # the copy: another folder and file name, the same bytes (headers say 101)
    folder = dirs["data"] / str(NIGHT) / "00000106"
    folder.mkdir(parents=True)
    shutil.copyfile(original, folder / ".tmp")
    (folder / ".tmp").rename(folder / "desi-00000106.fits.fz")
    wait_for(finished(recorder, 2), timeout=120)

    assert [e["payload"]["expid"] for e in recorder.of("process.finished")] == [101, 106]
    assert Process.objects.filter(exposure_id=101).count() == 1  # not processed again as 101
    for camera in ("b0", "r0"):
        assert _qa_file(dirs, 101, camera).read_bytes() == before[camera]
        qa = json.loads(_qa_file(dirs, 106, camera).read_text())
        assert (qa["EXPID"], qa["NIGHT"], qa["STATUS"]) == (106, NIGHT, "ALARM")
        ccd = qa["TASKS"]["CHECK_CCDs"]
        assert ccd["METRICS"]["CHECKHDUS"] == 2 and ccd["METRICS"]["CHECKHDUS_STATUS"] == "ALARM"
        reason = ccd["REASONS"]["CHECKHDUS"]
        assert "EXPID: the path says 106, the SPEC header says 101" in reason
        assert f"EXPID: the path says 106, the {camera.upper()} header says 101" in reason
        job = Job.objects.get(process__exposure_id=106, camera=camera)
        assert job.qa_status == "ALARM" and job.qa_reasons["CHECKHDUS"] == reason
        row = Metric.objects.get(expid=106, camera=camera, key="CHECKHDUS")
        assert (row.value, row.status) == (2.0, "ALARM")
    assert _rows(101) == rows_before
