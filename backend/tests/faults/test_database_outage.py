"""The database unreachable for a while during ingestion (the daemon as its own process,
behind a TCP proxy that is cut): the workers' QA stays on disk, is ingested once the database
is back; nothing lost, nothing duplicated, the night goes on."""

from __future__ import annotations

import time
from collections import Counter

from qlf.bench.tcp_proxy import TcpProxy
from qlf.dashboard.models import Event, Job, Metric, Process
from tests.faults.conftest import NIGHT, arrive, daemon_log, wait_for

SCIENCE = ("CHECK_CCDs", "CHECK_FIBERS", "CHECK_SPECTRA")
STATES = ("started", "finished")
OUTAGE_S = 8.0  # (30 s at the observatory; the daemon retries writes for 60 s)


def _events(type: str, **match) -> list[dict]:
    return [
        e.payload
        for e in Event.objects.filter(type=type).order_by("seq")
        if all(e.payload.get(k) == v for k, v in match.items())
    ]


def _closed(expid: int):
    """True once the process of ``expid`` is closed and its end journaled (the last write)."""
    return lambda: bool(_events("process.finished", expid=expid))


def test_database_outage_during_ingestion(dirs, spawn_daemon):
    from django.db import connection

    proxy = TcpProxy((connection.settings_dict["HOST"] or "127.0.0.1",
                      int(connection.settings_dict["PORT"] or 5432))).start()  # fmt: skip
    try:
        spawn_daemon("tests.faults.jobs:slow_steps", db_port=proxy.port)
        arrive(dirs, 1, flavor="science")
        wait_for(lambda: _events("job.step", state="started"), timeout=120)
        proxy.stop()  # the database disappears while the cameras run
        cut = time.monotonic()
        folder = dirs["scratch"] / str(NIGHT) / "00000001"
        wait_for(lambda: len(list(folder.glob("ql-*.json"))) == 2, timeout=120)  # QA on disk
        time.sleep(max(0.0, OUTAGE_S - (time.monotonic() - cut)))  # the outage lasts
        assert not Metric.objects.exists()  # nothing could be ingested meanwhile
        proxy.start()
        wait_for(_closed(1), timeout=180)
        arrive(dirs, 2, flavor="science")
        wait_for(_closed(2), timeout=120)
    finally:
        proxy.stop()

    assert "database unavailable" in daemon_log(dirs)  # the outage was real
    for expid in (1, 2):
        process = Process.objects.get(exposure_id=expid)
        assert process.status == "done", (expid, process.status)
        assert {j.camera: j.status for j in process.jobs.all()} == {"b0": "done", "r0": "done"}
        ingested = Counter(e["camera"] for e in _events("qa.ingested", process_id=process.pk))
        assert ingested == {"b0": 1, "r0": 1}  # each camera's QA once
        assert len(_events("process.finished", process_id=process.pk)) == 1
        for camera in ("b0", "r0"):  # every step report of the outage reached the journal
            steps = [(e["step"], e["state"]) for e in _events("job.step", camera=camera,
                     process_id=process.pk)]  # fmt: skip
            assert steps == [(step, state) for step in SCIENCE for state in STATES], steps
    rows = list(Metric.objects.values_list("expid", "camera", "key", "index"))
    assert rows and len(rows) == len(set(rows))
    assert Job.objects.count() == 4 and Process.objects.count() == 2
    seqs = list(Event.objects.order_by("seq").values_list("seq", flat=True))
    assert len(seqs) == len(set(seqs))
