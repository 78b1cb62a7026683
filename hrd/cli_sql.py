"""`hrd sql`: the guarded read-only SQL tool from the command line.

    hrd sql "SELECT name, amount FROM budget_lines ORDER BY amount DESC LIMIT 3"
    hrd sql "SELECT ..." --json            # {"columns", "rows", "truncated", "sql", "provenance", ...}
    hrd sql "SELECT ..." --limit 20        # at most 20 rows (default HRD_SQL_ROW_LIMIT)
    hrd sql --schema                       # allowed tables, Korean labels, units, columns, functions

`hrd/cli.py` calls `register(app)`. A refused query prints the reason in red and exits 1.
"""

from __future__ import annotations

import json
from typing import Optional

import typer

from hrd.errors import HrdError


def _fmt(v) -> str:
    if v is None:
        return "[dim]NULL[/dim]"
    if isinstance(v, bool):
        return str(v)
    if isinstance(v, int):
        return f"{v:,}"
    if isinstance(v, float):
        return f"{v:,.6g}" if abs(v) < 1e15 else str(v)
    return str(v)


def sql(
    query: Optional[str] = typer.Argument(None, help="실행할 SELECT 문 하나"),
    as_json: bool = typer.Option(False, "--json", help="JSON으로 출력"),
    limit: Optional[int] = typer.Option(None, "--limit", min=1, help="최대 행 수 (기본: HRD_SQL_ROW_LIMIT)"),
    schema: bool = typer.Option(False, "--schema", help="쓸 수 있는 테이블·열·함수를 보여줍니다"),
) -> None:
    """읽기 전용 SQL(SELECT 하나)로 보고서 표를 조회합니다.

    예: hrd sql "SELECT name, amount FROM budget_lines ORDER BY amount DESC LIMIT 3" · hrd sql --schema
    """
    from rich.console import Console
    from rich.markup import escape
    from rich.table import Table

    from hrd.settings import get_settings

    console = Console()
    err = Console(stderr=True)
    try:
        from tools.sql import describe_schema, run_sql

        if schema:
            if as_json:
                print(json.dumps({"schema": describe_schema()}, ensure_ascii=False))
            else:
                print(describe_schema())  # plain: Rich would re-wrap the lines
            return
        if not query or not query.strip():
            raise typer.BadParameter("SELECT 문을 주세요 (또는 --schema).", param_hint="QUERY")
        settings = get_settings()
        from knowledge.ingest import ensure_ready

        ensure_ready(settings, progress=lambda m: err.print(f"[dim]{escape(m)}[/dim]"))
        result = run_sql(query, settings, limit=limit)
    except HrdError as e:
        err.print(f"[red]오류:[/red] {escape(str(e))}")
        raise typer.Exit(1)

    if as_json:
        print(json.dumps(result.model_dump(mode="json"), ensure_ascii=False))
        return
    t = Table(title=escape(result.provenance) or None, title_justify="left")
    numeric = [bool(result.rows) and all(isinstance(r[i], (int, float)) or r[i] is None for r in result.rows)
               for i in range(len(result.columns))]
    for name, num in zip(result.columns, numeric):
        t.add_column(escape(name), justify="right" if num else "left", overflow="fold")
    for row in result.rows:
        t.add_row(*[_fmt(v) if v is None else escape(_fmt(v)) for v in row])
    console.print(t)
    tail = f"{result.row_count:,}행 · {result.elapsed_ms:.1f} ms"
    if result.truncated:
        tail += f" · [yellow]최대 {result.limit:,}행에서 잘렸습니다 (--limit으로 조정)[/yellow]"
    console.print(tail)


def register(app: typer.Typer) -> None:
    app.command(name="sql")(sql)
