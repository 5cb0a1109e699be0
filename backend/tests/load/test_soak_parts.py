"""The pieces of ``qlf bench soak`` that need no servers: the night's sequence and the copies of
a template exposure under new EXPIDs (headers rewritten in place, pixels unchanged)."""

from __future__ import annotations

import numpy as np
import pytest

from qlf.bench.soak import night_sequence, retarget
from qlf.pipeline.discovery import fits_complete, raw_summary
from qlf.quicklook.io.raw import open_raw
from qlf.sim.exposure import simulate_exposure


def test_a_night_of_every_flavor_ending_with_science():
    night = night_sequence(60)
    assert len(night) == 60 and set(night) == {"zero", "dark", "flat", "arc", "science"}
    assert night[-1] == "science" and night.count("science") >= 40
    first_science = night.index("science")
    assert set(night[first_science:]) == {"science"}  # calibrations first
    assert set(night_sequence(5)) == {"zero", "dark", "flat", "arc", "science"}
    with pytest.raises(ValueError, match="at least 5"):
        night_sequence(4)


def test_a_retargeted_copy_is_the_template_under_another_expid(tmp_path):
    result = simulate_exposure(tmp_path / "stage", expid=900004, night=20261122,
                               flavor="science", profile="mini", program="DARK",
                               cameras=["b0", "r0"], seed=1, calib=tmp_path / "calib",
                               progress=False, workers=1)  # fmt: skip
    final = tmp_path / "data" / "20261122" / "00000042" / "desi-00000042.fits.fz"
    retarget(result.raw, final, 42)
    assert final.stat().st_size == result.raw.stat().st_size and fits_complete(final)
    header, cameras, cut = raw_summary(final)
    assert header["EXPID"] == 42 and cameras == ["b0", "r0"] and cut is None
    with open_raw(result.raw) as template, open_raw(final) as copy:
        assert copy.expid == 42 and copy.night == template.night
        for camera in ("b0", "r0"):
            frame = copy.read_camera(camera)  # its identity check: camera EXPID == SPEC EXPID
            assert frame.header["EXPID"] == 42
            assert np.array_equal(frame.image, template.read_camera(camera).image)
