"""Engines and schema migrations (Alembic) for SQLite (default) and PostgreSQL."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from alembic import command
from alembic.config import Config
from sqlalchemy import Engine, create_engine, event, inspect, select
from sqlalchemy.orm import Session

from hrd.errors import DataMissingError
from hrd.settings import Settings

from .models import Report

MIGRATIONS = Path(__file__).resolve().parent / "migrations"


@lru_cache(maxsize=8)
def get_engine(url: str) -> Engine:
    if url.startswith("sqlite:///"):
        path = Path(url.removeprefix("sqlite:///"))
        path.parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(url, connect_args={"check_same_thread": False, "timeout": 30})

        @event.listens_for(engine, "connect")
        def _pragmas(dbapi_conn, _):  # noqa: ANN001
            cur = dbapi_conn.cursor()
            cur.execute("PRAGMA foreign_keys=ON")
            cur.execute("PRAGMA journal_mode=WAL")
            cur.close()

        return engine
    return create_engine(url, pool_pre_ping=True)


def engine_for(settings: Settings) -> Engine:
    return get_engine(settings.database_url)


def alembic_config(url: str) -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    cfg.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return cfg


def migrate(engine: Engine) -> None:
    """Bring the schema to the newest migration (idempotent)."""
    cfg = alembic_config(str(engine.url.render_as_string(hide_password=False)))
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "head")


def has_data(engine: Engine) -> bool:
    if not inspect(engine).has_table("reports"):
        return False
    with Session(engine) as s:
        return s.scalar(select(Report.id).limit(1)) is not None


def current_report(session: Session, year: int | None = None) -> Report:
    q = select(Report).order_by(Report.year.desc(), Report.id.desc())
    if year is not None:
        q = q.where(Report.year == year)
    r = session.scalars(q.limit(1)).first()
    if r is None:
        raise DataMissingError("적재된 보고서가 없습니다. `hrd ingest`를 먼저 실행하세요.")
    return r
