"""Finding which of the database's names a question mentions (IDF-weighted character bigrams)."""

from __future__ import annotations

import math
import re
from collections import Counter
from functools import lru_cache

from knowledge.names import canonical

GENERIC = {"교육", "운영", "과정", "사업", "관리", "지원", "현황", "계획", "실적", "예산", "인재개발원", "인재원", "서울시", "공무원", "직원", "분야"}
STOPWORDS = {"집행률", "집행액", "예산현액", "얼마", "얼마인가", "얼마예", "알려", "주세", "어떻게", "몇", "전체", "작년", "올해", "비교",
             "차이", "지출액", "증감", "증감률", "소진율", "가장", "높은", "낮은", "예산액", "금액", "규모",
             "공무원", "직원", "서울시", "인재개발원", "집행했", "집행", "얼마나", "알려줘", "신규임용"}


def bigrams(s: str) -> set[str]:
    return {s[i : i + 2] for i in range(len(s) - 1)}


GENERIC_CANON = sorted({canonical(w) for w in GENERIC | {"예산현액", "집행률", "집행액", "지출액", "계"}}, key=len, reverse=True)

# bigrams of generic and measure words in canonical form ('예산' reads '예산현액'): they never name a thing alone
GENERIC_B = set().union(*(bigrams(canonical(w)) for w in GENERIC | {"집행률", "집행액", "지출액", "증감액", "예산현액", "인원", "만족도", "참여율"}))


class MentionIndex:
    """Scores how strongly a question names each candidate; built once per vocabulary."""

    def __init__(self, names: list[str], aliases: dict[str, str] | None = None):
        self.aliases = {a: t for a, t in (aliases or {}).items() if a and t}
        self.names = list(dict.fromkeys([n for n in names if n] + list(self.aliases)))
        self.keys = {n: canonical(re.sub(r"\([^)]*\)", " ", n)) or canonical(n) for n in self.names}
        # a name's bracketed words name it too: '인공지능(AI) 교육' is also 'AI 교육'
        self.full_keys = {n: canonical(n.replace("(", " ").replace(")", " ")) for n in self.names if "(" in n}
        self._key_bigrams: dict[str, set[str]] = {}
        self._cache: dict[str, list[tuple[float, str]]] = {}
        df = Counter(b for n in self.names for b in bigrams(self.keys[n]))
        total = max(len(self.names), 1)
        self.idf = {b: math.log(1 + total / c) for b, c in df.items()}
        for b in list(self.idf):
            if b in GENERIC_B:
                self.idf[b] *= 0.3

    def score(self, question: str, name: str) -> float:
        q = canonical(question)
        return self._name_score(q, bigrams(q), name)

    def _name_score(self, q: str, qb: set[str], name: str) -> float:
        s = self._score(q, qb, self.keys[name])
        if name in self.full_keys:
            s = max(s, self._score(q, qb, self.full_keys[name]))
        return s

    def _bigrams(self, key: str) -> set[str]:
        b = self._key_bigrams.get(key)
        if b is None:
            b = self._key_bigrams[key] = bigrams(key)
        return b

    def _bigram_score(self, qb: set[str], key: str) -> float:
        cb = self._bigrams(key)
        total = sum(self.idf.get(b, 1.0) for b in cb)
        return sum(self.idf.get(b, 1.0) for b in cb & qb) / total if total else 0.0

    def _score(self, q: str, qb: set[str], key: str) -> float:
        """How strongly the canonical question `q` (bigrams `qb`) names `key`."""
        if _inside_latin_word(key, q):
            return 0.0
        if len(key) >= 2 and key in q:
            specific = key
            for g in GENERIC_CANON:
                specific = specific.replace(g, "")
            return 1.0 + len(key) / 100 if len(specific) >= 2 or (specific and len(key) >= 3) else 0.3
        if not key:
            return 0.0
        cb = self._bigrams(key)
        if not cb:
            return 0.0
        total = sum(self.idf.get(b, 1.0) for b in cb)
        matched = cb & qb
        if not matched - GENERIC_B:
            return 0.0
        hit = sum(self.idf.get(b, 1.0) for b in matched)
        return hit / total if total else 0.0

    def words(self, question: str) -> list[str]:
        out = []
        for w in re.findall(r"[가-힣A-Za-z0-9]+", question):
            w = re.sub(r"(은|는|이|가|을|를|의|에|에서|로|으로|와|과|도|만|요)$", "", w)
            c = canonical(w)
            if len(c) >= 2 and c not in GENERIC and c not in STOPWORDS and not c.isdigit():
                out.append(c)
                if len(c) >= 3 and re.match(r"[가-힣]{2}", c) and c[:2] not in GENERIC and c[:2] not in STOPWORDS:
                    out.append(c[:2])
        return out

    def word_score(self, words: list[str], name: str) -> float:
        key = self.full_keys.get(name, self.keys[name])
        hits = [w for w in words if w in key]
        return 0.5 + 0.1 * len(hits) if hits else 0.0

    def cover(self, question: str, threshold: float = 0.25, more: float = 0.5, limit: int = 4) -> list[tuple[str, float]]:
        """The names a question lists one after another ('신규자·6급미래인재·리더십', '보수·보강과 유지관리'): the best
        name, then the best name of what is left once the words it matched are taken out, and so on."""
        words = re.split(r"[\s·,、/]+", question)
        out: list[tuple[str, float]] = []
        while len(out) < limit:
            found = [(n, s) for n, s in self.best(" ".join(words), threshold=more if out else threshold, margin=0.0) if n not in dict(out)]
            if not found:
                break
            name, score = found[0]
            out.append((name, score))
            keys = (self.keys[name], self.full_keys.get(name, ""))
            words = [w for w in words if not any(_shares(canonical(w), k) for k in keys)]
        return out

    def _scored(self, question: str) -> list[tuple[float, str]]:
        """Every name's score for a question, best first (kept for the last questions: the planner asks
        about the same question several times with different thresholds)."""
        hit = self._cache.get(question)
        if hit is not None:
            return hit
        words = self.words(question)
        q = canonical(question)
        qb = bigrams(q)
        best: dict[str, float] = {}
        for n in self.names:
            bigram = self._bigram_score(qb, self.full_keys.get(n, self.keys[n]))
            s = max(self._name_score(q, qb, n), self.word_score(words, n)) + 0.01 * bigram
            t = self.aliases.get(n, n)
            best[t] = max(best.get(t, 0.0), s)
        scored = sorted(((s, n) for n, s in best.items()), reverse=True)
        if len(self._cache) >= 256:
            self._cache.clear()
        self._cache[question] = scored
        return scored

    def best(self, question: str, threshold: float = 0.45, margin: float = 0.08) -> list[tuple[str, float]]:
        scored = [(s, n) for s, n in self._scored(question) if s >= threshold]
        if not scored:
            return []
        top = scored[0][0]
        return [(n, s) for s, n in scored if s >= top - margin]


