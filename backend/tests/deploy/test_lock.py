"""The lock files pin every package with hashes, and agree with pyproject.toml and each other.

scripts/lock.sh writes them; scripts/env.sh installs requirements-dev.lock, backend/Dockerfile
requirements.lock, both with ``pip install --require-hashes``.
"""

from __future__ import annotations

import re
import tomllib

import pytest

LOCKS = ("requirements.lock", "requirements-dev.lock")
PIN = re.compile(r"^([A-Za-z0-9][A-Za-z0-9._-]*)(?:\[[^\]]*\])?==([^\s;\\]+)")


def _name(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def _locked(path) -> dict[str, str]:
    """{package: version} of a lock file; each pin must carry at least one sha256."""
    pins: dict[str, str] = {}
    blocks = re.split(r"\n(?=[A-Za-z0-9])", path.read_text())
    for block in blocks:
        match = PIN.match(block)
        if match is None:
            continue
        assert "--hash=sha256:" in block, f"{path.name}: {match.group(1)} has no hash"
        pins[_name(match.group(1))] = match.group(2)
    return pins


def _pyproject_pins(repo, extra: str | None = None) -> dict[str, str]:
    project = tomllib.loads((repo / "backend" / "pyproject.toml").read_text())["project"]
    wanted = project["dependencies"] + (project["optional-dependencies"][extra] if extra else [])
    pins = {}
    for requirement in wanted:
        match = PIN.match(requirement)
        assert match, f"pyproject.toml: {requirement} is not pinned with =="
        pins[_name(match.group(1))] = match.group(2)
    return pins


@pytest.mark.parametrize(
    ("lock", "extra"), [("requirements.lock", None), ("requirements-dev.lock", "dev")]
)
def test_every_pin_of_pyproject_is_locked_at_its_version(repo, lock, extra):
    locked = _locked(repo / "backend" / lock)
    for name, version in _pyproject_pins(repo, extra).items():
        assert locked.get(name) == version, (
            f"{lock}: {name} {locked.get(name)} != {version}: run scripts/lock.sh"
        )


def test_the_dev_lock_has_the_runtime_versions(repo):
    runtime = _locked(repo / "backend" / "requirements.lock")
    dev = _locked(repo / "backend" / "requirements-dev.lock")
    assert len(runtime) > len(_pyproject_pins(repo))  # the dependencies' dependencies too
    different = {name: (v, dev.get(name)) for name, v in runtime.items() if dev.get(name) != v}
    assert not different, f"run scripts/lock.sh: {different}"


def test_the_setup_and_the_image_install_the_locks_with_hashes(repo):
    env = (repo / "scripts" / "env.sh").read_text()
    assert 'QLF_LOCK="$ROOT/backend/requirements-dev.lock"' in env
    assert '--require-hashes --no-deps -r "$QLF_LOCK"' in env
    image = (repo / "backend" / "Dockerfile").read_text()
    assert "--require-hashes --no-deps -r /tmp/requirements.lock" in image
