"""Order statistics of integer ADU from counts equal numpy's on the float32 pixels, bit for bit."""

import numpy as np
import pytest

from qlf.quicklook.stats import Tally


@pytest.mark.parametrize("dtype", [np.uint16, np.int32, np.int16])
@pytest.mark.parametrize("shape", [(2064, 64), (7, 5), (1, 1), (10, 4)])
def test_tally_median_and_mad_equal_numpy(dtype, shape):
    rng = np.random.default_rng(sum(shape))
    low = 0 if np.dtype(dtype).kind == "u" else -40
    data = rng.normal(1540 if low == 0 else 3, 3, shape).round().astype(dtype)
    data.flat[0] = low + 1  # a glitch far from the rest
    for offset in (0.0, 1538.2734, -2.5):
        pixels = data.astype(np.float32) - np.float32(offset)
        tally = Tally.of_integers(data, offset)
        median = np.median(pixels)
        assert tally.size == data.size
        assert tally.median() == median and tally.median().dtype == np.float32
        assert tally.deviations(median).median() == np.median(np.abs(pixels - median))


def test_tally_declines_floats_and_wide_ranges():
    assert Tally.of_integers(np.zeros(4, np.float32)) is None
    assert Tally.of_integers(np.array([0, 1 << 21], np.int64)) is None
    assert Tally.of_integers(np.zeros(0, np.uint16)) is None
