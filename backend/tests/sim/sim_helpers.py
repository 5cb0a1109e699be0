"""Helpers of the simulator tests: measure raw pixels the way the Quick Look pipeline does."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
from astropy.io import fits

from qlf.quicklook.io.calib import calib_paths, read_psf
from qlf.quicklook.io.raw import open_raw

NIGHT = 20261122
#: Cameras of the shared exposures: one per arm, on different spectrographs.
CAMERAS = ["b0", "r1", "z9"]
FLAVOR_EXPIDS = {"zero": 1, "dark": 2, "flat": 3, "arc": 4, "science": 5}


@dataclass(frozen=True)
class Written:
    """A simulated exposure on disk and its truth."""

    out: Path
    raw: Path
    truth: dict
    calib: Path
    fibermap: Path | None

    def camera_truth(self, camera: str) -> dict:
        return self.truth["cameras"][camera]


def camera_pixels(path: Path, camera: str) -> np.ndarray:
    """The raw uint16 pixels of one camera HDU."""
    with fits.open(path) as hdul:
        return np.array(hdul[camera.upper()].data)


def electrons(path: Path, camera: str) -> np.ndarray:
    """Trimmed image in electrons: per-row overscan mean subtracted, times the header gain."""
    with open_raw(path) as raw:
        frame = raw.read_camera(camera)
        image = np.zeros(frame.trimmed_shape)
        for amp in frame.amps:
            level = amp.overscan.astype(float).mean(axis=1, keepdims=True)
            image[amp.ccd] = (amp.data.astype(float) - level) * amp.gain
    return image


def calib_traces(written: Written, camera: str):
    return read_psf(calib_paths(written.calib, camera).psf)


def boxcar(image: np.ndarray, x: np.ndarray, *, half_width: int = 3) -> np.ndarray:
    """Sum of each row over columns round(x) ± half_width: (nfiber, nrows), NaN where x is."""
    nfiber, nrows = x.shape
    out = np.full((nfiber, nrows), np.nan)
    rows = np.arange(nrows)
    for i in range(nfiber):
        ok = np.isfinite(x[i])
        centre = np.rint(x[i, ok]).astype(int)
        cols = centre[:, None] + np.arange(-half_width, half_width + 1)[None, :]
        out[i, ok] = image[rows[ok][:, None], cols].sum(axis=1)
    return out
