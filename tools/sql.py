"""The guarded, read-only SQL tool: one SELECT over the report's tables, validated, then run read-only.

In the spirit of datasette's `validate_sql_select` + `sqlite_timelimit`, but on a parsed tree
(sqlglot) instead of regular expressions, and with the connection itself unable to write:

1. **Validate** (before anything touches the database), in this order:
   - exactly one statement, at most `MAX_QUERY_CHARS` characters;
   - its root is a SELECT (CTEs, sub-queries and UNION / INTERSECT / EXCEPT of SELECTs allowed);
   - no write, definition or command node anywhere in the tree (INSERT/UPDATE/DELETE/MERGE,
     CREATE/DROP/ALTER/TRUNCATE, PRAGMA, ATTACH/DETACH, VACUUM, COPY, SET, SELECT … INTO,
     FOR UPDATE, …), including inside CTEs;
   - functions only from `ALLOWED_FUNCTIONS` (see `describe_schema()`);
   - every other node type from a closed allow-list (`_ALLOWED_NODES`): syntax sqlglot knows but
     this tool does not expect (placeholders, LATERAL, table samples, …) is refused;
   - tables only from `allowed_tables()` (the content tables of `knowledge.models` + `reports`),
     unqualified; CTE names are resolved by scope, so a CTE cannot smuggle in `sqlite_master`;
   - every column exists (sqlglot's optimizer `qualify` against a schema built from the metadata).
2. **Execute** the SQL *regenerated from the validated tree* (comments dropped: what runs is what
   was checked; a construct the dialect's generator cannot express faithfully is refused rather
   than silently changed), on a connection that cannot write:
   - SQLite: `sqlite3.connect("file:…?mode=ro", uri=True)` in a forked child process that
     is killed at `settings.sql_time_limit_ms`: one long C-level call (nested `replace()` over
     megabytes) reaches neither the progress handler nor `Connection.interrupt()`'s checks;
     `SQLITE_LIMIT_LENGTH` capped (no gigabyte strings), no ATTACH;
   - PostgreSQL: psycopg, `SET TRANSACTION READ ONLY` + `SET LOCAL statement_timeout` in a
     transaction that is always rolled back, rows read through a server-side cursor.
   At most `limit + 1` rows are fetched; `truncated` says whether more existed.

Every refusal is a `SqlRejectedError` whose Korean message says why.

>>> "budget_lines" in allowed_tables() and "sqlite_master" not in allowed_tables()
True
"""

from __future__ import annotations

import datetime as _dt
import inspect
import re
import sqlite3
import time
from decimal import Decimal
from functools import lru_cache
from typing import Any
from urllib.parse import quote

import logging

import sqlglot
from pydantic import BaseModel, Field, computed_field
from sqlglot import exp
from sqlglot.errors import ErrorLevel, OptimizeError, SqlglotError
from sqlglot.optimizer.qualify import qualify
from sqlglot.optimizer.scope import traverse_scope

from hrd.errors import DataMissingError, SqlRejectedError
from hrd.settings import Settings
from hrd.text import invalid_code_point
from knowledge.models import CONTENT_MODELS, Report

from .sql_worker import run_query

__all__ = [
    "ALLOWED_FUNCTIONS", "SqlResult", "TableSource", "allowed_tables", "describe_schema",
    "dialect_for", "execute_readonly", "run_sql", "validate_sql",
]

class _NoFallbackWarning(logging.Filter):
    """sqlglot warns when it parses unknown syntax as a Command; the tool refuses those anyway."""

    def filter(self, record: logging.LogRecord) -> bool:
        return "Falling back to parsing as a 'Command'" not in record.getMessage()


logging.getLogger("sqlglot").addFilter(_NoFallbackWarning())

MAX_QUERY_CHARS = 10_000
HARD_MAX_ROWS = 5_000  # `limit=` may raise the row limit up to this
SQLITE_MAX_VALUE_BYTES = 10_000_000  # longest string/blob a query may build on SQLite

# -- allow-lists ---------------------------------------------------------------------------------

