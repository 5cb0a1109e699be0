"""Run one camera of one exposure through the Quick Look steps of its flavor.

Progress is reported through a callback as structured events, so a daemon shows step progress
without parsing logs::

    {"type": "step", "camera": "r3", "step": "CHECK_CCDs", "state": "started"}
    {"type": "step", "camera": "r3", "step": "CHECK_CCDs", "state": "finished",
     "status": "NORMAL", "duration_s": 0.21}
    {"type": "log", "camera": "r3", "lines": ["...", ...]}

The QA JSON (DESIGN.md 4.4) and a log file are written beside each other in the scratch
directory, whatever happens: a camera that cannot be processed gets a QA file with its ERROR.
"""

from __future__ import annotations

import logging
import time
import traceback
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from qlf import __version__
from qlf.quicklook.calibration import load_calibration
from qlf.quicklook.grading import NORMAL, UNKNOWN, element_statuses, metric_status, worst
from qlf.quicklook.identity import Identity
from qlf.quicklook.io.fibermap import read_fibermap
from qlf.quicklook.io.file_cache import cached_read
from qlf.quicklook.io.products_file import products_path, write_camera_products
from qlf.quicklook.io.qa_json import qa_json_path, write_qa_json
from qlf.quicklook.io.raw import MissingCameraError, open_raw
from qlf.quicklook.mapping import MappingStep, load_mapping
from qlf.quicklook.products import CameraProducts, ExposureInfo
from qlf.quicklook.qa.registry import REASON, get_metric
from qlf.quicklook.specs import (
    DEFAULT_SPECS_DIR,
    SpecVersion,
    load_spec_versions,
    spec_for_night,
    spec_from_document,
)

__all__ = ["CameraResult", "CameraTask", "EventCallback", "run_camera"]

log = logging.getLogger("qlf.quicklook")

EventCallback = Callable[[dict[str, Any]], None]
GENERAL_KEYWORDS = (
    "EXPTIME", "AIRMASS", "SEEING", "SKYRA", "SKYDEC", "TILEID", "TILERA", "TILEDEC",
    "MJD-OBS", "DATE-OBS", "MOONSEP", "SKYLEVEL",
)  # fmt: skip
#: the metric that grades identity and completeness: it needs headers only, so it also runs
#: for a camera whose HDU is missing
IDENTITY_METRIC = "checkhdus"


@dataclass(frozen=True)
class CameraTask:
    """What to process: one camera of one raw file, and where things are."""

    raw_path: Path
    camera: str
    scratch_dir: Path
    calib_dir: Path | None = None
    fibermap_path: Path | None = None  # default: fibermap-EXPID.fits beside the raw file
    specs_dir: Path | None = None
    mapping_dir: Path | None = None
    spec: dict[str, Any] | None = None  # a threshold document chosen by the caller (daemon)


@dataclass
class CameraResult:
    camera: str
    night: int
    expid: int
    status: str
    qa_path: Path
    log_path: Path
    error: str | None = None
    failed_step: str | None = None
    duration_s: float = 0.0
    steps: dict[str, str] = field(default_factory=dict)

    @property
    def failed(self) -> bool:
        return self.error is not None


class _LogCapture(logging.Handler):
    """Writes the camera's log file and hands new lines to the event callback."""

    def __init__(self, path: Path):
        super().__init__(logging.INFO)
        path.parent.mkdir(parents=True, exist_ok=True)
        self.file = path.open("w")
        self.pending: list[str] = []
        self.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(message)s"))

    def emit(self, record: logging.LogRecord) -> None:
        line = self.format(record)
        self.file.write(line + "\n")
        self.file.flush()
        self.pending.append(line)

    def take(self) -> list[str]:
        lines, self.pending = self.pending, []
        return lines

    def close(self) -> None:
        self.file.close()
        super().close()


@dataclass(frozen=True)
class _Context:
    """What grading one camera needs besides the values."""

    camera: str
    flavor: str
    program: str | None
    references: dict[str, Any]
    reference_reasons: dict[str, str]
    #: The source of the throughput that turns counts into magnitudes (file or built-in model).
    throughput: Callable[[], str] | None = None


