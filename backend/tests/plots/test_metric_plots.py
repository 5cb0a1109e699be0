"""Every metric of ql_mapping has a plot, built from real pipeline output of a mini exposure:
its data sources hold the metric's values, its bands the thresholds the metric was graded by."""

from __future__ import annotations

import json

import numpy as np
import pytest
from bokeh.embed import json_item
from numpy.testing import assert_allclose

from qlf.quicklook.mapping import DEFAULT_MAPPING_DIR, FLAVORS, load_mapping
from qlf.quicklook.plots.build import find_metric, metric_plot, plot_input
from tests.plots.conftest import EXPOSURES
from tests.plots.helpers import description, floats, hover_fields, normal_bands, sources


def _sorted_values(mapping):
    return [mapping[k] for k in sorted(mapping)]


#: key → {(source, column): the expected column from the step's METRICS}
EXPECTED = {
    "BIAS_AMP": {("values", "value"): lambda m: m["BIAS_AMP"]},
    "NOISE_AMP": {("values", "value"): lambda m: m["NOISE_AMP"]},
    "LITFRAC_AMP": {("values", "value"): lambda m: m["LITFRAC_AMP"]},
    "COSMICS_RATE": {("values", "value"): lambda m: m["COSMICS_RATE"]},
    "XWSIGMA": {
        ("XSIGMA_FIB", "value"): lambda m: m["XSIGMA_FIB"],
        ("WSIGMA_FIB", "value"): lambda m: m["WSIGMA_FIB"],
    },
    "XYSHIFTS": {
        ("values", "value"): lambda m: m["XYSHIFTS"],
        ("XSHIFT_FIB", "value"): lambda m: m["XSHIFT_FIB"],
    },
    "NGOODFIB": {
        ("FIBER_SNR", "value"): lambda m: m["FIBER_SNR"],
        ("FIBER_SNR", "good"): lambda m: m["GOOD_FIBERS"],
    },
    "CHECKFLAT": {("FLAT_RATIO_FIB", "value"): lambda m: m["FLAT_RATIO_FIB"]},
    "CHECKARC": {
        ("NLINES_FIB", "value"): lambda m: m["NLINES_FIB"],
        ("WSIGMA_LINE", "wsigma"): lambda m: m["WSIGMA_LINE"],
        ("WSIGMA_LINE", "wavelength"): lambda m: m["LINE_WAVELENGTHS"],
    },
    "SKYCONT": {("values", "value"): lambda m: [*m["SKYCONT_WINDOWS"], m["SKYCONT"]]},
    "PEAKCOUNT": {
        ("PEAKCOUNT_FIB", "value"): lambda m: m["PEAKCOUNT_FIB"],
        ("PEAKCOUNT_FIB", "fiber"): lambda m: m["PEAKCOUNT_FIBERS"],
    },
    "SKYRESID": {
        ("SKYRESID_FIB", "value"): lambda m: m["SKYRESID_FIB"],
        ("SKYRESID_FIB", "fiber"): lambda m: m["SKY_FIBERS"],
        ("SKYRESID_FIB", "chi2"): lambda m: m["SKY_CHI2"],
    },
    "FIDSNR_TGT": {
        ("values", "snr"): lambda m: _sorted_values(m["FIDSNR_TGT"]),
        ("targets", "snr"): lambda m: m["TGT_SNR"],
        ("targets", "mag"): lambda m: m["TGT_MAG"],
    },
    "DELTAMAG_TGT": {
        ("values", "value"): lambda m: _sorted_values(m["DELTAMAG_TGT"]),
        ("targets", "deltamag"): lambda m: m["TGT_DELTAMAG"],
    },
    "SKYRBAND": {("values", "value"): lambda m: [m["SKYRBAND"]]},
    # issue 15: the rest of DESI Quick Look's QA
    "CHECKHDUS": {("values", "value"): lambda m: [m["CHECKHDUS"]]},
    "NOISE_OVERSCAN_AMP": {("values", "value"): lambda m: m["NOISE_OVERSCAN_AMP"]},
    "BIAS_PATNOISE": {("values", "value"): lambda m: m["BIAS_PATNOISE"]},
    "DIFF1SIG": {("values", "value"): lambda m: [m["DIFF1SIG"]]},
    "DIFF2SIG": {("values", "value"): lambda m: [m["DIFF2SIG"]]},
    "DATA5SIG": {("values", "value"): lambda m: [m["DATA5SIG"]]},
    "XWSIGMA_AMP": {("values", "value"): lambda m: list(m["XWSIGMA_AMP"].values())},
    "CHECKPSF": {
        ("values", "value"): lambda m: m["CHECKPSF"],
        ("PSF_LEGENDRE_FIB", "value"): lambda m: [c[0] for c in m["PSF_LEGENDRE_FIB"]],
    },
    # issue 21: survey speed
    "EFFTIME_RATIO": {
        ("values", "value"): lambda m: [m["EFFTIME_RATIO"]],
        ("ingredients", "value"): lambda m: [
            m["SIGNAL_RATIO"] ** 2,
            1 / m["SKY_RATIO"],
            m["EFFTIME_RATIO"],
        ],
    },
}

