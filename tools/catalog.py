"""One catalog of every entity the database holds, searched by BM25 over Kiwi morphemes fused with e5.

An entity is a named thing of the report (tools/catalog_entities.py `KINDS`): a budget line, a program's
execution row, a program, its courses and cohorts, a training or e-러닝 category, an exam, an audit item,
a facility, a section … with its aliases, table, row ids, line span, section path and parent.

    from tools.catalog import catalog_for
    cat = catalog_for(ctx)                                   # built once per report, then cached
    cat.search("채용시험관리")[0].entity.name                # '공무원채용 및 기타 시험관리' (budget_line)
    cat.search("교육통합시스템 예산", kinds=["execution"])[0].entity.name
                                                             # '동영상학습 운영 (교육통합시스템 구축)'
    [h.entity.name for h in cat.mentions("신규자과정과 IT전문교육 예산 합계")]
                                                             # ['신규자과정운영', 'IT전문교육운영']
    cat.mentions("예산이 제일 큰 사업은?")                   # [] — it names no entity
    hit = cat.mentions("신입자 과정 교육인원은?")[0]
    hit.entity.kind, hit.entity.name, hit.span, hit.text     # 'program', '7~9급 신입자 교육과정 운영', (0, 9), '신입자 과정 교육'
    hit.alternatives                                         # the other rows that span could mean, best first
    [e.name for e in cat.inside(hit.entity, kinds=["execution"])]   # ['신입자 과정 운영']: the program's budget row

`search(text, kinds=None, k=5, mode="fused")` ranks every entity (mode "bm25" or "dense" for one side
alone); `mentions(question, kinds=None)` returns the entities a question names, one per span, left to right,
each with the other candidates of its span in `alternatives`; `get(kind, name)` finds a row by its exact name;
`inside(entity, kinds)` lists the rows within an entity's lines (a program's budget rows: kinds=["execution"]).

How it ranks (`search`): each name and alias is one document. BM25 (knowledge/index/bm25.py's index, over
this module's units: Kiwi morphemes, synonym groups as there, a noun prefix or a number kept on its noun or
counter) and e5 cosine (knowledge/index/embedder.py; vectors cached by content hash in the passage index's
embedding cache, and in memory per report) each give an entity its best name's score; the two rankings are
fused by reciprocal rank (k=`RRF_K`). Then small bonuses: the question's measure words ('교육인원', '집행률',
'수강', which BM25 leaves out) favour the kinds whose tables hold that measure (`KIND_CUES`; a section is
cued by the rows it holds, a contact needs its cue); a name the morphemes cannot spell ('본교육') written out
whole; the share of the question's naming words an entity's names hold, which also breaks ties.

How it finds mentions (`mentions`): every run of question units (at most one unmatched unit inside, no name
word twice) that covers at least `MIN_COVERAGE` of one name's IDF weight, or a rarer part of it
(`STRONG_WEIGHT`), with two naming units where the name has two (frame words of catalog_text and one-letter
units never name); whole names first, greedily, non-overlapping; each span is then ranked as `search` ranks,
with the question's other words as cues. Near forms (one typo, '씨스템') count `NEAR_WEIGHT`.
Measured by bench/bench_catalog.py over tests/test_catalog.py's tables.
"""

from __future__ import annotations

import logging
import math
import threading
from dataclasses import dataclass
from functools import lru_cache
from typing import Iterable, Sequence

import numpy as np
from pydantic import BaseModel, Field

from knowledge.index.bm25 import BM25Index
from tools.catalog_entities import KINDS, Entity, read_entities
from knowledge.names import compact
from tools.catalog_text import FRAME_WORDS, MEASURE_WORDS, Unit, Units, find_compact, near, units, units_many

log = logging.getLogger(__name__)

RRF_K = 10  # small: the lists are short and the first places matter
CUE_BONUS = 0.6 / (RRF_K + 1)  # per cue word, at most two
EXACT_BONUS = 1.0 / (RRF_K + 1)  # a name written out whole, times its share of the text
QUERY_BONUS = 0.2 / (RRF_K + 1)  # times the share of the query's naming words an entity's names hold
# kinds that describe another entity (a program's contacts): found only when the question asks for them
CUE_REQUIRED = frozenset({"contact"})
MIN_COVERAGE = 0.4
STRONG_WEIGHT = 4.5  # IDF of a unit that no more than two entities carry (log(1 + n/2) for n ≈ 200)
NEAR_WEIGHT = 0.7
MAX_GAP = 1  # unmatched units allowed inside one mention
ORDER_BONUS = 0.2  # a run whose words come in the name's order is worth up to this much more

