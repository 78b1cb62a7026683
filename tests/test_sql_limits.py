"""The guarded SQL tool's limits: one expensive expression cannot outrun the time limit (watchdog
`Connection.interrupt()` on SQLite, `statement_timeout` on PostgreSQL), every parser failure —
RecursionError included — is a clean refusal, and (hypothesis) no input makes the validator raise
anything but SqlRejectedError."""

from __future__ import annotations

import time

import pytest
from hypothesis import HealthCheck, given, settings as hsettings, strategies as st
from test_sql_guard import pg_url, settings, sqlite_source  # noqa: F401  (fixtures: SQLite copy and PostgreSQL)

from hrd.errors import SqlRejectedError
from tools.sql import run_sql, validate_sql


def _big(levels: int) -> str:
    """An SQL expression for 'a' * 10**levels built by nested replace() (one C call per level)."""
    s = "'a'"
    for _ in range(levels):
        s = f"replace({s}, 'a', 'aaaaaaaaaa')"
    return s


# one long C-level call: replace() over 1 MB with a 100 KB pattern that almost matches everywhere
# (about 2.4 s unguarded on this machine; the progress handler never runs inside it)
SLOW = f"SELECT length(replace({_big(6)}, {_big(5)} || 'b', 'c'))"


def test_one_expensive_expression_stops_at_the_time_limit(settings):  # noqa: F811
    fast = settings.model_copy(update={"sql_time_limit_ms": 300})
    assert len(SLOW) < 400
    started = time.monotonic()
    if fast.database_url.startswith("sqlite"):
        with pytest.raises(SqlRejectedError, match=r"시간 제한\(300 ms\)을 넘었습니다"):
            run_sql(SLOW, fast)
    else:  # PostgreSQL's replace() searches fast: done (or stopped by statement_timeout) in time either way
        try:
            run_sql(SLOW, fast)
        except SqlRejectedError as e:
            assert "시간 제한" in str(e)
    assert time.monotonic() - started < 1.5


def test_a_query_that_finishes_in_time_is_not_interrupted_afterwards(settings):  # noqa: F811
    fast = settings.model_copy(update={"sql_time_limit_ms": 300})
    for _ in range(3):
        assert run_sql("SELECT count(*) FROM budget_lines", fast).rows[0][0] > 0
    time.sleep(0.4)  # past the limit: a stale watchdog would now break the next query
    assert run_sql("SELECT count(*) FROM budget_lines", fast).rows[0][0] > 0


@pytest.mark.parametrize("query", [
    "SELECT " + "(" * 50 + "1" + ")" * 50,
    "SELECT " + "(" * 3000 + "1" + ")" * 3000,
    "SELECT " + "-" * 5000 + "1",
    "SELECT 1" + " + 1" * 4000,
    "SELECT * FROM (" * 200 + "SELECT 1" + ") AS x" * 200,
    "SELECT " + "CASE WHEN 1 THEN " * 300 + "1" + " END" * 300,
    "SELECT " + "abs(" * 2000 + "1" + ")" * 2000,
])
def test_deep_nesting_is_a_clean_refusal(query):
    for dialect in ("sqlite", "postgres"):
        try:
            validate_sql(query, dialect)
        except SqlRejectedError as e:
            assert "내부 오류" not in str(e) and str(e)
        # (accepting a legal deep query is fine too: what matters is that nothing else escapes)


@hsettings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(max_size=200))
def test_validator_raises_only_refusals_on_any_text(text):
    try:
        validate_sql(text, "sqlite")
    except SqlRejectedError:
        pass


SQL_WORDS = st.sampled_from(["SELECT", "FROM", "WHERE", "(", ")", ",", "*", "budget_lines", "reports", "name",
                             "amount", "1", "'x'", "replace", "UNION", "WITH", "AS", "JOIN", "ON", "=", ";",
                             "--", "/*", "*/", "DROP", "sqlite_master", "LIMIT", "ORDER BY", "GROUP BY", "\ud800"])


@hsettings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(SQL_WORDS, max_size=40).map(" ".join))
def test_validator_raises_only_refusals_on_sql_like_token_soup(query):
    for dialect in ("sqlite", "postgres"):
        try:
            checked = validate_sql(query, dialect)
        except SqlRejectedError:
            continue
        assert set(checked.tables) <= {"budget_lines", "reports"}
