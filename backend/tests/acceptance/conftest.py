"""Exposures written by the independent DESI-format writer, processed once by Quick Look."""

from __future__ import annotations

import json
import shutil
from dataclasses import dataclass
from pathlib import Path

import pytest
from desi_writer import Camera, Exposure, write_exposure

from qlf.quicklook.runner import CameraTask, run_camera

SPECS_MINI = Path(__file__).resolve().parents[2] / "specs" / "mini"
NIGHT = 20261122
CAMERAS = ("b0", "r0", "z0")
DEAD = (3, 17)


def _cameras(**overrides) -> list[Camera]:
    base = {"b0": {"dead_fibers": DEAD}, "r0": {}, "z0": {"xsigma": 1.10, "wsigma": 1.15}}
    return [Camera(c, **{**base[c], **overrides.get(c, {})}) for c in CAMERAS]


#: name → the exposure (expid, flavor, program, exptime, per-camera overrides, extras)
EXPOSURES = {
    "zero": Exposure(1, NIGHT, "zero", exptime=0.0, cameras=_cameras()),
    "flat": Exposure(2, NIGHT, "flat", exptime=10.0, cameras=_cameras()),
    "arc": Exposure(3, NIGHT, "arc", exptime=10.0, cameras=_cameras()),
    "arc_shifted": Exposure(
        4, NIGHT, "arc", exptime=10.0,
        cameras=_cameras(b0={"dx": 0.3, "dy": -0.5}, r0={"dy": -0.5}, z0={"dx": -0.25}),
    ),
    "dark": Exposure(5, NIGHT, "science", "DARK", exptime=900.0, cameras=_cameras()),
    "bright": Exposure(6, NIGHT, "science", "BRIGHT", exptime=300.0, cameras=_cameras(),
                       moon_mag=18.6),
    "loss": Exposure(7, NIGHT, "science", "DARK", exptime=900.0, cameras=_cameras(
        b0={"transmission": 0.5}, r0={"transmission": 0.5}, z0={"transmission": 0.5})),
    "missing_hdu": Exposure(8, NIGHT, "science", "DARK", exptime=900.0, cameras=_cameras(),
                            omit_hdus=("Z0",)),
}  # fmt: skip


@dataclass
class Processed:
    exposure: Exposure
    raw: Path
    truth: dict
    qa: dict

    def metrics(self, camera: str) -> dict:
        out = {}
        for step in self.qa[camera]["TASKS"].values():
            out.update(step["METRICS"])
        return out

    def statuses(self, camera: str) -> dict[str, str]:
        return {k[:-7]: v for k, v in self.metrics(camera).items() if k.endswith("_STATUS")}


def _run(raw: Path, root: Path, camera: str) -> dict:
    result = run_camera(
        CameraTask(raw_path=raw, camera=camera, scratch_dir=root / "scratch",
                   calib_dir=root / "calib", specs_dir=SPECS_MINI)
    )  # fmt: skip
    return json.loads(Path(result.qa_path).read_text())


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