SIMULATED = {flavor for flavor, _ in EXPOSURES.values()}
#: (flavor, registry name, key) of every metric in the shipped mapping of a simulated flavor
MAPPED = sorted(
    {
        (flavor, name, find_metric(name).key)
        for flavor in FLAVORS
        for step in load_mapping(flavor, DEFAULT_MAPPING_DIR)
        for name in step.metrics
        if flavor in SIMULATED
    }
)


def test_every_mapped_metric_is_covered():
    every_key = {
        find_metric(name).key
        for flavor in FLAVORS
        for step in load_mapping(flavor)
        for name in step.metrics
    }
    assert every_key == set(EXPECTED)
    assert every_key == {key for _, _, key in MAPPED}


def _refs(qa) -> list[float]:
    ref = qa.ref
    if isinstance(ref, dict):
        return list(ref.values())
    return list(ref) if isinstance(ref, list) else [ref]


@pytest.mark.parametrize(("flavor", "name", "key"), MAPPED, ids=lambda v: str(v))
def test_plot_holds_the_metric_values_and_bands(mini_night, flavor, name, key):
    exposure = mini_night[flavor]
    metric = find_metric(name)
    qa = plot_input(metric, exposure.qa, fibers=exposure.fibers)
    assert qa.value is not None, f"{key} was not computed for {flavor}"
    layout = metric_plot(key, exposure.qa, fibers=exposure.fibers)
    data = sources(layout)
    for (source, column), expected in EXPECTED[key].items():
        assert source in data, f"{key}: no data source {source!r} (has {sorted(data)})"
        assert_allclose(floats(data[source][column]), floats(expected(qa.metrics)), rtol=1e-9)
    # the NORMAL band around each element's reference, as graded
    bands = normal_bands(layout)
    low, high = qa.normal_range
    for ref in _refs(qa):
        if ref is not None:
            assert any(np.isclose(b, ref + low) and np.isclose(t, ref + high) for b, t in bands)
    assert metric.description.split()[0] or description(layout)
    assert len(description(layout)) > 40
    assert hover_fields(layout) & {"fiber", "amp", "class", "element", "window"}
    assert json.dumps(json_item(layout))  # serialisable as served


def test_amp_plot_names_amps_and_colours_status(mini_night):
    exposure = mini_night["zero"]
    layout = metric_plot("bias", exposure.qa)
    values = sources(layout)["values"]
    assert values["x"] == exposure.qa["AMPS"]
    assert values["status"] == ["NORMAL"] * len(exposure.qa["AMPS"])
    assert {"amp", "value", "REF", "status"} <= hover_fields(layout)


