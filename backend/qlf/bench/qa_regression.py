"""QA values before and after a performance change: record them, compare them to rounding.

A speed-up must not change any QA value beyond rounding. This records the QA JSON of a fixed
set of simulated desi cameras (science, arc, flat) and compares two recordings value by value::

    python -m qlf.bench.qa_regression record /tmp/qa-data before.json
    ... change the code ...
    python -m qlf.bench.qa_regression record /tmp/qa-data after.json
    python -m qlf.bench.qa_regression compare before.json after.json

The data directory is simulated on first use and reused afterwards (same inputs both times).
Timings and provenance (DURATION_S, CPU_S, STARTED, FINISHED, versions) are not compared.
"""

from __future__ import annotations

import argparse
import json
import math
import sys
import tempfile
from pathlib import Path

__all__ = ["CASES", "compare", "record"]

#: (expid, flavor, cameras): one exposure per flavor, cameras of each arm
CASES = ((1, "science", ("b0", "r0", "z0")), (2, "arc", ("b1", "r1")), (3, "flat", ("z1",)))
_NIGHT = 20261122
_VOLATILE = {"DURATION_S", "CPU_S", "STARTED", "FINISHED", "PIPELINE_VERSION"}


def record(data: Path, out: Path) -> dict:
    """Run every case's cameras (simulating them into ``data`` when absent); write the QA."""
    from qlf.quicklook.runner import CameraTask, run_camera
    from qlf.sim.exposure import raw_path, simulate_exposure

    documents = {}
    with tempfile.TemporaryDirectory(prefix="qlf-qa-regression-") as scratch:
        for expid, flavor, cameras in CASES:
            raw = raw_path(data, _NIGHT, expid)
            if not raw.exists():
                simulate_exposure(
                    data, expid=expid, night=_NIGHT, flavor=flavor, profile="desi",
                    cameras=list(cameras), calib=data / "calib", progress=False,
                )  # fmt: skip
            for camera in cameras:
                task = CameraTask(raw, camera, Path(scratch), calib_dir=data / "calib")
                result = run_camera(task)
                documents[f"{flavor}/{camera}"] = json.loads(result.qa_path.read_text())
    out.write_text(json.dumps(documents, indent=1, sort_keys=True))
    return documents


def compare(before, after, *, rel: float = 1e-6, path: str = "") -> list[str]:
    """Every difference between two QA documents beyond ``rel`` (relative) rounding."""
    if isinstance(before, dict) and isinstance(after, dict):
        problems = []
        for key in sorted(set(before) | set(after)):
            if key in _VOLATILE:
                continue
            where = f"{path}/{key}"
            if key not in before or key not in after:
                problems.append(f"{where}: only in {'after' if key in after else 'before'}")
                continue
            problems += compare(before[key], after[key], rel=rel, path=where)
        return problems
    if isinstance(before, list) and isinstance(after, list):
        if len(before) != len(after):
            return [f"{path}: length {len(before)} -> {len(after)}"]
        problems = []
        for i, (b, a) in enumerate(zip(before, after, strict=True)):
            problems += compare(b, a, rel=rel, path=f"{path}[{i}]")
        return problems
    numbers = (int, float)
    if isinstance(before, numbers) and isinstance(after, numbers):
        if isinstance(before, bool) or isinstance(after, bool):
            same = type(before) is type(after) and before == after
            return [] if same else [f"{path}: {before!r} -> {after!r}"]
        if math.isclose(before, after, rel_tol=rel, abs_tol=1e-12):
            return []
        return [f"{path}: {before!r} -> {after!r}"]
    return [] if before == after else [f"{path}: {before!r} -> {after!r}"]


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)
    rec = sub.add_parser("record")
    rec.add_argument("data", type=Path)
    rec.add_argument("out", type=Path)
    cmp_ = sub.add_parser("compare")
    cmp_.add_argument("before", type=Path)
    cmp_.add_argument("after", type=Path)
    cmp_.add_argument("--rel", type=float, default=1e-6)
    args = parser.parse_args(argv)
    if args.command == "record":
        documents = record(args.data, args.out)
        print(f"{len(documents)} cameras recorded in {args.out}")
        return 0
    before, after = (json.loads(p.read_text()) for p in (args.before, args.after))
    problems = compare(before, after, rel=args.rel)
    for line in problems[:200]:
        print(line)
    print(f"{len(problems)} differences beyond rel {args.rel} over {len(before)} cameras")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