# function name (as written) → what it does; the documented surface of the tool
ALLOWED_FUNCTIONS: dict[str, str] = {
    "count": "집계: 개수", "sum": "집계: 합계", "avg": "집계: 평균", "min": "집계/스칼라: 최솟값",
    "max": "집계/스칼라: 최댓값", "group_concat / string_agg": "집계: 문자열 이어 붙이기",
    "round": "반올림", "abs": "절댓값", "coalesce / ifnull": "첫 non-NULL 값", "nullif": "같으면 NULL",
    "lower / upper": "대소문자", "length": "문자열 길이", "substr / substring": "부분 문자열",
    "replace": "문자열 치환", "trim": "앞뒤 공백 제거", "instr": "부분 문자열 위치",
    "cast": "형 변환", "case / iif": "조건식",
    "row_number / rank / dense_rank": "창 함수 (OVER (...))",
}

_ALLOWED_FUNC_NODES: tuple[type[exp.Expression], ...] = (
    exp.Count, exp.Sum, exp.Avg, exp.Min, exp.Max, exp.GroupConcat,
    exp.Round, exp.Abs, exp.Coalesce, exp.Nullif, exp.Lower, exp.Upper, exp.Length,
    exp.Substring, exp.Replace, exp.Trim, exp.StrPosition, exp.Cast, exp.Case, exp.If,
    exp.RowNumber, exp.Rank, exp.DenseRank, exp.Greatest, exp.Least,  # max(a, b) / min(a, b) on SQLite
)
# functions sqlglot does not model (exp.Anonymous) that are allowed, by lower-case name
_ALLOWED_ANONYMOUS: frozenset[str] = frozenset({"instr", "replace", "substr", "ifnull"})

# every non-function node type a query may contain
_ALLOWED_NODES: tuple[type[exp.Expression], ...] = (
    exp.Select, exp.Union, exp.Intersect, exp.Except, exp.Subquery, exp.With, exp.CTE,
    exp.TableAlias, exp.From, exp.Join, exp.Where, exp.Group, exp.Having, exp.Order, exp.Ordered,
    exp.Limit, exp.Offset, exp.Distinct, exp.Table, exp.Identifier, exp.Column, exp.Star,
    exp.Alias, exp.Literal, exp.Null, exp.Boolean, exp.Paren, exp.Tuple, exp.Neg, exp.Not,
    exp.And, exp.Or, exp.EQ, exp.NEQ, exp.GT, exp.GTE, exp.LT, exp.LTE, exp.Is, exp.In,
    exp.Between, exp.Like, exp.ILike, exp.Glob, exp.Escape, exp.Add, exp.Sub, exp.Mul, exp.Div,
    exp.Mod, exp.DPipe, exp.DataType, exp.DataTypeParam, exp.Exists, exp.Window, exp.WindowSpec,
    exp.Values, exp.Filter, exp.Collate, exp.Any, exp.All,
)


def _node(name: str) -> type[exp.Expression] | None:
    return getattr(exp, name, None)


# node types that write, define or command; named in the refusal (looked up by name: sqlglot
# versions differ in which of these exist)
_FORBIDDEN_NODES: dict[type[exp.Expression], str] = {
    cls: label
    for name, label in [
        ("Insert", "INSERT"), ("Update", "UPDATE"), ("Delete", "DELETE"), ("Merge", "MERGE"),
        ("Create", "CREATE"), ("Drop", "DROP"), ("Alter", "ALTER"), ("TruncateTable", "TRUNCATE"),
        ("Pragma", "PRAGMA"), ("Attach", "ATTACH"), ("Detach", "DETACH"), ("Copy", "COPY"),
        ("Set", "SET"), ("Use", "USE"), ("Transaction", "BEGIN"), ("Commit", "COMMIT"),
        ("Rollback", "ROLLBACK"), ("Grant", "GRANT"), ("Revoke", "REVOKE"), ("Into", "SELECT … INTO"),
        ("Lock", "FOR UPDATE/SHARE"), ("Returning", "RETURNING"), ("Describe", "DESCRIBE"),
        ("Analyze", "ANALYZE"), ("Kill", "KILL"), ("Declare", "DECLARE"), ("Execute", "EXECUTE"),
        ("LoadData", "LOAD DATA"), ("Comment", "COMMENT"), ("Show", "SHOW"), ("Refresh", "REFRESH"),
        ("Cache", "CACHE"), ("Uncache", "UNCACHE"),
    ]
    if (cls := _node(name)) is not None
}


