"""Name normalisation and the synonym table, shared by ingest (matching tables) and tools."""

from __future__ import annotations

import json
import re
from functools import lru_cache
from pathlib import Path

SYNONYMS_FILE = Path(__file__).resolve().parent / "data" / "synonyms.json"


@lru_cache(maxsize=1)
def synonym_groups() -> list[list[str]]:
    return json.loads(SYNONYMS_FILE.read_text(encoding="utf-8"))["groups"]


@lru_cache(maxsize=200_000)
def compact(text: str) -> str:
    """Lower-case, no spaces, no '·' or brackets' content markers: '인재원청사 보수·보강' → '인재원청사보수보강'."""
    return re.sub(r"[\s·ㆍ・\-_/,.「」『』'\"‘’“”]+", "", (text or "").lower())


@lru_cache(maxsize=1)
def _synonym_pairs() -> tuple[tuple[str, str], ...]:
    pairs = {(compact(w), compact(g[0])) for g in synonym_groups() for w in g if compact(w) and compact(w) != compact(g[0])}
    return tuple(sorted((p for p in pairs if len(p[0]) >= 2), key=lambda p: -len(p[0])))


@lru_cache(maxsize=200_000)
def canonical(text: str) -> str:
    """`compact` with every synonym replaced by its group's canonical word (longest first)."""
    s = compact(text)
    for w, c in _synonym_pairs():
        if w in s:
            s = s.replace(w, c)
    return s


def line_key(name: str) -> str:
    """Key to match a program's budget row to the overall budget table: no bracketed parts, no trailing '운영'."""
    s = re.sub(r"\([^)]*\)", "", name or "")
    s = canonical(s)
    return re.sub(r"운영$", "", s)
