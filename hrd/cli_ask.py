"""`hrd ask` and `hrd chat`: answers with citations, the figures' rows as a table."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Optional

import typer
from rich.console import Console
from rich.table import Table

from hrd.errors import HrdError, InputError
from hrd.text import clean_input

console = Console()
err = Console(stderr=True)


ROLE_NAMES = {"answer": "답", "input": "계산에 쓴 값", "context": "참고"}


def _span(lines: list[int]) -> str:
    return "" if not lines else str(lines[0]) if lines[0] == lines[-1] else f"{lines[0]}~{lines[-1]}"


def _print(a) -> None:
    """The lead (the answer itself), the figures it states as a table, then each source once."""
    from assistant.facts import fmt

    lead = a.answer.split("\n\n", 1)[0]
    console.print(f"[bold]{lead}[/bold]" if not a.refused else f"[yellow]{lead}[/yellow]", markup=True, highlight=False)
    if a.facts:
        t = Table(title="근거 수치", show_lines=False)
        for c in ("구분", "항목", "값", "위치(행)", "계산"):
            t.add_column(c)
        for f in a.facts:
            t.add_row(ROLE_NAMES.get(f.role, f.role), f.label, fmt(f.value, f.unit), _span(f.lines), f.formula or "")
        console.print(t)
    elif "\n\n" in a.answer:  # a prose answer: its evidence lines
        console.print(a.answer.split("\n\n", 1)[1], markup=False, highlight=False)
    if a.citations:
        spans = list(dict.fromkeys(f"{c.section} [{_span(c.lines)}행]" for c in a.citations if c.lines))
        console.print("출처: " + "; ".join(spans[:6]) + (f" 외 {len(spans) - 6}곳" if len(spans) > 6 else ""), style="dim",
                      markup=False, highlight=False)
    if not a.grounded:
        console.print(f"근거 확인 불가 수치 제거됨: {', '.join(a.unsupported)}", style="red", markup=False)


def _case(raw: bytes) -> dict:
    """One JSONL line → a case with a clean question; InputError (the reason, in Korean) otherwise."""
    try:
        line = raw.decode("utf-8")
    except UnicodeDecodeError as e:
        raise InputError(f"UTF-8로 읽을 수 없는 바이트가 있습니다({e.start + 1}번째 바이트)") from None
    try:
        case = json.loads(line)
    except ValueError as e:
        raise InputError(f"JSON 형식이 아닙니다({getattr(e, 'colno', 1)}번째 글자 부근)") from None
    if not isinstance(case, dict):
        raise InputError(f"JSON 객체({{\"question\": …}})여야 합니다 (받은 형식: {type(case).__name__})")
    if "question" not in case:
        raise InputError("'question' 항목이 없습니다")
    for key in ("id", "follows"):
        if case.get(key) is not None and not isinstance(case[key], (str, int)):
            raise InputError(f"'{key}' 값은 문자열이어야 합니다")
    case["question"] = clean_input(case["question"])
    return case


def _id_of(raw: bytes) -> str | None:
    """The line's `id` when it can be read at all (so a bad line is reported under its id)."""
    try:
        obj = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        return None
    cid = obj.get("id") if isinstance(obj, dict) else None
    return str(cid) if isinstance(cid, (str, int)) and clean_id(str(cid)) else None


def clean_id(cid: str) -> bool:
    try:
        return bool(clean_input(cid, what="id"))
    except InputError:
        return False


def answer_lines(path: Path, answer) -> int:
    """Answer every good line of a JSONL file (one JSON line out per line in); a bad line gets an
    `error` line naming its line number and reason. Returns how many lines failed."""
    try:
        data = path.read_bytes()
    except OSError as e:
        raise InputError(f"{path}: 파일을 읽을 수 없습니다 ({e.strerror})") from None
    sessions: dict[str, str] = {}
    bad: list[tuple[int, str]] = []
    for n, raw in enumerate(data.split(b"\n"), start=1):
        if not raw.strip() or (n == 1 and raw.strip() == b"\xef\xbb\xbf"):
            continue
        raw = raw.removeprefix(b"\xef\xbb\xbf") if n == 1 else raw
        cid = _id_of(raw)
        try:
            case = _case(raw)
            sid = sessions.get(str(case["follows"])) if case.get("follows") is not None else None
            a = answer(case["question"], sid, cid)
            if cid is not None:
                sessions[cid] = a.session_id
            print(json.dumps(a.model_dump(), ensure_ascii=False, default=str))
            continue
        except HrdError as e:
            reason = str(e)
        except Exception as e:  # one failing line never ends the batch
            reason = f"내부 오류({type(e).__name__})"
        bad.append((n, reason))
        print(json.dumps({"line": n, "id": cid, "refused": True, "error": reason}, ensure_ascii=False))
    if bad:
        err.print(f"[red]{len(bad)}개 줄을 처리하지 못했습니다[/red] (나머지는 답했습니다):")
        for n, reason in bad:
            err.print(f"  {path.name}:{n}: {reason}", markup=False)
    return len(bad)


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
        if question is not None and jsonl is None:
            try:
                question = clean_input(question)
            except InputError as e:
                err.print(f"[red]오류:[/red] {e}")
                raise typer.Exit(1)
            from knowledge.index.kiwi import prefetch  # its morphemes are read in a child while the agent loads

            prefetch([question])
        from assistant import ask as run
        from hrd.settings import get_settings
        from knowledge.ingest import ensure_ready

        try:
            ensure_ready(get_settings(), progress=lambda m: err.print(f"[dim]{m}[/dim]"))
            if jsonl is not None:
                bad = answer_lines(jsonl, lambda q, sid, cid: run(q, session_id=sid, backend=backend, case_id=cid))
                if bad:
                    raise typer.Exit(1)
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
            except Exception as e:  # one failed question never ends the conversation
                err.print(f"[red]내부 오류:[/red] {type(e).__name__} — 다른 질문을 해 보세요.")