# -- the schema, from the models -----------------------------------------------------------------

def _models() -> list[type]:
    return [*CONTENT_MODELS, Report]


@lru_cache(maxsize=1)
def allowed_tables() -> dict[str, type]:
    """Table name → model, for every table the tool may read (content tables + `reports`)."""
    return {m.__tablename__: m for m in _models()}


@lru_cache(maxsize=1)
def _schema() -> dict[str, dict[str, str]]:
    return {
        name: {c.name: str(c.type) for c in model.__table__.columns}
        for name, model in allowed_tables().items()
    }


def _column_comments(model: type) -> dict[str, str]:
    """`name: Mapped[...] = ...  # comment` → {name: comment}, read from the model's source."""
    out: dict[str, str] = {}
    try:
        src = inspect.getsource(model)
    except (OSError, TypeError):
        return out
    for m in re.finditer(r"^\s+(\w+): Mapped\[.*#\s*(.+?)\s*$", src, re.M):
        out[m.group(1)] = m.group(2)
    return out


@lru_cache(maxsize=1)
def describe_schema() -> str:
    """A compact description of the tables the tool reads: Korean label, unit, columns (with notes)."""
    lines = [
        "읽기 전용 SQL: SELECT 문 하나만 (WITH·UNION·서브쿼리 가능). 아래 테이블과 열만 쓸 수 있습니다.",
        "모든 내용 테이블 공통 열: id, report_id(→reports.id), section(보고서 위치), "
        "line_start·line_end(보고서 줄 번호, 근거 인용용).",
        "",
    ]
    common = {"id", "report_id", "section", "line_start", "line_end"}
    for name, model in allowed_tables().items():
        unit = getattr(model, "__unit__", "") or ""
        head = f"{name} — {getattr(model, '__label__', '') or name}" + (f" [단위: {unit}]" if unit else "")
        notes = _column_comments(model)
        cols = []
        for c in model.__table__.columns:
            if c.name in common and name != "reports":
                continue
            t = type(c.type).__name__.upper()
            t = {"STRING": "TEXT", "FLOAT": "REAL"}.get(t, t)
            cols.append(f"{c.name} {t}" + (f" ({notes[c.name]})" if c.name in notes else ""))
        lines.append(head)
        lines.append("  " + ", ".join(cols))
    lines += [
        "",
        "허용 함수: " + "; ".join(f"{k}({v})" for k, v in ALLOWED_FUNCTIONS.items()),
        "연산자: = <> < > <= >= AND OR NOT IN BETWEEN LIKE GLOB IS NULL EXISTS || + - * / %",
        "결과는 최대 행 수에서 잘립니다(truncated). PostgreSQL의 round(x, n)은 numeric만 받습니다: "
        "round(CAST(x AS numeric), 1).",
    ]
    return "\n".join(lines)


# -- validation ----------------------------------------------------------------------------------

def dialect_for(url: str) -> str:
    if url.startswith("sqlite"):
        return "sqlite"
    if url.startswith(("postgresql", "postgres")):
        return "postgres"
    raise SqlRejectedError(f"지원하지 않는 데이터베이스입니다: {url.split(':', 1)[0]}")


def _func_name(node: exp.Expression, dialect: str) -> str:
    if isinstance(node, exp.Anonymous):
        return str(node.name).lower()
    try:
        text = node.sql(dialect=dialect)
    except SqlglotError:
        text = node.key
    head = text.split("(", 1)[0].strip().lower()
    return head if re.fullmatch(r"[a-z_][a-z0-9_]*", head) else node.key


