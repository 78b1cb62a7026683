"""The text side of the entity catalog: a text's units (Kiwi morphemes with their character spans,
synonym groups folded into one `§canonical` unit) and how many of an entity name's units a span covers.

    units("신입자 과정 교육인원은?")  # [Unit('§신규자', 0, 3), Unit('과정', 4, 6), Unit('교육', 7, 9), Unit('인원', 9, 11)]

A unit's `form` is what matching compares; `tokens` (morphemes plus the synonym tokens, as
knowledge/index/bm25.py `analyse` gives them) is what BM25 indexes.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Sequence

from knowledge.index.bm25 import KEEP_PREFIXES, get_synonyms
from knowledge.names import compact
from knowledge.index.kiwi import analyse as kiwi_analyse

# words that say what is measured or how a question is asked, never which entity: BM25 leaves them to
# the kind cues, and a span made only of them names nothing ('예산이 제일 큰 사업은?'); a synonym is
# matched by its group's canonical word
MEASURE_WORDS = frozenset(
    "예산 예산현액 집행 집행률 집행액 증감 증감액 감액 지출 지출액 원인행위 합계 총계 금액 연말 예상 전년 작년 올해 금년 "
    "인원 교육인원 수료 수료자 이수 완료 대상 대상자 대비 비율 현황 횟수 일수 기수 만족도 참여율 경쟁률 응시율 "
    "얼마 가장 제일 최고 최저 크 작 많 적 높 낮 몇 개 명 천원 원 퍼센트 어떻 무엇 어디 "
    "년 월 일 회 차 번 곳 것 수 등 및 관련 내용 결과 정도 합 계 총 차이 비교 합산 평균 중 더".split()
)
# words most names share: kept for ranking, but not enough to name an entity alone
GENERIC_WORDS = frozenset("사업 과정 교육 운영 프로그램 계획 실적 규모 전체 추진 주요 업무 사항".split())
FRAME_WORDS = MEASURE_WORDS | GENERIC_WORDS


@dataclass(frozen=True)
class Unit:
    form: str
    start: int
    end: int


@dataclass(frozen=True)
class Units:
    text: str
    units: tuple[Unit, ...]  # content units in order, synonyms folded
    tokens: tuple[str, ...]  # BM25 tokens: morphemes + synonym tokens

    @property
    def lossy(self) -> bool:
        """Whether the morphemes drop part of the text's letters ('본교육' → '교육')."""
        return compact(self.text) != "".join(self.tokens[: self.n_morphemes])

    n_morphemes: int = 0

    def span_text(self, first: int, last: int) -> str:
        return self.text[self.units[first].start : self.units[last].end]


def _morphemes(analysis) -> list[Unit]:
    """Content morphemes; a noun prefix stays on its noun ('비대면' is not '대면') and a number on its
    counter ('2회', '5급', '3번'), so that '2회' names a round where a bare '2' names nothing."""
    out: list[Unit] = []
    prefix: tuple[str, int] | None = None
    for t in analysis:
        if t.tag == "XPN":
            prefix = (t.form, t.start)
            continue
        if not t.tag.startswith(KEEP_PREFIXES):
            prefix = None
            continue
        form = t.form.replace(",", "") if t.tag == "SN" else t.form.lower() if t.tag == "SL" else t.form
        last = out[-1] if out else None
        if form and prefix and t.tag.startswith("NN") and prefix[1] + len(prefix[0]) == t.start:
            out.append(Unit(prefix[0] + form, prefix[1], t.start + t.len))
        elif last and last.form.isdigit() and last.end == t.start and (t.tag == "NNB" or (t.tag == "NNG" and len(form) == 1)):
            out[-1] = Unit(last.form + form, last.start, t.start + t.len)
        elif form:
            out.append(Unit(form, t.start, t.start + t.len))
        prefix = None
    return out


def _fold(text: str, morphs: list[Unit]) -> Units:
    """Replace each synonym occurrence (whole morphemes, longest variant first) by its group's unit."""
    syn = get_synonyms()
    forms = [m.form for m in morphs]
    used = [False] * len(morphs)
    tags: dict[int, Unit] = {}
    for seq, gi in syn.sequences:
        n = len(seq)
        i = 0
        while i + n <= len(forms):
            if tuple(forms[i : i + n]) == seq and not any(used[i : i + n]):
                tags[i] = Unit(syn.canonical(gi), morphs[i].start, morphs[i + n - 1].end)
                for j in range(i, i + n):
                    used[j] = True
                i += n
            else:
                i += 1
    folded = [tags[i] if i in tags else m for i, m in enumerate(morphs) if i in tags or not used[i]]
    return Units(text, tuple(folded), tuple(forms) + tuple(t.form for t in tags.values()), len(forms))


def units(text: str) -> Units:
    return _fold(text, _morphemes(kiwi_analyse(text))) if text.strip() else Units(text, (), ())


def units_many(texts: Sequence[str]) -> list[Units]:
    texts = list(texts)
    if not texts:
        return []
    return [_fold(t, _morphemes(a)) for t, a in zip(texts, kiwi_analyse(texts))]


def bigrams(form: str) -> frozenset[str]:
    return frozenset(form[i : i + 2] for i in range(len(form) - 1))


def near(a: str, b: str) -> bool:
    """Two forms one typo apart ('씨스템' ~ '시스템'): same length ≥ 3, bigram Dice ≥ 0.5. Synonym units never."""
    if a.startswith("§") or b.startswith("§") or len(a) < 3 or len(a) != len(b):
        return False
    x, y = bigrams(a), bigrams(b)
    return 2 * len(x & y) / (len(x) + len(y)) >= 0.5


def find_compact(needle: str, text: str) -> tuple[int, int] | None:
    """Where `needle` (already `compact`) stands in `text` once both are compacted: the span in `text`."""
    if not needle:
        return None
    kept = [(c, i) for i, ch in enumerate(text) for c in compact(ch)]
    at = "".join(c for c, _ in kept).find(needle)
    if at < 0:
        return None
    return kept[at][1], kept[at + len(needle) - 1][1] + 1
