"""Discovery of complete raw files (no database)."""

from __future__ import annotations

import os
import time

import pytest

from qlf.config import read_config
from qlf.pipeline.discovery import Discovery, fits_complete, parse_raw_path, raw_summary
from qlf.quicklook.io.raw import open_raw
from tests.pipeline.rawfiles import raw_path, write_raw

NIGHT = 20261122


def test_renamed_file_is_found_once_in_order(tmp_path):
    old = time.time() - 60
    for expid in (5, 3):
        write_raw(tmp_path, expid=expid, mtime=old)
    discovery = Discovery(tmp_path, settle_s=2.0)
    assert [r.expid for r in discovery.scan()] == [3, 5]
    discovery.known.update({3, 5})
    assert discovery.scan() == []


def test_fresh_complete_file_is_accepted_after_a_short_quiet_time(tmp_path):
    path = write_raw(tmp_path, expid=1)
    discovery = Discovery(tmp_path, settle_s=10.0)
    now = os.stat(path).st_mtime
    assert discovery.scan(now=now + 0.1) == []  # just renamed: a writer may be mid-file
    assert [r.expid for r in discovery.scan(now=now + 0.6)] == [1]  # whole FITS, quiet 0.5 s


def test_file_written_in_place_waits_for_a_stable_size(tmp_path):
    complete = write_raw(tmp_path / "src", expid=2).read_bytes()
    path = raw_path(tmp_path, NIGHT, 2)
    path.parent.mkdir(parents=True)
    path.write_bytes(complete[: len(complete) // 2])  # half written, final name
    assert not fits_complete(path)
    discovery = Discovery(tmp_path, settle_s=1.0)
    now = time.time()
    assert discovery.scan(now=now) == []
    assert discovery.scan(now=now + 0.8) == []
    path.write_bytes(complete)  # the writer finishes
    assert fits_complete(path)
    stat = path.stat()
    assert discovery.scan(now=stat.st_mtime + 0.2) == []
    assert [r.expid for r in discovery.scan(now=stat.st_mtime + 0.7)] == [2]


def test_stable_but_truncated_file_is_accepted_after_settle(tmp_path):
    complete = write_raw(tmp_path / "src", expid=4).read_bytes()
    path = raw_path(tmp_path, NIGHT, 4)
    path.parent.mkdir(parents=True)
    path.write_bytes(complete[:-3000])
    discovery = Discovery(tmp_path, settle_s=1.0)
    now = path.stat().st_mtime
    assert discovery.scan(now=now + 0.6) == []
    found = discovery.scan(now=now + 1.1)  # the settle rule: the daemon then reports it unreadable
    assert [r.expid for r in found] == [4]
    discovery.reject(found[0])
    assert discovery.scan(now=now + 5) == []  # not again unless the file changes


def test_temporary_and_foreign_names_are_ignored(tmp_path):
    folder = tmp_path / str(NIGHT) / "00000007"
    folder.mkdir(parents=True)
    old = time.time() - 60
    for name in (
        ".desi-00000007.fits.fz.tmp",
        "desi-00000007.fits.fz.part",
        "desi-00000008.fits.fz",
    ):
        (folder / name).write_bytes(b"x" * 2880)
        os.utime(folder / name, (old, old))
    assert Discovery(tmp_path, settle_s=0.5).scan() == []
    assert parse_raw_path(folder / "desi-00000007.fits.fz") == (NIGHT, 7)
    assert parse_raw_path(folder / "desi-00000008.fits.fz") is None  # wrong folder


def test_config_selects_cameras_and_reads_knobs(tmp_path):
    config = read_config(
        {
            "QLF_VAR_DIR": str(tmp_path),
            "QLF_ARMS": "r,z",
            "QLF_SPECTROGRAPHS": "0-2,7",
            "QLF_WORKERS": "3",
            "QLF_EXECUTOR": "celery",
        }
    )
    assert config.wants("r7") and config.wants("z0") and not config.wants("b0")
    assert not config.wants("r3")
    assert config.workers == 3 and config.executor == "celery"
    key = (tmp_path / "pyro_hmac_key").read_text()
    assert config.hmac_key == key and len(key) > 20
    assert (tmp_path / "pyro_hmac_key").stat().st_mode & 0o077 == 0
    assert key not in repr(config)


def test_raw_summary_reads_what_open_raw_reads(tmp_path):
    path = write_raw(tmp_path, expid=9, cameras=("z1", "b0", "r0"), flavor="science")
    header, cameras, cut = raw_summary(path)
    assert cut is None
    with open_raw(path) as raw:
        assert cameras == raw.cameras == ["b0", "r0", "z1"]
        for key in ("EXPID", "NIGHT", "FLAVOR", "EXPTIME", "DATE-OBS", "AIRMASS"):
            assert header[key] == raw.header[key]
    path.write_bytes(b"garbage" * 1000)
    with pytest.raises(ValueError, match=r"desi-00000009\.fits\.fz"):
        raw_summary(path)
