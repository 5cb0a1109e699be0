"""``qlf bench campaign``: exposures per hour of a campaign on the local pool, live data first.

``--exposures N`` exposures are simulated and registered (not timed, not processed live), the
daemon is started and its workers warmed up, then a campaign over the night starts the clock,
which stops when the campaign is done. Throughput = N / wall, in exposures per hour.

**Goal**: at least 90 % of what the pool can do, ``workers × 3600 / (camera CPU s × cameras per
exposure)`` exposures per hour, with the camera CPU measured in the same run (each worker reports
its CPU per camera): the campaign keeps the workers busy and the daemon's share (scheduling,
ingestion, events) stays small. That needs the cores to ourselves: on a shared machine the
workers get less CPU than their wall time. So a second verdict, independent of the load, says
whether the scheduling is at fault: the **occupancy**, the wall time of the cameras run meanwhile
(the campaign's and the live exposures': each from its start to its end in the worker) over
``workers × campaign wall``, must be ≥ 90 %.

``--live K``: K more exposures arrive as live data while the campaign runs (renamed into the data
directory with a fresh mtime, as the instrument writes them, evenly over the campaign's expected
length). Each must reach ``process.finished`` within its readout-to-QA budget (20 s for 30
cameras on 2 cores, scaled by its cameras, docs/operations.md): live data is never delayed by
more than the campaign cameras already running: its **wait**, from ``process.started`` (its
cameras handed to the pool) to the first step of its first camera, must not exceed the longest
campaign camera.

The database is a fresh SQLite file in the temporary directory unless ``--database-url`` names
one (it is migrated; use a scratch database).
"""

from __future__ import annotations

import json
import os
import tempfile
import time
from pathlib import Path

from qlf.bench.workspace import daemon_workspace, migrated_database

__all__ = ["GOAL", "add_arguments", "run"]

GOAL = 0.9  # of the pool's capacity
_NIGHT = 20261122


def add_arguments(parser) -> None:
    parser.add_argument("--profile", default="mini", help="sim profile (mini, desi)")
    parser.add_argument("--exposures", type=int, default=12, help="exposures in the campaign")
    parser.add_argument("--live", type=int, default=0, help="live exposures arriving meanwhile")
    parser.add_argument("--flavor", default="science")
    parser.add_argument("--cameras", help="subset, e.g. b0,r0,z0 (default: all of the profile)")
    parser.add_argument("--workers", type=int, help="pool size (default QLF_WORKERS or cores)")
    parser.add_argument("--database-url", help="a scratch database (default: temporary SQLite)")
    parser.add_argument("--keep", type=Path, help="work here instead of a temporary directory")
    parser.add_argument("--strict", action="store_true", help="exit 1 when the goal is missed")


def run(args) -> int:
    with tempfile.TemporaryDirectory(prefix="qlf-bench-campaign-") as tmp:
        root = Path(args.keep or tmp)
        root.mkdir(parents=True, exist_ok=True)
        return _bench(args, root)


