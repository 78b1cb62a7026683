"""`hrd serve` as a real process on a free loopback port, for tests and bench/bench_api.py.

    with hrd_server(home, env={"HRD_RATE_LIMIT": "5"}, args=["--workers", "2"]) as srv:
        httpx.get(srv.url + "/healthz")
        srv.output()            # what the server printed so far (stdout and stderr)

`make_key(home, role, name)` creates a key through the library (fast); the CLI path is tested too.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator

import httpx
from conftest import free_port, stop_process

HRD = Path(sys.executable).with_name("hrd")


@dataclass
class Server:
    url: str
    port: int
    proc: subprocess.Popen
    log_path: Path

    def output(self) -> str:
        return self.log_path.read_text(encoding="utf-8", errors="replace")


def server_env(home: Path | str, extra: dict[str, str] | None = None) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("HRD_") or k == "HRD_EMBED_CACHE"}
    env.update({"HRD_HOME": str(home), "OMP_WAIT_POLICY": "PASSIVE"})
    env.update(extra or {})
    return env


@contextmanager
def hrd_server(home: Path | str, *, env: dict[str, str] | None = None, args: list[str] | None = None,
               timeout: float = 120) -> Iterator[Server]:
    port = free_port()
    log = Path(tempfile.mkstemp(prefix="hrd-serve-", suffix=".log")[1])
    with open(log, "wb") as out:
        proc = subprocess.Popen([str(HRD), "serve", "--port", str(port), *(args or [])], env=server_env(home, env),
                                stdout=out, stderr=subprocess.STDOUT)
    srv = Server(f"http://127.0.0.1:{port}", port, proc, log)
    try:
        deadline = time.monotonic() + timeout
        while True:
            if proc.poll() is not None:
                raise RuntimeError(f"hrd serve exited with {proc.returncode}: {srv.output()[-2000:]}")
            try:
                if httpx.get(srv.url + "/healthz", timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if time.monotonic() > deadline:
                raise RuntimeError(f"hrd serve did not start: {srv.output()[-2000:]}")
            time.sleep(0.2)
        yield srv
    except BaseException:
        print(f"--- hrd serve output ---\n{srv.output()[-4000:]}")  # shown by pytest on failure
        raise
    finally:
        stop_process(proc)
        log.unlink(missing_ok=True)


def fresh_window(margin: float = 20.0) -> None:
    """Wait, if needed, so that a test's burst of requests fits in one rate-limit minute (windows start on the minute)."""
    left = 60 - time.time() % 60
    if left < margin:
        time.sleep(left + 0.2)


def make_key(settings, role: str, name: str, rate_limit: int | None = None) -> str:
    from api.keys import create_key
    from knowledge.db import engine_for

    return create_key(engine_for(settings), name=name, role=role, rate_limit=rate_limit)


def rss_kb(pid: int) -> int:
    """Resident memory of a process and its children (kB), from /proc."""
    total = 0
    pids = [pid]
    try:
        children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
        pids += [int(c) for c in children]
    except OSError:
        pass
    for p in pids:
        try:
            for line in Path(f"/proc/{p}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1])
        except OSError:
            pass
    return total
