"""Concurrent clients on loopback for a fixed time: used by bench/bench_api.py and by the workers test.

    stats = run_load(url, key, seconds=10, clients=8)   # Stats(requests, errors, answers_per_s, p50_ms, p95_ms, …)

Each client is a thread with one keep-alive connection (http.client: cheap on the client side),
sending `POST /api/v1/ask` with the questions in turn.
"""

from __future__ import annotations

import http.client
import json
import statistics
import threading
import time
from dataclasses import dataclass, field
from urllib.parse import urlsplit

QUESTIONS = ["신규자과정운영 집행률은?", "이러닝 만족도는?", "리더십교육과정운영 예산은?", "IT 교육 집행률은?",
             "집행률이 가장 낮은 사업은?", "2회 경쟁률은?"]


@dataclass
class Stats:
    requests: int
    errors: int
    seconds: float
    latencies_ms: list[float] = field(repr=False, default_factory=list)
    statuses: dict[int, int] = field(default_factory=dict)

    @property
    def answers_per_s(self) -> float:
        return (self.requests - self.errors) / self.seconds if self.seconds else 0.0

    def pct(self, q: float) -> float:
        if not self.latencies_ms:
            return 0.0
        return statistics.quantiles(self.latencies_ms, n=100, method="inclusive")[int(q) - 1]


def _client(url: str, key: str, deadline: float, out: list, offset: int) -> None:
    parts = urlsplit(url)
    conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=60)
    headers = {"Authorization": f"Bearer {key}", "Content-Type": "application/json"}
    i = offset
    while time.monotonic() < deadline:
        body = json.dumps({"question": QUESTIONS[i % len(QUESTIONS)]}, ensure_ascii=False).encode()
        i += 1
        t0 = time.perf_counter()
        try:
            conn.request("POST", "/api/v1/ask", body=body, headers=headers)
            res = conn.getresponse()
            res.read()
            status = res.status
        except (OSError, http.client.HTTPException):
            status = 0
            conn.close()
            conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=60)
        out.append((status, (time.perf_counter() - t0) * 1000))
    conn.close()


def run_load(url: str, key: str, *, seconds: float, clients: int) -> Stats:
    results: list[list[tuple[int, float]]] = [[] for _ in range(clients)]
    t0 = time.monotonic()
    deadline = t0 + seconds
    threads = [threading.Thread(target=_client, args=(url, key, deadline, results[i], i), daemon=True) for i in range(clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=seconds + 120)
    elapsed = time.monotonic() - t0
    flat = [r for rs in results for r in rs]
    statuses: dict[int, int] = {}
    for s, _ in flat:
        statuses[s] = statuses.get(s, 0) + 1
    return Stats(requests=len(flat), errors=sum(1 for s, _ in flat if s != 200), seconds=elapsed,
                 latencies_ms=[ms for s, ms in flat if s == 200], statuses=statuses)
