"""Issue 15: identity checks, reasons for every UNKNOWN, and DESI Quick Look's other metrics,
against the simulator's truth."""

from __future__ import annotations

import json
import shutil

import numpy as np

from qlf.quicklook.runner import CameraTask, run_camera
from tests.quicklook.conftest import NIGHT, SPECS_MINI


def test_mislabelled_copy_is_filed_under_its_path(night, calib_dir, tmp_path):
    copy = tmp_path / "data" / str(NIGHT) / "00000106" / "desi-00000106.fits.fz"
    copy.parent.mkdir(parents=True)
    shutil.copyfile(night[1].raw, copy)  # headers say exposure 1
    result = run_camera(
        CameraTask(copy, "r0", tmp_path / "scratch", calib_dir=calib_dir, specs_dir=SPECS_MINI)
    )
    assert (result.expid, result.night, result.status) == (106, NIGHT, "ALARM")
    assert result.qa_path == tmp_path / "scratch" / str(NIGHT) / "00000106" / "ql-r0-00000106.json"
    qa = json.loads(result.qa_path.read_text())
    ccd = qa["TASKS"]["CHECK_CCDs"]
    assert qa["EXPID"] == 106 and ccd["METRICS"]["CHECKHDUS"] == 2
    assert ccd["REASONS"]["CHECKHDUS"] == (
        "EXPID: the path says 106, the SPEC header says 1; "
        "EXPID: the path says 106, the R0 header says 1"
    )
    # everything else is measured as usual: only the identity is wrong
    others = {k for t in qa["TASKS"].values() for k, v in t["METRICS"].items()
              if k.endswith("_STATUS") and v != "NORMAL"}  # fmt: skip
    assert others == {"CHECKHDUS_STATUS"}


def test_nominal_identity_is_normal_without_reasons(night):
    for expid in (1, 4, 5):
        for camera, qa in night[expid].qa.items():
            assert qa["TASKS"]["CHECK_CCDs"]["METRICS"]["CHECKHDUS"] == 0
            assert all("REASONS" not in t for t in qa["TASKS"].values()), (expid, camera)


def test_every_unknown_says_why_without_ccd_calibration(night, calib_dir, tmp_path):
    calib = tmp_path / "calib"
    shutil.copytree(calib_dir, calib)
    (calib / "b0" / "ccd-b0.json").unlink()
    result = run_camera(
        CameraTask(night[1].raw, "b0", tmp_path / "scratch", calib_dir=calib, specs_dir=SPECS_MINI)
    )
    ccd = json.loads(result.qa_path.read_text())["TASKS"]["CHECK_CCDs"]
    unknown = {
        k[:-7] for k, v in ccd["METRICS"].items() if k.endswith("_STATUS") and v == "UNKNOWN"
    }
    assert unknown == {"BIAS_AMP", "NOISE_AMP", "NOISE_OVERSCAN_AMP"}
    assert set(ccd["REASONS"]) == unknown
    for key in unknown:
        assert "ccd-b0.json" in ccd["REASONS"][key] and "not found" in ccd["REASONS"][key]


def test_reason_for_a_missing_threshold(night, tmp_path, calib_dir):
    spec = json.loads((SPECS_MINI / "2026-01-01.json").read_text())
    del spec["metrics"]["DIFF1SIG"]
    task = CameraTask(night[1].raw, "z0", tmp_path / "scratch", calib_dir=calib_dir, spec=spec)
    ccd = json.loads(run_camera(task).qa_path.read_text())["TASKS"]["CHECK_CCDs"]
    assert ccd["REASONS"] == {"DIFF1SIG": "no threshold for DIFF1SIG (zero) in specs 2026-01-01"}


def test_overscan_metrics_follow_the_injected_read_noise(night):
    """high_noise:r0:C (×3) on exposure 6: amp C's overscan noise triples; the other amps and
    the nominal exposure read their read noise plus the row pattern (never below it)."""
    truth = night[6].cam_truth("r0")["NOISE_AMP"]
    overscan = night[6].metric("r0", "NOISE_OVERSCAN_AMP")
    assert abs(overscan[2] / truth[2] - 1) < 0.06
    noise = night[1].metric("r0", "NOISE_AMP")
    nominal = night[1].metric("r0", "NOISE_OVERSCAN_AMP")
    assert all(o >= n * 0.99 for o, n in zip(nominal, noise, strict=True))
    # Gaussian overscan: the 1σ and 2σ spans are 2σ and 4σ of the pooled pixels
    d1, d2 = night[1].metric("r0", "DIFF1SIG"), night[1].metric("r0", "DIFF2SIG")
    assert 1.8 < d2 / d1 < 2.2
    assert night[6].metric("r0", "DIFF2SIG") > 1.5 * d2
    assert night[1].metric("r0", "DATA5SIG") == 0


def test_xwsigma_amp_follows_the_injected_psf(night):
    """broad_psf:b0:1.6 on arc exposure 8: every amp's σ across and along × 1.6 (±5 %)."""
    nominal, broad = night[4].metric("b0", "XWSIGMA_AMP"), night[8].metric("b0", "XWSIGMA_AMP")
    assert set(nominal) == {f"{d}_{a}" for d in "XW" for a in "ABCD"}
    truth = night[8].cam_truth("b0")
    for label, value in broad.items():
        expected = truth["XSIGMA"] if label[0] == "X" else truth["WSIGMA"]
        assert abs(value / expected - 1) < 0.05, (label, value, expected)
    assert night[8].status("b0", "XWSIGMA_AMP") in ("WARNING", "ALARM")


