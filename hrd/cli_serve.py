"""`hrd serve`: run the API and web page (uvicorn), or send one request through the app.

    hrd keys create --role admin --name 관리자     # keys are required by default
    hrd serve                                     # http://127.0.0.1:8000  (web page at /, API under /api/v1)
    hrd serve --host 0.0.0.0 --port 8080 --workers 2
    hrd serve --no-auth                           # single-user mode: no keys, 127.0.0.1 only
    hrd serve --get /api/v1/health                # one request through the app, no server; prints the JSON

`hrd/cli.py` calls `register(app)`. FastAPI and uvicorn are imported inside the command.
"""

from __future__ import annotations

import copy
import json
import os
import sys
from typing import Optional

import typer

from hrd.errors import HrdError

LOOPBACK = ("127.0.0.1", "localhost", "::1")


def _get(path: str) -> int:
    """Send GET `path` through the app in-process (fastapi.testclient); print the body; exit code 0 if < 400."""
    from fastapi.testclient import TestClient

    from api import create_app

    with TestClient(create_app(), raise_server_exceptions=False) as client:
        res = client.get(path)
    ctype = res.headers.get("content-type", "")
    if ctype.startswith("application/json"):
        typer.echo(json.dumps(res.json(), ensure_ascii=False, indent=2))
    else:
        typer.echo(res.text)
    return 0 if res.status_code < 400 else 1


def log_config() -> dict:
    """uvicorn's logging plus the `api` loggers (our access line: address, method, path without query, status, ms)."""
    from uvicorn.config import LOGGING_CONFIG

    cfg = copy.deepcopy(LOGGING_CONFIG)
    cfg["loggers"]["api"] = {"handlers": ["default"], "level": "INFO", "propagate": False}
    return cfg


def _announce(err, settings, host: str, port: int, no_auth: bool) -> None:
    if os.environ.get("HRD_API_KEYS"):
        err.print("[yellow]HRD_API_KEYS는 더 이상 읽지 않습니다: `hrd keys create`로 키를 만드세요.[/yellow]")
    if no_auth:
        err.print("[yellow]인증 없는 단일 사용자 모드(--no-auth): 127.0.0.1에서만 받고, Host·Origin을 검사합니다.[/yellow]")
    else:
        from api.keys import active_key_count
        from knowledge.db import engine_for

        if active_key_count(engine_for(settings)) == 0:
            err.print("[yellow]사용 중인 API 키가 없습니다: 모든 요청이 401입니다. "
                      "`hrd keys create --role admin --name 관리자`로 키를 만드세요.[/yellow]")
    err.print(f"웹 페이지: http://{host}:{port}/  ·  API 문서: http://{host}:{port}/docs")


def serve_command(
    host: str = typer.Option("127.0.0.1", "--host", help="들을 주소 / bind address (기본: 이 컴퓨터에서만)."),
    port: int = typer.Option(8000, "--port", min=1, max=65535, help="포트 / port."),
    workers: int = typer.Option(1, "--workers", min=1, max=32, help="작업 프로세스 수 / worker processes."),
    no_auth: bool = typer.Option(False, "--no-auth", help="키 없는 단일 사용자 모드(127.0.0.1에서만) / single-user mode."),
    get: Optional[str] = typer.Option(None, "--get", metavar="PATH",
                                      help="서버 없이 요청 하나를 보내고 JSON을 출력 / one GET through the app, e.g. /api/v1/health."),
) -> None:
    """API 서버와 웹 페이지를 실행합니다 (웹: /, API: /api/v1, 문서: /docs).

    API 키가 필요합니다(`hrd keys create`). --no-auth는 키 없이 127.0.0.1에서만 받습니다.
    분당 요청 한도는 HRD_RATE_LIMIT(기본 60, 0이면 없음), 공유 저장소는 DB(또는 HRD_REDIS_URL).

    예: hrd serve · hrd serve --workers 2 · hrd serve --no-auth · hrd serve --get /api/v1/health
    """
    from rich.console import Console

    err = Console(stderr=True)
    try:
        if get is not None:
            if not get.startswith("/"):
                raise typer.BadParameter("경로는 /로 시작해야 합니다, 예: /api/v1/health", param_hint="--get")
            raise typer.Exit(_get(get))
        if no_auth and host not in LOOPBACK:
            raise typer.BadParameter("--no-auth는 127.0.0.1에서만 받습니다. 외부에 열려면 키를 만들고 --no-auth를 빼세요.",
                                     param_hint="--host")
        import uvicorn

        from hrd.settings import get_settings
        from knowledge.ingest import ensure_ready

        if no_auth:
            host = "127.0.0.1"
            os.environ["HRD_NO_AUTH"] = "1"  # the workers read their settings from the environment
            get_settings.cache_clear()
        settings = get_settings()
        ensure_ready(settings, progress=lambda msg, *rest: err.print(f"[dim]{msg}[/dim]"))
        _announce(err, settings, host, port, settings.no_auth)
        proxies = settings.trusted_proxies.strip()
        uvicorn.run("api.app:create_app", factory=True, host=host, port=port, workers=workers, log_config=log_config(),
                    access_log=False, server_header=False, proxy_headers=bool(proxies), forwarded_allow_ips=proxies or None)
    except HrdError as e:
        err.print(f"[red]오류:[/red] {e}")
        raise typer.Exit(1)


def register(app: typer.Typer) -> None:
    """Add the `serve` command to the hrd Typer app."""
    app.command("serve")(serve_command)


if __name__ == "__main__":  # pragma: no cover
    sys.exit(typer.run(serve_command))
