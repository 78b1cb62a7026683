"""Summaries and reports of an evaluation run (records from :func:`eval.runner.evaluate_all`).

    summary = summarize(records)
    write_report("/tmp/eval-main", records, summary)   # report.json + report.md

The summary holds accuracy per kind and overall, fabricated numbers (total and cases),
retrieval recall of rag/mixed cases, latency p50/p95 and the failures grouped by cause
(:func:`failure_class`).
"""

from __future__ import annotations

import json
import math
from collections import defaultdict
from pathlib import Path
from typing import Any, Iterable, Sequence

from .scorer import CaseScore, date_parts, number_matches, read_numbers, summarize as summarize_scores

__all__ = ["summarize", "percentile", "failure_class", "write_report", "render_markdown", "FAILURE_CLASSES"]

FAILURE_CLASSES = {
    "error": "ask raised an error",
    "refused wrongly": "an answerable question was refused",
    "not refused": "an unanswerable question was answered",
    "refusal states figures": "refused, but stated figures",
    "wrong tool/entity": "an expected number is in none of the tool results (wrong tool, entity or year)",
    "missing derivation": "a derived figure (sum, difference, ratio) was not computed",
    "missing measure": "the right rows were fetched but an expected number was not stated",
    "number formatting": "the number is stated at another scale or precision",
    "term missing": "all numbers present; an expected term is missing",
}


def percentile(values: Sequence[float], p: float) -> float:
    """Percentile by linear interpolation between closest ranks (p in 0..100); 0.0 for no values."""
    xs = sorted(float(v) for v in values)
    if not xs:
        return 0.0
    k = (len(xs) - 1) * p / 100.0
    lo, hi = math.floor(k), math.ceil(k)
    if lo == hi:
        return xs[int(k)]
    return xs[lo] + (xs[hi] - xs[lo]) * (k - lo)


# ---------------------------------------------------------------- failure classes
def _evidence_numbers(answer: dict[str, Any]) -> list[float]:
    from .runner import evidence_texts

    texts = evidence_texts(answer, "")
    out: list[float] = []
    for t in texts:
        out.extend(read_numbers(t))
        out.extend(date_parts(t))
    return out


def _formatting_match(expected: float, found: Iterable[float], evidence: Iterable[float] = ()) -> bool:
    """Stated at another scale (천원 ↔ 백만원/억) or rounded coarser than expected by the answer itself."""
    e = abs(float(expected))
    evidence = [abs(float(v)) for v in evidence]
    for x in found:
        x = abs(float(x))
        if x == 0:
            continue
        if e >= 1000 and any(abs(x * scale - e) <= 0.005 * e for scale in (1000, 1 / 1000, 100000, 1 / 100000)):
            return True  # 18,668백만원 expected, 18,667,875천원 stated
        if (x != e and abs(x - e) <= 0.01 * e and any(round(e, k) == x for k in (0, 1, 2))
                and x not in evidence):
            return True  # 78.9 expected, 79 stated (a rounding the answer made, not another figure)
    return False


def failure_class(record: dict[str, Any]) -> str | None:
    """Why a case failed (a key of :data:`FAILURE_CLASSES`), or ``None`` when it passed."""
    if record.get("correct"):
        return None
    if record.get("error"):
        return "error"
    if record.get("kind") == "unanswerable":
        return "not refused" if not record.get("refused") else "refusal states figures"
    if record.get("refused"):
        return "refused wrongly"
    missing = record.get("missing_numbers") or []
    if not missing:
        return "term missing"
    answer = record.get("answer") or {}
    text = answer.get("answer") or ""
    stated = read_numbers(text) + date_parts(text)
    evidence = _evidence_numbers(answer)
    classes = []
    for n in missing:
        in_evidence = any(number_matches(n, x) for x in evidence)
        if _formatting_match(n, stated, evidence):
            classes.append("number formatting")
        elif in_evidence:
            classes.append("missing measure")
        elif record.get("derived"):
            classes.append("missing derivation")
        else:
            classes.append("wrong tool/entity")
    for c in ("wrong tool/entity", "missing derivation", "missing measure", "number formatting"):
        if c in classes:
            return c
    return classes[0]


# ---------------------------------------------------------------- summary
def _block(items: list[dict[str, Any]]) -> dict[str, Any]:
    n = len(items)
    c = sum(1 for r in items if r.get("correct"))
    lenient = sum(1 for r in items if r.get("lenient"))
    return {"n": n, "correct": c, "accuracy": (c / n) if n else 0.0, "lenient": lenient,
            "lenient_accuracy": (lenient / n) if n else 0.0}


