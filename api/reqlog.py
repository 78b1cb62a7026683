"""The accountability log: one `request_log` row for every API request, answered or rejected.

A row says who (the key's name), when, from which address, which route (the path, never the
query string), the status, and for questions the question, answer, refusal, grounding, citations,
backend and session; plus the error message of a rejected request and the latency.

The outer middleware (api.middleware.RequestLogMiddleware) writes the row when the response has
been sent; route handlers and dependencies add what they know with `note(request, …)`.
"""

from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from fastapi import Request
from sqlalchemy import Engine, delete, func, insert, select

from .service_db import request_log, utcnow

LOG_STATE = "hrd_log"
COLUMNS = [c.name for c in request_log.columns]


def note(request: Request, **fields: Any) -> None:
    """Add fields to this request's log row (no-op outside the logging middleware)."""
    row = request.scope.get("state", {}).get(LOG_STATE)
    if row is not None:
        row.update(fields)


def answer_fields(answer: Any) -> dict[str, Any]:
    """The log fields of an assistant Answer."""
    cites = [{"section": c.section, "source": c.source, "lines": list(c.lines)} for c in answer.citations]
    return {"question": answer.question, "answer": answer.answer, "refused": bool(answer.refused),
            "grounded": bool(answer.grounded), "citations": json.dumps(cites, ensure_ascii=False),
            "backend": answer.backend or None}


def write_row(engine: Engine, row: dict[str, Any]) -> None:
    values = {k: v for k, v in row.items() if k in COLUMNS and k != "id"}
    with engine.begin() as conn:
        conn.execute(insert(request_log).values(**values))


@dataclass
class LogFilter:
    """Which log rows to list (every field optional)."""

    key_name: str | None = None
    status: int | None = None
    route: str | None = None
    since: datetime | None = None
    until: datetime | None = None
    refused: bool | None = None
    questions_only: bool = False

    def where(self) -> list:
        c = request_log.c
        conds = []
        if self.key_name:
            conds.append(c.key_name == self.key_name)
        if self.status is not None:
            conds.append(c.status == self.status)
        if self.route:
            conds.append(c.route == self.route)
        if self.since:
            conds.append(c.at >= self.since)
        if self.until:
            conds.append(c.at < self.until)
        if self.refused is not None:
            conds.append(c.refused.is_(self.refused))
        if self.questions_only:
            conds.append(c.question.is_not(None))
        return conds


def _plain(row: Any) -> dict[str, Any]:
    d = dict(row)
    d["at"] = d["at"].isoformat(timespec="milliseconds") + "Z"
    d["citations"] = json.loads(d["citations"]) if d.get("citations") else []
    return d


def query(engine: Engine, flt: LogFilter | None = None, *, limit: int = 50, offset: int = 0) -> tuple[int, list[dict[str, Any]]]:
    """The total matching `flt` and one page of rows, newest first."""
    conds = (flt or LogFilter()).where()
    with engine.connect() as conn:
        total = conn.scalar(select(func.count()).select_from(request_log).where(*conds)) or 0
        rows = conn.execute(select(request_log).where(*conds).order_by(request_log.c.id.desc())
                            .limit(limit).offset(offset)).mappings().all()
    return int(total), [_plain(r) for r in rows]


def to_csv(rows: list[dict[str, Any]]) -> str:
    """Rows as CSV (UTF-8 text; citations as `section:lines` joined by ' | ')."""
    out = io.StringIO()
    w = csv.DictWriter(out, fieldnames=COLUMNS, extrasaction="ignore")
    w.writeheader()
    for r in rows:
        cites = " | ".join(f"{c['section']}:{'-'.join(map(str, c['lines']))}" for c in r.get("citations") or [])
        w.writerow({**r, "citations": cites})
    return out.getvalue()


def prune(engine: Engine, days: int, *, now: datetime | None = None) -> int:
    """Delete log rows older than `days` days (0 keeps everything); the number deleted."""
    if days <= 0:
        return 0
    cutoff = (now or utcnow()) - timedelta(days=days)
    with engine.begin() as conn:
        return conn.execute(delete(request_log).where(request_log.c.at < cutoff)).rowcount or 0
