"""The daemon on a mini night: discovery, order, ingestion, events."""

from __future__ import annotations

import json
import os
import time
from datetime import datetime

from qlf.dashboard.models import Event, Job, Process
from tests.pipeline.rawfiles import write_raw

NIGHT = 20261122


def _finished(recorder, n):
    return lambda: len(recorder.of("process.finished")) >= n


def test_mini_night_processed_in_order(dirs, make_daemon):
    old = time.time() - 60
    for expid in (3, 1, 2):  # written out of order: processed by expid
        write_raw(dirs["data"], expid=expid, mtime=old)
    daemon, recorder = make_daemon()
    late: list[int] = []

    def drop_one_more(message):
        if message["type"] == "process.started" and not late:
            late.append(write_raw(dirs["data"], expid=4))  # arrives while 1 is processing

    recorder_listeners = daemon.publisher.listeners
    recorder_listeners.append(drop_one_more)
    daemon.run(until=_finished(recorder, 4), timeout=60)

    finished = recorder.of("process.finished")
    assert [e["payload"]["expid"] for e in finished] == [1, 2, 3, 4]
    assert {e["payload"]["status"] for e in finished} == {"done"}
    assert [e["payload"]["expid"] for e in recorder.of("exposure.discovered")] == [1, 2, 3, 4]
    for process in Process.objects.all():
        assert process.status == "done"
        assert set(process.qa_summary) == {"b0", "r0", "z0"}
        assert process.started <= process.ended
    jobs = Job.objects.all()
    assert jobs.count() == 12
    for job in jobs:
        assert job.status == "done" and job.qa and job.log_path
        assert (dirs["scratch"] / str(NIGHT)).joinpath(f"{job.process.exposure_id:08d}").is_dir()
        assert job.steps.filter(name="CHECK_CCDs", state="finished").exists()
    # every event was journaled, with strictly increasing seq, in the order delivered
    seqs = [e["seq"] for e in recorder.events]
    assert seqs == sorted(seqs) and len(set(seqs)) == len(seqs)
    assert list(Event.objects.values_list("seq", flat=True)) == seqs
    # per exposure: started before its steps, its QA, and its finish
    for expid in (1, 2, 3, 4):
        pid = Process.objects.get(exposure_id=expid).pk
        kinds = [
            e["type"]
            for e in recorder.events
            if e["payload"].get("process_id") == pid or e["payload"].get("expid") == expid
        ]
        assert kinds.index("process.started") < kinds.index("job.step")
        assert kinds.index("job.step") < kinds.index("qa.ingested")
        assert kinds[-1] == "process.finished"
        assert kinds.count("qa.ingested") == 3
    status = recorder.of("pipeline.status")
    assert any(e["payload"]["state"] == "running" for e in status)
    assert set(status[-1]["payload"]) == {"state", "queue", "current"}
    assert daemon.status()["last"]["readout_to_qa_s"] > 0
    for process in Process.objects.all():  # timings kept beside the QA files
        folder = dirs["scratch"] / str(NIGHT) / f"{process.exposure_id:08d}"
        timings = json.loads((folder / f"process-{process.pk}.json").read_text())
        assert timings["STATUS"] == "done" and timings["READOUT_TO_QA_S"] > 0
        keys = ("RAW_MTIME", "DISCOVERED", "FINISHED")
        moments = [datetime.fromisoformat(timings[k]) for k in keys]
        assert moments == sorted(moments)


def test_unreadable_raw_file_raises_an_alert_and_the_night_goes_on(dirs, make_daemon):
    old = time.time() - 60
    bad = write_raw(dirs["data"], expid=1, mtime=old)
    bad.write_bytes(b"SIMPLE  = not really a FITS file".ljust(2880))
    os.utime(bad, (old, old))
    write_raw(dirs["data"], expid=2, mtime=old)
    daemon, recorder = make_daemon()
    daemon.run(until=_finished(recorder, 1), timeout=60)

    assert [e["payload"]["expid"] for e in recorder.of("process.finished")] == [2]
    alert = recorder.of("alert")[0]["payload"]
    assert alert["expid"] == 1 and alert["level"] == "ALARM"
    assert "desi-00000001.fits.fz" in alert["text"]
    assert not Process.objects.filter(exposure_id=1).exists()
