"""Build the search index of a report, and open it for searching.

    info = build_index(doc, root, settings)        # chunks → morphemes → vectors → Chroma → pointer
    retriever = open_retriever(settings)           # cached per process, reloads after a new build
    retriever.search("신입자 교육 예산 집행률은?")
"""

from __future__ import annotations

import secrets
import threading
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Callable

import numpy as np

from hrd.errors import IndexUnavailableError
from hrd.settings import Settings, get_settings
from knowledge.parse.document import Document
from knowledge.parse.sections import Section

from . import bm25 as bm25mod
from . import builds, store
from .cache import EmbeddingCache, text_key
from .chunks import make_chunks
from .search import Retriever

Progress = Callable[[str], None]  # one human-readable (Korean) message per step
EMBED_BATCH = 16


class IndexMissingError(IndexUnavailableError):
    """No index has been built under this home yet."""


@dataclass
class IndexInfo:
    report_hash: str
    source: str
    year: int
    collection: str
    chunks: int
    vectors: int  # chunks searched (heading-only chunks are kept but not searched)
    embedded: int  # passages embedded by this build
    cached: int  # passages whose vector came from the cache
    elapsed_s: float
    chroma: str  # 'embedded' or the server URL
    pointer: str  # path of current.json
    entry: dict = field(default_factory=dict)  # what the database records as this report's build

    def to_dict(self) -> dict:
        return asdict(self)


def _noop(message: str) -> None:
    pass


def build_index(doc: Document, root: Section, settings: Settings | None = None, progress: Progress | None = None,
                *, cache: EmbeddingCache | None = None, switch: bool = True) -> IndexInfo:
    """Chunk, tokenise and embed a report, load it into a new Chroma collection, then (with
    `switch`) serve it: ingest passes switch=False and names the build in its own transaction
    (`info.entry`, see builds.py). Raises IndexUnavailableError (the previous index keeps
    serving) when Chroma or the embedder fails."""
    settings = settings or get_settings()
    progress = progress or _noop
    t0 = time.perf_counter()
    index_dir = Path(settings.index_dir)
    index_dir.mkdir(parents=True, exist_ok=True)
    if cache is None:  # (an empty cache is falsy: it has __len__)
        cache = EmbeddingCache.for_settings(settings)

    chunks = make_chunks(doc, root)
    progress(f"검색 색인: 문단 {len(chunks)}개로 나눔 ({doc.source})")
    if not chunks:
        raise IndexUnavailableError(f"{doc.source}: 색인할 내용이 없습니다 / nothing to index")

    progress("검색 색인: 형태소 분석 중 (Kiwi)")
    tokens = bm25mod.tokenize_many([c.indexed_text for c in chunks])

    searchable = [c for c in chunks if not c.heading_only]
    vectors = _embed_with_cache([c.indexed_text for c in searchable], cache, progress)
    embedded, cached = vectors.pop("__counts__")  # type: ignore[misc]

    tag = secrets.token_hex(3)
    name = f"hrd_{doc.sha256[:12]}_{tag}"
    build = f"{doc.sha256[:12]}-{tag}"
    target = store.chroma_target(settings)
    entry = {
        "year": doc.year, "source": doc.source, "report_hash": doc.sha256, "collection": name,
        "chunks_file": f"{build}.chunks.json", "tokens_file": f"{build}.tokens.json",
        "chunks": len(chunks), "vectors": len(searchable), "chroma": target,
        "built_at": time.strftime("%Y-%m-%dT%H:%M:%S"),
    }
    builds.mark_pending(settings, entry)  # a kill from here on leaves a note for the next cleanup
    client = None
    try:
        progress("검색 색인: Chroma 컬렉션에 저장 중")
        client = _fill_collection(settings, doc, name, searchable, vectors)
        store.write_json_atomic(index_dir / entry["chunks_file"], [c.to_dict() for c in chunks])
        bm25mod.save_tokens(index_dir / entry["tokens_file"], tokens, {"report_hash": doc.sha256, "source": doc.source})
        if switch:
            _switch(settings, entry)
    except BaseException:
        # leave the previous index serving: drop what this build made
        try:
            store.delete_collection(client or store.make_client(settings), name)
        except Exception:
            pass  # the server is gone: the journal lets the next ingest drop it
        for key in ("chunks_file", "tokens_file"):
            (index_dir / entry[key]).unlink(missing_ok=True)
        builds.clear_pending(settings, entry)
        raise
    _forget_retrievers(index_dir)
    progress(f"검색 색인 완료: 문단 {len(chunks)}개 (새로 임베딩 {embedded}개, 캐시 {cached}개)")
    return IndexInfo(
        report_hash=doc.sha256,
        source=doc.source,
        year=doc.year,
        collection=name,
        chunks=len(chunks),
        vectors=len(searchable),
        embedded=embedded,
        cached=cached,
        elapsed_s=round(time.perf_counter() - t0, 2),
        chroma=target,
        pointer=str(store.pointer_path(settings)),
        entry=entry,
    )


