"""Extractive answers: the sentences of retrieved passages that answer a question, ranked by the rarity of
the question's bigrams among the candidates, with the report's own attribute labels, block headings
('추진내용', '향후계획') and numbered lists; an audit request never answers what was done about it."""

from __future__ import annotations

import math
import re
from typing import Any

from knowledge.names import canonical

from .asks import (ANNOUNCES, CONTACT_ASKS, CONTACT_LINE, DATE_ASKS, DATED, DAY_DATE, DONE_BLOCK, FIGURE_ASKS,
                   FUTURE_BLOCK, FUTURE_CUES, FUTURE_TEXT, PAST_CUES, PROGRESS_CUES, REASON_ASKS, REASON_TEXT,
                   RELATION_WORDS, REQUEST_CUES, RESPONSE_CUES, STATUS_BLOCK, ask_of, has)
from .lexicon import ATTRIBUTE_ASKS, INTENTS, QUESTION_NOUNS
from .sentences import Sentence, bigrams_of, children_of, sentences_of

__all__ = ["LIST_CUES", "ask_of", "bigrams_of", "rank_sentences"]

ENUMERATED = re.compile(r"^\s*[①②③④⑤⑥⑦⑧⑨⑩]")
PLACE_ASKS = ("어디서", "어디에서", "어디에", "장소")
PLACE = re.compile(r"[가-힣A-Za-z)]에서\s|장소|소재|개최|청사|센터|교육원|교육장|[가-힣]{2,}(시|도|국)\b")
WHEN_WORDS = re.compile(r"(언제|며칠|몇월|몇일)(부터|까지)?")
SPAN_ASKS = ("부터", "까지", "기간")
DAY_SPAN = re.compile(r"\d{1,2}\.\s?\d{1,2}\.?\s*[~∼-]\s*(?:'?\d{2}\.\s?)?\d{1,2}\.\s?\d{1,2}")
AS_OF_DAY = re.compile(r"\d{1,2}\.\s*\d{1,2}\.?\s*기준|\d{1,2}일\s*기준")
MONTH_DATE = re.compile(r"20\d{2}년\s?\d{1,2}월|'\d{2}\.\s?\d{1,2}\.|(?<!\d)\d{1,2}월")


LIST_CUES = ("어떤걸", "어떤게", "어떤것", "뭘", "무엇을", "뭐뭐", "무엇무엇", "월별", "하고있나", "하겠다", "대책", "방안", "조치", "사례")


# a line that states one attribute by its label: '- 장소: 동대문디자인플라자', '기간/장소 : …'; a label the
# report spaces out letter by letter ('행 사 명:') is the same label
_LABEL = r"[가-힣](?:[ \t]?[가-힣]){1,3}"
ATTRIBUTE_LINE = re.compile(rf"^[\s\-○•▶□◦ㅇ*※]*({_LABEL}(?:\s*[/·]\s*{_LABEL})?)\s*[:：]")


def label_words(label: str) -> list[str]:
    """The words of an attribute label: each part, and each part with its spacing removed ('행 사 명' → 행사명)."""
    parts = [p for p in re.split(r"\s*[/·]\s*", label) if p]
    words = [w for p in parts for w in re.split(r"\s+", p)]
    return list(dict.fromkeys(words + [re.sub(r"\s+", "", p) for p in parts]))

def _pool(passages) -> list:
    """The first four passages, and the response of an audit request among them wherever it ranked."""
    top = list(passages[:4])
    asked = {p.section for p in top if p.kind == "audit-request"}
    return top + [p for p in passages[4:] if p.kind == "audit-response" and p.section in asked]


def _unit(p) -> str:
    """What a passage is part of: an audit item (its request and response chunks) or itself."""
    return p.section if (p.kind or "").startswith("audit") else f"{p.section}@{p.lines[0]}"


def _coverage(idf: dict[str, float], pool) -> dict[int, float]:
    """How much of the question (idf-weighted) a passage's unit (an audit item's request and response together)
    holds in its titles and text, relative to the best one."""
    texts: dict[str, str] = {}
    for p in pool:
        texts[_unit(p)] = texts.get(_unit(p), p.section) + " " + p.text
    held = {}
    for unit, text in texts.items():
        big = bigrams_of(canonical(text))
        held[unit] = sum(w for b, w in idf.items() if b in big)
    best = max(held.values(), default=0) or 1.0
    return {id(p): held[_unit(p)] / best for p in pool}


