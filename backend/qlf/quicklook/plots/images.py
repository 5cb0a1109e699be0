"""The CCD image and spectra viewers, over the per-camera products file.

Both take the dict of :func:`qlf.quicklook.io.products_file.read_camera_products`.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np
from bokeh.models import ColumnDataSource, HoverTool, LayoutDOM, LinearColorMapper
from bokeh.plotting import figure

from qlf.quicklook.plots.common import TOOLS, described

__all__ = ["IMAGE_HEIGHT", "ccd_image_plot", "spectrum_plot"]

IMAGE_HEIGHT = 480  # px of the CCD image's frame; its width follows the chip's aspect


def ccd_image_plot(products: Mapping[str, Any]) -> LayoutDOM:
    """The preprocessed image, block-averaged, with the amplifiers' boundaries and names."""
    image = np.asarray(products["image"], dtype=np.float32)
    nrow, ncol = products["shape"]
    finite = image[np.isfinite(image)]
    low, high = np.percentile(finite, [1, 99.5]) if finite.size else (0.0, 1.0)
    mapper = LinearColorMapper(palette="Greys256", low=float(low), high=float(max(high, low + 1)))
    # pixels are square: the frame has the chip's aspect (a plot that stretched to the page's
    # width would draw a 300 × 400 chip 1290 × 490)
    frame_height = IMAGE_HEIGHT
    frame_width = max(120, round(IMAGE_HEIGHT * ncol / max(nrow, 1)))
    fig = figure(
        title=f"{products['camera']} preprocessed image ({products['block']}× binned)",
        x_range=(0, ncol), y_range=(0, nrow), tools=TOOLS,
        frame_height=frame_height, frame_width=frame_width,
    )  # fmt: skip
    fig.toolbar.logo = None
    fig.xaxis.axis_label, fig.yaxis.axis_label = "column (px)", "row (px)"
    pixels = fig.image(
        image=[image], x=0, y=0, dw=image.shape[1] * products["block"],
        dh=image.shape[0] * products["block"], color_mapper=mapper, name="image",
    )  # fmt: skip
    regions = np.asarray(products["amp_regions"])
    amps = ColumnDataSource(
        {
            "amp": list(products["amp_names"]),
            "left": regions[:, 2], "right": regions[:, 3],
            "bottom": regions[:, 0], "top": regions[:, 1],
            "label_x": (regions[:, 2] + regions[:, 3]) / 2,
            "label_y": (regions[:, 0] + regions[:, 1]) / 2,
        },
        name="amps",
    )  # fmt: skip
    fig.quad(
        left="left", right="right", bottom="bottom", top="top", source=amps,
        fill_alpha=0, line_color="#e53935", line_width=2,
    )  # fmt: skip
    fig.text(x="label_x", y="label_y", text="amp", source=amps, text_color="#e53935",
             text_align="center", text_font_size="16pt", text_alpha=0.6)  # fmt: skip
    fig.add_tools(
        HoverTool(
            renderers=[pixels], tooltips=[("column, row", "$x{0}, $y{0}"), ("e-", "@image{0.0}")]
        )
    )
    return described(
        f"The preprocessed CCD image of {products['camera']} in electrons, averaged over "
        f"{products['block']}×{products['block']} pixel blocks; red boxes are the amplifiers.",
        fig,
        how="Traces run vertically; look for a bright or dead amplifier, a bad column, a "
        "gradient or a saturated blob. The grey scale spans the 1st to 99.5th percentile.",
    )


def spectrum_plot(products: Mapping[str, Any], fiber: int) -> LayoutDOM:
    """One fiber's spectrum; ValueError when there are no spectra or no such fiber."""
    if "spectra" not in products:
        raise ValueError(f"{products['camera']}: no spectra were extracted for this exposure")
    spectra = products["spectra"]
    if not 0 <= fiber < spectra.shape[0]:
        raise ValueError(f"fiber {fiber} is not one of 0–{spectra.shape[0] - 1} of this camera")
    source = ColumnDataSource(
        {"wave": products["wave"][fiber], "flux": spectra[fiber]}, name="spectrum"
    )
    fig = figure(
        title=f"{products['camera']} fiber {fiber}", tools=TOOLS, height=360,
        sizing_mode="stretch_width",
    )  # fmt: skip
    fig.toolbar.logo = None
    fig.xaxis.axis_label, fig.yaxis.axis_label = "wavelength (Å)", products["spectra_kind"]
    line = fig.line(x="wave", y="flux", source=source, line_width=1)
    fig.add_tools(
        HoverTool(
            renderers=[line],
            tooltips=[("λ", "@wave{0.0} Å"), ("flux", "@flux{0.00}")],
            mode="vline",
        )
    )
    return described(
        f"The {products['spectra_kind']} of fiber {fiber}, averaged down to "
        f"{spectra.shape[1]} samples.",
        fig,
        how="Sky-subtracted spectra should show the target's continuum and lines with no "
        "sky-line residuals.",
    )
