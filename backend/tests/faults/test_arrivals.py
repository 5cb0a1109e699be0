"""Exposures arriving together, and many arriving while the pipeline is stopped: all queued,
none dropped or run twice, processed in expid order."""

from __future__ import annotations

import os
import time

from qlf.dashboard.models import Exposure, Job, Process
from tests.faults.conftest import drop, finished, simulate, wait_for
from tests.pipeline.rawfiles import write_raw


def _in_order(recorder, expids: list[int]) -> None:
    assert [e["payload"]["expid"] for e in recorder.of("exposure.discovered")] == expids
    assert [e["payload"]["expid"] for e in recorder.of("process.finished")] == expids
    assert [e["payload"]["status"] for e in recorder.of("process.finished")] == ["done"] * len(
        expids
    )
    assert Process.objects.count() == Exposure.objects.count() == len(expids)
    ingested = [(e["payload"]["process_id"], e["payload"]["camera"])
                for e in recorder.of("qa.ingested")]  # fmt: skip
    assert len(ingested) == len(set(ingested)) == Job.objects.count()
    assert set(Job.objects.values_list("status", flat=True)) == {"done"}


def test_two_exposures_at_the_same_moment(dirs, make_daemon):
    daemon, recorder = make_daemon()
    daemon.start_background()
    staged = [simulate(dirs, expid) for expid in (1, 2)]
    now = time.time()
    for raw in reversed(staged):  # both complete at the same moment, renamed into place
        os.utime(raw, (now, now))  # within a millisecond, the later expid first
        drop(dirs, raw)
    wait_for(finished(recorder, 2), timeout=120)
    _in_order(recorder, [1, 2])
    assert Job.objects.count() == 4


def test_fifty_exposures_while_stopped(dirs, make_daemon):
    daemon, recorder = make_daemon(autostart=False)
    daemon.start_background()
    expids = list(range(1, 51))
    past = time.time() - 60  # written while the pipeline was stopped, in any order
    for expid in reversed(expids):  # tiny exposures (tests/pipeline/rawfiles.py): one camera
        write_raw(dirs["data"], expid=expid, cameras=("b0",), mtime=past)
    assert daemon.status()["state"] == "stopped" and not Exposure.objects.exists()
    daemon.start()
    wait_for(finished(recorder, 50), timeout=240)
    _in_order(recorder, expids)
    queues = [e["payload"]["queue"] for e in recorder.of("pipeline.status")]
    assert expids[1:] in queues  # all 50 queued at once, in order, behind the first
    qa_files = sorted(p.name for p in (dirs["scratch"] / "20261122").glob("*/ql-b0-*.json"))
    assert qa_files == [f"ql-b0-{expid:08d}.json" for expid in expids]
