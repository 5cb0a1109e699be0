"""Real-file robustness: what real instruments and bad nights hand the pipeline."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import numpy as np
from astropy.io import fits

from qlf.cli import main
from qlf.quicklook.runner import CameraTask, run_camera

SPECS_MINI = Path(__file__).resolve().parents[2] / "specs" / "mini"


def _run(raw, camera, scratch, calib, *, on_event=None):
    task = CameraTask(raw, camera, scratch, calib_dir=calib, specs_dir=SPECS_MINI)
    return run_camera(task, on_event=on_event)


def _rewrite(src, dst, edit):
    """Copy a raw file, letting ``edit(hdul)`` change it (written uncompressed-safe)."""
    with fits.open(src) as hdul:
        hdus = [fits.PrimaryHDU(header=hdul[0].header)]
        for hdu in hdul[1:]:
            if isinstance(hdu, fits.CompImageHDU):
                hdus.append(
                    fits.CompImageHDU(
                        hdu.data, header=hdu.header, name=hdu.name, compression_type="RICE_1"
                    )
                )
            else:
                hdus.append(hdu.copy())
        new = fits.HDUList(hdus)
        edit(new)
        dst.parent.mkdir(parents=True, exist_ok=True)
        new.writeto(dst, overwrite=True)
    return dst


def test_two_amp_camera(night, calib_dir, tmp_path):
    """A camera read out through amps A and B only: the bottom half of the CCD."""
    zero = night[1]

    def keep_bottom(hdul):
        hdu = hdul["R0"]
        top = max(
            int(hdu.header[k].split(",")[1].split(":")[1].rstrip("]"))
            for k in ("DATASECA", "ORSECA")
        )
        hdu.data = hdu.data[:top].copy()
        for amp in "CD":
            for key in (
                "PRESEC",
                "DATASEC",
                "BIASSEC",
                "ORSEC",
                "CCDSEC",
                "GAIN",
                "SATURLEV",
                "RDNOISE",
            ):
                hdu.header.remove(f"{key}{amp}", ignore_missing=True)

    raw = _rewrite(
        zero.raw, tmp_path / "20261122" / "00000001" / "desi-00000001.fits.fz", keep_bottom
    )
    result = _run(raw, "r0", tmp_path / "scratch", calib_dir)
    assert result.error is None
    qa = json.loads(result.qa_path.read_text())
    assert qa["AMPS"] == ["A", "B"]
    bias = qa["TASKS"]["CHECK_CCDs"]["METRICS"]["BIAS_AMP"]
    np.testing.assert_allclose(bias, zero.cam_truth("r0")["BIAS_AMP"][:2], atol=0.5)
    assert result.status == "NORMAL"


def test_missing_gain_keywords_and_no_ccd_calibration(night, calib_dir, tmp_path):
    zero = night[1]

    def strip_gains(hdul):
        for amp in "ABCD":
            hdul["B0"].header.remove(f"GAIN{amp}", ignore_missing=True)

    raw = _rewrite(
        zero.raw, tmp_path / "20261122" / "00000001" / "desi-00000001.fits.fz", strip_gains
    )
    calib = tmp_path / "calib"
    shutil.copytree(calib_dir / "b0", calib / "b0")
    (calib / "b0" / "ccd-b0.json").unlink()
    result = _run(raw, "b0", tmp_path / "scratch", calib)
    assert result.error is None
    log = result.log_path.read_text()
    assert "no gain in calibration or header; using 1.0" in log
    metrics = json.loads(result.qa_path.read_text())["TASKS"]["CHECK_CCDs"]["METRICS"]
    # the bias needs no gain; without a calibrated reference it cannot be graded
    np.testing.assert_allclose(metrics["BIAS_AMP"], zero.cam_truth("b0")["BIAS_AMP"], atol=0.5)
    assert metrics["BIAS_AMP_STATUS"] == "UNKNOWN"
    assert metrics["LITFRAC_AMP_STATUS"] == "NORMAL"


def test_not_a_fits_file(tmp_path):
    raw = tmp_path / "20261122" / "00000009" / "desi-00000009.fits.fz"
    raw.parent.mkdir(parents=True)
    raw.write_text("this is not FITS")
    result = _run(raw, "r0", tmp_path / "scratch", tmp_path / "calib")
    assert result.failed and str(raw) in result.error and "not a readable FITS file" in result.error
    qa = json.loads(result.qa_path.read_text())
    assert (qa["EXPID"], qa["NIGHT"], qa["STATUS"]) == (9, 20261122, "UNKNOWN")


def test_missing_calibration_fails_only_what_needs_it(night, tmp_path):
    result = _run(night[5].raw, "r0", tmp_path / "scratch", tmp_path / "no-calib")
    qa = json.loads(result.qa_path.read_text())
    ccd = qa["TASKS"]["CHECK_CCDs"]
    assert ccd["METRICS"]["NOISE_AMP"] is not None
    assert ccd["METRICS"]["XWSIGMA_STATUS"] == "UNKNOWN"
    assert "no PSF calibration" in qa["TASKS"]["CHECK_FIBERS"]["ERROR"]
    assert result.error is not None and result.status == "UNKNOWN"


def test_science_without_fibermap(night, calib_dir, tmp_path):
    raw = tmp_path / "20261122" / "00000005" / "desi-00000005.fits.fz"
    raw.parent.mkdir(parents=True)
    shutil.copy(night[5].raw, raw)
    result = _run(raw, "r0", tmp_path / "scratch", calib_dir)
    qa = json.loads(result.qa_path.read_text())
    assert qa["TASKS"]["CHECK_FIBERS"]["STATUS"] == "NORMAL"
    assert "no fibermap" in qa["TASKS"]["CHECK_SPECTRA"]["ERROR"]
    assert result.failed_step == "CHECK_SPECTRA"


def test_step_events_and_log_lines(night, calib_dir, tmp_path):
    events = []
    _run(night[4].raw, "z0", tmp_path / "scratch", calib_dir, on_event=events.append)
    steps = [(e["step"], e["state"]) for e in events if e["type"] == "step"]
    assert steps == [
        ("CHECK_CCDs", "started"), ("CHECK_CCDs", "finished"),
        ("CHECK_FIBERS", "started"), ("CHECK_FIBERS", "finished"),
        ("CHECK_ARC", "started"), ("CHECK_ARC", "finished"),
    ]  # fmt: skip
    finished = [e for e in events if e.get("state") == "finished"]
    assert all(e["status"] == "NORMAL" and e["duration_s"] >= 0 for e in finished)
    lines = [line for e in events if e["type"] == "log" for line in e["lines"]]
    assert any("CHECK_ARC NORMAL" in line for line in lines)


def test_cli_exit_codes(night, calib_dir, tmp_path, capsys):
    args = [
        "ql",
        "run",
        "--calib",
        str(calib_dir),
        "--out",
        str(tmp_path),
        "--specs",
        str(SPECS_MINI),
    ]
    assert main([*args, str(night[4].raw), "--camera", "b0,r0"]) == 0
    out = capsys.readouterr().out
    assert "b0 CHECK_ARC" in out and "r0: NORMAL" in out
    assert main([*args, str(night[9].raw), "--camera", "r1"]) == 1
    assert "truncated" in capsys.readouterr().err
    assert main([*args, str(tmp_path / "nope.fits.fz")]) == 2
    assert "no such file" in capsys.readouterr().err
