"""schemathesis against /openapi.json of `hrd serve` started as a process: every status a route
returns is declared, the bounds are real, no schema-valid request is refused, no 500.

Bounded: a few examples per operation (about half a minute). The failed-auth throttle is off for
this server only (schemathesis sends many requests without a key on purpose; the throttle has
its own test in test_service.py)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from server import hrd_server, make_key
from test_api import ingested, settings  # noqa: F401  (module fixtures shared with the API tests)

ST = Path(sys.executable).with_name("schemathesis")


@pytest.mark.skipif(not ST.exists(), reason="schemathesis is not installed (pip install -e '.[test]')")
def test_schemathesis_finds_nothing(settings):  # noqa: F811
    key = make_key(settings, "admin", "schemathesis")
    with hrd_server(settings.home, env={"HRD_RATE_LIMIT": "0", "HRD_AUTH_FAIL_LIMIT": "0"}) as srv:
        res = subprocess.run([str(ST), "run", srv.url + "/openapi.json", "-H", f"Authorization: Bearer {key}",
                              "--checks", "all", "--max-examples", "8", "--workers", "1", "--seed", "14",
                              "--phases", "examples,coverage,fuzzing", "--request-timeout", "300",
                              "--exclude-path", "/api/v1/admin/reingest", "--exclude-path", "/api/v1/drafts",
                              "--max-response-time", "600"],
                             # reingest builds an index for a minute (test_api covers it); drafts have their own
                             # input table (test_drafting.py, test_api.py): item numbers the schema cannot know answer 404
                             capture_output=True, text=True, timeout=600)
    out = res.stdout + res.stderr
    assert res.returncode == 0, out[-6000:]
    assert "No issues found" in out and "selected" in out