def test_good_fibers_on_the_focal_plane(mini_night):
    exposure = mini_night["science"]
    plane = sources(metric_plot("NGOODFIB", exposure.qa, fibers=exposure.fibers))["focal_plane"]
    metrics = exposure.qa["TASKS"]["CHECK_FIBERS"]["METRICS"]
    assert_allclose(plane["ra"], exposure.fibers["TARGET_RA"])
    assert list(plane["good"]) == metrics["GOOD_FIBERS"]
    assert "focal_plane" not in sources(metric_plot("NGOODFIB", exposure.qa))


def test_snr_plot_draws_each_class_fit(mini_night):
    exposure = mini_night["science"]
    layout = metric_plot("FIDSNR_TGT", exposure.qa)
    fits = {name[4:]: d for name, d in sources(layout).items() if name.startswith("fit_")}
    snr = exposure.qa["TASKS"]["CHECK_SPECTRA"]["METRICS"]["FIDSNR_TGT"]
    assert set(snr) <= set(fits)
    for cls, value in snr.items():  # the fit curve passes through the graded S/N at mag 22
        curve = fits[cls]
        assert_allclose(np.interp(22.0, curve["mag"], curve["snr"]), value, rtol=1e-3)


def test_snr_bands_stay_visible_on_the_log_axis(mini_night):
    """Issue 16: a band reaching 0 or below (REF + its low end) vanished on the log axis."""
    qa = json.loads(json.dumps(mini_night["science"].qa))
    params = qa["TASKS"]["CHECK_SPECTRA"]["PARAMS"]
    ref = params["FIDSNR_TGT_REF"]
    refs = list(ref.values()) if isinstance(ref, dict) else [ref]
    low = -2 * max(r for r in refs if r is not None)
    params["FIDSNR_TGT_NORMAL_RANGE"], params["FIDSNR_TGT_WARN_RANGE"] = [low, 1.0], [low, 2.0]
    values = sources(metric_plot("FIDSNR_TGT", qa))["values"]
    for name in ("normal", "warn"):
        lows, highs = floats(values[f"{name}_low"]), floats(values[f"{name}_high"])
        drawn = ~np.isnan(lows)
        assert drawn.any() and (lows[drawn] > 0).all() and (lows[drawn] < highs[drawn]).all()


def test_unknown_metric_and_missing_metric():
    with pytest.raises(KeyError, match="no QA metric named 'nope'"):
        find_metric("nope")
    with pytest.raises(KeyError, match="has no CHECKFLAT"):
        plot_input(find_metric("checkflat"), {"CAMERA": "r0", "TASKS": {}})


def test_ungraded_metric_still_plots(mini_night):
    qa = json.loads(json.dumps(mini_night["zero"].qa))
    qa["TASKS"]["CHECK_CCDs"]["PARAMS"] = {}
    values = sources(metric_plot("noise", qa))["values"]
    assert values["status"] == ["UNKNOWN"] * 4


def test_dead_fibers_show_red(tmp_path):
    from qlf.quicklook.plots.common import STATUS_COLORS
    from qlf.quicklook.runner import CameraTask, run_camera
    from qlf.sim.exposure import simulate_exposure
    from tests.plots.conftest import CAMERA, NIGHT, SPECS_MINI

    sim = simulate_exposure(
        tmp_path, expid=9, night=NIGHT, flavor="flat", profile="mini", cameras=[CAMERA],
        defects=[f"dead_fibers:{CAMERA}:3,12"], seed=5, progress=False, workers=1,
    )  # fmt: skip
    task = CameraTask(
        sim.raw, CAMERA, tmp_path / "scratch", calib_dir=tmp_path / "calib", specs_dir=SPECS_MINI
    )
    qa = json.loads(run_camera(task).qa_path.read_text())
    snr = sources(metric_plot("ngoodfib", qa))["FIBER_SNR"]
    red = [
        int(f)
        for f, c in zip(snr["fiber"], snr["color"], strict=True)
        if c == STATUS_COLORS["ALARM"]
    ]
    assert red == [3, 12]
    assert [int(f) for f, g in zip(snr["fiber"], snr["good"], strict=True) if not g] == [3, 12]
