"""Fixed-window request counters shared by every worker: in the database by default, in Redis
when `HRD_REDIS_URL` is set. Both count hits per (bucket, window number) atomically.

    store = open_store(settings, engine)
    hits, retry_after = store.incr("key:김주무관", window=60)   # this request counted
    hits, retry_after = store.peek("authfail:127.0.0.1", window=60)

Buckets: `key:<name>` (requests of one key), `authfail:<address>` (failed authentications).
"""

from __future__ import annotations

import time
from typing import Protocol

from sqlalchemy import Engine, delete, select
from sqlalchemy.dialects import postgresql, sqlite

from hrd.settings import Settings

from .errors import UnavailableError
from .service_db import rate_counters

REDIS_DOWN = "요청 한도 저장소(Redis)에 연결할 수 없습니다. 잠시 후 다시 시도하세요."


class RateStore(Protocol):
    def incr(self, bucket: str, window: int) -> tuple[int, int]:
        """Count one hit; (hits in this window so far, seconds until the window ends)."""

    def peek(self, bucket: str, window: int) -> tuple[int, int]:
        """(hits in this window, seconds until it ends) without counting."""


def _window(window: int, now: float | None = None) -> tuple[int, int]:
    now = time.time() if now is None else now
    number = int(now // window)
    return number, max(1, int((number + 1) * window - now + 0.999))


class DatabaseStore:
    """Counters in `rate_counters` (one upsert per hit; SQLite and PostgreSQL)."""

    def __init__(self, engine: Engine):
        self.engine = engine
        self._calls = 0
        dialect = engine.dialect.name
        self._insert = postgresql.insert if dialect == "postgresql" else sqlite.insert

    def incr(self, bucket: str, window: int) -> tuple[int, int]:
        number, retry = _window(window)
        stmt = self._insert(rate_counters).values(bucket=bucket, window=number, hits=1)
        stmt = stmt.on_conflict_do_update(index_elements=["bucket", "window"],
                                          set_={"hits": rate_counters.c.hits + 1}).returning(rate_counters.c.hits)
        with self.engine.begin() as conn:
            hits = int(conn.execute(stmt).scalar_one())
            self._calls += 1
            if self._calls % 500 == 0:  # forget windows that ended long ago
                conn.execute(delete(rate_counters).where(rate_counters.c.window < number - 2))
        return hits, retry

    def peek(self, bucket: str, window: int) -> tuple[int, int]:
        number, retry = _window(window)
        with self.engine.connect() as conn:
            hits = conn.scalar(select(rate_counters.c.hits).where(rate_counters.c.bucket == bucket,
                                                                  rate_counters.c.window == number))
        return int(hits or 0), retry


class RedisStore:
    """Counters as Redis keys `hrd:rl:<bucket>:<window length>:<window number>` that expire after their window."""

    def __init__(self, url: str):
        import redis

        self.client = redis.Redis.from_url(url, socket_timeout=2, socket_connect_timeout=2)
        self.errors = (redis.RedisError, OSError)

    def _key(self, bucket: str, window: int, number: int) -> str:
        return f"hrd:rl:{bucket}:{window}:{number}"

    def incr(self, bucket: str, window: int) -> tuple[int, int]:
        number, retry = _window(window)
        k = self._key(bucket, window, number)
        try:
            pipe = self.client.pipeline()
            pipe.incr(k)
            pipe.expire(k, window + 5)
            hits, _ = pipe.execute()
        except self.errors as e:
            raise UnavailableError(REDIS_DOWN) from e
        return int(hits), retry

    def peek(self, bucket: str, window: int) -> tuple[int, int]:
        number, retry = _window(window)
        try:
            return int(self.client.get(self._key(bucket, window, number)) or 0), retry
        except self.errors as e:
            raise UnavailableError(REDIS_DOWN) from e


def open_store(settings: Settings, engine: Engine) -> RateStore:
    return RedisStore(settings.redis_url) if settings.redis_url else DatabaseStore(engine)
