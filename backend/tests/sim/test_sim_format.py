"""Files written by the simulator against the formats of DESIGN.md 4.1-4.3."""

from __future__ import annotations

import io
import json
import warnings

import numpy as np
import pytest
from astropy.io import fits
from sim_helpers import CAMERAS, NIGHT

from qlf.quicklook.io.calib import calib_paths, read_ccd_calib, read_fiberflat, read_psf
from qlf.quicklook.io.fibermap import FIBERMAP_COLUMNS, read_fibermap
from qlf.quicklook.io.raw import open_raw
from qlf.sim.compress import rice_image_hdu_bytes
from qlf.sim.observation import camera_header
from qlf.sim.profiles import AMPS, get_profile

GLOBAL_KEYWORDS = [
    "EXPID",
    "NIGHT",
    "FLAVOR",
    "OBSTYPE",
    "TILEID",
    "EXPTIME",
    "DATE-OBS",
    "MJD-OBS",
    "AIRMASS",
    "SEEING",
    "SKYRA",
    "SKYDEC",
    "TILERA",
    "TILEDEC",
]
CAMERA_KEYWORDS = ["CAMERA", "SPECGRPH", "EXPID", "NIGHT", "DETECTOR", "CCDSIZE"]
MINI = get_profile("mini")


@pytest.mark.parametrize("flavor", ["zero", "dark", "flat", "arc", "science"])
def test_raw_file_layout(exposures, flavor):
    written = exposures[flavor]
    expid = written.truth["EXPID"]
    assert written.raw == written.out / str(NIGHT) / f"{expid:08d}" / f"desi-{expid:08d}.fits.fz"
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        hdul = fits.open(written.raw, disable_image_compression=True)
    with hdul:
        assert isinstance(hdul[0], fits.PrimaryHDU) and hdul[0].data is None
        spec = hdul[1]
        assert spec.name == "SPEC" and isinstance(spec, fits.ImageHDU) and spec.data is None
        for key in GLOBAL_KEYWORDS:
            assert key in spec.header, key
        assert spec.header["EXPID"] == expid and spec.header["NIGHT"] == NIGHT
        assert spec.header["FLAVOR"] == flavor and spec.header["OBSTYPE"] == flavor.upper()
        assert ("PROGRAM" in spec.header) == (flavor == "science")
        assert [h.name for h in hdul[2:]] == [c.upper() for c in CAMERAS]
        for hdu in hdul[2:]:
            header = hdu.header  # the binary table that holds the compressed image
            assert header["ZIMAGE"] is True
            assert header["ZCMPTYPE"] == "RICE_1"
            assert header["ZBITPIX"] == 16 and header["BZERO"] == 32768
            geom = MINI.arms[header["CAMERA"][0]]
            assert (header["ZNAXIS2"], header["ZNAXIS1"]) == geom.raw_shape


@pytest.mark.parametrize("flavor", ["zero", "science"])
def test_camera_hdus_decompress_to_uint16_with_all_keywords(exposures, flavor):
    written = exposures[flavor]
    with fits.open(written.raw) as hdul:
        for camera in CAMERAS:
            hdu = hdul[camera.upper()]
            assert isinstance(hdu, fits.CompImageHDU)
            assert hdu.data.dtype == np.uint16
            header = hdu.header
            for key in CAMERA_KEYWORDS:
                assert key in header, key
            assert header["CAMERA"] == camera and header["SPECGRPH"] == int(camera[1])
            assert header["EXPID"] == written.truth["EXPID"]
            for amp in AMPS:
                for key in ("PRESEC", "DATASEC", "BIASSEC", "ORSEC", "CCDSEC", "GAIN",
                            "SATURLEV", "RDNOISE"):  # fmt: skip
                    assert f"{key}{amp}" in header, f"{key}{amp}"
            geom = MINI.arms[camera[0]]
            assert header.tostring().count("HIERARCH") == 4  # SATURLEVA..D only
            for key, value in geom.section_keywords().items():
                assert header[key] == value


