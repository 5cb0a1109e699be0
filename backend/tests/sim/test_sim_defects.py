"""Injected defects: each is recorded in the truth, measurable, and changes only its camera."""

from __future__ import annotations

import json
import warnings

import numpy as np
import pytest
from astropy.io import fits
from sim_helpers import CAMERAS, NIGHT, calib_traces, camera_pixels, electrons

from qlf.quicklook.io.raw import RawFormatError, open_raw
from qlf.sim import simulate_exposure
from qlf.sim.defects import DEFECT_KINDS, Defect, parse_defect
from qlf.sim.profiles import AMPS, get_profile

CAMERA = "r1"
MINI_SHAPES = {arm: geom.raw_shape for arm, geom in get_profile("mini").arms.items()}
OTHERS = [c for c in CAMERAS if c != CAMERA]


def _simulate(tmp_path, exposures, defect: str, flavor: str = "flat"):
    nominal = exposures[flavor]
    result = simulate_exposure(
        tmp_path, expid=nominal.truth["EXPID"], night=NIGHT, flavor=flavor, profile="mini",
        cameras=CAMERAS, seed=7, calib=nominal.calib, defects=[defect], progress=False,
    )  # fmt: skip
    return nominal, result, json.loads(result.truth.read_text())


def _assert_only_camera_changed(nominal, result, truth, *, pixels_readable=True):
    for camera in OTHERS:
        assert truth["cameras"][camera] == nominal.camera_truth(camera)
        if pixels_readable:
            np.testing.assert_array_equal(
                camera_pixels(result.raw, camera), camera_pixels(nominal.raw, camera)
            )
    assert truth["cameras"][CAMERA] != nominal.camera_truth(CAMERA)


def _amp(raw_path, amp_name):
    with open_raw(raw_path) as raw:
        frame = raw.read_camera(CAMERA)
        amp = frame.amps[AMPS.index(amp_name)]
        return amp.data.astype(float), amp.overscan.astype(float), amp.ccd


def _record(truth, kind):
    records = [d for d in truth["defects"] if d["kind"] == kind]
    assert len(records) == 1 and records[0]["camera"] == CAMERA
    return records[0]


def test_hot_amp(tmp_path, exposures):
    nominal, result, truth = _simulate(tmp_path, exposures, "hot_amp:r1:B", "zero")
    _assert_only_camera_changed(nominal, result, truth)
    assert _record(truth, "hot_amp")["amp"] == "B"
    cam = truth["cameras"][CAMERA]
    assert cam["GLOW_AMP"] == [0.0, 500.0, 0.0, 0.0]
    image = electrons(result.raw, CAMERA)
    base = electrons(nominal.raw, CAMERA)
    for name in AMPS:
        _, _, ccd = _amp(result.raw, name)
        step = np.median(image[ccd]) - np.median(base[ccd])
        assert step == pytest.approx(500.0 if name == "B" else 0.0, abs=3.0)


def test_dead_amp_shows_only_bias_and_read_noise(tmp_path, exposures):
    nominal, result, truth = _simulate(tmp_path, exposures, "dead_amp:r1:C")
    _assert_only_camera_changed(nominal, result, truth)
    cam = truth["cameras"][CAMERA]
    assert cam["DEAD_AMPS"] == ["C"] and cam["COSMICS"][2] == 0
    data, overscan, _ = _amp(result.raw, "C")
    data = data - overscan.mean(axis=1, keepdims=True)  # the bias row pattern
    assert data.mean() == pytest.approx(0.0, abs=0.3)
    rn_adu = cam["NOISE_AMP"][2] / cam["GAIN_AMP"][2]
    assert data.std() == pytest.approx(rn_adu, rel=0.1)
    lit, lit_overscan, _ = _amp(result.raw, "D")
    assert lit.max() > lit_overscan.mean() + 1000  # the neighbouring amp still sees the flat


def test_high_noise(tmp_path, exposures):
    nominal, result, truth = _simulate(tmp_path, exposures, "high_noise:r1:D:3", "zero")
    _assert_only_camera_changed(nominal, result, truth)
    cam = truth["cameras"][CAMERA]
    base = nominal.camera_truth(CAMERA)
    assert cam["NOISE_AMP"][3] == pytest.approx(3 * base["NOISE_AMP"][3], rel=1e-3)
    assert cam["NOISE_AMP"][:3] == base["NOISE_AMP"][:3]
    _, overscan, _ = _amp(result.raw, "D")
    per_row = overscan - overscan.mean(axis=1, keepdims=True)
    assert per_row.std() == pytest.approx(cam["NOISE_AMP"][3] / cam["GAIN_AMP"][3], rel=0.05)