_MONEY = frozenset("§예산현액 예산 집행 §집행률 집행률 집행액 §원인행위 증감 §증감액 증감액 §감액 감액 지출 §지출액 연말 예상 천원 원".split())
_PEOPLE = frozenset("인원 교육인원 수료 수료자 명 기수 횟수 일수 대상".split())
# which measures each kind's table holds: a question's words outside the name favour these kinds
KIND_CUES: dict[str, frozenset[str]] = {
    "budget_line": _MONEY, "execution": _MONEY, "revenue": _MONEY,
    "program": _PEOPLE, "course": _PEOPLE, "cohort": _PEOPLE, "training_category": _PEOPLE | {"§참여율", "§만족도", "계획", "실적"},
    "elearning_category": _PEOPLE | {"수강", "수강생", "학습자", "콘텐츠", "분야"},
    "training_overview": _PEOPLE, "international": _PEOPLE, "career_hiring": _PEOPLE, "assessment": _PEOPLE,
    "exam": frozenset("§경쟁률 경쟁률 §응시율 응시율 응시 접수 선발 필기 면접 합격 인원 명".split()),
    "facility": frozenset("면적 ㎡ 평 층 동 필지 연면적".split()),
    "equipment": frozenset("수량 대 개 내구 연한 경과 보유".split()),
    "audit_item": frozenset("§추진완료 §추진 중 조치 추진 상황 요구 건의 답변 처리".split()),
    "contact": frozenset("담당자 담당 과장 팀장 작성자 연락처 전화".split()),
}


class EntityHit(BaseModel):
    """A catalog entity found for a text: its fused score, its place in each ranking, the span it matched."""

    entity: Entity
    score: float
    bm25_rank: int | None = Field(default=None, description="1-based place in the BM25 ranking (None: no shared unit)")
    dense_rank: int | None = Field(default=None, description="1-based place in the e5 ranking (None: dense side off)")
    span: tuple[int, int] | None = Field(default=None, description="character span [start, end) of the query it matched")
    text: str | None = Field(default=None, description="the query's words at `span`")
    coverage: float = Field(default=0.0, description="share of the matched name's IDF weight the span covers")
    alternatives: list["EntityHit"] = Field(default_factory=list, description="mentions only: other rows the span could mean")


@dataclass(frozen=True)
class Match:
    first: int  # first and last question unit of the matched run
    last: int
    weight: float  # IDF weight of the name's units the run covers
    coverage: float  # weight / the name's whole weight
    naming: float  # weight of the covered units that are not frame words
    chars: tuple[int, int] | None = None  # the character span when the name is written out whole

    @property
    def strength(self) -> float:
        return self.weight * (0.5 + 0.5 * self.coverage)

    @property
    def names_something(self) -> bool:
        """Enough of one name, or a rare part of it ('HRD 역량강화'), with a unit that is not a frame word."""
        return self.naming > 0 and (self.coverage >= MIN_COVERAGE or (self.coverage >= MIN_COVERAGE / 2 and self.naming >= STRONG_WEIGHT))


