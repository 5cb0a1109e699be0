"""Atomic file writes: write under a hidden temporary name in the same directory, then rename.

A reader polling the directory never sees a half-written file under its final name, and two
writers of the same file (threads or processes) never share a temporary name. The one helper
for every file QLF writes whole: raw exposures and calibrations of the simulator, QA JSON,
products files, process timings.
"""

from __future__ import annotations

import json
import os
import secrets
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

__all__ = [
    "atomic_path",
    "is_temporary_name",
    "temporary_name",
    "write_bytes_atomic",
    "write_json_atomic",
    "write_text_atomic",
]


def temporary_name(final: Path | str) -> Path:
    """A hidden temporary sibling of ``final``, unique to this call, to write it under."""
    final = Path(final)
    return final.with_name(f".{final.name}.{os.getpid()}.{secrets.token_hex(4)}.tmp")


def is_temporary_name(name: str, final_name: str) -> bool:
    """Whether ``name`` is a :func:`temporary_name` of a file called ``final_name``."""
    return name.startswith(f".{final_name}.") and name.endswith(".tmp")


@contextmanager
def atomic_path(final: Path | str) -> Iterator[Path]:
    """Yield a temporary path; on success rename it to ``final``, on failure remove it."""
    final = Path(final)
    final.parent.mkdir(parents=True, exist_ok=True)
    tmp = temporary_name(final)
    try:
        yield tmp
        os.replace(tmp, final)
    finally:
        if tmp.exists():
            tmp.unlink()


def write_bytes_atomic(final: Path | str, chunks: Iterable[bytes]) -> Path:
    """Write ``chunks`` one after another to ``final``, atomically."""
    with atomic_path(final) as tmp, open(tmp, "wb") as fh:
        for chunk in chunks:
            fh.write(chunk)
    return Path(final)


def write_text_atomic(final: Path | str, text: str) -> Path:
    """Write ``text`` to ``final``, atomically."""
    with atomic_path(final) as tmp:
        tmp.write_text(text)
    return Path(final)


def write_json_atomic(final: Path | str, doc: Any) -> Path:
    """Write ``doc`` as indented JSON (no NaN allowed) to ``final``, atomically."""
    return write_text_atomic(final, json.dumps(doc, indent=1, allow_nan=False) + "\n")
