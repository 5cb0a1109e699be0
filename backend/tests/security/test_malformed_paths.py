"""Every malformed path answers 4xx (or the admin's redirect to sign in), signed in or not:
null bytes, bad percent-encodings, overlong names, traversal, in every route that takes a name
from the path. Nothing is a 500."""

from __future__ import annotations

import pytest
from django.test import Client

# transaction=True: response.close() sends request_finished, which closes a database connection
# whose autocommit differs from the settings' (a test's transaction on Postgres)
pytestmark = pytest.mark.django_db(transaction=True)

BAD_NAMES = [
    "r0%00.json",
    "%00",
    "a%00/../b",
    "%ff%fe",
    "%c0%ae%c0%ae/%c0%ae%c0%ae/etc/passwd",
    "..%2f..%2f..%2fetc%2fpasswd",
    "..%5c..%5cwin.ini",
    "x" * 5000,
    "%2e%2e/%2e%2e/%2e%2e/etc/passwd",
    "a%0ab",
    "%25%30%30",
]

ROUTES = [
    "/assets/{}",
    "/{}",
    "/static/{}",
    "/api/{}",
    "/api/ql-mapping/{}/",
    "/api/thresholds/{}/",
    "/api/thresholds/{}/regrade/",
    "/api/plots/{}/",
    "/api/nights/{}/summary/",
    "/api/nights/{}/report.html",
    "/admin/{}",
]


@pytest.fixture
def dist(tmp_path, monkeypatch):
    (tmp_path / "assets").mkdir()
    (tmp_path / "index.html").write_text("<!doctype html><div id=root></div>")
    (tmp_path / "assets" / "index-abc.js").write_text("console.log(1)")
    monkeypatch.setenv("QLF_FRONTEND_DIST", str(tmp_path))
    return tmp_path


def _status(client: Client, url: str) -> int:
    response = client.get(url)
    response.close()  # the index page's file (its request_finished signal: see pytestmark)
    return response.status_code


@pytest.mark.parametrize("route", ROUTES)
def test_malformed_paths_answer_4xx(dist, role_users, route):
    anonymous, viewer = Client(raise_request_exception=False), Client(raise_request_exception=False)
    viewer.force_login(role_users["viewer"])
    wrong = {}
    for name in BAD_NAMES:
        url = route.format(name)
        for who, client in (("anonymous", anonymous), ("viewer", viewer)):
            status = _status(client, url)
            served = 200 <= status < 300 and route != "/{}"  # "/{}": the app's index page
            if status >= 500 or served:  # 3xx: the admin's redirect to its sign-in page
                wrong[f"{who} {url[:60]}"] = status
    assert wrong == {}


def test_the_issue_path_is_404(dist):
    assert _status(Client(raise_request_exception=False), "/assets/r0%00.json") == 404


HUGE = "18887889448850400418513270341632"  # beyond any database integer (found by schemathesis)


@pytest.mark.parametrize(
    "url",
    [f"/api/plots/spectra/?camera=z7&process={HUGE}&fiber=102",
     f"/api/plots/ccd/?camera=r3&process={HUGE}",
     f"/api/exposures/?tile={HUGE}", f"/api/exposures/?page={HUGE}", f"/api/processes/?page={HUGE}",
     f"/api/processes/compare/?a={HUGE}&b={HUGE}", f"/api/processes/{HUGE}/",
     f"/api/processes/{HUGE}/qa/", f"/api/jobs/{HUGE}/log/", f"/api/nights/?page={HUGE}"],
)  # fmt: skip
def test_numbers_out_of_range_are_no_server_error(role_users, url):
    viewer = Client(raise_request_exception=False)
    viewer.force_login(role_users["viewer"])
    assert _status(viewer, url) < 500  # 4xx, or an empty answer (no such tile)