class Catalog:
    """Entities of one report with a BM25 index and e5 vectors over their names (one document per name)."""

    def __init__(self, entities: Sequence[Entity], report_hash: str = "", vectors: np.ndarray | None = None,
                 variant_units: Sequence[Units] | None = None):
        self.entities = list(entities)
        self.report_hash = report_hash
        self._owner = [i for i, e in enumerate(self.entities) for _ in e.names]
        self.variant_texts = [n for e in self.entities for n in e.names]
        self._units = list(variant_units) if variant_units is not None else units_many(self.variant_texts)
        self._starts = np.array([i for i, o in enumerate(self._owner) if i == 0 or self._owner[i - 1] != o], dtype=np.int64)
        self._bm25 = BM25Index([list(u.tokens) for u in self._units], b=0.5) if self._units else None
        self._idf = _idf(self._owner, self._units, len(self.entities))
        self._forms = [frozenset(u.form for u in v.units) for v in self._units]
        self._order = [{u.form: j for j, u in reversed(list(enumerate(v.units)))} for v in self._units]
        self._compact = [compact(t) if len(compact(t)) >= 3 else "" for t in self.variant_texts]
        # names whose morphemes lose letters ('본교육' → '교육') are also found written out whole
        self._lossy = [c if u.lossy else "" for c, u in zip(self._compact, self._units)]
        self.vectors = vectors  # (n_variants, dim) or None: BM25 only
        self._kind_index = np.array([KINDS.index(e.kind) for e in self.entities])
        self._cues = _cue_sets(self.entities)
        self._cue_required = np.array([e.kind in CUE_REQUIRED for e in self.entities], dtype=bool)
        self._entity_forms = [frozenset().union(*(self._forms[v] for v in self._variants_of(i))) for i in range(len(self.entities))]
        self.warning = None if vectors is not None else "e5 vectors unavailable: BM25 only"

    def __len__(self) -> int:
        return len(self.entities)

    def read(self, text: str) -> Units:
        """A text's units as the names know them: a word the names never use but whose stem they do
        ('운영비' → '운영') becomes the stem; two adjacent words the names use as one ('인재'+'개발원')
        also give BM25 that one."""
        q = units(text)
        out, extra = [], []
        for u in q.units:
            stem = u.form[:-1]
            if u.form not in self._idf and len(stem) >= 2 and stem in self._idf:
                out.append(Unit(stem, u.start, u.end))
                extra.append(stem)
            else:
                out.append(u)
        extra += [a.form + b.form for a, b in zip(out, out[1:]) if a.end == b.start and a.form + b.form in self._idf]
        return Units(q.text, tuple(out), q.tokens + tuple(extra), q.n_morphemes) if extra else q

    # ------------------------------------------------------------------ per-entity scores

    def _per_entity(self, per_variant: np.ndarray) -> np.ndarray:
        return np.maximum.reduceat(per_variant, self._starts) if len(per_variant) else per_variant

    def bm25_scores(self, q: Units) -> np.ndarray:
        """Best BM25 score of each entity's names; frame words ('예산', '인원') are left to the cues unless nothing else is asked."""
        if self._bm25 is None:
            return np.zeros(0)
        tokens = [t for t in q.tokens if t.lstrip("§") not in MEASURE_WORDS] or list(q.tokens)
        return self._per_entity(self._bm25.scores(tokens))

    def dense_scores(self, text: str) -> np.ndarray | None:
        if self.vectors is None:
            return None
        return self._per_entity(self.vectors @ query_vector(text))

    def _mask(self, kinds: Iterable[str] | None) -> np.ndarray:
        if not kinds:
            return np.ones(len(self.entities), dtype=bool)
        wanted = [KINDS.index(k) for k in kinds if k in KINDS]
        return np.isin(self._kind_index, wanted)

    # ------------------------------------------------------------------ search

    def search(self, text: str, kinds: Iterable[str] | None = None, k: int = 5, mode: str = "fused") -> list[EntityHit]:
        """The `k` entities whose names best match `text` (mode 'fused' | 'bm25' | 'dense'), best first."""
        q = self.read(text)
        ranked = self._rank(q, self._mask(kinds), mode=mode, cues=q)[:k]
        return [self._hit(i, q, score, bmr, dnr) for i, score, bmr, dnr in ranked]

    def _rank(self, q: Units, mask: np.ndarray, *, mode: str = "fused", cues: Units | None = None) -> list[tuple[int, float, int | None, int | None]]:
        """(entity, fused score, BM25 place, dense place) of every entity in `mask` that either side finds, best first."""
        bm = self.bm25_scores(q)
        dense = self.dense_scores(q.text) if mode != "bm25" and q.units else None
        bm_rank = _ranks(bm, mask & (bm > 0))
        dn_rank = _ranks(dense, mask) if dense is not None else {}
        score = np.zeros(len(self.entities))
        if mode != "dense" or dense is None:
            for i, r in bm_rank.items():
                score[i] += 1 / (RRF_K + r)
        if mode != "bm25":
            for i, r in dn_rank.items():
                score[i] += 1 / (RRF_K + r)
        if mode == "fused":
            hits = self._cue_hits(cues if cues is not None else q)
            asked = hits + (self._cue_hits(q) if cues is not q else 0)  # a mention's own words count too
            score *= ~(self._cue_required & (asked == 0))
            score += CUE_BONUS * (hits if cues is not None else 0) * (score > 0)
            score += EXACT_BONUS * self._written(q.text) * (score > 0)
            score += QUERY_BONUS * self._explained(q) * (score > 0)
        # ties (one ranking's first is the other's second) go to the names that hold more of the query
        order = [int(i) for i in np.lexsort((self._kind_index, -bm, -self._explained(q), -np.round(score, 9))) if mask[i] and score[i] > 0]
        return [(i, float(score[i]), bm_rank.get(i), dn_rank.get(i)) for i in order]

    def mentions(self, question: str, kinds: Iterable[str] | None = None, k: int = 5) -> list[EntityHit]:
        """The entities `question` names, one per span, left to right; [] when it names none."""
        q = self.read(question)
        mask = self._mask(kinds)
        cands = [(int(i), m) for i in np.flatnonzero(mask) for v in self._variants_of(int(i)) for m in self.runs(v, q) if m.names_something]
        spans: list[tuple[int, int]] = []
        # whole names first: '4급 역량평가와 5급 역량평가' names two assessments, not the program holding both
        for _, m in sorted(cands, key=lambda c: -c[1].strength * c[1].coverage):
            if len(spans) < k and not any(_overlap((m.first, m.last), s) for s in spans):
                spans.append((m.first, m.last))
        # a span grows to every candidate run it overlaps, so that the longer name it may belong to
        # ('신입자 과정' inside '신입자 과정 교육') is ranked on all of its words
        spans = [_grow(s, [(m.first, m.last) for _, m in cands], [o for o in spans if o != s]) for s in spans]
        inside = {j for a, b in spans for j in range(a, b + 1)}
        cues = Units(q.text, tuple(u for j, u in enumerate(q.units) if j not in inside), ())
        out = []
        for span in sorted(set(spans)):
            members = {i for i, m in cands if span[0] <= m.first and m.last <= span[1]}
            ranked = [r for r in self._rank(self.read(q.span_text(*span)), mask, cues=cues) if r[0] in members]
            ranked += [(i, 0.0, None, None) for i in members - {r[0] for r in ranked}]
            hits = [self._hit(i, q, score, bmr, dnr) for i, score, bmr, dnr in ranked]
            if hits and not any(h.entity.key == hits[0].entity.key for h in out):
                out.append(hits[0].model_copy(update={"alternatives": hits[1:5]}))
        return out

    def _written(self, text: str) -> np.ndarray:
        """Per entity: the longest of its lossy names written out in `text` (spaces and dots aside), as a share of the text."""
        c = compact(text)
        out = np.zeros(len(self.entities))
        for v, name in enumerate(self._lossy):
            if name and name in c:
                out[self._owner[v]] = max(out[self._owner[v]], len(name) / len(c))
        return out

    def _explained(self, q: Units) -> np.ndarray:
        """Per entity: the share of the query's naming words (IDF-weighted) that its names hold."""
        words = {u.form: self._idf[u.form] for u in q.units if u.form in self._idf and _names(u.form)}
        total = sum(words.values())
        if not total:
            return np.zeros(len(self.entities))
        return np.array([sum(w for f, w in words.items() if f in forms) / total for forms in self._entity_forms])

    def _cue_hits(self, q: Units) -> np.ndarray:
        forms = {u.form for u in q.units}
        return np.array([min(2.0, float(len(forms & cue))) for cue in self._cues])

    def _hit(self, i: int, q: Units, score: float, bm_rank: int | None, dn_rank: int | None) -> EntityHit:
        best = self._best_match(i, q)
        span = (best.chars or (q.units[best.first].start, q.units[best.last].end)) if best else None
        return EntityHit(entity=self.entities[i], score=round(float(score), 6), bm25_rank=bm_rank, dense_rank=dn_rank, span=span,
                         text=q.text[span[0]:span[1]] if span else None, coverage=round(best.coverage, 3) if best else 0.0)

    def inside(self, entity: Entity, kinds: Iterable[str] | None = None) -> list[Entity]:
        """The entities whose lines lie within `entity`'s (a program's execution rows, courses, cohorts, contact)."""
        want = set(kinds) if kinds else None
        return [e for e in self.entities if e is not entity and (want is None or e.kind in want)
                and entity.lines[0] <= e.lines[0] and e.lines[1] <= entity.lines[1]]

    def parts(self, entity: Entity) -> list[Entity]:
        """The rows of the same kind that break `entity` down: those whose parent it is, or whose names extend
        the group it stands for ('집합 교육' → '집합 기본역량 핵심가치', '집합 직무역량 IT', …)."""
        group = compact(entity.parent or entity.name)
        return [e for e in self.entities if e is not entity and e.kind == entity.kind
                and (e.parent == entity.name or len(group) >= 2 and compact(e.name).startswith(group) and e.parent != entity.parent)]

    def get(self, kind: str, name: str) -> Entity | None:
        """The entity of `kind` named exactly `name` (or with that alias)."""
        return next((e for e in self.entities if e.kind == kind and name in e.names), None)

    # ------------------------------------------------------------------ matching a name inside a text

    def match(self, variant: int, q: Units) -> Match | None:
        """The run of `q`'s units that best covers name `variant` (None when they share nothing)."""
        return max(self.runs(variant, q), key=lambda m: m.strength, default=None)

    def runs(self, variant: int, q: Units) -> list[Match]:
        """Every run of `q`'s units that covers part of name `variant`, and the name written out whole."""
        forms = self._forms[variant]
        idf = self._idf
        hits: list[tuple[int, str, float]] = []
        for i, u in enumerate(q.units):
            if u.form in forms:
                hits.append((i, u.form, 1.0))
            else:
                f = next((d for d in forms if near(u.form, d)), None)
                if f:
                    hits.append((i, f, NEAR_WEIGHT))
        whole = self._whole_name(variant, q)
        out = [whole] if whole is not None else []
        # a long name's bare numbers ('7~9급' → 7) tell rows apart but are not needed to mention it;
        # a short name's are its identity ('건의 1')
        words = [f for f in forms if not f.isdigit()]
        total = sum(idf.get(f, 0.0) for f in (words if len(words) >= 3 else forms)) or 1.0
        order = self._order[variant]
        n_words = sum(_names(f) and not f[0].isdigit() for f in forms)  # '9급' qualifies, it is not needed
        for run in _runs(hits):
            got: dict[str, float] = {}
            for _, f, w in run:
                got[f] = max(got.get(f, 0.0), w * idf.get(f, 0.0))
            weight = sum(got.values())
            named = [w for f, w in got.items() if _names(f)]
            # one common word of a longer name ('인재' of '인재양성과') does not name it; a rare one may ('HRD')
            naming = sum(named) if len(named) >= min(2, n_words) or max(named, default=0) >= STRONG_WEIGHT else 0.0
            pairs = list(zip(run, run[1:]))
            ordered = sum(order[a[1]] < order[b[1]] for a, b in pairs) / len(pairs) if pairs else 1.0
            out.append(Match(run[0][0], run[-1][0], weight * (1 + ORDER_BONUS * ordered), min(1.0, weight / total), naming))
        return out

    def _whole_name(self, variant: int, q: Units) -> Match | None:
        """The name written out in the text, spaces and dots aside ('본교육' in '본교육 수료인원')."""
        at = find_compact(self._compact[variant], q.text)
        inside = [j for j, u in enumerate(q.units) if at and u.start < at[1] and u.end > at[0]]
        if not inside:
            return None
        weight = sum(self._idf.get(f, 0.0) for f in self._forms[variant]) or 1.0
        return Match(inside[0], inside[-1], weight, 1.0, weight, at)

    def _matches(self, i: int, q: Units) -> list[Match]:
        """The best run of each of entity `i`'s names."""
        return [m for v in self._variants_of(i) if (m := self.match(v, q)) is not None]

    def _best_match(self, i: int, q: Units) -> Match | None:
        return max(self._matches(i, q), key=lambda m: (m.names_something, m.strength), default=None)

    def _variants_of(self, i: int) -> range:
        start = int(self._starts[i])
        end = int(self._starts[i + 1]) if i + 1 < len(self._starts) else len(self._owner)
        return range(start, end)


