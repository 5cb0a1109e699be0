"""QA files on disk: ingest, rebuild (idempotent), and the qlf sub-commands."""

from __future__ import annotations

import argparse

import pytest

from qlf.dashboard.models import Exposure, Job, Metric, MetricNight, Process, StepRun
from qlf.dashboard.services.qa_files import qa_files_ingest, qa_rebuild
from qlf.web import cli
from tests.dashboard.factories import make_qa, write_qa

pytestmark = pytest.mark.django_db(transaction=False)


def _counts():
    return tuple(m.objects.count() for m in (Exposure, Process, Job, StepRun, Metric, MetricNight))


@pytest.fixture
def scratch(qlf_dirs):
    root = qlf_dirs["SCRATCH_DIR"]
    for expid, night in ((10, 20261121), (11, 20261122)):
        for camera in ("b0", "r0", "z0"):
            write_qa(root, make_qa(expid, camera, night=night))
    write_qa(root, make_qa(12, "b1", night=20261122, flavor="zero"))
    return root


def test_rebuild_recreates_everything_and_is_idempotent(scratch):
    report = qa_rebuild()
    assert (report.files, report.exposures, report.errors) == (7, 3, [])
    exposure = Exposure.objects.get(pk=10)
    assert (exposure.night, exposure.tile, exposure.airmass) == (20261121, 1234, 1.12)
    process = Process.objects.get(exposure_id=10)
    assert process.status == "done" and process.pipeline_version == "0.1.0"
    assert process.qa_summary == {"b0": "WARNING", "r0": "WARNING", "z0": "WARNING"}
    job = Job.objects.get(process=process, camera="b0")
    assert job.qa_path.endswith("ql-b0-00000010.json") and job.log_path.endswith(".log")
    before = _counts()
    assert qa_rebuild().errors == []
    assert _counts() == before
    Exposure.objects.filter(pk=11).delete()
    qa_rebuild()
    assert _counts() == before
    assert qa_rebuild(wipe=True).files == 7 and _counts() == before


def test_ingest_reports_bad_files_and_goes_on(scratch):
    (scratch / "20261122" / "00000011" / "ql-r1-00000011.json").write_text("{truncated")
    report = qa_files_ingest(paths=[scratch])
    assert report.exposures == 3 and len(report.errors) == 1 and "ql-r1" in report.errors[0]
    missing = qa_files_ingest(paths=[scratch / "nope.json"])
    assert missing.files == 0 and missing.errors


def _run(argv):
    parser = argparse.ArgumentParser()
    cli.add_commands(parser.add_subparsers(dest="command"))
    args = parser.parse_args(argv)
    return args.func(args)


def test_cli_ingest(scratch, capsys):
    assert _run(["ingest", str(scratch / "20261121")]) == 0
    assert "ingested 3 QA files of 1 exposures" in capsys.readouterr().out
    assert _run(["ingest", "--rebuild"]) == 0
    assert Exposure.objects.count() == 3
    with pytest.raises(ValueError):
        _run(["ingest"])


def test_cli_createoperator(monkeypatch, capsys, django_user_model):
    monkeypatch.setenv("OP_PASSWORD", "a-long-operator-secret")
    assert _run(["createoperator", "olga", "--password-env", "OP_PASSWORD", "--token"]) == 0
    out = capsys.readouterr().out
    user = django_user_model.objects.get(username="olga")
    assert set(user.groups.values_list("name", flat=True)) == {"viewers", "operators"}
    # the token is printed once; only its digest is stored (issue 18)
    from qlf.dashboard.services.tokens import token_digest

    key = out.strip().splitlines()[-1]
    assert user.api_tokens.get().digest == token_digest(key) and "a-long-operator-secret" not in out
    monkeypatch.setenv("WEAK", "123")
    with pytest.raises(ValueError):
        _run(["createoperator", "weak", "--password-env", "WEAK"])
    with pytest.raises(ValueError):
        _run(["createoperator", "x", "--password-env", "UNSET_VARIABLE_QLF"])


def test_operator_from_environment(monkeypatch, django_user_model):
    monkeypatch.setenv("QLF_OPERATOR_USERNAME", "night")
    monkeypatch.setenv("QLF_OPERATOR_PASSWORD", "a-long-night-password")
    cli._operator_from_env()
    user = django_user_model.objects.get(username="night")
    assert user.check_password("a-long-night-password")
    assert user.groups.filter(name="operators").exists()
