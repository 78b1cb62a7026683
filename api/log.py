"""The question-and-answer log (accountability): who asked what, when, what was answered, from which sources.

Table `qa_log` in the project's database (SQLite or PostgreSQL), created on first use with
`CREATE TABLE IF NOT EXISTS` semantics. It lives in its own MetaData, outside the report schema.
"""

from __future__ import annotations

import json
import threading
from datetime import datetime, timezone
from typing import Any

from sqlalchemy import (Boolean, Column, DateTime, Engine, Float, Integer, MetaData, String, Table, Text, func, insert,
                        select)

metadata = MetaData()

qa_log = Table(
    "qa_log",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("at", DateTime, nullable=False, index=True),  # UTC
    Column("api_key_name", String(80), nullable=False, index=True),
    Column("question", Text, nullable=False),
    Column("answer", Text, nullable=False),
    Column("refused", Boolean, nullable=False),
    Column("grounded", Boolean, nullable=False),
    Column("sources", Text, nullable=False),  # JSON list of {section, source, lines}
    Column("backend", String(40), nullable=False),
    Column("elapsed_ms", Float, nullable=False),
)

_created: set[str] = set()
_lock = threading.Lock()


def ensure_table(engine: Engine) -> None:
    key = engine.url.render_as_string(hide_password=True)
    if key in _created:
        return
    with _lock:
        metadata.create_all(engine, tables=[qa_log], checkfirst=True)
        _created.add(key)


def sources_of(answer: Any) -> list[dict[str, Any]]:
    """The citations of an Answer as plain dicts (section, source, lines)."""
    return [{"section": c.section, "source": c.source, "lines": list(c.lines)} for c in getattr(answer, "citations", [])]


def write_answer(engine: Engine, answer: Any, *, api_key_name: str) -> int:
    """Record one answered question; returns the row id."""
    ensure_table(engine)
    row = {
        "at": datetime.now(timezone.utc).replace(tzinfo=None),
        "api_key_name": api_key_name,
        "question": answer.question,
        "answer": answer.answer,
        "refused": bool(answer.refused),
        "grounded": bool(answer.grounded),
        "sources": json.dumps(sources_of(answer), ensure_ascii=False),
        "backend": answer.backend or "",
        "elapsed_ms": float(answer.elapsed_ms or 0.0),
    }
    with engine.begin() as conn:
        return int(conn.execute(insert(qa_log).values(**row)).inserted_primary_key[0])


def recent(engine: Engine, *, limit: int = 50, offset: int = 0) -> tuple[int, list[dict[str, Any]]]:
    """Newest rows first, with `sources` decoded; and the total count."""
    ensure_table(engine)
    with engine.connect() as conn:
        total = conn.scalar(select(func.count()).select_from(qa_log)) or 0
        rows = conn.execute(select(qa_log).order_by(qa_log.c.id.desc()).limit(limit).offset(offset)).mappings().all()
    out = []
    for r in rows:
        d = dict(r)
        d["at"] = d["at"].isoformat() + "Z"
        d["sources"] = json.loads(d["sources"] or "[]")
        out.append(d)
    return int(total), out