# ---------------------------------------------------------------------- helpers


def _cue_sets(entities: list[Entity]) -> list[frozenset[str]]:
    """Each entity's cue words: its kind's (KIND_CUES); a section's are those of the rows it holds."""
    out = []
    for e in entities:
        if e.kind == "section":
            inside = {o.kind for o in entities if o.kind != "section" and e.lines[0] <= o.lines[0] and o.lines[1] <= e.lines[1]}
            out.append(frozenset().union(*(KIND_CUES.get(k, frozenset()) for k in inside)))
        else:
            out.append(KIND_CUES.get(e.kind, frozenset()))
    return out


def _overlap(a: tuple[int, int], b: tuple[int, int]) -> bool:
    return a[0] <= b[1] and b[0] <= a[1]


def _grow(span: tuple[int, int], runs: list[tuple[int, int]], others: list[tuple[int, int]]) -> tuple[int, int]:
    """`span` widened to the candidate runs it overlaps that reach no other chosen span."""
    mine = [r for r in runs if _overlap(r, span) and not any(_overlap(r, o) for o in others)]
    return min([span[0]] + [r[0] for r in mine]), max([span[1]] + [r[1] for r in mine])


def _names(form: str) -> bool:
    """Whether a unit can count towards naming an entity: not a frame word, not one Korean letter."""
    return not _is_frame(form) and (len(form) >= 2 or form.isascii())


