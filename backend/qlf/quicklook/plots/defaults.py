"""Default plots by granularity: every metric has a picture before it has its own.

``DEFAULT_PLOTS[granularity](qa)`` draws the graded value element by element (amps, classes,
the elements of a camera value, fibers) with its bands, elements coloured by status.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence

import numpy as np
from bokeh.models import ColumnDataSource, LayoutDOM
from bokeh.plotting import figure

from qlf.quicklook.plots.common import (
    STATUS_COLORS,
    PlotInput,
    as_floats,
    band_boxes,
    band_quads,
    described,
    hover,
    new_figure,
)

__all__ = [
    "BANDS_HOW",
    "DEFAULT_PLOTS",
    "camera_figure",
    "class_colors",
    "class_figure",
    "element_figure",
    "fiber_figure",
    "focal_plane_figure",
]

BANDS_HOW = (
    "Dots are the measured values, coloured by status; the green band around the reference is "
    "NORMAL, the yellow one WARNING."
)


CLASS_PALETTE = ("#1f77b4", "#ff7f0e", "#9467bd", "#8c564b", "#e377c2", "#17becf", "#7f7f7f")


def element_figure(
    qa: PlotInput, labels: Sequence[str], values: Sequence, statuses: Sequence[str], *,
    x_label: str, refs: Sequence[float | None], element: str = "element",
) -> figure:  # fmt: skip
    """One bar per element (amp, class, component) over its NORMAL/WARNING band."""
    labels = [str(label) for label in labels]
    fig = new_figure(qa, x_label=x_label, x_range=labels)
    band_quads(fig, labels, refs, qa)
    source = ColumnDataSource(
        {
            "x": labels,
            "value": as_floats(values),
            "ref": as_floats(refs),
            "status": list(statuses),
            "color": [STATUS_COLORS[s] for s in statuses],
        },
        name="values",
    )
    dots = fig.scatter(x="x", y="value", size=14, color="color", source=source)
    hover(
        fig,
        [dots],
        [
            (element, "@x"),
            ("value", "@value{0.000}"),
            ("REF", "@ref{0.000}"),
            ("status", "@status"),
        ],
    )
    return fig


def _amp(qa: PlotInput) -> LayoutDOM:
    values = list(qa.value or [])
    labels = list(qa.amps or [])[: len(values)] or [str(i) for i in range(len(values))]
    refs = [qa.ref_of(i) for i in range(len(values))]
    fig = element_figure(
        qa, labels, values, qa.element_statuses(), x_label="amplifier", refs=refs, element="amp"
    )
    return described(qa.description, fig, how=BANDS_HOW)


def class_figure(qa: PlotInput) -> figure:
    """The value of each target class with its bands."""
    value = qa.value or {}
    labels = sorted(value)
    statuses = qa.element_statuses()
    return element_figure(
        qa, labels, [value[k] for k in labels], [statuses[k] for k in labels],
        x_label="target class", refs=[qa.ref_of(k) for k in labels], element="class",
    )  # fmt: skip


def class_colors(classes: Sequence[str]) -> dict[str, str]:
    """A fixed colour per target class (sorted), the same in every plot of a camera."""
    names = sorted({*classes, "ALL"})
    return {name: CLASS_PALETTE[i % len(CLASS_PALETTE)] for i, name in enumerate(names)}


def _class(qa: PlotInput) -> LayoutDOM:
    return described(qa.description, class_figure(qa), how=BANDS_HOW)


def camera_figure(qa: PlotInput, labels: Sequence[str] | None = None) -> figure:
    """The camera value's elements (one, or e.g. dx and dy) with their bands."""
    value = qa.value
    values = list(value) if isinstance(value, list | tuple) else [value]
    statuses = qa.element_statuses()
    statuses = list(statuses) if isinstance(statuses, list) else [statuses]
    labels = list(labels or ([qa.key] if len(values) == 1 else map(str, range(len(values)))))
    refs = [qa.ref_of(i) for i in range(len(values))]
    return element_figure(qa, labels, values, statuses, x_label="", refs=refs, element="element")


def _camera(qa: PlotInput) -> LayoutDOM:
    return described(qa.description, camera_figure(qa), how=BANDS_HOW)


def fiber_figure(
    qa: PlotInput, values: Sequence, *, fibers: Sequence[int] | None = None,
    y_label: str | None = None, ref: float | None = None, extra: Mapping | None = None,
    good: Sequence | None = None, name: str = "values", **figure_options,
) -> figure:  # fmt: skip
    """A value per fiber over the fiber index, with the metric's bands around ``ref``.

    ``extra`` adds columns to the hover; ``good`` (0/1 per fiber) colours bad fibers red.
    """
    y = as_floats(values)
    x = np.arange(y.size) if fibers is None else np.asarray(fibers, dtype=int)
    colors = np.full(y.size, STATUS_COLORS["NORMAL"], dtype=object)
    if good is not None:
        colors[~np.asarray(good, dtype=bool)] = STATUS_COLORS["ALARM"]
    columns = {"fiber": x, "value": y, "color": colors.tolist(), **(extra or {})}
    source = ColumnDataSource(columns, name=name)
    fig = new_figure(qa, x_label="fiber", y_label=y_label, **figure_options)
    band_boxes(fig, ref, qa.normal_range, qa.warn_range)
    dots = fig.scatter(x="fiber", y="value", size=6, color="color", source=source)
    tips = [("fiber", "@fiber"), ("value", "@value{0.000}")]
    tips += [(name.lower(), f"@{{{name}}}") for name in extra or {}]
    hover(fig, [dots], tips)
    return fig


def focal_plane_figure(qa: PlotInput, good: Sequence) -> figure:
    """The camera's fibers at their targets' sky positions, good ones green, bad ones red."""
    fibers = qa.fibers or {}
    ra, dec = as_floats(fibers.get("TARGET_RA")), as_floats(fibers.get("TARGET_DEC"))
    good = np.asarray(good, dtype=bool)[: ra.size]
    colors = np.where(good, STATUS_COLORS["NORMAL"], STATUS_COLORS["ALARM"])
    number = np.asarray(fibers.get("FIBER", np.arange(ra.size)))
    source = ColumnDataSource(
        {"ra": ra, "dec": dec, "fiber": number, "good": good.astype(int), "color": colors},
        name="focal_plane",
    )
    fig = new_figure(qa, x_label="RA (deg)", y_label="Dec (deg)", match_aspect=True)
    dots = fig.scatter(x="ra", y="dec", size=8, color="color", source=source)
    hover(fig, [dots], [("fiber", "@fiber"), ("good", "@good"), ("RA, Dec", "@ra, @dec")])
    return fig


def _fiber(qa: PlotInput) -> LayoutDOM:
    fig = fiber_figure(qa, qa.value or [], ref=qa.ref_of(0))
    return described(qa.description, fig, how="One dot per fiber. " + BANDS_HOW)


DEFAULT_PLOTS: dict[str, Callable[[PlotInput], LayoutDOM]] = {
    "amp": _amp,
    "camera": _camera,
    "class": _class,
    "fiber": _fiber,
}
