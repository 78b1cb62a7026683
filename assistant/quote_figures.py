"""Figures that stand only in a sentence of the report, read as typed facts so that the operations of
`derive` apply to them: a sum of the figures one label names in several groups ('(1기) 인재반 74명, 미래반
22명 (2기) 인재반 76명, 미래반 19명' → 미래반 41명), and what is left of a whole ('8,103명 (대상인원 10,587명
대비 76.5% 완료)' → 2,484명).

A figure is a number with its unit; its label is the words between the figure before it (or a bracket,
a colon) and itself; its group is the last tag such as '(1기)' or "'24년" written before it.
"""

from __future__ import annotations

import re

from tools.base import Fact

from .facts import fmt

FIGURE = re.compile(r"(?<![\d.,])(\d{1,3}(?:,\d{3})+|\d+(?:\.\d+)?)\s*(천원|백만원|명|회|개국|개|%|점|건|㎡)")
GROUP = re.compile(r"\(?\s*(\d+\s*기|'\s*\d{2}\s*년|20\d{2}\s*년|상반기|하반기)\s*\)?")
LABEL_CUT = re.compile(r".*[(:：\[\]▶■□\-]\s*")  # the label starts after the last bracket or colon
WHOLE_WORDS = ("대상", "계획", "전체", "총", "정원", "보유")


def quote_facts(text: str, section: str = "", source: str = "", lines: list[int] | None = None) -> list[Fact]:
    """The figures of one sentence, each with its label and the group it stands in."""
    out: list[Fact] = []
    group, prev = "", 0
    for m in FIGURE.finditer(text):
        before = text[prev:m.start()]
        tags = GROUP.findall(before)
        if tags:
            group = re.sub(r"\s+", "", tags[-1])
            before = before[before.rfind(tags[-1]) + len(tags[-1]):]
        label = re.sub(r"[\s,·)]+$", "", LABEL_CUT.sub("", before)).strip(" ,·)")
        value = float(m.group(1).replace(",", ""))
        out.append(Fact(label=label, value=int(value) if value.is_integer() else value, unit=m.group(2), table="passage",
                        key=group, section=section, source=source, lines=list(lines or []), measure=label))
        prev = m.end()
    return out


def named_sums(facts: list[Fact], question: str, unit: str | None) -> list[Fact]:
    """Sums of the figures the question names: the labels it names within the one group it names ('1기의
    인재반과 미래반 … 합치면' → 74 + 22), else each label it names over the groups ('1·2기 합치면 미래반은' → 22 + 19)."""
    q = re.sub(r"(\d+)[·,](\d+)(기|회|차)", r"\1\3\2\3", re.sub(r"\s", "", question))  # '1·2기' names 1기 and 2기
    fs = [f for f in facts if f.label and f.key and (unit is None or f.unit == unit)]
    labels = [x for x in dict.fromkeys(f.label for f in fs) if re.sub(r"\s", "", x) in q]
    groups = [g for g in dict.fromkeys(f.key for f in fs) if re.search(rf"(?<!\d){re.escape(g)}", q)]
    if len(labels) >= 2 and len(groups) == 1:
        same = [f for f in fs if f.key == groups[0] and f.label in labels]
        return [_sum(same, f"{groups[0]} {'·'.join(labels)} 합계")] if len(same) >= 2 else []
    out = []
    for label in labels:
        same = [f for f in fs if f.label == label and (len(groups) < 2 or f.key in groups)]
        if len(same) >= 2 and len({f.key for f in same}) == len(same):
            out.append(_sum(same, f"{label} 합계({', '.join(f.key for f in same)})"))
    return out


def _sum(same: list[Fact], label: str) -> Fact:
    return Fact(label=label, value=sum(f.value for f in same), unit=same[0].unit, formula=" + ".join(fmt(f.value, f.unit) for f in same),
                inputs=[f.value for f in same], table="passage", section=same[0].section, source=same[0].source, lines=same[0].lines)


def remainder(facts: list[Fact], unit: str | None) -> list[Fact]:
    """A whole ('대상인원 10,587명') and the part done beside it ('8,103명'): what is left of the whole."""
    fs = [f for f in facts if unit is None or f.unit == unit]
    whole = next((f for f in fs if any(w in f.label for w in WHOLE_WORDS)), None)
    part = next((f for f in fs if whole is not None and f is not whole and f.unit == whole.unit and f.value < whole.value), None)
    if whole is None or part is None:
        return []
    what = {"명": "인원", "천원": "금액", "백만원": "금액", "회": "횟수"}.get(whole.unit, "수")
    return [Fact(label=f"{whole.label} 중 남은 {what}", value=whole.value - part.value,
                 unit=whole.unit, formula=f"{fmt(whole.value, whole.unit)} − {fmt(part.value, part.unit)}",
                 inputs=[whole.value, part.value], table="passage", section=whole.section, source=whole.source, lines=whole.lines)]


def group_share(sentences: list[list[Fact]], question: str) -> list[Fact]:
    """The share of a part named in groups ('(1기) 인재반 74명, 미래반 22명') in those groups' wholes, which
    another sentence gives ('(1기) 96명 수료'): '1기 수료생 중 미래반 비중' → 22 ÷ 96; '1·2기 합쳐서 미래반 …
    전체 중 몇 %' → (22 + 19) ÷ (96 + 95). `sentences` holds each sentence's figures; a group's whole is the
    largest figure in the part's unit of another sentence (one of the part's own is only another part)."""
    q = re.sub(r"(\d+)[·,](\d+)(기|회|차)", r"\1\3\2\3", re.sub(r"\s", "", question))
    labels = [x for x in dict.fromkeys(f.label for fs in sentences for f in fs if f.key) if x and re.sub(r"\s", "", x) in q]
    if len(labels) != 1:
        return []
    named = [g for g in dict.fromkeys(f.key for fs in sentences for f in fs if f.key) if re.search(rf"(?<!\d){re.escape(g)}", q)]
    at = next((i for i, fs in enumerate(sentences) if any(f.label == labels[0] for f in fs)), None)
    parts = [f for f in sentences[at] if f.label == labels[0] and (not named or f.key in named)] if at is not None else []
    others = [f for i, fs in enumerate(sentences) if i != at for f in fs if f.key]
    wholes = [max((f for f in others if f.key == p.key and f.unit == p.unit), key=lambda f: f.value, default=None) for p in parts]
    if not parts or any(w is None or w.value <= p.value for w, p in zip(wholes, parts)):
        return []
    part, whole = sum(p.value for p in parts), sum(w.value for w in wholes)
    groups = ", ".join(p.key for p in parts)
    share = Fact(label=f"{labels[0]} 비중({groups})", value=round(part / whole * 100, 1), unit="%",
                 formula=f"{fmt(part, parts[0].unit)} ÷ {fmt(whole, parts[0].unit)} × 100", inputs=[part, whole], table="passage",
                 section=parts[0].section, source=parts[0].source, lines=parts[0].lines)
    if len(parts) == 1:
        return [share]
    return [share, _sum(parts, f"{labels[0]} 합계({groups})"), _sum(wholes, f"전체 합계({groups})")]  # its inputs, derived too