def _is_frame(form: str) -> bool:
    f = form.lstrip("§")
    return f in FRAME_WORDS or f.isdigit()


def _runs(hits: list[tuple[int, str, float]]) -> list[list[tuple[int, str, float]]]:
    """Every run of matched units from each start: at most MAX_GAP unmatched units between two, no name word twice."""
    runs = []
    for i in range(len(hits)):
        run = [hits[i]]
        for h in hits[i + 1 :]:
            if h[0] - run[-1][0] > MAX_GAP + 1 or any(h[1] == r[1] for r in run):
                break
            run.append(h)
        runs.append(run)
    return runs


def _ranks(scores: np.ndarray | None, mask: np.ndarray) -> dict[int, int]:
    if scores is None:
        return {}
    idx = [int(i) for i in np.argsort(-scores, kind="stable") if mask[i]]
    return {i: r for r, i in enumerate(idx, start=1)}


def _idf(owner: list[int], variant_units: list[Units], n_entities: int) -> dict[str, float]:
    """IDF of each unit form over entities (an entity counts once however many names carry the form)."""
    seen: dict[str, set[int]] = {}
    for o, v in zip(owner, variant_units):
        for u in v.units:
            seen.setdefault(u.form, set()).add(o)
    return {f: math.log(1 + n_entities / len(s)) for f, s in seen.items()}