def test_raw_reader_reads_every_camera(exposures):
    written = exposures["science"]
    truth = written.truth["cameras"]
    with open_raw(written.raw) as raw:
        assert raw.expid == 5 and raw.flavor == "science" and raw.program == "DARK"
        assert raw.cameras == sorted(CAMERAS)
        for camera in CAMERAS:
            frame = raw.read_camera(camera)
            assert frame.amp_names == list(AMPS)
            assert frame.trimmed_shape == MINI.arms[camera[0]].trimmed_shape
            gains = [amp.gain for amp in frame.amps]
            np.testing.assert_allclose(gains, truth[camera]["GAIN_AMP"])
            for amp in frame.amps:
                assert amp.data.shape == (200, 150)
                assert amp.overscan.shape == (200, 32)
                assert amp.overscan_rows.shape == (16, 150)


def test_fibermap_format(exposures):
    written = exposures["science"]
    assert written.fibermap.name == "fibermap-00000005.fits"
    assert written.fibermap.parent == written.raw.parent
    with fits.open(written.fibermap) as hdul:
        hdu = hdul["FIBERMAP"]
        assert isinstance(hdu, fits.BinTableHDU)
        for key in ("TILEID", "TELRA", "TELDEC"):
            assert key in hdu.header
        assert hdu.header["TILEID"] == written.truth["TILEID"]
    table = read_fibermap(written.fibermap)
    assert set(FIBERMAP_COLUMNS) <= set(table.colnames)
    assert len(table) == MINI.nfiber * MINI.nspectrograph
    np.testing.assert_array_equal(table["FIBER"], np.arange(len(table)))
    np.testing.assert_array_equal(table["PETAL_LOC"], np.repeat(np.arange(10), MINI.nfiber))
    assert set(table["OBJTYPE"]) <= {"TGT", "SKY", "STD", "NON"}
    assert set(table["TARGET_CLASS"]) <= {"ELG", "LRG", "QSO", "BGS", "MWS", "STAR", "SKY", ""}
    assert (table["FIBERSTATUS"] == 0).all()
    sky = table["OBJTYPE"] == "SKY"
    assert (table["TARGET_CLASS"][sky] == "SKY").all()
    assert (table["FLUX_R"][sky] == 0).all() and (table["FLUX_R"][~sky] > 0).all()
    for petal in range(10):
        in_petal = table["PETAL_LOC"] == petal
        assert (sky & in_petal).sum() >= 3  # enough sky fibers for sky subtraction
        assert ((table["OBJTYPE"] == "STD") & in_petal).sum() >= 1


def test_fibermaps_only_for_science(exposures):
    for flavor in ("zero", "dark", "flat", "arc"):
        written = exposures[flavor]
        assert written.fibermap is None
        assert not list(written.raw.parent.glob("fibermap-*"))


def test_calibration_files(exposures):
    written = exposures["flat"]
    for camera in CAMERAS:
        paths = calib_paths(written.calib, camera)
        assert paths.psf.parent == written.out / "calib" / camera
        traces = read_psf(paths.psf)
        assert traces.xcoef.shape == (MINI.nfiber, 6)
        assert traces.xsigma.shape == (MINI.nfiber,)
        with fits.open(paths.psf) as hdul:
            assert hdul["XTRACE"].data.shape == hdul["YTRACE"].data.shape == (MINI.nfiber, 6)
            assert "WAVEMIN" in hdul["XTRACE"].header and "WAVEMAX" in hdul["XTRACE"].header
        flat, wave = read_fiberflat(paths.fiberflat)
        assert flat.shape == (MINI.nfiber, wave.size)
        assert flat.mean() == pytest.approx(1.0, abs=1e-4)
        assert flat.min() > 0.8 and flat.max() < 1.2
        ccd = read_ccd_calib(paths.ccd)
        assert sorted(ccd) == list(AMPS)
        truth = written.camera_truth(camera)
        for i, amp in enumerate(AMPS):
            assert ccd[amp]["gain"] == pytest.approx(truth["GAIN_AMP"][i])
            assert ccd[amp]["readnoise"] == pytest.approx(truth["NOISE_AMP"][i])
            assert ccd[amp]["bias"] == pytest.approx(truth["BIAS_AMP"][i], abs=2.0)
            assert 60000 <= ccd[amp]["saturation"] <= 65535


