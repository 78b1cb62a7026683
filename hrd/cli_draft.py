"""`hrd draft`: 행정사무감사 답변서 초안 (audit-response drafts) as Markdown or DOCX."""

from __future__ import annotations

from pathlib import Path
from typing import Optional

import typer
from rich.console import Console

from hrd.errors import HrdError

err = Console(stderr=True)


def register(app: typer.Typer) -> None:
    @app.command()
    def draft(
        kind: Optional[str] = typer.Option(None, "--kind", help="시정·처리요구 | 건의 | 기타 (생략하면 전부)"),
        seq: Optional[int] = typer.Option(None, "--seq", help="구분 안의 항목 번호"),
        output: Optional[Path] = typer.Option(None, "--output", "-o", help="저장할 파일(.md 또는 .docx); 생략하면 Markdown을 화면에"),
    ) -> None:
        """행정사무감사 처리결과로 답변서 초안을 만듭니다 (보고서 줄 번호 포함).

        예: hrd draft --kind 건의 --seq 1 · hrd draft -o 답변서.docx
        """
        from api.drafts import build_draft, select_items, to_docx, to_markdown
        from hrd.settings import get_settings
        from knowledge.ingest import ensure_ready
        from tools.context import ToolContext
        from tools.queries import AuditArgs, get_audit

        try:
            ensure_ready(get_settings(), progress=lambda m: err.print(f"[dim]{m}[/dim]"))
            ctx = ToolContext()
            rows = [r for r in get_audit(AuditArgs(), ctx).rows if r["table"] == "audit_items"]
            items = select_items(rows, kind=kind, item_seq=seq)
            doc = build_draft(items, source=ctx.report.file_name)
        except HrdError as e:
            err.print(f"[red]오류:[/red] {e}")
            raise typer.Exit(1)
        if output is None:
            print(to_markdown(doc))
        elif output.suffix.lower() == ".docx":
            output.write_bytes(to_docx(doc))
            err.print(f"저장: {output}")
        else:
            output.write_text(to_markdown(doc), encoding="utf-8")
            err.print(f"저장: {output}")
