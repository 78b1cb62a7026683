"""Finding which of the database's names a question mentions (IDF-weighted character bigrams)."""

from __future__ import annotations

import math
import re
from collections import Counter

from knowledge.names import canonical

GENERIC = {"교육", "운영", "과정", "사업", "관리", "지원", "현황", "계획", "실적", "예산"}


def bigrams(s: str) -> set[str]:
    return {s[i : i + 2] for i in range(len(s) - 1)}


class MentionIndex:
    """Scores how strongly a question names each candidate; built once per vocabulary."""

    def __init__(self, names: list[str]):
        self.names = list(dict.fromkeys(n for n in names if n))
        self.keys = {n: canonical(re.sub(r"\([^)]*\)", " ", n)) or canonical(n) for n in self.names}
        df = Counter(b for n in self.names for b in bigrams(self.keys[n]))
        total = max(len(self.names), 1)
        self.idf = {b: math.log(1 + total / c) for b, c in df.items()}
        for b in list(self.idf):
            if b in GENERIC:
                self.idf[b] *= 0.3

    def score(self, question: str, name: str) -> float:
        q = canonical(question)
        key = self.keys[name]
        if len(key) >= 2 and key in q:
            return 1.0 + len(key) / 100
        cb = bigrams(key)
        if not cb:
            return 0.0
        qb = bigrams(q)
        total = sum(self.idf.get(b, 1.0) for b in cb)
        matched = cb & qb
        if not matched - GENERIC:
            return 0.0
        hit = sum(self.idf.get(b, 1.0) for b in matched)
        return hit / total if total else 0.0

    def best(self, question: str, threshold: float = 0.45, margin: float = 0.08) -> list[tuple[str, float]]:
        scored = sorted(((self.score(question, n), n) for n in self.names), reverse=True)
        scored = [(s, n) for s, n in scored if s >= threshold]
        if not scored:
            return []
        top = scored[0][0]
        return [(n, s) for s, n in scored if s >= top - margin]
