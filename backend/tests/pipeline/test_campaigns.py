"""Campaigns through the daemon on mini exposures: held results, promotion, grade changes.

Three simulated mini zero exposures (b0, r0) are processed live and graded NORMAL by the
shipped mini thresholds. The campaign grades them with a database version made for it (a
BIAS_AMP reference of 500 ADU where the simulated bias is 1100-2000 ADU, from a night after
theirs, so only used when chosen): every camera is an ALARM in the campaign, which is the truth
the grade-change table must tell.
"""
# ruff: noqa: F811  (pytest fixtures imported from tests.pipeline.conftest)

from __future__ import annotations

import json
import os
import time
from pathlib import Path

import pytest

from qlf.config import read_config
from qlf.dashboard.errors import ApplicationError
from qlf.dashboard.models import AuditEntry, Campaign, Event, Exposure, Metric, Process
from qlf.dashboard.selectors.history import process_list, process_recent
from qlf.dashboard.selectors.latency import backlog_get
from qlf.dashboard.selectors.night_summary import night_summary_get
from qlf.dashboard.services.qa_files import qa_rebuild
from qlf.dashboard.services.thresholds import threshold_version_create
from qlf.dashboard.services.users import user_create
from qlf.sim.exposure import simulate_exposure
from tests.pipeline.conftest import config, dirs, make_daemon  # noqa: F401

SPECS_MINI = Path(__file__).resolve().parents[2] / "specs" / "mini"
NIGHT = 20261122
EXPIDS = (1, 2, 3)


@pytest.fixture
def mini_config(dirs, settings):
    settings.QLF = {**settings.QLF, "SPECS_DIR": SPECS_MINI}
    old = time.time() - 60
    for expid in EXPIDS:
        sim = simulate_exposure(
            dirs["data"], expid=expid, night=NIGHT, flavor="zero", profile="mini",
            cameras=["b0", "r0"], calib=dirs["calib"], seed=expid, progress=False, workers=1,
        )  # fmt: skip
        os.utime(sim.raw, (old, old))
    environ = {
        "QLF_DATA_DIR": str(dirs["data"]), "QLF_SCRATCH_DIR": str(dirs["scratch"]),
        "QLF_CALIB_DIR": str(dirs["calib"]), "QLF_SPECS_DIR": str(SPECS_MINI),
        "QLF_VAR_DIR": str(dirs["var"]), "QLF_WORKERS": "2", "QLF_POLL_S": "0.05",
        "QLF_SETTLE_S": "0.3", "QLF_JOB_TIMEOUT_S": "120", "QLF_PYRO_PORT": "0",
        "QLF_ARMS": "b,r", "QLF_SPECTROGRAPHS": "0",
    }  # fmt: skip
    return read_config(environ)


@pytest.fixture
def night(mini_config, make_daemon):
    """The night processed live (NORMAL), and the strict version the campaign will choose."""
    daemon, recorder = make_daemon(config=mini_config)
    daemon.run(until=lambda: len(recorder.of("process.finished")) == len(EXPIDS), timeout=300)
    assert set(Exposure.objects.values_list("qa_status", flat=True)) == {"NORMAL"}
    admin = user_create(username="ada", password="a-long-admin-secret")
    strict = threshold_version_create(
        key="BIAS_AMP", selector="default", ref=500, normal_range=[-40, 40],
        warn_range=[-60, 60], effective_night=20261201, reason="campaign test", user=admin,
    ).version  # fmt: skip
    return daemon, recorder, strict


def _progress(recorder, campaign_id):
    return [
        e["payload"]
        for e in recorder.of("campaign.progress")
        if e["payload"]["campaign_id"] == campaign_id
    ]


def _state(recorder, campaign_id, state):
    return lambda: any(p["state"] == state for p in _progress(recorder, campaign_id))


