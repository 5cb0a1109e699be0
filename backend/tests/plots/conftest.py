"""A mini night (zero, flat, arc, science of camera r0) run through the pipeline once, and the
same QA ingested into a test database for the plot API."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pytest
from rest_framework.test import APIClient

from qlf.quicklook.io.fibermap import read_fibermap
from qlf.quicklook.runner import CameraTask, run_camera
from qlf.sim.exposure import simulate_exposure

BACKEND = Path(__file__).resolve().parents[2]
SPECS_MINI = BACKEND / "specs" / "mini"
NIGHT = 20261122
CAMERA = "r0"
#: expid → (flavor, program): every flavor whose metrics have plots (dark: zero's metrics)
EXPOSURES = {1: ("zero", None), 2: ("flat", None), 3: ("arc", None), 4: ("science", "DARK")}


@dataclass
class MiniExposure:
    expid: int
    flavor: str
    raw: Path
    qa: dict  # the camera's QA document
    qa_path: Path
    fibers: dict | None  # the camera's fibermap columns, in fiber order


def fibermap_columns(path: Path) -> dict[str, list]:
    table = read_fibermap(path)
    return {
        name: [v.strip() if isinstance(v, str) else v for v in np.asarray(table[name]).tolist()]
        for name in table.dtype.names
    }


@pytest.fixture(scope="session")
def mini_night(tmp_path_factory) -> dict[str, MiniExposure]:
    """flavor → the camera's QA of a nominal mini exposure of that flavor."""
    root = tmp_path_factory.mktemp("plots-night")
    found = {}
    for expid, (flavor, program) in EXPOSURES.items():
        sim = simulate_exposure(
            root / "data", expid=expid, night=NIGHT, flavor=flavor, program=program,
            profile="mini", cameras=[CAMERA], seed=11, progress=False, workers=1,
        )  # fmt: skip
        task = CameraTask(
            sim.raw, CAMERA, root / "scratch", calib_dir=root / "data" / "calib",
            specs_dir=SPECS_MINI,
        )  # fmt: skip
        result = run_camera(task)
        assert result.error is None, result.error
        fibers = None
        if sim.fibermap is not None:
            columns = fibermap_columns(sim.fibermap)
            rows = [i for i, petal in enumerate(columns["PETAL_LOC"]) if petal == 0]
            fibers = {name: [values[i] for i in rows] for name, values in columns.items()}
        found[flavor] = MiniExposure(
            expid, flavor, sim.raw, json.loads(result.qa_path.read_text()), result.qa_path, fibers
        )
    return found


@pytest.fixture
def scratch_dir(mini_night) -> Path:
    return mini_night["zero"].qa_path.parents[2]


@pytest.fixture
def viewer_client(db) -> APIClient:
    from qlf.dashboard.services.users import user_create

    client = APIClient()
    client.force_authenticate(
        user_create(username="pia", password="a-long-pass-1234", role="viewer")
    )
    return client


@pytest.fixture
def ingested(db, settings, mini_night, scratch_dir) -> dict[str, int]:
    """flavor → process id, with the mini night's QA (and science fibermap) in the database."""
    from qlf.dashboard.services.exposures import (
        exposure_fields_from_header,
        exposure_register,
        fibermap_store,
    )
    from qlf.dashboard.services.processes import process_start
    from qlf.dashboard.services.qa_ingest import job_ingest_qa

    settings.QLF = {**settings.QLF, "SCRATCH_DIR": scratch_dir, "PIPELINE_URL": None}
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    processes = {}
    for flavor, exposure in mini_night.items():
        qa = exposure.qa
        exposure_register(**exposure_fields_from_header({**qa["GENERAL_INFO"], **qa}))
        fibermap = exposure.raw.with_name(f"fibermap-{exposure.expid:08d}.fits")
        if fibermap.exists():
            fibermap_store(expid=exposure.expid, columns=fibermap_columns(fibermap))
        process = process_start(expid=exposure.expid, cameras=[CAMERA])
        job_ingest_qa(process_id=process.pk, qa=qa, qa_path=str(exposure.qa_path))
        processes[flavor] = process.pk
    return processes
