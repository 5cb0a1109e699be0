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


def test_preproc_counts_lit_and_low_pixels_as_the_metrics_define_them():
    """LITFRAC_AMP and DATA5SIG come from counts made inside preproc's row blocks: they equal
    a direct count over each amp's preprocessed pixels (float64 > 5 rn; float32 < −5 rn)."""
    from astropy.io import fits

    from qlf.quicklook.io.raw import Amp, CameraFrame
    from qlf.quicklook.steps.preproc import preproc

    rng = np.random.default_rng(3)
    nrow, ncol, nover = 300, 200, 16  # two amps side by side, more rows than one block
    raw = rng.normal(1000, 3, (nrow, 2 * (ncol + nover))).round().astype(np.uint16)
    raw[rng.integers(0, nrow, 400), rng.integers(0, ncol, 400)] += 200  # lit pixels
    raw[rng.integers(0, nrow, 50), rng.integers(ncol + 2 * nover, 2 * ncol + 2 * nover, 50)] = 900
    amps = [
        Amp("A", raw[:, :ncol], raw[:, ncol : ncol + nover], None,
            (slice(0, nrow), slice(0, ncol)), 1.5, None),
        Amp("B", raw[:, ncol + 2 * nover :], raw[:, ncol + nover : ncol + 2 * nover], None,
            (slice(0, nrow), slice(ncol, 2 * ncol)), 1.4, None),
    ]  # fmt: skip
    pre = preproc(CameraFrame("r0", fits.Header(), raw, amps))
    for i, rn in enumerate(pre.readnoise_e):
        pixels = pre.amp_pixels(i)
        assert pre.lit_pixels[i] == np.count_nonzero(pixels > 5 * rn)
        assert pre.low_pixels[i] == np.count_nonzero(pixels < np.float32(-5 * rn))
    assert pre.lit_pixels[0] > 300 and pre.low_pixels[1] > 40  # the planted pixels were seen
