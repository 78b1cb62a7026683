"""The guarded SQL tool (tools/sql.py): attacks refused with their reason, legit queries answered
with the report's own figures, the row limit, the time limit, and the read-only connection itself.

Every test runs on SQLite (a private copy of a database ingested once per module) and on a real
throwaway PostgreSQL cluster (tests/pg.py; skipped with the reason when none can start).
"""

from __future__ import annotations

import re
import sqlite3
import sys
import time
import warnings
from contextlib import ExitStack
from pathlib import Path

import pytest

from hrd.errors import SqlRejectedError
from hrd.settings import get_settings

sys.path.insert(0, str(Path(__file__).resolve().parent))
from pg import PostgresUnavailable, start_postgres  # noqa: E402

# (query, regex the refusal must match); one line per attack
ATTACKS = [
    ("SELECT 1; DROP TABLE budget_lines", r"SELECT 문 하나만 허용됩니다 \(문장 2개"),
    ("SELECT 1 /* */; DELETE FROM reports", r"SELECT 문 하나만 허용됩니다 \(문장 2개"),
    ("SELECT 1 -- hide\n; DELETE FROM reports", r"SELECT 문 하나만 허용됩니다 \(문장 2개"),
    ("INSERT INTO reports (id) VALUES (99)", r"SELECT 문 하나만 .*INSERT"),
    ("UPDATE budget_lines SET amount = 0", r"SELECT 문 하나만 .*UPDATE"),
    ("DELETE FROM reports", r"SELECT 문 하나만 .*DELETE"),
    ("DROP TABLE budget_lines", r"SELECT 문 하나만 .*DROP"),
    ("CREATE TABLE x (a INTEGER)", r"SELECT 문 하나만 .*CREATE"),
    ("ALTER TABLE reports ADD COLUMN x INTEGER", r"SELECT 문 하나만 .*ALTER"),
    ("PRAGMA table_info(reports)", r"SELECT 문 하나만 .*PRAGMA"),
    ("ATTACH DATABASE '/tmp/x' AS y", r"ATTACH|해석할 수 없습니다"),  # postgres: not even SQL
    ("DETACH DATABASE y", r"DETACH|해석할 수 없습니다"),
    ("VACUUM", r"SELECT 문 하나만 .*VACUUM"),
    ("EXPLAIN SELECT 1", r"SELECT 문 하나만 .*EXPLAIN"),
    ("COPY reports TO '/tmp/x'", r"SELECT 문 하나만 .*COPY"),
    ("SET statement_timeout = 0", r"SELECT 문 하나만 .*SET"),
    ("WITH x AS (DELETE FROM reports RETURNING *) SELECT * FROM x", r"허용되지 않습니다: DELETE"),
    ("WITH x AS (INSERT INTO reports (id) VALUES (9) RETURNING id) SELECT id FROM x", r"허용되지 않습니다: INSERT"),
    ("WITH x AS (UPDATE budget_lines SET amount = 0 RETURNING id) SELECT id FROM x", r"허용되지 않습니다: UPDATE"),
    ("SELECT * FROM (DELETE FROM reports RETURNING *) AS x", r"해석할 수 없습니다"),
    ("SELECT 1 INTO new_table", r"허용되지 않습니다: SELECT … INTO"),
    ("SELECT * FROM reports FOR UPDATE", r"허용되지 않습니다: FOR UPDATE"),
    ("SELECT load_extension('x')", r"허용되지 않은 함수: load_extension"),
    ("SELECT readfile('/etc/passwd')", r"허용되지 않은 함수: readfile"),
    ("SELECT writefile('/tmp/x', 'y')", r"허용되지 않은 함수: writefile"),
    ("SELECT pg_sleep(10)", r"허용되지 않은 함수: pg_sleep"),
    ("SELECT pg_read_file('/etc/passwd')", r"허용되지 않은 함수: pg_read_file"),
    ("SELECT lo_import('/etc/passwd')", r"허용되지 않은 함수: lo_import"),
    ("SELECT current_setting('data_directory')", r"허용되지 않은 함수: current_setting"),
    ("SELECT set_config('statement_timeout', '0', false)", r"허용되지 않은 함수: set_config"),
    ("SELECT sqlite_version()", r"허용되지 않은 함수: sqlite_version"),
    ("SELECT randomblob(1000000000)", r"허용되지 않은 함수: randomblob"),
    ("SELECT zeroblob(1000000000)", r"허용되지 않은 함수: zeroblob"),
    ("SELECT length(randomblob(1000000000)) FROM reports", r"허용되지 않은 함수: randomblob"),
    ("SELECT * FROM dblink('host=x', 'SELECT 1')", r"허용되지 않은 함수: dblink"),
    ("SELECT * FROM generate_series(1, 1000000000)", r"허용되지 않은 함수: generate_series"),
    ("SELECT * FROM pragma_table_info('reports')", r"허용되지 않은 함수: pragma_table_info"),
    ("SELECT * FROM sqlite_master", r"허용되지 않은 테이블: sqlite_master"),
    ("SELECT * FROM pg_catalog.pg_tables", r"허용되지 않은 테이블: pg_catalog.pg_tables"),
    ("SELECT * FROM pg_tables", r"허용되지 않은 테이블: pg_tables"),
    ("SELECT * FROM information_schema.tables", r"허용되지 않은 테이블: information_schema.tables"),
    ("SELECT * FROM alembic_version", r"허용되지 않은 테이블: alembic_version"),
    ("SELECT * FROM checkpoints", r"허용되지 않은 테이블: checkpoints"),  # langgraph's
    ("SELECT * FROM main.reports", r"허용되지 않은 테이블: main.reports"),
    ("SELECT id FROM reports UNION SELECT 1 FROM sqlite_master", r"허용되지 않은 테이블: sqlite_master"),
    ("SELECT * FROM sqlite_master UNION SELECT * FROM (WITH sqlite_master AS (SELECT 1) SELECT * FROM sqlite_master)",
     r"허용되지 않은 테이블: sqlite_master"),  # a CTE elsewhere does not launder the real table
    ("WITH reports AS (SELECT * FROM sqlite_master) SELECT * FROM reports", r"허용되지 않은 테이블: sqlite_master"),
    ('SELECT * FROM "sqlite_master" AS reports', r"허용되지 않은 테이블: sqlite_master"),
    ("SELECT (SELECT sql FROM sqlite_master LIMIT 1)", r"허용되지 않은 테이블: sqlite_master"),
    ("SELECT usename, passwd FROM pg_shadow", r"허용되지 않은 테이블: pg_shadow"),
    ("SELECT query FROM pg_stat_activity", r"허용되지 않은 테이블: pg_stat_activity"),
    ("SELECT no_such_column FROM budget_lines", r"알 수 없는 열: no_such_column"),
    ("SELECT b.nope FROM budget_lines AS b", r"알 수 없는 열: .*nope"),
    ("SELECT ?", r"허용되지 않은 구문입니다: PLACEHOLDER"),
    ("   ", r"빈 쿼리"),
    ("SELECT " + "1 + " * 4000 + "1", r"쿼리가 너무 깁니다"),
]

