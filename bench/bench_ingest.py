"""Ingest benchmark (run on demand: `python bench/bench_ingest.py`).

Prints the time to parse the report, to check consistency, and to ingest into a fresh SQLite
database (no index), each as a ratio to the baseline of reading the file, measured in this run.
"""

from __future__ import annotations

import os
import statistics
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
REPORT = ROOT / "knowledge" / "sources" / "seoul-hrd-2025-work-report.txt"


def timed(fn, n: int = 5) -> float:
    out = []
    for _ in range(n):
        t = time.perf_counter()
        fn()
        out.append(time.perf_counter() - t)
    return statistics.median(out)


def main() -> None:
    from hrd.settings import Settings
    from knowledge.findings import check
    from knowledge.ingest import ingest
    from knowledge.parse import Document, parse_report

    base = timed(lambda: Document.from_path(REPORT))
    parse = timed(lambda: parse_report(Document.from_path(REPORT)))
    parsed = parse_report(Document.from_path(REPORT))
    findings = timed(lambda: check(parsed.rows))

    def fresh_ingest():
        with tempfile.TemporaryDirectory() as d:
            ingest([REPORT], Settings(home=Path(d)), with_index=False)

    full = timed(fresh_ingest, 3)
    print(f"read file (baseline) {base * 1000:8.2f} ms  1.0x")
    print(f"parse                {parse * 1000:8.2f} ms  {parse / base:6.1f}x")
    print(f"consistency checks   {findings * 1000:8.2f} ms  {findings / base:6.1f}x")
    print(f"ingest (fresh DB)    {full * 1000:8.2f} ms  {full / base:6.1f}x   goal < 2000 ms: {'ok' if full < 2 else 'MISSED'}")


if __name__ == "__main__":
    os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")
    main()