@lru_cache(maxsize=512)
def query_vector(text: str) -> np.ndarray:
    from knowledge.index import embedder

    return embedder.embed_query(text)


# ---------------------------------------------------------------------- building and caching

_cache: dict[tuple[str, str], Catalog] = {}
_cache_lock = threading.Lock()
CACHE_SIZE = 4  # reports kept in memory (a re-ingest brings a new hash; the oldest goes)


def _embed_names(texts: list[str], settings) -> np.ndarray | None:
    """e5 passage vectors of the names, through the embedding cache the passage index uses; None offline."""
    from knowledge.index import embedder
    from knowledge.index.cache import EmbeddingCache, text_key

    try:
        model = embedder.model_id()
        cache = EmbeddingCache.for_settings(settings)
        keys = [text_key(model, "entity: " + t) for t in texts]
        have = cache.get_many(keys)
        missing = [(k, t) for k, t in zip(keys, texts) if k not in have]
        if missing:
            vecs = embedder.embed_passages([t for _, t in missing])
            new = {k: v for (k, _), v in zip(missing, vecs)}
            cache.put_many(model, new)
            have.update(new)
        return np.stack([have[k] for k in keys]).astype(np.float32) if keys else None
    except Exception as e:  # model missing or broken: the catalog answers from BM25 alone
        log.warning("entity catalog without e5 vectors: %s", e)
        return None


def build_catalog(ctx) -> Catalog:
    """Read every entity of ctx's report from the database and index their names (not cached)."""
    with ctx.session() as s:
        entities = read_entities(s, ctx.report.id)
    names = [n for e in entities for n in e.names]
    return Catalog(entities, ctx.report.content_hash, _embed_names(names, ctx.settings))


def catalog_for(ctx) -> Catalog:
    """The catalog of ctx's report, built on first use and kept in memory per (database, report hash)."""
    key = (str(ctx.engine.url), ctx.report.content_hash)
    with _cache_lock:
        cat = _cache.get(key)
        if cat is None:
            cat = _cache[key] = build_catalog(ctx)
            while len(_cache) > CACHE_SIZE:
                _cache.pop(next(iter(_cache)))
        return cat
