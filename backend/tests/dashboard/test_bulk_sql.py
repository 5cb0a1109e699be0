"""Multi-row inserts: what goes in comes back, awkward text and extreme numbers included."""

from __future__ import annotations

import pytest
from django.db import connection

from qlf.dashboard.models import StepRun
from qlf.dashboard.services.bulk_sql import insert_rows
from tests.dashboard.factories import ingest_exposure

pytestmark = pytest.mark.django_db

AWKWARD = ["plain", 'a "quoted" word', "back\\slash", "{braces,comma}", "NULL", "", "ünïcode", "x"]


def test_rows_round_trip():
    job = ingest_exposure(41, cameras=("r0",)).jobs.get()
    durations = [1e-300, -0.0, 1.7976931348623157e308, None, 0.1, 3, 2.5, 1e-5]
    rows = [
        (job.pk, f"STEP_{i}", "finished", "NORMAL", d, text)
        for i, (d, text) in enumerate(zip(durations, AWKWARD, strict=True))
    ]
    insert_rows(
        StepRun._meta.db_table,
        ("job_id", "name", "state", "qa_status", "duration_s", "error"),
        ("bigint", "text", "text", "text", "float8", "text"),
        rows,
    )
    stored = {s.name: (s.duration_s, s.error) for s in StepRun.objects.filter(job=job)}
    for _, name, _, _, duration, error in rows:
        assert stored[name] == (None if duration is None else float(duration), error)
    assert connection.vendor in ("postgresql", "sqlite")
