"""NaN-tolerant statistics that return NaN quietly for empty or all-NaN input.

``numpy.nanmedian`` along an axis falls back to a Python loop over the rows that hold NaN
(hundreds of fibers, every camera): :func:`nanmedian` sorts once instead, NaN last.
"""

from __future__ import annotations

import warnings

import numpy as np

__all__ = ["nanmean", "nanmedian"]


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
