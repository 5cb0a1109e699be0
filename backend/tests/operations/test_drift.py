"""Drift detection against injected truth: a bias step on one amp, a slow drift on another."""

from __future__ import annotations

import numpy as np
import pytest

from qlf.dashboard.selectors.drift import DriftConfig, drift_judge, drift_list
from tests.dashboard.factories import ingest_exposure

NIGHTS = [20261101 + i for i in range(12)]  # 11 baseline nights and the night judged
CONFIG = DriftConfig()


def _bias(rng, night_number: int, camera: str) -> list[float]:
    """Four amps near 1200 ADU with 0.5 ADU night-to-night scatter; truth injected:
    r3 amp C steps up 8 ADU on the last night, b0 amp A drifts +1 ADU a night."""
    bias = list(1200.0 + rng.normal(0.0, 0.5, 4))
    if camera == "r3" and night_number == len(NIGHTS) - 1:
        bias[2] += 8.0
    if camera == "b0":
        bias[0] += 1.0 * night_number
    return bias


@pytest.fixture
def nights(db):
    rng = np.random.default_rng(20261101)
    for i, night in enumerate(NIGHTS):
        for j, camera in enumerate(("b0", "r3", "z5")):
            ingest_exposure(
                1000 + 10 * i + j, cameras=(camera,), night=night, mjd=61345.0 + i,
                bias=_bias(rng, i, camera),
            )  # fmt: skip


def _flags(result, key="BIAS_AMP"):
    return {(f["camera"], f["index"]): f["kinds"] for f in result["flags"] if f["key"] == key}


def test_flags_exactly_the_injected_step_and_drift(nights):
    result = drift_list(night=NIGHTS[-1], key="BIAS_AMP")
    assert result["judged"] == 12  # 3 cameras × 4 amps
    assert _flags(result) == {("r3", "C"): ["step"], ("b0", "A"): ["drift"]}
    step = next(f for f in result["flags"] if f["camera"] == "r3")
    assert step["value"] == pytest.approx(step["median"] + 8.0, abs=2.0)
    assert step["band"][0] < step["median"] < step["band"][1] < step["value"]
    drift = next(f for f in result["flags"] if f["camera"] == "b0")
    np.testing.assert_allclose(drift["slope_per_night"], 1.0, atol=0.2)
    assert drift["nights"] == NIGHTS[-11:] and len(drift["values"]) == 11


def test_every_metric_and_a_quiet_night(nights):
    # All metrics: the other metrics of the factory are constant, so only bias is flagged.
    assert {f["key"] for f in drift_list(night=NIGHTS[-1])["flags"]} == {"BIAS_AMP"}
    # The night before the step: the drift is already there (9 nights of it), no step yet.
    assert _flags(drift_list(night=NIGHTS[-2], key="BIAS_AMP")) == {("b0", "A"): ["drift"]}


def test_filters_and_short_baselines(nights):
    assert _flags(drift_list(night=NIGHTS[-1], key="BIAS_AMP", camera="r3")) == {
        ("r3", "C"): ["step"]
    }
    # Four nights of history: too short to judge anything.
    early = drift_list(night=NIGHTS[4], key="BIAS_AMP")
    assert early["judged"] == 0 and early["flags"] == []
    # A night without data is judged nowhere.
    assert drift_list(night=20261201)["flags"] == []


def test_noise_alone_is_not_flagged():
    """5,000 baselines of pure gaussian noise: under 1 % flagged (measured 0.5 % with the
    defaults; a 10-night MAD is a noisy estimate of σ, hence the wide k = 6)."""
    rng = np.random.default_rng(7)
    nights = NIGHTS[:10]
    flagged = 0
    for _ in range(5000):
        values = rng.normal(1200.0, 0.5, 11)
        verdict = drift_judge(nights, list(values[:10]), NIGHTS[10], values[10], config=CONFIG)
        flagged += bool(verdict["kinds"])
    assert flagged <= 50


def test_noiseless_baseline_uses_the_floor():
    nights, flat = NIGHTS[:10], [3.0] * 10
    # σ floor: 1e-4 × 3.0; a change of 1e-4 is noise, 0.01 (33 floors) a step.
    assert drift_judge(nights, flat, NIGHTS[10], 3.0001, config=CONFIG)["kinds"] == []
    assert drift_judge(nights, flat, NIGHTS[10], 3.01, config=CONFIG)["kinds"] == ["step"]
    assert drift_judge(nights[:4], flat[:4], NIGHTS[10], 9.0, config=CONFIG) is None


def test_api_viewer_reads_and_bad_input(nights, viewer_client, anon_client):
    body = viewer_client.get("/api/drift/", {"night": "2026-11-12", "metric": "BIAS_AMP"}).json()
    assert _flags(body) == {("r3", "C"): ["step"], ("b0", "A"): ["drift"]}
    assert body["config"]["window"] == 10
    narrow = viewer_client.get("/api/drift/", {"night": "20261112", "window": 5, "camera": "b0"})
    assert narrow.json()["config"]["window"] == 5
    assert viewer_client.get("/api/drift/").status_code == 400
    assert viewer_client.get("/api/drift/", {"night": "yesterday"}).status_code == 400
    assert viewer_client.get("/api/drift/", {"night": "20261112", "camera": "x"}).status_code == 400
    assert anon_client.get("/api/drift/", {"night": "20261112"}).status_code == 401
