"""Retention: request-log rows and conversations older than `HRD_LOG_RETENTION_DAYS` are deleted
(at start, then hourly, by every worker; `hrd log prune` does it by hand)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from hrd.settings import Settings
from knowledge.db import engine_for

from . import reqlog, sessions


@dataclass(frozen=True)
class Pruned:
    log_rows: int
    conversations: int


def prune_all(settings: Settings, *, now: datetime | None = None) -> Pruned:
    engine = engine_for(settings)
    days = settings.log_retention_days
    return Pruned(reqlog.prune(engine, days, now=now), sessions.prune(engine, settings, days, now=now))
