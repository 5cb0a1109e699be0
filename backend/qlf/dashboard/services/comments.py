"""Comments operators leave on a process."""

from __future__ import annotations

from django.db import transaction

from qlf.dashboard.errors import ApplicationError
from qlf.dashboard.models import Process, ProcessComment

__all__ = ["comment_create"]


@transaction.atomic
def comment_create(*, process_id: int, author, text: str) -> ProcessComment:
    text = text.strip()
    if not text:
        raise ApplicationError("a comment needs text", extra={"field": "text"})
    if not Process.objects.filter(pk=process_id).exists():
        raise ApplicationError(f"process {process_id} does not exist", status_code=404)
    return ProcessComment.objects.create(process_id=process_id, author=author, text=text)
