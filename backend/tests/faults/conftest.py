"""The fault suite: the real daemon (in process, with its spawned workers; or as ``qlf daemon``
and ``qlf serve`` processes) on a mini night of simulated exposures, one or two cameras each.

Exposures are simulated into a staging folder (``mini`` profile: a fraction of a second), may
be damaged there, then renamed into the data directory as the ICS does.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

import pytest
from astropy.io import fits

from qlf.sim.exposure import simulate_exposure
from tests.pipeline.conftest import Recorder, dirs, make_daemon, wait_for  # noqa: F401

SPECS_MINI = Path(__file__).resolve().parents[2] / "specs" / "mini"
NIGHT = 20261122
CAMERAS = ("b0", "r0")


@pytest.fixture
def config(dirs):  # noqa: F811  (the pipeline tests' config, on the mini thresholds)
    from qlf.pipeline.config import read_config

    environ = {
        "QLF_DATA_DIR": str(dirs["data"]),
        "QLF_SCRATCH_DIR": str(dirs["scratch"]),
        "QLF_CALIB_DIR": str(dirs["calib"]),
        "QLF_SPECS_DIR": str(SPECS_MINI),
        "QLF_VAR_DIR": str(dirs["var"]),
        "QLF_ARMS": "b,r",
        "QLF_SPECTROGRAPHS": "0",
        "QLF_WORKERS": "2",
        "QLF_POLL_S": "0.05",
        "QLF_SETTLE_S": "0.5",
        "QLF_JOB_TIMEOUT_S": "60",
        "QLF_PYRO_PORT": "0",
    }
    return read_config(environ)


def simulate(
    dirs: dict[str, Path],  # noqa: F811  (the fixture's value)
    expid: int,
    *,
    flavor: str = "zero",
    cameras: tuple[str, ...] = CAMERAS,
    damage: Callable[[Path], None] | None = None,
) -> Path:
    """Simulate exposure ``expid`` (and the calibration if missing) into the staging folder and
    let ``damage(raw)`` change its raw file; the staged raw file."""
    stage = dirs["data"].parent / "stage"
    simulate_exposure(
        stage, expid=expid, night=NIGHT, flavor=flavor, profile="mini",
        program="DARK" if flavor == "science" else None, cameras=list(cameras), seed=expid,
        calib=dirs["calib"], progress=False, workers=1,
    )  # fmt: skip
    raw = stage / str(NIGHT) / f"{expid:08d}" / f"desi-{expid:08d}.fits.fz"
    if damage is not None:
        damage(raw)
    return raw


def drop(dirs: dict[str, Path], staged: Path) -> Path:  # noqa: F811
    """Move a staged exposure into the data directory, its raw file last; the raw path there."""
    target = dirs["data"] / staged.parent.relative_to(staged.parents[2])
    target.mkdir(parents=True, exist_ok=True)
    for path in sorted(staged.parent.iterdir(), key=lambda p: p == staged):
        os.replace(path, target / path.name)
    staged.parent.rmdir()
    return target / staged.name


def arrive(dirs: dict[str, Path], expid: int, **options) -> Path:  # noqa: F811
    """An exposure simulated (``options`` of :func:`simulate`) and dropped; its raw path."""
    return drop(dirs, simulate(dirs, expid, **options))


def rewrite(raw: Path, edit: Callable[[fits.HDUList], None]) -> None:
    """Rewrite ``raw`` with ``edit(hdul)`` applied (compressed camera HDUs stay compressed)."""
    with fits.open(raw) as hdul:
        hdus = [fits.PrimaryHDU(header=hdul[0].header)]
        for hdu in hdul[1:]:
            if isinstance(hdu, fits.CompImageHDU):
                hdus.append(fits.CompImageHDU(hdu.data, header=hdu.header, name=hdu.name,
                                              compression_type="RICE_1"))  # fmt: skip
            else:
                hdus.append(hdu.copy())
        new = fits.HDUList(hdus)
        edit(new)
        new.writeto(raw, overwrite=True)


def finished(recorder: Recorder, count: int) -> Callable[[], bool]:
    return lambda: len(recorder.of("process.finished")) >= count
