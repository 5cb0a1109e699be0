"""A small simulated night (mini profile, fixed seeds) processed once for the pipeline tests."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import pytest

from qlf.quicklook.runner import CameraTask, run_camera
from qlf.sim.exposure import simulate_exposure

SPECS_MINI = Path(__file__).resolve().parents[2] / "specs" / "mini"
NIGHT = 20261122
CAMERAS = ["b0", "r0", "z0"]

#: expid → (flavor, program, defects, cameras)
EXPOSURES = {
    1: ("zero", None, [], CAMERAS),
    2: ("dark", None, [], CAMERAS),
    3: ("flat", None, [], CAMERAS),
    4: ("arc", None, [], CAMERAS),
    5: ("science", "DARK", [], CAMERAS),
    6: ("zero", None, ["hot_amp:b0:A", "high_noise:r0:C", "bias_jump:z0:D:80"], CAMERAS),
    7: ("flat", None, ["dead_fibers:r0:3,5,12,18,21", "dead_amp:z0:B"], CAMERAS),
    8: ("arc", None, ["broad_psf:b0:1.6", "trace_shift:r0:0.8,-0.6"], CAMERAS),
    9: (
        "science",
        "DARK",
        ["trace_shift:z0:-0.4,0.9", "missing_camera:b1", "truncated:r1"],
        [*CAMERAS, "b1", "r1"],
    ),
    # issue 15: defects of DESI Quick Look's other metrics
    10: ("zero", None, ["bias_pattern:r0:B:4", "data_offset:z0:C:-12"], CAMERAS),
    11: ("arc", None, ["broad_psf_amp:b0:C:1.6", "broad_fibers:r0:3,11"], CAMERAS),
    12: ("science", "DARK", ["broad_psf_amp:z0:B:1.5"], CAMERAS),
}


@dataclass
class Processed:
    raw: Path
    truth: dict
    qa: dict  # camera → QA document
    results: dict  # camera → CameraResult

    def metric(self, camera: str, key: str):
        for step in self.qa[camera]["TASKS"].values():
            if key in step["METRICS"]:
                return step["METRICS"][key]
        raise KeyError(f"{camera} has no metric {key}")

    def status(self, camera: str, key: str) -> str:
        return self.metric(camera, f"{key}_STATUS")

    def cam_truth(self, camera: str) -> dict:
        return self.truth["cameras"][camera]


@pytest.fixture(scope="session")
def night(tmp_path_factory) -> dict[int, Processed]:
    root = tmp_path_factory.mktemp("night")
    processed = {}
    for expid, (flavor, program, defects, cameras) in EXPOSURES.items():
        sim = simulate_exposure(
            root, expid=expid, night=NIGHT, flavor=flavor, program=program, profile="mini",
            cameras=cameras, defects=defects, seed=7, progress=False, workers=1,
        )  # fmt: skip
        qa, results = {}, {}
        for camera in cameras:
            task = CameraTask(
                sim.raw, camera, root / "scratch", calib_dir=root / "calib", specs_dir=SPECS_MINI
            )
            results[camera] = run_camera(task)
            qa[camera] = json.loads(results[camera].qa_path.read_text())
        processed[expid] = Processed(sim.raw, json.loads(sim.truth.read_text()), qa, results)
    return processed


@pytest.fixture(scope="session")
def calib_dir(night) -> Path:
    return night[1].raw.parents[2] / "calib"
