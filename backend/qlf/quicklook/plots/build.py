"""From one camera's QA document to a metric's plot, through the metric registry."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

from bokeh import __version__ as bokeh_version
from bokeh.document import Document
from bokeh.models import GlyphRenderer, LayoutDOM

from qlf.quicklook.plots.common import PlotInput
from qlf.quicklook.plots.theme import PLOT_THEME
from qlf.quicklook.qa.registry import Metric, all_metrics

__all__ = ["find_metric", "metric_plot", "plot_input", "plot_json"]


def find_metric(name_or_key: str) -> Metric:
    """The registered metric called ``name_or_key`` (its registry name or its QA key).

    Raises KeyError naming the unknown metric.
    """
    registry = all_metrics()
    cls = registry.get(name_or_key)
    if cls is None:
        cls = next((m for m in registry.values() if m.key == name_or_key.upper()), None)
    if cls is None:
        raise KeyError(f"no QA metric named {name_or_key!r}")
    return cls()


def plot_input(
    metric: Metric,
    qa: Mapping[str, Any],
    *,
    fibers: Mapping[str, Sequence] | Callable[[], Mapping | None] | None = None,
) -> PlotInput:
    """The metric's part of a QA document (DESIGN.md 4.4); KeyError if it holds no such metric.

    ``fibers``: the camera's fibermap columns, or a function returning them when a plot asks.
    """
    for task in (qa.get("TASKS") or {}).values():
        metrics = task.get("METRICS") or {}
        if metric.key in metrics:
            return PlotInput(
                key=metric.key, camera=qa.get("CAMERA", ""), metrics=metrics,
                params=task.get("PARAMS") or {}, flavor=qa.get("FLAVOR", ""),
                expid=qa.get("EXPID"), exptime=(qa.get("GENERAL_INFO") or {}).get("EXPTIME"),
                amps=qa.get("AMPS"), fiber_source=fibers,
                title=metric.name, description=metric.description, units=metric.units,
            )  # fmt: skip
    raise KeyError(f"camera {qa.get('CAMERA')} has no {metric.key} in this QA")


def metric_plot(
    name_or_key: str, qa: Mapping[str, Any], *, fibers: Mapping[str, Sequence] | None = None
) -> LayoutDOM:
    """The drill-down plot of one metric for one camera's QA document."""
    metric = find_metric(name_or_key)
    return metric.plot(plot_input(metric, qa, fibers=fibers))


def plot_json(layout: LayoutDOM) -> dict[str, Any]:
    """The layout as a ``json_item`` for ``Bokeh.embed.embed_item`` (no target id), in the
    dark theme of the screens (``plots/theme.py``).

    The same document as :func:`bokeh.embed.json_item` builds, a third cheaper: json_item
    collects the models of a fresh document three times, this once.
    """
    for renderer in layout.select({"type": GlyphRenderer}):
        # nothing selects or mutes: BokehJS derives these glyphs if ever needed, and not
        # sending two copies of every glyph saves a fifth of the serialisation
        renderer.nonselection_glyph = "auto"
        renderer.muted_glyph = "auto"
    doc = Document()
    doc.title = ""
    doc.add_root(layout)
    doc.theme = PLOT_THEME  # dark, as the screens around it
    doc_json = doc.to_json(deferred=False)
    return {
        "target_id": None,
        "root_id": doc_json["roots"][0]["id"],
        "doc": doc_json,
        "version": bokeh_version,
    }