def test_truth_file_keys(exposures):
    for flavor, written in exposures.items():
        path = written.raw.parent / f"truth-{written.truth['EXPID']:08d}.json"
        assert json.loads(path.read_text()) == written.truth
        truth = written.truth
        for key in ("EXPID", "NIGHT", "FLAVOR", "EXPTIME", "PROFILE", "SEED", "cameras",
                    "defects"):  # fmt: skip
            assert key in truth
        assert truth["defects"] == []
        assert list(truth["cameras"]) == CAMERAS
        for camera in CAMERAS:
            cam = truth["cameras"][camera]
            for key in ("BIAS_AMP", "NOISE_AMP", "GAIN_AMP", "COSMICS", "DARK_CURRENT"):
                assert len(cam[key]) == 4, key
            assert min(cam["BIAS_AMP"]) >= 1100 and max(cam["BIAS_AMP"]) <= 2000
            assert min(cam["NOISE_AMP"]) >= 2.4 and max(cam["NOISE_AMP"]) <= 3.3
            assert min(cam["GAIN_AMP"]) >= 1.1 and max(cam["GAIN_AMP"]) <= 1.8
            assert max(abs(v) for v in cam["XYSHIFTS"]) <= 0.05
            assert cam["XSIGMA"] == pytest.approx(1.10 if camera[0] == "z" else 1.05, abs=0.02)
            assert cam["WSIGMA"] == pytest.approx(1.0, abs=0.1)
            assert cam["DEAD_FIBERS"] == [] and cam["NLIVE_FIBERS"] == 25
            assert cam["FIBER_THROUGHPUT"] == 1.0 and cam["SATURATED"] == 0
            if flavor == "science":
                assert cam["SNR_MODEL"]["a"] > 0 and cam["SNR_MODEL"]["b"] > 0
                assert cam["FIDSNR"] > 0
                assert cam["SKY_PROGRAM"] == "DARK"
                assert ("SKYRBAND" in cam) == (camera[0] == "r")
            if flavor == "zero":
                assert cam["COSMICS_RATE"] is None


def test_no_temporary_files_left(exposures, sim_root):
    assert len(exposures) == 5  # everything written
    leftovers = [p for p in sim_root.rglob("*") if p.name.startswith(".") or "tmp" in p.name]
    assert leftovers == []


@pytest.mark.parametrize("shape", [(434, 378), (7, 5), (1, 1000)])
def test_rice_writer_is_byte_identical_to_astropy(shape):
    """The fast writer produces exactly astropy's CompImageHDU(RICE_1) bytes."""
    header = camera_header(MINI, "z3", expid=3, night=NIGHT, gains=[1.5] * 4,
                           saturation=[63000.0] * 4)  # fmt: skip
    rng = np.random.default_rng(0)
    pixels = rng.normal(1500, 40, shape).clip(0, 65535).astype(np.uint16)
    pixels.flat[:3] = [0, 65535, 32768]
    hdu = fits.CompImageHDU(pixels, header=header, compression_type="RICE_1", name="Z3")
    buffer = io.BytesIO()
    fits.HDUList([fits.PrimaryHDU(), hdu]).writeto(buffer)
    assert rice_image_hdu_bytes(pixels, header, "Z3") == buffer.getvalue()[2880:]
    with pytest.raises(ValueError, match="uint16"):
        rice_image_hdu_bytes(pixels.astype(np.int32), header, "Z3")
