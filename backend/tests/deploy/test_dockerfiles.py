"""The Dockerfiles build from pinned bases and install from the project's own files."""

from __future__ import annotations

import re

import pytest

DOCKERFILES = ("docker/backend.Dockerfile", "docker/nginx.Dockerfile")


def _bases(text: str) -> list[str]:
    return re.findall(r"^FROM\s+(\S+)", text, flags=re.MULTILINE)


@pytest.mark.parametrize("name", DOCKERFILES)
def test_every_base_is_pinned(repo, name):
    bases = _bases((repo / name).read_text())
    assert bases
    for base in bases:
        tag = base.partition(":")[2]
        assert "@sha256:" in base or re.fullmatch(r"\d+(\.\d+){1,2}(-[a-z0-9-]+)?", tag), base
        assert "latest" not in base


def test_backend_image_installs_the_pinned_dependencies_of_the_project(repo):
    text = (repo / "docker/backend.Dockerfile").read_text()
    assert "COPY backend/pyproject.toml" in text
    assert "COPY backend/ backend/" in text
    assert "pip install --no-deps -e backend" in text
    assert "\nUSER qlf" in text  # not root


def test_nginx_image_builds_the_frontend_from_its_lock_file(repo):
    text = (repo / "docker/nginx.Dockerfile").read_text()
    assert "COPY frontend/package.json frontend/package-lock.json" in text
    assert "npm ci" in text and "npm install" not in text
    assert "COPY docker/nginx.conf /etc/nginx/conf.d/default.conf" in text
    assert "COPY --from=frontend /frontend/dist /usr/share/nginx/html" in text


def test_build_context_leaves_out_local_state(repo):
    ignored = (repo / ".dockerignore").read_text().split()
    for path in (".venv", "var", ".env", "qlf.env", "**/node_modules", ".git"):
        assert path in ignored
