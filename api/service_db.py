"""The service's own tables (created by migration 0005 in knowledge/migrations/versions).

They hold who may call the API (`api_keys`), what every request did (`request_log`), which
conversation belongs to which key (`api_sessions`) and the shared rate-limit counters
(`rate_counters`). They live in their own MetaData, apart from the report schema.
"""

from __future__ import annotations

from datetime import datetime, timezone

from sqlalchemy import BigInteger, Boolean, Column, DateTime, Float, Integer, MetaData, String, Table, Text

metadata = MetaData()

api_keys = Table(
    "api_keys", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("name", String(80), nullable=False, unique=True),
    Column("key_id", String(16), nullable=False, unique=True),  # the public part of the key, for lookup
    Column("role", String(10), nullable=False),
    Column("salt", String(64), nullable=False),
    Column("hash", String(128), nullable=False),  # scrypt(secret, salt)
    Column("rate_limit", Integer, nullable=True),  # requests per minute; None = the setting
    Column("created_at", DateTime, nullable=False),
    Column("revoked_at", DateTime, nullable=True),
)

request_log = Table(
    "request_log", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("request_id", String(32), nullable=False, unique=True),
    Column("at", DateTime, nullable=False, index=True),  # UTC, when the request arrived
    Column("key_name", String(80), nullable=True, index=True),
    Column("client", String(64), nullable=True),
    Column("method", String(10), nullable=False),
    Column("route", String(200), nullable=False, index=True),  # the path, never the query
    Column("status", Integer, nullable=False, index=True),
    Column("question", Text, nullable=True),
    Column("answer", Text, nullable=True),
    Column("refused", Boolean, nullable=True),
    Column("grounded", Boolean, nullable=True),
    Column("citations", Text, nullable=True),  # JSON list of {section, source, lines}
    Column("backend", String(40), nullable=True),
    Column("session_id", String(200), nullable=True),
    Column("error", Text, nullable=True),
    Column("latency_ms", Float, nullable=False),
)

api_sessions = Table(
    "api_sessions", metadata,
    Column("thread_id", String(300), primary_key=True),  # "<key name>/<session_id>": the checkpointer's thread
    Column("key_name", String(80), nullable=False),
    Column("created_at", DateTime, nullable=False),
    Column("last_used_at", DateTime, nullable=False, index=True),
)

rate_counters = Table(
    "rate_counters", metadata,
    Column("bucket", String(200), primary_key=True),
    Column("window", BigInteger, primary_key=True),  # window number: epoch seconds // window length
    Column("hits", Integer, nullable=False),
)


def utcnow() -> datetime:
    """Naive UTC, as every DateTime column here stores it."""
    return datetime.now(timezone.utc).replace(tzinfo=None)