def _inside_latin_word(key: str, q: str) -> bool:
    """A Latin name the question holds only inside a longer Latin word ('it' in 'miti'), or not at all."""
    if not re.fullmatch(r"[a-z]+", key):
        return False
    return not re.search(rf"(?<![a-z]){key}", q)  # its end may touch a canonical form ('it' + 'e러닝')


def _shares(word: str, key: str) -> bool:
    """Whether a word and a name share two characters that are not a generic word's ('교육' is shared by all)."""
    return any(word[i : i + 2] in key and word[i : i + 2] not in GENERIC_B for i in range(len(word) - 1))


@lru_cache(maxsize=4)
def _indexes(vocab_key: tuple) -> dict[str, MentionIndex]:
    vocab = dict(vocab_key)
    return {
        "budget": MentionIndex(list(vocab["budget_line"]) + list(vocab["execution"]) + list(vocab["program"])),
        "program": MentionIndex(list(vocab["program"]), dict(x.split("\t", 1) for x in vocab.get("program_alias", []))),
        "subcategory": MentionIndex(list(vocab["subcategory"])),
    }


def indexes(vocab: dict[str, list[str]]) -> dict[str, MentionIndex]:
    return _indexes(tuple((k, tuple(v)) for k, v in sorted(vocab.items())))


def names_something(question: str, vocab: dict[str, list[str]]) -> bool:
    idx = indexes(vocab)
    return bool(idx["budget"].best(question, threshold=0.5) or idx["program"].best(question, threshold=0.6))