def summarize(records: Sequence[dict[str, Any]]) -> dict[str, Any]:
    """Accuracy per kind and overall, fabricated numbers, recall, latency and failure classes."""
    records = list(records)
    scores = [CaseScore(r["id"], r.get("kind", ""), bool(r.get("correct"))) for r in records]
    acc = summarize_scores(scores)
    fab_cases = [r for r in records if r.get("fabricated")]
    retr = [r for r in records if r.get("retrieval_hit") is not None]
    lat = [float(r.get("latency_ms") or 0.0) for r in records]
    by_kind: dict[str, dict[str, Any]] = {}
    for kind, block in acc["by_kind"].items():
        items = [r for r in records if r.get("kind") == kind]
        kr = [r for r in items if r.get("retrieval_hit") is not None]
        by_kind[kind] = {
            **block,
            **{k: v for k, v in _block(items).items() if k.startswith("lenient")},
            "fabricated": sum(len(r.get("fabricated") or []) for r in items),
            "fabricated_cases": sum(1 for r in items if r.get("fabricated")),
            "recall": (sum(1 for r in kr if r["retrieval_hit"]) / len(kr)) if kr else None,
            "latency_p50_ms": round(percentile([float(r.get("latency_ms") or 0) for r in items], 50), 1),
            "latency_p95_ms": round(percentile([float(r.get("latency_ms") or 0) for r in items], 95), 1),
        }
    classes: dict[str, list[str]] = defaultdict(list)
    for r in records:
        c = failure_class(r)
        if c:
            classes[c].append(r["id"])
    return {
        "n": acc["overall"]["n"],
        "correct": acc["overall"]["correct"],
        "accuracy": acc["overall"]["accuracy"],
        "lenient_accuracy": _block(records)["lenient_accuracy"],
        "by_kind": by_kind,
        "fabricated": {
            "total": sum(len(r.get("fabricated") or []) for r in records),
            "cases": len(fab_cases),
            "ids": [r["id"] for r in fab_cases],
        },
        "recall": {
            "n": len(retr),
            "hits": sum(1 for r in retr if r["retrieval_hit"]),
            "rate": (sum(1 for r in retr if r["retrieval_hit"]) / len(retr)) if retr else None,
        },
        "latency_ms": {
            "p50": round(percentile(lat, 50), 1),
            "p95": round(percentile(lat, 95), 1),
            "mean": round(sum(lat) / len(lat), 1) if lat else 0.0,
            "max": round(max(lat), 1) if lat else 0.0,
        },
        "errors": sum(1 for r in records if r.get("error")),
        "failure_classes": {k: {"count": len(v), "ids": v} for k, v in sorted(classes.items(), key=lambda kv: -len(kv[1]))},
    }


# ---------------------------------------------------------------- writing
def _slim_answer(answer: dict[str, Any]) -> dict[str, Any]:
    """The answer object as scored (rows kept: they are the evidence of the fabricated-number check)."""
    return dict(answer)


def _num(x: Any) -> str:
    try:
        f = float(x)
    except (TypeError, ValueError):
        return str(x)
    return f"{int(f):,}" if f == int(f) and abs(f) >= 1000 else (str(int(f)) if f == int(f) else str(f))


def _pct(x: float | None) -> str:
    return "—" if x is None else f"{x * 100:.1f}%"


def _cell(s: Any) -> str:
    return str(s).replace("|", "\\|").replace("\n", " ")


def _truncate(s: str, n: int = 600) -> str:
    s = s or ""
    return s if len(s) <= n else s[: n - 1] + "…"