def _bench(args, root: Path) -> int:
    dirs = daemon_workspace(root, profile=args.profile, database_url=args.database_url)

    total = args.exposures + args.live
    print(f"simulating {total} {args.profile} {args.flavor} exposures (not timed) ...", flush=True)
    t = time.perf_counter()
    raws = [_simulate(args, dirs, expid) for expid in range(1, total + 1)]
    print(f"  {time.perf_counter() - t:.1f} s")

    migrated_database()
    for raw in raws[: args.exposures]:
        _register(raw, dirs)
    live = raws[args.exposures :]

    from qlf.config import read_config
    from qlf.dashboard.events import EventPublisher
    from qlf.pipeline.daemon import PipelineDaemon

    config = read_config(executor="local", **({"workers": args.workers} if args.workers else {}))
    publisher = EventPublisher(channel_layer=None)
    progress: list[dict] = []
    latencies: dict[int, tuple[float, int]] = {}  # live expid -> readout to QA, cameras
    seen: dict[str, dict] = {"started": {}, "process": {}, "first_step": {}}
    daemon = PipelineDaemon(config, publisher=publisher)

    def listen(message):
        if message["type"] == "campaign.progress":
            progress.append(message["payload"])
        elif message["type"] == "process.started":
            seen["process"][message["payload"]["process_id"]] = message["payload"]["expid"]
            seen["started"][message["payload"]["expid"]] = time.perf_counter()
        elif message["type"] == "job.step" and message["payload"]["state"] == "started":
            expid = seen["process"].get(message["payload"]["process_id"])
            seen["first_step"].setdefault(expid, time.perf_counter())
        elif message["type"] == "process.finished":
            last = daemon.scheduler.last
            cameras = len(daemon.scheduler.current.jobs) if daemon.scheduler.current else 0
            latencies[last["expid"]] = (last.get("readout_to_qa_s") or 0.0, cameras)

    publisher.listeners.append(listen)
    camera_cpu: list[float] = []
    runner = daemon.scheduler.campaigns
    handle = runner._handle

    def handle_and_count(message):  # the workers' CPU per camera, reading included
        if message.get("kind") == "result":
            camera_cpu.append(message["result"].get("cpu_s") or 0.0)
        handle(message)

    runner._handle = handle_and_count
    try:
        print(f"warming up {config.workers} workers ...", flush=True)
        daemon.scheduler.start()
        daemon.scheduler.executor.wait_ready()
        daemon.run(until=lambda: daemon.scheduler.state == "idle", timeout=30)
        load = os.getloadavg()[0]
        t0, cpu0 = time.perf_counter(), time.process_time()
        answer = daemon.campaign_start({"night": _NIGHT}, "", "bench", "bench")
        cameras = _cameras_of(answer["id"])
        expected = _expected_s(args, config, cameras)
        arrivals = [t0 + expected * (i + 1) / (len(live) + 1) for i in range(len(live))]

        def done() -> bool:
            while arrivals and time.perf_counter() >= arrivals[0]:
                arrivals.pop(0)
                _publish(live[len(live) - len(arrivals) - 1], dirs)
            finished = any(p["state"] == "done" for p in progress)
            return finished and len(latencies) >= len(live)

        daemon.run(until=done, timeout=max(600.0, 20 * expected))
        wall = time.perf_counter() - t0
        daemon_cpu = time.process_time() - cpu0  # this process: the daemon's loop, not workers
    finally:
        daemon.shutdown()
    load = max(load, os.getloadavg()[0])
    costs = (camera_cpu, daemon_cpu)
    waits = {e: seen["first_step"][e] - t for e, t in seen["started"].items()
             if e in seen["first_step"]}  # fmt: skip
    live_runs = (latencies, waits)
    return _report(args, config, wall, costs, cameras, progress[-1], live_runs, load)


def _simulate(args, dirs, expid: int) -> Path:
    """One exposure, written to the staging folder (moved into the data directory later)."""
    from qlf.sim.exposure import simulate_exposure
    from qlf.sim.profiles import get_profile, select_cameras

    profile = get_profile(args.profile)
    result = simulate_exposure(
        dirs["stage"], expid=expid, night=_NIGHT, flavor=args.flavor, profile=profile,
        cameras=select_cameras(profile, cameras=args.cameras), calib=dirs["calib"], seed=expid,
        workers=min(2, os.cpu_count() or 1), progress=False,
    )  # fmt: skip
    return result.raw


def _publish(staged: Path, dirs) -> Path:
    """Move an exposure's files into the data directory, the raw file last with a fresh mtime."""
    target = dirs["data"] / staged.parent.relative_to(dirs["stage"])
    target.mkdir(parents=True, exist_ok=True)
    for path in sorted(staged.parent.iterdir()):
        if path != staged:
            os.replace(path, target / path.name)
    os.utime(staged)
    os.replace(staged, target / staged.name)
    return target / staged.name


def _register(staged: Path, dirs) -> None:
    """A stored exposure: in the data directory and registered, never processed live."""
    from qlf.dashboard.services.exposures import exposure_fields_from_header, exposure_register
    from qlf.pipeline.discovery import raw_summary

    raw = _publish(staged, dirs)
    fields = exposure_fields_from_header(raw_summary(raw)[0])
    fields.update(expid=int(fields["expid"]), night=int(fields["night"]))
    exposure_register(**fields)


def _cameras_of(campaign_id: int) -> int:
    from qlf.dashboard.models import Job

    jobs = Job.objects.filter(process__campaign_id=campaign_id)
    return round(jobs.count() / max(1, jobs.values("process_id").distinct().count()))


def _expected_s(args, config, cameras: int) -> float:
    """A first guess of the campaign's length (to spread the live arrivals over it)."""
    per_camera = {"desi": 0.8, "mini": 0.05}.get(args.profile, 0.5)
    return max(5.0, args.exposures * cameras * per_camera / config.workers)