def test_bias_jump(tmp_path, exposures):
    nominal, result, truth = _simulate(tmp_path, exposures, "bias_jump:r1:A:80", "zero")
    _assert_only_camera_changed(nominal, result, truth)
    cam = truth["cameras"][CAMERA]
    assert cam["BIAS_AMP"][0] == pytest.approx(nominal.camera_truth(CAMERA)["BIAS_AMP"][0] + 80)
    _, overscan, _ = _amp(result.raw, "A")
    assert overscan.mean() == pytest.approx(cam["BIAS_AMP"][0], abs=0.15)
    assert _record(truth, "bias_jump")["params"] == {"adu": 80.0}


def _centroid_shift(image, expected):
    rows = np.arange(20, image.shape[0] - 20, 11)
    offsets = []
    for row in rows:
        for xi in expected[:, row]:
            cols = np.arange(int(np.rint(xi)) - 3, int(np.rint(xi)) + 4)
            values = image[row, cols]
            offsets.append(np.sum(values * cols) / np.sum(values) - xi)
    return float(np.mean(offsets))


def test_trace_shift(tmp_path, exposures):
    nominal, result, truth = _simulate(tmp_path, exposures, "trace_shift:r1:0.4,-0.6")
    _assert_only_camera_changed(nominal, result, truth)
    dx0, dy0 = nominal.camera_truth(CAMERA)["XYSHIFTS"]
    dx, dy = truth["cameras"][CAMERA]["XYSHIFTS"]
    assert (dx - dx0, dy - dy0) == pytest.approx((0.4, -0.6))
    image = electrons(result.raw, CAMERA)
    calib = calib_traces(nominal, CAMERA)
    unshifted, _ = calib.x_at_rows(image.shape[0])
    shifted, _ = calib.shifted(dx, dy).x_at_rows(image.shape[0])
    assert _centroid_shift(image, unshifted) == pytest.approx(dx, abs=0.05)
    assert _centroid_shift(image, shifted) == pytest.approx(0.0, abs=0.02)


def _profile_sigma(image, x):
    rows = np.arange(20, image.shape[0] - 20, 11)
    widths = []
    for row in rows:
        for xi in x[:, row]:
            cols = np.arange(int(np.rint(xi)) - 3, int(np.rint(xi)) + 4)
            values = image[row, cols]
            mean = np.sum(values * cols) / np.sum(values)
            widths.append(np.sum(values * (cols - mean) ** 2) / np.sum(values))
    return float(np.sqrt(np.median(widths)))


def test_broad_psf(tmp_path, exposures):
    nominal, result, truth = _simulate(tmp_path, exposures, "broad_psf:r1:1.6")
    _assert_only_camera_changed(nominal, result, truth)
    cam = truth["cameras"][CAMERA]
    base = nominal.camera_truth(CAMERA)
    assert cam["XSIGMA"] == pytest.approx(1.6 * base["XSIGMA"])
    assert cam["WSIGMA"] == pytest.approx(1.6 * base["WSIGMA"])
    x, _ = calib_traces(nominal, CAMERA).shifted(*cam["XYSHIFTS"]).x_at_rows(400)
    narrow = _profile_sigma(electrons(nominal.raw, CAMERA), x)
    broad = _profile_sigma(electrons(result.raw, CAMERA), x)
    # second moments inside a ±3 px window, pixel-integrated: σ² + 1/12, truncated when broad
    assert narrow == pytest.approx(np.sqrt(base["XSIGMA"] ** 2 + 1 / 12), rel=0.03)
    assert broad > 1.35 * narrow


@pytest.mark.parametrize(("text", "count"), [("dead_fibers:r1:3,7", None), ("dead_fibers:r1:4", 4)])
def test_dead_fibers(tmp_path, exposures, text, count):
    nominal, result, truth = _simulate(tmp_path, exposures, text)
    _assert_only_camera_changed(nominal, result, truth)
    cam = truth["cameras"][CAMERA]
    dead = cam["DEAD_FIBERS"]
    assert dead == ([3, 7] if count is None else sorted(dead)) and len(dead) == (count or 2)
    assert cam["NLIVE_FIBERS"] == 25 - len(dead)
    assert _record(truth, "dead_fibers")["params"]["fibers"] == dead
    x, _ = calib_traces(nominal, CAMERA).shifted(*cam["XYSHIFTS"]).x_at_rows(400)
    image = electrons(result.raw, CAMERA)
    peak = np.array([np.median(image[np.arange(50, 350), np.rint(x[i, 50:350]).astype(int)])
                     for i in range(25)])  # fmt: skip
    live = np.setdiff1d(np.arange(25), dead)
    assert peak[dead].max() < 0.01 * peak[live].min()


def test_missing_camera(tmp_path, exposures):
    nominal, result, truth = _simulate(tmp_path, exposures, "missing_camera:r1", "zero")
    _assert_only_camera_changed(nominal, result, truth)
    assert truth["cameras"][CAMERA] == {"CAMERA": CAMERA, "HDU_PRESENT": False}
    with open_raw(result.raw) as raw:
        assert raw.cameras == ["b0", "z9"]
        with pytest.raises(RawFormatError, match="R1"):
            raw.read_camera(CAMERA)


