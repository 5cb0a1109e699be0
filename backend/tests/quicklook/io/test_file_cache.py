"""The workers' per-process file cache: read once while unchanged, re-read when the file changes."""

from __future__ import annotations

import os

import numpy as np
import pytest

from qlf.quicklook.io.calib import FiberFlat, read_fiberflat, write_fiberflat
from qlf.quicklook.io.file_cache import cached_read, clear_file_cache


@pytest.fixture(autouse=True)
def _empty_cache():
    clear_file_cache()
    yield
    clear_file_cache()


def test_read_once_while_unchanged_and_again_when_changed(tmp_path):
    path = tmp_path / "fiberflat-r0.fits"
    write_fiberflat(path, np.ones((3, 4)), np.arange(4.0) + 5000)
    reads = []

    def reader(p):
        reads.append(p)
        return read_fiberflat(p)

    first = cached_read(path, reader)
    assert cached_read(path, reader) is first and len(reads) == 1
    write_fiberflat(path, np.full((3, 4), 2.0), np.arange(4.0) + 5000)
    os.utime(path, ns=(0, path.stat().st_mtime_ns + 1_000_000))
    second = cached_read(path, reader)
    assert len(reads) == 2 and np.all(second.flat == 2.0)


def test_shared_arrays_are_read_only(tmp_path):
    path = tmp_path / "fiberflat-r0.fits"
    write_fiberflat(path, np.ones((3, 4)), np.arange(4.0) + 5000)
    flat = cached_read(path, read_fiberflat)
    assert isinstance(flat, FiberFlat)
    with pytest.raises(ValueError, match="read-only"):
        flat.flat[0, 0] = 5.0


def test_errors_are_not_cached(tmp_path):
    path = tmp_path / "fiberflat-r0.fits"
    path.write_bytes(b"garbage")
    with pytest.raises(ValueError):
        cached_read(path, read_fiberflat)
    write_fiberflat(path, np.ones((3, 4)), np.arange(4.0) + 5000)
    assert cached_read(path, read_fiberflat).flat.shape == (3, 4)
