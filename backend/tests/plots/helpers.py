"""Reading a Bokeh layout back: its data sources, bands, description and hover tools."""

from __future__ import annotations

import base64
import gzip

import numpy as np
from bokeh.models import BoxAnnotation, ColumnDataSource, Div, HoverTool


def sources(layout) -> dict[str, dict]:
    """Named data sources of the layout: name → columns."""
    return {s.name: s.data for s in layout.select({"type": ColumnDataSource}) if s.name}


def floats(values) -> np.ndarray:
    return np.array([np.nan if v is None else v for v in values], dtype=float)


def normal_bands(layout) -> list[tuple[float, float]]:
    """(bottom, top) of every NORMAL band drawn, whichever way it was drawn."""
    bands = [
        (b.bottom, b.top) for b in layout.select({"type": BoxAnnotation}) if b.name == "NORMAL"
    ]
    for name, data in sources(layout).items():
        if name == "NORMAL_band":
            bands += list(zip(data["bottom"], data["top"], strict=True))
        if "normal_low" in data:
            bands += list(zip(data["normal_low"], data["normal_high"], strict=True))
    return [(float(lo), float(hi)) for lo, hi in bands]


def description(layout) -> str:
    divs = [d for d in layout.select({"type": Div}) if d.name == "description"]
    assert len(divs) == 1
    return divs[0].text


def hover_fields(layout) -> set[str]:
    return {label for tool in layout.select({"type": HoverTool}) for label, _ in tool.tooltips}


def served_sources(item: dict) -> dict[str, dict]:
    """Named data sources of a served ``json_item``: name → columns as lists."""
    found: dict[str, dict] = {}

    def decode(value):
        if isinstance(value, dict) and value.get("type") == "ndarray":
            raw = value["array"]
            if isinstance(raw, list):  # object arrays are sent as plain lists
                return raw
            buffer = base64.b64decode(raw["data"])
            if buffer[:2] == b"\x1f\x8b":
                buffer = gzip.decompress(buffer)
            return np.frombuffer(buffer, dtype=value["dtype"]).tolist()
        return value

    def walk(node):
        if isinstance(node, dict):
            attributes = node.get("attributes") or {}
            if node.get("name") == "ColumnDataSource" and attributes.get("name"):
                entries = attributes.get("data", {}).get("entries", [])
                found[attributes["name"]] = {k: decode(v) for k, v in entries}
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(item["doc"])
    return found
