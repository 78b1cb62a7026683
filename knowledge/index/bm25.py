"""Keyword retrieval: BM25 (`bm25s`) over Kiwi morphemes, with the domain synonym table.

Tokens kept: nouns (NN*), verb/adjective stems (VV*, VA*), numbers (SN, thousands
separators dropped), foreign words and hanja (SL lower-cased, SH) and roots (XR);
particles, endings, suffixes and punctuation are dropped.

Synonyms (knowledge/data/synonyms.json; first word canonical): every variant is cut
into morphemes once; wherever a variant's morpheme sequence occurs — in a passage at
index time and in a question at query time — the group's token `§<canonical>` is
added (the original morphemes stay). So 이러닝 / 동영상 강의 / e-러닝 and
신규자 / 신입자 / 새내기 공무원 meet on one token without the substring accidents
of text replacement (a variant must match whole morphemes, longest variant first).
Measured in tests/test_retrieval.py (docstring): BM25 recall@1 .875 with this, .828
without synonyms, .812 with query-only expansion of every group word.

Kiwi takes ~2 s to load and warm up (without its multi-word dictionary; ~6 s with it):
it is created lazily, once per process.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable, Sequence

import numpy as np

from .kiwi import analyse as kiwi_analyse

SYNONYMS_PATH = Path(__file__).resolve().parent.parent / "data" / "synonyms.json"
KEEP_PREFIXES = ("NN", "VV", "VA", "SN", "SL", "SH", "XR")
TOKENIZER_VERSION = "kiwi-morph-v2"  # bump when tokenisation changes: older corpora are re-tokenised

def _keep(form: str, tag: str) -> str | None:
    if not tag.startswith(KEEP_PREFIXES):
        return None
    if tag == "SN":
        form = form.replace(",", "")
    elif tag == "SL":
        form = form.lower()
    return form or None


def _tokens_of(analysis) -> list[str]:
    out = []
    for t in analysis:
        f = _keep(t.form, t.tag)
        if f:
            out.append(f)
    return out


def tokenize(text: str) -> list[str]:
    """Morphemes of one text (see module doc for what is kept)."""
    if not text.strip():
        return []
    return _tokens_of(kiwi_analyse(text))


def tokenize_many(texts: Sequence[str]) -> list[list[str]]:
    if not texts:
        return []
    return [_tokens_of(r) for r in kiwi_analyse(list(texts))]


# ------------------------------------------------------------------------- synonyms


@dataclass
class Synonyms:
    """Synonym groups as morpheme sequences; `tag(tokens)` adds the group tokens found."""

    groups: list[list[str]]
    sequences: list[tuple[tuple[str, ...], int]] = field(default_factory=list)  # (morphemes, group)

    @classmethod
    def load(cls, path: Path = SYNONYMS_PATH) -> "Synonyms":
        data = json.loads(Path(path).read_text(encoding="utf-8"))
        groups = [list(g) for g in data.get("groups", []) if g]
        return cls(groups)

    def compile(self, sequences: dict | None = None) -> "Synonyms":
        """Cut every variant into morphemes (or take them from a persisted dict)."""
        variants = [(w, gi) for gi, g in enumerate(self.groups) for w in g]
        if sequences is None:
            toks = tokenize_many([w for w, _ in variants])
        else:
            toks = [sequences.get(w, []) for w, _ in variants]
        seen = set()
        seqs = []
        for (w, gi), t in zip(variants, toks):
            key = (tuple(t), gi)
            if t and key not in seen:
                seen.add(key)
                seqs.append(key)
        # longest first so that '행정 사무 감사' wins over '감사'
        seqs.sort(key=lambda s: -len(s[0]))
        self.sequences = seqs
        return self

    def canonical(self, gi: int) -> str:
        return "§" + self.groups[gi][0]

    def tag(self, tokens: list[str]) -> list[str]:
        """tokens + one `§canonical` token per synonym occurrence."""
        if not self.sequences or not tokens:
            return list(tokens)
        extra: list[str] = []
        used = [False] * len(tokens)
        n = len(tokens)
        for seq, gi in self.sequences:
            L = len(seq)
            i = 0
            while i + L <= n:
                if tuple(tokens[i : i + L]) == seq and not any(used[i : i + L]):
                    extra.append(self.canonical(gi))
                    for j in range(i, i + L):
                        used[j] = True
                    i += L
                else:
                    i += 1
        return list(tokens) + extra

    def expand(self, tokens: list[str]) -> list[str]:
        """Query-side alternative: tokens + the morphemes of every word of each matched group."""
        tagged = self.tag(tokens)
        extra: list[str] = []
        by_group: dict[int, list[tuple[str, ...]]] = {}
        for seq, gi in self.sequences:
            by_group.setdefault(gi, []).append(seq)
        for t in tagged[len(tokens) :]:
            gi = next(i for i, g in enumerate(self.groups) if "§" + g[0] == t)
            for seq in by_group.get(gi, []):
                extra.extend(seq)
        return list(tokens) + extra


_syn: Synonyms | None = None


def get_synonyms() -> Synonyms:
    global _syn
    if _syn is None:
        _syn = Synonyms.load().compile()
    return _syn


def analyse(text: str, synonyms: Synonyms | None = None) -> list[str]:
    """Tokens of a text as indexed / queried: morphemes + synonym group tokens."""
    syn = synonyms if synonyms is not None else get_synonyms()
    return syn.tag(tokenize(text))


def analyse_many(texts: Sequence[str], synonyms: Synonyms | None = None) -> list[list[str]]:
    syn = synonyms if synonyms is not None else get_synonyms()
    return [syn.tag(t) for t in tokenize_many(texts)]


# ------------------------------------------------------------------------- index


class BM25Index:
    """A bm25s index over pre-tokenised documents (building it takes milliseconds)."""

    # b=0.3 (not the usual 0.75): with the title prefix in every chunk, strong length
    # normalisation lets short title-only chunks (작성자 lines, headings) outrank the passage
    # that answers; measured BM25 recall@1 .83 → .88 on the test questions.
    def __init__(self, corpus_tokens: list[list[str]], k1: float = 1.2, b: float = 0.3):
        import bm25s

        self.n = len(corpus_tokens)
        # bm25s refuses empty documents: give them a token that no query produces
        docs = [t if t else ["\x00empty"] for t in corpus_tokens]
        self._bm25 = bm25s.BM25(k1=k1, b=b)
        self._bm25.index(docs, show_progress=False)
        self._vocab = self._bm25.vocab_dict

    def scores(self, query_tokens: Iterable[str]) -> np.ndarray:
        """BM25 score of every document (0 where no query token occurs)."""
        toks = [t for t in query_tokens if t in self._vocab]
        if not toks or self.n == 0:
            return np.zeros(self.n, dtype=np.float32)
        return np.asarray(self._bm25.get_scores(toks), dtype=np.float32)


def save_tokens(path: Path, tokens: list[list[str]], meta: dict | None = None) -> None:
    data = {"tokenizer": TOKENIZER_VERSION, "meta": meta or {}, "tokens": tokens}
    Path(path).write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")


def load_tokens(path: Path) -> list[list[str]] | None:
    """The persisted corpus, or None when another tokenizer version made it (re-tokenise)."""
    data = json.loads(Path(path).read_text(encoding="utf-8"))
    if data.get("tokenizer") != TOKENIZER_VERSION:
        return None
    return data["tokens"]


