"""The `hrd` command line: a thin wrapper over the library (parse args, call one function, print).

Examples:

    hrd ingest                       # ingest the bundled 2025 report (idempotent)
    hrd tables                       # tables and row counts
    hrd findings                     # where the report contradicts itself
    hrd ask "신입자 과정 집행률은?"     # answer a question, with citations
    hrd search "어린이집 운영 대안"     # ranked passages
    hrd sql "SELECT name, amount FROM budget_lines ORDER BY amount DESC LIMIT 3"
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path
from typing import Optional

import typer
from rich.console import Console
from rich.table import Table

from hrd.errors import HrdError
from hrd.settings import get_settings

app = typer.Typer(
    help="서울시 인재개발원 업무보고 질의응답 도구 (hrd-assistant).\n\n"
    "예: hrd ingest · hrd tables · hrd findings · hrd ask \"신입자 과정 집행률은?\"",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
console = Console()
err = Console(stderr=True)


def fail(e: Exception) -> None:
    err.print(f"[red]오류:[/red] {e}")
    raise typer.Exit(1)


@app.command()
def ingest(
    files: Optional[list[Path]] = typer.Argument(None, help="보고서 텍스트 파일(생략하면 내장 보고서)"),
    no_index: bool = typer.Option(False, "--no-index", help="검색 색인은 만들지 않음"),
    force: bool = typer.Option(False, "--force", help="저장된 같은 연도 보고서보다 구조가 줄었거나 너무 커도 적재"),
) -> None:
    """보고서를 데이터베이스와 검색 색인에 적재합니다 (같은 내용이면 건너뜀). UTF-8, UTF-8/UTF-16(BOM), CP949/EUC-KR을 읽습니다.

    예: hrd ingest · hrd ingest knowledge/sources/seoul-hrd-2025-work-report.txt · hrd ingest --force 수정본.txt
    """
    from knowledge.ingest import ingest as run

    try:
        with console.status("적재 중…") as status:
            results = run(files, get_settings(), progress=lambda m: status.update(m), with_index=not no_index, force=force)
    except HrdError as e:
        fail(e)
    for r in results:
        read_as = f"인코딩 {r.encoding}"
        if r.status == "unchanged":
            console.print(f"변경 없음: {r.source} ({r.year}년, {r.content_hash[:12]}, {read_as}) — 이미 적재되어 있습니다.")
        else:
            total = sum(v for k, v in r.rows.items() if k != "sections")
            console.print(f"[green]적재 완료[/green]: {r.source} ({r.year}년, {r.content_hash[:12]}, {read_as}) — 행 {total:,}개, 불일치 {r.findings}건")
            if r.replaced:
                console.print(f"  같은 연도의 이전 보고서({r.replaced[:12]})를 대체했습니다.")
            if r.flagged:
                console.print(f"  [yellow]주의: AI나 독자에게 지시하는 것으로 보이는 줄 {r.flagged}건을 표시했습니다 (hrd findings). "
                              "답변은 이 줄을 사실로 인용하지 않습니다.[/yellow]")


def _ready():
    from knowledge.db import engine_for
    from knowledge.ingest import ensure_ready

    settings = get_settings()
    ensure_ready(settings, progress=lambda m: err.print(f"[dim]{m}[/dim]"))
    return engine_for(settings)


def _on_current_report(read):
    """(report, read(session, report)) for the newest ingested report; errors end the command cleanly."""
    from sqlalchemy.orm import Session

    from knowledge.db import current_report

    try:
        with Session(_ready()) as s:
            rep = current_report(s)
            return rep, read(s, rep)
    except HrdError as e:
        fail(e)


@app.command()
def tables(as_json: bool = typer.Option(False, "--json", help="JSON으로 출력")) -> None:
    """적재된 표와 행 수를 보여줍니다.

    예: hrd tables
    """
    from sqlalchemy import func, select

    from knowledge.models import CONTENT_MODELS

    rep, rows = _on_current_report(lambda s, rep: [
        (m.__tablename__, m.__label__, m.__unit__, s.scalar(select(func.count()).select_from(m).where(m.report_id == rep.id)))
        for m in CONTENT_MODELS])
    if as_json:
        print(json.dumps([{"table": t, "label": l, "unit": u, "rows": n} for t, l, u, n in rows], ensure_ascii=False))
        return
    t = Table(title=f"{rep.file_name} ({rep.year}년, {rep.content_hash[:12]})")
    for col in ("표", "설명", "단위", "행 수"):
        t.add_column(col, justify="right" if col == "행 수" else "left")
    for name, label, unit, n in rows:
        t.add_row(name, label, unit, f"{n:,}")
    console.print(t)


@app.command()
def findings(as_json: bool = typer.Option(False, "--json", help="JSON으로 출력")) -> None:
    """보고서 안에서 서로 맞지 않는 수치(불일치)를 보여줍니다.

    예: hrd findings
    """
    from sqlalchemy import select

    from knowledge.models import Finding

    from tools.queries import row_dict

    rep, data = _on_current_report(lambda s, rep: [
        row_dict(f) for f in s.scalars(select(Finding).where(Finding.report_id == rep.id).order_by(Finding.line_start)).all()])
    if as_json:
        print(json.dumps(data, ensure_ascii=False))
        return
    from rich.markup import escape

    from knowledge.planted import RULE

    planted = [d for d in data if d["rule"] == RULE]
    data = [d for d in data if d["rule"] != RULE]
    if planted:
        t = Table(title=f"AI·독자에게 하는 지시로 보이는 줄 {len(planted)}건 (답변에서 사실로 인용하지 않음)", show_lines=True)
        for col in ("줄", "위치", "내용"):
            t.add_column(col)
        for d in planted:
            t.add_row(d["lines_a"], escape(d["where_a"]), escape(d["subject"]))
        console.print(t)
    if not data:
        console.print("불일치가 발견되지 않았습니다.")
        return
    t = Table(title=f"보고서 내 불일치 {len(data)}건 ({rep.file_name})", show_lines=True)
    for col in ("규칙", "대상", "항목", "내용"):
        t.add_column(col)
    for d in data:
        t.add_row(d["rule"], d["subject"], d["measure"], d["message"])
    console.print(t)


def _register_optional() -> None:
    """Commands that live in their own modules (search, sql, ask, serve, eval, draft)."""
    import importlib

    for name in ("cli_search", "cli_sql", "cli_ask", "cli_serve", "cli_keys", "cli_log", "cli_eval", "cli_draft"):
        try:
            mod = importlib.import_module(f"hrd.{name}")
        except ModuleNotFoundError as e:
            if e.name == f"hrd.{name}":
                continue
            raise
        mod.register(app)


_register_optional()


def main() -> None:
    try:
        app()
    except HrdError as e:  # last line of defence: never a traceback for a known error
        err.print(f"[red]오류:[/red] {e}")
        sys.exit(1)
    except Exception as e:  # an unexpected fault: one line, not a traceback (HRD_DEBUG=1 shows it)
        if os.environ.get("HRD_DEBUG"):
            raise
        err.print(f"[red]내부 오류:[/red] {type(e).__name__}: {e} — 데이터는 바뀌지 않았습니다. HRD_DEBUG=1로 다시 실행하면 자세한 내용을 봅니다.")
        sys.exit(2)
