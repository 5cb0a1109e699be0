"""FITS section keywords: ``[x1:x2,y1:y2]`` (1-indexed, inclusive, x = column) ⇄ numpy slices."""

from __future__ import annotations

import re

__all__ = ["format_section", "parse_section"]

_SECTION = re.compile(r"^\s*\[\s*(\d+)\s*:\s*(\d+)\s*,\s*(\d+)\s*:\s*(\d+)\s*\]\s*$")


def parse_section(text: str) -> tuple[slice, slice]:
    """``'[8:2064,2:2065]'`` → ``(slice(1, 2065), slice(7, 2064))`` as (rows, columns).

    Raises ``ValueError`` for anything that is not a well-formed, increasing section.
    """
    match = _SECTION.match(str(text))
    if not match:
        raise ValueError(f"malformed section {text!r}: expected '[x1:x2,y1:y2]'")
    x1, x2, y1, y2 = (int(v) for v in match.groups())
    if x1 < 1 or y1 < 1 or x2 < x1 or y2 < y1:
        raise ValueError(f"malformed section {text!r}: ranges must be 1-indexed and increasing")
    return slice(y1 - 1, y2), slice(x1 - 1, x2)


def format_section(rows: slice, cols: slice) -> str:
    """Inverse of :func:`parse_section`: numpy slices (rows, columns) → ``'[x1:x2,y1:y2]'``."""
    return f"[{cols.start + 1}:{cols.stop},{rows.start + 1}:{rows.stop}]"
