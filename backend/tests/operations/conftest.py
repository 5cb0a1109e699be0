"""Fixtures of the operations tests: those of the dashboard tests (folders, users, clients)."""

from tests.dashboard.conftest import (  # noqa: F401
    anon_client,
    operator,
    operator_client,
    qlf_dirs,
    viewer,
    viewer_client,
)
