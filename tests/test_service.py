"""The service as an attacker probes it, over real HTTP against `hrd serve` started as a process:
keys and roles, sessions across keys, bodies of every transfer encoding, throttling, rate limits
shared by workers (database and Redis), single-user mode's Host/Origin checks, headers, bounds,
the request log and its retention, health probes, and what the server log shows."""

from __future__ import annotations

import csv
import io
import json
import os
import re
import shutil
import socket
import subprocess
import time
from datetime import timedelta

import httpx
import pytest
from server import HRD, fresh_window, hrd_server, make_key, rss_kb, server_env
from test_api import env

from hrd.settings import Settings, get_settings

KEY_RE = re.compile(r"^hrd_[0-9a-f]{12}_[A-Za-z0-9_-]{20,100}$")
SECRET_Q = "서비스시험용질문표지어 신규자과정운영 집행률은?"


@pytest.fixture(scope="module")
def settings(tmp_path_factory, pytestconfig) -> Settings:
    """A home of its own with the bundled report and its search index (embeddings cached across runs)."""
    from knowledge.ingest import ingest

    home = tmp_path_factory.mktemp("service-home")
    cache = os.environ.get("HRD_EMBED_CACHE") or str(pytestconfig.cache.mkdir("hrd-embeddings") / "embeddings.sqlite3")
    with env(HRD_HOME=str(home), HRD_EMBED_CACHE=cache, HRD_DATABASE_URL=None, HRD_CHROMA_URL=None):
        get_settings.cache_clear()
        s = Settings(home=home)
        ingest(None, s, with_index=True)
        yield s
    get_settings.cache_clear()


@pytest.fixture(scope="module")
def keys(settings):  # noqa: F811
    return {role: make_key(settings, role, f"{role}-user") for role in ("viewer", "staff", "admin")} | {
        "limited": make_key(settings, "viewer", "limited-user", rate_limit=3),
        "other": make_key(settings, "viewer", "other-user")}


@pytest.fixture(scope="module")
def srv(settings, keys):  # noqa: F811
    with hrd_server(settings.home, env={"HRD_RATE_LIMIT": "1000", "HRD_AUTH_FAIL_LIMIT": "10"}) as s:
        yield s


