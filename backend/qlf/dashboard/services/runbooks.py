"""Editing a runbook: each edit is a new version, with its author, date and note, audited."""

from __future__ import annotations

from django.db import transaction

from qlf.dashboard.errors import ApplicationError
from qlf.dashboard.models import RunbookVersion
from qlf.dashboard.selectors.runbooks import (
    RUNBOOK_FIELDS,
    runbook_current,
    runbook_keys,
    runbook_scope_get,
    runbook_scope_valid,
)
from qlf.dashboard.services.audit import audit_record

__all__ = ["runbook_edit"]


@transaction.atomic
def runbook_edit(
    *, key: str, scope: str, texts: dict[str, str], note: str, base_version: str, user
) -> dict:
    """A new version of the runbook of ``key`` for ``scope``.

    ``base_version`` is the version the admin started from: if that scope's runbook changed
    since (someone else saved first), the edit is refused (409) rather than silently lost.
    """
    if key not in runbook_keys():
        raise ApplicationError(f"no QA metric or alert has the key {key!r}", extra={"field": "key"})
    if not runbook_scope_valid(scope):
        raise ApplicationError(
            "scope must be default, a flavor, an arm (b, r, z) or flavor/arm",
            extra={"field": "scope"},
        )
    texts = {f: (texts.get(f) or "").strip() for f in RUNBOOK_FIELDS}
    for field, text in texts.items():
        if not text:
            raise ApplicationError(f"{field} must not be empty", extra={"field": field})
    if not note.strip():
        raise ApplicationError("a runbook change needs a note", extra={"field": "note"})
    current = next((e for e in runbook_current() if e["key"] == key and e["scope"] == scope), None)
    if current is not None and base_version != current["version"]:
        raise ApplicationError(
            f"the runbook of {key} ({scope}) was changed meanwhile by {current['author']} "
            f"(version {current['version']}): reload it and edit again",
            status_code=409,
        )
    before = {f: current[f] for f in RUNBOOK_FIELDS} if current else {}
    changed = [f for f, text in texts.items() if before.get(f) != text]
    if not changed:
        raise ApplicationError("nothing changed", extra={"field": "alarm"})
    edit = RunbookVersion.objects.create(
        key=key, scope=scope, **texts, note=note.strip(), base_version=base_version, author=user
    )
    audit_record(
        user=user,
        action="runbook.edit",
        target=f"runbook {key} {scope}",
        detail={
            "key": key,
            "scope": scope,
            "version": edit.version,
            "base_version": base_version,
            "note": edit.note,
            "changed": changed,
        },
    )  # fmt: skip  (the texts themselves are the versions: base_version and version)
    return runbook_scope_get(key=key, scope=scope)
