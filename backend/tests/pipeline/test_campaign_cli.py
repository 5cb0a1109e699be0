"""``qlf campaign`` against a daemon served over Pyro4 (HMAC key), as an operator would use it."""

from __future__ import annotations

import time
from dataclasses import replace

import pytest

from qlf.cli import main
from qlf.config import PYRO_OBJECT_ID
from tests.pipeline.rawfiles import write_raw

KEY = "test-hmac-key-campaign-cli"


@pytest.fixture
def served(dirs, config, make_daemon, monkeypatch):
    for expid in (1, 2):
        write_raw(dirs["data"], expid=expid, mtime=time.time() - 60)
    daemon, recorder = make_daemon(config=replace(config, hmac_key=KEY))
    daemon.start_background(serve_pyro=True)
    port = daemon._pyro.uriFor(PYRO_OBJECT_ID).port
    for name, value in {"QLF_PYRO_HMAC_KEY": KEY, "QLF_PYRO_PORT": str(port),
                        "QLF_VAR_DIR": str(dirs["var"])}.items():  # fmt: skip
        monkeypatch.setenv(name, value)
    deadline = time.monotonic() + 60
    while len(recorder.of("process.finished")) < 2 and time.monotonic() < deadline:
        time.sleep(0.05)
    return daemon


def test_start_watch_diff_and_refusals(served, capsys):
    assert main(["campaign", "start", "--night", "20261122", "--flavor", "zero"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("campaign 1 running") and "0/2 finished" in out

    assert main(["campaign", "status", "1", "--watch"]) == 0
    lines = capsys.readouterr().out.strip().splitlines()
    assert lines[-1].startswith("campaign 1 done") and "2/2 finished" in lines[-1]
    assert "exposures/h" in lines[-1]

    assert main(["campaign", "diff", "1"]) == 0
    assert "0 of 2 exposures and 0 of 6 cameras change grade" in capsys.readouterr().out
    assert main(["campaign", "list"]) == 0
    assert capsys.readouterr().out.startswith("campaign 1 done")

    assert main(["campaign", "cancel", "1"]) == 2
    assert "campaign 1 is done: cannot cancel it" in capsys.readouterr().err
    assert main(["campaign", "start", "--night", "20200101"]) == 2
    assert "no exposure" in capsys.readouterr().err


def test_unreachable_daemon_is_one_clear_line(served, capsys, monkeypatch):
    monkeypatch.setenv("QLF_PYRO_HMAC_KEY", "not-the-key")
    assert main(["campaign", "list"]) == 2
    assert "pipeline daemon not reachable" in capsys.readouterr().err
