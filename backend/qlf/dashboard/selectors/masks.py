"""Known-bad masks: those in force on a camera and night, and the list of the screen."""

from __future__ import annotations

from django.db.models import Q

from qlf.dashboard.errors import ApplicationError
from qlf.dashboard.models import Mask

__all__ = ["mask_get", "mask_list", "masks_on"]


def masks_on(*, camera: str, night: int) -> list[Mask]:
    """The masks of ``camera`` that cover ``night``."""
    return list(
        Mask.objects.filter(camera=camera, night_from__lte=night).filter(
            Q(night_to__isnull=True) | Q(night_to__gte=night)
        )
    )


def mask_list(*, active_on: int | None = None, include_ended: bool = True) -> list[Mask]:
    """Every mask, newest first; ``active_on`` keeps those covering that night."""
    masks = Mask.objects.select_related("created_by")
    if active_on is not None:
        masks = masks.filter(night_from__lte=active_on).filter(
            Q(night_to__isnull=True) | Q(night_to__gte=active_on)
        )
    if not include_ended:
        masks = masks.filter(ended__isnull=True)
    return list(masks)


def mask_get(*, mask_id: int) -> Mask:
    mask = Mask.objects.select_related("created_by").filter(pk=mask_id).first()
    if mask is None:
        raise ApplicationError(f"mask {mask_id} does not exist", status_code=404)
    return mask
