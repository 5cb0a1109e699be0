"""``qlf ql``: run the Quick Look pipeline on raw files from the command line."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from qlf.quicklook.io.raw import open_raw
from qlf.quicklook.runner import CameraTask, run_camera

__all__ = ["add_commands"]


def add_commands(subparsers) -> None:
    ql = subparsers.add_parser("ql", help="run the Quick Look pipeline on a raw exposure")
    commands = ql.add_subparsers(dest="ql_command", metavar="COMMAND", required=True)
    run = commands.add_parser(
        "run",
        help="process cameras of one raw file and write their QA JSON",
        description="Process cameras of one raw exposure, print a line per step, write QA "
        "JSON and logs under OUT/NIGHT/EXPID/. Exits 1 if any camera failed.",
    )
    run.add_argument("rawfile", type=Path, help="desi-EXPID.fits.fz")
    run.add_argument(
        "--camera", default="all", help="camera(s): r3, or b0,r0,z0, or 'all' (default)"
    )
    run.add_argument(
        "--calib", type=Path, default=_env_path("QLF_CALIB_DIR"), help="calibration directory"
    )
    run.add_argument("--fibermap", type=Path, help="fibermap (default: beside the raw file)")
    run.add_argument(
        "--out", type=Path, default=_env_path("QLF_SCRATCH_DIR"), help="output directory"
    )
    run.add_argument("--specs", type=Path, help="threshold directory (default: backend/specs)")
    run.set_defaults(func=_run)


def _env_path(name: str) -> Path | None:
    value = os.environ.get(name)
    return Path(value) if value else None


def _cameras(rawfile: Path, selection: str) -> list[str]:
    with open_raw(rawfile) as raw:
        present = raw.cameras
    if selection == "all":
        return present
    wanted = [c.strip().lower() for c in selection.split(",") if c.strip()]
    missing = [c for c in wanted if c not in present]
    if missing:
        # still processed: each missing camera fails with a clear error of its own
        print(f"warning: {rawfile}: no HDU for {', '.join(missing)}", file=sys.stderr)
    return wanted


def _run(args: argparse.Namespace) -> int:
    if args.out is None:
        raise ValueError("--out is required (or set QLF_SCRATCH_DIR)")
    if args.calib is None:
        raise ValueError("--calib is required (or set QLF_CALIB_DIR)")
    failures = 0
    for camera in _cameras(args.rawfile, args.camera):
        task = CameraTask(
            raw_path=args.rawfile,
            camera=camera,
            scratch_dir=args.out,
            calib_dir=args.calib,
            fibermap_path=args.fibermap,
            specs_dir=args.specs,
        )
        result = run_camera(task, on_event=_print_step)
        if result.failed:
            failures += 1
            print(f"{camera}: FAILED: {result.error}", file=sys.stderr)
        print(f"{camera}: {result.status} in {result.duration_s:.2f} s -> {result.qa_path}")
    return 1 if failures else 0


def _print_step(event: dict) -> None:
    if event["type"] == "step" and event["state"] != "started":
        print(
            f"{event['camera']} {event['step']:<16} {event['state']:<8} "
            f"{event.get('status', ''):<8} {event.get('duration_s', 0):6.2f} s"
        )
