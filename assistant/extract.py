"""Extractive answers: the sentences of retrieved passages that answer a question, ranked by the rarity of
the question's bigrams among the candidates, with the report's own attribute labels and numbered lists."""

from __future__ import annotations

import re
from typing import Any

from knowledge.names import canonical

from .lexicon import ATTRIBUTE_ASKS


SEGMENT_SPLIT = re.compile(r"\s+(?=[○▶※•①②③④⑤⑥⑦⑧⑨]|- (?=\S)|□\s)")


def _segments(text: str) -> list[str]:
    out = []
    for ln in text.split("\n"):
        for seg in SEGMENT_SPLIT.split(ln):
            seg = seg.strip(" -○□▶※·•")
            if len(seg) >= 6:
                out.append(seg)
    return out


def bigrams_of(s: str) -> set[str]:
    return {s[i : i + 2] for i in range(len(s) - 1)}


ENUMERATED = re.compile(r"^\s*[①②③④⑤⑥⑦⑧⑨⑩]")


LIST_CUES = ("어떤걸", "어떤게", "어떤것", "뭘", "무엇을", "뭐뭐", "무엇무엇", "월별", "하고있나", "하겠다", "대책", "방안", "조치", "사례")


# a line that states one attribute by its label: '- 장소: 동대문디자인플라자', '기간/장소 : …'
ATTRIBUTE_LINE = re.compile(r"^[\s\-○•▶□◦ㅇ*]*([가-힣]{2,4}(?:\s*[/·]\s*[가-힣]{2,4})?)\s*[:：]")


def _extract(question: str, passages, limit: int = 5, siblings: bool = False) -> list[tuple[str, Any, list[int]]]:
    """Sentences of the retrieved passages that answer the question: question bigrams weighted by how
    rare they are among the candidate sentences (the attribute asked, such as 일시 or 구성, outweighs the
    topic words every sentence repeats); a sentence that only restates the question adds nothing."""
    import math

    cq = canonical(question)
    qbig = {cq[i : i + 2] for i in range(len(cq) - 1)}
    asked_labels = {x for w, labels in ATTRIBUTE_ASKS.items() if w in question for x in labels}  # '어디서' asks for 장소
    cands = []
    for p in passages[:4]:
        lines = p.text.split("\n")
        exact = len(lines) == p.lines[1] - p.lines[0] + 1
        for i, ln in enumerate(lines):
            n = p.lines[0] + i if exact else None
            segs = _segments(ln)
            for j, seg in enumerate(segs):
                c = canonical(seg)
                cands.append((seg, {c[k : k + 2] for k in range(len(c) - 1)}, p, [n, n] if n else list(p.lines), segs[j + 1] if j + 1 < len(segs) else None))
    if not cands:
        return []
    # a short heading's continuation is the next sentence of the same passage, on its line or the next
    cands = [(seg, big, p, lines, nxt or (cands[i + 1][0] if i + 1 < len(cands) and cands[i + 1][2] is p else None))
             for i, (seg, big, p, lines, nxt) in enumerate(cands)]
    df = {b: sum(1 for _, big, *_ in cands if b in big) for b in qbig}
    idf = {b: math.log(1 + len(cands) / df[b]) for b in qbig if df[b]}
    scored = []
    topics = {id(p): {b for b in bigrams_of(canonical(p.section))} for p in passages[:4]}
    for seg, big, p, lines, nxt in cands:
        hit = big & qbig
        if not hit:
            continue
        # words of the passage's own section title are its topic, not the answer: they weigh less
        s = sum(idf.get(b, 0.0) * (0.3 if b in topics[id(p)] else 1.0) for b in hit) / (len(big) ** 0.25 + 1)
        novelty = len(big - qbig) / max(len(big), 1)
        if novelty < 0.25:
            s *= 0.3
        label = ATTRIBUTE_LINE.match(seg)
        if label and any(len(w) >= 2 and (w in question or w in asked_labels) for w in re.split(r"[/·\s]+", label.group(1))):
            s = 3 * s + 2  # '- 일시: …' answers '일시랑 장소 알려주세요' by the report's own label
        scored.append((s - 0.1 * (p.rank - 1), seg, p, lines, nxt))
    scored.sort(key=lambda x: -x[0])
    out, seen = [], set()
    for s, t, p, lines, nxt in scored:
        if t in seen:
            continue
        seen.add(t)
        text = t if not (nxt and len(t) <= 40) else f"{t} {nxt}"
        out.append((text[:300], p, lines))
        if siblings and ENUMERATED.match(t):  # one item of a numbered list asked for as a list: its siblings too
            for seg, _, p2, lines2, _ in cands:
                if p2 is p and lines2 == lines and ENUMERATED.match(seg) and seg not in seen and len(out) < limit + 4:
                    seen.add(seg)
                    out.append((seg[:300], p2, lines2))
        if len(out) >= limit:
            break
    return out