def bearer(key: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {key}"}


def client_from(address: str, base: str) -> httpx.Client:
    """A client whose connections come from another loopback address (its own throttling bucket)."""
    return httpx.Client(base_url=base, timeout=60, transport=httpx.HTTPTransport(local_address=address))


def log_row(settings, request_id: str) -> dict:  # noqa: F811
    from sqlalchemy import select

    from api.service_db import request_log
    from knowledge.db import engine_for

    for _ in range(50):  # the row is written right after the response went out
        with engine_for(settings).connect() as conn:
            row = conn.execute(select(request_log).where(request_log.c.request_id == request_id)).mappings().first()
        if row is not None:
            return dict(row)
        time.sleep(0.1)
    raise AssertionError(f"no request_log row for {request_id}")


# --------------------------------------------------------------------------- keys and roles


def test_keys_cli_prints_the_key_once_and_stores_only_a_hash(settings, srv):  # noqa: F811
    env = server_env(settings.home)
    out = subprocess.run([str(HRD), "keys", "create", "--role", "staff", "--name", "cli-user"], env=env,
                         capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    key = out.stdout.strip().splitlines()[-1]
    assert KEY_RE.match(key) and out.stdout.count(key) == 1
    listed = subprocess.run([str(HRD), "keys", "list", "--json"], env=env, capture_output=True, text=True, timeout=120)
    rows = {r["name"]: r for r in json.loads(listed.stdout)}
    assert rows["cli-user"]["role"] == "staff" and key not in listed.stdout
    db_bytes = (settings.home / "hrd.sqlite3").read_bytes()
    assert key.encode() not in db_bytes and key.split("_", 2)[2].encode() not in db_bytes  # the whole secret (it may hold "_")
    assert httpx.get(srv.url + "/api/v1/tables", headers=bearer(key)).status_code == 200
    dup = subprocess.run([str(HRD), "keys", "create", "--role", "staff", "--name", "cli-user"], env=env,
                         capture_output=True, text=True, timeout=120)
    assert dup.returncode == 1 and "이미" in dup.stderr and "Traceback" not in dup.stderr
    rev = subprocess.run([str(HRD), "keys", "revoke", "cli-user"], env=env, capture_output=True, text=True, timeout=120)
    assert rev.returncode == 0, rev.stderr
    res = httpx.get(srv.url + "/api/v1/tables", headers=bearer(key))
    assert res.status_code == 401 and "폐기" in res.json()["error"]


@pytest.mark.parametrize("method, path, body, allowed", [
    ("POST", "/api/v1/ask", {"question": "이러닝 만족도는?"}, "viewer"),
    ("GET", "/api/v1/tables", None, "viewer"),
    ("GET", "/api/v1/audit/items", None, "viewer"),
    ("POST", "/api/v1/drafts", {"item": "건의:1"}, "staff"),
    ("GET", "/api/v1/log", None, "admin"),
    ("POST", "/api/v1/admin/reingest?index=false", None, "admin"),
])
def test_roles(srv, keys, method, path, body, allowed):
    from api.keys import ROLE_RANK

    for role in ("viewer", "staff", "admin"):
        res = httpx.request(method, srv.url + path, json=body, headers=bearer(keys[role]), timeout=60)
        expected = 200 if ROLE_RANK[role] >= ROLE_RANK[allowed] else 403
        assert res.status_code == expected, (role, res.text)
    # X-API-Key keeps working; no key is 401
    assert httpx.request(method, srv.url + path, json=body, headers={"X-API-Key": keys["admin"]}, timeout=60).status_code == 200
    res = httpx.request(method, srv.url + path, json=body, timeout=60)
    assert res.status_code == 401 and res.headers["www-authenticate"] == "Bearer"


# --------------------------------------------------------------------------- sessions


def test_a_session_belongs_to_the_key_that_opened_it(srv, keys):
    def ask(key: str, question: str) -> dict:
        res = httpx.post(srv.url + "/api/v1/ask", json={"question": question, "session_id": "shared-s1"},
                         headers=bearer(key), timeout=60)
        assert res.status_code == 200, res.text
        return res.json()

    first = ask(keys["viewer"], "리더십교육과정운영 예산은?")
    assert "리더십교육과정운영" in first["answer"]
    intruder = ask(keys["other"], "그럼 작년은?")
    assert "리더십" not in intruder["answer"] and intruder["session_id"] == "shared-s1"
    owner = ask(keys["viewer"], "그럼 작년은?")
    assert "리더십교육과정운영" in owner["answer"] and "2024" in owner["answer"]


# --------------------------------------------------------------------------- bodies, bounds


def _chunked_post(port: int, total: int, key: str | None = None) -> tuple[str, int]:
    """POST a chunked body of `total` bytes on a raw socket; (status line, bytes the server took)."""
    s = socket.create_connection(("127.0.0.1", port), timeout=30)
    auth = f"Authorization: Bearer {key}\r\n" if key else ""
    s.sendall(f"POST /api/v1/ask HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nContent-Type: application/json\r\n{auth}"
              "Transfer-Encoding: chunked\r\n\r\n".encode())
    chunk, sent = b"a" * 65536, 0
    try:
        while sent < total:
            s.sendall(b"%x\r\n" % len(chunk) + chunk + b"\r\n")
            sent += len(chunk)
        s.sendall(b"0\r\n\r\n")
    except OSError:
        pass  # the server answered and closed: the rest was never read
    try:
        status = s.recv(200).decode("latin-1").split("\r\n")[0]
    finally:
        s.close()
    return status, sent


def test_a_chunked_body_is_capped_before_authentication(srv, keys):
    before = rss_kb(srv.proc.pid)
    status, sent = _chunked_post(srv.port, 200 << 20)
    assert status.startswith("HTTP/1.1 413"), status
    assert sent < 200 << 20  # the server stopped reading long before the end
    status, _ = _chunked_post(srv.port, 3 << 20, key=keys["viewer"])
    assert status.startswith("HTTP/1.1 413"), status
    assert rss_kb(srv.proc.pid) - before < 50_000  # kB: nothing like the 200 MB body was held
    res = httpx.post(srv.url + "/api/v1/ask", content=b"x" * (2 << 20), headers={"content-type": "application/json"})
    assert res.status_code == 413 and res.json()["status"] == 413


@pytest.mark.parametrize("path", [
    "/api/v1/tables/budget_lines/rows?offset=9223372036854775808",
    "/api/v1/tables/budget_lines/rows?limit=0",
    "/api/v1/log?offset=9223372036854775808",
    "/api/v1/log?since=0.5",
    "/api/v1/search?q=" + "가" * 2001,
])
def test_out_of_bound_parameters_are_422(srv, keys, path):
    res = httpx.get(srv.url + path, headers=bearer(keys["admin"]))
    assert res.status_code == 422 and re.search(r"[가-힣]", res.json()["error"]), res.text


def test_a_too_long_question_is_422_by_the_schema(srv, keys):
    res = httpx.post(srv.url + "/api/v1/ask", json={"question": "가" * 2001}, headers=bearer(keys["viewer"]))
    assert res.status_code == 422 and "질문" in res.json()["error"] and "너무 깁니다" in res.json()["error"]
    schema = httpx.get(srv.url + "/openapi.json").json()
    q = schema["components"]["schemas"]["AskIn"]["properties"]["question"]
    assert q["maxLength"] == 2000 and q["minLength"] == 1


# --------------------------------------------------------------------------- throttling and rate limits


def test_failed_authentication_is_throttled_per_address(srv, keys):
    fresh_window()
    with client_from("127.0.0.77", srv.url) as c:
        statuses = [c.get("/api/v1/tables", headers={**bearer(f"hrd_{i:012x}_{'x' * 40}"),
                                                     "X-Forwarded-For": f"10.0.0.{i % 250}"}).status_code
                    for i in range(200)]
        assert statuses[:10] == [401] * 10 and set(statuses[10:]) == {429}
        res = c.get("/api/v1/tables")
        assert res.status_code == 429 and 1 <= int(res.headers["Retry-After"]) <= 60
        assert c.get("/api/v1/tables", headers=bearer(keys["viewer"])).status_code == 200  # a real key still passes
    with client_from("127.0.0.78", srv.url) as c:
        assert c.get("/api/v1/tables").status_code == 401  # another address is not affected


def test_rate_limit_per_key_answers_429_with_retry_after(srv, keys):
    fresh_window()
    statuses = [httpx.get(srv.url + "/api/v1/tables", headers=bearer(keys["limited"])).status_code for _ in range(5)]
    assert statuses == [200, 200, 200, 429, 429] or statuses[:3] == [200] * 3 and 429 in statuses
    res = httpx.get(srv.url + "/api/v1/tables", headers=bearer(keys["limited"]))
    assert res.status_code == 429 and int(res.headers["Retry-After"]) >= 1 and "요청" in res.json()["error"]
    assert httpx.get(srv.url + "/api/v1/tables", headers=bearer(keys["viewer"])).status_code == 200


def _limit_holds_across_workers(settings, env):  # noqa: F811
    key = make_key(settings, "viewer", f"shared-{time.monotonic_ns()}", rate_limit=10)
    with hrd_server(settings.home, env=env, args=["--workers", "2"]) as s:
        fresh_window()
        with httpx.Client(base_url=s.url, timeout=60, limits=httpx.Limits(max_keepalive_connections=0)) as c:
            statuses = [c.get("/api/v1/tables", headers=bearer(key)).status_code for _ in range(20)]
    assert statuses.count(200) == 10 and statuses.count(429) == 10, statuses


def test_rate_limit_is_shared_by_two_workers_in_the_database(settings):  # noqa: F811
    _limit_holds_across_workers(settings, {})


@pytest.fixture(scope="module")
def redis_url(tmp_path_factory):
    from conftest import free_port, stop_process

    exe = shutil.which("redis-server")
    if not exe:
        pytest.skip("redis-server is not installed (apt-get install redis-server)")
    port = free_port()
    proc = subprocess.Popen([exe, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
                             "--dir", str(tmp_path_factory.mktemp("redis"))], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    import redis

    client = redis.Redis(port=port)
    for _ in range(100):
        try:
            client.ping()
            break
        except redis.ConnectionError:
            time.sleep(0.05)
    else:
        proc.kill()
        pytest.skip("redis-server did not start")
    yield f"redis://127.0.0.1:{port}/0"
    stop_process(proc, timeout=10)


def test_rate_limit_is_shared_by_two_workers_in_redis(settings, redis_url):  # noqa: F811
    import redis

    _limit_holds_across_workers(settings, {"HRD_REDIS_URL": redis_url})
    assert any(k.startswith(b"hrd:rl:key:shared-") for k in redis.Redis.from_url(redis_url).keys("hrd:rl:*"))


# --------------------------------------------------------------------------- single-user mode


def test_no_auth_mode_is_loopback_only_and_checks_host_and_origin(settings):  # noqa: F811
    with hrd_server(settings.home, args=["--no-auth"]) as s:
        assert "127.0.0.1에서만" in s.output()
        assert httpx.get(s.url + "/api/v1/tables").status_code == 200
        with pytest.raises(httpx.ConnectError):  # bound to 127.0.0.1, not to every loopback address
            httpx.get(f"http://127.0.0.2:{s.port}/healthz", timeout=5)
        res = httpx.get(s.url + "/api/v1/log", headers={"Host": f"rebind.example:{s.port}"})
        assert res.status_code == 400 and "Host" in res.json()["error"]
        res = httpx.post(s.url + "/api/v1/admin/reingest?index=false", headers={"Origin": "http://evil.example"})
        assert res.status_code == 403 and "Origin" in res.json()["error"]
        res = httpx.post(s.url + "/api/v1/ask", json={"question": "이러닝 만족도는?"}, headers={"Sec-Fetch-Site": "cross-site"})
        assert res.status_code == 403
        same = httpx.post(s.url + "/api/v1/ask", json={"question": "이러닝 만족도는?"}, headers={"Origin": s.url})
        assert same.status_code == 200, same.text
    bad = subprocess.run([str(HRD), "serve", "--no-auth", "--host", "0.0.0.0"], env=server_env(settings.home),
                         capture_output=True, text=True, timeout=120)
    assert bad.returncode != 0 and "127.0.0.1" in bad.stdout + bad.stderr


# --------------------------------------------------------------------------- headers, docs, health


def test_security_headers_and_no_server_header(srv, keys):
    api = httpx.get(srv.url + "/api/v1/tables", headers=bearer(keys["viewer"]))
    page = httpx.get(srv.url + "/")
    for res in (api, page, httpx.get(srv.url + "/api/v1/tables"), httpx.get(srv.url + "/docs")):
        assert "server" not in res.headers
        assert res.headers["x-content-type-options"] == "nosniff" and res.headers["x-frame-options"] == "DENY"
        assert res.headers["referrer-policy"] == "no-referrer" and "frame-ancestors 'none'" in res.headers["content-security-policy"]
    assert api.headers["cache-control"] == "no-store" and api.headers["content-security-policy"].startswith("default-src 'none'")
    assert "script-src 'self'" in page.headers["content-security-policy"] and "unsafe-inline" not in page.headers["content-security-policy"]


def test_docs_are_served_from_installed_assets(srv):
    html = httpx.get(srv.url + "/docs").text
    assert not re.search(r"(src|href)=\"https?://", html)
    for asset in re.findall(r'(?:src|href)="(/[^"]+)"', html):
        res = httpx.get(srv.url + asset)
        assert res.status_code == 200 and len(res.content) > 100, asset
    assert "SwaggerUIBundle" in httpx.get(srv.url + "/docs-assets/swagger-ui-bundle.js").text


def test_healthz_and_readyz_with_the_reason(srv, tmp_path):
    assert httpx.get(srv.url + "/healthz").json() == {"ok": True}
    ready = httpx.get(srv.url + "/readyz").json()
    assert ready["ok"] is True and ready["database"] == "sqlite" and ready["index"] is True
    from fastapi.testclient import TestClient

    from api import create_app

    with TestClient(create_app(Settings(home=tmp_path / "empty"))) as c:  # nothing ingested: 503 with the reason
        res = c.get("/readyz")
        assert res.status_code == 503 and "hrd ingest" in res.json()["error"]
        assert c.get("/healthz").status_code == 200


# --------------------------------------------------------------------------- the request log


def test_every_request_is_logged_answered_or_rejected(srv, keys, settings):  # noqa: F811
    ok = httpx.post(srv.url + "/api/v1/ask", json={"question": "이러닝 만족도는?"}, headers=bearer(keys["viewer"]))
    answer = ok.json()
    row = log_row(settings, ok.headers["x-request-id"])
    assert {k: row[k] for k in ("key_name", "route", "status", "question", "answer", "refused", "backend")} == {
        "key_name": "viewer-user", "route": "/api/v1/ask", "status": 200, "question": "이러닝 만족도는?",
        "answer": answer["answer"], "refused": answer["refused"], "backend": "offline"}
    assert json.loads(row["citations"]) == [{k: c[k] for k in ("section", "source", "lines")} for c in answer["citations"]]
    assert row["latency_ms"] > 0 and row["session_id"] == answer["session_id"]
    rejected = [
        httpx.post(srv.url + "/api/v1/ask", json={"question": "키 없이 묻는 질문"}),
        httpx.post(srv.url + "/api/v1/ask", json={"question": ""}, headers=bearer(keys["viewer"])),
        httpx.post(srv.url + "/api/v1/ask", content=b"x" * (2 << 20), headers={"content-type": "application/json"}),
        httpx.get(srv.url + "/api/v1/tables/nope/rows", headers=bearer(keys["viewer"])),
        httpx.get(srv.url + "/api/v1/search", params={"q": "어린이집"}, headers=bearer(keys["viewer"])),
    ]
    rows = [log_row(settings, r.headers["x-request-id"]) for r in rejected]
    assert [r["status"] for r in rows] == [r.status_code for r in rejected]
    assert [r["status"] for r in rows][:4] == [401, 422, 413, 404]
    assert rows[0]["question"] == "키 없이 묻는 질문" and rows[0]["key_name"] is None and "API 키" in rows[0]["error"]
    assert rows[3]["key_name"] == "viewer-user" and rows[4]["question"] == "어린이집"


def test_log_route_filters_and_exports_csv(srv, keys):
    httpx.get(srv.url + "/api/v1/tables", headers=bearer("hrd_000000000000_" + "y" * 40))
    res = httpx.get(srv.url + "/api/v1/log", params={"status": 401, "limit": 5}, headers=bearer(keys["admin"]))
    body = res.json()
    assert res.status_code == 200 and body["total"] >= 1 and all(r["status"] == 401 for r in body["rows"])
    csv_res = httpx.get(srv.url + "/api/v1/log", params={"key": "viewer-user", "format": "csv"}, headers=bearer(keys["admin"]))
    assert csv_res.headers["content-type"].startswith("text/csv")
    assert csv_res.text.startswith("id,request_id,at,key_name")
    rows = list(csv.DictReader(io.StringIO(csv_res.text)))
    assert rows and {r["key_name"] for r in rows} == {"viewer-user"}


def test_hrd_log_cli_filters_and_csv(settings, srv, keys, tmp_path):  # noqa: F811
    httpx.get(srv.url + "/api/v1/tables", headers=bearer(keys["staff"]))
    env = server_env(settings.home)
    out = subprocess.run([str(HRD), "log", "--key", "staff-user", "--json"], env=env, capture_output=True, text=True, timeout=120)
    rows = json.loads(out.stdout)["rows"]
    assert rows and all(r["key_name"] == "staff-user" for r in rows)
    target = tmp_path / "log.csv"
    out = subprocess.run([str(HRD), "log", "--status", "401", "--csv", str(target)], env=env, capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    text = target.read_text(encoding="utf-8-sig")
    assert text.startswith("id,request_id,at,") and ",401," in text


def test_retention_prunes_old_rows_and_conversations(settings, srv, keys):  # noqa: F811
    from sqlalchemy import insert, select, update

    from api.retention import prune_all
    from api.service_db import api_sessions, request_log, utcnow
    from assistant.agent import _checkpointer
    from knowledge.db import engine_for

    res = httpx.post(srv.url + "/api/v1/ask", json={"question": "이러닝 만족도는?", "session_id": "old-conv"},
                     headers=bearer(keys["staff"]))
    assert res.status_code == 200
    engine = engine_for(settings)
    long_ago = utcnow() - timedelta(days=400)
    with engine.begin() as conn:
        conn.execute(insert(request_log).values(request_id="old" * 10, at=long_ago, method="GET", route="/api/v1/x",
                                                status=200, latency_ms=1.0))
        conn.execute(update(api_sessions).where(api_sessions.c.thread_id == "staff-user/old-conv").values(last_used_at=long_ago))
    saver = _checkpointer(settings.database_url)
    assert saver.get_tuple({"configurable": {"thread_id": "staff-user/old-conv"}}) is not None
    done = prune_all(settings)
    assert done.log_rows == 1 and done.conversations == 1
    assert saver.get_tuple({"configurable": {"thread_id": "staff-user/old-conv"}}) is None
    with engine.connect() as conn:
        assert conn.scalar(select(request_log.c.id).where(request_log.c.request_id == "old" * 10)) is None


def test_server_log_shows_no_key_and_no_question(srv, keys):
    httpx.post(srv.url + "/api/v1/ask", json={"question": SECRET_Q}, headers=bearer(keys["viewer"]))
    httpx.get(srv.url + "/api/v1/search", params={"q": SECRET_Q}, headers=bearer(keys["viewer"]))
    time.sleep(0.3)
    out = srv.output()
    assert "/api/v1/search " in out and "/api/v1/ask " in out  # the access log is there, without the query
    assert "서비스시험용질문표지어" not in out and "%EC" not in out
    assert all(k not in out for k in keys.values())
