"""The built web application served by Django: index for app paths, hashed assets, 503 unbuilt."""

from __future__ import annotations

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db  # the session and auth middleware may read the database


@pytest.fixture
def dist(tmp_path, monkeypatch):
    (tmp_path / "assets").mkdir()
    (tmp_path / "index.html").write_text("<!doctype html><div id=root></div>")
    (tmp_path / "assets" / "index-abc.js").write_text("console.log(1)")
    monkeypatch.setenv("QLF_FRONTEND_DIST", str(tmp_path))
    return tmp_path


@pytest.mark.parametrize("path", ["/", "/processing", "/qa/12", "/qa/exposure/3"])
def test_app_paths_answer_index(dist, path):
    response = Client().get(path)
    assert response.status_code == 200
    assert b"id=root" in b"".join(response.streaming_content)
    response.close()


def test_assets_are_served_with_long_cache(dist):
    response = Client().get("/assets/index-abc.js")
    assert response.status_code == 200
    assert response["Content-Type"].endswith("javascript")
    assert "immutable" in response["Cache-Control"]
    response.close()  # the file handle


def test_asset_outside_the_folder_is_404(dist):
    assert Client().get("/assets/../index.html").status_code == 404
    assert Client().get("/assets/nope.js").status_code == 404


def test_api_paths_are_not_the_app(dist):
    response = Client().get("/api/nothing-here/")
    assert response.status_code in (401, 404) and "detail" in response.json()


def test_unbuilt_app_says_how_to_build(tmp_path, monkeypatch):
    monkeypatch.setenv("QLF_FRONTEND_DIST", str(tmp_path / "missing"))
    response = Client().get("/")
    assert response.status_code == 503
    assert b"npm run build" in response.content
