"""`hrd ask` and `hrd chat`: answers with citations, the figures' rows as a table."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Optional

import typer
from rich.console import Console
from rich.table import Table

from hrd.errors import HrdError

console = Console()
err = Console(stderr=True)


def _print(a) -> None:
    style = "yellow" if a.refused else "white"
    console.print(f"[{style}]{a.answer}[/{style}]")
    if a.facts:
        t = Table(title="근거 수치", show_lines=False)
        for c in ("항목", "값", "단위", "위치(행)", "계산"):
            t.add_column(c)
        for f in a.facts:
            t.add_row(f.label, f"{f.value:,}" if isinstance(f.value, (int, float)) else str(f.value), f.unit,
                      "~".join(map(str, f.lines)) if f.lines else "", f.formula or "")
        console.print(t)
    if a.citations:
        console.print("[dim]출처: " + "; ".join(f"{c.section} [{c.lines[0]}~{c.lines[-1]}행]" for c in a.citations[:6] if c.lines) + "[/dim]")
    if not a.grounded:
        console.print(f"[red]근거 확인 불가 수치 제거됨: {', '.join(a.unsupported)}[/red]")


def register(app: typer.Typer) -> None:
    @app.command()
    def ask(
        question: Optional[str] = typer.Argument(None, help="질문(한국어)"),
        as_json: bool = typer.Option(False, "--json", help="답변 객체를 JSON으로 출력"),
        jsonl: Optional[Path] = typer.Option(None, "--jsonl", help="id·question이 있는 JSON Lines 파일을 읽어 한 줄에 하나씩 답변 출력"),
        backend: Optional[str] = typer.Option(None, "--backend", help="offline | openai"),
        session: Optional[str] = typer.Option(None, "--session", help="대화 세션 ID(후속 질문용)"),
    ) -> None:
        """질문에 출처(보고서 줄)를 달아 답합니다.

        예: hrd ask "신입자 과정 운영 예산 집행률은?" · hrd ask --json "IT 교육 예산은?" · hrd ask --jsonl eval/cases/budget.jsonl
        """
        if question and jsonl is None:  # one question: its morphemes are read in a child while the agent loads
            from knowledge.index.kiwi import prefetch

            prefetch([question])
        from assistant import ask as run
        from hrd.settings import get_settings
        from knowledge.ingest import ensure_ready

        try:
            ensure_ready(get_settings(), progress=lambda m: err.print(f"[dim]{m}[/dim]"))
            if jsonl is not None:
                sessions: dict[str, str] = {}
                for line in jsonl.read_text(encoding="utf-8").splitlines():
                    if not line.strip():
                        continue
                    case = json.loads(line)
                    sid = sessions.get(case.get("follows")) if case.get("follows") else None
                    try:
                        a = run(case["question"], session_id=sid, backend=backend, case_id=case.get("id"))
                        sessions[case.get("id")] = a.session_id
                        print(json.dumps(a.model_dump(), ensure_ascii=False, default=str))
                    except HrdError as e:
                        print(json.dumps({"id": case.get("id"), "question": case.get("question"), "answer": str(e), "refused": True,
                                          "error": str(e)}, ensure_ascii=False))
                return
            if not question:
                raise typer.BadParameter("질문을 입력하세요. 예: hrd ask \"IT 교육 집행률은?\"")
            a = run(question, session_id=session, backend=backend)
        except HrdError as e:
            err.print(f"[red]오류:[/red] {e}")
            raise typer.Exit(1)
        if as_json:
            print(json.dumps(a.model_dump(), ensure_ascii=False, default=str))
        else:
            _print(a)

    @app.command()
    def chat(backend: Optional[str] = typer.Option(None, "--backend", help="offline | openai")) -> None:
        """대화형 질의응답(후속 질문 가능). 빈 줄이나 Ctrl-D로 끝냅니다.

        예: hrd chat
        """
        import uuid

        from assistant import ask as run

        sid = uuid.uuid4().hex
        while True:
            try:
                q = console.input("[bold]질문> [/bold]")
            except (EOFError, KeyboardInterrupt):
                break
            if not q.strip():
                break
            try:
                _print(run(q, session_id=sid, backend=backend))
            except HrdError as e:
                err.print(f"[red]오류:[/red] {e}")
