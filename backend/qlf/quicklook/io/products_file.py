"""The small per-camera products file kept beside the QA JSON, for the image and spectra viewers.

``ql-{camera}-{EXPID:08d}-products.npz`` holds what a scientist looks at after a metric:

- ``image``: the preprocessed image (electrons) averaged over ``block`` × ``block`` pixels
  (``block`` keeps it within ``MAX_IMAGE_SIDE``, 8 for a desi CCD), float16
  scaled by ``image_scale``; ``amp_regions`` (namp, 4) = row0, row1, col0, col1 in full-size
  pixels, ``amp_names``;
- ``spectra``: one spectrum per fiber (sky-subtracted for science exposures, else the extracted
  flux), averaged down to at most ``MAX_SAMPLES`` samples, float16 scaled per fiber by
  ``spectra_scale``; ``wave0`` (nsample,) the mean wavelength and ``dwave`` each fiber's offset
  from it at a few knots (wavelengths vary smoothly along a trace); ``spectra_kind``.

Only products that the metrics already computed are written (a zero exposure has no spectra),
so writing costs a few block means and never re-runs a step. Uncompressed ``.npz``: a desi-size
camera is ≈ 1.3 MB and written in tens of milliseconds.
"""

from __future__ import annotations

import logging
import warnings
from pathlib import Path
from typing import Any

import numpy as np

from qlf.quicklook.io.atomic import atomic_path

__all__ = ["MAX_SAMPLES", "products_path", "read_camera_products", "write_camera_products"]

log = logging.getLogger("qlf.quicklook")

#: the binned image is at most this many pixels on a side (a desi CCD: 8 × 8 blocks)
MAX_IMAGE_SIDE = 528
MAX_SAMPLES = 1000
WAVE_KNOTS = 32
_F16_MAX = 30000.0  # headroom under float16's 65504


def products_path(qa_path: Path | str) -> Path:
    """``ql-r3-00000042.json`` → ``ql-r3-00000042-products.npz``."""
    qa_path = Path(qa_path)
    return qa_path.with_name(f"{qa_path.stem}-products.npz")


