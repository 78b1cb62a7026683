"""Throughput of the API on PostgreSQL: `hrd serve` with 1 and then 2 workers, concurrent clients on
loopback for a fixed time, in the same run (a throwaway PostgreSQL cluster, the bundled report).

    .venv/bin/python bench/bench_api.py                 # 20 s per run, 8 clients
    .venv/bin/python bench/bench_api.py --seconds 30 --clients 12

Prints answers/s, p50, p95, errors and the server's memory (RSS of the master and its workers)
for each run, the ratio 2 workers / 1 worker, and whether the request log holds one row per request.
Goal: ratio >= 1.7, p95 < 300 ms, 0 errors.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT / "tests"), str(ROOT)]

from load import run_load  # noqa: E402
from pg import start_postgres  # noqa: E402
from server import hrd_server, make_key, rss_kb  # noqa: E402


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of a process and its children (workers), from /proc."""
    total = 0.0
    pids = [pid]
    try:
        pids += [int(c) for c in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]
    except OSError:
        pass
    for p in pids:
        try:
            fields = Path(f"/proc/{p}/stat").read_text().rsplit(")", 1)[1].split()
            total += (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
        except OSError:
            pass
    return total


def peak_rss(pid: int, stop: threading.Event, out: list[int]) -> None:
    while not stop.is_set():
        out.append(rss_kb(pid))
        time.sleep(0.5)


def one_run(settings, workers: int, seconds: float, clients: int, dump: Path | None) -> dict:
    from sqlalchemy import func, select

    from api.service_db import request_log
    from knowledge.db import engine_for

    name = f"bench-{workers}w-{time.monotonic_ns()}"
    key = make_key(settings, "viewer", name)
    env = {"HRD_DATABASE_URL": settings.database_url, "HRD_RATE_LIMIT": "0"}
    with hrd_server(settings.home, env=env, args=["--workers", str(workers)]) as srv:
        run_load(srv.url, key, seconds=min(5.0, seconds), clients=clients)  # warm every worker (Kiwi, the agent)
        time.sleep(1.0)  # the last warm-up rows are written just after their responses
        with engine_for(settings).connect() as conn:
            before = conn.scalar(select(func.count()).select_from(request_log).where(request_log.c.key_name == name))
        stop, samples = threading.Event(), []
        sampler = threading.Thread(target=peak_rss, args=(srv.proc.pid, stop, samples), daemon=True)
        sampler.start()
        cpu0 = cpu_seconds(srv.proc.pid)
        stats = run_load(srv.url, key, seconds=seconds, clients=clients)
        server_cpu = cpu_seconds(srv.proc.pid) - cpu0
        stop.set()
        sampler.join()
        time.sleep(1.0)
        with engine_for(settings).connect() as conn:
            after = conn.scalar(select(func.count()).select_from(request_log).where(request_log.c.key_name == name))
        if dump:
            dump.write_text(srv.output(), encoding="utf-8")
    return {"workers": workers, "requests": stats.requests, "errors": stats.errors, "statuses": stats.statuses,
            "answers_per_s": stats.answers_per_s, "p50": stats.pct(50), "p95": stats.pct(95),
            "rss_mb": max(samples or [0]) / 1024, "logged": after - before,
            "server_cpu_ms": 1000 * server_cpu / max(stats.requests, 1), "server_cores": server_cpu / stats.seconds}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--seconds", type=float, default=20)
    ap.add_argument("--clients", type=int, default=8)
    ap.add_argument("--dump", type=Path, default=None, help="write each server's output to DIR/serve-N.log")
    args = ap.parse_args()
    os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")
    from hrd.settings import Settings
    from knowledge.ingest import ingest

    with start_postgres("hrd_bench") as url, tempfile.TemporaryDirectory(prefix="hrd-bench-") as home:
        os.environ.update({"HRD_HOME": home, "HRD_DATABASE_URL": url})
        settings = Settings(home=Path(home), HRD_DATABASE_URL=url)
        print("ingest (PostgreSQL, with the search index) …", flush=True)
        ingest(None, settings, with_index=True)
        runs = []
        for workers in (1, 2):
            dump = args.dump / f"serve-{workers}.log" if args.dump else None
            r = one_run(settings, workers, args.seconds, args.clients, dump)
            runs.append(r)
            print(f"{workers} worker(s): {r['answers_per_s']:.1f} answers/s · p50 {r['p50']:.0f} ms · p95 {r['p95']:.0f} ms · "
                  f"errors {r['errors']} {r['statuses']} · server RSS {r['rss_mb']:.0f} MB · "
                  f"log rows {r['logged']} / requests {r['requests']} · server CPU {r['server_cpu_ms']:.0f} ms/answer, "
                  f"{r['server_cores']:.2f} of {os.cpu_count()} cores busy", flush=True)
    one, two = runs
    ratio = two["answers_per_s"] / one["answers_per_s"] if one["answers_per_s"] else 0.0
    logs_ok = all(r["logged"] == r["requests"] for r in runs)
    print(f"2 workers / 1 worker: {ratio:.2f}x (goal >= 1.7) · p95 with 2 workers {two['p95']:.0f} ms (goal < 300) · "
          f"errors {one['errors'] + two['errors']} (goal 0) · log rows == requests: {logs_ok}")
    return 0 if logs_ok and not (one["errors"] or two["errors"]) else 1


if __name__ == "__main__":
    sys.exit(main())
