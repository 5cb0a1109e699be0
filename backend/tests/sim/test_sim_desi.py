"""One full-size DESI camera: real geometry, sections as DESIGN.md 4.1, truth round trip."""

from __future__ import annotations

import json

import numpy as np
import pytest
from sim_helpers import NIGHT, electrons

from qlf.quicklook.io.calib import calib_paths, read_ccd_calib, read_psf
from qlf.quicklook.io.raw import open_raw
from qlf.sim import simulate_exposure
from qlf.sim.profiles import get_profile


@pytest.mark.slow
def test_full_size_desi_camera(tmp_path):
    result = simulate_exposure(
        tmp_path, expid=1, night=NIGHT, flavor="flat", profile="desi", cameras=["r3"],
        seed=1, progress=False,
    )  # fmt: skip
    truth = json.loads(result.truth.read_text())["cameras"]["r3"]
    with open_raw(result.raw) as raw:
        frame = raw.read_camera("r3")
        assert frame.image.shape == (4194, 4256) and frame.trimmed_shape == (4128, 4114)
        header = frame.header
        assert header["DATASECA"] == "[8:2064,2:2065]"
        assert header["BIASSECB"] == "[2129:2192,2:2065]"
        assert header["DATASECC"] == "[8:2064,2130:4193]"
        assert header["CCDSIZE"] == "4114,4128"
        for i, amp in enumerate(frame.amps):
            overscan = amp.overscan.astype(float)
            assert overscan.shape == (2064, 64)
            assert overscan.mean() == pytest.approx(truth["BIAS_AMP"][i], abs=0.05)
    assert truth["NFIBER"] == 500
    ccd = read_ccd_calib(calib_paths(result.calib_dir, "r3").ccd)
    assert [ccd[a]["gain"] for a in "ABCD"] == truth["GAIN_AMP"]
    traces = read_psf(calib_paths(result.calib_dir, "r3").psf)
    assert traces.xcoef.shape == (500, 6)
    image = electrons(result.raw, "r3")
    x, wave = traces.shifted(*truth["XYSHIFTS"]).x_at_rows(4128)
    # 20 bundles of 25 fibers, ~7.25 px apart, bowed by up to ~20 px at the CCD ends
    bow = np.nanmax(np.abs(x - x[:, [2064]]), axis=1)
    assert 15 < bow.max() < 25
    assert np.nanmedian(np.abs(np.diff(wave, axis=1))) == pytest.approx(0.52, abs=0.05)
    for row in (300, 2064, 3800):
        offsets = []
        for xi in x[:, row]:
            cols = np.arange(int(np.rint(xi)) - 3, int(np.rint(xi)) + 4)
            values = image[row, cols]
            offsets.append(np.sum(values * cols) / np.sum(values) - xi)
        # a few fibers may catch a cosmic ray: robust statistics
        assert abs(np.median(offsets)) < 0.01 and np.percentile(np.abs(offsets), 98) < 0.05
    assert get_profile("desi").arms["r"].raw_shape == frame.image.shape
