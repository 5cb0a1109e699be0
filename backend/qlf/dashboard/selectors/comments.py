"""Comments of a process."""

from __future__ import annotations

from django.db.models import QuerySet

from qlf.dashboard.errors import ApplicationError
from qlf.dashboard.models import Process, ProcessComment

__all__ = ["comment_list"]


def comment_list(*, process_id: int) -> QuerySet[ProcessComment]:
    if not Process.objects.filter(pk=process_id).exists():
        raise ApplicationError(f"process {process_id} does not exist", status_code=404)
    return ProcessComment.objects.filter(process_id=process_id).select_related("author")
