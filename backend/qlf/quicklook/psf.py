"""Fiber trace model: x(λ) and y(λ) of every fiber as Legendre series (DESIGN.md 4.3).

Coordinates are trimmed-image pixels, 0-indexed, ``y`` = row (the dispersion direction),
``x`` = column (across fibers). ``u = 2 (λ − WAVEMIN) / (WAVEMAX − WAVEMIN) − 1``, λ in the
PSF's medium (``AIRORVAC``: vacuum, DESI's convention, unless the file declares air). Every
method takes and returns **vacuum** wavelengths; an air PSF converts at its boundary with the
one conversion of :mod:`qlf.quicklook.lines`.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.polynomial import legendre

from qlf.quicklook.lines import MEDIA, to_vacuum, vacuum_to_air

__all__ = ["TraceSet"]


@dataclass(frozen=True)
class TraceSet:
    """Traces of ``nfiber`` fibers.

    Attributes
    ----------
    xcoef, ycoef : ndarray, shape (nfiber, ncoef)
        Legendre coefficients of x(u) and y(u), pixels.
    wavemin, wavemax : float
        Wavelength range of the Legendre domain, Å, in ``medium``.
    xsigma : ndarray, shape (nfiber,), optional
        Cross-dispersion Gaussian σ per fiber, pixels.
    medium : str
        ``'vac'`` or ``'air'``: the medium of the Legendre domain (header ``AIRORVAC``).
    """

    xcoef: np.ndarray
    ycoef: np.ndarray
    wavemin: float
    wavemax: float
    xsigma: np.ndarray | None = None
    medium: str = "vac"

    def __post_init__(self) -> None:
        if self.xcoef.ndim != 2 or self.xcoef.shape != self.ycoef.shape:
            raise ValueError(
                f"trace coefficients must be 2-d and alike: XTRACE {self.xcoef.shape}, "
                f"YTRACE {self.ycoef.shape}"
            )
        if not self.wavemax > self.wavemin:
            raise ValueError(f"WAVEMAX ({self.wavemax}) must exceed WAVEMIN ({self.wavemin})")
        if self.xsigma is not None and self.xsigma.shape != (self.nfiber,):
            raise ValueError(f"XSIGMA shape {self.xsigma.shape} != ({self.nfiber},)")
        if self.medium not in MEDIA:
            raise ValueError(f"AIRORVAC {self.medium!r}: expected one of {', '.join(MEDIA)}")

    @property
    def nfiber(self) -> int:
        return self.xcoef.shape[0]

    def u(self, wave: np.ndarray) -> np.ndarray:
        """Legendre variable of vacuum wavelengths ``wave``."""
        wave = np.asarray(wave, dtype=float)
        if self.medium == "air":
            wave = vacuum_to_air(wave)
        return 2.0 * (wave - self.wavemin) / (self.wavemax - self.wavemin) - 1.0

    @property
    def vacuum_range(self) -> tuple[float, float]:
        """(WAVEMIN, WAVEMAX) as vacuum wavelengths, Å."""
        lo, hi = to_vacuum([self.wavemin, self.wavemax], self.medium)
        return float(lo), float(hi)

    def x(self, wave: np.ndarray, fibers: np.ndarray | slice = slice(None)) -> np.ndarray:
        """Column of each selected fiber at each wavelength: shape (nsel, nwave)."""
        return legendre.legval(self.u(wave), self.xcoef[fibers].T)

    def y(self, wave: np.ndarray, fibers: np.ndarray | slice = slice(None)) -> np.ndarray:
        """Row of each selected fiber at each wavelength: shape (nsel, nwave)."""
        return legendre.legval(self.u(wave), self.ycoef[fibers].T)

    def wave_at_rows(self, nrows: int, *, step: int = 8) -> np.ndarray:
        """Wavelength of every fiber at every integer row: shape (nfiber, nrows), Å.

        y(λ) is monotonic, so it is tabulated on a dense grid and inverted by interpolation
        (NaN outside the traced range), at every ``step``-th row; rows between are linear
        interpolations (exact to ~1e-4 Å for these smooth, low-order traces).
        """
        return _fill_rows(self._wave_at(_node_rows(nrows, step)), nrows, step)

    def _wave_at(self, rows: np.ndarray) -> np.ndarray:
        grid = np.linspace(*self.vacuum_range, max(64, 2 * rows.size))
        ygrid = self.y(grid)
        out = np.empty((self.nfiber, rows.size))
        increasing = np.all(ygrid[:, 1:] > ygrid[:, :-1], axis=1)  # no sort needed (usual)
        for i in range(self.nfiber):
            yi, gi = ygrid[i], grid
            if not increasing[i]:
                order = np.argsort(yi)
                yi, gi = yi[order], grid[order]
            out[i] = np.interp(rows, yi, gi, left=np.nan, right=np.nan)
        return out

    def x_at_rows(self, nrows: int, *, step: int = 8) -> tuple[np.ndarray, np.ndarray]:
        """Column of every fiber at every integer row, and the wavelength there.

        Returns ``(x, wave)``, each of shape (nfiber, nrows); NaN where the trace does not
        cover the row. Evaluated every ``step`` rows and interpolated linearly between.
        """
        nodes = _node_rows(nrows, step)
        wave = self._wave_at(nodes)
        x = _legval_rows(self.u(np.nan_to_num(wave, nan=self.vacuum_range[0])), self.xcoef)
        x[np.isnan(wave)] = np.nan
        # x row by row in memory, as the extraction reads it; wavelengths fiber by fiber
        return _fill_rows(x, nrows, step, rows_outer=True), _fill_rows(wave, nrows, step)

    def shifted(self, dx: float = 0.0, dy: float = 0.0) -> TraceSet:
        """The same traces moved by ``dx`` columns and ``dy`` rows."""
        xcoef = self.xcoef.copy()
        ycoef = self.ycoef.copy()
        xcoef[:, 0] += dx
        ycoef[:, 0] += dy
        return TraceSet(xcoef, ycoef, self.wavemin, self.wavemax, self.xsigma, self.medium)

    @classmethod
    def fit(
        cls,
        wave: np.ndarray,
        x: np.ndarray,
        y: np.ndarray,
        *,
        deg: int = 5,
        xsigma: np.ndarray | None = None,
        medium: str = "vac",
    ) -> TraceSet:
        """Fit Legendre traces to tabulated positions.

        Parameters
        ----------
        wave : ndarray, shape (nwave,)
            Vacuum wavelengths, Å; their range (in ``medium``) becomes the Legendre domain.
        x, y : ndarray, shape (nfiber, nwave)
            Column and row of each fiber at each wavelength.
        """
        wave = np.asarray(wave, dtype=float)
        if medium == "air":
            wave = vacuum_to_air(wave)
        wavemin, wavemax = float(wave.min()), float(wave.max())
        u = 2.0 * (wave - wavemin) / (wavemax - wavemin) - 1.0
        xcoef = legendre.legfit(u, np.asarray(x, dtype=float).T, deg).T
        ycoef = legendre.legfit(u, np.asarray(y, dtype=float).T, deg).T
        return cls(xcoef, ycoef, wavemin, wavemax, xsigma, medium)

    def in_medium(self, medium: str, *, deg: int | None = None) -> TraceSet:
        """The same traces with their Legendre domain in ``medium`` (refitted, ≪ 0.001 px)."""
        if medium == self.medium:
            return self
        wave = np.linspace(*self.vacuum_range, 400)
        return TraceSet.fit(
            wave, self.x(wave), self.y(wave), deg=deg or self.xcoef.shape[1] - 1,
            xsigma=self.xsigma, medium=medium,
        )  # fmt: skip


def _legval_rows(u: np.ndarray, coef: np.ndarray) -> np.ndarray:
    """Evaluate row i's Legendre series at ``u[i]`` for every i (Clenshaw, vectorized)."""
    ncoef = coef.shape[1]
    b1 = np.zeros_like(u)
    b2 = np.zeros_like(u)
    for k in range(ncoef - 1, 0, -1):
        # Legendre recurrence: P_{k+1} = ((2k+1) u P_k − k P_{k−1}) / (k+1)
        b0 = coef[:, k : k + 1] + (2 * k + 1) / (k + 1) * u * b1 - (k + 1) / (k + 2) * b2
        b2, b1 = b1, b0
    return coef[:, :1] + u * b1 - 0.5 * b2


