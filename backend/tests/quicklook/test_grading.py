import json

import pytest

from qlf.quicklook.grading import element_statuses, metric_status, worst
from qlf.quicklook.specs import load_spec_versions, spec_for_night


def test_elements_keep_their_identity():
    statuses = element_statuses(
        [1200.0, 1250.0, 1300.0, None], [1200, 1200, 1200, 1200], (-40, 40), (-60, 60)
    )
    assert statuses == ["NORMAL", "WARNING", "ALARM", "UNKNOWN"]
    assert element_statuses([1, 2], [2, 1], (-0.5, 0.5), (-1, 1)) == ["WARNING", "WARNING"]


def test_warning_band_and_boundaries():
    assert element_statuses(0.2, 0.0, (-0.2, 0.2), (-0.3, 0.3)) == "NORMAL"
    assert element_statuses(-0.25, 0.0, (-0.2, 0.2), (-0.3, 0.3)) == "WARNING"
    assert element_statuses(0.31, 0.0, (-0.2, 0.2), (-0.3, 0.3)) == "ALARM"
    assert element_statuses(float("nan"), 0.0, (-0.2, 0.2), (-0.3, 0.3)) == "UNKNOWN"


def test_per_class_values_and_references():
    value = {"ELG": 3.0, "LRG": 1.0, "QSO": None}
    ref = {"ELG": 3.1, "LRG": 3.0, "QSO": 2.0}
    assert element_statuses(value, ref, (-0.9, 0.9), (-1.2, 1.2)) == {
        "ELG": "NORMAL",
        "LRG": "ALARM",
        "QSO": "UNKNOWN",
    }


def test_reference_shape_must_match():
    with pytest.raises(ValueError, match="REF has 2 elements"):
        element_statuses([1, 2, 3], [1, 2], (-1, 1), (-2, 2))


def test_aggregation_is_worst_of_graded():
    assert metric_status(["NORMAL", "UNKNOWN", "NORMAL"]) == "NORMAL"
    assert metric_status(["UNKNOWN", "UNKNOWN"]) == "UNKNOWN"
    assert metric_status({"a": "WARNING", "b": "NORMAL"}) == "WARNING"
    assert worst(["NORMAL", "UNKNOWN"]) == "UNKNOWN"
    assert worst(["WARNING", "ALARM", "NORMAL"]) == "ALARM"
    assert worst([]) == "UNKNOWN"


def _write_spec(directory, version, night, metrics):
    doc = {
        "version": version,
        "effective_night": night,
        "author": "t",
        "note": "n",
        "metrics": metrics,
    }
    (directory / f"{version}.json").write_text(json.dumps(doc))


def test_spec_in_force_and_lookup_order(tmp_path):
    base = {"default": {"REF": 0.0, "NORMAL_RANGE": [-1, 1], "WARN_RANGE": [-2, 2]}}
    _write_spec(tmp_path, "2026-01-01", 20260101, {"M": base})
    _write_spec(
        tmp_path,
        "2026-06-01",
        20260601,
        {
            "M": {
                **base,
                "science": {
                    "REF": {"r": 5.0, "b0": 7.0},
                    "NORMAL_RANGE": [-1, 1],
                    "WARN_RANGE": [-2, 2],
                },
                "science/BRIGHT": {"REF": 9.0, "NORMAL_RANGE": [-1, 1], "WARN_RANGE": [-2, 2]},
            },
            "N": {
                "default": {
                    "REF": "calib:readnoise",
                    "NORMAL_RANGE": [-1, 1],
                    "WARN_RANGE": [-2, 2],
                }
            },
        },
    )
    versions = load_spec_versions(tmp_path)
    assert spec_for_night(versions, 20260301).version == "2026-01-01"
    spec = spec_for_night(versions, 20261122)
    assert spec.version == "2026-06-01"
    kw = {"flavor": "science", "program": "DARK"}
    assert spec.threshold("M", camera="r3", **kw).ref == 5.0
    assert spec.threshold("M", camera="b0", **kw).ref == 7.0
    assert spec.threshold("M", camera="r3", flavor="science", program="BRIGHT").ref == 9.0
    assert spec.threshold("M", camera="r3", flavor="flat", program=None).ref == 0.0
    assert (
        spec.threshold(
            "N", camera="r3", flavor="zero", program=None, references={"readnoise": [3.0] * 4}
        ).ref
        == [3.0] * 4
    )
    assert spec.threshold("X", camera="r3", **kw) is None
    with pytest.raises(ValueError, match="no threshold file applies"):
        spec_for_night(versions, 20251231)


def test_bad_spec_file_is_named(tmp_path):
    (tmp_path / "broken.json").write_text("{not json")
    with pytest.raises(ValueError, match=r"broken\.json"):
        load_spec_versions(tmp_path)
