"""Controlling a background daemon through Pyro4 (HMAC key, serpent), as the REST API does."""

from __future__ import annotations

import time
from dataclasses import replace

import Pyro4
import pytest

from qlf.config import PYRO_OBJECT_ID
from qlf.dashboard.models import Exposure, Process
from qlf.dashboard.services import pipeline_control
from qlf.dashboard.services.pipeline_client import pipeline_proxy
from tests.pipeline.conftest import wait_for
from tests.pipeline.rawfiles import write_raw

KEY = "test-hmac-key-0123456789"


@pytest.fixture
def served(config, make_daemon, monkeypatch, settings):
    monkeypatch.setenv("QLF_PYRO_HMAC_KEY", KEY)
    daemon, recorder = make_daemon(config=replace(config, hmac_key=KEY), autostart=False)
    daemon.start_background(serve_pyro=True)
    url = str(daemon._pyro.uriFor(PYRO_OBJECT_ID))
    settings.QLF = {**settings.QLF, "PIPELINE_URL": url}
    return daemon, recorder, url


def test_control_through_pyro(dirs, config, served):
    _, recorder, url = served
    raw = write_raw(dirs["data"], expid=1, mtime=time.time() - 60)
    proxy = pipeline_proxy(url, config=replace(config, hmac_key=KEY))
    assert proxy.status()["state"] == "stopped"
    assert Exposure.objects.count() == 0  # stopped: not even discovering

    assert proxy.start()["state"] in ("idle", "running")
    wait_for(lambda: len(recorder.of("process.finished")) == 1)
    assert proxy.status()["last"]["expid"] == 1

    answer = proxy.reprocess(1)
    assert answer["queued"] == 1
    wait_for(lambda: len(recorder.of("process.finished")) == 2)
    assert Process.objects.filter(exposure_id=1, status="done").count() == 2
    assert "not registered" in proxy.reprocess(99)["detail"]

    assert proxy.stop()["state"] == "stopped"
    assert proxy.reset()["reset"] is False  # nothing happens without confirmation
    assert Process.objects.count() == 2
    answer = proxy.reset(True)
    assert answer["reset"] is True and answer["processes"] == 2
    assert Process.objects.count() == 0 and Exposure.objects.count() == 0
    assert not list((dirs["scratch"]).rglob("ql-*.json"))
    assert raw.exists()  # raw data is never touched

    proxy.start()  # the exposure is discovered again after a reset
    wait_for(lambda: len(recorder.of("process.finished")) == 3)


def test_rest_service_reaches_the_daemon(served):
    assert pipeline_control.pipeline_status()["state"] == "stopped"
    assert pipeline_control.pipeline_action(action="start")["state"] in ("idle", "running")
    assert pipeline_control.pipeline_action(action="stop")["state"] == "stopped"


def test_wrong_hmac_key_is_refused(config, served):
    _, _, url = served
    intruder = pipeline_proxy(url, config=replace(config, hmac_key="not-the-key"))
    with pytest.raises(Pyro4.errors.CommunicationError):
        intruder.status()
