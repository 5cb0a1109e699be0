"""``qlf bench exposure``: one full exposure through the daemon, file complete -> process.finished.

The exposure is simulated into a staging folder first (not timed), the daemon is started and its
workers warmed up (a long-running daemon is always warm), then the fibermap and raw file are
renamed into the data directory (the raw file with a fresh mtime, as an instrument writes it) and
the clock starts. It stops at ``process.finished``. Budget (DESIGN.md 9): 20 s wall for the
30-camera ``desi`` science exposure on 2 cores.

The database is a fresh SQLite file in the temporary directory unless ``--database-url`` names
one (it is migrated; use a scratch database).
"""

from __future__ import annotations

import os
import tempfile
import time
from pathlib import Path

from qlf.bench.workspace import daemon_workspace, migrated_database

__all__ = ["BUDGET_S", "add_arguments", "run"]

BUDGET_S = 20.0
#: issue 20's goal for the 30-camera desi science exposure on 2 cores, file -> process.finished
GOAL_S = 8.0
INGEST_CAMERA_BUDGET_MS = 20
INGEST_EXPOSURE_S = 0.5
_NIGHT, _EXPID = 20261122, 1


def add_arguments(parser) -> None:
    parser.add_argument("--profile", default="desi", help="sim profile (desi, mini)")
    parser.add_argument("--flavor", default="science")
    parser.add_argument("--cameras", help="subset, e.g. b0,r0,z0 (default: all 30)")
    parser.add_argument("--workers", type=int, help="pool size (default QLF_WORKERS or cores)")
    parser.add_argument("--database-url", help="a scratch database (default: temporary SQLite)")
    parser.add_argument("--keep", type=Path, help="work here instead of a temporary directory")
    parser.add_argument("--strict", action="store_true", help="exit 1 when over budget")


def run(args) -> int:
    with tempfile.TemporaryDirectory(prefix="qlf-bench-exposure-") as tmp:
        root = Path(args.keep or tmp)
        root.mkdir(parents=True, exist_ok=True)
        return _bench(args, root)


def _bench(args, root: Path) -> int:
    dirs = daemon_workspace(root, profile=args.profile, database_url=args.database_url)

    print(f"simulating a {args.profile} {args.flavor} exposure (not timed) ...", flush=True)
    t = time.perf_counter()
    staged = _simulate(args, dirs)
    print(f"  {time.perf_counter() - t:.1f} s, {staged.stat().st_size / 1e6:.0f} MB")

    migrated_database()

    from qlf.config import read_config
    from qlf.dashboard.events import EventPublisher
    from qlf.pipeline import ingest
    from qlf.pipeline.daemon import PipelineDaemon

    overrides = {"workers": args.workers} if args.workers else {}
    config = read_config(executor="local", **overrides)
    publisher = EventPublisher(channel_layer=None)
    times: dict[str, float] = {}
    ingests: list[float] = []
    ingest_cpu: list[float] = []

    def listen(message):
        times.setdefault(message["type"], time.perf_counter())
        if message["type"] == "process.finished":
            times["finished"] = time.perf_counter()

    publisher.listeners.append(listen)
    timed_ingest = ingest.job_ingest

    def job_ingest(process_id, qa_path):
        t0, cpu0 = time.perf_counter(), time.process_time()
        try:
            return timed_ingest(process_id, qa_path)
        finally:
            ingests.append(time.perf_counter() - t0)
            ingest_cpu.append(time.process_time() - cpu0)

    ingest.job_ingest = job_ingest
    daemon = PipelineDaemon(config, publisher=publisher)
    job_cpu: list[float] = []
    handle = daemon.scheduler._handle

    worker_times: list[tuple[str, str, float]] = []  # (pid, kind, worker's wall time)
    pids: dict[str, str] = {}

    def handle_and_count(message):  # the workers' CPU per camera, reading included
        kind = message.get("kind")
        if kind == "started":
            pids[message["job"]] = str(message.get("pid"))
        if kind in ("started", "result") and message.get("at"):
            worker_times.append((pids.get(message["job"], "?"), kind, message["at"]))
        if kind == "result":
            job_cpu.append(message["result"].get("cpu_s") or 0.0)
            times["last_result"] = time.perf_counter()
        handle(message)

    daemon.scheduler._handle = handle_and_count
    try:
        print(f"warming up {config.workers} workers ...", flush=True)
        daemon.scheduler.start()
        daemon.scheduler.executor.wait_ready()
        daemon.run(until=lambda: daemon.scheduler.state == "idle", timeout=30)
        # The file lands half a poll after the last scan: the mean case of a real night.
        idle = time.perf_counter()
        daemon.run(until=lambda: time.perf_counter() > idle + config.poll_s / 2, timeout=30)

        load = os.getloadavg()[0]
        raw = _publish_exposure(staged, dirs)  # the file is complete: the clock starts
        t0 = time.perf_counter()
        cpu0 = time.process_time()
        daemon.run(until=lambda: "finished" in times, timeout=600)
        wall = times["finished"] - t0
        daemon_cpu = time.process_time() - cpu0
    finally:
        ingest.job_ingest = timed_ingest
        daemon.shutdown()
    load = max(load, os.getloadavg()[0])
    over = _report(
        args, config, raw, times, t0, wall, daemon_cpu, (ingests, ingest_cpu, job_cpu), load,
        daemon.scheduler.last, _worker_waits(worker_times),
    )  # fmt: skip
    return 1 if args.strict and over else 0


