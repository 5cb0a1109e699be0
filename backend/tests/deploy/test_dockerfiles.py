"""The Dockerfiles build from pinned bases, and the build context leaves out local state.

What the images hold and do is checked by building and running them: compose_e2e.py."""

from __future__ import annotations

import re

import pytest

DOCKERFILES = ("backend/Dockerfile", "nginx/Dockerfile")


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


def test_build_context_leaves_out_local_state(repo):
    ignored = (repo / ".dockerignore").read_text().split()
    for path in (".venv", "var", ".env", "qlf.env", "**/node_modules", ".git"):
        assert path in ignored
