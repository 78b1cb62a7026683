"""The same knowledge base and follow-up memory on a real PostgreSQL (a throwaway cluster on loopback)."""

import pytest
from sqlalchemy import func, select, text
from sqlalchemy.orm import Session

from conftest import REPORT

from hrd.errors import IngestError
from hrd.settings import get_settings
from knowledge.db import engine_for
from knowledge.ingest import ingest
from knowledge.models import CONTENT_MODELS, BudgetLine

from pg import PostgresUnavailable, start_postgres


@pytest.fixture(scope="module")
def pg_url():
    try:
        with start_postgres("hrd_ingest") as url:
            yield url
    except PostgresUnavailable as e:
        pytest.skip(f"PostgreSQL unavailable: {e}")


@pytest.fixture
def pg(pg_url, monkeypatch):
    monkeypatch.setenv("HRD_DATABASE_URL", pg_url)
    get_settings.cache_clear()
    return get_settings()


def counts(settings) -> dict:
    with Session(engine_for(settings)) as s:
        return {m.__tablename__: s.scalar(select(func.count()).select_from(m)) for m in CONTENT_MODELS}


def test_ingest_on_postgres_is_idempotent_and_typed(pg):
    first = ingest([REPORT], pg, with_index=False)[0]
    assert first.status in ("ingested", "unchanged")
    assert ingest([REPORT], pg, with_index=False)[0].status == "unchanged"
    with Session(engine_for(pg)) as s:
        row = s.scalars(select(BudgetLine).where(BudgetLine.name == "신규자과정운영")).one()
        assert (row.amount, row.execution_rate, row.line_start) == (1116685, 96.0, 105)
        assert "postgresql" in s.execute(text("select version()")).scalar().lower()


def test_corrupt_report_leaves_postgres_intact(pg, tmp_path):
    ingest([REPORT], pg, with_index=False)
    before = counts(pg)
    bad = tmp_path / "bad.txt"
    bad.write_text("\n".join(REPORT.read_text(encoding="utf-8").split("\n")[:500]), encoding="utf-8")
    with pytest.raises(IngestError):
        ingest([bad], pg, with_index=False)
    assert counts(pg) == before


def test_follow_up_memory_on_postgres(pg):
    ingest([REPORT], pg, with_index=False)
    from assistant.agent import Assistant

    a = Assistant(pg, "offline")
    a.ask("신입자 과정 운영 예산은?", session_id="pg-follow")
    second = Assistant(pg, "offline").ask("그럼 작년은?", session_id="pg-follow")  # a new process would start like this
    assert "1,394,708" in second.answer, second.answer