def render_markdown(records: Sequence[dict[str, Any]], summary: dict[str, Any], title: str = "hrd-assistant 평가 보고서") -> str:
    lines: list[str] = [f"# {title}", ""]
    meta = summary.get("meta") or {}
    if meta:
        lines += [", ".join(f"{k}: `{v}`" for k, v in meta.items()), ""]
    lines += [
        "## 요약 / Summary",
        "",
        "| kind | n | correct | accuracy (lead) | lenient | fabricated (cases) | recall | p50 ms | p95 ms |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for kind, b in summary["by_kind"].items():
        lines.append(f"| {kind} | {b['n']} | {b['correct']} | {_pct(b['accuracy'])} | {_pct(b.get('lenient_accuracy'))} | {b['fabricated']} ({b['fabricated_cases']}) "
                     f"| {_pct(b['recall'])} | {b['latency_p50_ms']:.0f} | {b['latency_p95_ms']:.0f} |")
    fab, rec, lat = summary["fabricated"], summary["recall"], summary["latency_ms"]
    lines.append(f"| **overall** | {summary['n']} | {summary['correct']} | **{_pct(summary['accuracy'])}** | {_pct(summary.get('lenient_accuracy'))} | "
                 f"{fab['total']} ({fab['cases']}) | {_pct(rec['rate'])} | {lat['p50']:.0f} | {lat['p95']:.0f} |")
    lines += ["", f"- 조작된 수치 / fabricated numbers: {fab['total']} in {fab['cases']} cases"
              + (f" ({', '.join(fab['ids'][:20])}{' …' if len(fab['ids']) > 20 else ''})" if fab["ids"] else ""),
              f"- 검색 재현율 / retrieval recall (rag+mixed): {rec['hits']}/{rec['n']} = {_pct(rec['rate'])}",
              f"- 지연 / latency: p50 {lat['p50']:.0f} ms, p95 {lat['p95']:.0f} ms, max {lat['max']:.0f} ms",
              f"- 오류 / errors: {summary.get('errors', 0)}", ""]

    classes = summary.get("failure_classes") or {}
    if classes:
        lines += ["## 실패 원인 / Failure classes", "", "| class | count | meaning | examples |", "| --- | ---: | --- | --- |"]
        for name, c in classes.items():
            ex = ", ".join(f"`{i}`" for i in c["ids"][:5]) + (" …" if len(c["ids"]) > 5 else "")
            lines.append(f"| {name} | {c['count']} | {FAILURE_CLASSES.get(name, '')} | {ex} |")
        lines.append("")

    failures = [r for r in records if not r.get("correct")]
    fab_only = [r for r in records if r.get("correct") and r.get("fabricated")]
    lines += [f"## 실패 사례 / Failures ({len(failures)})", ""]
    for r in failures:
        lines += _case_md(r)
    if fab_only:
        lines += [f"## 정답이지만 근거 없는 수치 / Correct but with fabricated numbers ({len(fab_only)})", ""]
        for r in fab_only:
            lines += _case_md(r)
    return "\n".join(lines).rstrip() + "\n"


def _case_md(r: dict[str, Any]) -> list[str]:
    a = r.get("answer") or {}
    out = [f"### `{r['id']}` — {r.get('kind')} — {failure_class(r) or 'ok'}", "",
           f"- 질문: {r.get('question')}"]
    if r.get("follows"):
        out.append(f"- 이어지는 대화 / follows: `{r['follows']}`")
    if r.get("kind") != "unanswerable":
        out.append(f"- 기대 수치: {', '.join(_num(n) for n in r.get('expected_numbers') or []) or '—'}; "
                   f"기대 용어: {', '.join(r.get('expected_terms') or []) or '—'}")
        out.append(f"- 누락: 수치 {', '.join(_num(n) for n in r.get('missing_numbers') or []) or '—'}; "
                   f"용어 {', '.join(r.get('missing_terms') or []) or '—'}")
        out.append(f"- 근거 위치: {r.get('section')} {r.get('lines') or ''}"
                   + ("" if r.get("retrieval_hit") is None else f" (retrieval hit: {r['retrieval_hit']})"))
    out.append(f"- 판정: {r.get('reason')}; refused={r.get('refused')}")
    if r.get("fabricated"):
        out.append(f"- 근거 없는 수치 / fabricated: {', '.join(_num(n) for n in r['fabricated'])}")
    if r.get("error"):
        out.append(f"- 오류: {a.get('error_type', '')}: {r['error']}")
    calls = a.get("tool_calls") or []
    if calls:
        out.append("- 도구 호출 / tool calls:")
        for c in calls:
            out.append(f"  - `{c.get('name')}({json.dumps(c.get('args') or {}, ensure_ascii=False)})`")
    else:
        out.append("- 도구 호출 / tool calls: 없음")
    body = _truncate(a.get("answer") or "").replace("```", "'''")
    out += ["", "```text", body, "```", ""]
    return out


def write_report(directory: str | Path, results: Sequence[Any], summary: dict[str, Any] | None = None) -> tuple[Path, Path]:
    """Write ``report.json`` (summary + per-case results) and ``report.md`` into ``directory``.

    ``results`` are records from :func:`eval.runner.evaluate_all` (``(case, answer)`` pairs
    are scored first).  Returns the two paths.
    """
    from .runner import evaluate_all

    records = list(results)
    if records and isinstance(records[0], tuple):
        records = evaluate_all(records)
    summary = summary if summary is not None else summarize(records)
    d = Path(directory)
    d.mkdir(parents=True, exist_ok=True)
    cases_out = []
    for r in records:
        item = {k: v for k, v in r.items() if k != "answer"}
        item["failure_class"] = failure_class(r)
        item["answer"] = _slim_answer(r.get("answer") or {})
        cases_out.append(item)
    jp, mp = d / "report.json", d / "report.md"
    jp.write_text(json.dumps({"summary": summary, "cases": cases_out}, ensure_ascii=False, indent=1, default=str) + "\n",
                  encoding="utf-8")
    mp.write_text(render_markdown(records, summary), encoding="utf-8")
    return jp, mp
