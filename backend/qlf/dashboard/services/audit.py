"""The audit log of operations: who created, modified or ended what, and when."""

from __future__ import annotations

from typing import Any

from qlf.dashboard.models import AuditEntry

__all__ = ["audit_record"]


def audit_record(*, user, action: str, target: str, detail: dict[str, Any]) -> AuditEntry:
    """One entry (``action`` like ``mask.create``), in the caller's transaction; ``user`` is a
    user or a name (the daemon acts for a user it knows by name)."""
    author = (user if isinstance(user, str) else getattr(user, "username", "")) or "system"
    return AuditEntry.objects.create(author=author, action=action, target=target, detail=detail)
