"""Adding a metric is one module, one ql_mapping entry and one threshold entry: the example
metric runs in the pipeline, is graded, ingested, listed by the API and plotted."""

from __future__ import annotations

import json
import shutil

import pytest
from numpy.testing import assert_allclose

from qlf.dashboard.models import Metric as MetricRow
from qlf.quicklook.mapping import DEFAULT_MAPPING_DIR
from qlf.quicklook.qa import registry
from qlf.quicklook.runner import CameraTask, run_camera
from tests.plots.conftest import CAMERA, SPECS_MINI
from tests.plots.example_metric import MeanFluxAmp
from tests.plots.helpers import served_sources

ENTRY = {"name": "meanflux", "key": "MEAN_FLUX_AMP", "display_name": "Mean flux AMP"}
#: deliberately wide: the example shows the mechanics, not a tuned threshold
THRESHOLD = {"default": {"REF": 0.0, "NORMAL_RANGE": [-1e5, 1e5], "WARN_RANGE": [-2e5, 2e5]}}


@pytest.fixture
def example_metric(monkeypatch):
    """The example registered for this test only (the registry is restored afterwards)."""
    registry.all_metrics()
    monkeypatch.setattr(registry, "_REGISTRY", dict(registry._REGISTRY))
    registry.register(MeanFluxAmp)
    return MeanFluxAmp


@pytest.fixture
def developer_dirs(tmp_path):
    """Copies of the shipped ql_mapping and mini thresholds, with the example's two entries."""
    mapping_dir, specs_dir = tmp_path / "ql_mapping", tmp_path / "specs"
    shutil.copytree(DEFAULT_MAPPING_DIR, mapping_dir)
    shutil.copytree(SPECS_MINI, specs_dir)
    science = json.loads((mapping_dir / "science.json").read_text())
    science["steps"][0]["qa"].append(ENTRY)  # CHECK_CCDs
    (mapping_dir / "science.json").write_text(json.dumps(science, indent=2))
    newest = sorted(specs_dir.glob("*.json"))[-1]
    spec = json.loads(newest.read_text())
    spec["metrics"]["MEAN_FLUX_AMP"] = THRESHOLD
    newest.write_text(json.dumps(spec, indent=2))
    return mapping_dir, specs_dir


def test_a_new_metric_end_to_end(
    example_metric, developer_dirs, mini_night, tmp_path, settings, viewer_client
):
    from qlf.dashboard.services.exposures import exposure_fields_from_header, exposure_register
    from qlf.dashboard.services.processes import process_start
    from qlf.dashboard.services.qa_ingest import job_ingest_qa

    mapping_dir, specs_dir = developer_dirs
    science = mini_night["science"]
    # runs and is graded
    task = CameraTask(
        science.raw, CAMERA, tmp_path / "scratch", calib_dir=science.raw.parents[2] / "calib",
        specs_dir=specs_dir, mapping_dir=mapping_dir,
    )  # fmt: skip
    result = run_camera(task)
    assert result.error is None
    qa = json.loads(result.qa_path.read_text())
    ccds = qa["TASKS"]["CHECK_CCDs"]
    values = ccds["METRICS"]["MEAN_FLUX_AMP"]
    assert len(values) == len(qa["AMPS"]) and all(v > 0 for v in values)
    assert ccds["METRICS"]["MEAN_FLUX_AMP_STATUS"] == "NORMAL"
    assert ccds["PARAMS"]["MEAN_FLUX_AMP_NORMAL_RANGE"] == [-1e5, 1e5]
    # is ingested
    settings.QLF = {**settings.QLF, "MAPPING_DIR": mapping_dir, "SCRATCH_DIR": tmp_path / "scratch"}
    exposure_register(**exposure_fields_from_header({**qa["GENERAL_INFO"], **qa}))
    process = process_start(expid=qa["EXPID"], cameras=[CAMERA])
    job_ingest_qa(process_id=process.pk, qa=qa, qa_path=str(result.qa_path))
    rows = MetricRow.objects.filter(job__process=process, key="MEAN_FLUX_AMP").order_by("index")
    assert [r.index for r in rows] == qa["AMPS"]
    assert_allclose([r.value for r in rows], values)
    # is listed by the API (the frontend learns of it from there)
    mapping = viewer_client.get("/api/ql-mapping/science/").json()
    listed = [q for step in mapping["steps"] for q in step["qa"]]
    assert ENTRY["key"] in [q["key"] for q in listed]
    # and plots, with its data and bands
    answer = viewer_client.get("/api/plots/meanflux/", {"process": process.pk, "camera": CAMERA})
    assert answer.status_code == 200, answer.json()
    served = served_sources(answer.json())
    assert_allclose(served["values"]["value"], values)
    assert served["values"]["x"] == qa["AMPS"]
    assert_allclose(served["NORMAL_band"]["top"], [1e5] * len(values))
