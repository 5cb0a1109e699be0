"""Vectorised least-squares fits of pixel-integrated Gaussians to many 1-d cutouts at once.

Used for line centroids and widths along and across the dispersion (XWSIGMA, XYSHIFTS dy,
CHECKARC). Pixel integration matters at σ ≈ 1 px: a sampled Gaussian would bias σ by ~4 %.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy.special import erf

__all__ = ["GaussianFit", "fit_gaussians"]

_SQRT2 = np.sqrt(2.0)


@dataclass
class GaussianFit:
    """Fits of ``n`` cutouts; NaN where a fit failed.

    Attributes
    ----------
    amplitude : ndarray (n,)
        Integrated flux of the Gaussian (same units as the cutout × pixels).
    center : ndarray (n,)
        Centre in cutout pixel coordinates (0 = first pixel's centre).
    sigma : ndarray (n,)
        Gaussian σ, pixels.
    background : ndarray (n,)
        Constant background per pixel.
    chi2 : ndarray (n,)
        χ² per degree of freedom (with the given variances).
    """

    amplitude: np.ndarray
    center: np.ndarray
    sigma: np.ndarray
    background: np.ndarray
    chi2: np.ndarray


def _model(x, amp, mu, sig, bg):
    edges = erf(_scaled_edges(x, mu, _SQRT2 * sig))
    return bg + 0.5 * amp * (edges[:, 1:] - edges[:, :-1])


def _scaled_edges(x: np.ndarray, mu: np.ndarray, scale: np.ndarray) -> np.ndarray:
    """(edge − μ) / scale at the m + 1 pixel edges: pixel k spans edges k and k + 1.

    Neighbouring pixels share an edge, so each erf and exp is evaluated once per edge.
    """
    edges = np.append(x[0] - 0.5, x[0, -1] + 0.5)[None, :]
    return (edges - mu) / scale


def _model_and_jacobian(x: np.ndarray, params: np.ndarray, nfit: int):
    """The model and its analytic derivatives in (A, μ, σ[, bg]): shapes (n, m), (n, m, nfit)."""
    amp, mu, sig, bg = (params[:, k : k + 1] for k in range(4))
    edges = _scaled_edges(x, mu, _SQRT2 * sig)
    erf_edges, exp_edges = erf(edges), np.exp(-edges * edges)
    a, b = edges[:, :-1], edges[:, 1:]
    erf_a, erf_b = erf_edges[:, :-1], erf_edges[:, 1:]
    exp_a, exp_b = exp_edges[:, :-1], exp_edges[:, 1:]
    jac = np.empty((*np.broadcast_shapes(a.shape), nfit))
    jac[..., 0] = 0.5 * (erf_b - erf_a)
    jac[..., 1] = amp / (np.sqrt(2 * np.pi) * sig) * (exp_a - exp_b)
    jac[..., 2] = amp / (np.sqrt(np.pi) * sig) * (a * exp_a - b * exp_b)
    if nfit == 4:
        jac[..., 3] = 1.0
    return bg + amp * jac[..., 0], jac


def fit_gaussians(
    cutouts: np.ndarray,
    *,
    variance: np.ndarray | None = None,
    sigma0: float = 1.0,
    iterations: int = 8,
    fit_background: bool = True,
) -> GaussianFit:
    """Fit ``bg + A·∫G(μ, σ)`` to each row of ``cutouts`` (shape (n, m)) by Gauss-Newton.

    Starting values come from the moments of the background-subtracted cutout. With
    ``fit_background=False`` the background is held at zero: for cutouts whose continuum was
    already removed, where a free constant would trade off against the wings and bias σ low.
    """
    data = np.asarray(cutouts, dtype=float)
    n, m = data.shape
    x = np.arange(m, dtype=float)[None, :]
    w = 1.0 / np.maximum(variance, 1e-6) if variance is not None else np.ones_like(data)
    bg = np.minimum(data[:, :2].mean(axis=1), data[:, -2:].mean(axis=1))
    if not fit_background:
        bg = np.zeros(n)
    nfit = 4 if fit_background else 3
    positive = np.clip(data - bg[:, None], 0, None)
    amp = positive.sum(axis=1)
    with np.errstate(invalid="ignore", divide="ignore"):
        mu = (positive * x).sum(axis=1) / amp
    mu = np.where(np.isfinite(mu), mu, (m - 1) / 2)
    sig = np.full(n, sigma0)
    params = np.stack([amp, mu, sig, bg], axis=1)
    for _ in range(iterations):
        model, jac = _model_and_jacobian(x, params, nfit)
        residual = data - model
        jtw = jac * w[:, :, None]
        normal = np.matmul(jtw.transpose(0, 2, 1), jac)  # Jᵀ W J; 15× faster than einsum
        rhs = np.einsum("nmi,nm->ni", jtw, residual)
        normal += np.eye(nfit)[None] * 1e-9
        try:
            delta = np.linalg.solve(normal, rhs[..., None])[..., 0]
        except np.linalg.LinAlgError:  # a singular cutout (all zeros): leave it unfitted
            delta = np.full((n, nfit), np.nan)
        params[:, :nfit] += delta
        params[:, 2] = np.clip(params[:, 2], 0.2, m)
        params[:, 1] = np.clip(params[:, 1], -1.0, m)
    model = _model(x, *(params[:, k : k + 1] for k in range(4)))
    chi2 = ((data - model) ** 2 * w).sum(axis=1) / max(m - 4, 1)
    bad = ~np.all(np.isfinite(params), axis=1) | (params[:, 1] < 0) | (params[:, 1] > m - 1)
    params[bad] = np.nan
    return GaussianFit(
        params[:, 0], params[:, 1], params[:, 2], params[:, 3], np.where(bad, np.nan, chi2)
    )
