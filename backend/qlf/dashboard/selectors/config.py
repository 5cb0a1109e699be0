"""The configuration in force, without secrets."""

from __future__ import annotations

from typing import Any

from django.conf import settings

from qlf import __version__

__all__ = ["config_get"]


def config_get() -> dict[str, Any]:
    qlf = settings.QLF
    return {
        "version": __version__,
        "debug": settings.DEBUG,
        "database": settings.DATABASES["default"]["ENGINE"].rsplit(".", 1)[-1],
        "channel_layer": settings.CHANNEL_LAYERS["default"]["BACKEND"].rsplit(".", 1)[-1],
        "executor": qlf["EXECUTOR"],
        "pipeline_configured": bool(qlf["PIPELINE_URL"]),
        "data_dir": str(qlf["DATA_DIR"]),
        "scratch_dir": str(qlf["SCRATCH_DIR"]),
        "calib_dir": str(qlf["CALIB_DIR"]),
        "specs_dir": str(qlf["SPECS_DIR"]),
        "mapping_dir": str(qlf["MAPPING_DIR"]),
        "time_zone": settings.TIME_ZONE,
        "notifications": _notifications(qlf.get("NOTIFY")),
    }


def _notifications(notify) -> dict[str, Any]:
    """Whether unacknowledged ALARMs leave the site, how and when (never an address or URL)."""
    if notify is None:
        return {"email": False, "webhook": False}
    return {
        "email": notify.email,
        "webhook": notify.webhook,
        "after_s": notify.after_s,
        "max_per_hour": notify.max_per_hour,
    }
