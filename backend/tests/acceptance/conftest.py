"""Exposures written by the independent DESI-format writer, processed once by Quick Look."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from desi_writer import write_exposure
from independent_exposures import CAMERAS, EXPOSURES, NIGHT, SPECS_MINI, Processed

from qlf.quicklook.runner import CameraTask, run_camera


def _run(raw: Path, root: Path, camera: str) -> dict:
    result = run_camera(
        CameraTask(raw_path=raw, camera=camera, scratch_dir=root / "scratch",
                   calib_dir=root / "calib", specs_dir=SPECS_MINI)
    )  # fmt: skip
    qa = json.loads(Path(result.qa_path).read_text())
    qa["_path"] = str(result.qa_path)
    return qa


@pytest.fixture(scope="session")
def written(tmp_path_factory) -> dict[str, Processed]:
    root = tmp_path_factory.mktemp("independent")
    out = {}
    for name, exp in EXPOSURES.items():
        raw, truth = write_exposure(exp, root / "data", root / "calib")
        qa = {c.camera: _run(raw, root, c.camera) for c in exp.cameras}
        out[name] = Processed(exp, raw, truth.cameras, qa)
    # a byte copy of the dark exposure filed under another EXPID
    dark = out["dark"]
    copy_dir = root / "data" / str(NIGHT) / f"{99:08d}"
    copy_dir.mkdir(parents=True)
    copy = copy_dir / f"desi-{99:08d}.fits.fz"
    shutil.copy(dark.raw, copy)
    shutil.copy(dark.raw.with_name(f"fibermap-{dark.exposure.expid:08d}.fits"),
                copy_dir / f"fibermap-{99:08d}.fits")  # fmt: skip
    out["mislabelled"] = Processed(dark.exposure, copy, dark.truth,
                                   {c: _run(copy, root, c) for c in CAMERAS})  # fmt: skip
    return out
