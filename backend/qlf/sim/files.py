"""Atomic file writes: write under a hidden temporary name in the same directory, then rename.

A reader polling the directory never sees a half-written file under its final name.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

__all__ = ["atomic_path", "temporary_name", "write_bytes_atomic", "write_json_atomic"]


def temporary_name(final: Path | str) -> Path:
    """The hidden temporary sibling of ``final`` used while it is being written."""
    final = Path(final)
    return final.with_name(f".{final.name}.{os.getpid()}.tmp")


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


def write_json_atomic(final: Path | str, doc: Any) -> Path:
    """Write ``doc`` as indented JSON (no NaN allowed) to ``final``, atomically."""
    text = json.dumps(doc, indent=1, allow_nan=False) + "\n"
    with atomic_path(final) as tmp:
        tmp.write_text(text)
    return Path(final)
