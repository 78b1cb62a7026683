"""Latency benchmark of the offline `ask` path (run on demand; not a test).

    python bench/bench_ask.py [--n 40] [--cold-runs 3] [--json]

Measures, in one run:
1. warm `assistant.ask` latency (offline backend) over ~40 questions from eval/cases
   (spread over the kinds; follow-ups skipped), median and p95;
2. the bare tool calls each answer made, re-run directly with `tools.lc.run_tool(name,
   args, ToolContext())` — the baseline: what the data access costs without the agent
   loop, planner, grounding and answer assembly; prints ask/tools ratios;
3. cold `hrd ask "<question>"` wall time (a fresh process, 3 runs) against the cold
   baseline `hrd --help` (interpreter start and CLI import) measured the same way.
   Without an `ask` command the cold run falls back to `python -c "from assistant import ask; ask(...)"`.

Uses the normal data directory (HRD_HOME); the first run may ingest and build the index.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def pct(xs: list[float], p: float) -> float:
    from eval.report import percentile

    return percentile(xs, p)


def pick_questions(n: int) -> list[dict]:
    from eval.runner import load_cases

    cases = [c for c in load_cases() if not c.get("follows")]
    by_kind: dict[str, list[dict]] = {}
    for c in cases:
        by_kind.setdefault(c["kind"], []).append(c)
    out: list[dict] = []
    i = 0
    while len(out) < n and any(i < len(v) for v in by_kind.values()):
        for kind in sorted(by_kind):
            group = by_kind[kind]
            step = max(1, len(group) // max(1, n // len(by_kind)))
            j = i * step
            if j < len(group) and len(out) < n:
                out.append(group[j])
        i += 1
    return out


def timed(fn, *a, **kw) -> tuple[float, object]:
    t0 = time.perf_counter()
    res = fn(*a, **kw)
    return (time.perf_counter() - t0) * 1000, res


def warm(n: int, repeats_tools: int = 3) -> dict:
    from assistant import ask
    from tools.context import ToolContext
    from tools.lc import run_tool

    questions = pick_questions(n)
    ask("신규자과정운영 2025년 예산현액 얼마예요?")  # warm-up: builds the assistant, loads the index/embedder
    ask("어린이집 운영 대안은?")
    ctx = ToolContext()
    rows = []
    for c in questions:
        ms, ans = timed(ask, c["question"])
        calls = [(t.name, dict(t.args)) for t in ans.tool_calls]
        for name, args in calls:  # warm each tool's own caches once before timing
            run_tool(name, args, ctx)
        tool_ms = []
        for _ in range(repeats_tools):
            t0 = time.perf_counter()
            for name, args in calls:
                run_tool(name, args, ctx)
            tool_ms.append((time.perf_counter() - t0) * 1000)
        rows.append({"id": c["id"], "kind": c["kind"], "ask_ms": ms, "tools_ms": min(tool_ms), "calls": len(calls),
                     "tool_names": [name for name, _ in calls]})
    ask_ms = [r["ask_ms"] for r in rows]
    tool_ms = [r["tools_ms"] for r in rows]
    with_tools = [r for r in rows if r["calls"]]
    ratios = [r["ask_ms"] / r["tools_ms"] for r in with_tools if r["tools_ms"] > 0]
    overhead = [r["ask_ms"] - r["tools_ms"] for r in rows]
    return {
        "questions": len(rows),
        "ask_ms": {"median": statistics.median(ask_ms), "p95": pct(ask_ms, 95), "mean": statistics.fmean(ask_ms)},
        "tools_ms": {"median": statistics.median(tool_ms), "p95": pct(tool_ms, 95), "mean": statistics.fmean(tool_ms)},
        "overhead_ms": {"median": statistics.median(overhead), "p95": pct(overhead, 95)},
        "ratio": {"median": statistics.median(ratios) if ratios else None,
                  "p95": pct(ratios, 95) if ratios else None,
                  "total": sum(r["ask_ms"] for r in with_tools) / max(1e-9, sum(r["tools_ms"] for r in with_tools))},
        "no_tool_calls": len(rows) - len(with_tools),
        "slowest": sorted(rows, key=lambda r: -r["ask_ms"])[:5],
    }


def _wall(cmd: list[str], runs: int) -> tuple[list[float], int, str]:
    times, rc, err = [], 0, ""
    for _ in range(runs):
        t0 = time.perf_counter()
        p = subprocess.run(cmd, capture_output=True, text=True, env=os.environ.copy())
        times.append((time.perf_counter() - t0) * 1000)
        rc, err = p.returncode, (p.stderr or "")[-300:]
    return times, rc, err


def cold(runs: int) -> dict:
    hrd = shutil.which("hrd") or str(Path(sys.executable).with_name("hrd"))
    base = [hrd] if Path(hrd).exists() else [sys.executable, "-m", "hrd.cli"]
    question = "신규자과정운영 2025년 예산현액 얼마예요?"
    help_ms, _, _ = _wall(base + ["--help"], runs)
    probe = subprocess.run(base + ["ask", "--help"], capture_output=True, text=True)
    if probe.returncode == 0:
        label, cmd = "hrd ask", base + ["ask", question]
    else:  # no `ask` command yet: the same library call in a fresh process
        label = "python -c 'assistant.ask' (no hrd ask command)"
        cmd = [sys.executable, "-c", f"import sys; sys.path.insert(0, {str(ROOT)!r}); from assistant import ask; print(ask({question!r}).answer)"]
    ask_ms, rc, err = _wall(cmd, runs)
    return {"command": label, "runs": runs, "ask_ms": ask_ms, "ask_median_ms": statistics.median(ask_ms), "rc": rc,
            "stderr_tail": err if rc else "", "baseline": "hrd --help", "baseline_ms": help_ms,
            "baseline_median_ms": statistics.median(help_ms),
            "ratio": statistics.median(ask_ms) / max(1e-9, statistics.median(help_ms))}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--n", type=int, default=40, help="warm questions (default 40)")
    ap.add_argument("--cold-runs", type=int, default=3, help="cold process runs (default 3)")
    ap.add_argument("--json", action="store_true", help="print the result as JSON")
    ns = ap.parse_args()

    w = warm(ns.n)
    c = cold(ns.cold_runs)
    if ns.json:
        print(json.dumps({"warm": w, "cold": c}, ensure_ascii=False, indent=1))
        return
    print(f"warm offline ask ({w['questions']} questions, {w['no_tool_calls']} without tool calls)")
    print(f"  ask          median {w['ask_ms']['median']:8.1f} ms   p95 {w['ask_ms']['p95']:8.1f} ms   mean {w['ask_ms']['mean']:8.1f} ms")
    print(f"  bare tools   median {w['tools_ms']['median']:8.1f} ms   p95 {w['tools_ms']['p95']:8.1f} ms   (baseline: run_tool on the recorded calls)")
    print(f"  overhead     median {w['overhead_ms']['median']:8.1f} ms   p95 {w['overhead_ms']['p95']:8.1f} ms")
    r = w["ratio"]
    if r["median"] is not None:
        print(f"  ask / tools  median ×{r['median']:.2f}   p95 ×{r['p95']:.2f}   total ×{r['total']:.2f}")
    print("  slowest: " + ", ".join(f"{s['id']} {s['ask_ms']:.0f} ms (tools {s['tools_ms']:.0f})" for s in w["slowest"]))
    print(f"cold {c['command']} ({c['runs']} runs): " + ", ".join(f"{x:.0f}" for x in c["ask_ms"])
          + f" ms; median {c['ask_median_ms']:.0f} ms" + (f"  [exit {c['rc']}: {c['stderr_tail']}]" if c["rc"] else ""))
    print(f"  baseline {c['baseline']}: median {c['baseline_median_ms']:.0f} ms → cold ask ×{c['ratio']:.2f}")


if __name__ == "__main__":
    main()