def _table_label(t: exp.Table) -> str:
    return ".".join(p for p in (t.catalog, t.db, t.name) if p) or t.sql()


def _first_word(query: str) -> str:
    text = re.sub(r"/\*.*?\*/|--[^\n]*", " ", query, flags=re.S).strip()
    return (text.split(None, 1)[0] if text else "?").upper()[:30]


class _Validated(BaseModel):
    sql: str
    tables: list[str]


def validate_sql(query: str, dialect: str) -> _Validated:
    """Check `query` against every rule; return the SQL to run (regenerated) and the tables used.
    Whatever the parser or optimizer raises (a RecursionError on deep nesting included) is a refusal."""
    if not isinstance(query, str):
        raise SqlRejectedError(f"쿼리는 문자열이어야 합니다 (받은 형식: {type(query).__name__}).")
    bad = invalid_code_point(query)
    if bad is not None:
        raise SqlRejectedError(f"쿼리에 문자가 아닌 코드({bad[1]}, {bad[0]}번째 글자)가 있습니다.")
    try:
        return _validate(query, dialect)
    except SqlRejectedError:
        raise
    except RecursionError:
        raise SqlRejectedError("쿼리가 너무 깊게 중첩되어 해석할 수 없습니다. 괄호·하위 쿼리를 줄여 주세요.") from None
    except Exception as e:  # any other parser/optimizer failure: a refusal, never an internal error
        raise SqlRejectedError(f"SQL을 해석할 수 없습니다 ({type(e).__name__}). SELECT 문 하나만 허용됩니다.") from None


