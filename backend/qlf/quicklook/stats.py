"""NaN-tolerant statistics that return NaN quietly for empty or all-NaN input.

``numpy.nanmedian`` along an axis falls back to a Python loop over the rows that hold NaN
(hundreds of fibers, every camera): :func:`nanmedian` sorts once instead, NaN last.
"""

from __future__ import annotations

import warnings

import numpy as np

__all__ = ["Tally", "nanmean", "nanmedian"]


def nanmedian(values, axis=None):
    values = np.asarray(values, dtype=float)
    if axis is None or values.ndim == 1:
        finite = values[~np.isnan(values)] if axis is None else values
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)
            return np.nanmedian(finite)
    ordered = np.sort(np.moveaxis(values, axis, -1), axis=-1)  # NaN sort to the end
    count = (~np.isnan(ordered)).sum(axis=-1)
    low = np.take_along_axis(ordered, np.maximum((count - 1) // 2, 0)[..., None], -1)[..., 0]
    high = np.take_along_axis(ordered, np.maximum(count // 2, 0)[..., None], -1)[..., 0]
    return np.where(count > 0, 0.5 * (low + high), np.nan)


def nanmean(values, axis=None):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        return np.nanmean(values, axis=axis)


class Tally:
    """A multiset of float32 values as its sorted distinct values and their counts.

    An overscan holds integer ADU in a range of a few dozen: its order statistics (medians,
    MADs) come from one count per value instead of a selection over the pixels, and equal those
    of ``numpy.median`` on the float32 pixels exactly (the same float32 operations, applied to
    each distinct value once).
    """

    #: widest integer range counted (beyond it, :meth:`of_integers` returns None)
    MAX_RANGE = 1 << 20

    def __init__(self, values: np.ndarray, counts: np.ndarray):
        order = np.argsort(values, kind="stable")
        self.values = np.asarray(values, dtype=np.float32)[order]
        self.counts = np.asarray(counts, dtype=np.int64)[order]
        self.size = int(self.counts.sum())

    @classmethod
    def of_integers(cls, data: np.ndarray, offset: float = 0.0) -> Tally | None:
        """``data.astype(float32) - float32(offset)`` as a tally; None unless ``data`` is of
        an integer type spanning at most ``MAX_RANGE`` values."""
        if data.size == 0 or data.dtype.kind not in "ui":
            return None
        low, high = int(data.min()), int(data.max())
        if high - low >= cls.MAX_RANGE:
            return None
        base = 0 if low >= 0 and high < cls.MAX_RANGE else low  # bincount counts from 0
        counts = np.bincount(data.ravel().astype(np.int64) - base if base else data.ravel())
        present = np.flatnonzero(counts)
        values = (present + base).astype(np.float32) - np.float32(offset)
        return cls(values, counts[present])

    def at(self, rank: int) -> np.float32:
        """The value at position ``rank`` of the sorted multiset."""
        return self.values[int(np.searchsorted(np.cumsum(self.counts), rank, side="right"))]

    def median(self) -> np.float32:
        """``numpy.median`` of the float32 multiset, to the last bit."""
        half = self.size // 2
        middle = [self.at(half)] if self.size % 2 else [self.at(half - 1), self.at(half)]
        return np.mean(np.array(middle, dtype=np.float32))

    def deviations(self, centre) -> Tally:
        """The tally of ``abs(values - centre)`` (float32, as numpy computes it per pixel)."""
        return Tally(np.abs(self.values - centre), self.counts)
