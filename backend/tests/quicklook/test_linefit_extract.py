import numpy as np
from numpy.testing import assert_allclose
from scipy.special import erf

from qlf.quicklook.steps.extract import extract_boxcar
from qlf.quicklook.steps.linefit import fit_gaussians
from qlf.quicklook.steps.traces import measure_xshift


def _integrated_gaussian(x, mu, sigma):
    s = np.sqrt(2) * sigma
    return 0.5 * (erf((x + 0.5 - mu) / s) - erf((x - 0.5 - mu) / s))


def test_gaussian_fits_recover_centre_and_width():
    rng = np.random.default_rng(1)
    n = 500
    mu = rng.uniform(4.0, 6.0, n)
    sigma = rng.uniform(0.9, 1.4, n)
    x = np.arange(11.0)
    model = 5000 * _integrated_gaussian(x[None], mu[:, None], sigma[:, None]) + 50
    data = rng.poisson(model).astype(float)
    fit = fit_gaussians(data, variance=np.maximum(data, 1))
    assert abs(np.median(fit.center - mu)) < 0.005
    assert np.std(fit.center - mu) < 0.03
    assert_allclose(np.median(fit.sigma / sigma), 1.0, atol=0.005)
    assert_allclose(np.median(fit.amplitude), 5000, rtol=0.01)


def _fiber_image(nrow=200, ncol=60, centres=(15.3, 30.0, 44.7), sigma=1.05, flux=1000.0):
    cols = np.arange(ncol)
    row_profile = sum(flux * _integrated_gaussian(cols, c, sigma) for c in centres)
    return np.tile(row_profile, (nrow, 1)).astype(np.float32), np.array(centres)


def test_boxcar_captures_the_fiber_flux_and_flags_masked_rows():
    image, _ = _fiber_image(centres=(30.25,))
    x = np.full((1, image.shape[0]), 30.25)
    bad = np.array([10 * image.shape[1] + 31])  # row 10, column 31
    ext = extract_boxcar(image, x, bad_pixels=bad, readnoise=3.0)
    # a 7-pixel window holds 99.9 % of a σ = 1.05 px Gaussian
    assert_allclose(ext.flux[0, 50], 1000 * 0.99916, rtol=3e-3)
    assert ext.masked[0, 10] and not ext.masked[0, 11]
    assert ext.variance[0, 50] > 7 * 9.0


def test_trace_shift_measured_to_a_few_hundredths_of_a_pixel():
    shift = 0.37
    image, centres = _fiber_image(centres=(15.3 + shift, 30.0 + shift, 44.7 + shift))
    predicted = np.repeat(centres[:, None] - shift, image.shape[0], axis=1)
    rng = np.random.default_rng(3)
    noisy = rng.normal(image, np.sqrt(image + 9)).astype(np.float32)
    result = measure_xshift(noisy, predicted)
    assert abs(result.dx - shift) < 0.02
    assert_allclose(result.dx_fiber, shift, atol=0.05)