def run_camera(task: CameraTask, *, on_event: EventCallback | None = None) -> CameraResult:
    """Process one camera; never raises for bad input (the result carries the error)."""
    camera = task.camera.lower()
    emit = on_event or (lambda event: None)
    ident = Identity.of(task.raw_path, camera, {})
    night, expid = ident.night, ident.expid
    started = datetime.now(UTC)
    t0 = time.perf_counter()
    capture: _LogCapture | None = None
    doc: dict[str, Any] = {"CAMERA": camera, "NIGHT": night, "EXPID": expid, "TASKS": {}}
    result_steps: dict[str, str] = {}
    error = failed_step = None
    try:
        with open_raw(task.raw_path) as raw:
            ident = Identity.of(task.raw_path, camera, raw.header, present=raw.cameras)
            night, expid = ident.night, ident.expid  # the path's: never another exposure's
            qa_path = qa_json_path(task.scratch_dir, night, expid, camera)
            capture = _attach_log(qa_path)
            log.info(
                "%s expid %d night %d flavor %s: %s",
                camera,
                expid,
                night,
                raw.flavor,
                task.raw_path,
            )
            doc = _header_document(raw, camera, ident)
            steps = load_mapping(raw.flavor, task.mapping_dir)
            spec = _spec(task, night)
            doc["SPEC_VERSION"] = spec.version
            try:
                frame = raw.read_camera(camera)
            except MissingCameraError as exc:
                ident = Identity(**{**ident.__dict__, "missing": exc.note or "not in the file"})
                products = None
                steps = _identity_steps(steps)
            else:
                ident = ident.with_hdu(frame.header)
                doc["AMPS"] = frame.amp_names
                products = _products(task, raw, frame, ident)
            for problem in ident.problems():
                log.error("%s: %s", camera, problem)
            for step in steps:
                emit({"type": "step", "camera": camera, "step": step.name, "state": "started"})
                if products is None:
                    outcome = _identity_step(step, ident, raw, spec)
                else:
                    outcome = _run_step(step, products, spec)
                doc["TASKS"][step.name] = outcome
                result_steps[step.name] = outcome["STATUS"]
                state = "failed" if outcome["ERROR"] else "finished"
                if outcome["ERROR"] and error is None:
                    error, failed_step = outcome["ERROR"], step.name
                _flush_log(capture, camera, emit)
                emit(
                    {
                        "type": "step",
                        "camera": camera,
                        "step": step.name,
                        "state": state,
                        "status": outcome["STATUS"],
                        "duration_s": outcome["DURATION_S"],
                    }
                )
            if products is not None:
                write_camera_products(products_path(qa_path), products)  # for the plot viewers
    except (OSError, ValueError, KeyError) as exc:
        error = str(exc)
        log.error("%s failed: %s", camera, error)
    except Exception as exc:  # a bug must fail this camera, not the night
        error = f"{type(exc).__name__}: {exc}"
        log.error("%s failed unexpectedly: %s\n%s", camera, error, traceback.format_exc())
    qa_path = qa_json_path(task.scratch_dir, night, expid, camera)
    if capture is None:
        capture = _attach_log(qa_path)
        log.error("%s failed: %s", camera, error)
    duration = time.perf_counter() - t0
    status = worst(result_steps.values()) if result_steps else UNKNOWN
    doc.update(
        STATUS=status,
        ERROR=error,
        FAILED_STEP=failed_step,
        PIPELINE_VERSION=__version__,
        STARTED=started.isoformat(),
        FINISHED=datetime.now(UTC).isoformat(),
        DURATION_S=round(duration, 4),
    )
    log.info("%s %s in %.2f s", camera, status if error is None else "FAILED", duration)
    _flush_log(capture, camera, emit)
    write_qa_json(qa_path, doc)
    _detach_log(capture)
    return CameraResult(
        camera=camera, night=night, expid=expid, status=status, qa_path=qa_path,
        log_path=qa_path.with_suffix(".log"), error=error, failed_step=failed_step,
        duration_s=duration, steps=result_steps,
    )  # fmt: skip


def _spec(task: CameraTask, night: int) -> SpecVersion:
    """The thresholds given with the task, else the file in force on ``night``."""
    if task.spec is not None:
        return spec_from_document(task.spec)
    return spec_for_night(load_spec_versions(task.specs_dir or DEFAULT_SPECS_DIR), night)


def _attach_log(qa_path: Path) -> _LogCapture:
    capture = _LogCapture(qa_path.with_suffix(".log"))
    log.addHandler(capture)
    if log.level == logging.NOTSET or log.level > logging.INFO:
        log.setLevel(logging.INFO)
    return capture