def _block_mean(image: np.ndarray, block: int) -> np.ndarray:
    # rows first: adding whole contiguous rows is several times faster than a 4-d mean
    nrow, ncol = (image.shape[0] // block) * block, (image.shape[1] // block) * block
    rows = image[:nrow, :ncol].reshape(nrow // block, block, ncol).sum(axis=1, dtype=np.float32)
    return rows.reshape(nrow // block, ncol // block, block).sum(axis=2) / np.float32(block**2)


def _decimate(array: np.ndarray, factor: int) -> np.ndarray:
    """Mean of ``factor`` consecutive samples along the last axis, NaN-aware."""
    n = (array.shape[-1] // factor) * factor
    strided = array[..., :n]
    total = strided[..., 0::factor].copy()
    for i in range(1, factor):
        total += strided[..., i::factor]
    mean = total / factor
    # a masked sample spoils its block: those few blocks take the mean of what is left
    bad = ~np.isfinite(mean)
    if bad.any():
        blocks = strided.reshape(*array.shape[:-1], n // factor, factor)[bad]
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)
            mean[bad] = np.nanmean(blocks, axis=-1)
    return mean


def _scaled_f16(values: np.ndarray, axis: int | None) -> tuple[np.ndarray, np.ndarray]:
    with np.errstate(invalid="ignore"):
        peak = np.nanmax(np.abs(values), axis=axis, keepdims=axis is not None, initial=0.0)
    scale = np.where(peak > 0, peak / _F16_MAX, 1.0).astype(np.float32)
    return (values / scale).astype(np.float16), np.squeeze(scale) if axis is not None else scale


def _spectra(products) -> tuple[str, np.ndarray, np.ndarray] | None:
    """(kind, flux, wavelength) per fiber and row from what the metrics computed, else None."""
    cached = products.__dict__  # cached_property values: never trigger a computation here
    wave = cached.get("wave")
    if wave is None and "calib_rows" in cached:
        wave = cached["calib_rows"][1]
    if wave is None:
        return None
    if "sky" in cached:
        return "sky-subtracted flux (e-/Å)", cached["sky"].residual, wave
    if "flux_per_angstrom" in cached:
        return "extracted flux (e-/Å)", cached["flux_per_angstrom"][0], wave
    if "extraction" in cached:
        ext = cached["extraction"]
        return "extracted flux (e-/row)", np.where(ext.masked, np.nan, ext.flux), wave
    return None


def write_camera_products(path: Path | str, products) -> Path | None:
    """Write the products file of one camera; never raises (a failure is logged)."""
    try:
        arrays = _arrays(products)
        if arrays is None:
            return None
        with atomic_path(path) as tmp, open(tmp, "wb") as handle:
            np.savez(handle, **arrays)
        return Path(path)
    except Exception as exc:  # the viewers are a convenience: never fail the camera for them
        log.warning("%s: products file not written: %s", getattr(products, "camera", "?"), exc)
        return None


def _arrays(products) -> dict[str, Any] | None:
    pre = products.__dict__.get("preproc")
    if pre is None:
        return None
    block = max(1, -(-max(pre.image.shape) // MAX_IMAGE_SIDE))
    image, image_scale = _scaled_f16(_block_mean(pre.image, block), axis=None)
    regions = np.array(
        [[r.start or 0, r.stop, c.start or 0, c.stop] for r, c in pre.amp_regions], dtype=np.int32
    )
    arrays: dict[str, Any] = {
        "camera": np.array(products.camera),
        "block": np.array(block),
        "shape": np.array(pre.image.shape),
        "image": image,
        "image_scale": np.float32(image_scale),
        "amp_regions": regions,
        "amp_names": np.array(pre.amp_names),
    }
    spectra = _spectra(products)
    if spectra is not None:
        kind, flux, wave = spectra
        factor = max(1, -(-flux.shape[1] // MAX_SAMPLES))
        flux, wave = _decimate(flux, factor), _decimate(wave, factor)
        with warnings.catch_warnings():  # rows no fiber reaches stay NaN
            warnings.simplefilter("ignore", RuntimeWarning)
            wave0 = np.nanmean(wave, axis=0)
        knots = np.linspace(0, wave.shape[1] - 1, min(WAVE_KNOTS, wave.shape[1])).round()
        dwave = (wave - wave0)[:, knots.astype(int)]
        values, scale = _scaled_f16(flux, axis=1)
        arrays.update(
            spectra=values, spectra_scale=np.atleast_1d(scale).astype(np.float32),
            spectra_kind=np.array(kind), wave0=wave0.astype(np.float32),
            wave_knots=knots.astype(np.int32), dwave=dwave.astype(np.float32),
        )  # fmt: skip
    return arrays


def read_camera_products(path: Path | str) -> dict[str, Any]:
    """The products file as float arrays: ``image`` (electrons), ``spectra`` and ``wave``.

    Raises OSError when the file is missing or unreadable.
    """
    try:
        with np.load(path, allow_pickle=False) as data:
            raw = {name: data[name] for name in data.files}
    except ValueError as exc:
        raise OSError(f"{path}: not a products file ({exc})") from exc
    out: dict[str, Any] = {
        "camera": str(raw["camera"]),
        "block": int(raw["block"]),
        "shape": tuple(int(v) for v in raw["shape"]),
        "image": raw["image"].astype(np.float32) * raw["image_scale"],
        "amp_regions": raw["amp_regions"],
        "amp_names": [str(n) for n in raw["amp_names"]],
    }
    if "spectra" in raw:
        out["spectra"] = raw["spectra"].astype(np.float32) * raw["spectra_scale"][:, None]
        samples = np.arange(raw["wave0"].size)
        offsets = np.array([np.interp(samples, raw["wave_knots"], d) for d in raw["dwave"]])
        out["wave"] = raw["wave0"][None, :] + offsets
        out["spectra_kind"] = str(raw["spectra_kind"])
    return out
