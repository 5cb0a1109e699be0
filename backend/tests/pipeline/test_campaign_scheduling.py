"""Campaign jobs never go ahead of live ones; pause holds a campaign, cancel stops it.

The scheduler runs on :class:`InlineExecutor`: two "workers" whose jobs (the real camera job on
tiny raw files) run in the test's thread, one per poll, so the order in which jobs were handed
to workers is exact. The local pool's own priority is tested on real worker processes below.
"""

from __future__ import annotations

import time
from collections import deque

from qlf.dashboard.models import Process
from qlf.pipeline.campaigns import JOB_PREFIX
from qlf.pipeline.executors.job import execute_job
from qlf.pipeline.executors.local import LocalExecutor
from tests.pipeline.rawfiles import write_raw

NIGHT = 20261122


class InlineExecutor:
    def __init__(self, size: int = 2):
        self.size = size
        self.live: deque = deque()
        self.low: deque = deque()
        self.running: list = []
        self.dispatched: list[str] = []
        self.unasked: list[str] = []  # campaign jobs handed in with no spare worker
        self.on_dispatch = None

    def start(self):
        pass

    def shutdown(self):
        self.live.clear()
        self.low.clear()

    def spare(self) -> int:
        return max(0, self.size - len(self.running) - len(self.live) - len(self.low))

    def submit(self, job_id, spec, *, low_priority=False):
        if low_priority and self.spare() == 0:  # no idle worker, or a live job waits
            self.unasked.append(job_id)
        (self.low if low_priority else self.live).append((job_id, spec))
        self._dispatch()

    def cancel_pending(self, job_ids=None):
        cancelled = []
        for pending in (self.live, self.low):
            cancelled += [j for j, _ in pending if job_ids is None or j in job_ids]
            kept = [(j, s) for j, s in pending if job_ids is not None and j not in job_ids]
            pending.clear()
            pending.extend(kept)
        return cancelled

    def poll(self, timeout):
        if not self.running:
            time.sleep(min(timeout, 0.01))
            return []
        job_id, spec = self.running.pop(0)
        messages = [{"kind": "started", "job": job_id}]
        result = execute_job(spec, lambda event: None)
        messages.append({"kind": "result", "job": job_id, "result": result})
        self._dispatch()
        return messages

    def _dispatch(self):
        while len(self.running) < self.size and (self.live or self.low):
            item = (self.live or self.low).popleft()
            self.running.append(item)
            self.dispatched.append(item[0])
            if self.on_dispatch:
                self.on_dispatch(item[0])

    def campaign_jobs(self) -> list[str]:
        return [j for j in self.dispatched if j.startswith(JOB_PREFIX)]


def _night(dirs, make_daemon, expids=(1, 2, 3)):
    for expid in expids:
        write_raw(dirs["data"], expid=expid, mtime=time.time() - 60)
    executor = InlineExecutor()
    daemon, recorder = make_daemon(executor=executor)
    daemon.run(until=lambda: len(recorder.of("process.finished")) == len(expids), timeout=60)
    return daemon, recorder, executor


def _campaign_state(recorder, state):
    return lambda: any(e["payload"]["state"] == state for e in recorder.of("campaign.progress"))


def _run_for(daemon, seconds):
    deadline = time.monotonic() + seconds
    daemon.run(until=lambda: time.monotonic() > deadline, timeout=seconds + 30)


def test_live_jobs_overtake_campaign_jobs(dirs, make_daemon):
    daemon, recorder, executor = _night(dirs, make_daemon)
    arrived = []

    def live_arrives(job_id):  # an exposure is read out while the campaign runs
        if job_id.startswith(JOB_PREFIX) and len(executor.campaign_jobs()) == 2 and not arrived:
            arrived.append(write_raw(dirs["data"], expid=4, mtime=time.time() - 60))

    executor.on_dispatch = live_arrives
    cid = daemon.campaign_start({"night": NIGHT})["id"]
    daemon.run(
        until=lambda: (
            _campaign_state(recorder, "done")() and len(recorder.of("process.finished")) == 4
        ),
        timeout=60,
    )
    live = Process.objects.get(exposure_id=4, campaign=None).pk
    order = executor.dispatched
    live_jobs = [i for i, j in enumerate(order) if j.startswith(f"{live}:")]
    assert len(live_jobs) == 3
    first_campaign_job = order.index(executor.campaign_jobs()[0])
    # the live exposure came during the campaign, and its cameras went before any campaign
    # camera handed out after it arrived
    assert first_campaign_job < live_jobs[0]
    assert live_jobs == list(range(live_jobs[0], live_jobs[0] + 3))
    assert executor.unasked == []  # only to idle workers, never while a live job waited
    assert len(executor.campaign_jobs()) == 9
    assert set(Process.objects.filter(campaign_id=cid).values_list("status", flat=True)) == {"done"}


