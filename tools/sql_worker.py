"""The child-process side of the guarded SQL tool on SQLite (tools/sql.py): one query on a read-only
connection. Standard library only: the forked child needs nothing else."""

from __future__ import annotations

import sqlite3
import time


def run_query(uri: str, sql: str, max_rows: int, limit_s: float, max_value_bytes: int, out) -> None:
    """Send ("ok", columns, rows) or ("error", message, timed_out) through the pipe end `out`."""
    try:
        conn = sqlite3.connect(uri, uri=True, timeout=5)
        conn.setlimit(sqlite3.SQLITE_LIMIT_LENGTH, max_value_bytes)
        conn.setlimit(sqlite3.SQLITE_LIMIT_ATTACHED, 0)
        conn.execute("PRAGMA query_only = ON")  # belt and braces: mode=ro already refuses writes
        deadline = time.monotonic() + limit_s
        conn.set_progress_handler(lambda: 1 if time.monotonic() > deadline else 0, 1000)
        try:
            cur = conn.execute(sql)
            columns = [d[0] for d in cur.description or []]
            out.send(("ok", columns, cur.fetchmany(max_rows + 1)))
        except sqlite3.Error as e:
            out.send(("error", str(e), time.monotonic() > deadline))
        except MemoryError:
            out.send(("error", "too big: out of memory", False))
    finally:
        out.close()
