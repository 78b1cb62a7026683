"""API-only settings, read from the environment when the app is created.

These belong in `hrd.settings.Settings` eventually; until then they are read here, and only here.

| variable         | default | meaning                                                                 |
| ---------------- | ------- | ----------------------------------------------------------------------- |
| `HRD_API_KEYS`   | unset   | `key:role,key:role` with role `reader` or `admin`. Unset or empty: the  |
|                  |         | API is open (local use): every caller is treated as a local admin.      |
| `HRD_RATE_LIMIT` | `60`    | requests per minute per API key (per client address when open); 0 = off |

>>> ApiConfig.from_env({"HRD_API_KEYS": "r1:reader, a1:admin", "HRD_RATE_LIMIT": "5"}).keys["a1"]
'admin'
>>> ApiConfig.from_env({}).open
True
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field

from hrd.errors import InputError

ROLES = ("reader", "admin")
DEFAULT_RATE_LIMIT = 60
RATE_WINDOW_SECONDS = 60.0
MAX_BODY_BYTES = 1 << 20  # a request body larger than this is refused with 413


def parse_keys(spec: str) -> dict[str, str]:
    """`"k1:reader,k2:admin"` → `{"k1": "reader", "k2": "admin"}`; a malformed entry is an error, never ignored."""
    keys: dict[str, str] = {}
    for part in spec.split(","):
        part = part.strip()
        if not part:
            continue
        key, sep, role = part.rpartition(":")
        key, role = key.strip(), role.strip().lower()
        if not sep or not key or role not in ROLES:
            raise InputError(f"HRD_API_KEYS 항목 형식이 잘못되었습니다(키:reader 또는 키:admin): '{part.split(':')[-1]}' 역할")
        keys[key] = role
    return keys


@dataclass(frozen=True)
class ApiConfig:
    """Who may call the API and how often."""

    keys: dict[str, str] = field(default_factory=dict)  # API key → role
    rate_limit: int = DEFAULT_RATE_LIMIT  # requests per window per key; 0 disables
    rate_window: float = RATE_WINDOW_SECONDS

    @property
    def open(self) -> bool:
        """No keys configured: local use, no authentication."""
        return not self.keys

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> "ApiConfig":
        env = os.environ if environ is None else environ
        raw_limit = (env.get("HRD_RATE_LIMIT") or "").strip()
        try:
            limit = int(raw_limit) if raw_limit else DEFAULT_RATE_LIMIT
        except ValueError:
            raise InputError(f"HRD_RATE_LIMIT는 정수여야 합니다: '{raw_limit}'") from None
        return cls(keys=parse_keys(env.get("HRD_API_KEYS") or ""), rate_limit=max(limit, 0))
