"""The per-camera QA result file (DESIGN.md 4.4): NaN and infinity become null."""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Any

import numpy as np

from qlf.quicklook.io.atomic import write_text_atomic

__all__ = ["jsonable", "qa_json_path", "read_qa_json", "write_qa_json"]


def qa_json_path(scratch_dir: Path | str, night: int, expid: int, camera: str) -> Path:
    return Path(scratch_dir) / str(night) / f"{expid:08d}" / f"ql-{camera}-{expid:08d}.json"


def jsonable(value: Any) -> Any:
    """Plain JSON types: numpy scalars and arrays unwrapped, NaN/inf → None."""
    if isinstance(value, dict):
        return {str(k): jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple | np.ndarray):
        return [jsonable(v) for v in (value.tolist() if isinstance(value, np.ndarray) else value)]
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value


def write_qa_json(path: Path | str, document: dict) -> Path:
    """Write atomically (temporary name, then rename) so readers never see half a file."""
    text = json.dumps(jsonable(document), allow_nan=False, separators=(",", ":"))
    return write_text_atomic(path, text)


def read_qa_json(path: Path | str) -> dict:
    path = Path(path)
    try:
        doc = json.loads(path.read_text())
    except (OSError, ValueError) as exc:
        raise ValueError(f"{path}: not a readable QA file ({exc})") from exc
    for key in ("NIGHT", "EXPID", "CAMERA", "FLAVOR", "TASKS"):
        if key not in doc:
            raise ValueError(f"{path}: QA file lacks {key}")
    return doc
