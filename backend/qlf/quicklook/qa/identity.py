"""CHECKHDUS: the file holds the camera, and its path and headers name the same exposure."""

from __future__ import annotations

from qlf.quicklook.qa.registry import REASON, Metric, register

__all__ = ["CheckHdus", "identity_values"]


def identity_values(identity) -> dict:
    """CHECKHDUS of an :class:`~qlf.quicklook.identity.Identity`: the number of problems."""
    problems = identity.problems()
    values = {
        CheckHdus.key: len(problems),
        "HDU_PRESENT": identity.missing is None,
        "IDENTITY": identity.as_dict(),
        "IDENTITY_PROBLEMS": problems,
    }
    if problems:
        values[REASON] = "; ".join(problems)
    return values


@register
class CheckHdus(Metric):
    name = "checkhdus"
    key = "CHECKHDUS"
    granularity = "camera"
    flavors = ("zero", "dark", "flat", "arc", "science")
    units = "problems"
    description = (
        "Identity and completeness: the number of disagreements between the EXPID and NIGHT of "
        "the path, of the SPEC header and of the camera's header (and its CAMERA keyword), plus "
        "one if the camera's HDU is missing. 0 when all agree."
    )

    def compute(self, products):
        return identity_values(products.info.identity)

    def plot(self, qa):
        from bokeh.models import ColumnDataSource, DataTable, TableColumn

        from qlf.quicklook.plots.common import described
        from qlf.quicklook.plots.defaults import camera_figure

        ident = qa.aux("IDENTITY", {}) or {}
        rows = {"source": [], "night": [], "expid": [], "camera": []}
        for source in ("PATH", "SPEC", "HDU"):
            stated = ident.get(source) or {}
            rows["source"].append(
                source if ident.get(source) is not None else f"{source} (missing)"
            )
            for name in ("night", "expid", "camera"):
                value = stated.get(name.upper())
                rows[name].append("" if value is None else str(value))
        table = DataTable(
            source=ColumnDataSource(rows, name="identity"),
            columns=[TableColumn(field=f, title=f.upper()) for f in rows],
            sizing_mode="stretch_width", height=120, index_position=None,
        )  # fmt: skip
        problems = qa.aux("IDENTITY_PROBLEMS", []) or []
        return described(
            f"{qa.value} identity problem(s): "
            + ("; ".join(problems) if problems else "path, SPEC and camera headers agree."),
            camera_figure(qa, ["identity problems"]),
            table,
            how="Results are filed under the path's EXPID and NIGHT; any disagreement is an "
            "ALARM (a file copied or renamed by hand, or written by a misconfigured writer).",
        )