def _node_rows(nrows: int, step: int) -> np.ndarray:
    """Rows 0, step, 2·step, … up to and including the last row."""
    return np.append(np.arange(0, nrows - 1, step), nrows - 1).astype(float)


def _fill_rows(
    values: np.ndarray, nrows: int, step: int, *, rows_outer: bool = False
) -> np.ndarray:
    """Linear interpolation along axis 1 from :func:`_node_rows` nodes to every row.

    ``rows_outer``: the (nfiber, nrows) result is the transpose of a C-ordered (nrows, nfiber)
    array (the fibers of one row adjacent in memory), else C-ordered.
    """
    rows = np.arange(nrows)
    left = np.minimum(rows // step, values.shape[1] - 2)
    start = left * step
    width = np.where(left == values.shape[1] - 2, nrows - 1 - start, step)
    t = (rows - start) / np.maximum(width, 1)
    # whole intervals of ``step`` rows by broadcasting (no gather); the same arithmetic per row
    whole = min(values.shape[1] - 2, nrows // step)
    nfiber = values.shape[0]
    if rows_outer:  # work on the transposes: (interval, k, fiber)
        out_t = np.empty((nrows, nfiber))
        body = out_t[: whole * step].reshape(whole, step, nfiber)
        lower, upper = values[:, :whole].T, values[:, 1 : whole + 1].T
        for k in range(step if whole else 0):
            np.multiply(lower, 1 - t[k], out=body[:, k])
            body[:, k] += upper * t[k]
        out = out_t.T
    else:
        out = np.empty((nfiber, nrows))
        body = out[:, : whole * step].reshape(nfiber, whole, step)
        lower, upper = values[:, :whole], values[:, 1 : whole + 1]
        for k in range(step if whole else 0):  # row k of every interval: long inner loops
            np.multiply(lower, 1 - t[k], out=body[:, :, k])
            body[:, :, k] += upper * t[k]
    tail = rows[whole * step :]
    lt, tt = left[tail], t[tail]
    out[:, tail] = values[:, lt] * (1 - tt) + values[:, lt + 1] * tt
    return out
