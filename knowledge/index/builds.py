"""Which index build serves which report: the database decides, files only follow.

An index build is a Chroma collection plus two files (`<build>.chunks.json`, `<build>.tokens.json`).
Ingest makes a new build beside the serving one, then commits the report's rows together with
`reports.index_build` (the build's JSON entry) in ONE database transaction: that commit is the
switch. Readers take the build the database names (`serving_pointer`); `current.json` is rewritten
from the database afterwards and is only read when the database names no build (an index built
without a database, or by an older version).

A SIGKILL at any moment therefore leaves either the old report with its old build or the new
report with its new build. What a killed ingest made (a journal file under `pending/` is written
before its collection is created) and whatever no report names any more is removed by
`clean_orphans`, which the next ingest runs under `ingest_lock` (one ingest at a time per home).
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
import threading
from pathlib import Path
from typing import Iterator

from hrd.settings import Settings

from . import store

PENDING = "pending"
_held = threading.local()  # lock depth per thread: ingest → build_index does not lock twice


@contextlib.contextmanager
def ingest_lock(settings: Settings, say=None) -> Iterator[None]:
    """Exclusive per home (flock; released by the kernel when a process dies)."""
    depth = getattr(_held, "depth", 0)
    if depth:
        _held.depth = depth + 1
        try:
            yield
        finally:
            _held.depth -= 1
        return
    home = Path(settings.home)
    home.mkdir(parents=True, exist_ok=True)
    with open(home / "ingest.lock", "a+") as f:
        try:
            fcntl.flock(f, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            if say:
                say("다른 적재가 진행 중입니다: 끝나기를 기다립니다")
            fcntl.flock(f, fcntl.LOCK_EX)
        _held.depth = 1
        try:
            yield
        finally:
            _held.depth = 0
            fcntl.flock(f, fcntl.LOCK_UN)


# ------------------------------------------------------------------------- the database's view


def _db_rows(settings: Settings) -> list[tuple[int, str, str | None]] | None:
    """(year, content hash, index_build) of the newest report of each year; None without a database."""
    url = settings.database_url
    if url.startswith("sqlite:///") and not Path(url.removeprefix("sqlite:///")).exists():
        return None
    from sqlalchemy import text

    from knowledge.db import engine_for

    try:
        with engine_for(settings).connect() as conn:
            rows = conn.execute(text("SELECT year, content_hash, index_build FROM reports ORDER BY year, id")).all()
    except Exception:  # no reports table, or one made before index_build existed
        return None
    newest: dict[int, tuple[int, str, str | None]] = {}
    for year, h, build in rows:
        newest[int(year)] = (int(year), h, build)
    return list(newest.values())


def serving_pointer(settings: Settings) -> dict | None:
    """{"reports": {year: entry}}: the builds the database names (the file pointer where it names none)."""
    rows = _db_rows(settings)
    filed = store.read_pointer(settings)
    if not rows:
        return filed
    reports: dict[str, dict] = {}
    for year, h, build in rows:
        entry = None
        if build:
            try:
                entry = json.loads(build)
            except ValueError:
                entry = None
        if entry is None and filed:
            candidate = filed["reports"].get(str(year))
            entry = candidate if candidate and candidate.get("report_hash") == h else None
        if entry is not None:
            reports[str(year)] = entry
    return {"version": store.POINTER_VERSION, "reports": reports} if reports else None


def record_build(settings: Settings, entry: dict) -> bool:
    """Name `entry` as the build of its report in the database (its own transaction). False when
    the database does not hold that report."""
    from sqlalchemy import text

    from knowledge.db import engine_for

    if _db_rows(settings) is None:
        return False
    with engine_for(settings).begin() as conn:
        n = conn.execute(text("UPDATE reports SET index_build = :b WHERE content_hash = :h"),
                         {"b": json.dumps(entry, ensure_ascii=False), "h": entry["report_hash"]}).rowcount
    return bool(n)


def build_id(entry: dict) -> str:
    return str(entry["chunks_file"]).removesuffix(".chunks.json")


# ------------------------------------------------------------------------- journal and cleanup


def mark_pending(settings: Settings, entry: dict) -> None:
    """Before a build creates anything: note what it will create, so a kill can be cleaned up."""
    d = Path(settings.index_dir) / PENDING
    d.mkdir(parents=True, exist_ok=True)
    store.write_json_atomic(d / f"{build_id(entry)}.json", entry, durable=True)


def clear_pending(settings: Settings, entry: dict) -> None:
    with contextlib.suppress(OSError):
        (Path(settings.index_dir) / PENDING / f"{build_id(entry)}.json").unlink()


def note_previous(settings: Settings, year: int) -> None:
    """Before a switch: journal the build serving `year` now, so the cleanup after the switch (or
    after a kill just past it) removes it wherever it lives, a Chroma server included."""
    previous = ((serving_pointer(settings) or {}).get("reports") or {}).get(str(year))
    if previous:
        mark_pending(settings, previous)


def publish(settings: Settings) -> dict | None:
    """After the database switched: rewrite current.json from it, then remove orphaned builds."""
    pointer = serving_pointer(settings)
    if pointer is not None:
        store.write_pointer(settings, {"reports": pointer["reports"]})
    clean_orphans(settings, pointer)
    return pointer


def clean_orphans(settings: Settings, pointer: dict | None = None) -> list[str]:
    """Delete every build no report is served by: journalled builds of killed ingests, the files
    and (embedded) collections of replaced builds. Call under `ingest_lock`. Returns what went."""
    index_dir = Path(settings.index_dir)
    if not index_dir.exists():
        return []
    pointer = pointer if pointer is not None else serving_pointer(settings)
    keep = {build_id(e) for e in (pointer or {}).get("reports", {}).values()}
    keep_collections = {e["collection"] for e in (pointer or {}).get("reports", {}).values()}
    gone: list[str] = []
    client = None
    for j in sorted((index_dir / PENDING).glob("*.json")) if (index_dir / PENDING).exists() else []:
        try:
            entry = json.loads(j.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            entry = None
        if entry and build_id(entry) in keep:
            j.unlink(missing_ok=True)  # it did become the serving build (killed before clearing the note)
            continue
        if entry and entry.get("chroma") == store.chroma_target(settings) and entry.get("collection") not in keep_collections:
            try:
                client = client or store.make_client(settings)
                store.delete_collection(client, entry["collection"])
            except Exception:
                continue  # the server is down: try again next time
        gone.append(j.stem)
        j.unlink(missing_ok=True)
    for f in list(index_dir.glob("*.chunks.json")) + list(index_dir.glob("*.tokens.json")):
        bid = f.name.rsplit(".", 2)[0]
        if bid not in keep:
            f.unlink(missing_ok=True)
            gone.append(f.name)
    if not settings.chroma_url and (index_dir / "chroma").exists():  # the embedded store is this home's own
        try:
            client = client or store.make_client(settings)
            for c in client.list_collections():
                name = c if isinstance(c, str) else c.name
                if name.startswith("hrd_") and name not in keep_collections:
                    store.delete_collection(client, name)
                    gone.append(name)
        except Exception:
            pass
    return gone


def fault_point(settings: Settings, stage: str) -> None:
    """Fault injection for the crash tests: with HRD_FAULT_PAUSE=<stage>, say so on stderr and wait
    (the test SIGKILLs the process there). Does nothing otherwise."""
    if settings.fault_pause == stage:
        import sys
        import time

        sys.stderr.write(f"HRD-FAULT-POINT {stage} {os.getpid()}\n")
        sys.stderr.flush()
        time.sleep(120)
