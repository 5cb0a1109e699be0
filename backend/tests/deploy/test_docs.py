"""docs/configuration.md lists every QLF_* variable the code reads, and nothing else."""

from __future__ import annotations

import re

NAME = re.compile(r"\bQLF_[A-Z0-9_]*[A-Z0-9]\b")


def _read_by_code(repo) -> set[str]:
    names = set()
    for path in (repo / "backend" / "qlf").rglob("*.py"):
        names.update(re.findall(r"[\"'](QLF_[A-Z0-9_]+)[\"']", path.read_text()))
    return names


def _used_by_scripts(repo) -> set[str]:
    paths = [*repo.glob("*.sh"), *(repo / "scripts").glob("*.sh"), repo / "docker-compose.yml"]
    return {name for path in paths for name in NAME.findall(path.read_text())}


def test_every_variable_the_code_reads_is_documented(repo):
    documented = set(NAME.findall((repo / "docs" / "configuration.md").read_text()))
    missing = _read_by_code(repo) - documented
    assert not missing, f"add these to docs/configuration.md: {sorted(missing)}"


def test_every_documented_variable_is_still_used(repo):
    documented = set(NAME.findall((repo / "docs" / "configuration.md").read_text()))
    unused = documented - _read_by_code(repo) - _used_by_scripts(repo)
    assert not unused, f"docs/configuration.md lists variables nothing reads: {sorted(unused)}"