def _fill_collection(settings: Settings, doc: Document, name: str, searchable, vectors):
    """A new collection holding every searchable chunk (checked by count); IndexUnavailableError otherwise."""
    try:
        client = store.make_client(settings)
        col = store.create_collection(client, name, metadata={"source": doc.source, "year": doc.year, "report_hash": doc.sha256})
        for i in range(0, len(searchable), 100):
            part = searchable[i : i + 100]
            col.add(
                ids=[c.id for c in part],
                embeddings=[vectors[c.indexed_text].tolist() for c in part],
                documents=[c.indexed_text for c in part],
                metadatas=[c.metadata() for c in part],
            )
        if col.count() != len(searchable):
            raise RuntimeError(f"collection {name} holds {col.count()} of {len(searchable)} chunks")
        return client
    except Exception as e:
        where = settings.chroma_url or str(Path(settings.index_dir) / "chroma")
        raise IndexUnavailableError(
            f"검색 색인을 만들 수 없습니다: Chroma({where}) 오류 — {type(e).__name__}: {e}. 이전 색인은 그대로 사용됩니다. / "
            f"Could not build the search index (Chroma at {where}); the previous index keeps serving."
        ) from None


def _switch(settings: Settings, entry: dict) -> None:
    """Serve `entry`: name it in the database when the database holds its report (the switch), else
    in current.json; then retire what no report uses any more."""
    with builds.ingest_lock(settings):
        builds.note_previous(settings, entry["year"])
        if builds.record_build(settings, entry):
            builds.publish(settings)
        else:
            old = store.read_pointer(settings) or {"reports": {}}
            reports = dict(old.get("reports", {}), **{str(entry["year"]): entry})
            store.write_pointer(settings, {"reports": reports})
            builds.clean_orphans(settings)
        builds.clear_pending(settings, entry)


def _embed_with_cache(texts: list[str], cache: EmbeddingCache, progress: Progress) -> dict:
    from . import embedder

    model = embedder.model_id()
    unique = list(dict.fromkeys(texts))
    keys = {t: text_key(model, t) for t in unique}
    found = cache.get_many(keys.values())
    out: dict = {t: found[keys[t]] for t in unique if keys[t] in found}
    todo = [t for t in unique if keys[t] not in found]
    if todo:
        progress(f"검색 색인: 문단 {len(todo)}개 임베딩 중 (캐시 {len(unique) - len(todo)}개)")
    for i in range(0, len(todo), EMBED_BATCH):
        batch = todo[i : i + EMBED_BATCH]
        try:
            vecs = embedder.embed_passages(batch)
        except Exception as e:
            raise IndexUnavailableError(
                f"문장 임베딩을 계산할 수 없습니다 ({type(e).__name__}: {e}). 이전 색인은 그대로 사용됩니다. / "
                f"Could not compute embeddings; the previous index keeps serving."
            ) from None
        fresh = {t: np.asarray(v, dtype=np.float32) for t, v in zip(batch, vecs)}
        cache.put_many(model, {keys[t]: v for t, v in fresh.items()})
        out.update(fresh)
        progress(f"검색 색인: 임베딩 {i + len(batch)}/{len(todo)}")
    out["__counts__"] = (len(todo), len(unique) - len(todo))
    return out


# ------------------------------------------------------------------------- opening

_retrievers: dict[tuple, Retriever] = {}
_retrievers_lock = threading.Lock()


def _forget_retrievers(index_dir: Path) -> None:
    with _retrievers_lock:
        for key in [k for k in _retrievers if k[0] == str(index_dir)]:
            del _retrievers[key]


def ensure_index(settings: Settings | None = None, progress: Progress | None = None) -> list[IndexInfo]:
    """Build the index of the bundled report(s) when none exists here; [] when one does.
    (The database may already hold the report while the index is missing: `ingest`
    skips an unchanged report, so this is the index's own first-run path.)"""
    settings = settings or get_settings()
    if builds.serving_pointer(settings) is not None:
        return []
    from knowledge.parse.sections import parse_sections

    out = []
    for path in settings.bundled_reports():
        doc = Document.from_path(path)
        out.append(build_index(doc, parse_sections(doc), settings, progress))
    if not out:
        raise IndexMissingError("색인할 내장 보고서가 없습니다 / no bundled report to index")
    return out


def index_status(settings: Settings | None = None) -> dict | None:
    """Which builds serve which years (as the database names them), or None when nothing is built."""
    settings = settings or get_settings()
    return builds.serving_pointer(settings)


def open_retriever(settings: Settings | None = None) -> Retriever:
    """The retriever of the current index; one per process and pointer (reloaded after a
    new build). Raises IndexMissingError (an IndexUnavailableError) when nothing is built."""
    settings = settings or get_settings()
    pointer = builds.serving_pointer(settings)
    if pointer is None:
        raise IndexMissingError(
            f"검색 색인이 없습니다 ({settings.index_dir}). 먼저 'hrd ingest'로 보고서를 적재하세요. / "
            f"No search index has been built yet; run 'hrd ingest' first."
        )
    served = tuple(sorted((k, v["collection"]) for k, v in pointer["reports"].items()))
    key = (str(settings.index_dir), store.chroma_target(settings), served)
    with _retrievers_lock:
        r = _retrievers.get(key)
        if r is None:
            r = Retriever(settings, pointer)
            for k in [k for k in _retrievers if k[0] == key[0]]:
                del _retrievers[k]
            _retrievers[key] = r
    return r


def clear_cache() -> None:
    """Forget every cached retriever (tests)."""
    with _retrievers_lock:
        _retrievers.clear()