def _language(s: Sentence, question: str) -> float:
    """The weight what the question asks in words gives a sentence: a figure for '몇', a reason for '왜',
    a name and number only for who and how to reach them."""
    w = 1.0
    if has(question, FIGURE_ASKS) and not re.search(r"\d", s.text):
        w *= 0.5
    if has(question, REASON_ASKS) and REASON_TEXT.search(s.text):
        w *= 1.5
    if CONTACT_LINE.search(s.text) and not has(question, CONTACT_ASKS):
        w *= 0.2  # '작성자 …과장: 홍길동 ☎…' answers no question about the work
    return w


def names_block(qbig: set[str], block: str) -> bool:
    """Whether a question names a block heading ('미래 지향적 공무원 역량강화 분야에는 어떤 과제가'):
    most of the heading's bigrams are the question's."""
    big = bigrams_of(block)
    return len(block) >= 6 and len(big & qbig) >= 0.7 * len(big)  # not a generic one (추진실적, 향후계획)


def _structure(s: Sentence, ask: str, responded: set[str], qbig: set[str]) -> float:
    """The weight the report's structure gives a sentence for this question (1 = neutral)."""
    p, w = s.passage, 1.0
    if p.kind == "audit-request" and p.section in responded and ask != "request":
        w *= 0.3  # the council's request restates the question; its response answers it
    if s.caption or s.header_row:
        w *= 0.2
    elif s.table_row:
        w *= 0.6
    if s.block.startswith("※"):
        w *= 0.6  # the items under a '※ …' note are background
    if ask == "future":
        w *= 1.8 if FUTURE_BLOCK.search(s.block) else 1.0
        w *= 1.3 if FUTURE_TEXT.search(s.text) else 1.0
    return w


HEADING_WEIGHT = 0.3  # a question's word in the heading a sentence stands under, against one in the sentence
AUDIT_RESTATES = 0.75  # the weight of an audit response's sentence when the question is not about the audit


def _audit_restates(question: str, pool, cover: dict[int, float]) -> bool:
    """A question that names no audit word, with passages of the work's own sections to hand: the audit's
    responses restate that work for the council ('6급 과정에 새로 만든 미래반' is told in the program's section
    and again in a response), so they weigh less than the section that reports it."""
    work = max((cover[id(p)] for p in pool if not (p.kind or "").startswith("audit")), default=0.0)
    audit = max((cover[id(p)] for p in pool if (p.kind or "").startswith("audit")), default=0.0)
    return not has(canonical(question), INTENTS["audit"]) and work >= 0.9 * audit  # (not where only a response holds its words)


def _answers_block(s: Sentence, ask: str) -> bool:
    """A sentence of the block that holds what an audit item's response says was done or is planned."""
    if s.heading or s.block.startswith("※") or s.depth == 3:
        return False
    if ask == "future":
        return bool(FUTURE_BLOCK.search(s.block))
    return ask in ("response", "done", "progress") and (not s.block or bool(DONE_BLOCK.search(s.block)))


def _item_of(cover: dict[str, float]) -> str | None:
    """The audit item a question is about: the one whose passages hold most of it, when one stands out."""
    ranked = sorted(cover.items(), key=lambda kv: -kv[1])
    if not ranked or ranked[0][1] <= 0:
        return None
    return ranked[0][0] if len(ranked) == 1 or ranked[1][1] < 0.9 * ranked[0][1] else None


def _ask_in(question: str, pool) -> str:
    """What the question asks, given the passages: what was done or requested is asked of an audit item only."""
    ask = ask_of(question)
    audit = any((p.kind or "").startswith("audit") for p in pool)
    return ask if audit or ask == "future" else ""


def _ask_words_removed(question: str, ask: str) -> str:
    """The question without the words that say what it asks ('조치결과는?', '앞으로 뭘 하겠다는'): they name a
    block of the response, not its content; nor the words that only tie its parts ('보안 관련해서')."""
    cues = RELATION_WORDS + ((FUTURE_CUES + RESPONSE_CUES + PROGRESS_CUES) if ask in ("future", "response", "progress") else
                             PAST_CUES if ask == "done" else
                             REQUEST_CUES if ask else ())
    out = WHEN_WORDS.sub("|", re.sub(r"\s+", "", question))  # '언제부터 언제까지': no '부터' of '기초부터' answers it
    for w in sorted(cues, key=len, reverse=True):
        out = out.replace(w, "|")
    return out


