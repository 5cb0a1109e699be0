"""The QL mapping, the metric registry and the shipped thresholds agree."""

from __future__ import annotations

from pathlib import Path

import pytest

from qlf.quicklook.mapping import FLAVORS, load_mapping, mapping_document
from qlf.quicklook.qa.registry import Metric, all_metrics, get_metric, register
from qlf.quicklook.specs import load_spec_versions

SPECS = Path(__file__).resolve().parents[2] / "specs"


@pytest.mark.parametrize("flavor", FLAVORS)
def test_every_mapped_metric_is_registered_and_applies(flavor):
    for step in load_mapping(flavor):
        for name in step.metrics:
            assert get_metric(name).applies_to(flavor=flavor, camera=get_metric(name).arms[0] + "0")


def test_served_mapping_carries_descriptions_from_the_plugins():
    doc = mapping_document("science")
    entry = doc["steps"][0]["qa"][0]
    assert entry["description"] == all_metrics()[entry["name"]].description
    with pytest.raises(ValueError, match="unknown flavor"):
        mapping_document("twilight")


@pytest.mark.parametrize("instrument", ["desi", "mini"])
def test_every_metric_has_thresholds_for_every_flavor_program_and_arm(instrument):
    versions = load_spec_versions(SPECS / instrument)
    assert versions, f"no threshold files for {instrument}"
    spec = versions[-1]
    references = {"bias": [1200.0] * 4, "readnoise": [3.0] * 4, "nfiber": 500}
    for flavor in FLAVORS:
        programs = ("DARK", "GRAY", "BRIGHT") if flavor == "science" else (None,)
        for step in load_mapping(flavor):
            for name in step.metrics:
                metric = get_metric(name)
                for program in programs:
                    for arm in metric.arms:
                        threshold = spec.threshold(
                            metric.key, flavor=flavor, program=program, camera=f"{arm}0",
                            references=references,
                        )  # fmt: skip
                        assert threshold is not None, (instrument, flavor, program, metric.key)
                        assert threshold.ref is not None, (instrument, flavor, program, metric.key)
                        assert threshold.normal_range[0] <= 0 <= threshold.normal_range[1]
                        assert threshold.warn_range[0] <= threshold.normal_range[0]


def test_registry_rejects_incomplete_and_duplicate_metrics():
    with pytest.raises(TypeError, match="lacks the class attribute 'key'"):

        @register
        class NoKey(Metric):
            name = "nokey"
            granularity = "camera"
            flavors = ("zero",)

            def compute(self, products):
                return {}

    with pytest.raises(TypeError, match="two metrics are named 'bias'"):

        @register
        class Bias(Metric):
            name = "bias"
            key = "OTHER"
            granularity = "amp"
            flavors = ("zero",)

            def compute(self, products):
                return {}