def _validate(query: str, dialect: str) -> _Validated:
    if not query or not query.strip():
        raise SqlRejectedError("빈 쿼리입니다. SELECT 문 하나를 주세요.")
    if len(query) > MAX_QUERY_CHARS:
        raise SqlRejectedError(f"쿼리가 너무 깁니다 ({len(query)}자, 최대 {MAX_QUERY_CHARS}자).")
    try:
        statements = [s for s in sqlglot.parse(query, read=dialect) if s is not None]
    except SqlglotError as e:
        first = str(e).splitlines()[0] if str(e) else type(e).__name__
        raise SqlRejectedError(f"SQL을 해석할 수 없습니다 (SELECT 문 하나만 허용됩니다): {first}") from e
    if len(statements) != 1:
        raise SqlRejectedError(f"SELECT 문 하나만 허용됩니다 (문장 {len(statements)}개를 받았습니다).")
    tree = statements[0]
    while isinstance(tree, exp.Subquery) and not tree.alias:  # "(SELECT …)" → "SELECT …"
        tree = tree.this

    # 1. the statement itself
    if not isinstance(tree, (exp.Select, exp.SetOperation)):
        kind = _FORBIDDEN_NODES.get(type(tree)) or _first_word(query)
        raise SqlRejectedError(f"SELECT 문 하나만 허용됩니다 (받은 구문: {kind}).")

    # 2. writes / commands anywhere (CTEs included)
    for node in tree.walk():
        for cls, label in _FORBIDDEN_NODES.items():
            if isinstance(node, cls):
                raise SqlRejectedError(f"쓰기·정의·명령 구문은 허용되지 않습니다: {label} (읽기 전용 SELECT만 가능)")
        if isinstance(node, exp.Command):
            raise SqlRejectedError(f"허용되지 않은 명령입니다: {str(node.this).upper()} (읽기 전용 SELECT만 가능)")

    # 3. every node: a known-harmless node type, or an allowed function
    for node in tree.walk():
        if isinstance(node, _ALLOWED_NODES):  # (sqlglot models AND/OR/… as functions too)
            continue
        if isinstance(node, exp.Var) and isinstance(node.parent, exp.Collate):  # COLLATE NOCASE
            continue
        if isinstance(node, exp.Func):
            ok = isinstance(node, _ALLOWED_FUNC_NODES) or (
                isinstance(node, exp.Anonymous) and str(node.name).lower() in _ALLOWED_ANONYMOUS
            )
            if not ok:
                raise SqlRejectedError(
                    f"허용되지 않은 함수: {_func_name(node, dialect)} "
                    f"(허용: {', '.join(ALLOWED_FUNCTIONS)})"
                )
        else:
            raise SqlRejectedError(f"허용되지 않은 구문입니다: {node.key.upper()} ({node.sql(dialect=dialect)[:60]})")

    # 4. tables: real sources per scope (so a CTE named like a system table cannot hide one) ...
    allowed = allowed_tables()
    try:
        scopes = list(traverse_scope(tree))
    except (OptimizeError, SqlglotError) as e:
        raise SqlRejectedError(f"쿼리 구조를 해석할 수 없습니다: {e}") from e
    used: list[str] = []
    for scope in scopes:
        for source in scope.sources.values():
            if isinstance(source, exp.Table):
                name = source.name.lower()
                if source.db or source.catalog or name not in allowed or not isinstance(source.this, exp.Identifier):
                    raise SqlRejectedError(f"허용되지 않은 테이블: {_table_label(source)}")
                if name not in used:
                    used.append(name)
    # (listed in the order they appear in the query)
    order = {id(n): i for i, n in enumerate(tree.walk(bfs=False))}
    first_seen = {}
    for t in tree.find_all(exp.Table):
        first_seen.setdefault(t.name.lower(), order.get(id(t), 0))
    used.sort(key=lambda name: first_seen.get(name, 0))
    # ... and any table node anywhere must be an allowed table or a CTE's name
    cte_names = {c.alias_or_name.lower() for c in tree.find_all(exp.CTE)}
    for t in tree.find_all(exp.Table):
        name = t.name.lower()
        if t.db or t.catalog or not isinstance(t.this, exp.Identifier) or (name not in allowed and name not in cte_names):
            raise SqlRejectedError(f"허용되지 않은 테이블: {_table_label(t)}")

    # 5. columns
    try:
        qualify(tree.copy(), schema=_schema(), dialect=dialect, validate_qualify_columns=True,
                quote_identifiers=False)
    except (OptimizeError, SqlglotError) as e:
        msg = str(e).split(". Line:")[0]
        m = re.search(r"Column '([^']+)' could not be resolved(?: for table: '([^']+)')?", msg)
        if m:
            col = f"{m.group(2)}.{m.group(1)}" if m.group(2) else m.group(1)
            raise SqlRejectedError(f"알 수 없는 열: {col} (hrd sql --schema로 열 이름을 확인하세요)") from e
        m = re.search(r"Unknown column: (\S+)", msg)
        if m:
            raise SqlRejectedError(f"알 수 없는 열: {m.group(1)} (hrd sql --schema로 열 이름을 확인하세요)") from e
        m = re.search(r"Unknown table: '?([^'\s]+)", msg)
        if m:
            raise SqlRejectedError(f"알 수 없는 테이블(별칭): {m.group(1)}") from e
        raise SqlRejectedError(f"열이나 테이블을 확인할 수 없습니다: {msg}") from e

    # what runs is the validated tree; a construct the dialect's generator would silently drop or
    # change is refused instead
    try:
        sql = tree.sql(dialect=dialect, comments=False, unsupported_level=ErrorLevel.RAISE)
    except SqlglotError as e:
        raise SqlRejectedError(f"이 데이터베이스에서 지원하지 않는 구문입니다: {str(e).splitlines()[0]}") from e
    return _Validated(sql=sql, tables=used)


# -- execution -----------------------------------------------------------------------------------

def _plain(v: Any) -> Any:
    if isinstance(v, Decimal):
        return int(v) if v == v.to_integral_value() and abs(v) < 2**63 else float(v)
    if isinstance(v, (_dt.datetime, _dt.date, _dt.time)):
        return v.isoformat(sep=" ") if isinstance(v, _dt.datetime) else v.isoformat()
    if isinstance(v, (bytes, bytearray, memoryview)):
        return bytes(v).hex()
    return v


