"""The dark theme of every drill-down plot: the web UI's palette (frontend/src/styles.css), so
that no plot glares white inside the dark screens at night."""

from __future__ import annotations

from bokeh.themes import Theme

__all__ = ["DARK", "PLOT_THEME"]

#: the UI's colours: page, panel, lines, text, muted text
DARK = {
    "bg": "#0f1318",
    "panel": "#171d24",
    "line": "#2a3440",
    "text": "#d8dee6",
    "muted": "#8593a3",
}

PLOT_THEME = Theme(
    json={
        "attrs": {
            "Plot": {
                "background_fill_color": DARK["panel"],
                "border_fill_color": DARK["panel"],
                "outline_line_color": DARK["line"],
            },
            "Grid": {"grid_line_color": DARK["line"], "grid_line_alpha": 0.8},
            "Axis": {
                "axis_line_color": DARK["muted"],
                "major_tick_line_color": DARK["muted"],
                "minor_tick_line_color": DARK["muted"],
                "major_label_text_color": DARK["text"],
                "axis_label_text_color": DARK["text"],
                "axis_label_text_font_style": "normal",
            },
            "Title": {"text_color": DARK["text"]},
            "Legend": {
                "background_fill_color": DARK["bg"],
                "background_fill_alpha": 0.7,
                "border_line_color": DARK["line"],
                "label_text_color": DARK["text"],
                "inactive_fill_color": DARK["bg"],
            },
            "BaseColorBar": {
                "background_fill_color": DARK["panel"],
                "major_label_text_color": DARK["text"],
                "title_text_color": DARK["text"],
            },
        }
    }
)
