"""Same seed, same bytes; the instrument (calibration) does not depend on the exposure seed."""

from __future__ import annotations

import json

import numpy as np
from sim_helpers import NIGHT, camera_pixels

from qlf.sim import simulate_exposure
from qlf.sim.profiles import get_profile
from qlf.sim.render import CameraJob, render_camera
from qlf.sim.targets import make_tile


def _science(out, *, seed, expid=11, calib=None):
    return simulate_exposure(
        out, expid=expid, night=NIGHT, flavor="science", profile="mini", cameras=["b2", "z4"],
        seed=seed, calib=calib, progress=False,
    )  # fmt: skip


def test_same_seed_gives_identical_files(tmp_path):
    first = _science(tmp_path / "a", seed=3)
    second = _science(tmp_path / "b", seed=3)
    assert first.raw.read_bytes() == second.raw.read_bytes()
    assert first.fibermap.read_bytes() == second.fibermap.read_bytes()
    one, two = (json.loads(r.truth.read_text()) for r in (first, second))
    one.pop("CALIB_DIR"), two.pop("CALIB_DIR")
    assert one == two
    for name in ("psf-b2.fits", "fiberflat-b2.fits", "ccd-b2.json"):
        assert (first.calib_dir / "b2" / name).read_bytes() == (
            second.calib_dir / "b2" / name
        ).read_bytes()


def test_other_seed_changes_noise_not_instrument(tmp_path):
    first = _science(tmp_path / "a", seed=3)
    other = _science(tmp_path / "b", seed=4)
    assert not np.array_equal(camera_pixels(first.raw, "b2"), camera_pixels(other.raw, "b2"))
    assert (first.calib_dir / "b2" / "psf-b2.fits").read_bytes() == (
        other.calib_dir / "b2" / "psf-b2.fits"
    ).read_bytes()
    truth_a = json.loads(first.truth.read_text())["cameras"]["b2"]
    truth_b = json.loads(other.truth.read_text())["cameras"]["b2"]
    assert truth_a["GAIN_AMP"] == truth_b["GAIN_AMP"]
    assert truth_a["NOISE_AMP"] == truth_b["NOISE_AMP"]


def test_each_camera_depends_only_on_seed_expid_and_name(tmp_path):
    """A camera renders the same alone or with others, in a pool or in process."""
    tile = make_tile(get_profile("mini"), tileid=1011, program="DARK", seed=3)
    job = CameraJob("mini", "z4", 11, NIGHT, "science", "DARK", 1000.0, seed=3,
                    targets=tile.petal(4, 25))  # fmt: skip
    alone = render_camera(job).pixels
    together = _science(tmp_path, seed=3)
    np.testing.assert_array_equal(alone, camera_pixels(together.raw, "z4"))


def test_process_pool_matches_in_process(tmp_path):
    serial = simulate_exposure(
        tmp_path / "serial", expid=12, night=NIGHT, flavor="arc", profile="mini",
        cameras=["b0", "r0"], seed=5, workers=1, progress=False,
    )  # fmt: skip
    pooled = simulate_exposure(
        tmp_path / "pool", expid=12, night=NIGHT, flavor="arc", profile="mini",
        cameras=["b0", "r0"], seed=5, workers=2, progress=False,
    )  # fmt: skip
    assert serial.raw.read_bytes() == pooled.raw.read_bytes()
