"""Fixtures of the alarms, masks and thresholds tests: users per role, QA with a bad amp."""

from __future__ import annotations

import pytest
from rest_framework.test import APIClient

from qlf.dashboard.services.users import user_create
from tests.dashboard.conftest import qlf_dirs  # noqa: F401  (autouse: folders, fast hasher)
from tests.dashboard.factories import make_qa

NIGHT = 20261122

__all__ = ["FACTORY_SPEC", "NIGHT", "alarm_qa", "clients", "factory_spec", "users"]


@pytest.fixture
def users(db) -> dict:
    """``{role: user}`` for viewer, operator and admin (a staff operator)."""
    found = {
        "viewer": user_create(username="vera", password="a-long-viewer-secret", role="viewer"),
        "operator": user_create(username="otto", password="a-long-operator-secret"),
    }
    admin = user_create(username="ada", password="a-long-admin-secret")
    admin.is_staff = True
    admin.save()
    found["admin"] = admin
    return found


@pytest.fixture
def clients(users) -> dict:
    """An API client signed in per role, and ``anonymous``."""
    found = {"anonymous": APIClient()}
    for role, user in users.items():
        found[role] = APIClient()
        found[role].force_authenticate(user)
    return found


def alarm_qa(expid: int = 42, camera: str = "r3", *, night: int = NIGHT, **kwargs) -> dict:
    """A QA document graded as the runner would: amp A's bias 100 ADU over its REF → ALARM;
    the factory's NGOODFIB (496 of 500, fiber 2 dead) is a WARNING."""
    qa = make_qa(expid, camera, night=night, bias=[1300.0, 1198.0, 1210.7, 1189.9], **kwargs)
    ccd = qa["TASKS"]["CHECK_CCDs"]
    ccd["METRICS"]["BIAS_AMP_STATUS"] = "ALARM"
    ccd["STATUS"] = "ALARM"
    qa["STATUS"] = "ALARM"
    return qa


#: The thresholds the factory's QA documents were graded with (tests.dashboard.factories).
FACTORY_SPEC = {
    "version": "2026-11-01",
    "effective_night": 20261101,
    "author": "test",
    "note": "the factory's thresholds",
    "metrics": {
        "BIAS_AMP": {"default": {"REF": 1200, "NORMAL_RANGE": [-40, 40], "WARN_RANGE": [-60, 60]}},
        "NOISE_AMP": {"default": {"REF": 3.0, "NORMAL_RANGE": [-1.5, 1.5], "WARN_RANGE": [-2, 2]}},
        "LITFRAC_AMP": {"default": {"REF": 0.0, "NORMAL_RANGE": [-0.15, 0.15],
                                    "WARN_RANGE": [-0.2, 0.2]}},
        "XYSHIFTS": {"default": {"REF": [0.0, 0.0], "NORMAL_RANGE": [-0.2, 0.2],
                                 "WARN_RANGE": [-0.3, 0.3]}},
        "NGOODFIB": {"default": {"REF": 500, "NORMAL_RANGE": [-3, 3], "WARN_RANGE": [-4, 4]}},
        "FIDSNR_TGT": {"default": {"REF": {"ELG": 3.0, "LRG": 4.0, "QSO": 2.0},
                                   "NORMAL_RANGE": [-0.9, 0.9], "WARN_RANGE": [-1.2, 1.2]}},
    },
}  # fmt: skip


@pytest.fixture
def factory_spec(qlf_dirs) -> dict:  # noqa: F811
    """The factory's thresholds as the file in force from 20261101 on."""
    import json

    (qlf_dirs["SPECS_DIR"] / "2026-11-01.json").write_text(json.dumps(FACTORY_SPEC))
    return FACTORY_SPEC
