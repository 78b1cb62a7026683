"""Embedding cache: one SQLite file, key = sha256(model id + indexed text).

Re-indexing an unchanged report embeds nothing; a report with a few changed sections
embeds only their chunks. The file lives next to the index directory
(`<home>/embeddings.sqlite3`) so that wiping or rebuilding the index keeps it;
`HRD_EMBED_CACHE` points it elsewhere (the test suite shares one per session).
"""

from __future__ import annotations

import hashlib
import os
import sqlite3
import threading
from pathlib import Path
from typing import Iterable, Mapping

import numpy as np

from hrd.settings import Settings


def text_key(model: str, text: str) -> str:
    return hashlib.sha256(f"{model}\x00{text}".encode("utf-8")).hexdigest()


class EmbeddingCache:
    """Vectors by content hash; safe to share between processes (SQLite, WAL)."""

    def __init__(self, path: Path | str):
        self.path = Path(path)
        self._lock = threading.Lock()
        self._conn: sqlite3.Connection | None = None

    @classmethod
    def for_settings(cls, settings: Settings) -> "EmbeddingCache":
        override = os.environ.get("HRD_EMBED_CACHE")
        if override:
            return cls(Path(override))
        return cls(Path(settings.index_dir).parent / "embeddings.sqlite3")

    def _db(self) -> sqlite3.Connection:
        if self._conn is None:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            conn = sqlite3.connect(str(self.path), timeout=30, check_same_thread=False)
            conn.execute("PRAGMA journal_mode=WAL")
            conn.execute(
                "CREATE TABLE IF NOT EXISTS vectors (key TEXT PRIMARY KEY, model TEXT NOT NULL,"
                " dim INTEGER NOT NULL, vec BLOB NOT NULL)"
            )
            conn.commit()
            self._conn = conn
        return self._conn

    def get_many(self, keys: Iterable[str]) -> dict[str, np.ndarray]:
        keys = list(dict.fromkeys(keys))
        out: dict[str, np.ndarray] = {}
        with self._lock:
            db = self._db()
            for i in range(0, len(keys), 500):
                part = keys[i : i + 500]
                q = "SELECT key, dim, vec FROM vectors WHERE key IN (%s)" % ",".join("?" * len(part))
                for key, dim, blob in db.execute(q, part):
                    v = np.frombuffer(blob, dtype=np.float32)
                    if v.shape[0] == dim:
                        out[key] = v.copy()
        return out

    def put_many(self, model: str, items: Mapping[str, np.ndarray]) -> None:
        rows = [(k, model, int(v.shape[0]), np.asarray(v, dtype=np.float32).tobytes()) for k, v in items.items()]
        if not rows:
            return
        with self._lock:
            db = self._db()
            db.executemany("INSERT OR REPLACE INTO vectors (key, model, dim, vec) VALUES (?, ?, ?, ?)", rows)
            db.commit()

    def __len__(self) -> int:
        with self._lock:
            return int(self._db().execute("SELECT COUNT(*) FROM vectors").fetchone()[0])

    def close(self) -> None:
        with self._lock:
            if self._conn is not None:
                self._conn.close()
                self._conn = None
