"""One multi-row INSERT for hot ingestion paths, without building model instances.

On Postgres the rows travel as one array per column (``UNNEST``), so the statement has one
parameter per column whatever the number of rows; elsewhere a plain multi-row VALUES.
"""

from __future__ import annotations

from collections.abc import Sequence

from django.db import connection

__all__ = ["insert_rows"]


def insert_rows(
    table: str,
    columns: Sequence[str],
    pg_types: Sequence[str],
    rows: Sequence[Sequence],
    *,
    on_conflict: str = "",
) -> None:
    """INSERT ``rows`` into ``table``; ``on_conflict`` is appended (``ON CONFLICT ...``)."""
    if not rows:
        return
    q = connection.ops.quote_name
    names = ", ".join(q(c) for c in columns)
    if connection.vendor == "postgresql":
        source = "SELECT * FROM UNNEST(" + ", ".join(f"%s::{t}[]" for t in pg_types) + ")"
        params = [list(column) for column in zip(*rows, strict=True)]
    else:
        source = "VALUES " + ", ".join(["(" + ", ".join(["%s"] * len(columns)) + ")"] * len(rows))
        params = [value for row in rows for value in row]
    with connection.cursor() as cursor:
        cursor.execute(f"INSERT INTO {q(table)} ({names}) {source} {on_conflict}", params)