def test_pause_holds_and_resume_finishes(dirs, make_daemon):
    daemon, recorder, executor = _night(dirs, make_daemon)
    cid = daemon.campaign_start({"night": NIGHT})["id"]
    daemon.run(until=lambda: executor.campaign_jobs(), timeout=30)
    assert daemon.campaign_act(cid, "pause", "ann")["state"] == "paused"
    handed = len(executor.campaign_jobs())
    _run_for(daemon, 1.5)
    assert len(executor.campaign_jobs()) == handed  # nothing new while paused
    assert not executor.running  # what was running finished
    campaign = Process.objects.filter(campaign_id=cid)
    assert campaign.filter(status="queued").count() >= 1
    assert recorder.of("campaign.progress")[-1]["payload"]["state"] == "paused"

    daemon.campaign_act(cid, "resume", "ann")
    daemon.run(until=_campaign_state(recorder, "done"), timeout=60)
    assert len(executor.campaign_jobs()) == 9
    assert set(campaign.values_list("status", flat=True)) == {"done"}


def test_cancel_stops_queued_jobs(dirs, make_daemon):
    daemon, recorder, executor = _night(dirs, make_daemon)
    cid = daemon.campaign_start({"night": NIGHT})["id"]
    daemon.run(until=lambda: executor.campaign_jobs(), timeout=30)
    answer = daemon.campaign_act(cid, "cancel", "ann")
    assert answer["state"] == "cancelled" and answer["remaining"] == 0
    handed = len(executor.campaign_jobs())
    _run_for(daemon, 1.5)
    assert len(executor.campaign_jobs()) == handed < 9
    statuses = list(Process.objects.filter(campaign_id=cid).values_list("status", flat=True))
    assert statuses.count("aborted") == 3 - statuses.count("done") >= 2
    # a live exposure still runs as usual
    write_raw(dirs["data"], expid=4, mtime=time.time() - 60)
    daemon.run(until=lambda: len(recorder.of("process.finished")) == 4, timeout=30)
    assert len(executor.campaign_jobs()) == handed


def test_local_pool_runs_live_jobs_before_campaign_jobs():
    pool = LocalExecutor(workers=1, job_function="tests.pipeline.jobs:pause")
    try:
        assert pool.wait_ready(60)
        assert pool.spare() == 2  # the idle worker, and one to wait for it
        pool.submit("live-1", {"camera": "b0"})
        assert pool.spare() == 1  # busy: one campaign job may wait
        pool.submit("campaign-1", {"camera": "b1"}, low_priority=True)
        assert pool.spare() == 0
        pool.submit("live-2", {"camera": "b2"})  # goes before campaign-1, which waited longer
        started, deadline = [], time.monotonic() + 30
        while len(started) < 3 and time.monotonic() < deadline:
            started += [m["job"] for m in pool.poll(0.5) if m["kind"] == "started"]
        assert started == ["live-1", "live-2", "campaign-1"]
        pool.submit("campaign-2", {"camera": "b3"}, low_priority=True)
        pool.submit("campaign-3", {"camera": "b4"}, low_priority=True)
        assert pool.cancel_pending({"campaign-3"}) == ["campaign-3"]
    finally:
        pool.shutdown()


def test_celery_sends_campaign_jobs_to_their_own_queue(config, monkeypatch):
    from dataclasses import replace

    from qlf.pipeline.executors import celery as celery_executor

    sent = []

    class Sent:
        id = "celery-id"

    def apply_async(args, queue):
        sent.append((args[0], queue))
        return Sent()

    monkeypatch.setattr(celery_executor.camera_job, "apply_async", apply_async)
    executor = celery_executor.CeleryExecutor(replace(config, executor="celery", campaign_slots=2))
    executor.submit("1:b0:1", {"camera": "b0"})
    assert executor.spare() == 2  # live jobs take no campaign slot
    executor.submit(f"{JOB_PREFIX}7:b0:2", {"camera": "b0"}, low_priority=True)
    executor.submit(f"{JOB_PREFIX}7:r0:3", {"camera": "r0"}, low_priority=True)
    assert executor.spare() == 0
    assert sent == [
        ("1:b0:1", "qlf"),
        (f"{JOB_PREFIX}7:b0:2", "qlf-campaign"),
        (f"{JOB_PREFIX}7:r0:3", "qlf-campaign"),
    ]


def test_a_restarted_daemon_finishes_the_campaign(dirs, make_daemon):
    from qlf.dashboard.models import Campaign, Job

    for expid in (1, 2, 3):
        write_raw(dirs["data"], expid=expid, mtime=time.time() - 60)
    first, recorder = make_daemon()
    first.run(until=lambda: len(recorder.of("process.finished")) == 3, timeout=60)
    cid = first.campaign_start({"night": NIGHT})["id"]
    jobs = Job.objects.filter(process__campaign_id=cid)
    first.run(until=lambda: jobs.filter(status="done").count() >= 2, timeout=60)
    first.shutdown()  # mid-campaign: running cameras are abandoned
    assert jobs.exclude(status="done").exists()

    second, recorder = make_daemon()
    second.run(until=lambda: Campaign.objects.get(pk=cid).state == "done", timeout=60)
    assert jobs.count() == 9 and set(jobs.values_list("status", flat=True)) == {"done"}
    statuses = set(Process.objects.filter(campaign_id=cid).values_list("status", flat=True))
    assert statuses == {"done"}
    assert recorder.of("campaign.progress")[-1]["payload"]["done"] == 3
