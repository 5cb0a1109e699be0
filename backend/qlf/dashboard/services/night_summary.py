"""The night report: the night summary as one self-contained HTML file.

No external assets: styles are inline, trend thumbnails are inline SVG, so the file opens
anywhere (and prints to PDF from a browser; the print styles avoid splitting tables).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.template.loader import render_to_string
from django.utils import timezone

from qlf.dashboard.selectors.night_summary import night_summary_get

__all__ = ["night_report_render", "sparkline_svg"]


def night_report_render(*, night: int, now: datetime | None = None) -> str:
    summary = night_summary_get(night=night)
    for trend in summary["trends"]:
        trend["svg"] = sparkline_svg(trend["mean"], low=trend["min"], high=trend["max"])
        trend["last"] = trend["mean"][-1]
    night_text = str(night)
    context: dict[str, Any] = {
        **summary,
        "night_text": f"{night_text[:4]}-{night_text[4:6]}-{night_text[6:]}",
        "generated": now or timezone.now(),
    }
    return render_to_string("dashboard/night_report.html", context)


def sparkline_svg(
    values: list[float], *, low: list[float] | None = None, high: list[float] | None = None,
    width: int = 160, height: int = 40,
) -> str:  # fmt: skip
    """A small SVG line of ``values`` (the last point marked) over the ``low``–``high`` band."""
    everything = [v for v in [*values, *(low or []), *(high or [])] if v is not None]
    if not values or not everything:
        return ""
    bottom, top = min(everything), max(everything)
    span = (top - bottom) or 1.0
    step = (width - 4) / max(1, len(values) - 1)

    def xy(i: int, v: float) -> str:
        return f"{2 + i * step:.1f},{height - 2 - (v - bottom) / span * (height - 4):.1f}"

    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" role="img">'
    ]
    if low and high and len(low) == len(values) == len(high):
        edge = [xy(i, v) for i, v in enumerate(high)] + [
            xy(i, v) for i, v in reversed(list(enumerate(low)))
        ]
        parts.append(f'<polygon points="{" ".join(edge)}" fill="#d9e6f2"/>')
    line = " ".join(xy(i, v) for i, v in enumerate(values))
    parts.append(f'<polyline points="{line}" fill="none" stroke="#1f5f99" stroke-width="1.5"/>')
    cx, cy = xy(len(values) - 1, values[-1]).split(",")
    parts.append(f'<circle cx="{cx}" cy="{cy}" r="2.5" fill="#c0392b"/></svg>')
    return "".join(parts)
