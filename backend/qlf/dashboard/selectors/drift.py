"""Drift detection: a metric element that steps or drifts away from its own recent past.

Fixed ranges catch a value far from its reference; they miss a bias level that jumps by 10 ADU
or creeps by 2 ADU a night while staying inside ±40 ADU. For every metric element (key, camera,
amp or class) the per-night mean of the ``MetricNight`` statistics (``total / count``) is
compared with a robust baseline over the last ``window`` nights with data before the night:

- **step**: ``|value − median| > k_step · σ``, with ``σ = max(1.4826 · MAD, floor)`` of the
  baseline nights (1.4826 · MAD estimates a normal standard deviation; ``floor`` keeps a
  noiseless baseline from flagging rounding: ``max(rel_floor · |median|, abs_floor)``);
- **drift**: over the baseline nights and the night, a monotonic trend (Mann–Kendall
  ``|Z| ≥ z_drift``) whose Theil–Sen change over the span is larger than ``k_drift · σ_res``,
  ``σ_res`` being the floored 1.4826 · MAD of the residuals around the Theil–Sen line.

Elements with fewer than ``min_nights`` baseline nights are not judged. Nothing is stored: it
is computed from the per-night statistics on each call (one query over ``window + 1`` nights).
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass
from datetime import date
from typing import Any

import numpy as np

from qlf.dashboard.models import MetricNight

__all__ = ["DriftConfig", "drift_judge", "drift_list", "metric_nights_recent"]


@dataclass(frozen=True)
class DriftConfig:
    window: int = 10  # baseline nights (the last ones with data before the night)
    min_nights: int = 5  # fewer baseline nights: not judged
    k_step: float = 6.0  # step when |value − median| > k_step · σ
    z_drift: float = 3.0  # drift needs a Mann–Kendall |Z| at least this ...
    k_drift: float = 3.0  # ... and a Theil–Sen change over the span above k_drift · σ_res
    rel_floor: float = 1e-4  # σ ≥ rel_floor · |median| ...
    abs_floor: float = 1e-6  # ... and ≥ abs_floor


def drift_list(
    *,
    night: int,
    key: str | None = None,
    camera: str | None = None,
    flavor: str = MetricNight.ALL_FLAVORS,
    config: DriftConfig = DriftConfig(),
) -> dict[str, Any]:
    """The flagged elements of ``night`` (optionally one metric and camera), worst first."""
    nights = metric_nights_recent(night=night, count=config.window + 1, flavor=flavor)
    rows = MetricNight.objects.filter(night__in=nights, flavor=flavor, count__gt=0)
    if key:
        rows = rows.filter(key=key)
    if camera:
        rows = rows.filter(camera=camera)
    series: dict[tuple[str, str, str], dict[int, float]] = {}
    for k, cam, index, n, total, count in rows.values_list(
        "key", "camera", "index", "night", "total", "count"
    ):
        series.setdefault((k, cam, index), {})[n] = total / count
    flags, judged = [], 0
    for (k, cam, index), values in sorted(series.items()):
        if night not in values:
            continue
        past = sorted((n, v) for n, v in values.items() if n < night)[-config.window :]
        verdict = drift_judge(
            [n for n, _ in past], [v for _, v in past], night, values[night], config=config
        )
        if verdict is None:
            continue
        judged += 1
        if verdict["kinds"]:
            flags.append({"key": k, "camera": cam, "index": index, **verdict})
    flags.sort(key=lambda f: -max(abs(f["deviation"]), abs(f["drift_z"])))
    return {
        "night": night,
        "flavor": flavor,
        "config": asdict(config),
        "judged": judged,
        "flags": flags,
    }


def metric_nights_recent(
    *, night: int, count: int, flavor: str = MetricNight.ALL_FLAVORS
) -> list[int]:
    """The last ``count`` nights up to ``night`` with metric statistics, newest first."""
    return list(
        MetricNight.objects.filter(night__lte=night, flavor=flavor)
        .order_by("-night")
        .values_list("night", flat=True)
        .distinct()[:count]
    )


def drift_judge(
    nights: list[int], values: list[float], night: int, value: float, *, config: DriftConfig
) -> dict[str, Any] | None:
    """The verdict on ``value`` of ``night`` against the baseline ``values`` of ``nights``
    (ascending, before ``night``); None when the baseline is too short to judge."""
    if len(values) < config.min_nights:
        return None
    base = np.asarray(values, dtype=float)
    median = float(np.median(base))
    floor = max(config.rel_floor * abs(median), config.abs_floor)
    sigma = max(1.4826 * float(np.median(np.abs(base - median))), floor)
    deviation = (value - median) / sigma
    days = np.array([_day(n) for n in [*nights, night]], dtype=float)
    y = np.append(base, value)
    slope = _theil_sen(days, y)
    intercept = float(np.median(y - slope * days))
    residuals = y - (intercept + slope * days)
    sigma_res = max(1.4826 * float(np.median(np.abs(residuals - np.median(residuals)))), floor)
    change = slope * (days[-1] - days[0])
    z = _mann_kendall_z(y)
    kinds = []
    if abs(deviation) > config.k_step:
        kinds.append("step")
    if abs(z) >= config.z_drift and abs(change) > config.k_drift * sigma_res:
        kinds.append("drift")
    return {
        "kinds": kinds,
        "value": value,
        "median": median,
        "sigma": sigma,
        "band": [median - config.k_step * sigma, median + config.k_step * sigma],
        "deviation": round(deviation, 3),
        "slope_per_night": slope,
        "change": change,
        "drift_z": round(z, 3),
        "nights": [*nights, night],
        "values": y.tolist(),
    }


def _day(night: int) -> int:
    return date(night // 10000, night // 100 % 100, night % 100).toordinal()


def _theil_sen(x: np.ndarray, y: np.ndarray) -> float:
    """The median of the slopes between all pairs of points (distinct x)."""
    i, j = np.triu_indices(len(x), k=1)
    dx = x[j] - x[i]
    keep = dx != 0
    return float(np.median((y[j] - y[i])[keep] / dx[keep])) if keep.any() else 0.0


def _mann_kendall_z(y: np.ndarray) -> float:
    """Mann–Kendall trend statistic as a normal score (continuity-corrected, ties ignored in
    the variance: conservative for the few ties of floating-point means)."""
    n = len(y)
    i, j = np.triu_indices(n, k=1)
    s = float(np.sign(y[j] - y[i]).sum())
    if s == 0:
        return 0.0
    var = n * (n - 1) * (2 * n + 5) / 18.0
    return (s - math.copysign(1.0, s)) / math.sqrt(var)
