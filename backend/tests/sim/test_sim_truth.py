"""Round trip: what the pixels measure equals the truth written beside them."""

from __future__ import annotations

import numpy as np
import pytest
from scipy import ndimage
from sim_helpers import CAMERAS, boxcar, calib_traces, electrons

from qlf.quicklook.io.calib import calib_paths, read_fiberflat
from qlf.quicklook.io.fibermap import read_fibermap
from qlf.quicklook.io.raw import open_raw
from qlf.quicklook.lines import BANDS, SKY_CONTINUUM_WINDOWS, isolated_lines
from qlf.quicklook.skymodel import sky_band_mag
from qlf.quicklook.throughput import FIBER_AREA_ARCSEC2, Throughput
from qlf.sim.profiles import AMPS


@pytest.mark.parametrize("flavor", ["zero", "dark", "flat", "science"])
def test_overscan_level_equals_injected_bias(exposures, flavor):
    written = exposures[flavor]
    with open_raw(written.raw) as raw:
        for camera in CAMERAS:
            truth = written.camera_truth(camera)
            for i, amp in enumerate(raw.read_camera(camera).amps):
                overscan = amp.overscan.astype(float)
                rn_adu = truth["NOISE_AMP"][i] / truth["GAIN_AMP"][i]
                # The row pattern has zero mean over the data rows: the mean is unbiased.
                assert overscan.mean() == pytest.approx(truth["BIAS_AMP"][i], abs=0.15)
                # The median is an integer and also carries the (few ADU, slow) row pattern.
                tolerance = 0.6 + truth["BIAS_ROW_STRUCTURE"][i]
                assert np.median(overscan) == pytest.approx(truth["BIAS_AMP"][i], abs=tolerance)
                # Read noise: scatter about each row's level, in ADU = rn / gain.
                per_row = overscan - overscan.mean(axis=1, keepdims=True)
                n = overscan.shape[1]
                std = per_row.std() * np.sqrt(n / (n - 1))
                assert std == pytest.approx(rn_adu, rel=0.04), (camera, amp.name)


def test_row_structure_is_common_to_overscan_and_data(exposures):
    """Per-row overscan subtraction removes the row pattern from a zero's data rows."""
    written = exposures["zero"]
    with open_raw(written.raw) as raw:
        for camera in CAMERAS:
            truth = written.camera_truth(camera)
            for i, amp in enumerate(raw.read_camera(camera).amps):
                data_rows = np.median(amp.data.astype(float), axis=1)
                over_rows = amp.overscan.astype(float).mean(axis=1)
                rn_adu = truth["NOISE_AMP"][i] / truth["GAIN_AMP"][i]
                if truth["BIAS_ROW_STRUCTURE"][i] > 1.0:
                    assert np.ptp(over_rows) > truth["BIAS_ROW_STRUCTURE"][i]
                # residual per row: noise of a 32-pixel mean and a 150-pixel median only
                assert np.std(data_rows - over_rows) < 0.5 * rn_adu


def test_dark_current_and_cosmics(exposures):
    written = exposures["dark"]
    exptime = written.truth["EXPTIME"]
    for camera in CAMERAS:
        truth = written.camera_truth(camera)
        image = electrons(written.raw, camera)
        with open_raw(written.raw) as raw:
            amps = raw.read_camera(camera).amps
        for i, amp in enumerate(amps):
            region = image[amp.ccd]
            hits, count = ndimage.label(region > 300.0, structure=np.ones((3, 3)))
            assert count == pytest.approx(truth["COSMICS"][i], abs=1)
            clean = region[~ndimage.binary_dilation(hits > 0, iterations=2)]
            expected = truth["DARK_CURRENT"][i] * exptime / 3600.0
            assert clean.mean() == pytest.approx(expected, abs=0.12)
        rate = [c / (exptime / 60.0) for c in truth["COSMICS"]]
        np.testing.assert_allclose(truth["COSMICS_RATE"], rate)


def test_zero_has_no_light(exposures):
    written = exposures["zero"]
    for camera in CAMERAS:
        image = electrons(written.raw, camera)
        truth = written.camera_truth(camera)
        quiet = image[np.abs(image) < 50]  # cosmics from the readout excluded
        assert quiet.mean() == pytest.approx(0.0, abs=0.1)
        assert quiet.size > image.size - 20 * (1 + sum(truth["COSMICS"]))


def _centroids(image, x, rows, half=3):
    """Flux-weighted column of each fiber at ``rows`` around the predicted ``x``."""
    out = np.empty((x.shape[0], rows.size))
    for j, row in enumerate(rows):
        for i in range(x.shape[0]):
            centre = int(np.rint(x[i, row]))
            cols = np.arange(centre - half, centre + half + 1)
            values = image[row, cols]
            out[i, j] = np.sum(values * cols) / np.sum(values)
    return out