def _simulate(args, dirs) -> Path:
    from qlf.sim.exposure import simulate_exposure
    from qlf.sim.profiles import get_profile, select_cameras

    profile = get_profile(args.profile)
    cameras = select_cameras(profile, cameras=args.cameras)
    result = simulate_exposure(
        dirs["stage"], expid=_EXPID, night=_NIGHT, flavor=args.flavor, profile=profile,
        cameras=cameras, calib=dirs["calib"], workers=min(2, os.cpu_count() or 1),
        progress=False,
    )  # fmt: skip
    return result.raw


def _publish_exposure(staged: Path, dirs) -> Path:
    """Move the fibermap, then the raw file (fresh mtime) into the data directory."""
    target = dirs["data"] / str(_NIGHT) / f"{_EXPID:08d}"
    target.mkdir(parents=True, exist_ok=True)
    for path in sorted(staged.parent.iterdir()):
        if path != staged:
            os.replace(path, target / path.name)
    os.utime(staged)
    raw = target / staged.name
    os.replace(staged, raw)
    return raw


def _worker_waits(worker_times: list[tuple[str, str, float]]) -> list[float]:
    """Each worker's wait between reporting a camera and starting its next one (seconds, by
    the worker's clock): the time the daemon's handling kept a worker without work."""
    waits, last_result = [], {}
    for pid, kind, at in sorted(worker_times, key=lambda t: t[2]):
        if kind == "result":
            last_result[pid] = at
        elif pid in last_result:
            waits.append(at - last_result.pop(pid))
    return waits


