"""The effective exposure time (issue 21): EFFTIME_RATIO against the simulator's truth.

The truth is what the simulator injected: its sky (``skymodel.sky_continuum`` of the program),
its throughput (the built-in model times ``efficiency``) and its EXPTIME. A faint target's
S/N² per second is a²/b, so the true EFFTIME is EXPTIME × η² / (sky / nominal dark sky), the
skies in detected electrons: the truth's SKYCONT_E_PER_ANGSTROM against the dark sky through
the built-in throughput, computed here, never by the metric's code.
"""

from __future__ import annotations

import json

import numpy as np
import pytest

from qlf.quicklook.grading import NORMAL, WARNING
from qlf.quicklook.lines import SKY_CONTINUUM_WINDOWS
from qlf.quicklook.skymodel import PROGRAMS, efftime_ratio_reference, sky_continuum
from qlf.quicklook.throughput import Throughput
from qlf.sim.spectra import default_exptime
from tests.quicklook.test_conventions import CAMERAS, SPECS, _process


def _electrons(arm: str, program: str) -> float:
    """The reference sky of ``program`` detected through the nominal instrument (the built-in
    throughput), e-/s/Å in one fiber, mean of SKYCONT's windows."""
    model = Throughput(arm)
    rates = []
    for lo, hi in SKY_CONTINUUM_WINDOWS[arm]:
        grid = np.arange(lo, hi + 1.0)
        fnu = sky_continuum(grid, program) * model.fiber_area_arcsec2
        rates.append(np.mean(model.electrons_per_angstrom(grid, exptime=1.0, fnu_nmgy=fnu)))
    return float(np.mean(rates))


def _true_ratio(truth: dict, camera: str, efficiency: float = 1.0) -> float:
    """EFFTIME / EXPTIME of the simulator's truth: η² over the sky it injected (e- per Å in
    SKYCONT's windows, through its η-scaled throughput) against the nominal dark sky's."""
    sky = np.mean(truth["cameras"][camera]["SKYCONT_E_PER_ANGSTROM"]) / truth["EXPTIME"]
    return efficiency**2 / (sky / _electrons(camera[0], "DARK"))


@pytest.fixture(scope="module")
def nominal(tmp_path_factory):
    return _process(tmp_path_factory.mktemp("efftime"), expid=5, flavor="science", program="DARK")


def test_nominal_dark_exposure_has_its_exposure_time_as_effective_time(nominal):
    truth, qa = nominal
    exptime = default_exptime("science", "DARK")
    for camera in CAMERAS:
        m = qa[camera]
        assert _true_ratio(truth, camera) == pytest.approx(1.0, rel=0.01)
        assert m["EFFTIME_RATIO"] == pytest.approx(_true_ratio(truth, camera), rel=0.05), camera
        assert m["EFFTIME"] == pytest.approx(m["EFFTIME_RATIO"] * m["EXPTIME"])
        assert m["EXPTIME"] == exptime
        assert m["EFFTIME_RATIO_STATUS"] == NORMAL, camera
        assert m["PARAMS.THROUGHPUT"] == "built-in model"


def test_a_50_percent_throughput_loss_halves_the_effective_time(tmp_path, nominal):
    _, qa = nominal
    truth, cloudy = _process(tmp_path, expid=5, flavor="science", program="DARK", efficiency=0.5)
    for camera in CAMERAS:
        expected = _true_ratio(truth, camera, 0.5)
        assert expected == pytest.approx(0.5, rel=0.01)
        assert cloudy[camera]["EFFTIME_RATIO"] == pytest.approx(expected, rel=0.05), camera
        ratio = cloudy[camera]["EFFTIME"] / qa[camera]["EFFTIME"]
        assert ratio == pytest.approx(0.5, rel=0.05), camera
        # half the survey speed is worth a look, not an alarm
        assert cloudy[camera]["EFFTIME_RATIO_STATUS"] == WARNING, camera


def test_the_throughput_file_does_not_hide_a_loss(tmp_path):
    # the file describes the real (50 %) instrument: ΔM reads 0, the loss is in a/a₀
    _, qa = _process(
        tmp_path, expid=5, flavor="science", program="DARK", efficiency=0.5, throughput_file=True
    )
    for camera in CAMERAS:
        assert qa[camera]["PARAMS.THROUGHPUT"] == f"file:throughput-{camera}.fits"
        assert qa[camera]["EFFTIME_RATIO"] == pytest.approx(0.5, rel=0.05), camera


@pytest.mark.parametrize("program, exptime", [("BRIGHT", None), ("GRAY", 400.0)])
def test_moonlit_sky_gives_the_true_dark_equivalent_time(tmp_path, program, exptime):
    options = {"exptime": exptime} if exptime else {}
    truth, qa = _process(tmp_path, expid=5, flavor="science", program=program, **options)
    for camera in CAMERAS:
        m = qa[camera]
        expected = _true_ratio(truth, camera)
        assert expected < 0.6  # the moon costs most of the time
        assert m["EFFTIME_RATIO"] == pytest.approx(expected, rel=0.05), camera
        if exptime:
            assert m["EXPTIME"] == exptime
            assert m["EFFTIME"] == pytest.approx(expected * exptime, rel=0.05)
        # graded against its program's nominal sky: a nominal moonlit exposure is NORMAL
        assert m["EFFTIME_RATIO_STATUS"] == NORMAL, camera


def test_an_unusable_exposure_time_says_why():
    from types import SimpleNamespace

    from qlf.quicklook.qa.efftime import EffTime
    from qlf.quicklook.qa.registry import REASON

    products = SimpleNamespace(info=SimpleNamespace(exptime=0.0), arm="r")
    values = EffTime().compute(products)
    assert values["EFFTIME_RATIO"] is None
    assert "EXPTIME is 0.0" in values[REASON]


@pytest.mark.parametrize("instrument", ["desi", "mini"])
def test_efftime_references_are_the_sky_model(instrument):
    metrics = json.loads((SPECS / instrument / "2026-01-01.json").read_text())["metrics"]
    for program in PROGRAMS:
        entry = metrics["EFFTIME_RATIO"][f"science/{program}"]
        for arm in "brz":
            ref = entry["REF"][arm]
            assert ref == pytest.approx(efftime_ratio_reference(arm, program), abs=0.001)
            assert ref == pytest.approx(
                _electrons(arm, "DARK") / _electrons(arm, program), abs=0.001
            )
            # one-sided: NORMAL down to 60 % of the program's nominal speed, WARNING to 30 %
            assert entry["NORMAL_RANGE"][arm][0] == pytest.approx(-0.4 * ref, abs=1e-3)
            assert entry["WARN_RANGE"][arm][0] == pytest.approx(-0.7 * ref, abs=1e-3)
            assert entry["NORMAL_RANGE"][arm][1] == entry["WARN_RANGE"][arm][1] >= 8 * ref