@pytest.mark.parametrize("camera", CAMERAS)
def test_traces_in_flat_match_calibration_shifted_by_truth(exposures, camera):
    written = exposures["flat"]
    truth = written.camera_truth(camera)
    image = electrons(written.raw, camera)
    dx, dy = truth["XYSHIFTS"]
    expected, _ = calib_traces(written, camera).shifted(dx, dy).x_at_rows(image.shape[0])
    rows = np.arange(20, image.shape[0] - 20, 9)
    measured = _centroids(image, expected, rows)
    offset = measured - expected[:, rows]
    assert abs(np.mean(offset)) < 0.01
    assert np.max(np.abs(offset)) < 0.1


@pytest.mark.parametrize("camera", CAMERAS)
def test_arc_lines_at_calibration_wavelengths(exposures, camera):
    written = exposures["arc"]
    truth = written.camera_truth(camera)
    image = electrons(written.raw, camera)
    dx, dy = truth["XYSHIFTS"]
    traces = calib_traces(written, camera).shifted(dx, dy)
    x, _ = traces.x_at_rows(image.shape[0])
    spectra = boxcar(image, x)
    lines = np.array(truth["ARC_LINES"])
    rows = traces.y(lines)  # (nfiber, nline)
    offsets = []
    for i in range(x.shape[0]):
        for j in range(lines.size):
            centre = int(np.rint(rows[i, j]))
            if not 4 <= centre < image.shape[0] - 4:
                continue
            window = np.arange(centre - 3, centre + 4)
            flux = np.nan_to_num(spectra[i, window])
            offsets.append(np.sum(flux * window) / np.sum(flux) - rows[i, j])
    assert len(offsets) >= 25
    assert abs(np.mean(offsets)) < 0.02
    assert np.max(np.abs(offsets)) < 0.15


def test_flat_fibers_follow_the_fiberflat(exposures):
    written = exposures["flat"]
    for camera in CAMERAS:
        truth = written.camera_truth(camera)
        image = electrons(written.raw, camera)
        traces = calib_traces(written, camera).shifted(*truth["XYSHIFTS"])
        x, wave = traces.x_at_rows(image.shape[0])
        spectra = boxcar(image, x)
        flat, flat_wave = read_fiberflat(calib_paths(written.calib, camera).fiberflat)
        rows = np.arange(100, 300)
        ratio = spectra[:, rows] / np.median(spectra[:, rows], axis=0)
        expected = np.array([np.interp(wave[i, rows], flat_wave, flat[i]) for i in range(25)])
        expected /= np.median(expected, axis=0)
        # 7-pixel boxcar: up to ~0.3 % of a fiber's light falls outside, by sub-pixel phase
        np.testing.assert_allclose(np.median(ratio / expected, axis=1), 1.0, atol=0.006)


def _calibrated_fnu(written, camera, fibers=None):
    """Extracted, flat-fielded f_ν (nanomaggies) of every fiber at every row, and λ."""
    truth = written.camera_truth(camera)
    image = electrons(written.raw, camera)
    traces = calib_traces(written, camera).shifted(*truth["XYSHIFTS"])
    x, wave = traces.x_at_rows(image.shape[0])
    counts = boxcar(image, x)
    flat, flat_wave = read_fiberflat(calib_paths(written.calib, camera).fiberflat)
    ff = np.array([np.interp(wave[i], flat_wave, flat[i]) for i in range(x.shape[0])])
    dwave = np.abs(np.gradient(wave, axis=1))
    unit = Throughput(camera[0]).electrons_per_angstrom(wave, exptime=written.truth["EXPTIME"])
    unit = unit * dwave
    covered = np.isfinite(wave).all(axis=0) & np.isfinite(np.gradient(wave, axis=1)).all(axis=0)
    return (counts / ff / unit)[:, covered], wave[:, covered]


@pytest.mark.parametrize("camera", CAMERAS)
def test_science_fluxes_match_fibermap_magnitudes(clean_science, camera):
    """Sky-subtracted band means of f_ν equal the fibermap FLUX_G/R/Z of bright targets."""
    written = clean_science
    fibermap = read_fibermap(written.fibermap)
    petal = fibermap[fibermap["PETAL_LOC"] == int(camera[1])]
    fnu, wave = _calibrated_fnu(written, camera)
    sky = np.array(petal["OBJTYPE"]) == "SKY"
    fnu = fnu - np.median(fnu[sky], axis=0)
    band, lo, hi = BANDS[camera[0]]
    inband = (wave >= lo) & (wave <= hi) & np.isfinite(fnu)
    measured = np.array([fnu[i, inband[i]].mean() for i in range(len(petal))])
    expected = np.array(petal[f"FLUX_{band}"])
    # brighter than 22 (Z: 21.5, where the measured sky's ~5000 R of OH lines add shot noise)
    limit = 21.5 if band == "Z" else 22.0
    bright = expected > 10 ** (-0.4 * (limit - 22.5))
    assert bright.sum() >= 3
    ratio = measured[bright] / expected[bright]
    assert np.median(np.abs(ratio - 1)) < 0.02
    assert np.max(np.abs(ratio - 1)) < 0.06


