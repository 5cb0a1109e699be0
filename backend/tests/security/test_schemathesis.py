"""Property-based calls of every operation of /api/schema/ as a signed-in operator (schemathesis,
in process through the WSGI application): no 5xx, and every answer matches its schema."""

from __future__ import annotations

import pytest
import schemathesis
from django.core import signals
from django.db import close_old_connections
from hypothesis import HealthCheck, Phase, given, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
)

from qlf.dashboard.services.users import user_token
from qlf.web.wsgi import application
from tests.dashboard.factories import ingest_exposure

EXAMPLES = 10  # per operation (and the explicit examples): about 30 s in all

CHECKS = [not_a_server_error, response_schema_conformance, content_type_conformance]


@pytest.fixture
def keep_connection():
    """Requests through the bare WSGI application close the database connection when they end
    (Django's test client prevents it; here the test's transaction must survive them)."""
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


@pytest.fixture
def operator_headers(role_users, fake_daemon, db) -> dict[str, str]:
    ingest_exposure(42, cameras=("r3",))
    return {"Authorization": f"Token {user_token(user=role_users['operator'])}"}


def test_api_answers_as_its_schema_says(keep_connection, operator_headers):
    schema = schemathesis.openapi.from_wsgi("/api/schema/?format=json", application)
    failures = {}
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) >= 25
    for operation in operations:

        @given(case=operation.as_strategy())
        @settings(
            max_examples=EXAMPLES,
            deadline=None,
            database=None,
            derandomize=True,
            phases=[Phase.explicit, Phase.generate],
            suppress_health_check=list(HealthCheck),
        )
        def call(case):
            case.call_and_validate(headers=operator_headers, checks=CHECKS)

        try:
            call()
        except (Exception, BaseExceptionGroup) as exc:  # every operation is tried and reported
            failures[operation.label] = str(exc)[:2000]
    assert not failures, "\n\n".join(f"{k}: {v}" for k, v in failures.items())