def _timeout(settings: Settings) -> SqlRejectedError:
    return SqlRejectedError(
        f"시간 제한({settings.sql_time_limit_ms} ms)을 넘었습니다. 조건을 좁히거나 조인을 줄여 보세요."
    )


def _readonly_refusal(detail: str) -> SqlRejectedError:
    return SqlRejectedError(f"읽기 전용 연결이라 쓰기가 거부되었습니다: {detail}")


def _sqlite_path(url: str) -> str:
    from sqlalchemy.engine import make_url

    path = make_url(url).database
    if not path or path == ":memory:":
        raise SqlRejectedError("메모리 SQLite 데이터베이스는 읽기 전용으로 열 수 없습니다.")
    return path


def _worker_context():
    """fork: the child runs only the standard-library worker (sqlite3, the pipe), starts in a few ms
    and imports nothing (forkserver/spawn children would import the CLI's main module: ~1 s)."""
    import multiprocessing

    return multiprocessing.get_context("fork")


def _execute_sqlite(sql: str, settings: Settings, max_rows: int) -> tuple[list[str], list[tuple], bool]:
    """Run the query in a child process (tools/sql_worker.py) that is killed at the time limit: one long C-level call
    (nested replace() over megabytes) reaches neither a progress handler nor an interrupt check."""
    from pathlib import Path

    path = Path(_sqlite_path(settings.database_url))
    if not path.exists():
        raise DataMissingError("적재된 보고서가 없습니다. `hrd ingest`를 먼저 실행하세요.")
    uri = f"file:{quote(str(path.resolve()))}?mode=ro"
    limit_s = settings.sql_time_limit_ms / 1000
    ctx = _worker_context()
    receiver, sender = ctx.Pipe(duplex=False)
    proc = ctx.Process(target=run_query, args=(uri, sql, max_rows, limit_s, SQLITE_MAX_VALUE_BYTES, sender), daemon=True)
    proc.start()
    sender.close()
    try:
        reply = receiver.recv() if receiver.poll(limit_s + 0.25) else None
    except EOFError:  # the child died (out of memory …)
        reply = ("error", "the query process ended without an answer", False)
    finally:
        if proc.is_alive():
            proc.kill()
        proc.join(5)
        receiver.close()
    if reply is None:
        raise _timeout(settings)
    if reply[0] == "ok":
        _, columns, rows = reply
        return columns, rows, len(rows) > max_rows
    _, msg, timed_out = reply
    if timed_out or "interrupted" in msg:
        raise _timeout(settings)
    if "readonly" in msg or "read-only" in msg or "query_only" in msg:
        raise _readonly_refusal(msg)
    if "no such table" in msg:
        raise DataMissingError(f"데이터베이스에 테이블이 없습니다 ({msg}). `hrd ingest`를 먼저 실행하세요.")
    if "too big" in msg:
        raise SqlRejectedError(f"결과 값이 너무 큽니다 (한 값 최대 {SQLITE_MAX_VALUE_BYTES:,}바이트).")
    raise SqlRejectedError(f"SQL 실행 오류: {msg}")


def _pg_conninfo(url: str) -> str:
    from sqlalchemy.engine import make_url

    return make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)


