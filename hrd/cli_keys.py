"""`hrd keys`: API keys with roles, stored hashed in the database.

    hrd keys create --role viewer --name 김주무관       # the key is printed once, alone on the last line
    hrd keys create --role admin --name 관리자 --rate-limit 600
    hrd keys list
    hrd keys revoke 김주무관
"""

from __future__ import annotations

import json
from typing import Optional

import typer
from rich.console import Console
from rich.table import Table

from hrd.errors import HrdError
from hrd.settings import get_settings

keys_app = typer.Typer(help="API 키 관리(역할: viewer, staff, admin). 키는 해시로만 저장됩니다.\n\n"
                            "예: hrd keys create --role viewer --name 김주무관 · hrd keys list · hrd keys revoke 김주무관",
                       no_args_is_help=True)
console = Console()
err = Console(stderr=True)


def _engine():
    from knowledge.db import engine_for, migrate

    engine = engine_for(get_settings())
    try:
        migrate(engine)
    except Exception as e:
        raise HrdError(f"데이터베이스에 연결하거나 스키마를 만들 수 없습니다: {type(e).__name__}") from e
    return engine


def _fail(e: Exception) -> None:
    err.print(f"[red]오류:[/red] {e}")
    raise typer.Exit(1)


@keys_app.command("create")
def create(
    role: str = typer.Option(..., "--role", help="viewer(질문·검색·표) · staff(+답변서 초안) · admin(+재적재·기록)"),
    name: str = typer.Option(..., "--name", help="키 이름(기록에 남는 이름, 고유)"),
    rate_limit: Optional[int] = typer.Option(None, "--rate-limit", min=0, help="이 키의 분당 요청 한도(생략하면 HRD_RATE_LIMIT)"),
) -> None:
    """새 API 키를 만듭니다. 키는 마지막 줄에 한 번만 출력되고 다시 볼 수 없습니다.

    예: hrd keys create --role viewer --name 김주무관
    """
    from api.keys import create_key

    try:
        key = create_key(_engine(), name=name, role=role, rate_limit=rate_limit)
    except HrdError as e:
        _fail(e)
    typer.echo(f"키를 만들었습니다: {name.strip()} ({role.strip().lower()}). 아래 키는 다시 보여 주지 않으니 지금 보관하세요.")
    typer.echo(key)


@keys_app.command("list")
def list_(as_json: bool = typer.Option(False, "--json", help="JSON으로 출력")) -> None:
    """키 목록(이름, 역할, 공개 ID, 만든 때, 폐기 여부). 키 자체는 저장되어 있지 않습니다.

    예: hrd keys list
    """
    from api.keys import list_keys

    try:
        records = list_keys(_engine())
    except HrdError as e:
        _fail(e)
    if as_json:
        typer.echo(json.dumps([{"name": r.name, "role": r.role, "key_id": r.key_id, "rate_limit": r.rate_limit,
                                "created_at": r.created_at.isoformat() + "Z",
                                "revoked_at": r.revoked_at.isoformat() + "Z" if r.revoked_at else None}
                               for r in records], ensure_ascii=False))
        return
    t = Table(title=f"API 키 {len(records)}개")
    for col in ("이름", "역할", "공개 ID", "분당 한도", "만든 때(UTC)", "상태"):
        t.add_column(col)
    for r in records:
        t.add_row(r.name, r.role, r.key_id, str(r.rate_limit) if r.rate_limit is not None else "기본",
                  r.created_at.strftime("%Y-%m-%d %H:%M"), f"폐기됨 {r.revoked_at:%Y-%m-%d %H:%M}" if r.revoked_at else "사용 중")
    console.print(t)


@keys_app.command("revoke")
def revoke(name: str = typer.Argument(..., help="폐기할 키의 이름")) -> None:
    """키를 폐기합니다(다음 요청부터 401).

    예: hrd keys revoke 김주무관
    """
    from api.keys import revoke_key

    try:
        revoke_key(_engine(), name)
    except HrdError as e:
        _fail(e)
    typer.echo(f"폐기했습니다: {name}")


def register(app: typer.Typer) -> None:
    app.add_typer(keys_app, name="keys")
