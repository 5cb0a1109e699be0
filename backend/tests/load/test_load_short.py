"""The short form of ``qlf bench load`` (the long one: 60 s, 50 clients, 100 requests/s)."""

from __future__ import annotations

import pytest

from qlf.bench.load import load_run

pytestmark = pytest.mark.slow


def test_feed_and_api_under_load_while_a_night_is_processed():
    report = load_run(duration=10, clients=10, rate=20, cadence=2)
    assert report.ok, report.text()  # no event dropped, reordered or doubled; no error
    assert report.requests > 0 and report.latencies_s
    assert report.events > 0 and report.exposures_done >= 1  # the daemon worked meanwhile
