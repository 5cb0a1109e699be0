"""Fibermap files (DESIGN.md 4.2): write, read back, and clear errors on bad input."""

from __future__ import annotations

import numpy as np
import pytest
from astropy.io import fits
from astropy.table import Table

from qlf.quicklook.io.fibermap import (
    FIBERMAP_COLUMNS,
    FibermapError,
    fibermap_path,
    read_fibermap,
    write_fibermap,
)


def _table(n: int = 6) -> Table:
    table = Table()
    table["FIBER"] = np.arange(n)
    table["PETAL_LOC"] = np.arange(n) // 3
    table["OBJTYPE"] = ["TGT", "SKY", "STD", "TGT", "NON", "TGT"][:n]
    table["TARGET_CLASS"] = ["ELG", "SKY", "STAR", "QSO", "", "LRG"][:n]
    table["TARGET_RA"] = np.linspace(150.0, 150.5, n)
    table["TARGET_DEC"] = np.linspace(2.0, 2.5, n)
    table["FLUX_G"] = np.array([1.0, 0.0, 200.0, 3.0, 0.0, 0.5])[:n]
    table["FLUX_R"] = np.array([1.2, 0.0, 250.0, 3.1, 0.0, 1.5])[:n]
    table["FLUX_Z"] = np.array([1.5, 0.0, 260.0, 3.3, 0.0, 4.0])[:n]
    table["FIBERSTATUS"] = np.zeros(n, dtype=int)
    return table


def test_round_trip(tmp_path):
    path = tmp_path / "fibermap-00000042.fits"
    write_fibermap(path, _table(), {"TILEID": 1234, "TELRA": 150.2, "TELDEC": 2.2})
    table = read_fibermap(path)
    assert set(FIBERMAP_COLUMNS) <= set(table.colnames)
    assert list(table["OBJTYPE"]) == ["TGT", "SKY", "STD", "TGT", "NON", "TGT"]
    assert list(table["TARGET_CLASS"]) == ["ELG", "SKY", "STAR", "QSO", "", "LRG"]
    assert table["TARGET_CLASS"].dtype.kind == "U"
    np.testing.assert_allclose(table["FLUX_R"], [1.2, 0.0, 250.0, 3.1, 0.0, 1.5], rtol=1e-6)
    assert table.meta["TILEID"] == 1234 and table.meta["TELRA"] == 150.2
    with fits.open(path) as hdul:
        assert isinstance(hdul["FIBERMAP"], fits.BinTableHDU)
        assert hdul["FIBERMAP"].header["TELDEC"] == 2.2
        assert hdul["FIBERMAP"].columns["FIBER"].format == "J"
        assert hdul["FIBERMAP"].columns["FLUX_G"].format == "E"


def test_path():
    assert str(fibermap_path("/data", 20261122, 42)) == (
        "/data/20261122/00000042/fibermap-00000042.fits"
    )


def test_write_refuses_incomplete_table(tmp_path):
    table = _table()
    del table["FLUX_Z"]
    with pytest.raises(ValueError, match="FLUX_Z"):
        write_fibermap(tmp_path / "f.fits", table)


@pytest.mark.parametrize(
    ("mutate", "field"),
    [
        (lambda t: t.remove_column("OBJTYPE"), "OBJTYPE"),
        (lambda t: t.replace_column("FIBER", np.linspace(0, 1, len(t))), "FIBER"),
        (lambda t: t.replace_column("FLUX_R", ["a"] * len(t)), "FLUX_R"),
        (lambda t: t.replace_column("FIBER", np.zeros(len(t), dtype=int)), "FIBER"),
    ],
)
def test_bad_columns_name_file_and_field(tmp_path, mutate, field):
    table = _table()
    mutate(table)
    path = tmp_path / "bad.fits"
    fits.HDUList([fits.PrimaryHDU(), fits.BinTableHDU(table, name="FIBERMAP")]).writeto(path)
    with pytest.raises(FibermapError) as info:
        read_fibermap(path)
    assert str(path) in str(info.value) and f"[{field}]" in str(info.value)
    assert info.value.field == field and isinstance(info.value, ValueError)


def test_missing_file_hdu_or_garbage(tmp_path):
    with pytest.raises(FibermapError, match="no such file"):
        read_fibermap(tmp_path / "nope.fits")
    other = tmp_path / "other.fits"
    fits.HDUList([fits.PrimaryHDU(), fits.BinTableHDU(_table(), name="TARGETS")]).writeto(other)
    with pytest.raises(FibermapError, match=r"\[FIBERMAP\]"):
        read_fibermap(other)
    garbage = tmp_path / "garbage.fits"
    garbage.write_bytes(b"not a fits file at all" * 200)
    with pytest.raises(FibermapError, match=r"garbage\.fits"):
        read_fibermap(garbage)


def test_truncated_file(tmp_path):
    good = write_fibermap(tmp_path / "good.fits", _table(), {"TILEID": 1})
    cut = tmp_path / "cut.fits"
    cut.write_bytes(good.read_bytes()[:-2000])
    with pytest.raises(FibermapError, match=r"cut\.fits"):
        read_fibermap(cut)