def test_truncated_file_cut_inside_its_camera(tmp_path, exposures):
    nominal, result, truth = _simulate(tmp_path, exposures, "truncated:r1:0.4", "zero")
    assert truth["TRUNCATED_CAMERA"] == CAMERA and truth["cameras"][CAMERA]["TRUNCATED"]
    _assert_only_camera_changed(nominal, result, truth)
    assert result.raw.stat().st_size < nominal.raw.stat().st_size
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # astropy: "File may have been truncated"
        with fits.open(result.raw) as hdul:
            assert [h.name for h in hdul][-1] == "R1"  # the cut camera is written last
            with pytest.raises((TypeError, ValueError, OSError)):
                hdul["R1"].data  # noqa: B018
        for camera in OTHERS:  # the cameras before the cut still decompress
            with fits.open(result.raw) as hdul:
                np.testing.assert_array_equal(
                    hdul[camera.upper()].data, camera_pixels(nominal.raw, camera)
                )
    with open_raw(result.raw) as raw:  # the Quick Look reader: only the cut camera fails
        assert raw.cameras == sorted(CAMERAS)
        for camera in OTHERS:
            assert raw.read_camera(camera).image.shape == MINI_SHAPES[camera[0]]
        with pytest.raises(RawFormatError, match="r1"):
            raw.read_camera(CAMERA)


def test_saturated_blob(tmp_path, exposures):
    nominal, result, truth = _simulate(tmp_path, exposures, "saturated_blob:r1:D", "zero")
    _assert_only_camera_changed(nominal, result, truth)
    cam = truth["cameras"][CAMERA]
    data, _, _ = _amp(result.raw, "D")
    saturated = int(np.count_nonzero(data >= cam["SATURLEV_AMP"][3]))
    assert saturated >= np.pi * 6.0**2 * 0.9
    assert cam["SATURATED"] == saturated and cam["SATURATED_AMP"][3] == saturated
    assert np.count_nonzero(data == 65535) == saturated


def test_parse_defect_forms():
    assert parse_defect("hot_amp:b0") == Defect("hot_amp", "b0", "A", {"electrons": 500.0})
    assert parse_defect("high_noise:r1:C:2.5").params == {"factor": 2.5}
    assert parse_defect("high_noise:r1:C").amp == "C"
    assert parse_defect("bias_jump:z2:40").params == {"adu": 40.0}
    assert parse_defect("trace_shift:b0:0.3,-1").params == {"dx": 0.3, "dy": -1.0}
    assert parse_defect("dead_fibers:b0:5").params == {"count": 5}
    assert parse_defect("dead_fibers:b0:5,").params == {"fibers": [5]}
    assert parse_defect("missing_camera:Z9").camera == "z9"
    assert set(DEFECT_KINDS) == {
        "hot_amp", "dead_amp", "high_noise", "bias_jump", "trace_shift", "broad_psf",
        "dead_fibers", "missing_camera", "truncated", "saturated_blob",
        "broad_psf_amp", "broad_fibers", "bias_pattern", "data_offset",  # issue 15
    }  # fmt: skip
    assert parse_defect("broad_psf_amp:z0:B:1.4") == Defect("broad_psf_amp", "z0", "B",
                                                            {"factor": 1.4})  # fmt: skip
    assert parse_defect("broad_fibers:r0:3,11").params == {"fibers": [3, 11]}
    assert parse_defect("bias_pattern:b0:D:2").params == {"adu": 2.0}


@pytest.mark.parametrize(
    ("text", "match"),
    [("cold_amp:b0", "unknown defect"), ("hot_amp", "KIND:CAMERA"), ("hot_amp:q7", "camera"),
     ("high_noise:b0:C:x", "not a number"), ("truncated:b0:1.5", "fraction"),
     ("missing_camera:b0:3", "too many"), ("trace_shift:b0:1,2,3", "dx,dy")],
)  # fmt: skip
def test_parse_defect_errors(text, match):
    with pytest.raises(ValueError, match=match):
        parse_defect(text)


def test_defect_on_a_camera_not_simulated(tmp_path):
    with pytest.raises(ValueError, match="not simulated"):
        simulate_exposure(
            tmp_path, expid=1, night=NIGHT, flavor="zero", profile="mini", cameras=["b0"],
            defects=["hot_amp:r1"],
        )  # fmt: skip
    with pytest.raises(ValueError, match="outside"):
        simulate_exposure(
            tmp_path, expid=2, night=NIGHT, flavor="flat", profile="mini", cameras=["b0"],
            defects=["dead_fibers:b0:3,99"],
        )  # fmt: skip
