"""Fixtures of the security tests: one user per role, an ingested process, a stand-in daemon."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Group

from qlf.dashboard.permissions import OPERATORS
from qlf.dashboard.services.pipeline_control import pipeline_attach
from qlf.dashboard.services.users import user_create
from tests.dashboard.conftest import qlf_dirs  # noqa: F401  (autouse: folders, fast hasher)

PASSWORDS = {
    "viewer": "a-long-viewer-secret",
    "operator": "a-long-operator-secret",
    "admin": "a-long-admin-secret",
}


@pytest.fixture
def role_users(db) -> dict:
    """``{role: user}`` for viewer, operator and admin (a staff operator); anonymous is None."""
    users = {"anonymous": None}
    for role in ("viewer", "operator"):
        users[role] = user_create(username=role, password=PASSWORDS[role], role=role)
    admin = user_create(username="admin", password=PASSWORDS["admin"], role="operator")
    admin.is_staff = True
    admin.save()
    admin.groups.add(Group.objects.get(name=OPERATORS))
    users["admin"] = admin
    return users


class FakeDaemon:
    """Answers the control calls like the daemon does, and remembers them."""

    def __init__(self):
        self.calls: list[tuple] = []

    def status(self):
        return {"state": "stopped", "queue": [], "current": None}

    def start(self):
        self.calls.append(("start",))
        return {"state": "running"}

    def stop(self):
        self.calls.append(("stop",))
        return {"state": "stopped"}

    def reset(self, confirm=False):
        self.calls.append(("reset", confirm))
        return {"confirm": confirm, "would_delete": {}}

    def reprocess(self, expid, spec_version=None):
        self.calls.append(("reprocess", expid))
        return {"queued": expid}

    def campaign_start(self, filters, spec_version="", name="", author=""):
        self.calls.append(("campaign_start", filters, spec_version, author))
        return {"id": 1, "state": "running"}

    def campaign_act(self, campaign_id, action, author=""):
        self.calls.append(("campaign_act", campaign_id, action, author))
        return {"id": campaign_id, "state": action}


@pytest.fixture
def fake_daemon():
    daemon = FakeDaemon()
    pipeline_attach(daemon)
    yield daemon
    pipeline_attach(None)
