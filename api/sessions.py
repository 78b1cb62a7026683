"""Conversations belong to the key that opened them.

The checkpointer's thread of a conversation is `<key name>/<session_id>`: another key sending
the same `session_id` reaches a thread of its own, so it starts a fresh conversation and never
sees the first key's context. `api_sessions` records each thread's owner and last use, for
retention (`prune`), which also deletes the conversation's checkpoints.
"""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta

from sqlalchemy import Engine, delete, select, update
from sqlalchemy.exc import IntegrityError

from hrd.settings import Settings

from .service_db import api_sessions, utcnow


def new_session_id() -> str:
    return uuid.uuid4().hex


def thread_for(engine: Engine, key_name: str, session_id: str) -> str:
    """The checkpointer thread of `session_id` for `key_name`, recorded as used now."""
    thread = f"{key_name}/{session_id}"
    now = utcnow()
    with engine.begin() as conn:
        res = conn.execute(update(api_sessions).where(api_sessions.c.thread_id == thread).values(last_used_at=now))
        if res.rowcount == 0:
            try:
                with conn.begin_nested():
                    conn.execute(api_sessions.insert().values(thread_id=thread, key_name=key_name, created_at=now,
                                                              last_used_at=now))
            except IntegrityError:  # another worker recorded it at the same moment
                pass
    return thread


def prune(engine: Engine, settings: Settings, days: int, *, now: datetime | None = None) -> int:
    """Delete the conversations not used for `days` days (0 keeps everything); the number deleted."""
    if days <= 0:
        return 0
    from assistant.agent import delete_conversations

    cutoff = (now or utcnow()) - timedelta(days=days)
    with engine.connect() as conn:
        threads = list(conn.scalars(select(api_sessions.c.thread_id).where(api_sessions.c.last_used_at < cutoff)))
    delete_conversations(settings, threads)
    with engine.begin() as conn:
        conn.execute(delete(api_sessions).where(api_sessions.c.thread_id.in_(threads)))
    return len(threads)
