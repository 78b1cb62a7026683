"""`hrd draft`: 행정사무감사 답변서 초안 for a new request (free text) or an item in the database, as Markdown or DOCX."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Optional

import typer
from rich.console import Console

from hrd.errors import HrdError, InputError

err = Console(stderr=True)
FORMATS = ("md", "docx", "json")


def _format_of(fmt: Optional[str], output: Optional[Path]) -> str:
    if fmt is None:
        return "docx" if output is not None and output.suffix.lower() == ".docx" else "md"
    f = fmt.strip().lower().replace("markdown", "md")
    if f not in FORMATS:
        raise InputError(f"형식 '{fmt}'은(는) 쓸 수 없습니다. 쓸 수 있는 형식: {', '.join(FORMATS)}")
    if f == "docx" and output is None:
        raise InputError("DOCX는 화면에 찍을 수 없습니다. -o 파일.docx 로 저장할 곳을 주세요.")
    return f


def register(app: typer.Typer) -> None:
    @app.command()
    def draft(
        request: Optional[str] = typer.Argument(None, help="새 감사 요구사항 텍스트(한국어)"),
        item: Optional[str] = typer.Option(None, "--item", help="보고서에 있는 항목 '구분:번호', 예: 건의:1"),
        status: Optional[str] = typer.Option(None, "--status", help="추진상황: 추진완료 | 추진 중 | 검토 중 | 미반영"),
        fmt: Optional[str] = typer.Option(None, "--format", help="md | docx | json (생략하면 -o의 확장자, 없으면 md)"),
        output: Optional[Path] = typer.Option(None, "--output", "-o", help="저장할 파일; 생략하면 화면에"),
        backend: str = typer.Option("offline", "--backend", help="offline | openai (모델이 같은 도구 결과로 문장 작성)"),
    ) -> None:
        """행정사무감사 요구사항에 대한 답변서 초안을 만듭니다 (수치마다 보고서 줄 번호, 관련 지난 감사 요구 포함).

        예: hrd draft "직장어린이집 운영 대안을 마련할 것" · hrd draft --item 건의:1 --format docx -o 답변서.docx
        """
        from hrd.settings import get_settings
        from knowledge.ingest import ensure_ready

        try:
            kind = _format_of(fmt, output)
            ensure_ready(get_settings(), progress=lambda m: err.print(f"[dim]{m}[/dim]"))
            from assistant.drafting import make_draft, to_docx, to_markdown
            from tools.context import ToolContext

            doc = make_draft(ToolContext(), request=request, item=item, status=status, backend=backend)
        except HrdError as e:
            err.print(f"[red]오류:[/red] {e}")
            raise typer.Exit(1)
        if kind == "docx":
            output.write_bytes(to_docx(doc))  # type: ignore[union-attr]
            err.print(f"저장: {output}")
            return
        text = json.dumps(doc.to_dict(), ensure_ascii=False, indent=2) if kind == "json" else to_markdown(doc)
        if output is None:
            print(text)
        else:
            output.write_text(text, encoding="utf-8")
            err.print(f"저장: {output}")
        if not doc.grounded:
            err.print(f"[yellow]근거를 확인할 수 없는 수치를 뺐습니다: {', '.join(doc.unsupported)}[/yellow]")