def rank_sentences(question: str, passages) -> list[tuple[float, Sentence]]:
    """Every candidate sentence that shares a bigram with the question, best first, with its score."""
    return _ranked(question, sentences_of(_pool(passages)))


def _ranked(question: str, cands: list[Sentence]) -> list[tuple[float, Sentence]]:
    if not cands:
        return []
    pool = list({id(s.passage): s.passage for s in cands}.values())
    ask = _ask_in(question, pool)
    cq = canonical(_ask_words_removed(question, ask))
    qbig = {cq[i : i + 2] for i in range(len(cq) - 1)} - {b for b in bigrams_of(cq) if "|" in b}
    asked_labels = {x for w, labels in ATTRIBUTE_ASKS.items() if w in question for x in labels}  # '어디서' asks for 장소
    df = {b: sum(1 for s in cands if b in s.bigrams) for b in qbig}
    idf = {b: math.log(1 + len(cands) / df[b]) for b in qbig if df[b]}
    topics = {id(p): bigrams_of(canonical(p.section)) for p in pool}
    cover = _coverage(idf, pool)
    responded = {p.section for p in pool if p.kind == "audit-response"}
    restated = _audit_restates(question, pool, cover)
    scored = []
    for s in cands:
        hit = s.bigrams & qbig
        # words of the passage's own section title are its topic, not the answer: they weigh less
        v = sum(idf.get(b, 0.0) * (0.3 if b in topics[id(s.passage)] else 1.0) for b in hit) / (len(s.bigrams) ** 0.25 + 1)
        label = ATTRIBUTE_LINE.match(s.text)
        under = (bigrams_of(s.block) & qbig) - s.bigrams - topics[id(s.passage)]  # the heading it stands under says what it is of
        if not (asked_labels and label):  # (lines labelled with what is asked: _by_asked_label orders them)
            v += HEADING_WEIGHT * sum(idf.get(b, 0.0) for b in under) / (len(s.bigrams) ** 0.25 + 1)
        if len(s.bigrams - qbig) / max(len(s.bigrams), 1) < 0.25:
            v *= 0.3  # a sentence that only restates the question adds nothing
        words = label_words(label.group(1)) if label else []
        named = [w for w in words if len(w) >= 2 and (w in asked_labels or w in question)]
        if named and all(w in QUESTION_NOUNS and w not in asked_labels for w in named):
            v *= 1.5  # a label the question only uses as a general noun ('AI 관련 내용은 어떻게')
        elif named:
            v = 3 * v + 2 * cover[id(s.passage)]  # '- 일시: …' answers '일시랑 장소 알려주세요' by the report's own label, where it holds the topic
            hit = hit or any(w in asked_labels for w in words)  # '- 장소: …' answers '어디서' with no word in common
        if has(question, DATE_ASKS) and DAY_DATE.search(s.text):
            v *= 1.3  # 'when' is answered to the day where the report gives the day
            v *= 1.3 if has(question, SPAN_ASKS) and DAY_SPAN.search(s.text) else 1.0  # '언제부터 언제까지': a span of days
        elif has(question, DATE_ASKS):
            v *= 1.0 if MONTH_DATE.search(s.text) else 0.6  # a sentence with no date, not even a month, does not say when
        if "기준" in question and has(question, DATE_ASKS) and AS_OF_DAY.search(s.text):
            v *= 2.0  # '언제 기준이에요?': the day a figure or the report is stated as of ('('25. 10. 10. 기준)')
        if has(question, PLACE_ASKS):
            v *= 1.0 if PLACE.search(s.text) else 0.7  # 'where': a sentence that names no place does not say where
        v *= _structure(s, ask, responded, qbig) * _language(s, question) * (0.6 + 0.4 * cover[id(s.passage)] ** 2)
        if restated and (s.passage.kind or "").startswith("audit"):
            v *= AUDIT_RESTATES
        scored.append([v - 0.1 * (s.passage.rank - 1), s, bool(hit)])
    _by_block(scored, qbig)
    _by_item(scored, ask, cover)
    _by_asked_label(scored, question, asked_labels, cover, qbig)
    scored = [(v, s) for v, s, keep in scored if keep]
    scored.sort(key=lambda x: -x[0])
    return scored


# the noun an interrogative asks of ('총회 주제가 뭐였나요' → 주제, '연수 목적은 무엇' → 목적)
ASKED_NOUN = re.compile(r"([가-힣]{2,})\s*(?:뭐|무엇|뭔|어디|언제|누구|누가|어떻게|어떤|어땠|어느)")
PARTICLE = re.compile(r"(이|가|은|는|을|를|으로|로)$")


