"""A throwaway PostgreSQL cluster for tests: `with start_postgres() as url: ...`.

Finds the server binaries in /usr/lib/postgresql/*/bin (or on PATH), runs `initdb -A trust` in a
temporary directory (as the `postgres` user through `runuser` when running as root: initdb
refuses root), starts it on 127.0.0.1 and a free port with fsync off and its socket in the same
temporary directory, creates the database `hrd`, yields the SQLAlchemy URL
`postgresql+psycopg://postgres@127.0.0.1:PORT/hrd`, and stops and deletes the cluster on exit.

Raises `PostgresUnavailable` (with the reason) when there are no binaries or the server does not
start, so a fixture can `pytest.skip(str(e))`.
"""

from __future__ import annotations

import glob
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

DB_NAME = "hrd"


class PostgresUnavailable(RuntimeError):
    """No PostgreSQL server binaries here, or the throwaway cluster could not start."""


def find_bin_dir() -> Path | None:
    """The newest /usr/lib/postgresql/<version>/bin holding initdb and pg_ctl (or PATH's)."""

    def version(p: str) -> tuple[int, ...]:
        v = Path(p).parent.parent.name
        return tuple(int(x) for x in v.split(".") if x.isdigit())

    candidates = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"), key=version, reverse=True)
    for initdb in candidates:
        d = Path(initdb).parent
        if (d / "pg_ctl").exists():
            return d
    on_path = shutil.which("initdb")
    if on_path and shutil.which("pg_ctl"):
        return Path(on_path).parent
    return None


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _as_server_user() -> tuple[list[str], str | None]:
    """The command prefix to run server binaries and the user that must own the data dir."""
    if os.geteuid() != 0:
        return [], None
    try:
        pwd.getpwnam("postgres")
    except KeyError as e:
        raise PostgresUnavailable("running as root and there is no 'postgres' user to run initdb") from e
    runuser = shutil.which("runuser")
    if not runuser:
        raise PostgresUnavailable("running as root and `runuser` is missing (initdb refuses root)")
    return [runuser, "-u", "postgres", "--"], "postgres"


def _run(cmd: list[str], timeout: float = 60) -> subprocess.CompletedProcess:
    return subprocess.run(cmd, capture_output=True, text=True, timeout=timeout, check=False)


@contextmanager
def start_postgres(db_name: str = DB_NAME) -> Iterator[str]:
    bin_dir = find_bin_dir()
    if bin_dir is None:
        raise PostgresUnavailable("no PostgreSQL server binaries (/usr/lib/postgresql/*/bin/initdb); "
                                  "install the Debian package `postgresql`")
    prefix, owner = _as_server_user()
    root = Path(tempfile.mkdtemp(prefix="hrd-pg-"))
    data = root / "data"
    log = root / "server.log"
    started = False
    try:
        if owner:
            shutil.chown(root, user=owner, group=owner)
        r = _run([*prefix, str(bin_dir / "initdb"), "-D", str(data), "-A", "trust", "-U", "postgres",
                  "-E", "UTF8", "--locale=C", "--no-sync"])
        if r.returncode != 0:
            raise PostgresUnavailable(f"initdb failed: {(r.stderr or r.stdout).strip()[-400:]}")
        port = _free_port()
        opts = f"-c listen_addresses=127.0.0.1 -p {port} -c fsync=off -c full_page_writes=off -k {root}"
        r = _run([*prefix, str(bin_dir / "pg_ctl"), "-D", str(data), "-l", str(log), "-w", "-t", "30",
                  "-o", opts, "start"])
        if r.returncode != 0:
            tail = log.read_text(errors="replace")[-400:] if log.exists() else ""
            raise PostgresUnavailable(f"pg_ctl start failed: {(r.stderr or r.stdout).strip()[-300:]} {tail}")
        started = True
        r = _run([str(bin_dir / "createdb"), "-h", "127.0.0.1", "-p", str(port), "-U", "postgres", db_name])
        if r.returncode != 0:
            raise PostgresUnavailable(f"createdb failed: {(r.stderr or r.stdout).strip()[-300:]}")
        yield f"postgresql+psycopg://postgres@127.0.0.1:{port}/{db_name}"
    finally:
        if started:
            _run([*prefix, str(bin_dir / "pg_ctl"), "-D", str(data), "-m", "immediate", "-w", "stop"])
        shutil.rmtree(root, ignore_errors=True)
