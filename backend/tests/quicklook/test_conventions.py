"""DESI's conventions (issue 15): vacuum wavelengths, the throughput file, the sky references.

Every simulated exposure here is checked against the truth the simulator injected; the
references in ``specs/`` are checked against the published-physics model they derive from.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
from astropy.io import fits

from qlf.quicklook.grading import ALARM, NORMAL, UNKNOWN, WARNING
from qlf.quicklook.io.calib import CalibError, calib_paths, read_psf
from qlf.quicklook.lines import ARC_LINES, ARM_RANGES, SKY_LINES, air_to_vacuum, vacuum_to_air
from qlf.quicklook.runner import CameraTask, run_camera
from qlf.quicklook.skymodel import (
    PROGRAMS,
    fidsnr_per_angstrom,
    peakcount_reference,
    sky_band_mag,
    skycont_reference,
)
from qlf.quicklook.throughput import BUILT_IN, Throughput, read_throughput
from qlf.sim.exposure import simulate_exposure
from qlf.sim.profiles import get_profile
from qlf.sim.spectra import default_exptime

SPECS = Path(__file__).resolve().parents[2] / "specs"
CAMERAS = ["b0", "r0", "z0"]
NIGHT = 20261122
_SEVERITY = {NORMAL: 0, UNKNOWN: 1, WARNING: 2, ALARM: 3}


def _process(root: Path, cameras=CAMERAS, **sim_options) -> tuple[dict, dict]:
    """Simulate one mini exposure, run the pipeline; (truth, {camera: merged METRICS+PARAMS})."""
    sim = simulate_exposure(
        root, night=NIGHT, profile="mini", cameras=cameras, seed=7, progress=False, workers=1,
        **sim_options,
    )  # fmt: skip
    out = {}
    for camera in cameras:
        task = CameraTask(
            sim.raw, camera, root / "scratch", calib_dir=root / "calib", specs_dir=SPECS / "mini"
        )
        result = run_camera(task)
        assert result.error is None, (camera, result.error)
        qa = json.loads(result.qa_path.read_text())
        merged = {}
        for step in qa["TASKS"].values():
            merged.update(step["METRICS"])
            merged.update({f"PARAMS.{k}": v for k, v in step["PARAMS"].items()})
        out[camera] = merged
    return json.loads(sim.truth.read_text()), out


# --- wavelengths ---------------------------------------------------------------------------


def test_air_vacuum_conversion_reproduces_nist_pairs():
    # NIST air / vacuum pairs: [O I] 5577, Hg 4358, Ne 6402, Ar 9122
    air = np.array([5577.339, 4358.328, 6402.248, 9122.967])
    vacuum = np.array([5578.887, 4359.560, 6404.018, 9125.471])
    np.testing.assert_allclose(air_to_vacuum(air), vacuum, atol=0.01)
    np.testing.assert_allclose(vacuum_to_air(vacuum), air, atol=0.01)
    grid = np.linspace(3500, 10000, 50)
    np.testing.assert_allclose(vacuum_to_air(air_to_vacuum(grid)), grid, atol=1e-6)


def test_line_lists_are_vacuum_to_a_hundredth_of_an_angstrom():
    # the old air lists, converted, land on today's vacuum entries (0.1 Å rounding aside)
    for old_air, table in ((5577.3, SKY_LINES), (6300.3, SKY_LINES), (4358.3, ARC_LINES),
                           (8115.3, ARC_LINES), (7635.1, ARC_LINES)):  # fmt: skip
        nearest = table[np.argmin(np.abs(table[:, 0] - air_to_vacuum(old_air))), 0]
        assert abs(nearest - air_to_vacuum(old_air)) < 0.1
        assert nearest - old_air > 1.0  # vacuum, not air
    for table in (SKY_LINES, ARC_LINES):
        hundredths = table[:, 0] * 100
        np.testing.assert_allclose(hundredths, np.round(hundredths), atol=1e-6)


@pytest.mark.parametrize("medium", ["vac", "air"])
def test_arc_shift_and_width_read_true_with_a_vacuum_or_an_air_psf(tmp_path, medium):
    truth, qa = _process(
        tmp_path, expid=4, flavor="arc", calib_medium=medium,
        defects=["trace_shift:b0:0.3,-0.5", "trace_shift:r0:0.0,-0.5", "trace_shift:z0:0,0.4"],
    )  # fmt: skip
    for camera in CAMERAS:
        psf = read_psf(calib_paths(tmp_path / "calib", camera).psf)
        assert psf.medium == medium
        cam = truth["cameras"][camera]
        np.testing.assert_allclose(qa[camera]["XYSHIFTS"], cam["XYSHIFTS"], atol=0.05)
        xsigma, wsigma = qa[camera]["XWSIGMA"]
        assert wsigma == pytest.approx(cam["WSIGMA"], rel=0.05), camera
        assert xsigma == pytest.approx(cam["XSIGMA"], rel=0.05), camera
        assert qa[camera]["CHECKARC"] == cam["NLIVE_FIBERS"]


def test_sky_lines_give_the_true_shift_with_an_air_psf(tmp_path):
    truth, qa = _process(
        tmp_path, expid=5, flavor="science", program="DARK", calib_medium="air",
        defects=["trace_shift:b0:0,-0.5", "trace_shift:r0:0,-0.5", "trace_shift:z0:0,0.4"],
    )  # fmt: skip
    for camera in CAMERAS:
        cam = truth["cameras"][camera]
        np.testing.assert_allclose(qa[camera]["XYSHIFTS"], cam["XYSHIFTS"], atol=0.05)
        assert qa[camera]["XWSIGMA"][1] == pytest.approx(cam["WSIGMA"], rel=0.05), camera
        assert qa[camera]["PEAKCOUNT_STATUS"] == NORMAL, camera


def test_a_calibration_directory_of_another_medium_or_efficiency_is_refused(tmp_path):
    simulate_exposure(tmp_path, expid=1, night=NIGHT, flavor="zero", profile="mini",
                      cameras=["r0"], progress=False, workers=1)  # fmt: skip
    for option in ({"calib_medium": "air"}, {"efficiency": 1.15}):
        with pytest.raises(ValueError, match=r"psf-r0.fits: calibration of profile 'mini'"):
            simulate_exposure(tmp_path, expid=2, night=NIGHT, flavor="zero", profile="mini",
                              cameras=["r0"], progress=False, workers=1, **option)  # fmt: skip


def test_psf_with_an_unknown_medium_is_refused(tmp_path):
    simulate_exposure(tmp_path, expid=1, night=NIGHT, flavor="zero", profile="mini",
                      cameras=["r0"], progress=False, workers=1)  # fmt: skip
    path = calib_paths(tmp_path / "calib", "r0").psf
    with fits.open(path, mode="update") as hdul:
        hdul[0].header["AIRORVAC"] = "water"
    with pytest.raises(CalibError, match=r"\[AIRORVAC\]"):
        read_psf(path)


# --- throughput calibration ----------------------------------------------------------------


@pytest.fixture(scope="module")
def nominal_dark(tmp_path_factory):
    """A nominal DARK exposure of the instrument the built-in model describes."""
    return _process(tmp_path_factory.mktemp("nominal"), expid=5, flavor="science", program="DARK")


def _deltamag(qa: dict) -> float:
    return float(np.mean(list(qa["DELTAMAG_TGT"].values())))


def test_throughput_file_calibrates_an_instrument_15_percent_more_efficient(tmp_path, nominal_dark):
    truth, qa = _process(
        tmp_path, expid=5, flavor="science", program="DARK", efficiency=1.15, throughput_file=True
    )
    _, nominal = nominal_dark
    for camera in CAMERAS:
        cam = truth["cameras"][camera]
        assert qa[camera]["PARAMS.THROUGHPUT"] == f"file:throughput-{camera}.fits"
        # the same targets as the nominal exposure: spectro − imaging unchanged
        assert _deltamag(qa[camera]) == pytest.approx(_deltamag(nominal[camera]), abs=0.02)
        assert qa[camera]["SKYCONT"] == pytest.approx(cam["SKYCONT_MAG"], abs=0.02), camera
    assert qa["r0"]["SKYRBAND"] == pytest.approx(truth["cameras"]["r0"]["SKYRBAND"], abs=0.02)


def test_without_the_file_the_built_in_model_grades_and_says_so(tmp_path, nominal_dark):
    truth, qa = _process(tmp_path, expid=5, flavor="science", program="DARK", efficiency=1.15)
    _, nominal = nominal_dark
    bias = -2.5 * np.log10(1.15)  # the instrument is brighter than the model assumes
    for camera in CAMERAS:
        assert qa[camera]["PARAMS.THROUGHPUT"] == BUILT_IN
        shift = _deltamag(qa[camera]) - _deltamag(nominal[camera])
        assert shift == pytest.approx(bias, abs=0.02), camera
        cam = truth["cameras"][camera]
        assert qa[camera]["SKYCONT"] - cam["SKYCONT_MAG"] == pytest.approx(bias, abs=0.02)


def test_throughput_file_errors_name_the_file_and_the_field(tmp_path):
    path = tmp_path / "throughput-r3.fits"
    columns = [fits.Column("WAVELENGTH", "D", array=np.array([5600.0, 7800.0]))]
    fits.HDUList([fits.PrimaryHDU(), fits.BinTableHDU.from_columns(columns, name="THROUGHPUT")]
                 ).writeto(path)  # fmt: skip
    with pytest.raises(ValueError, match=r"throughput-r3.fits \[THROUGHPUT.THROUGHPUT\]"):
        read_throughput(path)
    columns.append(fits.Column("THROUGHPUT", "D", array=np.array([0.3, 1.4])))
    fits.HDUList([fits.PrimaryHDU(), fits.BinTableHDU.from_columns(columns, name="THROUGHPUT")]
                 ).writeto(path, overwrite=True)  # fmt: skip
    with pytest.raises(ValueError, match=r"\[THROUGHPUT\]: values must lie in 0–1"):
        read_throughput(path)


# --- the sky and the flux metrics ----------------------------------------------------------

FLUX_METRICS = ("PEAKCOUNT", "SKYCONT", "SKYRBAND", "FIDSNR_TGT", "DELTAMAG_TGT")


def test_a_50_percent_throughput_loss_never_grades_better_than_nominal(tmp_path, nominal_dark):
    _, nominal = nominal_dark
    _, cloudy = _process(
        tmp_path / "cloudy", expid=5, flavor="science", program="DARK", efficiency=0.5
    )
    for camera in CAMERAS:
        for key in FLUX_METRICS:
            if f"{key}_STATUS" not in nominal[camera]:
                continue  # SKYRBAND: r only
            assert nominal[camera][f"{key}_STATUS"] == NORMAL, (camera, key)
            worse = _SEVERITY[cloudy[camera][f"{key}_STATUS"]]
            assert worse >= _SEVERITY[NORMAL], (camera, key)
        # the sky lines see the loss: PEAKCOUNT leaves NORMAL
        assert cloudy[camera]["PEAKCOUNT_STATUS"] in (WARNING, ALARM), camera
        ratio = cloudy[camera]["PEAKCOUNT"] / nominal[camera]["PEAKCOUNT"]
        assert ratio == pytest.approx(0.5, abs=0.05), camera


@pytest.mark.parametrize("instrument", ["desi", "mini"])
def test_sky_references_are_the_published_sky_not_the_simulator(instrument):
    metrics = json.loads((SPECS / instrument / "2026-01-01.json").read_text())["metrics"]
    for program in PROGRAMS:
        entry = f"science/{program}"
        for arm in "brz":
            ref = metrics["SKYCONT"][entry]["REF"][arm]
            assert ref == pytest.approx(skycont_reference(arm, program), abs=0.01)
        assert metrics["SKYRBAND"][entry]["REF"] == pytest.approx(sky_band_mag("r", program),
                                                                 abs=0.01)  # fmt: skip
    peak = metrics["PEAKCOUNT"]["science"]
    for arm in "brz":
        expected = peakcount_reference(arm)
        assert peak["REF"][arm] == pytest.approx(expected, rel=0.01)
        # −40 % (−60 %) of the airglow: NORMAL (WARNING); brighter airglow never warns
        assert peak["NORMAL_RANGE"][arm][0] == pytest.approx(-0.4 * expected, rel=0.01)
        assert peak["WARN_RANGE"][arm][0] == pytest.approx(-0.6 * expected, rel=0.01)
        assert peak["NORMAL_RANGE"][arm][1] == peak["WARN_RANGE"][arm][1]


@pytest.mark.parametrize("instrument", ["desi", "mini"])
def test_fidsnr_references_are_the_snr_model_of_the_nominal_instrument(instrument):
    metrics = json.loads((SPECS / instrument / "2026-01-01.json").read_text())["metrics"]
    profile = get_profile(instrument)
    for program in PROGRAMS:
        refs = metrics["FIDSNR_TGT"][f"science/{program}"]["REF"]
        for arm in "brz":
            lo, hi = ARM_RANGES[arm]
            rows = profile.arms[arm].trimmed_shape[0] - 1 - 2 * profile.row_margin
            expected = fidsnr_per_angstrom(
                arm, program, exptime=default_exptime("science", program),
                dispersion=(hi - lo) / rows, readnoise=2.85, dark_current=1.75,
            )  # fmt: skip
            for value in refs[arm].values():
                assert value == pytest.approx(expected, abs=0.006), (program, arm)
            # a higher S/N is not a fault: NORMAL up to three times the model (a throughput
            # loss can then never improve the grade of a nominal exposure)
            entry = metrics["FIDSNR_TGT"][f"science/{program}"]
            top = 2 * max(refs[arm].values())
            assert entry["NORMAL_RANGE"][arm] == [-0.9, pytest.approx(top, abs=0.006)]
            assert entry["WARN_RANGE"][arm] == [-1.2, pytest.approx(top, abs=0.006)]


def test_dark_sky_is_kitt_peaks():
    # r ≈ 21.0–21.2 continuum (Neugent & Massey 2010), 20.91 with lines (Dey et al. 2019)
    assert 21.0 <= sky_band_mag("r", "DARK", with_lines=False) <= 21.2
    assert sky_band_mag("r", "DARK") == pytest.approx(20.91, abs=0.1)
    # [O I] 5577 within the measured zenith range
    oi = SKY_LINES[np.argmin(np.abs(SKY_LINES[:, 0] - 5578.89)), 1]
    assert 150 <= oi <= 400


def test_sim_calib_command_writes_an_air_psf_and_the_true_throughput(tmp_path):
    from qlf.cli import main

    args = ["sim", "calib", "--calib", str(tmp_path), "--profile", "mini", "--cameras", "r0",
            "--psf-medium", "air", "--throughput-file", "--efficiency", "1.1"]  # fmt: skip
    assert main(args) == 0
    paths = calib_paths(tmp_path, "r0")
    assert read_psf(paths.psf).medium == "air"
    model = read_throughput(paths.throughput)
    assert model.source == "file:throughput-r0.fits"
    builtin = Throughput("r")(6500.0)
    assert model(6500.0) == pytest.approx(1.1 * builtin, rel=1e-6)


def test_one_standard_star_does_not_grade_a_nominal_camera(tmp_path):
    """A mini camera holds one or two standard stars: their S/N at magnitude 22 is the targets'
    fit (one star read 1.6 against the targets' 3.3 and graded ALARM on a nominal exposure)."""
    sim = simulate_exposure(
        tmp_path, night=20261121, expid=5, tileid=1044, profile="mini", cameras=["b8"],
        flavor="science", progress=False, workers=1,
    )  # fmt: skip
    task = CameraTask(
        sim.raw, "b8", tmp_path / "scratch", calib_dir=tmp_path / "calib", specs_dir=SPECS / "mini"
    )
    spectra = json.loads(run_camera(task).qa_path.read_text())["TASKS"]["CHECK_SPECTRA"]
    classes = spectra["METRICS"]["TGT_CLASS"]
    assert 0 < classes.count("STD") < 3  # the case: too few stars for their own fit
    snr = spectra["METRICS"]["FIDSNR_TGT"]
    assert spectra["METRICS"]["FIDSNR_TGT_STATUS"] == NORMAL, snr
    targets = [snr[c] for c in ("ELG", "LRG", "QSO")]
    assert min(targets) * 0.8 < snr["STD"] < max(targets) * 1.2
