"""`hrd log`: the accountability log of every API request (who, when, route, question, status, answer, …).

    hrd log                                  # the newest 20 requests
    hrd log --key 김주무관 --status 401       # filters: --key --status --route --since --until --refused/--answered
    hrd log --since 2026-12-01 --csv log.csv  # CSV export (--csv - writes to stdout)
    hrd log prune                            # delete rows and conversations older than HRD_LOG_RETENTION_DAYS
"""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path
from typing import Optional

import typer
from rich.console import Console
from rich.table import Table

from hrd.errors import HrdError
from hrd.settings import get_settings

log_app = typer.Typer(help="요청 기록(누가, 언제, 어느 경로, 질문, 상태, 답변, 거절, 인용, 백엔드, 지연).\n\n"
                           "예: hrd log · hrd log --status 401 · hrd log --csv log.csv · hrd log prune")
console = Console()
err = Console(stderr=True)


def _date(value: Optional[str], option: str) -> Optional[datetime]:
    if not value:
        return None
    try:
        return datetime.fromisoformat(value).replace(tzinfo=None)
    except ValueError:
        raise typer.BadParameter("날짜는 2026-12-01 또는 2026-12-01T09:00 형식으로 주세요(UTC)", param_hint=option) from None


@log_app.callback(invoke_without_command=True)
def show(
    ctx: typer.Context,
    key: Optional[str] = typer.Option(None, "--key", help="키 이름"),
    status: Optional[int] = typer.Option(None, "--status", help="HTTP 상태, 예: 401"),
    route: Optional[str] = typer.Option(None, "--route", help="경로, 예: /api/v1/ask"),
    since: Optional[str] = typer.Option(None, "--since", help="이 시각(UTC) 이후, 예: 2026-12-01"),
    until: Optional[str] = typer.Option(None, "--until", help="이 시각(UTC) 이전"),
    refused: Optional[bool] = typer.Option(None, "--refused/--answered", help="거절된 답변만 / 답한 것만"),
    limit: int = typer.Option(20, "--limit", min=1, max=100_000, help="최대 행 수"),
    csv_path: Optional[str] = typer.Option(None, "--csv", metavar="FILE", help="CSV로 내보내기('-'는 표준 출력)"),
    as_json: bool = typer.Option(False, "--json", help="JSON으로 출력"),
) -> None:
    """요청 기록을 최신순으로 보여 줍니다.

    예: hrd log --key 김주무관 --since 2026-12-01 --csv log.csv
    """
    if ctx.invoked_subcommand is not None:
        return
    from api.reqlog import LogFilter, query, to_csv
    from knowledge.db import engine_for

    flt = LogFilter(key_name=key, status=status, route=route, since=_date(since, "--since"), until=_date(until, "--until"),
                    refused=refused)
    try:
        total, rows = query(engine_for(get_settings()), flt, limit=limit)
    except Exception as e:
        err.print(f"[red]오류:[/red] 요청 기록을 읽을 수 없습니다({type(e).__name__}). `hrd ingest`나 `hrd serve`를 먼저 실행했는지 확인하세요.")
        raise typer.Exit(1)
    if csv_path:
        text = to_csv(rows)
        if csv_path == "-":
            typer.echo(text, nl=False)
        else:
            Path(csv_path).write_text(text, encoding="utf-8-sig")
            err.print(f"{len(rows)}행을 {csv_path}에 썼습니다(전체 {total}행 중).")
        return
    if as_json:
        typer.echo(json.dumps({"total": total, "rows": rows}, ensure_ascii=False))
        return
    t = Table(title=f"요청 기록 {len(rows)}/{total}행 (최신순)")
    for col in ("시각(UTC)", "키", "경로", "상태", "질문", "답변/오류", "지연(ms)"):
        t.add_column(col, overflow="fold")
    for r in rows:
        said = r["answer"] or r["error"] or ""
        t.add_row(r["at"][:19], r["key_name"] or "-", f"{r['method']} {r['route']}", str(r["status"]),
                  (r["question"] or "")[:60], ("[거절] " if r["refused"] else "") + said[:80], f"{r['latency_ms']:.0f}")
    console.print(t)


@log_app.command("prune")
def prune() -> None:
    """보존 기간(HRD_LOG_RETENTION_DAYS, 기본 90일)이 지난 기록과 대화를 지웁니다.

    예: hrd log prune
    """
    from api.retention import prune_all

    settings = get_settings()
    try:
        done = prune_all(settings)
    except HrdError as e:
        err.print(f"[red]오류:[/red] {e}")
        raise typer.Exit(1)
    typer.echo(f"지웠습니다: 기록 {done.log_rows}행, 대화 {done.conversations}개 (보존 {settings.log_retention_days}일)")


def register(app: typer.Typer) -> None:
    app.add_typer(log_app, name="log")
