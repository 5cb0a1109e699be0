"""End to end on a real simulated exposure: a masked defect raises no alert, and a threshold
version chosen when reprocessing grades the new process (the daemon passes it to the workers)."""
# ruff: noqa: F811  (pytest fixtures imported from tests.pipeline.conftest)

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest

from qlf.config import read_config
from qlf.dashboard.models import Job, Process
from qlf.dashboard.services.masks import mask_create, mask_end
from qlf.dashboard.services.thresholds import threshold_version_create
from qlf.dashboard.services.users import user_create
from qlf.sim.exposure import simulate_exposure
from tests.pipeline.conftest import config, dirs, make_daemon  # noqa: F401

SPECS_MINI = Path(__file__).resolve().parents[2] / "specs" / "mini"
NIGHT = 20261122


def _bias_status(job: Job) -> str:
    return job.qa["TASKS"]["CHECK_CCDs"]["METRICS"]["BIAS_AMP_STATUS"]


@pytest.fixture
def mini_config(dirs, settings):
    settings.QLF = {**settings.QLF, "SPECS_DIR": SPECS_MINI}
    sim = simulate_exposure(
        dirs["data"], expid=1, night=NIGHT, flavor="zero", profile="mini", cameras=["b0", "r0"],
        defects=["bias_jump:r0:A:100"], calib=dirs["calib"], seed=7, progress=False, workers=1,
    )  # fmt: skip
    old = time.time() - 60
    os.utime(sim.raw, (old, old))
    environ = {
        "QLF_DATA_DIR": str(dirs["data"]), "QLF_SCRATCH_DIR": str(dirs["scratch"]),
        "QLF_CALIB_DIR": str(dirs["calib"]), "QLF_SPECS_DIR": str(SPECS_MINI),
        "QLF_VAR_DIR": str(dirs["var"]), "QLF_WORKERS": "2", "QLF_POLL_S": "0.05",
        "QLF_SETTLE_S": "0.3", "QLF_JOB_TIMEOUT_S": "120", "QLF_PYRO_PORT": "0",
        "QLF_ARMS": "b,r", "QLF_SPECTROGRAPHS": "0",
    }  # fmt: skip
    return read_config(environ)


def test_masked_defect_and_chosen_thresholds_on_a_real_exposure(mini_config, make_daemon):
    operator = user_create(username="otto", password="a-long-operator-secret")
    mask = mask_create(
        camera="r0", amp="A", metrics=["BIAS_AMP"], night_from=NIGHT,
        reason="amp A bias jumps since the cooldown", user=operator,
    )  # fmt: skip
    daemon, recorder = make_daemon(config=mini_config)
    daemon.run(until=lambda: len(recorder.of("process.finished")) >= 1, timeout=300)

    first = Process.objects.get()
    r0, b0 = (
        Job.objects.get(process=first, camera="r0"),
        Job.objects.get(process=first, camera="b0"),
    )
    assert _bias_status(r0) == "ALARM"  # the defect is found and kept in the QA record...
    assert r0.qa_status == b0.qa_status == "NORMAL"  # ...but the masked amp does not count
    assert first.qa_status == "NORMAL" and first.spec_version == "2026-01-01"
    assert r0.qa["SPEC_VERSION"] == "2026-01-01"
    assert not [a for a in recorder.of("alert") if a["payload"]["camera"] == "r0"]
    (ingested,) = [e for e in recorder.of("qa.ingested") if e["payload"]["camera"] == "r0"]
    assert ingested["payload"]["status"] == "NORMAL"
    assert ingested["payload"]["steps"]["CHECK_CCDs"] == "NORMAL"

    # unmasked, the alarm would show; a version with wider bias ranges grades the reprocessing
    mask_end(mask_id=mask.pk, user=operator, last_night=NIGHT - 1)
    r0.refresh_from_db()
    assert r0.qa_status == "ALARM"
    version = threshold_version_create(
        key="BIAS_AMP", selector="default", ref="calib:bias", normal_range=[-150, 150],
        warn_range=[-200, 200], effective_night=20261201, reason="test", user=operator,
    ).version  # fmt: skip
    answer = daemon.reprocess(1, version)
    assert answer["queued"] == 1
    daemon.run(until=lambda: len(recorder.of("process.finished")) >= 2, timeout=300)
    second = Process.objects.exclude(pk=first.pk).get()
    assert second.spec_version == version
    r0 = Job.objects.get(process=second, camera="r0")
    assert r0.qa["SPEC_VERSION"] == version and _bias_status(r0) == "NORMAL"
    assert r0.qa["TASKS"]["CHECK_CCDs"]["PARAMS"]["BIAS_AMP_NORMAL_RANGE"] == [-150, 150]
    with pytest.raises(Exception, match="no threshold version"):
        daemon.reprocess(1, "no-such-version")
