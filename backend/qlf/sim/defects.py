"""Injected defects: what can go wrong with one camera, parsed from ``KIND:CAMERA[:ARG[:VALUE]]``.

Each defect changes only its camera. Most act on the camera's :class:`~qlf.sim.render.CameraPlan`
before rendering (:func:`apply_defect`); ``missing_camera`` and ``truncated`` act on the file.

=============== ============================== =======================================
kind            argument / value               effect
=============== ============================== =======================================
hot_amp         AMP, electrons (500)           uniform glow over the amp's pixels
dead_amp        AMP                            no light reaches the amp: bias and noise
high_noise      AMP, factor (3)                read noise × factor
bias_jump       AMP, ADU (50)                  bias level + ADU (overscan and data)
trace_shift     dx,dy pixels (0.5,0.5)         traces moved from the calibration
broad_psf       factor (1.5)                   PSF σ × factor across and along dispersion
broad_psf_amp   AMP, factor (1.5)              the same for the light landing on one amp
broad_fibers    count (3) or list "3,7,9"      the same (× 1.5) for some fibers only
bias_pattern    AMP, ADU rms (3)               a wave along the rows added to the amp's bias
data_offset     AMP, ADU (-20)                 the data's bias differs from the overscan's
dead_fibers     count (5) or list "3,7,9"      fibers transmit nothing
missing_camera  –                              the camera's HDU is left out
truncated       fraction (0.5)                 file cut inside this camera's HDU (last)
saturated_blob  AMP, radius pixels             a saturated disk at the amp's centre
=============== ============================== =======================================
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from qlf.sim.profiles import AMPS

__all__ = ["AMP_DEFECTS", "DEFECT_KINDS", "Defect", "apply_defect", "parse_defect"]

#: Defects bound to one amplifier (default amp A).
AMP_DEFECTS = (
    "hot_amp", "dead_amp", "high_noise", "bias_jump", "saturated_blob", "broad_psf_amp",
    "bias_pattern", "data_offset",
)  # fmt: skip
#: PSF broadening of the ``broad_fibers`` defect
BROAD_FIBER_FACTOR = 1.5
#: Every kind, with its default parameters.
DEFECT_KINDS: dict[str, dict[str, Any]] = {
    "hot_amp": {"electrons": 500.0},
    "dead_amp": {},
    "high_noise": {"factor": 3.0},
    "bias_jump": {"adu": 50.0},
    "trace_shift": {"dx": 0.5, "dy": 0.5},
    "broad_psf": {"factor": 1.5},
    "broad_psf_amp": {"factor": 1.5},
    "broad_fibers": {"count": 3},
    "bias_pattern": {"adu": 3.0},
    "data_offset": {"adu": -20.0},
    "dead_fibers": {"count": 5},
    "missing_camera": {},
    "truncated": {"fraction": 0.5},
    "saturated_blob": {"radius": None},
}
_VALUE_KEY = {
    "hot_amp": "electrons",
    "high_noise": "factor",
    "bias_jump": "adu",
    "broad_psf": "factor",
    "broad_psf_amp": "factor",
    "bias_pattern": "adu",
    "data_offset": "adu",
    "truncated": "fraction",
    "saturated_blob": "radius",
}
_CAMERA = re.compile(r"^[brz]\d$")


@dataclass(frozen=True)
class Defect:
    """One injected defect of one camera (``amp`` for amplifier defects)."""

    kind: str
    camera: str
    amp: str | None = None
    params: dict[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if self.kind not in DEFECT_KINDS:
            raise ValueError(
                f"unknown defect {self.kind!r}: expected one of {', '.join(DEFECT_KINDS)}"
            )
        if not _CAMERA.match(self.camera):
            raise ValueError(f"defect {self.kind}: bad camera {self.camera!r} (expected e.g. b0)")
        if self.amp is not None and self.amp not in AMPS:
            raise ValueError(f"defect {self.kind}: bad amp {self.amp!r} (expected A, B, C or D)")

    def as_dict(self) -> dict[str, Any]:
        """The truth-file record: ``{kind, camera, amp?, params}``."""
        out: dict[str, Any] = {"kind": self.kind, "camera": self.camera}
        if self.amp is not None:
            out["amp"] = self.amp
        out["params"] = dict(self.params)
        return out


def _number(text: str, what: str) -> float:
    try:
        return float(text)
    except ValueError:
        raise ValueError(f"defect {what}: {text!r} is not a number") from None


def parse_defect(text: str) -> Defect:
    """Parse ``KIND:CAMERA[:AMP][:VALUE]`` (e.g. ``high_noise:r1:C:3``, ``trace_shift:b0:0.4,1``).

    Values: ``trace_shift`` takes ``dx,dy``; ``dead_fibers`` a count (``5``) or a comma list
    of fiber indices (``3,7,9``; ``3,`` for one fiber); others one number.
    """
    parts = [p.strip() for p in text.split(":")]
    if len(parts) < 2 or not parts[0] or not parts[1]:
        raise ValueError(f"defect {text!r}: expected KIND:CAMERA[:AMP][:VALUE]")
    kind, camera, rest = parts[0].lower(), parts[1].lower(), parts[2:]
    if kind not in DEFECT_KINDS:
        raise ValueError(f"unknown defect {kind!r}: expected one of {', '.join(DEFECT_KINDS)}")
    params = dict(DEFECT_KINDS[kind])
    amp = None
    if kind in AMP_DEFECTS:
        amp = "A"
        if rest and rest[0].upper() in AMPS:
            amp = rest.pop(0).upper()
    if len(rest) > 1 or (rest and kind in ("dead_amp", "missing_camera")):
        raise ValueError(f"defect {text!r}: too many fields for {kind}")
    if rest:
        value = rest[0]
        if kind == "trace_shift":
            numbers = [_number(v, text) for v in value.split(",") if v.strip()]
            if len(numbers) not in (1, 2):
                raise ValueError(f"defect {text!r}: trace_shift takes dx,dy")
            params = {"dx": numbers[0], "dy": numbers[1] if len(numbers) == 2 else 0.0}
        elif kind in ("dead_fibers", "broad_fibers"):
            if "," in value:
                fibers = sorted({int(_number(v, text)) for v in value.split(",") if v.strip()})
                params = {"fibers": fibers}
            else:
                params = {"count": int(_number(value, text))}
        else:
            params[_VALUE_KEY[kind]] = _number(value, text)
    if kind == "truncated" and not 0.0 < params["fraction"] < 1.0:
        raise ValueError(f"defect {text!r}: truncation fraction must lie in (0, 1)")
    return Defect(kind, camera, amp, params)


def _fibers(plan, defect: Defect, params: dict[str, Any], rng) -> list[int]:
    """The fibers of a fiber defect: the listed ones, or ``count`` drawn (written back)."""
    if "fibers" in params:
        fibers = [int(f) for f in params["fibers"]]
        bad = [f for f in fibers if not 0 <= f < plan.nfiber]
        if bad:
            raise ValueError(
                f"{defect.kind}:{defect.camera}: fibers {bad} outside 0-{plan.nfiber - 1}"
            )
        return fibers
    count = min(int(params["count"]), plan.nfiber)
    fibers = sorted(int(f) for f in rng.choice(plan.nfiber, count, replace=False))
    params["fibers"] = fibers
    return fibers


def apply_defect(plan, defect: Defect, rng: np.random.Generator) -> None:
    """Change a camera plan (:class:`qlf.sim.render.CameraPlan`) as ``defect`` prescribes.

    Resolved parameters (e.g. which fibers died) are written back into ``plan.defects``.
    """
    params = dict(defect.params)
    i = AMPS.index(defect.amp) if defect.amp else None
    kind = defect.kind
    if kind == "hot_amp":
        plan.glow[i] += params["electrons"]
    elif kind == "dead_amp":
        plan.dead_amps.add(defect.amp)
    elif kind == "high_noise":
        plan.readnoise[i] *= params["factor"]
    elif kind == "bias_jump":
        plan.bias[i] += params["adu"]
    elif kind == "trace_shift":
        plan.dx += params["dx"]
        plan.dy += params["dy"]
    elif kind == "broad_psf":
        plan.psf_factor *= params["factor"]
    elif kind in ("dead_fibers", "broad_fibers"):
        fibers = _fibers(plan, defect, params, rng)
        if kind == "dead_fibers":
            plan.dead_fibers.update(fibers)
        else:
            params["factor"] = BROAD_FIBER_FACTOR
            for fiber in fibers:
                plan.psf_fibers[fiber] = plan.psf_fibers.get(fiber, 1.0) * BROAD_FIBER_FACTOR
    elif kind == "broad_psf_amp":
        plan.psf_amps[defect.amp] = plan.psf_amps.get(defect.amp, 1.0) * params["factor"]
    elif kind == "bias_pattern":
        plan.bias_pattern[i] += params["adu"]
    elif kind == "data_offset":
        plan.data_offset[i] += params["adu"]
    elif kind == "saturated_blob":
        if params.get("radius") is None:
            params["radius"] = plan.default_blob_radius
        plan.blobs.append((defect.amp, float(params["radius"])))
    elif kind == "missing_camera":
        plan.missing = True
    elif kind == "truncated":
        plan.truncate = float(params["fraction"])
    plan.defects.append(Defect(kind, defect.camera, defect.amp, params).as_dict())
