"""The per-camera products file: the binned image and decimated spectra read back as written."""

from __future__ import annotations

from types import SimpleNamespace

import numpy as np
from numpy.testing import assert_allclose

from qlf.quicklook.io.products_file import (
    products_path,
    read_camera_products,
    write_camera_products,
)


def _products(nrow=1040, ncol=600, nfiber=20, with_spectra=True):
    rng = np.random.default_rng(3)
    image = rng.normal(100.0, 5.0, (nrow, ncol)).astype(np.float32)
    image[:, ncol // 2 :] += 40000.0  # beyond float16's range before scaling
    half_r, half_c = nrow // 2, ncol // 2
    regions = [
        (slice(0, half_r), slice(0, half_c)), (slice(0, half_r), slice(half_c, ncol)),
        (slice(half_r, nrow), slice(0, half_c)), (slice(half_r, nrow), slice(half_c, ncol)),
    ]  # fmt: skip
    pre = SimpleNamespace(image=image, amp_regions=regions, amp_names=["A", "B", "C", "D"])
    cached = {"preproc": pre, "camera": "r3"}
    if with_spectra:
        wave = np.linspace(5800, 7600, nrow)[None, :] + 0.5 * np.arange(nfiber)[:, None]
        flux = rng.normal(1000.0, 30.0, (nfiber, nrow)) * (1 + np.arange(nfiber))[:, None]
        flux[4, 10] = np.nan  # a masked sample
        cached.update(wave=wave, sky=SimpleNamespace(residual=flux))
    return SimpleNamespace(**cached)


def test_image_and_spectra_round_trip(tmp_path):
    products = _products()
    path = write_camera_products(products_path(tmp_path / "ql-r3-00000042.json"), products)
    assert path.name == "ql-r3-00000042-products.npz"
    back = read_camera_products(path)
    block = back["block"]
    assert block == 2  # 1040 rows → within 528 px a side
    expected = products.preproc.image.reshape(520, 2, 300, 2).mean(axis=(1, 3))
    assert_allclose(back["image"], expected, rtol=2e-3, atol=1.0)  # float16 after scaling
    assert back["amp_names"] == ["A", "B", "C", "D"]
    assert back["amp_regions"].tolist()[3] == [520, 1040, 300, 600]
    # spectra: ≤ 1000 samples, block means (the masked sample left out of its block)
    flux, wave = products.sky.residual, products.wave
    assert back["spectra"].shape == (20, 520)
    expected = np.nanmean(flux.reshape(20, 520, 2), axis=2)
    assert_allclose(back["spectra"], expected, rtol=2e-3)
    assert_allclose(back["spectra"][4, 5], flux[4, 11], rtol=2e-3)
    assert_allclose(back["wave"], wave.reshape(20, 520, 2).mean(axis=2), atol=1e-3)
    assert back["spectra_kind"].startswith("sky-subtracted")


def test_zero_exposure_keeps_only_the_image(tmp_path):
    path = write_camera_products(tmp_path / "p.npz", _products(with_spectra=False))
    assert "spectra" not in read_camera_products(path)


def test_nothing_computed_writes_nothing_and_never_raises(tmp_path):
    assert write_camera_products(tmp_path / "p.npz", SimpleNamespace(camera="b0")) is None
    broken = _products()
    broken.preproc.amp_regions = None  # a bug in a product must not fail the camera
    assert write_camera_products(tmp_path / "q.npz", broken) is None
    assert not list(tmp_path.iterdir())
