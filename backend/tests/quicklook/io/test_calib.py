"""Calibration files (DESIGN.md 4.3): PSF traces, fiber flat and CCD parameters."""

from __future__ import annotations

import json

import numpy as np
import pytest
from astropy.io import fits

from qlf.quicklook.io.calib import (
    CalibError,
    calib_paths,
    read_ccd_calib,
    read_fiberflat,
    read_psf,
    write_ccd_calib,
    write_fiberflat,
    write_psf,
)
from qlf.quicklook.psf import TraceSet


def _traces(nfiber: int = 5, *, xsigma: bool = True) -> TraceSet:
    wave = np.linspace(5630.0, 7740.0, 50)
    u = np.linspace(-1, 1, wave.size)
    x = 20.0 + 7.25 * np.arange(nfiber)[:, None] + 2.0 * u[None, :] ** 2
    y = 3.0 + 190.0 * (u[None, :] + 1) + 0.1 * np.arange(nfiber)[:, None]
    sigma = np.full(nfiber, 1.05) if xsigma else None
    return TraceSet.fit(wave, x, y, deg=5, xsigma=sigma)


def test_paths():
    paths = calib_paths("/calib", "R3")
    assert str(paths.psf) == "/calib/r3/psf-r3.fits"
    assert str(paths.fiberflat) == "/calib/r3/fiberflat-r3.fits"
    assert str(paths.ccd) == "/calib/r3/ccd-r3.json"
    assert paths.camera == "r3"


@pytest.mark.parametrize("with_xsigma", [True, False])
def test_psf_round_trip(tmp_path, with_xsigma):
    traces = _traces(xsigma=with_xsigma)
    path = write_psf(tmp_path / "psf-r3.fits", traces, header={"CAMERA": "r3"})
    back = read_psf(path)
    np.testing.assert_array_equal(back.xcoef, traces.xcoef)
    np.testing.assert_array_equal(back.ycoef, traces.ycoef)
    assert (back.wavemin, back.wavemax) == (5630.0, 7740.0)
    if with_xsigma:
        np.testing.assert_array_equal(back.xsigma, traces.xsigma)
    else:
        assert back.xsigma is None
    with fits.open(path) as hdul:
        assert hdul["XTRACE"].data.shape == (5, 6)
        assert hdul["XTRACE"].header["WAVEMIN"] == 5630.0
        assert hdul[0].header["CAMERA"] == "r3"
    wave = np.array([6000.0, 7000.0])
    np.testing.assert_allclose(back.x(wave), traces.x(wave))


def _write(path, hdus):
    fits.HDUList([fits.PrimaryHDU(), *hdus]).writeto(path)
    return path


def test_psf_errors_name_file_and_field(tmp_path):
    traces = _traces()
    x = fits.ImageHDU(traces.xcoef, name="XTRACE")
    x.header["WAVEMIN"], x.header["WAVEMAX"] = 5630.0, 7740.0
    y = fits.ImageHDU(traces.ycoef, name="YTRACE")
    cases = {
        "no_y.fits": ([x], "YTRACE"),
        "bad_shape.fits": ([x, fits.ImageHDU(traces.ycoef[:3], name="YTRACE")], "YTRACE"),
        "no_wave.fits": ([fits.ImageHDU(traces.xcoef, name="XTRACE"), y], "WAVEMIN"),
        "bad_sigma.fits": ([x, y, fits.ImageHDU(np.ones(3), name="XSIGMA")], "XSIGMA"),
        "nan.fits": ([fits.ImageHDU(np.full((5, 6), np.nan), name="XTRACE", header=x.header), y],
                     "XTRACE"),
    }  # fmt: skip
    for name, (hdus, field) in cases.items():
        path = _write(tmp_path / name, hdus)
        with pytest.raises(CalibError) as info:
            read_psf(path)
        assert name in str(info.value) and info.value.field == field, name
    with pytest.raises(CalibError, match="no such file"):
        read_psf(tmp_path / "missing.fits")
    truncated = tmp_path / "truncated.fits"
    good = write_psf(tmp_path / "good.fits", traces)
    truncated.write_bytes(good.read_bytes()[:-3000])
    with pytest.raises(CalibError, match=r"truncated\.fits"):
        read_psf(truncated)