def test_campaign_is_held_until_promoted(dirs, night):
    daemon, recorder, strict = night
    live_ids = sorted(Process.objects.values_list("pk", flat=True))
    owners_before = sorted(Metric.objects.values_list("job__process_id", flat=True).distinct())
    qa_file = dirs["scratch"] / str(NIGHT) / "00000001" / "ql-r0-00000001.json"
    live_doc = qa_file.read_text()
    events_before = Event.objects.count()

    answer = daemon.campaign_start({"night": NIGHT}, strict, "strict bias", "ann")
    cid = answer["id"]
    assert answer["total"] == 3 and answer["queued"] == 3 and answer["skipped"] == []
    assert backlog_get()["length"] == 0 and daemon.status()["queue"] == []  # not live work
    daemon.run(until=_state(recorder, cid, "done"), timeout=60)

    # nothing shown changed: exposure statuses, trend rows, the QA files, the history lists
    assert set(Exposure.objects.values_list("qa_status", flat=True)) == {"NORMAL"}
    owners = sorted(Metric.objects.values_list("job__process_id", flat=True).distinct())
    assert owners == owners_before == live_ids
    assert qa_file.read_text() == live_doc
    assert sorted(p.pk for p in process_list(filters={})) == live_ids
    assert sorted(p.pk for p in process_recent()) == live_ids
    summary = night_summary_get(night=NIGHT)
    assert summary["counts"]["processes"] == 3
    assert {row["process_id"] for row in summary["exposures"]} == set(live_ids)
    campaign_ids = set(Process.objects.filter(campaign_id=cid).values_list("pk", flat=True))
    assert len(campaign_ids) == 3
    assert set(Process.objects.filter(pk__in=campaign_ids).values_list("status", flat=True)) == {
        "done"
    }
    # quiet: only campaign.progress events for it (no Monitor events, no alerts)
    new = list(Event.objects.filter(seq__gt=0).order_by("seq"))[events_before:]
    assert {e.type for e in new} <= {"campaign.progress", "pipeline.status"}
    assert not [e for e in new if e.payload.get("process_id") in campaign_ids]
    # its QA files are its own, graded by the version chosen
    mine = dirs["scratch"] / "campaigns" / str(cid) / str(NIGHT) / "00000001"
    doc = json.loads((mine / "ql-r0-00000001.json").read_text())
    assert doc["SPEC_VERSION"] == strict and doc["STATUS"] == "ALARM"
    last = _progress(recorder, cid)[-1]
    assert (last["done"], last["failed"], last["remaining"]) == (3, 0, 0)
    assert last["rate_per_hour"] > 0 and last["eta_s"] is None

    diff = daemon.campaign_read("diff", cid)
    assert diff["changed_exposures"] == 3 and diff["changed_cameras"] == 6
    row = diff["changed"][0]
    assert (row["expid"], row["before"], row["after"]) == (1, "NORMAL", "ALARM")
    assert row["current_process_id"] == live_ids[0] and row["campaign_process_id"] in campaign_ids
    assert {c["camera"] for c in row["cameras"]} == {"b0", "r0"}

    # a rebuild from the files reads the current results, not the campaign's
    assert qa_rebuild().files == 6

    daemon.campaign_act(cid, "promote", "bob")
    daemon.run(until=_state(recorder, cid, "promoted"), timeout=60)
    assert set(Exposure.objects.values_list("qa_status", flat=True)) == {"ALARM"}
    owners = set(Metric.objects.values_list("job__process_id", flat=True).distinct())
    assert owners == campaign_ids
    assert sorted(p.pk for p in process_recent())[-3:] == sorted(campaign_ids)
    assert json.loads(qa_file.read_text())["SPEC_VERSION"] == strict  # the files follow
    # the grade changes are still told against what was shown before
    assert daemon.campaign_read("diff", cid)["changed_exposures"] == 3
    assert Campaign.objects.get(pk=cid).promoted_by == "bob"
    actions = list(AuditEntry.objects.values_list("action", "author").order_by("id"))
    assert actions[-3:] == [
        ("campaign.start", "ann"),
        ("campaign.promote", "bob"),
        ("campaign.promoted", "bob"),
    ]


def test_campaign_needs_a_night_and_a_known_version(night):
    daemon, _, _ = night
    with pytest.raises(ApplicationError, match="night"):
        daemon.campaign_start({"flavor": ["zero"]})
    with pytest.raises(ApplicationError, match="1999-01-01"):
        daemon.campaign_start({"night": NIGHT}, "1999-01-01")
    with pytest.raises(ApplicationError, match="no exposure"):
        daemon.campaign_start({"night": 20200101})
    assert Campaign.objects.count() == 0


def test_missing_raw_file_is_skipped(dirs, night):
    daemon, recorder, _ = night
    (dirs["data"] / str(NIGHT) / "00000002" / "desi-00000002.fits.fz").unlink()
    answer = daemon.campaign_start({"night": NIGHT})
    assert answer["total"] == 2
    assert [s["expid"] for s in answer["skipped"]] == [2]
    assert "raw file not found" in answer["skipped"][0]["reason"]
    daemon.run(until=_state(recorder, answer["id"], "done"), timeout=60)
    # graded by the version in force on the night, as the live run was: nothing changes
    assert daemon.campaign_read("diff", answer["id"])["changed"] == []


def test_promotion_keeps_a_newer_result_and_actions_follow_states(night):
    daemon, recorder, strict = night
    cid = daemon.campaign_start({"night": NIGHT, "flavor": ["zero"]}, strict)["id"]
    with pytest.raises(ApplicationError, match="running: cannot promote") as error:
        daemon.campaign_act(cid, "promote")
    assert error.value.status_code == 409
    with pytest.raises(ApplicationError, match="cannot resume"):
        daemon.campaign_act(cid, "resume")
    with pytest.raises(ApplicationError, match="does not exist") as error:
        daemon.campaign_act(cid + 1, "pause")
    assert error.value.status_code == 404
    daemon.run(until=_state(recorder, cid, "done"), timeout=60)
    with pytest.raises(ApplicationError, match="done: cannot pause"):
        daemon.campaign_act(cid, "pause")

    daemon.reprocess(2)  # exposure 2 processed again after the campaign: its newest result
    daemon.run(until=lambda: len(recorder.of("process.finished")) == 4, timeout=60)
    daemon.campaign_act(cid, "promote", "bob")
    daemon.run(until=_state(recorder, cid, "promoted"), timeout=60)
    statuses = dict(Exposure.objects.values_list("expid", "qa_status"))
    assert statuses == {1: "ALARM", 2: "NORMAL", 3: "ALARM"}
    last = _progress(recorder, cid)[-1]
    assert (last["superseded"], last["promoted_exposures"]) == (1, 2)
    held = Process.objects.get(campaign_id=cid, exposure_id=2)
    assert held.held and held.status == "done"