def _execute_postgres(sql: str, settings: Settings, max_rows: int) -> tuple[list[str], list[tuple], bool]:
    import psycopg
    from psycopg import errors as pgerr

    try:
        conn = psycopg.connect(_pg_conninfo(settings.database_url), autocommit=False, connect_timeout=10)
    except psycopg.Error as e:
        raise SqlRejectedError(f"PostgreSQL에 연결할 수 없습니다: {str(e).strip().splitlines()[0]}") from e
    try:
        with conn.cursor() as setup:
            setup.execute("SET TRANSACTION READ ONLY")  # first statement of the implicit transaction
            setup.execute(f"SET LOCAL statement_timeout = {int(settings.sql_time_limit_ms)}")
            setup.execute(f"SET LOCAL lock_timeout = {int(settings.sql_time_limit_ms)}")
        # a query goes through a server-side cursor, so only max_rows + 1 rows travel; anything
        # else (only reachable by calling this function directly) is sent as is, for the server's
        # READ ONLY transaction to refuse
        is_query = re.match(r"\s*(\(|select\b|with\b|values\b)", sql, re.I) is not None
        try:
            with conn.cursor(name="hrd_sql") if is_query else conn.cursor() as cur:
                cur.execute(sql)
                rows = cur.fetchmany(max_rows + 1) if cur.description else []
                columns = [d.name for d in cur.description or []]
        except pgerr.QueryCanceled as e:
            raise _timeout(settings) from e
        except pgerr.ReadOnlySqlTransaction as e:
            raise _readonly_refusal(str(e).strip().splitlines()[0]) from e
        except pgerr.UndefinedTable as e:
            raise DataMissingError(f"데이터베이스에 테이블이 없습니다 ({str(e).strip().splitlines()[0]}). `hrd ingest`를 먼저 실행하세요.") from e
        except psycopg.Error as e:
            raise SqlRejectedError(f"SQL 실행 오류: {str(e).strip().splitlines()[0]}") from e
        return columns, rows, len(rows) > max_rows
    finally:
        try:
            conn.rollback()
        finally:
            conn.close()


def execute_readonly(sql: str, settings: Settings, *, max_rows: int) -> tuple[list[str], list[list[Any]], bool]:
    """Run `sql` on a read-only connection with the time limit; NO validation (use `run_sql`).

    Returns (columns, at most `max_rows` rows, truncated). Exposed so tests can show that the
    connection itself refuses writes even when validation is bypassed.
    """
    dialect = dialect_for(settings.database_url)
    runner = _execute_sqlite if dialect == "sqlite" else _execute_postgres
    columns, rows, truncated = runner(sql, settings, max_rows)
    return columns, [[_plain(v) for v in r] for r in rows[:max_rows]], truncated


# -- the tool ------------------------------------------------------------------------------------

class TableSource(BaseModel):
    table: str
    label: str
    unit: str = ""


class SqlResult(BaseModel):
    """The answer of one guarded query, with where its figures come from."""

    columns: list[str]
    rows: list[list[Any]]
    row_count: int = Field(description="rows returned (after the limit)")
    truncated: bool = Field(description="more rows existed than the limit")
    elapsed_ms: float
    sql: str = Field(description="the SQL actually executed (regenerated from the validated tree)")
    tables: list[str] = Field(default_factory=list, description="tables the query read")
    sources: list[TableSource] = Field(default_factory=list, description="label and unit of each table")
    limit: int = 0

    @computed_field  # type: ignore[prop-decorator]
    @property
    def provenance(self) -> str:
        """'출처: budget_lines = 세출예산 현황(…) [단위: 천원]; …' (empty for a query reading no table)."""
        if not self.sources:
            return ""
        parts = [f"{s.table} = {s.label}" + (f" [단위: {s.unit}]" if s.unit else "") for s in self.sources]
        return "출처 표: " + "; ".join(parts)


def run_sql(query: str, settings: Settings, *, limit: int | None = None) -> SqlResult:
    """Validate `query`, run it read-only within the time limit, return at most `limit` rows
    (default `settings.sql_row_limit`, at most `HARD_MAX_ROWS`). Raises SqlRejectedError."""
    dialect = dialect_for(settings.database_url)
    checked = validate_sql(query, dialect)
    n = settings.sql_row_limit if limit is None else limit
    n = max(1, min(int(n), HARD_MAX_ROWS))
    started = time.perf_counter()
    columns, rows, truncated = execute_readonly(checked.sql, settings, max_rows=n)
    elapsed = (time.perf_counter() - started) * 1000
    models = allowed_tables()
    sources = [
        TableSource(table=t, label=getattr(models[t], "__label__", "") or t, unit=getattr(models[t], "__unit__", "") or "")
        for t in checked.tables
    ]
    return SqlResult(
        columns=columns, rows=rows, row_count=len(rows), truncated=truncated, elapsed_ms=round(elapsed, 2),
        sql=checked.sql, tables=checked.tables, sources=sources, limit=n,
    )
