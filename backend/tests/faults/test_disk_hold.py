"""A full scratch disk holds the queue: the exposures waiting are not started (each of their
cameras would fail at once, found by ``qlf bench soak``) until space is freed; one alert says
so. Then they are processed as usual."""

from __future__ import annotations

import time

from qlf.dashboard.models import Process
from tests.faults.conftest import arrive, finished, wait_for


def test_a_full_disk_holds_the_queue_until_space_is_freed(dirs, make_daemon):
    daemon, recorder = make_daemon()
    free = {"bytes": 0}
    daemon.scheduler.free_bytes = lambda: free["bytes"]
    daemon.start_background()
    arrive(dirs, 1)
    arrive(dirs, 2)
    wait_for(lambda: len(recorder.of("exposure.discovered")) == 2, timeout=60)
    time.sleep(2.0)  # many turns of the loop
    assert not recorder.of("process.started")
    assert set(Process.objects.values_list("status", flat=True)) == {"queued"}
    held = [e["payload"] for e in recorder.of("alert")]
    assert len(held) == 1 and held[0]["level"] == "ALARM", held  # one, not one per turn
    assert "processing held" in held[0]["text"] and str(dirs["scratch"]) in held[0]["text"]

    free["bytes"] = 10**12  # space is freed
    wait_for(finished(recorder, 2), timeout=120)
    assert set(Process.objects.values_list("status", flat=True)) == {"done"}
    resumed = [e["payload"]["text"] for e in recorder.of("alert")][1:]
    assert len(resumed) == 1 and "resumed" in resumed[0]
