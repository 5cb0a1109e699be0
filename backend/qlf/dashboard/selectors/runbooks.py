"""Alarm runbooks: the shipped file ``backend/runbooks/runbooks.json`` with the versions admins
made in the browser on top (``RunbookVersion``).

A runbook belongs to a metric key (or one of :data:`SYSTEM_KEYS`, the alerts that are not about
a metric) and a scope: ``default``, a flavor (``flat``), an arm (``r``) or both (``flat/r``).
The runbook shown for an alert is the most specific one in force: ``flavor/arm``, ``flavor``,
``arm``, ``default``. Each key and scope has a history, the file's entry first.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from qlf.dashboard.errors import ApplicationError
from qlf.dashboard.models import RunbookVersion
from qlf.dashboard.selectors.files import read_json
from qlf.dashboard.selectors.mapping import FLAVORS, mapping_list
from qlf.paths import BACKEND_DIR

__all__ = [
    "RUNBOOK_FIELDS",
    "RUNBOOK_FILE",
    "SYSTEM_KEYS",
    "runbook_current",
    "runbook_file",
    "runbook_get",
    "runbook_keys",
    "runbook_scope_get",
    "runbook_scope_valid",
    "runbook_scopes",
    "runbooks_for",
]

RUNBOOK_FILE = BACKEND_DIR / "runbooks" / "runbooks.json"
RUNBOOK_FIELDS = ("alarm", "warning", "check_first", "contact")
# Alerts that are not about a QA metric: a failed camera job, an unreadable raw file, a disk.
SYSTEM_KEYS = ("CAMERA_FAILED", "EXPOSURE_UNREADABLE", "DISK_FULL")
_ARMS = ("b", "r", "z")
_CAMERA = re.compile(r"^([brz])\d\Z")


def runbook_scope_valid(scope: str) -> bool:
    """``default``, a flavor, an arm, or ``flavor/arm``."""
    flavor, slash, arm = scope.partition("/")
    if slash:
        return flavor in FLAVORS and arm in _ARMS
    return scope == "default" or scope in FLAVORS or scope in _ARMS


def runbook_scopes(*, flavor: str | None = None, camera: str | None = None) -> list[str]:
    """The scopes that apply to an alert, most specific first."""
    match = _CAMERA.match(camera or "")
    arm = match.group(1) if match else None
    flavor = flavor if flavor in FLAVORS else None
    scopes = []
    if flavor and arm:
        scopes.append(f"{flavor}/{arm}")
    if flavor:
        scopes.append(flavor)
    if arm:
        scopes.append(arm)
    return [*scopes, "default"]


def runbook_file(path: Path | None = None) -> dict[str, Any]:
    """The shipped runbooks, checked: a ValueError names the file and the faulty entry."""
    path = path or RUNBOOK_FILE
    document = read_json(path)
    seen = set()
    for i, entry in enumerate(document.get("entries", [])):
        where = f"{path.name} entry {i} ({entry.get('key')!r})"
        if not isinstance(entry.get("key"), str) or not runbook_scope_valid(
            str(entry.get("scope", ""))
        ):
            raise ValueError(f"{where}: needs a key and a valid scope")
        if any(not str(entry.get(f) or "").strip() for f in RUNBOOK_FIELDS):
            raise ValueError(f"{where}: needs {', '.join(RUNBOOK_FIELDS)}")
        if (entry["key"], entry["scope"]) in seen:
            raise ValueError(f"{where}: scope {entry['scope']!r} given twice")
        seen.add((entry["key"], entry["scope"]))
    return document


def runbook_keys() -> set[str]:
    """Keys a runbook may be written for: every metric of the ql_mapping, the system alerts and
    whatever the shipped file covers."""
    keys = set(SYSTEM_KEYS) | {e["key"] for e in runbook_file()["entries"]}
    for mapping in mapping_list().values():
        for step in mapping.get("steps", []):
            keys.update(q["key"] for q in step.get("qa", []))
    return keys


def runbook_current() -> list[dict[str, Any]]:
    """The runbook in force of every key and scope, by key then scope."""
    current = {(e["key"], e["scope"]): e for e in _file_entries()}
    for edit in RunbookVersion.objects.select_related("author").order_by("id"):
        current[(edit.key, edit.scope)] = _edit_entry(edit)
    return [current[k] for k in sorted(current, key=lambda k: (k[0], k[1] != "default", k[1]))]


def runbook_get(*, key: str, flavor: str | None = None, camera: str | None = None) -> dict:
    """The runbook shown for an alert of ``key`` on ``camera`` of a ``flavor`` exposure, with
    the history of its scope (newest first) and the other scopes of the key; 404 if none."""
    entries = [e for e in runbook_current() if e["key"] == key]
    scopes = {e["scope"] for e in entries}
    for scope in runbook_scopes(flavor=flavor, camera=camera):
        if scope in scopes:
            return _with_history(entries, scope)
    raise ApplicationError(f"no runbook for {key!r}", status_code=404)


def runbook_scope_get(*, key: str, scope: str) -> dict:
    """The runbook in force of ``key`` for exactly ``scope``, with its history; 404 if none."""
    entries = [e for e in runbook_current() if e["key"] == key]
    if scope not in {e["scope"] for e in entries}:
        raise ApplicationError(f"no runbook for {key!r} ({scope})", status_code=404)
    return _with_history(entries, scope)


def runbooks_for(keys: list[str], *, flavor: str | None = None) -> list[dict[str, Any]]:
    """The runbooks in force for ``keys`` (the flavor's scope, else the default), in order."""
    found = []
    for key in dict.fromkeys(keys):
        try:
            found.append(runbook_get(key=key, flavor=flavor))
        except ApplicationError:
            continue
    return found


def _with_history(entries: list[dict[str, Any]], scope: str) -> dict[str, Any]:
    found = next(e for e in entries if e["scope"] == scope)
    return {
        **found,
        "history": _history(found["key"], scope),
        "scopes": [e["scope"] for e in entries],
    }


def _file_entries() -> list[dict[str, Any]]:
    document = runbook_file()
    return [
        {
            "key": e["key"],
            "scope": e["scope"],
            **{f: e[f] for f in RUNBOOK_FIELDS},
            "version": document.get("version", "file"),
            "source": "file",
            "author": document.get("author", ""),
            "created": None,
            "note": document.get("note", ""),
            "base_version": None,
        }
        for e in document.get("entries", [])
    ]


def _edit_entry(edit: RunbookVersion) -> dict[str, Any]:
    return {
        "key": edit.key,
        "scope": edit.scope,
        **{f: getattr(edit, f) for f in RUNBOOK_FIELDS},
        "version": edit.version,
        "source": "database",
        "author": edit.author.username if edit.author else "(deleted user)",
        "created": edit.created.isoformat(),
        "note": edit.note,
        "base_version": edit.base_version,
    }


def _history(key: str, scope: str) -> list[dict[str, Any]]:
    edits = RunbookVersion.objects.filter(key=key, scope=scope).select_related("author")
    shipped = [e for e in _file_entries() if e["key"] == key and e["scope"] == scope]
    return [_edit_entry(e) for e in edits.order_by("-id")] + shipped
