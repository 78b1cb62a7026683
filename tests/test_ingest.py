"""Ingest is idempotent by content hash and transactional: a bad report leaves the database as it was."""

import sqlite3

import pytest

from conftest import REPORT

from hrd.errors import IngestError
from hrd.settings import get_settings
from knowledge.ingest import ingest


def dump(settings) -> list:
    path = settings.database_url.removeprefix("sqlite:///")
    con = sqlite3.connect(path)
    try:
        tables = [r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type='table' ORDER BY name")]
        return [(t, con.execute(f'SELECT * FROM "{t}" ORDER BY 1').fetchall()) for t in tables]
    finally:
        con.close()


def test_ingest_then_unchanged():
    s = get_settings()
    first = ingest([REPORT], s, with_index=False)[0]
    assert first.status == "ingested" and first.rows["budget_lines"] == 24 and first.findings >= 5
    again = ingest([REPORT], s, with_index=False)[0]
    assert again.status == "unchanged"


BAD_INPUTS = {
    "empty": b"",
    "binary": b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)),
    "not-utf8": "제333회 시의회 정례회\n2025 주요업무 보고\n".encode("utf-8") + b"\xff\xfe broken\n",
    "other-text": "회의록\n2025 주요업무 보고\n오늘은 날씨가 좋다.\n".encode("utf-8"),
    "truncated": "\n".join(REPORT.read_text(encoding="utf-8").split("\n")[:400]).encode("utf-8"),
    "broken-table": REPORT.read_text(encoding="utf-8").replace("합 계\t19,721,687\t18,667,875", "합 계\t19,721,687").encode("utf-8"),
}


@pytest.mark.parametrize("kind", list(BAD_INPUTS))
def test_bad_report_leaves_database_intact(tmp_path, kind):
    s = get_settings()
    ingest([REPORT], s, with_index=False)
    before = dump(s)
    bad = tmp_path / f"{kind}.txt"
    bad.write_bytes(BAD_INPUTS[kind])
    with pytest.raises(IngestError) as e:
        ingest([bad], s, with_index=False)
    assert bad.name in str(e.value)
    assert dump(s) == before


def test_error_names_the_line():
    bad = BAD_INPUTS["not-utf8"]
    import tempfile, pathlib
    p = pathlib.Path(tempfile.mkdtemp()) / "x.txt"
    p.write_bytes(bad)
    with pytest.raises(IngestError) as e:
        ingest([p], get_settings(), with_index=False)
    assert e.value.line == 3


def test_changed_copy_replaces_same_year_and_finds_changed_figure(tmp_path):
    s = get_settings()
    ingest([REPORT], s, with_index=False)
    copy = tmp_path / "copy.txt"
    copy.write_text(REPORT.read_text(encoding="utf-8").replace("1,116,685\t1,072,501", "1,116,685\t1,000,001"), encoding="utf-8")
    r = ingest([copy], s, with_index=False)[0]
    assert r.status == "ingested" and r.replaced
    from sqlalchemy import select
    from sqlalchemy.orm import Session
    from knowledge.db import engine_for
    from knowledge.models import ProgramExecution, Report

    with Session(engine_for(s)) as ses:
        assert len(ses.scalars(select(Report)).all()) == 1
        pe = ses.scalars(select(ProgramExecution).where(ProgramExecution.name == "신입자 과정 운영")).one()
        assert pe.committed == 1000001


def test_a_report_parsed_by_an_older_parser_is_parsed_again():
    s = get_settings()
    ingest([REPORT], s, with_index=False)
    path = s.database_url.removeprefix("sqlite:///")
    con = sqlite3.connect(path)
    con.execute("UPDATE reports SET parser_version = 'old'")
    con.commit()
    con.close()
    again = ingest([REPORT], s, with_index=False)[0]
    assert again.status == "ingested" and again.rows["contacts"] > 0
    assert ingest([REPORT], s, with_index=False)[0].status == "unchanged"


def test_contacts_include_the_officer_in_charge(parsed):
    roles = {c["role"] for c in parsed.rows["contacts"]}
    assert roles == {"과장", "팀장", "담당"}
    first = [c for c in parsed.rows["contacts"] if c["line_start"] == 233]
    assert [c["role"] for c in first] == ["과장", "팀장", "담당"]


def test_a_database_made_by_an_earlier_version_is_brought_up_to_date_on_first_use():
    """Code upgraded over an existing database (an older schema and parser): the first command migrates
    the schema and parses the report again instead of failing on a missing table."""
    from sqlalchemy import text

    from knowledge.db import engine_for, head_revision, stored_state
    from knowledge.ingest import ensure_ready
    from knowledge.parse import PARSER_VERSION

    s = get_settings()
    ingest([REPORT], s, with_index=False)
    engine = engine_for(s)
    assert stored_state(engine) == (head_revision(), PARSER_VERSION)
    assert ensure_ready(s, progress=lambda m: None) is False  # up to date: nothing to do
    with engine.begin() as conn:  # what the previous release left behind
        for table in ("api_keys", "request_log", "api_sessions", "rate_counters"):  # 0004, the service's tables
            conn.execute(text(f"DROP TABLE {table}"))
        conn.execute(text("DROP TABLE audit_table_cells"))
        conn.execute(text("DROP TABLE audit_tables"))
        conn.execute(text("UPDATE alembic_version SET version_num = '0002'"))
        conn.execute(text("UPDATE reports SET parser_version = '3'"))
    said = []
    assert ensure_ready(s, progress=said.append) is True
    assert stored_state(engine) == (head_revision(), PARSER_VERSION)
    assert any("이전 버전" in m for m in said)
    with engine.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM audit_tables")).scalar() == 6
