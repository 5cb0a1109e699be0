"""Each injected defect flags the right metric on the right camera, and nothing else."""

from __future__ import annotations

import pytest

#: expid → {camera: (metric keys the defect must raise, flagged amp index or None)}
EXPECTED = {
    # more read noise is also more overscan noise and a wider tail of the overscan pixels
    6: {
        "b0": (("LITFRAC_AMP",), 0),
        "r0": (("NOISE_AMP", "NOISE_OVERSCAN_AMP", "DIFF2SIG"), 2),
        "z0": (("BIAS_AMP",), 3),
    },
    # dead fibers are both missing fibers and a fiber flat unlike the calibration
    7: {"r0": (("NGOODFIB", "CHECKFLAT"), None), "z0": (("LITFRAC_AMP",), 1)},
    8: {"b0": (("XWSIGMA", "XWSIGMA_AMP"), None), "r0": (("XYSHIFTS",), None)},
    9: {"z0": (("XYSHIFTS",), None)},
}
NOMINAL_OF = {6: 1, 7: 3, 8: 4, 9: 5}


@pytest.mark.parametrize("expid", sorted(EXPECTED))
def test_defect_raises_its_metric_only(night, expid):
    exposure = night[expid]
    for camera, (keys, _) in EXPECTED[expid].items():
        for key in keys:
            assert exposure.status(camera, key) in ("WARNING", "ALARM"), (camera, key)
        others = [
            k[:-7]
            for step in exposure.qa[camera]["TASKS"].values()
            for k, v in step["METRICS"].items()
            if k.endswith("_STATUS") and v != "NORMAL" and k[:-7] not in keys
        ]
        assert others == [], (camera, others)
    untouched = [c for c in ("b0", "r0", "z0") if c not in EXPECTED[expid]]
    for camera in untouched:
        assert exposure.qa[camera]["STATUS"] == night[NOMINAL_OF[expid]].qa[camera]["STATUS"]


def test_per_amp_defects_keep_their_amp(night):
    from qlf.quicklook.grading import element_statuses

    exposure = night[6]
    for camera, ((key, *_), amp) in EXPECTED[6].items():
        params = next(
            t["PARAMS"]
            for t in exposure.qa[camera]["TASKS"].values()
            if f"{key}_REF" in t["PARAMS"]
        )
        statuses = element_statuses(
            exposure.metric(camera, key),
            params[f"{key}_REF"],
            params[f"{key}_NORMAL_RANGE"],
            params[f"{key}_WARN_RANGE"],
        )
        assert [i for i, s in enumerate(statuses) if s != "NORMAL"] == [amp]


def test_missing_and_truncated_cameras_fail_alone(night):
    exposure = night[9]
    missing, truncated = exposure.results["b1"], exposure.results["r1"]
    # a missing HDU is an identity ALARM of its camera (issue 15), with the reason
    assert not missing.failed and missing.status == "ALARM"
    ccd = exposure.qa["b1"]["TASKS"]["CHECK_CCDs"]
    assert ccd["METRICS"]["CHECKHDUS"] == 1 and ccd["METRICS"]["HDU_PRESENT"] is False
    assert ccd["METRICS"]["CHECKHDUS_STATUS"] == "ALARM"
    assert "no HDU B1" in ccd["REASONS"]["CHECKHDUS"]
    assert list(exposure.qa["b1"]["TASKS"]) == ["CHECK_CCDs"]
    assert truncated.failed and "[r1]" in truncated.error
    assert truncated.status == "UNKNOWN"
    for result in (missing, truncated):
        assert exposure.qa[result.camera]["ERROR"] == result.error
        assert result.qa_path.exists() and result.log_path.exists()
    assert all(exposure.results[c].error is None for c in ("b0", "r0"))
