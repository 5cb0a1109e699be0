"""Fixtures of the dashboard tests: configured folders, users with roles, API clients."""

from __future__ import annotations

import json

import pytest
from rest_framework.test import APIClient

from qlf.dashboard.services.users import user_create

MAPPING_QA = {
    "CHECK_CCDs": [("bias", "BIAS_AMP", "amp"), ("noise", "NOISE_AMP", "amp")],
    "CHECK_FIBERS": [("xyshifts", "XYSHIFTS", "camera"), ("ngoodfib", "NGOODFIB", "camera")],
    "CHECK_SPECTRA": [("fidsnr", "FIDSNR_TGT", "class")],
}


@pytest.fixture(autouse=True)
def qlf_dirs(settings, tmp_path):
    """Scratch, mapping and specs folders of each test, with small mapping and spec files."""
    dirs = {name: tmp_path / name.lower() for name in ("SCRATCH_DIR", "MAPPING_DIR", "SPECS_DIR")}
    for folder in dirs.values():
        folder.mkdir()
    for flavor in ("science", "zero"):
        steps = ["CHECK_CCDs"] if flavor == "zero" else list(MAPPING_QA)
        mapping = {
            "flavor": flavor,
            "steps": [
                {
                    "name": step,
                    "display_name": step.title(),
                    "qa": [
                        {"name": n, "key": k, "display_name": k, "granularity": g}
                        for n, k, g in MAPPING_QA[step]
                    ],
                }
                for step in steps
            ],
        }
        (dirs["MAPPING_DIR"] / f"{flavor}.json").write_text(json.dumps(mapping))
    for version, night in (("2026-01-01", 20260101), ("2026-06-01", 20260601)):
        spec = {
            "version": version,
            "effective_night": night,
            "author": "test",
            "note": "test thresholds",
            "metrics": {"BIAS_AMP": {"default": {"REF": 1200, "NORMAL_RANGE": [-40, 40],
                                                 "WARN_RANGE": [-60, 60]}}},
        }  # fmt: skip
        (dirs["SPECS_DIR"] / f"{version}.json").write_text(json.dumps(spec))
    settings.QLF = {**settings.QLF, **dirs, "PIPELINE_URL": None}
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # fast tests
    return dirs


def _client(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


@pytest.fixture
def viewer(db):
    return user_create(username="vera", password="a-long-viewer-secret", role="viewer")


@pytest.fixture
def operator(db):
    return user_create(username="otto", password="a-long-operator-secret", role="operator")


@pytest.fixture
def viewer_client(viewer) -> APIClient:
    return _client(viewer)


@pytest.fixture
def operator_client(operator) -> APIClient:
    return _client(operator)


@pytest.fixture
def anon_client() -> APIClient:
    return APIClient()
