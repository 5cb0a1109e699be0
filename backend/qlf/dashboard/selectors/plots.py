"""Drill-down plots of one process and camera as Bokeh ``json_item`` documents.

The plot of a metric is its plugin's (the metric registry is the plot registry); the CCD image
and the spectra come from the products file the pipeline writes beside the QA JSON.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable
from pathlib import Path
from typing import Any

import bokeh
from django.templatetags.static import static

from qlf.dashboard.errors import ApplicationError
from qlf.dashboard.models import Fibermap, Job, Process
from qlf.dashboard.selectors.files import contained, qlf_dir
from qlf.quicklook.io.products_file import products_path, read_camera_products
from qlf.quicklook.io.qa_json import qa_json_path
from qlf.quicklook.plots.build import find_metric, plot_input, plot_json
from qlf.quicklook.plots.images import ccd_image_plot, spectrum_plot

__all__ = [
    "BOKEH_SCRIPTS",
    "plot_cache_clear",
    "plot_ccd",
    "plot_metric",
    "plot_resources",
    "plot_spectrum",
]

#: the BokehJS bundles a page loads (core, widgets and tables, in this order)
BOKEH_SCRIPTS = ("bokeh", "bokeh-widgets", "bokeh-tables")
#: fibermap columns a plot may use
FIBER_COLUMNS = ("FIBER", "TARGET_RA", "TARGET_DEC", "OBJTYPE", "TARGET_CLASS")
#: rendered plots kept in memory: a camera's QA does not change once ingested (a re-ingestion
#: changes its digest, hence the key), and building a Bokeh document costs 50–300 ms of CPU
CACHE_SIZE = 128
_cache: OrderedDict[tuple, dict[str, Any]] = OrderedDict()
_cache_lock = threading.Lock()


def plot_cache_clear() -> None:
    with _cache_lock:
        _cache.clear()


def _cached(key: tuple, render: Callable[[], dict[str, Any]]) -> dict[str, Any]:
    with _cache_lock:
        if key in _cache:
            _cache.move_to_end(key)
            return _cache[key]
    item = render()
    with _cache_lock:
        _cache[key] = item
        while len(_cache) > CACHE_SIZE:
            _cache.popitem(last=False)
    return item


def _job(process_id: int, camera: str) -> Job:
    job = (
        Job.objects.select_related("process")
        .filter(process_id=process_id, camera=camera, qa__isnull=False)
        .first()
    )
    if job is None:
        if not Process.objects.filter(pk=process_id).exists():
            raise ApplicationError(f"process {process_id} does not exist", status_code=404)
        raise ApplicationError(
            f"no QA for camera {camera!r} in process {process_id}",
            extra={"field": "camera"},
            status_code=404,
        )
    return job


def _fibers(job: Job) -> dict[str, list] | None:
    """The camera's fibers from the exposure's fibermap (its petal, in fiber order), if any."""
    fibermap = Fibermap.objects.filter(exposure_id=job.process.exposure_id).first()
    if fibermap is None or "PETAL_LOC" not in fibermap.columns:
        return None
    columns = fibermap.columns
    petal = int(job.camera[1:])
    rows = [i for i, p in enumerate(columns["PETAL_LOC"]) if p == petal]
    if "FIBER" in columns:
        rows.sort(key=lambda i: columns["FIBER"][i])
    return {name: [columns[name][i] for i in rows] for name in FIBER_COLUMNS if name in columns}


def plot_metric(*, metric: str, process_id: int, camera: str) -> dict[str, Any]:
    """The drill-down plot of ``metric`` (registry name or QA key) for one camera."""
    try:
        plugin = find_metric(metric)
    except KeyError:
        raise ApplicationError(
            f"no QA metric named {metric!r}", extra={"field": "metric"}, status_code=404
        ) from None
    job = _job(process_id, camera)
    try:  # the fibermap is read only if the plot uses it
        qa = plot_input(plugin, job.qa, fibers=lambda: _fibers(job))
    except KeyError:
        raise ApplicationError(
            f"no {plugin.key} in the QA of {camera} in process {process_id}",
            extra={"field": "metric"},
            status_code=404,
        ) from None

    key = ("metric", job.pk, job.qa_digest, plugin.name)
    return _cached(key, lambda: plot_json(plugin.plot(qa)))


def _products_file(job: Job) -> Path:
    qa = job.qa
    candidates = [qa_json_path(qlf_dir("SCRATCH_DIR"), qa["NIGHT"], qa["EXPID"], job.camera)]
    if job.qa_path:
        candidates.append(Path(job.qa_path))
    for qa_path in candidates:
        path = contained(products_path(qa_path), "SCRATCH_DIR")  # a stored path may point anywhere
        if path is not None and path.is_file():
            return path
    raise ApplicationError(
        f"no image or spectra kept for {job.camera} of exposure {qa['EXPID']}", status_code=404
    )


def _products(path: Path, camera: str) -> dict[str, Any]:
    try:
        return read_camera_products(path)
    except (OSError, KeyError) as exc:
        raise ApplicationError(
            f"the products file of {camera} is unreadable: {exc}", status_code=404
        ) from exc


def plot_ccd(*, process_id: int, camera: str) -> dict[str, Any]:
    """The binned preprocessed image of one camera with its amplifiers."""
    path = _products_file(_job(process_id, camera))
    key = ("ccd", str(path), path.stat().st_mtime_ns)
    return _cached(key, lambda: plot_json(ccd_image_plot(_products(path, camera))))


def plot_spectrum(*, process_id: int, camera: str, fiber: int) -> dict[str, Any]:
    """One fiber's spectrum (sky-subtracted for science exposures)."""
    path = _products_file(_job(process_id, camera))

    def render() -> dict[str, Any]:
        products = _products(path, camera)
        try:
            return plot_json(spectrum_plot(products, fiber))
        except ValueError as exc:
            field = "fiber" if "spectra" in products else None
            raise ApplicationError(str(exc), extra={"field": field}, status_code=404) from exc

    return _cached(("spectrum", str(path), path.stat().st_mtime_ns, fiber), render)


def plot_resources() -> dict[str, Any]:
    """What a page needs to render the plots: the BokehJS version and its local URLs."""
    return {
        "version": bokeh.__version__,
        "js": [static(f"bokeh/js/{name}.min.js") for name in BOKEH_SCRIPTS],
    }
