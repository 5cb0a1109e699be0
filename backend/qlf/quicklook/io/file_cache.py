"""A per-process cache of files read by the workers: calibration and fibermaps.

A worker processes camera after camera: the 30 cameras of one exposure share its fibermap, and
every exposure of the night uses the same calibration files. Each file is read once per process
and again only when it changes (key: path, size, modification time). Values are shared between
callers, so their numpy arrays are made read-only.
"""

from __future__ import annotations

import os
from collections import OrderedDict
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import numpy as np

__all__ = ["cached_read", "clear_file_cache"]

T = TypeVar("T")

#: files kept: a desi night's 30 cameras × 3 calibration files, and a few fibermaps
MAX_ENTRIES = 128
_cache: OrderedDict[tuple, Any] = OrderedDict()


def cached_read(path: Path | str, reader: Callable[[Path], T]) -> T:
    """``reader(path)``, from the cache while the file is unchanged (errors are not cached)."""
    path = Path(path)
    stat = os.stat(path)
    key = (str(path.resolve()), reader.__module__, reader.__qualname__, stat.st_size,
           stat.st_mtime_ns)  # fmt: skip
    if key in _cache:
        _cache.move_to_end(key)
        return _cache[key]
    value = reader(path)
    _freeze(value)
    _cache[key] = value
    while len(_cache) > MAX_ENTRIES:
        _cache.popitem(last=False)
    return value


def clear_file_cache() -> None:
    _cache.clear()


def _freeze(value: Any) -> None:
    """Make the numpy arrays of ``value`` (and of its tuple/dataclass fields) read-only."""
    if isinstance(value, np.ndarray):
        value.flags.writeable = False
    elif isinstance(value, tuple):
        for item in value:
            _freeze(item)
    elif hasattr(value, "__dataclass_fields__"):
        for name in value.__dataclass_fields__:
            _freeze(getattr(value, name))
