"""Fixtures of the pipeline tests: configured folders, a daemon driven by the test, its events."""

from __future__ import annotations

import json
import time

import pytest

from qlf.config import read_config
from qlf.dashboard.events import EventPublisher
from qlf.pipeline.daemon import PipelineDaemon

SPEC = {
    "version": "2026-01-01",
    "effective_night": 20260101,
    "author": "test",
    "note": "pipeline test thresholds",
    "metrics": {
        "BIAS_AMP": {"default": {"REF": 1200, "NORMAL_RANGE": [-40, 40], "WARN_RANGE": [-60, 60]}},
        "NOISE_AMP": {"default": {"REF": 3.0, "NORMAL_RANGE": [-1.5, 1.5], "WARN_RANGE": [-2, 2]}},
    },
}


@pytest.fixture
def dirs(tmp_path, settings):
    folders = {name: tmp_path / name for name in ("data", "scratch", "specs", "var", "calib")}
    for folder in folders.values():
        folder.mkdir()
    (folders["specs"] / "2026-01-01.json").write_text(json.dumps(SPEC))
    settings.QLF = {**settings.QLF, "SCRATCH_DIR": folders["scratch"]}
    return folders


@pytest.fixture
def config(dirs):
    environ = {
        "QLF_DATA_DIR": str(dirs["data"]),
        "QLF_SCRATCH_DIR": str(dirs["scratch"]),
        "QLF_CALIB_DIR": str(dirs["calib"]),
        "QLF_SPECS_DIR": str(dirs["specs"]),
        "QLF_VAR_DIR": str(dirs["var"]),
        "QLF_WORKERS": "2",
        "QLF_POLL_S": "0.05",
        "QLF_SETTLE_S": "0.3",
        "QLF_JOB_TIMEOUT_S": "60",
        "QLF_PYRO_PORT": "0",
    }
    return read_config(environ)


class Recorder:
    """The events a daemon published, in delivery order."""

    def __init__(self):
        self.events: list[dict] = []

    def __call__(self, message: dict) -> None:
        self.events.append(message)

    def of(self, type: str) -> list[dict]:
        return [e for e in self.events if e["type"] == type]


@pytest.fixture
def make_daemon(config, transactional_db):
    made: list[PipelineDaemon] = []

    def make(**options) -> tuple[PipelineDaemon, Recorder]:
        publisher = EventPublisher(channel_layer=None)
        recorder = Recorder()
        publisher.listeners.append(recorder)
        daemon = PipelineDaemon(options.pop("config", config), publisher=publisher, **options)
        made.append(daemon)
        return daemon, recorder

    yield make
    for daemon in made:
        daemon.shutdown()


def wait_for(condition, timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise TimeoutError("condition not met")
        time.sleep(0.05)
