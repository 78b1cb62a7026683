"""Draft benchmark (on demand: `python bench/bench_draft.py`).

The first draft in a process (Kiwi, the name catalog and the report's morphemes are built once), then
the warm median of a draft against the bare tool calls it makes for the same request (get_program and
get_budget of the subjects, get_audit), measured in the same run on the same database; the ratio is what
reading, ranking, writing and the grounding check add.
"""

from __future__ import annotations

import os
import tempfile
import time

from bench_tools import median_ms  # the same timing helper (bench/ is on sys.path when run as a script)

REQUESTS = [
    "직장어린이집 재원 아동이 계속 줄고 있으니 지역사회 개방 등 운영 대안을 구체적으로 마련하여 보고할 것",
    "퇴직 예정 공무원 교육의 참여율과 만족도가 낮은 과정을 분석하여 개선 방안을 마련할 것",
    "e-러닝 콘텐츠 만족도를 높일 방안을 마련할 것",
]


def main() -> None:
    os.environ["HRD_HOME"] = tempfile.mkdtemp()
    from hrd.settings import get_settings
    from knowledge.ingest import ingest
    from tools import queries as q
    from tools.context import ToolContext

    from assistant.drafting import make_draft

    s = get_settings()
    ingest(None, s, with_index=False)
    ctx = ToolContext(s)
    t = time.perf_counter()
    make_draft(ctx, request=REQUESTS[0])
    print(f"first draft in the process (Kiwi, catalog, report morphemes): {(time.perf_counter() - t) * 1000:,.0f} ms")
    for req in REQUESTS:
        d = make_draft(ctx, request=req)

        def tools_only(d=d):
            for sub in d.subjects:
                if sub.kind == "program":
                    q.get_program(q.ProgramArgs(name=sub.name), ctx)
                q.get_budget(q.BudgetArgs(name=sub.name), ctx)
            q.get_audit(q.AuditArgs(), ctx)

        base = median_ms(tools_only, n=10)
        full = median_ms(lambda req=req: make_draft(ctx, request=req), n=10)
        print(f"{req[:24]}…  draft {full:7.1f} ms · tools {base:6.1f} ms · ratio {full / base:4.1f}×")


if __name__ == "__main__":
    main()