def _report(args, config, raw, times, t0, wall, daemon_cpu, costs, load, last, waits) -> bool:
    """Print the report; True when a budget is exceeded. ``costs``: the ingestions' wall and
    CPU seconds, the camera jobs' CPU seconds; ``waits``: the workers' waits between jobs."""
    ingests, ingest_cpu, job_cpu = costs
    import json

    from django.db import connection

    from qlf.dashboard.models import Job

    jobs = list(Job.objects.filter(process__exposure_id=_EXPID))
    durations = [j.duration_s or 0.0 for j in jobs]
    cpu = []
    for job in jobs:
        tasks = (job.qa or {}).get("TASKS", {})
        cpu.append(sum(t.get("CPU_S") or 0.0 for t in tasks.values()))

    def at(kind):
        return f"{times[kind] - t0:6.2f} s" if kind in times else "     - "

    statuses = sorted({j.status for j in jobs})
    print(f"\nqlf bench exposure: {args.profile} {args.flavor}, {len(jobs)} cameras, "
          f"{config.workers} local workers, {raw.stat().st_size / 1e6:.0f} MB")  # fmt: skip
    print(f"  exposure.discovered   {at('exposure.discovered')}")
    print(f"  process.started       {at('process.started')}")
    print(f"  first job.step        {at('job.step')}")
    print(f"  first qa.ingested     {at('qa.ingested')}")
    print(f"  process.finished      {wall:6.2f} s")
    print(f"  readout to last QA    {last.get('readout_to_qa_s') or 0:6.2f} s")
    print(f"  camera wall, sum      {sum(durations):6.2f} s  (mean {_mean(durations):.2f} s)")
    print(f"  camera CPU, sum       {sum(job_cpu):6.2f} s  (mean {_mean(job_cpu):.2f} s a camera, "
          f"steps {_mean(cpu):.2f} s)")  # fmt: skip
    print(f"  ideal: sum / workers  {sum(durations) / config.workers:6.2f} s")
    overhead = wall - sum(durations) / config.workers
    print(f"  orchestration         {overhead:6.2f} s  (wall - ideal: discovery, queueing, ingest)")
    print(f"  daemon CPU            {daemon_cpu:6.2f} s  (discovery, DB writes, events)")
    tail = times["finished"] - times.get("last_result", times["finished"])
    print(f"  workers waiting       {sum(waits):6.2f} s  ({len(waits)} gaps between jobs, max "
          f"{1000 * max(waits, default=0):.0f} ms)")  # fmt: skip
    print(f"  last result -> end    {tail:6.2f} s  (the last camera's ingestion, process.finished)")
    print(
        f"  QA ingestion          {sum(ingests):6.2f} s  ({len(ingests)} cameras, "
        f"mean {1000 * _mean(ingests):.1f} ms, max {1000 * max(ingests, default=0):.1f} ms; "
        f"daemon CPU {1000 * _mean(ingest_cpu):.1f} ms a camera)"
    )
    # what the same work takes when nothing else runs: the cameras' and the daemon's CPU shared
    # by the workers, after the discovery (an estimate, not the measurement the verdict uses)
    started = times.get("process.started", t0) - t0
    idle = started + (sum(job_cpu) + daemon_cpu) / config.workers
    print(f"  idle-machine estimate {idle:6.2f} s  (process.started + (camera CPU + daemon CPU) "
          f"/ {config.workers} workers)")  # fmt: skip
    print(f"  jobs                  {', '.join(statuses)}; QA {last.get('qa_status') or '-'}")
    failed = [f"{j.camera}: {j.error}" for j in jobs if j.status == "failed"][:3]
    for line in failed:
        print(f"    failed {line}")
    mean_ingest_ms = 1000 * _mean(ingests)
    verdicts = [
        (f"exposure, file complete -> process.finished {wall:.2f} s", wall <= BUDGET_S,
         f"{BUDGET_S:.0f} s wall"),
        (f"QA ingestion {mean_ingest_ms:.1f} ms a camera (mean, {connection.vendor})",
         mean_ingest_ms <= INGEST_CAMERA_BUDGET_MS, f"{INGEST_CAMERA_BUDGET_MS} ms"),
        (f"QA ingestion {sum(ingests):.2f} s for the exposure", sum(ingests) <= INGEST_EXPOSURE_S,
         f"{INGEST_EXPOSURE_S} s"),
    ]  # fmt: skip
    print(f"  load average {load:.2f} on {os.cpu_count()} cores")
    for text, ok, budget in verdicts:
        print(f"  {'PASS' if ok else 'FAIL'}: {text} (budget {budget})")
    # the goal on this machine's load: the measured wall, else (loaded) the idle estimate
    goal = {"wall": wall <= GOAL_S, "idle_estimate": idle <= GOAL_S}
    print(f"  {'PASS' if goal['wall'] else 'FAIL'}: goal {GOAL_S:.0f} s (issue 20), measured "
          f"{wall:.2f} s; {'PASS' if goal['idle_estimate'] else 'FAIL'} on the idle-machine "
          f"estimate {idle:.2f} s")  # fmt: skip
    summary = {
        "wall_s": round(wall, 3),
        "budget_s": BUDGET_S,
        "cameras": len(jobs),
        "daemon_cpu_s": round(daemon_cpu, 3),
        "camera_cpu_s": round(sum(job_cpu), 3),
        "orchestration_s": round(overhead, 3),
        "workers_waiting_s": round(sum(waits), 3),
        "last_result_to_finished_s": round(tail, 3),
        "camera_cpu_mean_s": round(_mean(job_cpu), 3),
        "ingest_mean_ms": round(mean_ingest_ms, 1),
        "idle_estimate_s": round(idle, 3),
        "ingest_cpu_mean_ms": round(1000 * _mean(ingest_cpu), 1),
        "load_average": round(load, 2),
        "verdict": "PASS" if all(ok for _, ok, _ in verdicts) else "FAIL",
        "goal_s": GOAL_S,
        "goal_wall": "PASS" if goal["wall"] else "FAIL",
        "goal_idle_estimate": "PASS" if goal["idle_estimate"] else "FAIL",
    }
    print(json.dumps(summary))
    return summary["verdict"] == "FAIL"


def _mean(values) -> float:
    return sum(values) / len(values) if values else 0.0
