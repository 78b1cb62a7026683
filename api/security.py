"""Who is calling and how often: API keys (`Authorization: Bearer KEY` or `X-API-Key`), roles,
failed-authentication throttling per client address and a per-key rate limit, both counted in
the shared store (api.ratelimit), so every worker sees the same counts.

Roles: `viewer` asks, searches and reads tables; `staff` also makes drafts; `admin` also
re-ingests and reads the request log. In single-user mode (`HRD_NO_AUTH`, `hrd serve --no-auth`)
the caller is `local` with the admin role; the server then answers on loopback only.
"""

from __future__ import annotations

from dataclasses import dataclass

from hrd.settings import Settings

from .errors import AuthError, ForbiddenError, RateLimitError
from .keys import ROLE_RANK, verify
from .ratelimit import RateStore

WINDOW = 60  # seconds: both limits are per minute
LOCAL = "local"


@dataclass(frozen=True)
class Principal:
    """The caller: a loggable name (the key's name, never the key), its role and its own rate limit."""

    name: str
    role: str
    rate_limit: int | None = None

    def allows(self, role: str) -> bool:
        return ROLE_RANK[self.role] >= ROLE_RANK[role]


def presented_key(authorization: str | None, x_api_key: str | None) -> str | None:
    """The key from `Authorization: Bearer KEY`, else from `X-API-Key`."""
    if authorization:
        scheme, _, value = authorization.partition(" ")
        if scheme.lower() == "bearer" and value.strip():
            return value.strip()
    return (x_api_key or "").strip() or None


def authenticate(settings: Settings, engine, store: RateStore, key: str | None, client: str) -> Principal:
    """The principal of a request. Past `auth_fail_limit` failures a minute from one address, a failed
    attempt answers 429 instead of 401 (a valid key from that address still passes)."""
    if settings.no_auth:
        return Principal(LOCAL, "admin")
    record = verify(engine, key) if key else None
    if record is None:
        bucket = f"authfail:{client}"
        if settings.auth_fail_limit:
            fails, retry = store.incr(bucket, WINDOW)
            if fails > settings.auth_fail_limit:
                raise RateLimitError(f"인증 실패가 너무 많습니다. {retry}초 뒤에 다시 시도하세요.", retry_after=retry)
        if not key:
            raise AuthError("API 키가 필요합니다. Authorization: Bearer <키> 헤더(또는 X-API-Key)로 보내 주세요.")
        raise AuthError("유효하지 않은 API 키입니다(없거나 폐기된 키).")
    return Principal(record.name, record.role, record.rate_limit)


def count_request(settings: Settings, store: RateStore, principal: Principal) -> None:
    """Count one request of `principal`; over its limit raises RateLimitError (429 with Retry-After)."""
    limit = principal.rate_limit if principal.rate_limit is not None else settings.rate_limit
    if limit <= 0:
        return
    hits, retry = store.incr(f"key:{principal.name}", WINDOW)
    if hits > limit:
        raise RateLimitError(f"요청이 너무 많습니다. 1분에 {limit}회까지 허용됩니다. {retry}초 뒤에 다시 시도하세요.",
                             retry_after=retry)


def authorize(principal: Principal, role: str) -> None:
    if not principal.allows(role):
        raise ForbiddenError(f"이 요청은 '{role}' 이상의 권한이 필요합니다(현재 권한: {principal.role}).")
