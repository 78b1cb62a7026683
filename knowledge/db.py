"""Engines and schema migrations (Alembic) for SQLite (default) and PostgreSQL."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from sqlalchemy import Engine, create_engine, event, inspect, select, text
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


def alembic_config(url: str):
    from alembic.config import Config  # imported here: alembic costs ~0.2 s and most runs never migrate

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    cfg.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return cfg


def migrate(engine: Engine) -> None:
    """Bring the schema to the newest migration (idempotent)."""
    from alembic import command

    cfg = alembic_config(str(engine.url.render_as_string(hide_password=False)))
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "head")


def head_revision() -> str:
    """The newest migration's revision (files are named by revision: '0003_audit_tables.py')."""
    return sorted(p.name.split("_", 1)[0] for p in (MIGRATIONS / "versions").glob("[0-9]*_*.py"))[-1]


def stored_state(engine: Engine) -> tuple[str | None, str | None]:
    """(schema revision, parser version of the newest report) of a database, None where it has none."""
    with engine.connect() as conn:
        try:
            rev = conn.execute(text("SELECT version_num FROM alembic_version")).scalar()
        except Exception:
            conn.rollback()
            rev = None
        try:
            parser = conn.execute(text("SELECT parser_version FROM reports ORDER BY id DESC LIMIT 1")).scalar()
        except Exception:
            parser = None
    return rev, parser


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
