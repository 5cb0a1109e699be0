"""Which exposure and camera a file holds, by its path and by its headers (DESIGN.md 4.3).

The path ``{NIGHT}/{EXPID:08d}/desi-{EXPID:08d}.fits.fz``, the ``SPEC`` HDU and the camera HDU
each name an EXPID, a NIGHT and (the camera HDU) a CAMERA. They must agree; when they do not,
the path wins — results are filed under the path's identity, so a mislabelled copy never
overwrites the exposure its headers name — and the disagreement is graded (CHECKHDUS).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

__all__ = ["Identity", "path_identity"]

_RAW_NAME = re.compile(r"^desi-(\d+)\.fits(\.fz)?$")
_NIGHT = re.compile(r"^\d{8}$")


def path_identity(path: Path | str) -> tuple[int | None, int | None]:
    """(night, expid) named by a raw file's path; None for a part the path does not give."""
    path = Path(path)
    match = _RAW_NAME.match(path.name)
    expid = int(match.group(1)) if match else None
    night_dir = path.parent.parent.name
    night = int(night_dir) if _NIGHT.match(night_dir) else None
    return night, expid


def _int(value: Any) -> int | None:
    try:
        return int(str(value).strip())
    except (TypeError, ValueError):
        return None


@dataclass(frozen=True)
class Identity:
    """The identity of one camera of one raw file as each source states it.

    ``hdu`` is None when the file has no HDU for ``camera`` (``missing`` says why).
    """

    camera: str
    path: str
    path_night: int | None
    path_expid: int | None
    spec_night: int | None
    spec_expid: int | None
    hdu: dict[str, Any] | None = None
    present: list[str] = field(default_factory=list)
    missing: str | None = None

    @classmethod
    def of(cls, path: Path | str, camera: str, spec_header, **kwargs) -> Identity:
        night, expid = path_identity(path)
        return cls(
            camera=camera.lower(),
            path=str(path),
            path_night=night,
            path_expid=expid,
            spec_night=_int(spec_header.get("NIGHT")),
            spec_expid=_int(spec_header.get("EXPID")),
            **kwargs,
        )

    def with_hdu(self, header) -> Identity:
        """This identity with the camera HDU's keywords (those it has)."""
        hdu = {
            "EXPID": _int(header.get("EXPID")) if "EXPID" in header else None,
            "NIGHT": _int(header.get("NIGHT")) if "NIGHT" in header else None,
            "CAMERA": str(header["CAMERA"]).strip().lower() if "CAMERA" in header else None,
        }
        return Identity(**{**self.__dict__, "hdu": hdu})

    @property
    def night(self) -> int:
        """The night results are filed under: the path's, else the SPEC header's."""
        return self.path_night if self.path_night is not None else (self.spec_night or 0)

    @property
    def expid(self) -> int:
        """The EXPID results are filed under: the path's, else the SPEC header's."""
        return self.path_expid if self.path_expid is not None else (self.spec_expid or 0)

    def problems(self) -> list[str]:
        """One sentence per disagreement (naming both values) or missing HDU; empty if none."""
        found = []
        name = self.camera.upper()
        if self.missing is not None:
            present = ", ".join(self.present) or "none"
            found.append(
                f"no HDU {name} in {Path(self.path).name} (cameras present: {present}); "
                f"{self.missing}"
            )
        hdu = self.hdu or {}
        for label, stated in (
            ("NIGHT", [("path", self.path_night), ("SPEC header", self.spec_night),
                       (f"{name} header", hdu.get("NIGHT"))]),
            ("EXPID", [("path", self.path_expid), ("SPEC header", self.spec_expid),
                       (f"{name} header", hdu.get("EXPID"))]),
        ):  # fmt: skip
            known = [(where, value) for where, value in stated if value is not None]
            if not known:
                continue
            ref_where, ref = known[0]  # the path, else the SPEC header
            found.extend(
                f"{label}: the {ref_where} says {ref}, the {where} says {value}"
                for where, value in known[1:]
                if value != ref
            )
        hdu_camera = self.hdu.get("CAMERA") if self.hdu else None
        if hdu_camera is not None and hdu_camera != self.camera:
            found.append(f"CAMERA: the HDU is {name}, its CAMERA keyword says {hdu_camera!r}")
        return found

    def as_dict(self) -> dict[str, Any]:
        """The identity as written in the QA JSON (CHECKHDUS's auxiliary data)."""
        return {
            "PATH": {"NIGHT": self.path_night, "EXPID": self.path_expid, "CAMERA": self.camera},
            "SPEC": {"NIGHT": self.spec_night, "EXPID": self.spec_expid},
            "HDU": self.hdu,
            "CAMERAS_PRESENT": list(self.present),
        }
