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
def _synonym_pattern() -> tuple[re.Pattern, dict[str, str]]:
    """One alternation of every word (canonical words map to themselves), longest first, so a
    canonical word that contains a synonym ('예산현액' ⊃ '예산') is never rewritten twice."""
    mapping: dict[str, str] = {}
    for g in synonym_groups():
        target = compact(g[0])
        for w in g:
            cw = compact(w)
            if len(cw) >= 2:
                mapping.setdefault(cw, target)
    words = sorted(mapping, key=len, reverse=True)
    return re.compile("|".join(re.escape(w) for w in words)), mapping


@lru_cache(maxsize=200_000)
def canonical(text: str) -> str:
    """`compact` with every synonym replaced by its group's canonical word (longest match first)."""
    pattern, mapping = _synonym_pattern()
    return pattern.sub(lambda m: mapping[m.group(0)], compact(text))


def line_key(name: str) -> str:
    """Key to match a program's budget row to the overall budget table: no bracketed parts, no trailing '운영'."""
    s = re.sub(r"\([^)]*\)", "", name or "")
    s = canonical(s)
    return re.sub(r"운영$", "", s)
