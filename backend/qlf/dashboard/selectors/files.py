"""Reading JSON files of the configured directories, cached until the file changes."""

from __future__ import annotations

import json
import os
from functools import lru_cache
from pathlib import Path
from typing import Any

from django.conf import settings

__all__ = ["contained", "qlf_dir", "read_json"]


def qlf_dir(name: str) -> Path:
    """A configured QLF directory: DATA_DIR, SCRATCH_DIR, CALIB_DIR, SPECS_DIR, MAPPING_DIR."""
    return Path(settings.QLF[name])


def contained(path: Path | str, *names: str) -> Path | None:
    """``path`` with every symlink resolved, if it lies inside one of the configured directories
    ``names`` (also resolved), else None: no request reaches outside them (DESIGN.md 10)."""
    try:
        real = os.path.realpath(path)
    except ValueError:  # a null byte: no file at all
        return None
    for name in names:
        root = os.path.realpath(qlf_dir(name))
        if os.path.commonpath([root, real]) == root:
            return Path(real)
    return None


def read_json(path: Path) -> Any:
    """The parsed content of ``path`` (ValueError if it is not valid JSON)."""
    stat = path.stat()
    return _read(str(path), stat.st_mtime_ns, stat.st_size)


@lru_cache(maxsize=64)
def _read(path: str, mtime_ns: int, size: int) -> Any:
    with open(path, encoding="utf-8") as handle:
        return json.load(handle)
