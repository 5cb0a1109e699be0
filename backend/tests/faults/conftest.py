"""The fault suite: the real daemon (in process, with its spawned workers; or as ``qlf daemon``
and ``qlf serve`` processes) on a mini night of simulated exposures, one or two cameras each.

Exposures are simulated into a staging folder (``mini`` profile: a fraction of a second), may
be damaged there, then renamed into the data directory as the ICS does.
"""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from astropy.io import fits

from qlf.pipeline.executors.job import DEFAULT_JOB
from qlf.sim.exposure import simulate_exposure
from tests.pipeline.conftest import Recorder, dirs, make_daemon, wait_for  # noqa: F401

SPECS_MINI = Path(__file__).resolve().parents[2] / "specs" / "mini"
NIGHT = 20261122
CAMERAS = ("b0", "r0")


@pytest.fixture
def config(dirs):  # noqa: F811  (the pipeline tests' config, on the mini thresholds)
    from qlf.config import read_config

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


BACKEND = Path(__file__).resolve().parents[2]


def database_url(port: int | None = None) -> str:
    """The URL of the test database (through ``port`` if given, e.g. a proxy's)."""
    from django.db import connection

    db = connection.settings_dict
    return (
        f"postgres://{db['USER'] or 'postgres'}@{db['HOST'] or '127.0.0.1'}:"
        f"{port or db['PORT'] or 5432}/{db['NAME']}"
    )


@pytest.fixture
def spawn_daemon(dirs, transactional_db):  # noqa: F811
    """Start ``tests.faults.run_daemon`` processes on the test database (Postgres: a process
    of its own cannot share pytest's in-memory SQLite); every one is killed at the end."""
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("the daemon process needs the test database on Postgres")
    started: list[subprocess.Popen] = []

    def spawn(job: str = "", *, db_port: int | None = None, pyro: bool = False, **env):
        environ = {k: v for k, v in os.environ.items() if not k.startswith("QLF_")}
        environ.pop("REDIS_URL", None)
        environ.update(
            DJANGO_SETTINGS_MODULE="qlf.web.settings", DATABASE_URL=database_url(db_port),
            QLF_SECRET_KEY="fault-tests", QLF_VAR_DIR=str(dirs["var"]),
            QLF_DATA_DIR=str(dirs["data"]), QLF_SCRATCH_DIR=str(dirs["scratch"]),
            QLF_CALIB_DIR=str(dirs["calib"]), QLF_SPECS_DIR=str(SPECS_MINI),
            QLF_ARMS="b,r", QLF_SPECTROGRAPHS="0", QLF_WORKERS="2", QLF_POLL_S="0.05",
            QLF_SETTLE_S="0.5", QLF_JOB_TIMEOUT_S="60",
        )  # fmt: skip
        environ.update(env)
        log = open(dirs["var"] / f"daemon-{len(started)}.log", "wb")  # noqa: SIM115
        command = [sys.executable, "-m", "tests.faults.run_daemon", job or DEFAULT_JOB]
        process = subprocess.Popen(
            command + (["--pyro"] if pyro else []), env=environ, cwd=BACKEND,
            stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
        )  # fmt: skip
        log.close()
        started.append(process)
        return process

    yield spawn
    for process in started:
        kill_group(process)


def kill_group(process: subprocess.Popen) -> None:
    """SIGKILL a process and everything it started (its session: the workers too)."""
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGKILL)
    process.wait(30)


def daemon_log(dirs, index: int = 0) -> str:  # noqa: F811
    return (dirs["var"] / f"daemon-{index}.log").read_text(errors="replace")
