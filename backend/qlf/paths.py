"""The folders of the QLF source tree, found in one place (imports nothing of QLF)."""

from __future__ import annotations

from pathlib import Path

__all__ = ["BACKEND_DIR", "MAPPING_DIR", "REPO_DIR", "SPECS_ROOT"]

#: ``backend/``: the Python project (pyproject.toml, ql_mapping/, specs/, tests/).
BACKEND_DIR = Path(__file__).resolve().parent.parent
#: The repository: start.sh, frontend/, docs/, var/.
REPO_DIR = BACKEND_DIR.parent
#: Threshold files, one folder per instrument profile (``desi``, ``mini``).
SPECS_ROOT = BACKEND_DIR / "specs"
#: The ql_mapping JSON files, one per flavor (DESIGN.md 4.5).
MAPPING_DIR = BACKEND_DIR / "ql_mapping"
