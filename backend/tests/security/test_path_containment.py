"""No request reaches a file outside the scratch directory: crafted database rows (paths with
``..``, absolute paths, QA naming another night) and symlinks out of it are refused."""

from __future__ import annotations

import json

import pytest
from rest_framework.test import APIClient

from qlf.dashboard.models import Job
from qlf.dashboard.selectors.plots import plot_cache_clear
from qlf.quicklook.io.products_file import products_path, write_camera_products
from tests.dashboard.factories import ingest_exposure
from tests.plots.test_products_file import _products

pytestmark = pytest.mark.django_db

SECRET = "root:x:0:0:the secret line\n"


@pytest.fixture
def setup(qlf_dirs, tmp_path, role_users):
    """An ingested camera job, a viewer client and a secret file outside the scratch dir."""
    plot_cache_clear()
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "passwd").write_text(SECRET)
    process = ingest_exposure(42, cameras=("r3",))
    client = APIClient()
    client.force_authenticate(role_users["viewer"])
    return client, Job.objects.get(process=process), qlf_dirs["SCRATCH_DIR"], outside


def _log(client, job):
    return client.get(f"/api/jobs/{job.pk}/log/")


def _assert_refused(response):
    assert response.status_code in (403, 404), response.status_code
    assert b"the secret line" not in response.content


@pytest.mark.parametrize(
    "crafted",
    ["{outside}/passwd", "{scratch}/../outside/passwd", "{scratch}/../../../../../../etc/passwd",
     "../../../../../../../../etc/passwd", "/etc/passwd",
     "{scratch}/20261122/../../outside/passwd"],
)  # fmt: skip
def test_crafted_log_paths_are_refused(setup, crafted):
    client, job, scratch, outside = setup
    Job.objects.filter(pk=job.pk).update(log_path=crafted.format(scratch=scratch, outside=outside))
    _assert_refused(_log(client, job))
    _assert_refused(client.get(f"/api/jobs/{job.pk}/log/", {"offset": 0}))


def test_symlinks_out_of_scratch_are_refused(setup):
    client, job, scratch, outside = setup
    link = scratch / "r3.log"
    link.symlink_to(outside / "passwd")
    Job.objects.filter(pk=job.pk).update(log_path=str(link))
    _assert_refused(_log(client, job))
    folder = scratch / "night"
    folder.symlink_to(outside, target_is_directory=True)
    Job.objects.filter(pk=job.pk).update(log_path=str(folder / "passwd"))
    _assert_refused(_log(client, job))


def test_a_log_inside_scratch_is_served(setup):
    client, job, scratch, _ = setup
    (scratch / "r3.log").write_text("fine\n")
    Job.objects.filter(pk=job.pk).update(log_path=str(scratch / "r3.log"))
    assert _log(client, job).json()["lines"] == ["fine"]


def _products_at(qa_path):
    path = write_camera_products(products_path(qa_path), _products())
    assert path is not None and path.is_file()
    return path


def test_plots_read_products_only_from_scratch(setup):
    client, job, scratch, outside = setup
    url, query = "/api/plots/ccd/", {"process": job.process_id, "camera": "r3"}
    assert client.get(url, query).status_code == 404  # no products file yet
    _products_at(outside / "ql-r3-00000042.json")
    for crafted in (
        outside / "ql-r3-00000042.json",
        scratch / ".." / "outside/ql-r3-00000042.json",
    ):
        Job.objects.filter(pk=job.pk).update(qa_path=str(crafted))
        _assert_refused(client.get(url, query))
        _assert_refused(client.get("/api/plots/spectra/", {**query, "fiber": 0}))
    qa = {**job.qa, "NIGHT": "../outside"}  # the QA names the file's folder too
    Job.objects.filter(pk=job.pk).update(qa=qa, qa_path="")
    (outside / "00000042").mkdir()
    _products_at(outside / "00000042" / "ql-r3-00000042.json")
    _assert_refused(client.get(url, query))


def test_plots_refuse_a_symlinked_products_file_and_serve_a_real_one(setup):
    client, job, scratch, outside = setup
    url, query = "/api/plots/ccd/", {"process": job.process_id, "camera": "r3"}
    folder = scratch / "20261122" / "00000042"
    folder.mkdir(parents=True, exist_ok=True)
    real = _products_at(outside / "ql-r3-00000042.json")
    target = products_path(folder / "ql-r3-00000042.json")
    target.symlink_to(real)
    Job.objects.filter(pk=job.pk).update(qa_path="")
    _assert_refused(client.get(url, query))
    target.unlink()
    _products_at(folder / "ql-r3-00000042.json")
    answer = client.get(url, query)
    assert answer.status_code == 200 and json.loads(answer.content)["doc"]


def test_websocket_log_subscription_uses_the_same_check(setup):
    from qlf.dashboard.consumers import _log_lines
    from qlf.dashboard.errors import ApplicationError

    _, job, _, outside = setup
    Job.objects.filter(pk=job.pk).update(log_path=str(outside / "passwd"))
    with pytest.raises(ApplicationError) as refused:
        _log_lines(process_id=job.process_id, camera="r3")
    assert refused.value.status_code == 403