def _report(args, config, wall, costs, cameras, last, live_runs, load) -> int:
    """Print the report and the verdicts. ``costs``: the CPU seconds of each camera job and
    of the daemon (scheduling, ingestion, events) over the campaign; ``live_runs``: each live
    exposure's readout to QA (and cameras), and its wait for a worker."""
    from django.db import connection

    from qlf.dashboard.models import Job
    from qlf.dashboard.selectors.latency import latency_budget_s

    latencies, waits = live_runs
    jobs = Job.objects.filter(duration_s__isnull=False)  # nothing ran before the campaign
    walls = list(jobs.values_list("duration_s", flat=True))
    occupancy = sum(walls) / (config.workers * wall) if wall > 0 else 0.0
    held = jobs.filter(process__held=True).values_list("duration_s", flat=True)
    longest = max(held, default=0.0)

    camera_cpu, daemon_cpu = costs
    exposures = last["done"] + last["failed"]
    rate = exposures * 3600 / wall if wall > 0 else 0.0
    mean_cpu = sum(camera_cpu) / len(camera_cpu) if camera_cpu else 0.0
    capacity = config.workers * 3600 / (mean_cpu * cameras) if mean_cpu and cameras else 0.0
    share = rate / capacity if capacity else 0.0
    print(f"\nqlf bench campaign: {args.profile} {args.flavor}, {exposures} exposures of "
          f"{cameras} cameras, {config.workers} local workers, {connection.vendor}")  # fmt: skip
    print(f"  campaign wall           {wall:8.2f} s  ({last['failed']} failed)")
    print(f"  camera CPU              {mean_cpu:8.3f} s a camera (mean of {len(camera_cpu)})")
    print(f"  throughput              {rate:8.0f} exposures/h  ({rate * cameras:.0f} cameras/h)")
    print(f"  pool capacity           {capacity:8.0f} exposures/h  "
          f"({config.workers} workers x 3600 / camera CPU / cameras)")  # fmt: skip
    daemon_ms = 1000 * daemon_cpu / max(1, len(camera_cpu))
    machine = config.workers * 3600 / (cameras * (mean_cpu + daemon_ms / 1000)) if cameras else 0.0
    print(f"  daemon CPU              {daemon_cpu:8.2f} s  ({daemon_ms:.1f} ms a camera: "
          f"scheduling, ingestion, events; it shares the cores)")  # fmt: skip
    print(
        f"  machine capacity        {machine:8.0f} exposures/h  "
        f"(camera + daemon CPU; throughput {100 * rate / machine if machine else 0:.0f} % of it)"
    )
    campaign_wall = sum(held)
    obtained = sum(camera_cpu) / campaign_wall if campaign_wall else 0.0
    print(
        f"  CPU obtained            {100 * obtained:8.0f} %  of the campaign cameras' wall time "
        f"(a quiet machine: ~100 %; throughput / this = {100 * share / (obtained or 1):.0f} %)"
    )
    print(f"  worker occupancy        {100 * occupancy:8.0f} %  (cameras' wall {sum(walls):.1f} s"
          f" / {config.workers} workers / campaign wall; longest campaign camera "
          f"{longest:.2f} s)")  # fmt: skip
    verdicts = [
        (f"throughput {100 * share:.0f} % of the pool's capacity", share >= GOAL,
         f">= {100 * GOAL:.0f} %"),
        (f"workers busy {100 * occupancy:.0f} % of the campaign", occupancy >= GOAL,
         f">= {100 * GOAL:.0f} %"),
    ]  # fmt: skip
    for expid, (seconds, n) in sorted(latencies.items()):
        budget = latency_budget_s(n or cameras)
        print(f"  live exposure {expid:<4}      {seconds:8.2f} s readout to QA (budget "
              f"{budget:.0f} s)")  # fmt: skip
        verdicts.append((f"live exposure {expid} readout to QA {seconds:.2f} s", seconds <= budget,
                         f"{budget:.0f} s"))  # fmt: skip
        if expid in waits:
            print(f"  live exposure {expid:<4} wait {waits[expid]:8.2f} s for its first camera")
            verdicts.append((f"live exposure {expid} waited {waits[expid]:.2f} s for a worker",
                             waits[expid] <= longest, f"<= longest campaign camera "
                             f"{longest:.2f} s"))  # fmt: skip
    print(f"  load average {load:.2f} on {os.cpu_count()} cores")
    for text, ok, goal in verdicts:
        print(f"  {'PASS' if ok else 'FAIL'}: {text} (goal {goal})")
    summary = {
        "profile": args.profile,
        "exposures": exposures,
        "cameras": cameras,
        "workers": config.workers,
        "wall_s": round(wall, 3),
        "exposures_per_hour": round(rate, 1),
        "capacity_per_hour": round(capacity, 1),
        "share": round(share, 3),
        "camera_cpu_mean_s": round(mean_cpu, 4),
        "daemon_cpu_ms_per_camera": round(daemon_ms, 1),
        "machine_capacity_per_hour": round(machine, 1),
        "occupancy": round(occupancy, 3),
        "longest_camera_s": round(longest, 3),
        "live_readout_to_qa_s": {str(k): round(v[0], 3) for k, v in sorted(latencies.items())},
        "live_wait_s": {str(k): round(v, 3) for k, v in sorted(waits.items())},
        "load_average": round(load, 2),
        "verdict": "PASS" if all(ok for _, ok, _ in verdicts) else "FAIL",
    }
    print(json.dumps(summary))
    return 1 if args.strict and summary["verdict"] == "FAIL" else 0
