"""Tool-layer benchmark (on demand: `python bench/bench_tools.py`).

For each typed tool call, the median latency against the bare SQL query it runs underneath,
measured in the same run on the same database; the ratio is the tool layer's overhead
(goal: under 2×).
"""

from __future__ import annotations

import os
import statistics
import tempfile
import time
from pathlib import Path


def median_ms(fn, n: int = 50) -> float:
    fn()
    out = []
    for _ in range(n):
        t = time.perf_counter()
        fn()
        out.append((time.perf_counter() - t) * 1000)
    return statistics.median(out)


def main() -> None:
    os.environ["HRD_HOME"] = tempfile.mkdtemp()
    from sqlalchemy import text

    from hrd.settings import get_settings
    from knowledge.db import engine_for
    from knowledge.ingest import ingest
    from tools import queries as q
    from tools.context import ToolContext

    s = get_settings()
    ingest(None, s, with_index=False)
    ctx = ToolContext(s)
    engine = engine_for(s)

    def raw(sql: str):
        def run():
            with engine.connect() as c:
                return c.execute(text(sql)).fetchall()
        return run

    cases = [
        ("get_budget 신규자과정운영", lambda: q.get_budget(q.BudgetArgs(name="신규자과정운영"), ctx),
         raw("SELECT * FROM budget_lines WHERE name = '신규자과정운영'")),
        ("rank_budget 집행률 asc 3", lambda: q.rank_budget(q.RankArgs(measure="집행률", order="asc", n=3), ctx),
         raw("SELECT * FROM budget_lines WHERE level = 3 ORDER BY execution_rate LIMIT 3")),
        ("get_training e-러닝 IT", lambda: q.get_training(q.TrainingArgs(mode="e-러닝", subcategory="IT"), ctx),
         raw("SELECT * FROM training_results WHERE mode = 'e-러닝' AND subcategory = 'IT'")),
        ("get_audit 건의", lambda: q.get_audit(q.AuditArgs(kind="건의"), ctx),
         raw("SELECT * FROM audit_items WHERE kind = '건의'")),
    ]
    print(f"{'tool call':28} {'tool ms':>9} {'raw ms':>8} {'ratio':>7}")
    for name, tool, sql in cases:
        t, r = median_ms(tool), median_ms(sql)
        print(f"{name:28} {t:9.2f} {r:8.2f} {t / r:6.1f}x")


if __name__ == "__main__":
    main()
