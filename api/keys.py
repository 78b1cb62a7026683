"""API keys with roles, stored salted and hashed (scrypt) in the database; the key itself is shown once.

    key = create_key(engine, name="김주무관", role="viewer")   # 'hrd_3f9a1c2b7d4e_…': print it once, never stored
    verify(engine, key)                                      # KeyRecord(name='김주무관', role='viewer', …) or None
    revoke_key(engine, "김주무관")

A key is `hrd_<key_id>_<secret>`: `key_id` (public, 12 hex) finds the row, the whole key is checked
against `scrypt(key, salt)`. A key verified once is remembered in the process by its SHA-256, so
scrypt runs once per key and process; the row (revoked or not) is still read on every request,
so a revocation holds from the next request on.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
import threading
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Engine, insert, select, update
from sqlalchemy.exc import IntegrityError

from hrd.errors import InputError

from .service_db import api_keys, utcnow

ROLES = ("viewer", "staff", "admin")
ROLE_RANK = {r: i for i, r in enumerate(ROLES, 1)}
KEY_RE = re.compile(r"^hrd_([0-9a-f]{12})_([A-Za-z0-9_-]{20,100})$")
NAME_RE = re.compile(r"^[^\x00-\x1f\x7f/]{1,80}$")
SCRYPT = {"n": 2**14, "r": 8, "p": 1, "dklen": 32, "maxmem": 64 * 1024 * 1024}


@dataclass(frozen=True)
class KeyRecord:
    """One key as the database holds it (never the key itself)."""

    name: str
    role: str
    key_id: str
    rate_limit: int | None
    created_at: datetime
    revoked_at: datetime | None = None


def _hash(key: str, salt: str) -> str:
    return hashlib.scrypt(key.encode("utf-8"), salt=bytes.fromhex(salt), **SCRYPT).hex()


def check_role(role: str) -> str:
    r = (role or "").strip().lower()
    if r not in ROLES:
        raise InputError(f"역할은 {', '.join(ROLES)} 중 하나여야 합니다.")
    return r


def check_name(name: str) -> str:
    n = (name or "").strip()
    if not NAME_RE.match(n):
        raise InputError("키 이름은 1–80자이고 제어 문자나 '/'를 담을 수 없습니다.")
    return n


def create_key(engine: Engine, *, name: str, role: str, rate_limit: int | None = None) -> str:
    """Store a new key's hash under `name` and return the key (the only time it exists in clear)."""
    name, role = check_name(name), check_role(role)
    if rate_limit is not None and rate_limit < 0:
        raise InputError("요청 한도는 0 이상이어야 합니다.")
    key_id = secrets.token_hex(6)
    key = f"hrd_{key_id}_{secrets.token_urlsafe(30)}"
    salt = secrets.token_hex(16)
    try:
        with engine.begin() as conn:
            conn.execute(insert(api_keys).values(name=name, key_id=key_id, role=role, salt=salt, hash=_hash(key, salt),
                                                 rate_limit=rate_limit, created_at=utcnow()))
    except IntegrityError:
        raise InputError(f"이름이 '{name}'인 키가 이미 있습니다. 다른 이름을 쓰거나 먼저 폐기하세요.") from None
    return key


def _record(row) -> KeyRecord:
    return KeyRecord(name=row.name, role=row.role, key_id=row.key_id, rate_limit=row.rate_limit,
                     created_at=row.created_at, revoked_at=row.revoked_at)


def list_keys(engine: Engine) -> list[KeyRecord]:
    with engine.connect() as conn:
        return [_record(r) for r in conn.execute(select(api_keys).order_by(api_keys.c.id))]


def active_key_count(engine: Engine) -> int:
    with engine.connect() as conn:
        return len(conn.execute(select(api_keys.c.id).where(api_keys.c.revoked_at.is_(None))).all())


def revoke_key(engine: Engine, name: str) -> None:
    """Revoke the key named `name`; an unknown or already revoked name is an error."""
    with engine.begin() as conn:
        res = conn.execute(update(api_keys).where(api_keys.c.name == name, api_keys.c.revoked_at.is_(None))
                           .values(revoked_at=utcnow()))
    if res.rowcount == 0:
        raise InputError(f"폐기할 수 있는 '{name}' 키가 없습니다(이름을 hrd keys list로 확인하세요).")


_verified: dict[str, str] = {}  # stored hash → SHA-256 of the key that matched it
_lock = threading.Lock()


def verify(engine: Engine, key: str | None) -> KeyRecord | None:
    """The active key record `key` belongs to, or None (malformed, unknown, revoked or wrong)."""
    m = KEY_RE.match(key or "")
    if not m:
        return None
    with engine.connect() as conn:
        row = conn.execute(select(api_keys).where(api_keys.c.key_id == m.group(1))).first()
    if row is None or row.revoked_at is not None:
        return None
    digest = hashlib.sha256(key.encode("utf-8")).hexdigest()
    cached = _verified.get(row.hash)
    if cached is None or not hmac.compare_digest(cached, digest):
        if not hmac.compare_digest(_hash(key, row.salt), row.hash):
            return None
        with _lock:
            if len(_verified) > 10_000:
                _verified.clear()
            _verified[row.hash] = digest
    return _record(row)