def test_fiberflat_round_trip_and_errors(tmp_path):
    wave = np.linspace(3570.0, 5730.0, 40)
    flat = 1.0 + 0.01 * np.random.default_rng(1).standard_normal((5, 40))
    path = write_fiberflat(tmp_path / "fiberflat-b0.fits", flat, wave)
    back, back_wave = read_fiberflat(path)
    np.testing.assert_allclose(back, flat, rtol=1e-6)
    np.testing.assert_array_equal(back_wave, wave)
    assert read_fiberflat(path).flat.shape == (5, 40)
    with pytest.raises(ValueError, match="wavelengths"):
        write_fiberflat(tmp_path / "x.fits", flat, wave[:-1])
    bad = _write(tmp_path / "bad.fits", [fits.ImageHDU(flat, name="FIBERFLAT"),
                                         fits.ImageHDU(wave[:-1], name="WAVELENGTH")])  # fmt: skip
    with pytest.raises(CalibError, match=r"bad.fits \[WAVELENGTH\]"):
        read_fiberflat(bad)
    backwards = _write(tmp_path / "backwards.fits", [fits.ImageHDU(flat, name="FIBERFLAT"),
                       fits.ImageHDU(wave[::-1], name="WAVELENGTH")])  # fmt: skip
    with pytest.raises(CalibError, match="increase"):
        read_fiberflat(backwards)
    missing = _write(tmp_path / "missing.fits", [fits.ImageHDU(flat, name="FIBERFLAT")])
    with pytest.raises(CalibError, match=r"\[WAVELENGTH\]"):
        read_fiberflat(missing)


AMPS = {
    a: {"gain": 1.2 + 0.1 * i, "readnoise": 2.8, "saturation": 62000.0, "bias": 1500.0}
    for i, a in enumerate("ABCD")
}


def test_ccd_round_trip_and_missing_file(tmp_path):
    path = write_ccd_calib(tmp_path / "ccd-z1.json", AMPS, camera="z1")
    assert json.loads(path.read_text())["camera"] == "z1"
    assert read_ccd_calib(path) == AMPS
    assert read_ccd_calib(tmp_path / "ccd-b0.json") is None  # missing: fall back to GAINx
    top_level = tmp_path / "flat.json"
    top_level.write_text(json.dumps({"A": AMPS["A"], "B": AMPS["B"]}))
    assert sorted(read_ccd_calib(top_level)) == ["A", "B"]  # a 2-amp camera
    with pytest.raises(ValueError, match="saturation"):
        write_ccd_calib(tmp_path / "x.json", {"A": {"gain": 1.0, "readnoise": 3.0}})


@pytest.mark.parametrize(
    ("doc", "field"),
    [
        ({"amps": {"A": {"gain": 1.2, "readnoise": 2.8}}}, "amps.A.saturation"),
        ({"amps": {"A": {**AMPS["A"], "gain": -1}}}, "amps.A.gain"),
        ({"amps": {"A": {**AMPS["A"], "gain": "high"}}}, "amps.A.gain"),
        ({"amps": {"A": {**AMPS["A"], "bias": True}}}, "amps.A.bias"),
        ({"amps": {"E": AMPS["A"]}}, "amps.E"),
        ({"amps": {}}, "amps"),
        ({"camera": "b0"}, "amps"),
    ],
)
def test_ccd_errors_name_file_and_field(tmp_path, doc, field):
    path = tmp_path / "ccd-b0.json"
    path.write_text(json.dumps(doc))
    with pytest.raises(CalibError) as info:
        read_ccd_calib(path)
    assert info.value.field == field and "ccd-b0.json" in str(info.value)


def test_ccd_not_json(tmp_path):
    path = tmp_path / "ccd-b0.json"
    path.write_text("{gain: 1.2")
    with pytest.raises(CalibError, match="JSON"):
        read_ccd_calib(path)
    path.write_text("[1, 2]")
    with pytest.raises(CalibError, match="object"):
        read_ccd_calib(path)
