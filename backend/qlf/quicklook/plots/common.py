"""What a metric's plot draws on, and the Bokeh pieces every plot shares.

Plots are functions over the QA tables (DESIGN.md 4.4, STYLE.md): a :class:`PlotInput` holds
one camera's step ``METRICS`` and ``PARAMS`` (and, when known, its fibers' positions); the
helpers here draw the NORMAL and WARNING bands, colour elements by status and put the one-line
"how to read it" above the figure. Pure Bokeh: the web layer only embeds the result.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

import numpy as np
from bokeh.layouts import column
from bokeh.models import BoxAnnotation, ColumnDataSource, Div, HoverTool, LayoutDOM, Span
from bokeh.plotting import figure

from qlf.quicklook.grading import UNKNOWN, element_statuses

__all__ = [
    "BAND_COLORS",
    "REF_COLOR",
    "STATUS_COLORS",
    "PlotInput",
    "as_floats",
    "band_boxes",
    "band_quads",
    "described",
    "hover",
    "new_figure",
]

#: points by status, bright enough over the bands of the dark theme (UNKNOWN: the UI's violet)
STATUS_COLORS = {"NORMAL": "#6ee787", "WARNING": "#ffc53d", "ALARM": "#ff5c61", UNKNOWN: "#9d8df1"}
#: fill of the bands: NORMAL inside, WARNING between NORMAL and WARN (muted, for a dark plot)
BAND_COLORS = {"NORMAL": "#1f5a33", "WARNING": "#6b5514"}
#: the reference line and neutral marks, visible on the dark theme (plots/theme.py)
REF_COLOR = "#c9d1d9"
TOOLS = "pan,wheel_zoom,box_zoom,reset,save"
DESCRIPTION_STYLE = {"color": "#d8dee6", "font-size": "13px"}


@dataclass
class PlotInput:
    """One camera's QA for one metric's plot.

    ``metrics`` and ``params`` are the METRICS and PARAMS of the step holding ``key``;
    :attr:`fibers` optionally maps fibermap columns (``FIBER``, ``TARGET_RA``, ``TARGET_DEC``,
    ``OBJTYPE``…) to one value per fiber of this camera, in fiber order.
    """

    key: str
    camera: str
    metrics: Mapping[str, Any]
    params: Mapping[str, Any] = field(default_factory=dict)
    flavor: str = ""
    expid: int | None = None
    exptime: float | None = None
    amps: Sequence[str] | None = None
    #: the fibermap columns, or a function returning them (read only if a plot asks)
    fiber_source: Mapping[str, Sequence] | Callable[[], Mapping | None] | None = None
    title: str = ""
    description: str = ""
    units: str = ""

    @cached_property
    def fibers(self) -> Mapping[str, Sequence] | None:
        source = self.fiber_source
        return source() if callable(source) else source

    @property
    def value(self) -> Any:
        return self.metrics.get(self.key)

    @property
    def status(self) -> str:
        return self.metrics.get(f"{self.key}_STATUS") or UNKNOWN

    @property
    def ref(self) -> Any:
        return self.params.get(f"{self.key}_REF")

    @property
    def normal_range(self) -> list[float] | None:
        return self.params.get(f"{self.key}_NORMAL_RANGE")

    @property
    def warn_range(self) -> list[float] | None:
        return self.params.get(f"{self.key}_WARN_RANGE")

    @property
    def graded(self) -> bool:
        return None not in (self.ref, self.normal_range, self.warn_range)

    def aux(self, name: str, default: Any = None) -> Any:
        """An auxiliary (ungraded) array of the step, e.g. ``XSHIFT_FIB``."""
        value = self.metrics.get(name)
        return default if value is None else value

    def element_statuses(self) -> Any:
        """Status of each element of the value (shape of the value), UNKNOWN when ungraded."""
        value = self.value
        if not self.graded:
            if isinstance(value, Mapping):
                return dict.fromkeys(value, UNKNOWN)
            if isinstance(value, list | tuple):
                return [UNKNOWN] * len(value)
            return UNKNOWN
        try:
            return element_statuses(value, self.ref, self.normal_range, self.warn_range)
        except ValueError:
            return [UNKNOWN] * len(value) if isinstance(value, list | tuple) else UNKNOWN

    def ref_of(self, index: int | str) -> float | None:
        """The reference of one element (a scalar REF applies to every element)."""
        ref = self.ref
        if isinstance(ref, Mapping):
            ref = ref.get(index)
        elif isinstance(ref, list | tuple):
            ref = ref[index] if isinstance(index, int) and index < len(ref) else None
        return None if ref is None else float(ref)

    def units_label(self) -> str:
        return f"{self.key} ({self.units})" if self.units else self.key

    def heading(self) -> str:
        return f"{self.camera} · {self.key} · {self.status}"


def as_floats(values: Any) -> np.ndarray:
    """A float array from JSON values, null → NaN."""
    if values is None:
        return np.array([], dtype=float)
    return np.array([np.nan if v is None else v for v in values], dtype=float)


def new_figure(qa: PlotInput, *, x_label: str, y_label: str | None = None, **kwargs) -> figure:
    options = {"height": 320, "sizing_mode": "stretch_width", "tools": TOOLS, **kwargs}
    fig = figure(title=qa.heading(), **options)
    fig.xaxis.axis_label = x_label
    fig.yaxis.axis_label = y_label or qa.units_label()
    fig.toolbar.logo = None
    return fig


def band_boxes(
    fig: figure, ref: float | None, normal: Sequence[float] | None, warn: Sequence[float] | None
) -> None:
    """Horizontal NORMAL and WARNING bands around ``ref`` across the whole figure."""
    if ref is None or normal is None or warn is None:
        return
    fig.add_layout(
        BoxAnnotation(
            bottom=ref + warn[0], top=ref + warn[1], fill_color=BAND_COLORS["WARNING"],
            fill_alpha=0.6, level="underlay", name="WARNING",
        )
    )  # fmt: skip
    fig.add_layout(
        BoxAnnotation(
            bottom=ref + normal[0], top=ref + normal[1], fill_color=BAND_COLORS["NORMAL"],
            fill_alpha=0.8, level="underlay", name="NORMAL",
        )
    )  # fmt: skip
    fig.add_layout(Span(location=ref, dimension="width", line_dash="dashed", line_color=REF_COLOR))


def band_quads(fig: figure, x: Sequence, refs: Sequence[float | None], qa: PlotInput) -> None:
    """Per-element NORMAL and WARNING bands (one box per categorical x) around each REF."""
    normal, warn = qa.normal_range, qa.warn_range
    if normal is None or warn is None:
        return
    keep = [i for i, r in enumerate(refs) if r is not None]
    if not keep:
        return
    xs = [x[i] for i in keep]
    ref = np.array([refs[i] for i in keep], dtype=float)
    for name, rng, alpha in (("WARNING", warn, 0.6), ("NORMAL", normal, 0.8)):
        source = ColumnDataSource(
            {"x": xs, "bottom": ref + rng[0], "top": ref + rng[1], "ref": ref}, name=f"{name}_band"
        )
        fig.vbar(
            x="x", bottom="bottom", top="top", width=0.9, source=source, fill_alpha=alpha,
            fill_color=BAND_COLORS[name], line_color=None, level="underlay",
        )  # fmt: skip


def hover(fig: figure, renderers, tooltips: list[tuple[str, str]]) -> None:
    fig.add_tools(HoverTool(renderers=list(renderers), tooltips=tooltips))


def described(description: str, *children: LayoutDOM, how: str = "") -> LayoutDOM:
    """The plot with its one-line description (what it shows, how to read it) above it."""
    text = description.strip()
    if how:
        text = f"{text} {how.strip()}"
    return column(
        # its own colour: the plot sits on a dark card (plots/theme.py)
        Div(text=text, name="description", sizing_mode="stretch_width", styles=DESCRIPTION_STYLE),
        *children,
        sizing_mode="stretch_width",
    )
