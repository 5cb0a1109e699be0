"""Known-bad masks: create, modify and end them; each change is audited and re-applied."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta

from django.db import transaction
from django.utils import timezone

from qlf.dashboard.errors import ApplicationError
from qlf.dashboard.models import Mask
from qlf.dashboard.services.audit import audit_record
from qlf.dashboard.services.mask_statuses import masks_reapply

__all__ = ["mask_create", "mask_end", "mask_update", "tonight"]

_CAMERA = re.compile(r"^[brz]\d\Z")
_KEY = re.compile(r"^[A-Z0-9_]{1,32}\Z")
_AMPS = ("A", "B", "C", "D")


def tonight() -> int:
    """The current night (UTC date, YYYYMMDD), as the specs selector counts it."""
    return int(datetime.now(UTC).strftime("%Y%m%d"))


@transaction.atomic
def mask_create(
    *,
    camera: str,
    reason: str,
    night_from: int,
    night_to: int | None = None,
    amp: str = "",
    fiber: int | None = None,
    metrics: list[str] | None = None,
    user,
) -> Mask:
    """Mask a camera, or one amp or fiber of it, on nights ``night_from``–``night_to``."""
    mask = Mask(
        camera=camera.lower(),
        amp=amp.upper(),
        fiber=fiber,
        metrics=sorted(set(metrics or [])),
        night_from=night_from,
        night_to=night_to,
        reason=reason.strip(),
        created_by=user,
    )
    _validate(mask)
    mask.save()
    audit_record(user=user, action="mask.create", target=f"mask {mask.pk}", detail=_state(mask))
    masks_reapply(camera=mask.camera, night_from=mask.night_from, night_to=mask.night_to)
    return mask


@transaction.atomic
def mask_update(
    *,
    mask_id: int,
    user,
    reason: str | None = None,
    night_from: int | None = None,
    night_to: int | None = None,
    clear_night_to: bool = False,
    metrics: list[str] | None = None,
) -> Mask:
    """Change a mask's reason, nights or metrics (its target stays: mask another one)."""
    mask = _locked(mask_id)
    before = _state(mask)
    old_range = (mask.night_from, mask.night_to)
    if reason is not None:
        mask.reason = reason.strip()
    if night_from is not None:
        mask.night_from = night_from
    if night_to is not None or clear_night_to:
        mask.night_to = night_to
    if metrics is not None:
        mask.metrics = sorted(set(metrics))
    _validate(mask)
    mask.save()
    after = _state(mask)
    changes = {k: [before[k], after[k]] for k in after if before[k] != after[k]}
    audit_record(user=user, action="mask.modify", target=f"mask {mask.pk}", detail=changes)
    _reapply(mask, old_range)
    return mask


@transaction.atomic
def mask_end(*, mask_id: int, user, last_night: int | None = None, note: str = "") -> Mask:
    """End a mask: ``last_night`` (default: the night before tonight) is its last night."""
    mask = _locked(mask_id)
    if mask.ended is not None:
        raise ApplicationError(f"mask {mask_id} has already ended", status_code=409)
    old_range = (mask.night_from, mask.night_to)
    last = last_night if last_night is not None else _night_before(tonight())
    if mask.night_to is None or last < mask.night_to:
        mask.night_to = last
    mask.ended = timezone.now()
    mask.save(update_fields=["night_to", "ended"])
    detail = {"night_to": mask.night_to, "note": note.strip()}
    audit_record(user=user, action="mask.end", target=f"mask {mask.pk}", detail=detail)
    _reapply(mask, old_range)
    return mask


def _reapply(mask: Mask, old_range: tuple[int, int | None]) -> None:
    low = min(old_range[0], mask.night_from)
    high = None if None in (old_range[1], mask.night_to) else max(old_range[1], mask.night_to)
    masks_reapply(camera=mask.camera, night_from=low, night_to=high)


def _locked(mask_id: int) -> Mask:
    mask = Mask.objects.select_for_update().filter(pk=mask_id).first()
    if mask is None:
        raise ApplicationError(f"mask {mask_id} does not exist", status_code=404)
    return mask


def _validate(mask: Mask) -> None:
    if not _CAMERA.match(mask.camera):
        raise ApplicationError(f"camera {mask.camera!r} is not like r3", extra={"field": "camera"})
    if mask.amp and mask.amp not in _AMPS:
        raise ApplicationError(f"amp must be one of {', '.join(_AMPS)}", extra={"field": "amp"})
    if mask.amp and mask.fiber is not None:
        raise ApplicationError("mask an amp or a fiber, not both", extra={"field": "fiber"})
    if mask.fiber is not None and not 0 <= mask.fiber < 500:
        raise ApplicationError("fiber is its index in the camera, 0-499", extra={"field": "fiber"})
    bad = [k for k in mask.metrics if not isinstance(k, str) or not _KEY.match(k)]
    if bad:
        raise ApplicationError(f"not metric keys: {bad}", extra={"field": "metrics"})
    if not mask.reason:
        raise ApplicationError("a mask needs a reason", extra={"field": "reason"})
    if mask.night_to is not None and mask.night_to < mask.night_from:
        raise ApplicationError("night_to is before night_from", extra={"field": "night_to"})


def _state(mask: Mask) -> dict:
    return {
        "target": mask.target,
        "metrics": list(mask.metrics),
        "night_from": mask.night_from,
        "night_to": mask.night_to,
        "reason": mask.reason,
    }


def _night_before(night: int) -> int:
    day = date(night // 10000, night // 100 % 100, night % 100) - timedelta(days=1)
    return day.year * 10000 + day.month * 100 + day.day
