"""Fixtures of the simulator tests: one mini exposure of each flavor, written once per session."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from sim_helpers import CAMERAS, FLAVOR_EXPIDS, NIGHT, Written

from qlf.sim import render, simulate_exposure


@pytest.fixture(scope="session")
def sim_root(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("sim")


@pytest.fixture(scope="session")
def exposures(sim_root) -> dict[str, Written]:
    """One exposure of every flavor (mini, cameras b0 r1 z9, seed 7), keyed by flavor."""
    out = {}
    for flavor, expid in FLAVOR_EXPIDS.items():
        result = simulate_exposure(
            sim_root, expid=expid, night=NIGHT, flavor=flavor, profile="mini",
            cameras=CAMERAS, seed=7, progress=False,
        )  # fmt: skip
        out[flavor] = Written(
            sim_root, result.raw, json.loads(result.truth.read_text()), result.calib_dir,
            result.fibermap,
        )  # fmt: skip
    return out


@pytest.fixture(scope="session")
def clean_science(sim_root) -> Written:
    """The science exposure of ``exposures`` again, without cosmic rays (for photometry)."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(render, "COSMIC_RATE", 0.0)
        result = simulate_exposure(
            sim_root / "clean", expid=5, night=NIGHT, flavor="science", profile="mini",
            cameras=CAMERAS, seed=7, progress=False, workers=1,
        )  # fmt: skip
    return Written(
        sim_root / "clean", result.raw, json.loads(result.truth.read_text()), result.calib_dir,
        result.fibermap,
    )  # fmt: skip
