"""``qlf bench sim``: generation time of a simulated exposure against the 60 s budget.

Writes one full science exposure (by default ``desi``, 30 cameras) into a temporary
directory and reports the wall time, the CPU seconds of each camera (render + compress,
measured in its worker) and whether the budget holds.
"""

from __future__ import annotations

import os
import statistics
import tempfile
import time
from pathlib import Path

from qlf.quicklook.mapping import FLAVORS
from qlf.sim.calibration import ensure_calibration
from qlf.sim.exposure import default_workers, simulate_exposure
from qlf.sim.profiles import PROFILES, get_profile, select_cameras

__all__ = ["BUDGET_S", "add_arguments", "run"]

#: Wall-clock budget of one full desi 30-camera exposure on 2 cores, seconds.
BUDGET_S = 60.0


def add_arguments(parser) -> None:
    parser.add_argument("--profile", choices=sorted(PROFILES), default="desi")
    parser.add_argument("--flavor", choices=FLAVORS, default="science")
    parser.add_argument("--cameras", help="subset, e.g. b0,r0,z0 (default: all 30)")
    parser.add_argument(
        "--workers", type=int, help="render processes (default: min(2, cores) for desi)"
    )
    parser.add_argument("--keep", type=Path, help="write here instead of a temporary directory")
    parser.add_argument("--strict", action="store_true", help="exit 1 when over budget")


def run(args) -> int:
    profile = get_profile(args.profile)
    cameras = select_cameras(profile, cameras=args.cameras)
    workers = args.workers or default_workers(profile, cameras)
    with tempfile.TemporaryDirectory(prefix="qlf-bench-sim-") as tmp:
        out = args.keep or Path(tmp)
        calib = Path(tmp) / "calib"
        # Calibration is static and written once per instrument: not part of the budget.
        ensure_calibration(calib, profile, cameras)
        load_before = os.getloadavg()[0]
        start = time.perf_counter()
        cpu0 = time.process_time()
        result = simulate_exposure(
            out, expid=1, night=20260102, flavor=args.flavor, profile=profile,
            cameras=cameras, calib=calib, workers=workers, progress=False,
        )  # fmt: skip
        wall = time.perf_counter() - start
        main_cpu = time.process_time() - cpu0
        size = result.raw.stat().st_size
    per_camera = result.camera_seconds
    ncam = len(per_camera)
    # What the wall time would be with the cores to ourselves: the work is CPU-bound.
    idle_estimate = sum(per_camera.values()) / workers + main_cpu
    budget = BUDGET_S * ncam / 30.0 if profile.name == "desi" else None
    print(f"qlf bench sim: profile {profile.name}, {args.flavor}, {ncam} cameras, "
          f"{workers} worker(s)")  # fmt: skip
    print(f"  exposure wall time      {wall:8.2f} s   (pool start, fibermap, render, write)")
    print(f"  main process CPU        {main_cpu:8.2f} s")
    print(f"  camera render+compress  {sum(per_camera.values()):8.2f} s total, "
          f"median {statistics.median(per_camera.values()):.2f} s, "
          f"max {max(per_camera.values()):.2f} s")  # fmt: skip
    for camera, seconds in per_camera.items():
        print(f"    {camera}  {seconds:6.2f} s")
    print(f"  raw file                {size / 1e6:8.1f} MB")
    print(f"  CPU-bound estimate      {idle_estimate:8.2f} s   (Σ camera CPU / workers + main CPU)")
    print(f"  load average            {load_before:8.2f} before, {os.getloadavg()[0]:.2f} after "
          f"({os.cpu_count()} cores; other jobs slow the wall time)")  # fmt: skip
    if budget is None:
        print("  budget                  (only defined for the desi profile)")
        return 0
    ok = wall <= budget
    verdict = "PASS" if ok else "FAIL"
    print(f"  {verdict}: simulated exposure {wall:.2f} s (budget {budget:.0f} s wall)")
    return 0 if ok or not args.strict else 1
