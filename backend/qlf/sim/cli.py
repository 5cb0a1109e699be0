"""``qlf sim``: simulate exposures, a night, or the calibration files (thin wrappers)."""

from __future__ import annotations

import argparse
import os
from pathlib import Path

from qlf.quicklook.lines import MEDIA
from qlf.quicklook.mapping import FLAVORS
from qlf.sim.calibration import ensure_calibration
from qlf.sim.defects import DEFECT_KINDS, parse_defect
from qlf.sim.exposure import ExposureResult, simulate_exposure
from qlf.sim.instrument import INSTRUMENT_SEED
from qlf.sim.night import run_night
from qlf.sim.profiles import PROFILES, get_profile, select_cameras
from qlf.sim.spectra import PROGRAMS

__all__ = ["add_commands"]


def add_commands(subparsers) -> None:
    """Add ``sim`` with its sub-commands ``exposure``, ``night`` and ``calib``."""
    sim = subparsers.add_parser("sim", help="simulated instrument: raw exposures and calibration")
    which = sim.add_subparsers(dest="sim_command", metavar="SUBCOMMAND", required=True)

    exposure = which.add_parser("exposure", help="write one simulated exposure")
    exposure.add_argument("--expid", type=int, required=True, help="exposure number")
    exposure.add_argument("--night", type=int, required=True, help="night, YYYYMMDD")
    exposure.add_argument("--flavor", choices=FLAVORS, default="science")
    exposure.add_argument("--program", type=str.upper, choices=PROGRAMS, help="science program")
    exposure.add_argument("--exptime", type=float, help="seconds (default: by flavor/program)")
    exposure.add_argument("--tileid", type=int, help="tile of a science exposure")
    _common(exposure)
    exposure.set_defaults(func=_exposure)

    night = which.add_parser("night", help="drop a night's exposures into the data directory")
    night.add_argument("--night", type=int, required=True, help="night, YYYYMMDD")
    night.add_argument(
        "--sequence",
        default="zero,flat,arc,science*5",
        help="comma list of FLAVOR[:PROGRAM][*N] (default: %(default)s)",
    )
    night.add_argument(
        "--cadence", type=float, default=10.0, help="seconds between exposures (default: 10)"
    )
    night.add_argument("--first-expid", type=int, help="default: after the highest in --out")
    night.add_argument(
        "--program", type=str.upper, choices=PROGRAMS, help="for every science exposure "
        "(default: cycle DARK, GRAY, BRIGHT)",
    )  # fmt: skip
    _common(night)
    night.set_defaults(func=_night)

    calib = which.add_parser("calib", help="write the calibration files of the instrument")
    calib.add_argument("--calib", type=Path, required=True, help="calibration directory")
    _profile_and_cameras(calib)
    calib.set_defaults(func=_calib)


def _profile_and_cameras(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--profile", choices=sorted(PROFILES), default="desi", help="default: %(default)s"
    )
    parser.add_argument("--cameras", help="e.g. b0,r0,z1 (default: all)")
    parser.add_argument("--arms", help="e.g. br (with --spectrographs)")
    parser.add_argument("--spectrographs", help="e.g. 0-2,5")
    parser.add_argument(
        "--instrument-seed", type=int, default=INSTRUMENT_SEED,
        help="seed of the static instrument and its calibration (default: %(default)s)",
    )  # fmt: skip
    parser.add_argument(
        "--efficiency", type=float, default=1.0,
        help="throughput relative to the pipeline's built-in model (default: %(default)s)",
    )  # fmt: skip
    parser.add_argument(
        "--psf-medium", choices=MEDIA, default="vac",
        help="wavelength medium of the PSF files written (default: %(default)s, as DESI)",
    )  # fmt: skip
    parser.add_argument(
        "--throughput-file", action="store_true",
        help="also write each camera's true throughput, throughput-{camera}.fits",
    )  # fmt: skip


def _common(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--out", type=Path, default=None, help="data directory (default: $QLF_DATA_DIR)"
    )
    parser.add_argument("--calib", type=Path, help="calibration directory (default: OUT/calib)")
    _profile_and_cameras(parser)
    parser.add_argument("--seed", type=int, default=0, help="exposure seed (default: 0)")
    parser.add_argument(
        "--defect", action="append", default=[], metavar="KIND:CAMERA[:AMP][:VALUE]",
        help=f"inject a defect (repeatable); kinds: {', '.join(DEFECT_KINDS)}",
    )  # fmt: skip
    parser.add_argument("--workers", type=int, help="render processes (default: auto)")
    parser.add_argument("--no-progress", action="store_true", help="no progress bar")


def _out(args) -> Path:
    if args.out is not None:
        return args.out
    env = os.environ.get("QLF_DATA_DIR")
    if not env:
        raise ValueError("no --out given and QLF_DATA_DIR is not set")
    return Path(env)


def _cameras(args) -> list[str]:
    profile = get_profile(args.profile)
    return select_cameras(
        profile, cameras=args.cameras, arms=args.arms, spectrographs=args.spectrographs
    )


def _options(args) -> dict:
    if args.workers is not None and args.workers < 1:
        raise ValueError("--workers must be at least 1")
    return {
        "profile": args.profile,
        "cameras": _cameras(args),
        "seed": args.seed,
        "instrument_seed": args.instrument_seed,
        **_calib_options(args),
        "calib": args.calib,
        "defects": [parse_defect(text) for text in args.defect],
        "workers": args.workers,
        "progress": False if args.no_progress else None,
    }


def _calib_options(args) -> dict:
    return {
        "efficiency": args.efficiency,
        "calib_medium": args.psf_medium,
        "throughput_file": args.throughput_file,
    }


def _print(result: ExposureResult) -> None:
    info = result.info
    what = f"{info.flavor} {info.program}" if info.program else info.flavor
    print(f"{info.night}/{info.expid:08d} {what:<15} {result.seconds:6.1f} s  {result.raw}")


def _exposure(args) -> int:
    if args.program and args.flavor != "science":
        raise ValueError(f"--program is for science exposures, not {args.flavor}")
    result = simulate_exposure(
        _out(args), expid=args.expid, night=args.night, flavor=args.flavor,
        program=args.program, exptime=args.exptime, tileid=args.tileid, **_options(args),
    )  # fmt: skip
    _print(result)
    return 0


def _night(args) -> int:
    run_night(
        _out(args), night=args.night, sequence=args.sequence, cadence=args.cadence,
        first_expid=args.first_expid, program=args.program, report=_print, **_options(args),
    )  # fmt: skip
    return 0


def _calib(args) -> int:
    profile = get_profile(args.profile)
    options = _calib_options(args)
    written = ensure_calibration(
        args.calib, profile, _cameras(args), seed=args.instrument_seed,
        efficiency=options["efficiency"], medium=options["calib_medium"],
        throughput_file=options["throughput_file"],
    )  # fmt: skip
    print(f"{len(written)} calibration files written under {args.calib}")
    return 0
