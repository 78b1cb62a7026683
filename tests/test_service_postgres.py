"""`hrd serve --workers 2` on a real PostgreSQL (a throwaway cluster): concurrent asks all answer,
the per-key limit holds across the workers, and the request log has one row per request."""

from __future__ import annotations

import os
import time

import httpx
import pytest
from load import run_load
from pg import PostgresUnavailable, start_postgres
from server import fresh_window, hrd_server, make_key
from sqlalchemy import func, select
from test_api import env

from hrd.settings import Settings, get_settings

pytestmark = pytest.mark.postgres


@pytest.fixture(scope="module")
def pg_settings(tmp_path_factory, pytestconfig):
    from knowledge.ingest import ingest

    try:
        with start_postgres("hrd_service") as url:
            home = tmp_path_factory.mktemp("pg-service-home")
            cache = os.environ.get("HRD_EMBED_CACHE") or str(pytestconfig.cache.mkdir("hrd-embeddings") / "embeddings.sqlite3")
            with env(HRD_HOME=str(home), HRD_DATABASE_URL=url, HRD_EMBED_CACHE=cache, HRD_CHROMA_URL=None):
                get_settings.cache_clear()
                s = Settings(home=home, HRD_DATABASE_URL=url)
                ingest(None, s, with_index=True)
                yield s
            get_settings.cache_clear()
    except PostgresUnavailable as e:
        pytest.skip(f"PostgreSQL unavailable: {e}")


def test_two_workers_on_postgresql(pg_settings):
    from api.service_db import request_log
    from knowledge.db import engine_for

    key = make_key(pg_settings, "viewer", "pg-load")
    limited = make_key(pg_settings, "viewer", "pg-limited", rate_limit=10)
    with hrd_server(pg_settings.home, env={"HRD_DATABASE_URL": pg_settings.database_url, "HRD_RATE_LIMIT": "0"},
                    args=["--workers", "2"]) as srv:
        ready = httpx.get(srv.url + "/readyz").json()
        assert ready["database"] == "postgresql" and ready["index"] is True
        stats = run_load(srv.url, key, seconds=4, clients=4)
        fresh_window()
        with httpx.Client(base_url=srv.url, timeout=60, limits=httpx.Limits(max_keepalive_connections=0)) as c:
            statuses = [c.get("/api/v1/tables", headers={"Authorization": f"Bearer {limited}"}).status_code for _ in range(20)]
        time.sleep(0.5)
        output = srv.output()
    assert stats.requests > 0 and stats.errors == 0, (stats.statuses, output[-3000:])
    assert statuses.count(200) == 10 and statuses.count(429) == 10, statuses
    with engine_for(pg_settings).connect() as conn:
        logged = conn.scalar(select(func.count()).select_from(request_log).where(request_log.c.key_name == "pg-load"))
    assert logged == stats.requests
