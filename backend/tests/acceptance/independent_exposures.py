"""The exposures of the acceptance tests, written by the independent DESI-format writer."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from desi_writer import Camera, Exposure

SPECS_MINI = Path(__file__).resolve().parents[2] / "specs" / "mini"
NIGHT = 20261122
CAMERAS = ("b0", "r0", "z0")
DEAD = (3, 17)


def _cameras(**overrides) -> list[Camera]:
    base = {"b0": {"dead_fibers": DEAD}, "r0": {}, "z0": {"xsigma": 1.10, "wsigma": 1.15}}
    return [Camera(c, **{**base[c], **overrides.get(c, {})}) for c in CAMERAS]


#: name → the exposure (expid, flavor, program, exptime, per-camera overrides, extras)
EXPOSURES = {
    "zero": Exposure(1, NIGHT, "zero", exptime=0.0, cameras=_cameras()),
    # r0's traces 0.4 px right of the PSF: inside a flat's NORMAL ±0.6
    "flat": Exposure(2, NIGHT, "flat", exptime=10.0, cameras=_cameras(r0={"dx": 0.4})),
    "arc": Exposure(3, NIGHT, "arc", exptime=10.0, cameras=_cameras()),
    "arc_shifted": Exposure(
        4, NIGHT, "arc", exptime=10.0,
        cameras=_cameras(b0={"dx": 0.3, "dy": -0.5}, r0={"dy": -0.5}, z0={"dx": -0.25}),
    ),
    "dark": Exposure(5, NIGHT, "science", "DARK", exptime=900.0, cameras=_cameras()),
    "bright": Exposure(6, NIGHT, "science", "BRIGHT", exptime=300.0, cameras=_cameras(),
                       moon_mag=18.6),
    "loss": Exposure(7, NIGHT, "science", "DARK", exptime=900.0, cameras=_cameras(
        b0={"transmission": 0.5}, r0={"transmission": 0.5}, z0={"transmission": 0.5})),
    "missing_hdu": Exposure(8, NIGHT, "science", "DARK", exptime=900.0, cameras=_cameras(),
                            omit_hdus=("Z0",)),
}  # fmt: skip


@dataclass
class Processed:
    exposure: Exposure
    raw: Path
    truth: dict
    qa: dict

    def metrics(self, camera: str) -> dict:
        out = {}
        for step in self.qa[camera]["TASKS"].values():
            out.update(step["METRICS"])
        return out

    def statuses(self, camera: str) -> dict[str, str]:
        return {k[:-7]: v for k, v in self.metrics(camera).items() if k.endswith("_STATUS")}
