"""One settings object for the whole project, read from `HRD_*` environment variables.

>>> s = Settings(home="/tmp/hrd-doc")
>>> str(s.database_url).startswith("sqlite:///")
True
"""

from __future__ import annotations

import os
from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

BUNDLED_SOURCES = Path(__file__).resolve().parent.parent / "knowledge" / "sources"


def _default_home() -> Path:
    base = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(base) / "hrd"


class Settings(BaseSettings):
    """Every knob of hrd-assistant; each field is `HRD_<NAME>` in the environment."""

    model_config = SettingsConfigDict(env_prefix="HRD_", extra="ignore")

    home: Path = Field(default_factory=_default_home, description="Data directory (database, index, logs).")
    database_url_override: str | None = Field(
        default=None, alias="HRD_DATABASE_URL", description="SQLAlchemy URL; SQLite under `home` when unset."
    )
    chroma_url: str | None = Field(default=None, description="Chroma server URL; embedded Chroma under `home` when unset.")
    backend: Literal["offline", "openai"] = Field(default="offline", description="Answering backend.")
    openai_model: str = Field(default="gpt-4o-mini", description="Model name for the OpenAI-compatible backend.")
    sql_row_limit: int = Field(default=200, description="Rows returned by the guarded SQL tool at most.")
    sql_time_limit_ms: int = Field(default=2000, description="Time limit of one guarded SQL query.")
    max_question_chars: int = Field(default=2000, description="Longest question accepted.")
    max_steps: int = Field(default=8, description="Tool-call rounds allowed per answer.")
    max_report_bytes: int = Field(default=3_000_000, description="Largest report file ingest accepts (the 2025 report is ~150 KB).")
    fault_pause: str | None = Field(default=None, description="Crash tests only: ingest pauses at this named stage (see knowledge/index/builds.py).")
    # the service (api/, `hrd serve`)
    no_auth: bool = Field(default=False, description="Single-user mode without API keys (`hrd serve --no-auth`; loopback only).")
    rate_limit: int = Field(default=60, ge=0, description="Requests per minute per API key (a key's own limit wins); 0 = off.")
    auth_fail_limit: int = Field(default=10, ge=0, description="Failed authentications per minute per client address before 429; 0 = off.")
    redis_url: str | None = Field(default=None, description="Redis URL for the shared rate-limit store; the database when unset.")
    max_body_bytes: int = Field(default=1 << 20, ge=1024, description="Largest request body accepted (any transfer encoding).")
    log_retention_days: int = Field(default=90, ge=0, description="Days the request log and conversations are kept; 0 = forever.")
    allowed_hosts: str = Field(default="", description="Comma-separated Host names the server answers; empty = any (loopback only with no_auth).")
    trusted_proxies: str = Field(default="", description="Proxy addresses whose X-Forwarded-For is believed; empty = none.")

    @property
    def database_url(self) -> str:
        if self.database_url_override:
            return self.database_url_override
        return f"sqlite:///{self.home / 'hrd.sqlite3'}"

    @property
    def index_dir(self) -> Path:
        return self.home / "index"

    def bundled_reports(self) -> list[Path]:
        return sorted(BUNDLED_SOURCES.glob("*.txt"))


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """The process-wide settings (tests clear the cache with `get_settings.cache_clear()`)."""
    return Settings()
