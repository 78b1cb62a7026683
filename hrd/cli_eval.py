"""`hrd eval`: run the evaluation cases through `hrd ask`'s code path and score them.

    hrd eval                                   # eval/cases/*.jsonl (main split)
    hrd eval --holdout --report /tmp/eval-holdout
    hrd eval --cases my-cases.jsonl --cases more/ --workers 4 --backend openai
    hrd eval --min-accuracy 0.8 --max-fabricated 0     # the CI gate: exit 1 below it

`hrd/cli.py` calls `register(app)`; heavy imports happen inside the command.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Optional

import typer

from hrd.errors import HrdError


def _fmt_pct(x: float | None) -> str:
    return "—" if x is None else f"{x * 100:.1f}%"


def _table(summary: dict, title: str):
    from rich.table import Table

    t = Table(title=title)
    t.add_column("kind", no_wrap=True, min_width=12)
    for col in ("n", "correct", "accuracy", "lenient", "fab. (cases)", "recall", "p50 ms", "p95 ms"):
        t.add_column(col, justify="right")
    for kind, b in summary["by_kind"].items():
        t.add_row(kind, str(b["n"]), str(b["correct"]), _fmt_pct(b["accuracy"]), _fmt_pct(b.get("lenient_accuracy")),
                  f"{b['fabricated']} ({b['fabricated_cases']})", _fmt_pct(b["recall"]),
                  f"{b['latency_p50_ms']:.0f}", f"{b['latency_p95_ms']:.0f}")
    fab, lat = summary["fabricated"], summary["latency_ms"]
    t.add_section()
    t.add_row("[bold]overall[/bold]", str(summary["n"]), str(summary["correct"]),
              f"[bold]{_fmt_pct(summary['accuracy'])}[/bold]", _fmt_pct(summary.get("lenient_accuracy")), f"{fab['total']} ({fab['cases']})",
              _fmt_pct(summary["recall"]["rate"]), f"{lat['p50']:.0f}", f"{lat['p95']:.0f}")
    return t


def _revision() -> dict:
    """The git commit the run measured (and whether the work tree had changes), when known."""
    import subprocess

    root = Path(__file__).resolve().parents[1]
    try:
        head = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=root, capture_output=True, text=True, timeout=5)
        dirty = subprocess.run(["git", "status", "--porcelain", "--untracked-files=no"], cwd=root, capture_output=True,
                               text=True, timeout=5)
    except (OSError, subprocess.SubprocessError):
        return {}
    if head.returncode != 0:
        return {}
    return {"commit": head.stdout.strip() + ("+dirty" if dirty.stdout.strip() else "")}


def eval_command(
    cases: Optional[list[Path]] = typer.Option(None, "--cases", help="사례 파일(JSONL) 또는 디렉터리; 여러 번 쓸 수 있음 (기본: eval/cases/*.jsonl)"),
    holdout: bool = typer.Option(False, "--holdout", help="보류 세트(eval/cases/holdout/*.jsonl)를 평가"),
    backend: str = typer.Option("offline", "--backend", help="답변 백엔드: offline | openai"),
    report: Optional[Path] = typer.Option(None, "--report", help="report.json과 report.md를 쓸 디렉터리"),
    workers: Optional[int] = typer.Option(None, "--workers", min=1, help="동시 실행 수 (기본: offline 1, openai 4)"),
    min_accuracy: Optional[float] = typer.Option(None, "--min-accuracy", help="전체 정확도 하한 (0~1, 또는 %); 미달이면 종료 코드 1"),
    max_fabricated: Optional[int] = typer.Option(None, "--max-fabricated", min=0, help="근거 없는 수치 허용 개수; 초과하면 종료 코드 1"),
    as_json: bool = typer.Option(False, "--json", help="요약을 JSON으로 출력"),
) -> None:
    """평가 사례를 실행해 종류별 정확도, 근거 없는 수치, 검색 재현율, 지연 시간을 보여줍니다.

    예: hrd eval · hrd eval --holdout --report /tmp/eval-holdout · hrd eval --min-accuracy 0.8 --max-fabricated 0
    """
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    from eval.report import summarize, write_report
    from eval.runner import evaluate_all, load_cases, run

    console, err = Console(), Console(stderr=True)
    if backend not in ("offline", "openai"):
        err.print(f"[red]오류:[/red] 알 수 없는 백엔드 '{backend}' (offline | openai)")
        raise typer.Exit(2)
    try:
        loaded = load_cases(cases or None, holdout=holdout)
    except HrdError as e:
        err.print(f"[red]오류:[/red] {e}")
        raise typer.Exit(1)
    if not loaded:
        err.print("[red]오류:[/red] 평가 사례가 없습니다 / no cases")
        raise typer.Exit(1)
    n_workers = workers or (1 if backend == "offline" else 4)

    with Progress(TextColumn("[progress.description]{task.description}"), BarColumn(), MofNCompleteColumn(),
                  TimeElapsedColumn(), TextColumn("{task.fields[last]}"), console=err, transient=False) as bar:
        task = bar.add_task("평가 중 (첫 실행은 색인을 만듭니다)", total=len(loaded), last="")

        def progress(done: int, total: int, case: dict, answer: dict) -> None:
            bar.update(task, completed=done, description="평가 중", last=case["id"])

        pairs = run(loaded, backend=backend, workers=n_workers, progress=progress)
    records = evaluate_all(pairs)
    summary = summarize(records)
    summary["meta"] = {"backend": backend, "split": "holdout" if holdout and not cases else ("custom" if cases else "main"),
                       "cases": len(loaded), "workers": n_workers, **_revision()}

    if as_json:
        print(json.dumps({k: v for k, v in summary.items() if k != "failure_classes"}, ensure_ascii=False))
    else:
        console.print(_table(summary, f"hrd eval — {summary['meta']['split']} ({backend}, {len(loaded)} cases)"))
        rec = summary["recall"]
        console.print(f"근거 없는 수치 / fabricated numbers: {summary['fabricated']['total']} "
                      f"({summary['fabricated']['cases']} cases) · 검색 재현율 / recall: {rec['hits']}/{rec['n']} "
                      f"· 지연 / latency p50 {summary['latency_ms']['p50']:.0f} ms, p95 {summary['latency_ms']['p95']:.0f} ms"
                      + (f" · 오류 / errors: {summary['errors']}" if summary["errors"] else ""))
        classes = summary.get("failure_classes") or {}
        if classes:
            console.print("실패 원인 / failure classes: " + ", ".join(f"{k} {v['count']}" for k, v in classes.items()))
    if report is not None:
        jp, mp = write_report(report, records, summary)
        err.print(f"보고서 / report: {mp} · {jp}")

    failed = gate_failures(summary, min_accuracy, max_fabricated)
    if failed:
        err.print("[red]기준 미달 / gate failed:[/red] " + "; ".join(failed))
        raise typer.Exit(1)


def gate_failures(summary: dict, min_accuracy: float | None = None, max_fabricated: int | None = None) -> list[str]:
    """Why a run fails the CI gate (empty: it passes). ``min_accuracy`` above 1 is read as a percentage."""
    failed = []
    if min_accuracy is not None:
        threshold = min_accuracy / 100 if min_accuracy > 1 else min_accuracy
        if summary["accuracy"] < threshold:
            failed.append(f"정확도 {summary['accuracy'] * 100:.1f}% < {threshold * 100:.1f}%")
    if max_fabricated is not None and summary["fabricated"]["total"] > max_fabricated:
        failed.append(f"근거 없는 수치 {summary['fabricated']['total']}개 > {max_fabricated}개")
    return failed


def register(app: typer.Typer) -> None:
    """Add the `eval` command to the hrd Typer app."""
    app.command("eval")(eval_command)
