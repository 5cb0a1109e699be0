"""ICS emulator: drop a night's exposures into the data directory one after another.

Each exposure is written completely under temporary names and renamed into place (see
:mod:`.files`), so a pipeline polling the directory never sees a half-written raw file.
"""

from __future__ import annotations

import datetime as dt
import re
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from qlf.quicklook.mapping import FLAVORS
from qlf.sim.exposure import ExposureResult, camera_pool, default_workers, simulate_exposure
from qlf.sim.profiles import camera_names, get_profile
from qlf.sim.spectra import PROGRAMS

__all__ = ["NightStep", "next_expid", "parse_sequence", "run_night"]

#: Overhead between the end of one exposure and the start of the next (readout, slew), s.
OVERHEAD_S = 120.0
_TOKEN = re.compile(r"^(?P<flavor>[a-z]+)(?::(?P<program>[A-Za-z]+))?(?:\*(?P<count>\d+))?$")


@dataclass(frozen=True)
class NightStep:
    """One exposure of the sequence: its flavor and (science) program, if fixed."""

    flavor: str
    program: str | None = None


def parse_sequence(text: str) -> list[NightStep]:
    """``'zero,flat*3,arc,science:BRIGHT*2,science*5'`` → one :class:`NightStep` per exposure."""
    steps: list[NightStep] = []
    for token in (t.strip() for t in text.split(",")):
        if not token:
            continue
        match = _TOKEN.match(token)
        if not match:
            raise ValueError(f"--sequence: malformed {token!r}: expected FLAVOR[:PROGRAM][*N]")
        flavor = match["flavor"]
        if flavor not in FLAVORS:
            raise ValueError(f"--sequence: unknown flavor {flavor!r} ({', '.join(FLAVORS)})")
        program = match["program"].upper() if match["program"] else None
        if program and (flavor != "science" or program not in PROGRAMS):
            raise ValueError(
                f"--sequence: {token!r}: programs ({', '.join(PROGRAMS)}) are for science"
            )
        count = int(match["count"] or 1)
        steps += [NightStep(flavor, program)] * count
    if not steps:
        raise ValueError("--sequence: no exposures")
    return steps


_EXPID_DIR = re.compile(r"^\d{8}$")
_NIGHT_DIR = re.compile(r"^\d{8}$")


def next_expid(out: Path | str) -> int:
    """One more than the highest exposure number under ``{out}/{NIGHT}/{EXPID}``, or 1."""
    highest = 0
    root = Path(out)
    if root.is_dir():
        for night in root.iterdir():
            if not (night.is_dir() and _NIGHT_DIR.match(night.name)):
                continue
            for exp in night.iterdir():
                if exp.is_dir() and _EXPID_DIR.match(exp.name):
                    highest = max(highest, int(exp.name))
    return highest + 1


def run_night(
    out: Path | str,
    *,
    night: int,
    sequence: str | Iterable[NightStep],
    cadence: float = 10.0,
    first_expid: int | None = None,
    program: str | None = None,
    sleep: Callable[[float], None] = time.sleep,
    report: Callable[[ExposureResult], None] | None = None,
    **options,
) -> list[ExposureResult]:
    """Simulate a night: the exposures of ``sequence`` with consecutive EXPIDs.

    Parameters
    ----------
    cadence
        Seconds to wait between the end of one exposure and the start of the next (0: none).
    first_expid
        EXPID of the first exposure (default: after the highest already in ``out``).
    program
        Program of every science exposure; by default they cycle DARK, GRAY, BRIGHT
        (a ``science:PROGRAM`` step fixes its own).
    options
        Passed to :func:`~qlf.sim.exposure.simulate_exposure` (profile, cameras, seed, calib,
        defects, workers, progress ...).
    """
    steps = parse_sequence(sequence) if isinstance(sequence, str) else list(sequence)
    if cadence < 0:
        raise ValueError(f"--cadence {cadence}: must not be negative")
    if program is not None and program.upper() not in PROGRAMS:
        raise ValueError(f"unknown program {program!r}: expected one of {', '.join(PROGRAMS)}")
    expid = next_expid(out) if first_expid is None else int(first_expid)
    date = dt.datetime.strptime(str(int(night)), "%Y%m%d")
    clock = dt.datetime(date.year, date.month, date.day, 1, 0, tzinfo=dt.UTC)
    clock += dt.timedelta(days=1)  # 01:00 UTC after the evening of NIGHT
    results = []
    nscience = 0
    workers = options.pop("workers", None)
    if workers is None:
        profile = get_profile(options.get("profile", "mini"))
        workers = default_workers(profile, options.get("cameras") or camera_names(profile))
    pool = camera_pool(workers)
    try:
        for index, step in enumerate(steps):
            if index and cadence:
                sleep(cadence)
            step_program = None
            if step.flavor == "science":
                step_program = step.program or (program.upper() if program else None)
                step_program = step_program or PROGRAMS[nscience % len(PROGRAMS)]
                nscience += 1
            result = simulate_exposure(
                out, expid=expid, night=night, flavor=step.flavor, program=step_program,
                start=clock, pool=pool, **options,
            )  # fmt: skip
            results.append(result)
            if report:
                report(result)
            clock += dt.timedelta(seconds=result.info.exptime + OVERHEAD_S)
            expid += 1
    finally:
        if pool is not None:
            pool.shutdown()
    return results
