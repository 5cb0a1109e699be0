"""Deployment tests: the scripts, the compose file, nginx and Docker files of the repository."""

from __future__ import annotations

from pathlib import Path

import pytest

from qlf.paths import REPO_DIR


@pytest.fixture(scope="session")
def repo() -> Path:
    return REPO_DIR