BACKENDS = ["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)]


# -- databases -----------------------------------------------------------------------------------

def _ingest(settings) -> None:
    from knowledge.db import engine_for
    from knowledge.ingest import ingest

    try:
        ingest(None, settings, with_index=False)
    except Exception as e:  # noqa: BLE001
        if "value too long" not in str(e):
            raise
        # knowledge/models: findings.lines_a / lines_b are String(40) but a finding can list 18 line
        # numbers; PostgreSQL enforces VARCHAR lengths, SQLite does not. Not this tool's concern:
        # widen VARCHARs for this throwaway cluster only, loudly, and ingest again.
        warnings.warn(f"PostgreSQL ingest overflowed a VARCHAR ({str(e).splitlines()[0][:120]}); "
                      "widening VARCHAR columns to TEXT in the test cluster", stacklevel=1)
        from sqlalchemy import text

        with engine_for(settings).begin() as conn:
            cols = conn.execute(text(
                "SELECT table_name, column_name FROM information_schema.columns "
                "WHERE table_schema = 'public' AND data_type = 'character varying'")).all()
            for table, column in cols:
                conn.execute(text(f'ALTER TABLE "{table}" ALTER COLUMN "{column}" TYPE text'))
        ingest(None, settings, with_index=False)


@pytest.fixture(scope="module")
def sqlite_source(tmp_path_factory) -> Path:
    """The bundled report ingested once into SQLite; tests work on copies of it."""
    from knowledge.db import get_engine

    home = tmp_path_factory.mktemp("sql-guard-sqlite")
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("HRD_HOME", str(home))
        mp.delenv("HRD_DATABASE_URL", raising=False)
        get_settings.cache_clear()
        settings = get_settings()
        _ingest(settings)
        get_engine(settings.database_url).dispose()
    get_settings.cache_clear()
    return home / "hrd.sqlite3"


@pytest.fixture(scope="module")
def pg_url():
    """A throwaway PostgreSQL cluster with the bundled report ingested (skipped when unavailable)."""
    from knowledge.db import get_engine

    with ExitStack() as stack:
        try:
            url = stack.enter_context(start_postgres())
        except PostgresUnavailable as e:
            pytest.skip(f"PostgreSQL unavailable: {e}")
        with pytest.MonkeyPatch.context() as mp:
            mp.setenv("HRD_DATABASE_URL", url)
            get_settings.cache_clear()
            _ingest(get_settings())
        get_settings.cache_clear()
        try:
            yield url
        finally:
            get_engine(url).dispose()


@pytest.fixture(params=BACKENDS)
def settings(request, monkeypatch):
    """Settings pointing at this test's database: a private SQLite copy, or the module's PostgreSQL."""
    if request.param == "sqlite":
        source = request.getfixturevalue("sqlite_source")
        get_settings.cache_clear()
        home = get_settings().home  # this test's own HRD_HOME (tests/conftest.py)
        home.mkdir(parents=True, exist_ok=True)
        src, dst = sqlite3.connect(source), sqlite3.connect(home / "hrd.sqlite3")
        with dst:
            src.backup(dst)
        src.close()
        dst.close()
    else:
        monkeypatch.setenv("HRD_DATABASE_URL", request.getfixturevalue("pg_url"))
    get_settings.cache_clear()
    return get_settings()


def _count_reports(settings) -> int:
    from tools.sql import run_sql

    return run_sql("SELECT count(*) FROM reports", settings).rows[0][0]


def _figure(n: int) -> str:
    return f"{n:,}"


# -- attacks -------------------------------------------------------------------------------------

@pytest.mark.parametrize("query,reason", ATTACKS, ids=[re.sub(r"\s+", " ", q)[:48] for q, _ in ATTACKS])
def test_attack_refused(settings, query, reason):
    from tools.sql import run_sql

    with pytest.raises(SqlRejectedError) as caught:
        run_sql(query, settings)
    assert re.search(reason, str(caught.value)), str(caught.value)


def test_attacks_leave_the_database_unchanged(settings):
    from tools.sql import run_sql

    before = run_sql("SELECT count(*), sum(amount) FROM budget_lines", settings).rows
    for query, _ in ATTACKS:
        with pytest.raises(SqlRejectedError):
            run_sql(query, settings)
    assert run_sql("SELECT count(*), sum(amount) FROM budget_lines", settings).rows == before
    assert _count_reports(settings) == 1


def test_huge_cross_join_stopped_by_time_limit(settings):
    from tools.sql import run_sql

    fast = settings.model_copy(update={"sql_time_limit_ms": 300})
    started = time.monotonic()
    with pytest.raises(SqlRejectedError, match=r"시간 제한\(300 ms\)을 넘었습니다"):
        run_sql("SELECT count(*) FROM sections a, sections b, sections c, sections d, sections e", fast)
    assert time.monotonic() - started < 5


def test_endless_recursion_stopped_by_time_limit(settings):
    from tools.sql import run_sql

    fast = settings.model_copy(update={"sql_time_limit_ms": 300})
    with pytest.raises(SqlRejectedError, match=r"시간 제한"):
        run_sql("WITH RECURSIVE r(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM r) SELECT count(*) FROM r", fast)


# -- legit queries, checked against the report text ------------------------------------------------

def test_simple_select_matches_report(settings, report_lines):
    from tools.sql import run_sql

    r = run_sql("SELECT name, amount, line_start, line_end FROM budget_lines WHERE name = '신규자과정운영'", settings)
    assert r.columns == ["name", "amount", "line_start", "line_end"]
    assert r.row_count == 1 and not r.truncated
    name, amount, start, end = r.rows[0]
    assert amount == 1116685
    assert "신규자과정운영" in report_lines[start - 1] and "1,116,685" in report_lines[start - 1]
    assert r.tables == ["budget_lines"]
    assert r.sources[0].unit == "천원" and "세출예산" in r.sources[0].label
    assert "budget_lines" in r.provenance and "천원" in r.provenance


def test_where_like(settings, report_lines):
    from tools.sql import run_sql

    r = run_sql("SELECT name, amount, line_start FROM budget_lines WHERE name LIKE '%e-러닝%' ORDER BY line_start", settings)
    assert [row[0] for row in r.rows] == ["동영상학습(e-러닝)운영", "동영상학습(e-러닝)과정개발"]
    for name, amount, line in r.rows:
        assert report_lines[line - 1].startswith(name) and _figure(amount) in report_lines[line - 1]


def test_group_by_sum_equals_the_reported_subtotal(settings, report_lines):
    from tools.sql import run_sql

    r = run_sql("SELECT parent, count(*) AS n, sum(amount) AS total FROM budget_lines "
                "WHERE level = 3 GROUP BY parent ORDER BY total DESC", settings)
    by_parent = {p: (n, t) for p, n, t in r.rows}
    n, total = by_parent["인재양성 및 시험관리"]
    assert n == 18 and total == 18001471
    sub = run_sql("SELECT line_start FROM budget_lines WHERE name = '인재양성 및 시험관리'", settings).rows[0][0]
    assert "18,001,471" in report_lines[sub - 1]


def test_cte(settings, report_lines):
    from tools.sql import run_sql

    r = run_sql("WITH detail AS (SELECT name, amount, executed FROM budget_lines WHERE level = 3) "
                "SELECT count(*), max(amount), min(amount) FROM detail", settings)
    count, biggest, smallest = r.rows[0]
    assert (count, biggest, smallest) == (19, 3561905, 23300)
    text = "\n".join(report_lines)
    assert "3,561,905" in text and "23,300" in text


def test_order_by_limit(settings, report_lines):
    from tools.sql import run_sql

    r = run_sql("SELECT name, amount, line_start FROM budget_lines WHERE level = 3 ORDER BY amount DESC LIMIT 3", settings)
    assert [row[1] for row in r.rows] == [3561905, 1998967, 1989744]
    assert [row[0] for row in r.rows] == ["공무원채용 및 기타 시험관리", "인재원청사보수·보강", "6급미래인재양성과정운영"]
    for name, amount, line in r.rows:
        assert name in report_lines[line - 1] and _figure(amount) in report_lines[line - 1]
    assert not r.truncated


def test_join_programs_and_execution(settings, report_lines):
    from tools.sql import run_sql

    r = run_sql("SELECT p.title, p.department, e.budget, e.spent, e.line_start "
                "FROM programs AS p JOIN program_execution AS e ON e.program = p.title "
                "WHERE p.title = '7~9급 신입자 교육과정 운영'", settings)
    assert r.row_count == 1
    title, department, budget, spent, line = r.rows[0]
    assert (department, budget, spent) == ("인재양성과", 1116685, 1072501)
    assert "1,116,685" in report_lines[line - 1] and "1,072,501" in report_lines[line - 1]
    assert set(r.tables) == {"programs", "program_execution"}
    assert {s.table for s in r.sources} == {"programs", "program_execution"}


def test_allowed_functions_and_operators(settings):
    from tools.sql import run_sql

    r = run_sql("SELECT upper('a'), lower('B'), length('서울'), substr('인재개발원', 1, 2), replace('a b', ' ', ''), "
                "trim('  x '), abs(-3), coalesce(NULL, 7), nullif(1, 1), CAST(2.5 AS INTEGER), "
                "CASE WHEN 1 > 0 THEN 'y' ELSE 'n' END, 'a' || 'b'", settings)
    row = r.rows[0]
    assert row[:9] + row[10:] == ["A", "b", 2, "인재", "ab", "x", 3, 7, None, "y", "ab"]
    assert row[9] in (2, 3)  # SQLite truncates, PostgreSQL rounds
    r = run_sql("SELECT name, rank() OVER (ORDER BY amount DESC) AS rk FROM budget_lines WHERE level = 3 "
                "ORDER BY rk LIMIT 1", settings)
    assert r.rows == [["공무원채용 및 기타 시험관리", 1]]
    r = run_sql("SELECT name FROM budget_lines WHERE level = 3 AND name IN ('교육생급식지원', '기본경비(인재개발원)') "
                "UNION SELECT name FROM strategies WHERE number = 1 ORDER BY 1", settings)
    assert r.row_count == 3


def test_executed_sql_is_the_validated_tree_without_comments(settings):
    from tools.sql import run_sql

    r = run_sql("SELECT name /* hidden */ FROM budget_lines -- tail\nWHERE level = 0", settings)
    assert r.rows == [["합 계"]]
    assert "hidden" not in r.sql and "tail" not in r.sql and "--" not in r.sql


# -- the row limit -------------------------------------------------------------------------------

def test_row_limit_truncates(settings):
    from tools.sql import run_sql

    q = "SELECT id, name FROM budget_lines ORDER BY id"
    r = run_sql(q, settings, limit=5)
    assert r.row_count == 5 and r.truncated and r.limit == 5
    assert [row[0] for row in r.rows] == sorted(row[0] for row in r.rows)
    exact = run_sql(q, settings, limit=24)
    assert exact.row_count == 24 and not exact.truncated
    small = settings.model_copy(update={"sql_row_limit": 10})
    d = run_sql(q, small)
    assert d.row_count == 10 and d.truncated
    assert run_sql(q, small, limit=100).row_count == 24


# -- the read-only connection itself --------------------------------------------------------------

@pytest.mark.parametrize("write", [
    "DELETE FROM reports",
    "DROP TABLE budget_lines",
    "UPDATE budget_lines SET amount = 0",
    "INSERT INTO strategies (report_id, section, line_start, line_end, number, name) VALUES (1, '', 1, 1, 9, 'x')",
])
def test_connection_refuses_writes_even_without_validation(settings, write):
    from tools.sql import execute_readonly, run_sql

    before = run_sql("SELECT count(*), sum(amount) FROM budget_lines", settings).rows
    reports = _count_reports(settings)
    with pytest.raises(SqlRejectedError, match="읽기 전용"):
        execute_readonly(write, settings, max_rows=10)
    assert _count_reports(settings) == reports == 1
    assert run_sql("SELECT count(*), sum(amount) FROM budget_lines", settings).rows == before
    assert run_sql("SELECT count(*) FROM strategies WHERE name = 'x'", settings).rows == [[0]]


# -- schema description and CLI --------------------------------------------------------------------

def test_describe_schema_lists_allowed_tables_only():
    from knowledge.models import CONTENT_MODELS
    from tools.sql import allowed_tables, describe_schema

    text = describe_schema()
    for m in CONTENT_MODELS:
        assert f"\n{m.__tablename__} — {m.__label__}" in text
    assert "\nreports — 보고서" in text
    assert "budget_lines — 세출예산 현황(예산현액·증감·집행) [단위: 천원]" in text
    for forbidden in ("sqlite_master", "alembic_version", "pg_catalog", "checkpoints"):
        assert forbidden not in text and forbidden not in allowed_tables()
    assert "amount_prev" in text and "load_extension" not in text


def test_cli(settings):
    if not settings.database_url.startswith("sqlite"):
        pytest.skip("the CLI is exercised once, on SQLite")
    import json

    import typer
    from typer.testing import CliRunner

    from hrd.cli_sql import register

    app = typer.Typer()
    register(app)

    @app.command()
    def _other() -> None:  # a second command so `sql` stays a sub-command
        pass

    runner = CliRunner()
    r = runner.invoke(app, ["sql", "SELECT name, amount FROM budget_lines WHERE level = 3 ORDER BY amount DESC",
                            "--json", "--limit", "2"])
    assert r.exit_code == 0, r.output
    data = json.loads(r.stdout)
    assert data["rows"] == [["공무원채용 및 기타 시험관리", 3561905], ["인재원청사보수·보강", 1998967]]
    assert data["truncated"] is True and "천원" in data["provenance"]

    r = runner.invoke(app, ["sql", "SELECT name, amount FROM budget_lines WHERE name = '신규자과정운영'"])
    assert r.exit_code == 0 and "1,116,685" in r.stdout and "세출예산" in r.stdout

    r = runner.invoke(app, ["sql", "SELECT * FROM sqlite_master"])
    assert r.exit_code == 1
    assert "허용되지 않은 테이블: sqlite_master" in r.output and "Traceback" not in r.output

    r = runner.invoke(app, ["sql", "--schema"])
    assert r.exit_code == 0 and "budget_lines — 세출예산" in r.stdout
