"""`hrd serve`: run the API and web page (uvicorn), or send one request through the app.

    hrd serve                                  # http://127.0.0.1:8000  (web page at /, API under /api/v1)
    hrd serve --host 0.0.0.0 --port 8080       # set HRD_API_KEYS before exposing it beyond this machine
    hrd serve --get /api/v1/health             # one request through the app, no server; prints the JSON

`hrd/cli.py` calls `register(app)`. FastAPI and uvicorn are imported inside the command.
"""

from __future__ import annotations

import json
import sys
from typing import Optional

import typer

from hrd.errors import HrdError


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


def serve_command(
    host: str = typer.Option("127.0.0.1", "--host", help="들을 주소 / bind address (기본: 이 컴퓨터에서만)."),
    port: int = typer.Option(8000, "--port", min=1, max=65535, help="포트 / port."),
    workers: int = typer.Option(1, "--workers", min=1, help="작업 프로세스 수 / worker processes."),
    get: Optional[str] = typer.Option(None, "--get", metavar="PATH",
                                      help="서버 없이 요청 하나를 보내고 JSON을 출력 / one GET through the app, e.g. /api/v1/health."),
) -> None:
    """API 서버와 웹 페이지를 실행합니다 (웹: /, API: /api/v1, 문서: /docs).

    HRD_API_KEYS("키:reader,키:admin")가 없으면 API는 열려 있습니다(로컬 사용).
    분당 요청 한도는 HRD_RATE_LIMIT(기본 60, 0이면 없음).

    예: hrd serve · hrd serve --port 8080 · hrd serve --get /api/v1/health
    """
    from rich.console import Console

    err = Console(stderr=True)
    try:
        if get is not None:
            if not get.startswith("/"):
                raise typer.BadParameter("경로는 /로 시작해야 합니다, 예: /api/v1/health", param_hint="--get")
            raise typer.Exit(_get(get))
        import uvicorn

        from api.config import ApiConfig
        from hrd.settings import get_settings
        from knowledge.ingest import ensure_ready

        config = ApiConfig.from_env()  # fail early on a malformed HRD_API_KEYS
        ensure_ready(get_settings(), progress=lambda msg, *rest: err.print(f"[dim]{msg}[/dim]"))
        if config.open and host not in ("127.0.0.1", "localhost", "::1"):
            err.print("[yellow]주의: HRD_API_KEYS가 없어 API가 열려 있습니다. 외부에 공개하려면 키를 설정하세요.[/yellow]")
        err.print(f"웹 페이지: http://{host}:{port}/  ·  API 문서: http://{host}:{port}/docs")
        uvicorn.run("api.app:create_app", factory=True, host=host, port=port, workers=workers, log_level="info")
    except HrdError as e:
        err.print(f"[red]오류:[/red] {e}")
        raise typer.Exit(1)


def register(app: typer.Typer) -> None:
    """Add the `serve` command to the hrd Typer app."""
    app.command("serve")(serve_command)


if __name__ == "__main__":  # pragma: no cover
    sys.exit(typer.run(serve_command))
