"""The plot API: a json_item per metric, the CCD image and spectra viewers, BokehJS served
locally; JSON errors for unknown or missing parameters."""

from __future__ import annotations

import bokeh
import pytest
from django.test import Client
from numpy.testing import assert_allclose
from rest_framework.test import APIClient

from qlf.quicklook.mapping import load_mapping
from qlf.quicklook.plots.build import find_metric
from qlf.quicklook.plots.theme import DARK
from tests.plots.conftest import CAMERA
from tests.plots.helpers import floats, served_sources

URL = "/api/plots/{}/"


def _get(client, path, **params):
    return client.get(path, params)


def test_every_science_metric_is_served(viewer_client, ingested, mini_night):
    process = ingested["science"]
    metrics = {
        key: value
        for task in mini_night["science"].qa["TASKS"].values()
        for key, value in task["METRICS"].items()
    }
    for step in load_mapping("science"):
        for name in step.metrics:
            key = find_metric(name).key
            answer = _get(viewer_client, URL.format(name), process=process, camera=CAMERA)
            assert answer.status_code == 200, (name, answer.json())
            item = answer.json()
            assert item["version"] == bokeh.__version__
            assert key in str(item["doc"])  # the figure's title names the metric
            assert served_sources(item), name
    # by key too, with the values as computed
    answer = _get(viewer_client, URL.format("NOISE_AMP"), process=process, camera=CAMERA)
    served = served_sources(answer.json())["values"]
    assert_allclose(served["value"], floats(metrics["NOISE_AMP"]))


def test_flavor_specific_metrics(viewer_client, ingested, mini_night):
    flat = _get(viewer_client, URL.format("checkflat"), process=ingested["flat"], camera=CAMERA)
    ratio = mini_night["flat"].qa["TASKS"]["CHECK_FIBERFLAT"]["METRICS"]["FLAT_RATIO_FIB"]
    assert_allclose(served_sources(flat.json())["FLAT_RATIO_FIB"]["value"], floats(ratio))
    ngood = _get(viewer_client, URL.format("ngoodfib"), process=ingested["science"], camera=CAMERA)
    plane = served_sources(ngood.json())["focal_plane"]  # from the stored fibermap
    assert_allclose(plane["ra"], mini_night["science"].fibers["TARGET_RA"])


@pytest.mark.parametrize(
    ("path", "params", "status", "field"),
    [
        ("nope", {"camera": CAMERA}, 404, "metric"),
        ("checkflat", {"camera": CAMERA}, 404, "metric"),  # not in a science QA
        ("bias", {"camera": "b7"}, 404, "camera"),
        ("bias", {"camera": CAMERA, "process": 999999}, 404, None),
        ("bias", {"camera": CAMERA, "process": ""}, 400, "process"),
        ("bias", {"camera": "x9"}, 400, "camera"),
        ("bias", {}, 400, "camera"),
    ],
)
def test_plot_errors_are_json(viewer_client, ingested, path, params, status, field):
    params = {"process": ingested["science"], **params}
    params = {k: v for k, v in params.items() if k == "process" or "camera" in params}
    answer = _get(viewer_client, URL.format(path), **params)
    assert answer.status_code == status, answer.json()
    assert answer.json()["detail"]
    if field:
        assert answer.json()["field"] == field


def test_missing_process_is_400(viewer_client, ingested):
    answer = _get(viewer_client, URL.format("bias"), camera=CAMERA)
    assert answer.status_code == 400
    assert answer.json()["field"] == "process"


def test_ccd_image_with_amp_boundaries(viewer_client, ingested, mini_night):
    answer = _get(viewer_client, URL.format("ccd"), process=ingested["zero"], camera=CAMERA)
    assert answer.status_code == 200, answer.json()
    amps = served_sources(answer.json())["amps"]
    assert amps["amp"] == mini_night["zero"].qa["AMPS"]
    assert min(amps["left"]) == 0 and min(amps["bottom"]) == 0


def test_spectrum_of_a_fiber(viewer_client, ingested):
    process = ingested["science"]
    answer = _get(viewer_client, URL.format("spectra"), process=process, camera=CAMERA, fiber=3)
    assert answer.status_code == 200, answer.json()
    spectrum = served_sources(answer.json())["spectrum"]
    assert len(spectrum["wave"]) == len(spectrum["flux"]) > 100
    assert 5500 < spectrum["wave"][len(spectrum["wave"]) // 2] < 8000  # an r camera
    beyond = _get(viewer_client, URL.format("spectra"), process=process, camera=CAMERA, fiber=499)
    assert beyond.status_code == 404 and beyond.json()["field"] == "fiber"
    zero = _get(viewer_client, URL.format("spectra"), process=ingested["zero"], camera=CAMERA,
                fiber=0)  # fmt: skip
    assert zero.status_code == 404  # a zero exposure extracts no spectra


def test_bokehjs_is_served_locally_at_the_python_version(viewer_client, ingested):
    resources = viewer_client.get("/api/plots/resources/").json()
    assert resources["version"] == bokeh.__version__
    assert resources["js"][0] == "/static/bokeh/js/bokeh.min.js"
    answer = Client().get(resources["js"][0])
    assert answer.status_code == 200
    body = b"".join(answer.streaming_content) if answer.streaming else answer.content
    assert bokeh.__version__.encode() in body[:4000] or bokeh.__version__.encode() in body


def test_anonymous_sees_no_plots(ingested):
    answer = APIClient().get(URL.format("bias"), {"process": ingested["zero"], "camera": CAMERA})
    assert answer.status_code == 401


def _nodes(item: dict, name: str) -> list[dict]:
    """The attributes of every model called ``name`` in a served ``json_item``."""
    found = []

    def walk(node):
        if isinstance(node, dict):
            if node.get("name") == name and isinstance(node.get("attributes"), dict):
                found.append(node["attributes"])
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(item["doc"])
    return found


def test_ccd_image_keeps_the_chip_aspect_in_the_dark_theme(viewer_client, ingested):
    """Issue 16: a 300 × 400 chip was stretched to the page's width, on a white card."""
    answer = _get(viewer_client, URL.format("ccd"), process=ingested["zero"], camera=CAMERA)
    [fig] = _nodes(answer.json(), "Figure")
    amps = served_sources(answer.json())["amps"]  # the chip's trimmed size, from its amps
    ncol, nrow = max(amps["right"]), max(amps["top"])
    assert fig["frame_width"] / fig["frame_height"] == pytest.approx(ncol / nrow, rel=0.01)
    assert "sizing_mode" not in fig or fig["sizing_mode"] != "stretch_width"
    assert fig["background_fill_color"] == DARK["panel"]
    assert _nodes(answer.json(), "Title")[0]["text_color"] == DARK["text"]


def test_every_metric_plot_is_dark(viewer_client, ingested):
    answer = _get(viewer_client, URL.format("noise"), process=ingested["science"], camera=CAMERA)
    assert answer.status_code == 200, answer.json()
    [fig] = _nodes(answer.json(), "Figure")
    assert (fig["background_fill_color"], fig["border_fill_color"]) == (DARK["panel"],) * 2


def test_a_process_id_beyond_the_database_is_a_400(viewer_client, ingested):
    """Schemathesis found a 500: an id too large for a 64-bit integer column."""
    answer = _get(viewer_client, URL.format("spectra"), process=2**70, camera=CAMERA, fiber=1)
    assert answer.status_code == 400 and answer.json()["field"] == "process"