def test_checkpsf_counts_no_abnormal_fiber_on_nominal_arcs(night):
    for camera in ("b0", "r0", "z0"):
        assert night[4].metric(camera, "CHECKPSF") == [0, 0, 0]
        coeffs = np.array(night[4].metric(camera, "PSF_LEGENDRE_FIB"), dtype=float)
        truth = night[4].cam_truth(camera)["WSIGMA"]
        assert abs(np.nanmedian(coeffs[:, 0]) / truth - 1) < 0.05


def test_standard_stars_are_graded(night):
    for camera in ("b0", "r0", "z0"):
        assert "STD" in night[5].metric(camera, "FIDSNR_TGT")
        assert "STD" in night[5].metric(camera, "DELTAMAG_TGT")
        assert abs(night[5].metric(camera, "DELTAMAG_TGT")["STD"]) < 0.1
        assert night[5].status(camera, "FIDSNR_TGT") == "NORMAL"


def _not_normal(qa) -> set[str]:
    return {k[:-7] for t in qa["TASKS"].values() for k, v in t["METRICS"].items()
            if k.endswith("_STATUS") and v != "NORMAL"}  # fmt: skip


def test_bias_pattern_is_measured_in_read_noises(night):
    """bias_pattern:r0:B:4 (a 4 ADU rms wave along the rows): BIAS_PATNOISE of every amp is the
    standard deviation of the injected bias along the rows over the read noise (ADU), within
    0.1; NOISE_OVERSCAN_AMP is the read noise and that pattern in quadrature, within 3 %."""
    for expid in (1, 10):
        truth = night[expid].cam_truth("r0")
        rn_adu = np.array(truth["NOISE_AMP"]) / np.array(truth["GAIN_AMP"])
        row_std = np.array(truth["BIAS_ROW_STD_AMP"])
        measured = np.array(night[expid].metric("r0", "BIAS_PATNOISE"))
        np.testing.assert_allclose(measured, row_std / rn_adu, atol=0.1)
        total = np.hypot(truth["NOISE_AMP"], row_std * np.array(truth["GAIN_AMP"]))
        np.testing.assert_allclose(
            night[expid].metric("r0", "NOISE_OVERSCAN_AMP"), total, rtol=0.03
        )
    assert night[10].metric("r0", "BIAS_PATNOISE")[1] > 1.5
    assert night[10].status("r0", "BIAS_PATNOISE") in ("WARNING", "ALARM")
    assert "BIAS_PATNOISE" in _not_normal(night[10].qa["r0"])
    assert _not_normal(night[10].qa["b0"]) == set()


def test_data5sig_counts_the_pixels_below_the_bias(night):
    """data_offset:z0:C:-12 (amp C's data 12 ADU under its overscan): DATA5SIG counts the
    data pixels more than 5 read noises below the bias, as the simulator drew them (±3 %);
    nominal amps and exposures count what Gaussian noise gives (3 per 10⁷: none here)."""
    truth = night[10].cam_truth("z0")["DATA5SIG_AMP"]
    measured = night[10].metric("z0", "DATA5SIG_AMP")
    assert truth[2] > 1000 and abs(measured[2] / truth[2] - 1) < 0.03
    assert measured[:2] + measured[3:] == truth[:2] + truth[3:] == [0, 0, 0]
    assert night[10].status("z0", "DATA5SIG") == "ALARM"
    assert _not_normal(night[10].qa["z0"]) == {"DATA5SIG"}
    for expid in (1, 2, 3, 4, 5):
        assert night[expid].metric("z0", "DATA5SIG") == 0


def test_xwsigma_amp_finds_the_broad_amp(night):
    """broad_psf_amp:b0:C:1.6 (arc) and broad_psf_amp:z0:B:1.5 (science): the broadened amp
    reads the injected widths (±5 %), the others stay nominal (±3 %)."""
    for expid, camera, amp in ((11, "b0", "C"), (12, "z0", "B")):
        truth = night[expid].cam_truth(camera)["XWSIGMA_AMP"]
        measured = night[expid].metric(camera, "XWSIGMA_AMP")
        for label, value in measured.items():
            tolerance = 0.05 if label.endswith(amp) else 0.03
            assert abs(value / truth[label] - 1) < tolerance, (expid, label, value, truth[label])
    assert night[11].status("b0", "XWSIGMA_AMP") == "ALARM"


def test_checkpsf_finds_the_broad_fibers(night):
    """broad_fibers:r0:3,11 (×1.5): exactly fibers 3 and 11 have an abnormal PSF width (P0)."""
    bad = night[11].metric("r0", "PSF_BAD_FIB")
    assert [i for i, b in enumerate(bad) if b] == [3, 11]
    assert night[11].metric("r0", "CHECKPSF") == [2, 0, 0]
    assert night[11].status("r0", "CHECKPSF") == "WARNING"