def _detach_log(capture: _LogCapture) -> None:
    log.removeHandler(capture)
    capture.close()


def _flush_log(capture: _LogCapture | None, camera: str, emit: EventCallback) -> None:
    lines = capture.take() if capture else []
    if lines:
        emit({"type": "log", "camera": camera, "lines": lines})


def _header_document(raw, camera: str, ident: Identity) -> dict[str, Any]:
    header = raw.header
    general = {key: header.get(key) for key in GENERAL_KEYWORDS if key in header}
    return {
        "NIGHT": ident.night,
        "EXPID": ident.expid,
        "CAMERA": camera,
        "FLAVOR": raw.flavor,
        "PROGRAM": raw.program,
        "GENERAL_INFO": general,
        "TASKS": {},
    }


def _products(task: CameraTask, raw, frame, ident: Identity) -> CameraProducts:
    info = ExposureInfo(
        expid=ident.expid, night=ident.night, flavor=raw.flavor, program=raw.program,
        exptime=raw.exptime, header=dict(raw.header), identity=ident,
    )  # fmt: skip
    fibermap_path = task.fibermap_path or Path(task.raw_path).with_name(
        f"fibermap-{ident.expid:08d}.fits"
    )
    fibermap = None
    if fibermap_path.exists():
        try:
            fibermap = cached_read(fibermap_path, read_fibermap)  # shared by the cameras
        except ValueError as exc:
            log.error("%s: fibermap unusable: %s", frame.camera, exc)
    elif raw.flavor == "science":
        log.warning(
            "%s: no fibermap at %s; spectra metrics will be UNKNOWN", frame.camera, fibermap_path
        )
    calibration = load_calibration(task.calib_dir, frame.camera)
    for part, why in (calibration.missing or {}).items():
        log.warning("%s: calibration %s unavailable: %s", frame.camera, part, why)
    if frame.amps and calibration.amps is None:
        log.warning("%s: no ccd calibration; gains from the header", frame.camera)
    return CameraProducts(frame, info, calibration, fibermap=fibermap)


def _context(products: CameraProducts) -> _Context:
    """The camera's flavor, program and the references thresholds may name as
    ``calib:<name>`` (None when unknown, with the reason)."""
    names = products.frame.amp_names
    cal = products.calibration
    refs: dict[str, Any] = {
        "bias": cal.amp_values("bias", names),
        "readnoise": cal.amp_values("readnoise", names),
    }
    if cal.psf is not None:
        refs["nfiber"] = cal.psf.nfiber
    reasons = {}
    for name in ("bias", "readnoise"):
        if refs[name] is None:
            reasons[name] = _ccd_reason(products.camera, cal, name)
    if cal.psf is None:
        reasons["nfiber"] = (
            f"the number of fibers comes from the PSF psf-{products.camera}.fits, "
            f"unavailable: {cal.why_missing('psf')}"
        )
    info = products.info
    return _Context(
        products.camera, info.flavor, info.program, refs, reasons,
        throughput=lambda: products.throughput.source,
    )  # fmt: skip


def _ccd_reason(camera: str, calibration, name: str) -> str:
    if not calibration.amps:
        why = (calibration.missing or {}).get("ccd", "no calibration directory")
        return f"the {name} reference comes from ccd-{camera}.json, unavailable: {why}"
    lacking = sorted(a for a, values in calibration.amps.items() if values.get(name) is None)
    return f"ccd-{camera}.json gives no '{name}' for amp {', '.join(lacking) or '?'}"


def _run_step(step, products: CameraProducts, spec) -> dict[str, Any]:
    """Compute and grade the metrics of one step."""
    context = products.memo("grading_context", _context)  # once a camera, not once a step
    info = products.info
    metrics = [get_metric(name) for name in step.metrics]
    metrics = [m for m in metrics if m.applies_to(flavor=info.flavor, camera=products.camera)]
    return _graded_step(step, metrics, lambda metric: metric.compute(products), context, spec)


def _identity_steps(steps: list[MappingStep]) -> list[MappingStep]:
    """The steps of a camera without an HDU: the identity metric only, in its step."""
    return [
        MappingStep(s.name, s.display_name, (IDENTITY_METRIC,))
        for s in steps
        if IDENTITY_METRIC in s.metrics
    ]


