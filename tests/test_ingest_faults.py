"""Ingest faults with real `hrd ingest` subprocesses: SIGKILL at named stages (HRD_FAULT_PAUSE) and at
arbitrary moments, and two ingests at once. Afterwards `hrd sql`, `hrd search` and `hrd ask` agree on
one report, the next ingest succeeds, and no orphaned index build is left.

Two variants of the report (same year, same structure) tell the readers apart: A is the bundled
report, B a copy under another file name whose line 419 carries a word A lacks.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
REPORT = ROOT / "knowledge" / "sources" / "seoul-hrd-2025-work-report.txt"
HRD = [sys.executable, "-c", "from hrd.cli import main; main()"]
MARK = "크래시검증문구"
A, B = REPORT.name, "variant-2025.txt"


@pytest.fixture(scope="module")
def lab(tmp_path_factory, pytestconfig):
    home = tmp_path_factory.mktemp("faults-home")
    cache_dir = pytestconfig.cache.mkdir("hrd-embeddings") if getattr(pytestconfig, "cache", None) else home
    env = dict(os.environ, HRD_HOME=str(home / "hrd"), PYTHONPATH=str(ROOT),
               HRD_EMBED_CACHE=os.environ.get("HRD_EMBED_CACHE") or str(cache_dir / "embeddings.sqlite3"))
    for k in ("HRD_DATABASE_URL", "HRD_CHROMA_URL", "HRD_DEBUG", "HRD_FAULT_PAUSE"):
        env.pop(k, None)
    lines = REPORT.read_text(encoding="utf-8").split("\n")
    lines[418] = lines[418] + f" ({MARK})"
    (home / B).write_text("\n".join(lines), encoding="utf-8")
    files = {A: REPORT, B: home / B}
    p = run(env, ["ingest", str(REPORT)])
    assert p.returncode == 0, p.stderr
    return env, files, Path(env["HRD_HOME"])


def run(env, args, **extra) -> subprocess.CompletedProcess:
    return subprocess.run(HRD + args, cwd=ROOT, env=dict(env, **extra), capture_output=True, text=True, timeout=600)


def readers(env) -> dict[str, str]:
    """Which report each reader serves: the database (hrd sql), the index (hrd search)."""
    db = run(env, ["sql", "--json", "SELECT file_name FROM reports"])
    assert db.returncode == 0, db.stderr
    names = [r[0] for r in json.loads(db.stdout)["rows"]]
    assert len(names) == 1, names  # one report of the year, never two, never none
    found = run(env, ["search", "--json", "-k", "3", f"{MARK} AI 정책 활용 사례교육 신입자"])
    assert found.returncode == 0, found.stderr
    hits = json.loads(found.stdout)["results"]
    sources = {h["source"] for h in hits}
    assert len(sources) == 1, sources
    marked = any(MARK in h["text"] for h in hits)
    assert marked == (names[0] == B), (names, hits[0]["text"][:200])
    return {"db": names[0], "index": sources.pop()}


def orphans(home: Path) -> list[str]:
    index = home / "index"
    builds = sorted(p.name for p in index.glob("*.chunks.json"))
    tokens = sorted(p.name for p in index.glob("*.tokens.json"))
    pending = sorted(p.name for p in (index / "pending").glob("*.json")) if (index / "pending").exists() else []
    import sqlite3

    with sqlite3.connect(f"file:{index / 'chroma' / 'chroma.sqlite3'}?mode=ro", uri=True) as conn:
        cols = [r[0] for r in conn.execute("SELECT name FROM collections")]
    extra = builds[1:] + tokens[1:] + pending + cols[1:]
    return extra


def kill_at(env, file: Path, stage: str | None, after_s: float | None = None) -> int:
    """Start `hrd ingest file`; SIGKILL it when it reaches `stage` (or after `after_s`). Returns its rc."""
    e = dict(env, HRD_FAULT_PAUSE=stage) if stage else env
    proc = subprocess.Popen(HRD + ["ingest", str(file)], cwd=ROOT, env=e, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    if stage:
        deadline = time.monotonic() + 300
        for line in proc.stderr:  # the fault point announces itself, then waits
            if line.startswith(f"HRD-FAULT-POINT {stage}"):
                break
            assert time.monotonic() < deadline
        else:
            pytest.fail(f"ingest ended before {stage}: rc={proc.wait()}")
    else:
        time.sleep(after_s or 0)
    proc.send_signal(signal.SIGKILL)
    return proc.wait()


STAGES = [  # (where the kill lands, which report serves afterwards)
    ("parsed", "old"), ("index-built", "old"), ("db-written", "old"), ("after-switch", "new"),
]


def test_sigkill_at_every_stage_leaves_one_report_and_the_next_ingest_cleans_up(lab):
    env, files, home = lab
    serving = readers(env)["db"]
    survived = 0
    for stage, expect in STAGES:
        target = B if serving == A else A
        assert kill_at(env, files[target], stage) == -signal.SIGKILL
        now = readers(env)
        want = target if expect == "new" else serving
        assert now == {"db": want, "index": want}, (stage, now)
        survived += 1
        # the next ingest succeeds and leaves exactly one build
        nxt = B if want == A else A
        p = run(env, ["ingest", str(files[nxt])])
        assert p.returncode == 0, (stage, p.stderr[-1500:])
        assert readers(env) == {"db": nxt, "index": nxt}
        assert orphans(home) == [], stage
        serving = nxt
    assert survived == len(STAGES)


@pytest.mark.parametrize("after_s", [1.5, 5.0])
def test_sigkill_at_an_arbitrary_moment_leaves_one_report(lab, after_s):
    env, files, home = lab
    serving = readers(env)["db"]
    target = B if serving == A else A
    kill_at(env, files[target], None, after_s)
    now = readers(env)
    assert now["db"] == now["index"] and now["db"] in (serving, target)
    p = run(env, ["ingest", str(files[B if now["db"] == A else A])])
    assert p.returncode == 0, p.stderr[-1500:]
    assert orphans(home) == []


def test_two_concurrent_ingests_both_finish_and_agree(lab):
    env, files, home = lab
    procs = [subprocess.Popen(HRD + ["ingest", str(files[f])], cwd=ROOT, env=env, stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE, text=True) for f in (A, B)]
    outs = [p.communicate(timeout=600) for p in procs]
    assert [p.returncode for p in procs] == [0, 0], outs
    now = readers(env)
    assert now["db"] == now["index"]
    assert orphans(home) == []
    ask = run(env, ["ask", "--json", "신입자 과정 운영 예산은?"])
    assert ask.returncode == 0, ask.stderr[-1500:]
    answer = json.loads(ask.stdout)
    assert answer["facts"] and {c["source"] for c in answer["citations"]} <= {now["db"]}