def test_sky_level_matches_truth(exposures):
    written = exposures["science"]
    camera = "r1"
    truth = written.camera_truth(camera)
    fibermap = read_fibermap(written.fibermap)
    petal = fibermap[fibermap["PETAL_LOC"] == 1]
    sky = np.array(petal["OBJTYPE"]) == "SKY"
    fnu, wave = _calibrated_fnu(written, camera)
    # the sky continuum, f_ν per fiber, from line-free rows of the sky fibers
    windows = SKY_CONTINUUM_WINDOWS["r"]
    level = []
    for wlo, whi in windows:
        sel = (wave[sky] >= wlo) & (wave[sky] <= whi)
        level.append(np.mean(fnu[sky][sel]))
    mag = 22.5 - 2.5 * np.log10(np.mean(level) / FIBER_AREA_ARCSEC2)
    assert mag == pytest.approx(truth["SKYCONT_MAG"], abs=0.02)
    assert mag == pytest.approx(truth["SKY_MAG"], abs=0.05)
    assert truth["SKY_MAG_R"] == pytest.approx(sky_band_mag("r", "DARK", with_lines=False))
    # SKYCONT: electrons per row of a fiber of unit throughput in the same windows
    counts_per_row = np.mean(level) * np.mean(
        [Throughput("r").electrons_per_angstrom(np.array([np.mean(w)]),
                                                exptime=written.truth["EXPTIME"])[0]
         for w in windows]
    ) * truth["DISPERSION"]  # fmt: skip
    assert counts_per_row == pytest.approx(truth["SKYCONT"], rel=0.05)


def test_sky_lines_carry_their_truth_flux(exposures):
    written = exposures["science"]
    camera = "b0"
    truth = written.camera_truth(camera)
    fibermap = read_fibermap(written.fibermap)
    petal = fibermap[fibermap["PETAL_LOC"] == 0]
    sky = np.flatnonzero(np.array(petal["OBJTYPE"]) == "SKY")
    image = electrons(written.raw, camera)
    traces = calib_traces(written, camera).shifted(*truth["XYSHIFTS"])
    x, _ = traces.x_at_rows(image.shape[0])
    counts = boxcar(image, x)
    flat, flat_wave = read_fiberflat(calib_paths(written.calib, camera).fiberflat)
    # the brightest line with no other within 80 Å (15 rows): [OI] 5577, in vacuum
    wave_line, electrons_line = max(
        isolated_lines(np.array(truth["SKY_LINES"]), 80.0), key=lambda line: line[1]
    )
    assert wave_line == pytest.approx(5578.89)
    measured = []
    for i in sky:
        row = traces.y(np.array([wave_line]), fibers=np.array([i]))[0, 0]
        centre = int(np.rint(row))
        peak = counts[i, centre - 5 : centre + 6].sum()
        continuum = 0.5 * (counts[i, centre - 9 : centre - 6].mean()
                           + counts[i, centre + 7 : centre + 10].mean())  # fmt: skip
        ff = np.interp(wave_line, flat_wave, flat[i])
        measured.append((peak - 11 * continuum) / ff)
    assert np.median(measured) == pytest.approx(electrons_line, rel=0.05)
    assert truth["PEAKCOUNT"] == pytest.approx(
        sum(e for _, e in truth["SKY_LINES"]) / written.truth["EXPTIME"]
    )


def test_snr_model_is_consistent(exposures):
    written = exposures["science"]
    exptime = written.truth["EXPTIME"]
    for camera in CAMERAS:
        model = written.camera_truth(camera)["SNR_MODEL"]
        a, b = model["a"], model["b"]
        x = 10 ** (-0.4 * (22.0 - 22.5))
        expected = exptime * a * x / np.sqrt(exptime * (a * x + b))
        assert written.camera_truth(camera)["FIDSNR"] == pytest.approx(expected)
        per_a = written.camera_truth(camera)["SNR_MODEL_PER_ANGSTROM"]
        a, b = per_a["a"], per_a["b"]
        expected = exptime * a * x / np.sqrt(exptime * (a * x + b))
        assert written.camera_truth(camera)["FIDSNR_PER_ANGSTROM"] == pytest.approx(expected)
        assert model["band"] == BANDS[camera[0]][0]
        assert AMPS  # amps listed in truth order


@pytest.mark.parametrize("flavor", ["zero", "flat", "science"])
def test_litfrac_matches_the_pixels(exposures, flavor):
    written = exposures[flavor]
    for camera in CAMERAS:
        truth = written.camera_truth(camera)
        image = electrons(written.raw, camera)
        with open_raw(written.raw) as raw:
            amps = raw.read_camera(camera).amps
        for i, amp in enumerate(amps):
            measured = np.mean(image[amp.ccd] > 5 * truth["NOISE_AMP"][i])
            # the per-row overscan mean differs from the true bias by ~rn/√32
            assert measured == pytest.approx(truth["LITFRAC_AMP"][i], abs=0.01)
        if flavor == "zero":
            assert max(truth["LITFRAC_AMP"]) < 0.002
        if flavor == "flat":
            assert min(truth["LITFRAC_AMP"]) > 0.3