def _identity_step(step: MappingStep, ident: Identity, raw, spec) -> dict[str, Any]:
    """Grade the identity of a camera whose HDU is missing (no pixels to measure)."""
    from qlf.quicklook.qa.identity import identity_values

    context = _Context(ident.camera, raw.flavor, raw.program, {}, {})
    metrics = [get_metric(IDENTITY_METRIC)]
    return _graded_step(step, metrics, lambda metric: identity_values(ident), context, spec)


def _graded_step(step, metrics, compute, context: _Context, spec) -> dict[str, Any]:
    """Each metric computed by ``compute(metric)`` and graded; a reason for every metric that
    is UNKNOWN (and for those whose computation states one, e.g. an identity ALARM)."""
    t0, cpu0 = time.perf_counter(), time.process_time()
    values_out: dict[str, Any] = {}
    params: dict[str, Any] = {}
    reasons: dict[str, str] = {}
    statuses: list[str] = []
    errors: list[str] = []
    for metric in metrics:
        try:
            values = dict(compute(metric))
        except Exception as exc:  # one failing metric must not stop the others
            message = f"{metric.key}: {type(exc).__name__}: {exc}"
            log.error("%s %s failed: %s", context.camera, step.name, message)
            log.debug("%s", traceback.format_exc())
            values_out[metric.key] = None
            values_out[f"{metric.key}_STATUS"] = UNKNOWN
            reasons[metric.key] = f"{metric.key} could not be computed: {exc}"
            statuses.append(UNKNOWN)
            errors.append(message)
            continue
        stated = values.pop(REASON, None)
        values_out.update(values)
        if metric.uses_throughput and context.throughput is not None:
            params["THROUGHPUT"] = context.throughput()  # which calibration made the magnitudes
        status, why = _grade(metric.key, values[metric.key], context, spec, params)
        values_out[f"{metric.key}_STATUS"] = status
        statuses.append(status)
        if status == UNKNOWN:
            reasons[metric.key] = stated or why or f"{metric.key} could not be measured"
        elif stated and status != NORMAL:
            reasons[metric.key] = stated
    status = worst(statuses) if statuses else UNKNOWN
    duration = time.perf_counter() - t0
    log.info(
        "%s %s %s in %.2f s (%s)", context.camera, step.name, status, duration,
        ", ".join(f"{k[:-7]} {v}" for k, v in values_out.items() if k.endswith("_STATUS")),
    )  # fmt: skip
    for key, reason in reasons.items():
        log.warning("%s %s %s: %s", context.camera, step.name, key, reason)
    all_failed = bool(errors) and len(errors) == len(statuses)
    outcome = {
        "STATUS": status,
        "DURATION_S": round(duration, 4),
        "CPU_S": round(time.process_time() - cpu0, 4),
        "ERROR": "; ".join(errors) if all_failed else None,
        "METRICS": values_out,
        "PARAMS": params,
    }
    if reasons:
        outcome["REASONS"] = reasons
    return outcome


def _grade(key: str, value: Any, context: _Context, spec, params: dict) -> tuple[str, str | None]:
    """The status of ``value`` and, when it is UNKNOWN, why."""
    threshold = spec.threshold(
        key, flavor=context.flavor, program=context.program, camera=context.camera,
        references=context.references,
    )  # fmt: skip
    if threshold is None:
        where = f"{context.flavor}/{context.program}" if context.program else context.flavor
        why = f"no threshold for {key} ({where}) in specs {spec.version}"
        return UNKNOWN, why
    params[f"{key}_REF"] = threshold.ref
    params[f"{key}_NORMAL_RANGE"] = list(threshold.normal_range)
    params[f"{key}_WARN_RANGE"] = list(threshold.warn_range)
    try:
        elements = element_statuses(
            value, threshold.ref, threshold.normal_range, threshold.warn_range
        )
    except ValueError as exc:
        log.error("%s: cannot grade %s: %s", context.camera, key, exc)
        return UNKNOWN, f"{key} cannot be graded: {exc}"
    status = metric_status(elements)
    if status != UNKNOWN:
        return status, None
    if threshold.ref is None:
        source = spec.entry(key, flavor=context.flavor, program=context.program)["REF"]
        name = source.removeprefix("calib:") if isinstance(source, str) else ""
        return UNKNOWN, context.reference_reasons.get(name, f"no reference (REF) for {key}")
    return UNKNOWN, None
