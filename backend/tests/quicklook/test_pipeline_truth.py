"""The pipeline against the truth the simulator injected (DESIGN.md 5, issue 3 accuracy)."""

from __future__ import annotations

import numpy as np
import pytest

from qlf.quicklook.qa.targets import fit_snr_model, snr_model

CAMERAS = ("b0", "r0", "z0")

NOMINAL = (1, 2, 3, 4, 5)


@pytest.mark.parametrize("expid", NOMINAL)
def test_nominal_exposures_grade_normal_everywhere(night, expid):
    exposure = night[expid]
    for camera in CAMERAS:
        assert exposure.results[camera].error is None
        assert exposure.qa[camera]["STATUS"] == "NORMAL", (camera, _not_normal(exposure.qa[camera]))


def _not_normal(qa):
    return {
        k: v
        for step in qa["TASKS"].values()
        for k, v in step["METRICS"].items()
        if k.endswith("_STATUS") and v != "NORMAL"
    }


@pytest.mark.parametrize("expid", NOMINAL)
def test_bias_within_half_an_adu_and_noise_within_5_percent(night, expid):
    exposure = night[expid]
    for camera in CAMERAS:
        truth = exposure.cam_truth(camera)
        np.testing.assert_allclose(exposure.metric(camera, "BIAS_AMP"), truth["BIAS_AMP"], atol=0.5)
        np.testing.assert_allclose(
            exposure.metric(camera, "NOISE_AMP"), truth["NOISE_AMP"], rtol=0.05
        )


@pytest.mark.parametrize("expid", [4, 5, 8, 9])
def test_trace_shifts_within_five_hundredths_of_a_pixel(night, expid):
    exposure = night[expid]
    for camera in CAMERAS:
        np.testing.assert_allclose(
            exposure.metric(camera, "XYSHIFTS"), exposure.cam_truth(camera)["XYSHIFTS"], atol=0.05
        )


def test_flat_measures_dx_only(night):
    for camera in CAMERAS:
        dx, dy = night[3].metric(camera, "XYSHIFTS")
        assert dy is None
        assert abs(dx - night[3].cam_truth(camera)["XYSHIFTS"][0]) < 0.05


@pytest.mark.parametrize("expid", [4, 5, 8])
def test_psf_widths_within_5_percent(night, expid):
    exposure = night[expid]
    for camera in CAMERAS:
        truth = exposure.cam_truth(camera)
        xsigma, wsigma = exposure.metric(camera, "XWSIGMA")
        assert xsigma == pytest.approx(truth["XSIGMA"], rel=0.05)
        assert wsigma == pytest.approx(truth["WSIGMA"], rel=0.05)


@pytest.mark.parametrize("expid", [3, 4, 5, 7])
def test_good_fibers_are_the_live_fibers(night, expid):
    exposure = night[expid]
    for camera in CAMERAS:
        truth = exposure.cam_truth(camera)
        good = exposure.metric(camera, "GOOD_FIBERS")
        assert exposure.metric(camera, "NGOODFIB") == truth["NLIVE_FIBERS"]
        assert [i for i, g in enumerate(good) if not g] == sorted(truth["DEAD_FIBERS"])


def test_dead_fibers_between_bright_neighbours_do_not_count(night):
    flat = night[7]
    dead = flat.cam_truth("r0")["DEAD_FIBERS"]
    assert dead == [3, 5, 12, 18, 21]  # each has two live neighbours
    assert flat.metric("r0", "NGOODFIB") == flat.cam_truth("r0")["NFIBER"] - len(dead)


def test_checkflat_matches_the_fiber_throughput(night):
    for camera in CAMERAS:
        truth = night[3].cam_truth(camera)["FIBER_THROUGHPUT"]
        assert night[3].metric(camera, "CHECKFLAT") == pytest.approx(truth, abs=0.005)


def test_every_arc_fiber_fits(night):
    for camera in CAMERAS:
        assert night[4].metric(camera, "CHECKARC") == night[4].cam_truth(camera)["NLIVE_FIBERS"]


def test_cosmic_hits_counted_per_amp(night):
    for camera in CAMERAS:
        found = np.array(night[2].metric(camera, "COSMICS_AMP"))
        truth = np.array(night[2].cam_truth(camera)["COSMICS"])
        # overlapping tracks merge, a track over an amp boundary counts in both
        assert np.all(np.abs(found - truth) <= 1)
        assert abs(found.sum() - truth.sum()) <= max(1, 0.1 * truth.sum())


def test_snr_fit_recovers_the_injected_scaling(night):
    exposure = night[5]
    t = exposure.truth["EXPTIME"]
    for camera in CAMERAS:
        truth = exposure.cam_truth(camera)
        mags = np.array(exposure.metric(camera, "TGT_MAG"), dtype=float)
        snr = np.array(exposure.metric(camera, "TGT_SNR"), dtype=float)
        a, b = fit_snr_model(10 ** (-0.4 * (mags - 22.5)), snr, t)
        # the truth is per row, the fit per √Å: S/N scales as √(Å per row)
        per_row = np.sqrt(truth["DISPERSION"])
        for mag in (21.0, 22.0):
            x = 10 ** (-0.4 * (mag - 22.5))
            model = truth["SNR_MODEL"]
            injected = snr_model(x, model["a"], model["b"], t) / per_row
            assert snr_model(x, a, b, t) == pytest.approx(injected, rel=0.10), (camera, mag)
        assert truth["FIDSNR"] / per_row == pytest.approx(snr_model(10**0.2, a, b, t), rel=0.10)


def test_sky_and_magnitudes_match_truth(night):
    exposure = night[5]
    for camera in CAMERAS:
        truth = exposure.cam_truth(camera)
        # the truth is the continuum over the whole band, SKYCONT its two line-free windows
        assert exposure.metric(camera, "SKYCONT") == pytest.approx(truth["SKY_MAG"], abs=0.1)
        for value in exposure.metric(camera, "DELTAMAG_TGT").values():
            assert abs(value) < 0.1
        lines = dict((round(w, 1), f) for w, f in truth["SKY_LINES"])
        used = exposure.metric(camera, "LINE_WAVELENGTHS")
        expected = sum(lines[round(w, 1)] for w in used) / exposure.truth["EXPTIME"]
        assert exposure.metric(camera, "PEAKCOUNT") == pytest.approx(expected, rel=0.10)
    assert exposure.metric("r0", "SKYRBAND") == pytest.approx(
        exposure.cam_truth("r0")["SKY_MAG_WITH_LINES"], abs=0.1
    )