def asked_nouns(question: str) -> set[str]:
    """The nouns the question's interrogatives ask of, particles stripped."""
    out = set()
    for m in ASKED_NOUN.finditer(question):
        w = m.group(1)
        out |= {w, PARTICLE.sub("", w)}
    return {w for w in out if len(w) >= 2}


def _by_asked_label(scored: list[list], question: str, asked_labels: set[str], cover: dict[int, float], qbig: set[str]) -> None:
    """A line labelled with the very noun the question asks of ('주제/대상 : 대도시의 미래 …' for '총회 주제가
    뭐였나요?'), or with the attribute its interrogative asks for ('장소: …' for '어디서 열렸나요?', in a passage
    that holds the question's topic): the report's own answer to it, above the sentences that only share the
    question's topic; of two such lines, the one under the heading the question names first."""
    nouns = asked_nouns(question)
    if not (nouns or asked_labels):
        return

    def answers(s: Sentence) -> bool:
        m = ATTRIBUTE_LINE.match(s.text)
        words = set(label_words(m.group(1))) if m else set()
        return bool(nouns & words or asked_labels & words and cover[id(s.passage)] >= LABEL_COVER)

    labelled = [row for row in scored if answers(row[1])]
    if not labelled:
        return
    best = max(v for v, _, keep in scored if keep)
    span = has(question, DATE_ASKS) and has(question, SPAN_ASKS)  # '언제부터 언제까지': the line that gives the days
    for row in labelled:
        under = bigrams_of(row[1].block)
        days = best if span and DAY_SPAN.search(row[1].text) else 0.0
        row[0], row[2] = max(row[0], 0.0) + best + 1.0 + 0.25 * len(under & qbig) / max(len(under), 1) + days, True


LABEL_COVER = 0.9  # how much of the question a passage must hold for its '장소:' line to answer '어디서'


def _by_block(scored: list[list], qbig: set[str]) -> None:
    """A question that names a block heading ('미래 지향적 공무원 역량강화 분야에는 어떤 과제가'): the block's
    items answer it in the report's order, whatever words they share with the question."""
    best = max((v for v, _, hit in scored if hit), default=1.0)
    for row in scored:
        s = row[1]
        if not (s.heading or s.caption) and not s.block.startswith("※") and names_block(qbig, s.block):
            row[0], row[2] = max(row[0], 0.0) + best / (1 + 0.3 * s.order), True


def _by_item(scored: list[list], ask: str, cover: dict[int, float]) -> None:
    """A question about what was done (or is planned) about an audit item: the items of that block of the
    item's response, in the report's order, answer it whatever words they share with the question."""
    if ask not in ("response", "done", "future", "progress"):
        return
    items: dict[str, float] = {}
    for _, s, _ in scored:
        if (s.passage.kind or "").startswith("audit"):
            items[s.passage.section] = max(items.get(s.passage.section, 0.0), cover[id(s.passage)])
    item = _item_of(items)
    if item is None or items[item] < 0.95:  # the question is about something else the item only mentions
        return
    other = max((cover[id(s.passage)] for _, s, _ in scored if not (s.passage.kind or "").startswith("audit")), default=0.0)
    if ask == "done" and other >= 0.9 * items[item]:  # a past tense alone does not make a program an audit item
        return
    best = max((v for v, _, hit in scored if hit), default=1.0)
    status: list[list] = []
    by_passage: dict[int, list[Sentence]] = {}
    for _, s, _ in scored:
        by_passage.setdefault(id(s.passage), []).append(s)
    answered = any(s.passage.section == item and s.passage.kind == "audit-response" and _answers_block(s, ask) for _, s, _ in scored)
    for row in scored:
        v, s, _ = row
        if s.passage.section == item and s.passage.kind == "audit-request" and answered:
            row[0] = v * 0.3  # what was asked for, below what was done about it; not at all when that is asked
            row[2] = row[2] and ask == "done"
        if s.passage.section != item:
            if s.passage.kind == "audit-response":
                row[0] = v * 0.5
            continue
        if ask == "response" and s.passage.kind == "audit-response" and s.heading and STATUS_BLOCK.search(s.block):
            status.append(row)  # '추진상황 : 추진완료' heads what was done, above everything
            continue
        if s.passage.kind == "audit-response" and _answers_block(s, ask):
            prior = best * (0.8 if s.depth <= 1 else 0.3) / (1 + 0.5 * s.item)
            if not any(x.heading for x in by_passage.get(id(s.passage), [])):
                prior *= 0.5  # a continuation chunk: its items come after those of the chunk with the headings
            if ask == "progress":  # how far it has come: the latest step, a dated one
                prior = best * (1.0 if DATED.search(s.text) else 0.1)
            row[0], row[2] = max(v, 0.0) + prior, True
    top = max((r[0] for r in scored if r[2]), default=best)
    for row in status:
        row[0], row[2] = top * 1.05, True


