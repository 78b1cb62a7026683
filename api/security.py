"""API keys with roles, and a per-key sliding-window rate limit (in-process).

The limiter counts requests of one process: behind several workers each worker keeps its own
window, so the effective limit is `HRD_RATE_LIMIT × workers`.
"""

from __future__ import annotations

import hashlib
import math
import threading
import time
from collections import deque
from dataclasses import dataclass

from .config import ApiConfig
from .errors import AuthError, ForbiddenError, RateLimitError

ROLE_RANK = {"reader": 1, "admin": 2}


@dataclass(frozen=True)
class Principal:
    """Who is calling: a loggable name (never the key itself) and a role."""

    name: str
    role: str

    def allows(self, role: str) -> bool:
        return ROLE_RANK[self.role] >= ROLE_RANK[role]


def key_name(key: str, role: str) -> str:
    """A stable name for a key that can be logged without revealing it."""
    return f"{role}-{hashlib.sha256(key.encode('utf-8')).hexdigest()[:10]}"


def authenticate(config: ApiConfig, key: str | None, client: str | None) -> Principal:
    if config.open:
        return Principal(name=f"local@{client or '-'}", role="admin")
    if not key:
        raise AuthError("API 키가 필요합니다. X-API-Key 헤더에 키를 넣어 주세요.")
    role = config.keys.get(key)
    if role is None:
        raise AuthError("등록되지 않은 API 키입니다.")
    return Principal(name=key_name(key, role), role=role)


def authorize(principal: Principal, role: str) -> None:
    if not principal.allows(role):
        raise ForbiddenError(f"이 요청은 '{role}' 권한이 필요합니다(현재 권한: {principal.role}).")


class SlidingWindowLimiter:
    """At most `limit` hits per `window` seconds per key; `limit=0` lets everything through."""

    def __init__(self, limit: int, window: float = 60.0, clock=time.monotonic):
        self.limit = limit
        self.window = window
        self.clock = clock
        self._hits: dict[str, deque[float]] = {}
        self._lock = threading.Lock()

    def hit(self, key: str) -> None:
        if self.limit <= 0:
            return
        now = self.clock()
        with self._lock:
            q = self._hits.setdefault(key, deque())
            while q and q[0] <= now - self.window:
                q.popleft()
            if len(q) >= self.limit:
                retry = max(1, math.ceil(q[0] + self.window - now))
                raise RateLimitError(
                    f"요청이 너무 많습니다. {self.window:.0f}초에 {self.limit}회까지 허용됩니다. {retry}초 뒤에 다시 시도하세요.",
                    retry_after=retry,
                )
            q.append(now)
            if len(self._hits) > 10_000:  # forget idle keys so the table cannot grow without bound
                for k in [k for k, v in self._hits.items() if not v or v[-1] <= now - self.window]:
                    del self._hits[k]
