"""Reading the audit log."""

from __future__ import annotations

from qlf.dashboard.models import AuditEntry

__all__ = ["audit_list"]


def audit_list(*, action_prefix: str = "", limit: int = 200) -> list[AuditEntry]:
    """The newest entries first; ``action_prefix`` (``mask.``) keeps one kind."""
    entries = AuditEntry.objects.all()
    if action_prefix:
        entries = entries.filter(action__startswith=action_prefix)
    return list(entries[:limit])