def extract_sentences(question: str, passages, limit: int = 5, siblings: bool = False) -> list[tuple[str, Any, list[int]]]:
    """Sentences of the retrieved passages that answer the question, as (text, passage, lines): question
    bigrams weighted by how rare they are among the candidate sentences, then by the report's structure."""
    every = sentences_of(_pool(passages))
    scored = _ranked(question, every)
    cq = canonical(question)
    qbig = bigrams_of(cq)
    whole = siblings or _ask_in(question, _pool(passages)) in ("response", "done", "future", "progress")  # an item asked for with its sub-items
    out, seen, said = [], set(), ""
    for _, s in scored:
        if s.text in seen or s.text in said:  # already quoted, alone or as another's continuation
            continue
        seen.add(s.text)
        text, last = s.text, s
        if s.next and len(s.text) <= 40 and not _apart(s.next) and s.next not in said:  # a short item reads on into the next
            text, last = f"{s.text} {s.next}", _following(s, every) or s
        if ANNOUNCES.search(s.text):  # its list is its continuation
            text = with_children(s.text, s, every, seen)
        elif whole and not out or ANNOUNCES.search(last.text):
            text = with_children(text, last, every, seen)
        said += " " + text
        out.append((text[:300], s.passage, s.lines))
        if (siblings or names_block(qbig, s.block)) and len(out) == 1:  # an item of a list asked for: its siblings too
            for x in siblings_of(s, every):
                if x.text not in seen and x.text not in said and len(out) < limit + 4:
                    seen.add(x.text)
                    out.append((x.text[:300], x.passage, x.lines))
        if len(out) >= limit:
            break
    return out


def siblings_of(s: Sentence, every: list[Sentence]) -> list[Sentence]:
    """The other items of the list an item stands in: a numbered list on its line ('① … ② …'), or the items
    of its depth in its block of the passage."""
    if ENUMERATED.match(s.text):
        return [x for x in every if x.passage is s.passage and x.lines == s.lines and ENUMERATED.match(x.text) and x is not s]
    if s.heading or s.depth == 0 or s.table_row:
        return []
    return [x for x in every if x.passage is s.passage and x.block == s.block and x.depth == s.depth and x is not s
            and not x.heading and not x.table_row and not x.caption]


def _apart(text: str) -> bool:
    """A caption or a table row: never the continuation of a sentence."""
    probe = Sentence(text, None, [], set())
    return probe.caption or probe.table_row


def _following(s: Sentence, every: list[Sentence]) -> Sentence | None:
    """The sentence a sentence's text reads on into (its `next`), as a Sentence."""
    i = next((k for k, x in enumerate(every) if x is s), None)
    nxt = every[i + 1] if i is not None and i + 1 < len(every) else None
    return nxt if nxt is not None and nxt.passage is s.passage and nxt.text == s.next else None


FIGURE = re.compile(r"(?<![\d,.])\d{1,3}(?:,\d{3})+(?:\.\d+)?|(?<![\d,.])\d+\.\d+|(?<![\d,.'])\d{2,}(?![\d년월일:])")


def with_children(text: str, s: Sentence, every: list[Sentence], seen: set[str], figures: int = 4) -> str:
    """An item's text with its sub-items after it ('… 최소화하겠음: 입교 전 확인 철저; 대체교육 제공'), as long
    as it stays one quotable sentence (300 characters, a few figures)."""
    loose = bool(re.search(r"[:：]\s*$", s.text))
    parts = [x.text for x in children_of(s, every, loose) if x.text not in text]
    out = text
    for i, part in enumerate(parts):
        joined = out + (": " if i == 0 else "; ") + part
        if len(joined) > 300 or len(FIGURE.findall(joined)) > figures:
            break
        out = joined
        seen.add(part)
    return out
