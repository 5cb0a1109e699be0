"""NaN-tolerant statistics that return NaN quietly for empty or all-NaN input."""

from __future__ import annotations

import warnings

import numpy as np

__all__ = ["nanmean", "nanmedian"]


def nanmedian(values, axis=None):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        return np.nanmedian(values, axis=axis)


def nanmean(values, axis=None):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        return np.nanmean(values, axis=axis)
