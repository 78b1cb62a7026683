"""Where the index lives: Chroma collections plus a small pointer file.

Layout under `settings.index_dir`:

    current.json                 which build serves each report year — a copy of what the database
                                 names (reports.index_build, see builds.py); read only without one
    pending/<build>.json         journal of builds being made or retired (cleaned by the next ingest)
    chroma/                      embedded Chroma (PersistentClient) — unused with a server
    <build>.chunks.json          the chunks of one build (text + metadata)
    <build>.tokens.json          their Kiwi morphemes (the BM25 corpus)

A build writes a fresh collection `hrd_<report hash 12>_<build tag>` and its two files and
checks the collection's count; the database commit that names it is the switch (builds.py),
after which `current.json` is rewritten (temp file + `os.replace`, atomic) and the builds no
report names are deleted. A failed or killed build leaves the previous one serving.

Every collection is created and opened with the project's embedding function, never
Chroma's default (which would try to download a model).
"""

from __future__ import annotations

import json
import os
import tempfile
import threading
import time
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

from hrd.errors import IndexUnavailableError
from hrd.settings import Settings

POINTER = "current.json"
POINTER_VERSION = 1


def chroma_target(settings: Settings) -> str:
    """'embedded' or the server URL the collections live on."""
    return settings.chroma_url.rstrip("/") if settings.chroma_url else "embedded"


def make_client(settings: Settings, *, timeout: float = 15.0):
    """A Chroma client: HttpClient for `HRD_CHROMA_URL`, else PersistentClient under index_dir."""
    import chromadb
    from chromadb.config import Settings as ChromaSettings

    csettings = ChromaSettings(anonymized_telemetry=False)
    if settings.chroma_url:
        u = urlparse(settings.chroma_url if "://" in settings.chroma_url else f"http://{settings.chroma_url}")
        if not u.hostname:
            raise IndexUnavailableError(f"HRD_CHROMA_URL이 올바르지 않습니다 / invalid HRD_CHROMA_URL: {settings.chroma_url!r}")
        ssl = u.scheme == "https"
        port = u.port or (443 if ssl else 8000)
        client = chromadb.HttpClient(host=u.hostname, port=port, ssl=ssl, settings=csettings)
        try:  # chromadb's HTTP session has no timeout: a hung server must not hang a question
            import httpx

            client._server._session.timeout = httpx.Timeout(timeout, connect=min(3.0, timeout))
        except Exception:
            pass
        return client
    path = Path(settings.index_dir) / "chroma"
    path.mkdir(parents=True, exist_ok=True)
    # one embedded client per path for the whole process: chromadb shares one system per path and stops it
    # when a client of it is collected, which leaves every other client of that path broken
    # ('RustBindingsAPI' object has no attribute 'bindings'); so clients are kept, not dropped
    with _clients_lock:
        client = _clients.get(str(path))
        if client is None:
            client = _clients[str(path)] = chromadb.PersistentClient(path=str(path), settings=csettings)
        return client


_clients: dict[str, Any] = {}
_clients_lock = threading.Lock()


def forget_client(settings: Settings) -> None:
    """Drop the process's embedded client of this home (after it failed): the next call makes a new one."""
    with _clients_lock:
        _clients.pop(str(Path(settings.index_dir) / "chroma"), None)


def embedding_function():
    from .embedder import E5EmbeddingFunction

    return E5EmbeddingFunction()


def create_collection(client, name: str, metadata: dict[str, Any] | None = None):
    try:
        client.delete_collection(name)
    except Exception:
        pass
    return client.create_collection(
        name=name,
        embedding_function=embedding_function(),
        configuration={"hnsw": {"space": "cosine"}},
        metadata=metadata or None,
    )


def get_collection(client, name: str):
    return client.get_collection(name=name, embedding_function=embedding_function())


def delete_collection(client, name: str) -> None:
    try:
        client.delete_collection(name)
    except Exception:
        pass


# ------------------------------------------------------------------------- pointer


def pointer_path(settings: Settings) -> Path:
    return Path(settings.index_dir) / POINTER


def read_pointer(settings: Settings) -> dict | None:
    """The current pointer, or None when no index has been built here."""
    p = pointer_path(settings)
    try:
        data = json.loads(p.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return None
    except (OSError, ValueError) as e:
        raise IndexUnavailableError(
            f"검색 색인 포인터를 읽을 수 없습니다 ({p}): {e}. 'hrd ingest'로 다시 만드세요. / "
            f"The search index pointer is unreadable; run 'hrd ingest' to rebuild it."
        ) from None
    if not isinstance(data, dict) or data.get("version") != POINTER_VERSION or not data.get("reports"):
        return None
    return data


def write_pointer(settings: Settings, data: dict) -> None:
    """Atomically replace the pointer (temp file in the same directory + os.replace)."""
    d = Path(settings.index_dir)
    d.mkdir(parents=True, exist_ok=True)
    data = dict(data, version=POINTER_VERSION, updated_at=time.strftime("%Y-%m-%dT%H:%M:%S"))
    write_json_atomic(d / POINTER, data, durable=True)


def write_json_atomic(path: Path, payload: Any, *, durable: bool = False) -> None:
    """Write JSON to a temp file beside `path` and os.replace it in (fsync first when `durable`)."""
    fd, tmp = tempfile.mkstemp(prefix="." + path.name + "-", dir=str(path.parent))
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            json.dump(payload, f, ensure_ascii=False, indent=1 if durable else None)
            if durable:
                f.flush()
                os.fsync(f.fileno())
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise
