"""Rendering an answer a person reads: the lead (one to three sentences that answer what was asked),
then a short evidence block; everything else stays in the structured fields.

The composer fills a `Draft` with typed lines (a fact, a derived figure, a verdict, a ranking, an audit
item, a quote, a warning); `render` turns the answer lines into the lead with one template per kind,
and the facts it stated into the answer's `facts` with their roles (answer | input | context).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from knowledge.names import compact
from tools.base import Fact

from .facts import cite, figure_shown, fmt
from .korean import josa
from .lexicon import CHANGE_MEASURES

LEAD_FIGURES = 6  # figures a lead states unless the question asks for a list of more
EVIDENCE_LINES = 5


@dataclass
class Line:
    kind: str  # fact | derived | verdict | count | ranking | text | audit | quote | detail | warning
    text: str = ""  # how the line reads in the evidence block
    facts: list[Fact] = field(default_factory=list)
    role: str = "answer"  # answer | context (context lines never reach the text)
    meta: dict = field(default_factory=dict)


@dataclass
class Draft:
    lines: list[Line] = field(default_factory=list)
    listing: bool = False  # the question asks for every part ('과정별', '각각'): the lead lists them all
    row_context: bool = True  # one figure asked: the rest of its row follows in the lead ('같은 줄에는 …')

    def add(self, line_kind: str, text: str = "", facts=(), role: str = "answer", at: int | None = None, **meta) -> Line:
        line = Line(line_kind, text, list(facts), role, meta)
        if at is None:
            self.lines.append(line)
        else:
            self.lines.insert(at, line)
        return line

    def fact(self, f: Fact, role: str = "answer", named: bool = False) -> Line:
        return self.add("fact", f"{f.label} {fmt(f.value, f.unit)} {cite(f.lines)}", [f], role, named=named)

    def __bool__(self) -> bool:
        return any(l.role == "answer" for l in self.lines)

    def text(self) -> str:
        return "\n".join(l.text for l in self.lines if l.role == "answer")

    def facts(self) -> list[Fact]:
        return [f for l in self.lines for f in l.facts]


# ---------------------------------------------------------------- figures and citations
def figure_count(f: Fact) -> int:
    """How many figures stating a fact puts in the lead (its value, and a derived one's inputs); a value
    written as text ('6.21', '7.21~7.25') counts the figures it reads as."""
    def counted(v) -> int:
        return text_figures(v) if isinstance(v, str) else int(is_figure(v))
    return counted(f.value) + (sum(counted(x) for x in f.inputs) if f.formula else 0)


def is_figure(v) -> bool:
    """Whether a value counts as a figure a reader counts: a number, not an integer up to 12."""
    return isinstance(v, (int, float)) and not (float(v).is_integer() and abs(v) <= 12)


def cites(facts: list[Fact]) -> str:
    spans = list(dict.fromkeys(tuple(f.lines) for f in facts if f.lines))
    if not spans:
        return ""
    return "[" + ", ".join(cite(list(s))[1:-1] for s in spans) + "]"


def entity_of(f: Fact) -> str:
    """The thing a figure is of: its row key, without the measure where the key ends in it (a table cell's
    key is its row and column: '계 신규 개설' is the 신규 개설 of 계)."""
    key = f.key or ""
    if re.fullmatch(r"(합\s*)?계|소계", key) and f.label.find(key) > 0:  # a total row named by its table's subject
        return f"{f.label[:f.label.find(key)].strip()} 전체"
    if f.measure and key.endswith(" " + f.measure):
        return key[: -len(f.measure) - 1].strip()
    m = re.match(r"(계획|실적|전년)\s+(.+)", key) if f.table == "program_metrics" else None
    if m:  # a program's metric row: '교육규모', '추진실적' say their phase; another row names it after
        phase, rest = m.groups()
        return rest if re.search(r"규모|실적|계획", rest) else f"{rest}({phase})"
    return key


def measure_of(f: Fact) -> str:
    if f.measure:
        return f.measure
    if f.key and f.label.startswith(f.key):
        return f.label[len(f.key):].strip() or f.label
    return f.label


def value_text(f: Fact) -> str:
    return fmt(f.value, f.unit)


def _merge_same(facts: list[Fact]) -> list[tuple[Fact, list[Fact]]]:
    """One entry per figure: the same value and unit stated by two tables is one figure, cited twice."""
    out: list[tuple[Fact, list[Fact]]] = []
    for f in facts:
        same = next((g for g in out if g[0].value == f.value and g[0].unit == f.unit and isinstance(f.value, (int, float))
                     and (g[0].key == f.key or _similar_measure(g[0], f) and not _other_rows(g[0], f))), None)
        if same:
            same[1].append(f)
        else:
            out.append((f, [f]))
    return out


def _other_rows(a: Fact, b: Fact) -> bool:
    """Two rows of one table, neither named inside the other ('배움관' and '다솜관' with 지하 1층 each): two figures
    that happen to be equal, not one figure stated twice ('건물' and '건물연면적' of one building area are)."""
    ka, kb = compact(a.key or ""), compact(b.key or "")
    return a.table == b.table and bool(ka and kb) and ka not in kb and kb not in ka


def _similar_measure(a: Fact, b: Fact) -> bool:
    strip = lambda m: re.sub(r"\d{4}년\s*|\(.*?\)|\s", "", m)
    return strip(measure_of(a)) == strip(measure_of(b)) or strip(measure_of(a)) in strip(measure_of(b)) or strip(measure_of(b)) in strip(measure_of(a))


# ---------------------------------------------------------------- sentence templates
def fact_sentence(entries: list[tuple[Fact, list[Fact]]], extra: list | None = None) -> str:
    """'{entity}의 {m1}은 {v1}, {m2}은 {v2}입니다 [lines].' for the figures of one entity; a change of a
    budget line reads as one when the question asked for it, the rest of its row after it."""
    head = entries[0][0]
    entity = entity_of(head)
    change = _change_sentence(entries, extra or [])
    if change:
        return change
    tail = ""
    if extra:  # the rest of the row, apart from the answer
        items = [f"{measure_of(f)} {value_text(f)}" for f, _ in extra]
        tail = " 같은 줄에는 " + josa(", ".join(items), "이") + " 있습니다."
    parts = [josa(measure_of(f), "은") + " " + value_text(f) for f, _ in entries]
    subject = f"{entity}의 " if entity and not measure_of(head).startswith(entity) else ""
    body = ", ".join(parts)
    return f"{subject}{body}입니다 {cites([g for _, gs in entries + (extra or []) for g in gs])}".rstrip() + "." + tail


def _change_sentence(entries: list[tuple[Fact, list[Fact]]], extra: list) -> str | None:
    """A budget line's two years and its change: '… 예산현액은 2025년 X로, 2024년 Y보다 D(R) 줄었습니다'."""
    if not any(f.column in ("change", "change_rate") for f, _ in entries):
        return None  # the change was not asked
    facts = [f for f, _ in entries + extra]
    years = sorted((f for f in facts if f.period and f.column.startswith("amount")), key=lambda f: f.period)
    delta = next((f for f in facts if f.column == "change"), None)
    rate = next((f for f in facts if f.column == "change_rate"), None)
    if len(years) != 2 or delta is None or not isinstance(delta.value, (int, float)):
        return None
    prev, cur = years
    word = "늘었습니다" if delta.value > 0 else "줄었습니다" if delta.value < 0 else "같습니다"
    size = fmt(abs(delta.value), delta.unit) + (f"({fmt(abs(rate.value), rate.unit)})" if rate and isinstance(rate.value, (int, float)) else "")
    rest = [f for f in facts if f not in (prev, cur, delta, rate)]
    tail = ("; " + ", ".join(josa(measure_of(f), "은") + " " + value_text(f) for f in rest)) if rest else ""
    name = f"{entity_of(cur)} 예산현액은" if entity_of(cur) else "예산현액은"
    if delta.value == 0:
        return f"{name} {cur.period}년 {value_text(cur)}으로 {prev.period}년과 같습니다{tail} {cites(facts)}."
    return f"{name} {cur.period}년 {josa(value_text(cur), '으로')}, {prev.period}년 {value_text(prev)}보다 {size} {word}{tail} {cites(facts)}."


def derived_sentence(d: Fact) -> str:
    if d.formula and " + " in d.formula and not re.search(r"[÷×−]", d.formula):  # a sum reads with its inputs: 'A 152명 + B 289명 = 441명'
        return f"{josa(d.label, '은')} {d.formula} = {value_text(d)}입니다 {cites([d])}".rstrip() + "."
    formula = f" ({d.formula})" if d.formula else ""
    return f"{josa(d.label, '은')} {value_text(d)}입니다{formula} {cites([d])}".rstrip() + "."


def ranking_sentence(line: Line) -> str:
    measure, asc, entries = line.meta.get("measure", ""), line.meta.get("asc", False), line.facts
    adj = "낮은" if asc else "높은"
    amount = bool(entries) and entries[0].unit not in ("%", "점", "대 1", ":1")  # an amount is more or less, a rate higher or lower
    if line.meta.get("more_less") or amount:
        adj = "적은" if asc else "많은"
    items = [f"{entity_of(f) or f.label} {value_text(f)} {cites([f])}".rstrip() for f in entries]
    moving = all(isinstance(f.value, (int, float)) and (f.value < 0 if asc else f.value > 0) for f in entries)
    if measure in CHANGE_MEASURES and entries and moving:  # a change ranks by how much it moved: '가장 많이 줄어든', not '증감액이 가장 적은'
        moved = "줄어든" if asc else "늘어난"
        if len(entries) == 1:
            return f"{measure} 기준으로 가장 많이 {moved} 것은 {items[0]}입니다."
        return f"{measure} 기준으로 많이 {moved} 순으로 " + ", ".join(items) + "입니다."
    if len(entries) == 1:
        return f"{josa(measure, '이')} 가장 {adj} 것은 {items[0]}입니다."
    return f"{josa(measure, '이')} {adj} 순으로 " + ", ".join(items) + "입니다."


def count_sentence(line: Line) -> str:
    what, n, unit, facts = line.meta.get("what", ""), line.meta.get("n", 0), line.meta.get("unit", "개"), line.facts
    with_values = len(facts) <= LEAD_FIGURES - 2  # a long list names its rows; their figures are in the evidence
    listed = ", ".join(f"{entity_of(f) or f.label}" + (f"({value_text(f)})" if with_values else "") for f in facts[:12])
    more = f" 외 {len(facts) - 12}개" if len(facts) > 12 else ""
    return f"{josa(what, '은')} {n}{unit}입니다" + (f": {listed}{more} {cites(facts)}".rstrip() if facts else "") + "."


def contradiction_sentence(line: Line) -> str:
    f = line.meta.get("finding") or {}
    if not isinstance(f.get("value_a"), (int, float)) or not isinstance(f.get("value_b"), (int, float)):
        return f"다만 보고서 안에서 수치가 서로 다릅니다: {line.text.split('. ')[0].rstrip('.')}."
    unit = f.get("unit", "")
    what = " ".join(x for x in (f"{f['subject']}의" if f.get("subject") else "", f.get("measure", "")) if x) or "수치"
    gap = f" 두 수치의 차이는 {fmt(round(abs(f['value_a'] - f['value_b']), 2), unit)}입니다." if line.meta.get("gap") else ""
    return (f"다만 보고서 안에서 {josa(what, '이')} 서로 다릅니다: {fmt(f['value_a'], unit)}{_line_spans(f.get('lines_a'))}과 "
            f"{fmt(f['value_b'], unit)}{_line_spans(f.get('lines_b'))}.{gap}")


def _line_spans(lines) -> str:
    """'105, 106, …, 122' or '815-817' as '[105~122행]': runs of lines are one span, each span names 행."""
    nums = sorted({n for a, b in re.findall(r"(\d+)(?:\s*[-~–]\s*(\d+))?", str(lines or ""))
                   for n in range(int(a), int(b or a) + 1)})
    spans: list[list[int]] = []
    for n in nums:
        if spans and n == spans[-1][-1] + 1:
            spans[-1].append(n)
        else:
            spans.append([n])
    return "[" + ", ".join(cite(s)[1:-1] for s in spans) + "]" if spans else ""


def warning_values(line: Line) -> set:
    f = line.meta.get("finding") or {}
    return {v for v in (f.get("value_a"), f.get("value_b")) if isinstance(v, (int, float))}


def count_fact(line: Line) -> Fact:
    m, fs = line.meta, line.facts
    return Fact(label=m.get("what", ""), value=m.get("n", 0), unit=m.get("unit", "개"), formula=f"조건을 만족하는 {m.get('n', 0)}개 행을 센 값",
                inputs=[m.get("n", 0)], section=fs[0].section if fs else "", source=fs[0].source if fs else "",
                lines=[fs[0].lines[0], fs[-1].lines[-1]] if fs and fs[0].lines else [])


def verdict_sentence(line: Line) -> str:
    f = line.facts[0]
    yes = line.meta["yes"]
    return f"{'예' if yes else '아니요'}, {josa(f.label, '은')} {value_text(f)}로 {line.meta['phrase']} {cites([f])}."


def audit_sentence(line: Line) -> str:
    m = line.meta
    request = _clean(m.get("request", ""))
    short = request if len(request) <= 160 else request[:request.rfind(" ", 0, 160)] + " …"
    return f"[{m.get('kind')}] {short} — 추진상황은 {m.get('status')}이며 담당 부서는 {m.get('department')}입니다 {m.get('cite', '')}".rstrip() + "."


def audit_status_sentence(line: Line) -> str:
    m = line.meta
    return f"이 {m.get('kind')} 사항은 {m.get('status')}이며 담당 부서는 {m.get('department')}입니다 {m.get('cite', '')}".rstrip() + "."


CAPTION = re.compile(r"【[^】]*】|<[^<>]{2,60}>|\(단위\s*:[^)]*\)")


def _clean(text: str) -> str:
    text = CAPTION.sub(" ", text)
    text = re.sub(r"^[\s\-○□▶※·•ㅇ◦*]+", "", text)
    text = text.replace(" | ", ", ").replace("|", ", ")
    return re.sub(r"\s+", " ", text).strip(" ,")


def is_table_row(text: str) -> bool:
    return text.count("|") >= 2 or bool(re.fullmatch(r"[\s\d,.%△|()~:\-]+", text))


def quote_sentence(line: Line) -> str:
    text = _clean(line.meta.get("quote", line.text))
    if text and text[-1] not in ".다함임음?!)":
        text += "."
    return f"{text} {line.meta.get('cite', '')}".rstrip()


# ---------------------------------------------------------------- the whole answer
@dataclass
class Rendered:
    text: str
    facts: list[tuple[Fact, str]]  # (fact, role)
    citations: list[dict]


SENTENCES = 3
_FIGURE = re.compile(r"(?<![\d,.])\d{1,3}(?:,\d{3})+(?:\.\d+)?|(?<![\d,.])\d+\.\d+|(?<![\d,.'])\d{2,}(?![\d년월일:])")


DATES = re.compile(r"(?<![\d.,])\d{1,2}\.\s*\d{1,2}\.(?:\s*\d{1,2}\.?)?(?!\d)|\d{1,2}\s*월\s*\d{1,2}\s*일|(?<![\d.,])\d{1,2}:\d{2}")


def text_figures(text: str) -> int:
    """How many figures a reader counts in a text: not line citations, years, dates or times."""
    text = re.sub(r"\[[^\]]*행\]|\d+(?:~\d+)?행|(?:19|20)\d{2}년|'\d{2}", " ", text)
    text = DATES.sub(" ", text)
    return sum(1 for m in _FIGURE.finditer(text) if not (m.group().isdigit() and int(m.group()) <= 12))


class _Lead:
    """The lead being written: its sentences, the facts it states and how many figures it holds."""

    def __init__(self, budget: int, sentences: int = 3):
        self.max_sentences = sentences
        self.shown: list[Line] = []  # lines whose text the answer shows (lead or evidence): their sources are cited
        self.sentences: list[str] = []
        self.stated: list[tuple[Fact, str]] = []
        self.values: set = set()
        self.budget, self.used = budget, 0

    def room(self, figures: int) -> bool:
        return not self.sentences or self.used + figures <= self.budget

    def say(self, sentence: str, facts=(), role: str = "answer", figures: int = 0) -> None:
        self.sentences.append(sentence)
        self.used += figures
        for f in facts:
            self.state(f, role)

    def repeats(self, f: Fact) -> bool:
        """Whether the lead states this figure already (another row's equal figure is not it: _other_rows)."""
        return any(g.value == f.value and g.unit == f.unit and not _other_rows(g, f) for g, _ in self.stated)

    def state(self, f: Fact, role: str) -> None:
        if all(f is not g for g, _ in self.stated):
            self.stated.append((f, role))
            self.values.add((f.value, f.unit))


def _fact_groups(lines: list[Line]) -> list[list[tuple[Fact, list[Fact]]]]:
    """Merged figures grouped by entity, in the order the composer put them."""
    groups: dict[str, list[tuple[Fact, list[Fact]]]] = {}
    for entry in _merge_same([l.facts[0] for l in lines]):
        f = entry[0]  # an audit response's table cell ('계') is its table's, not a row of the same name elsewhere
        groups.setdefault(entity_of(f) + ("|" + f.table if f.table.startswith("audit") else ""), []).append(entry)
    return list(groups.values())


def _say_facts(lead: _Lead, lines: list[Line], overflow: list, context: list[Fact] = ()) -> None:
    groups = _fact_groups(lines)
    singles = [g[0] for g in groups if len(g) == 1]
    if len(groups) > lead.max_sentences and len(singles) == len(groups) and len({measure_of(e[0]) for e in singles}) == 1:
        entries = [e for e in singles if not lead.repeats(e[0])]
        take = entries[: max(1, lead.budget - lead.used)]
        items = ", ".join(f"{entity_of(f)} {value_text(f)} {cites(g)}".rstrip() for f, g in take)
        lead.say(f"{josa(measure_of(take[0][0]), '은')} {items}입니다.", [x for _, g in take for x in g], figures=len(take)) if take else None
        overflow += [(f"{f.label} {value_text(f)} {cites(g)}", g) for f, g in entries[len(take):]]
        return
    for group in groups:
        entries = [e for e in group if not lead.repeats(e[0])]
        take = []
        for e in entries:
            n = figure_count(e[0])
            if (lead.room(n) or not take and not lead.sentences) and len(lead.sentences) < lead.max_sentences:
                take.append(e)
                lead.used += n
            else:
                overflow.append((f"{e[0].label} {value_text(e[0])} {cites(e[1])}", e[1]))
        extra = _row_context(lead, take, context) if len(groups) == 1 else []
        if take:
            lead.sentences.append(fact_sentence(take, extra))
            for _, g in take:
                for f in g:
                    lead.state(f, "answer")
            for _, g in extra:
                for f in g:
                    lead.state(f, "context")


def _row_context(lead: _Lead, take: list, context: list[Fact]) -> list:
    """The other figures of the one row an answer names, while the lead has room: the row read whole."""
    entities = {entity_of(f) for _, g in take for f in g}
    known = {(f.value, f.unit) for _, g in take for f in g} | lead.values
    extra = []
    for e in _merge_same([f for f in context if entity_of(f) in entities and (f.value, f.unit) not in known]):
        n = figure_count(e[0])
        if lead.used + n > lead.budget:
            break
        extra.append(e)
        lead.used += n
    return extra


def _beside(line: Line, computed: list[Line], every: list[Fact]) -> bool:
    """A figure that stays in the lead beside a computation: one the question names by its measure, or
    one of the rows the computation stands on."""
    if line.meta.get("named"):
        return True
    f = line.facts[0]
    rows = {entity_of(g) for c in computed for d in c.facts for g in _inputs_of(d, every)} | {entity_of(d) for c in computed for d in c.facts}
    return bool(entity_of(f)) and any(entity_of(f) == r or entity_of(f) in r for r in rows if r)


def _inputs_of(d: Fact, facts: list[Fact]) -> list[Fact]:
    return [f for f in facts if isinstance(f.value, (int, float)) and any(f.value == x for x in d.inputs)]


SAYERS = {"ranking": ranking_sentence, "count": count_sentence, "verdict": verdict_sentence, "audit": audit_sentence}



def render(draft: Draft, budget: int = LEAD_FIGURES) -> Rendered:
    """The lead from the answer lines (one template per kind), then the evidence, each source once."""
    answer = [l for l in draft.lines if l.role == "answer"]
    listed = max((len(l.facts) for l in answer if l.kind in ("ranking", "count")), default=0)
    if draft.listing:
        listed = max(listed, sum(figure_count(f) for l in answer if l.kind == "fact" for f in l.facts))
    lead = _Lead(max(budget, listed + 2), sentences=8 if draft.listing else SENTENCES)
    overflow: list[tuple[str, list[Fact]]] = []
    every = [f for l in answer for f in l.facts]
    body = [l for l in answer if l.kind != "warning"]
    warnings, apart = _relevant_warnings([l for l in answer if l.kind == "warning"], body)
    overflow += [(w.text, []) for w in apart]
    i = 0
    while i < len(body):
        l = body[i]
        lead.shown.append(l)
        if l.meta.get("evidence_only"):
            i += 1
            overflow.append((l.text, l.facts))
            continue
        computed = [x for x in lead.shown[:-1] if x.role == "answer" and x.kind in ("derived", "verdict", "count", "ranking")]
        if l.kind == "fact" and computed and lead.sentences and not _beside(l, computed, every):  # a computation answers; the figures beside it are evidence
            i += 1
            if not any(f is g or (f.value, f.unit) == (g.value, g.unit) for f in l.facts for g, _ in lead.stated):
                overflow.append((l.text, l.facts))
            continue
        if l.kind == "fact":
            j = i
            while j < len(body) and body[j].kind == "fact" and not body[j].meta.get("evidence_only") \
                    and (j == i or not (computed and lead.sentences) or _beside(body[j], computed, every)):
                j += 1  # (beside a computation, only the figures it stands on: the other rows are evidence)
            context = [f for x in draft.lines if x.role == "context" and x.kind == "fact" for f in x.facts] if draft.row_context else []
            _say_facts(lead, body[i:j], overflow, context)
            i = j
            continue
        i += 1
        full = len(lead.sentences) >= lead.max_sentences
        if l.kind == "derived":
            _say_derived(lead, l, every, overflow, full)
        elif l.kind in SAYERS:
            _say_kind(lead, l, overflow, full)
        elif l.kind == "quote":
            _say_quote(lead, l, draft, answer, overflow)
        elif l.kind == "text":
            if full or not lead.room(text_figures(l.text)):
                overflow.append((l.text, l.facts))
                continue
            lead.say(_clean(l.text).rstrip(".") + ".", l.facts, figures=text_figures(l.text))
        else:  # detail: evidence only
            overflow.append((l.text, l.facts))
    for w in warnings[:2]:  # a contradiction stands in the lead, with both figures and where each stands
        lead.sentences.append(contradiction_sentence(w))
    return Rendered(_join(lead, overflow), lead.stated, _citations(lead.stated, lead.shown))


def _relevant_warnings(warnings: list[Line], body: list[Line]) -> tuple[list[Line], list[Line]]:
    """The contradictions about a figure the answer states (its answer lines, not the rest of a row)
    stand in the lead; one about another figure of the same rows is evidence."""
    said = [l for l in body if not l.meta.get("evidence_only")]
    stated = {f.value for l in said if l.kind in ("fact", "derived", "verdict", "ranking", "count") for f in l.facts}
    stated |= {x for l in said if l.kind == "derived" for f in l.facts for x in f.inputs}
    keep = [w for w in warnings if not warning_values(w) or warning_values(w) & stated]
    return keep[:2], [w for w in warnings if w not in keep[:2]]


def _say_derived(lead: _Lead, l: Line, every: list[Fact], overflow: list, full: bool) -> None:
    """A computed figure with its formula; its inputs are stated as inputs."""
    d = l.facts[0]
    n = figure_count(d)
    if full or not lead.room(n) and lead.sentences:
        overflow.append((l.text, l.facts))
        return
    src = l.meta.get("converted")
    sentence = (f"{josa(src.label, '은')} {value_text(src)}(약 {value_text(d)}, {d.formula})입니다 {cites([src])}." if src
                else derived_sentence(d))
    lead.say(sentence, [d] + ([src] if src else []), figures=n)
    for f in _inputs_of(d, every):
        lead.state(f, "input")


def _say_kind(lead: _Lead, l: Line, overflow: list, full: bool) -> None:
    """A ranking, count, verdict or audit item, by its own template."""
    n = sum(figure_count(f) for f in l.facts)
    quoted = any(x.kind == "quote" for x in lead.shown[:-1]) and l.kind == "audit"
    if quoted and _said(lead, "audit") == 0 and len(lead.sentences) <= SENTENCES:  # the item a quote stands in
        lead.say(audit_status_sentence(l), l.facts)
        return
    others = any(x.kind != "audit" for x in lead.shown[:-1] if x.role == "answer" and x.kind != "detail")
    if full and l.kind != "verdict" or l.kind == "audit" and (others and lead.sentences or _said(lead, "audit") >= 2):
        overflow.append((l.text, l.facts))
        return
    sentence = SAYERS[l.kind](l)
    if l.kind == "verdict":  # 예/아니요 first
        lead.sentences.insert(0, sentence)
        lead.used += n
        for f in l.facts:
            lead.state(f, "answer")
    else:
        lead.say(sentence, l.facts, figures=n)
        if l.kind == "count":  # the count itself is a derived figure: it is stated with its inputs
            lead.state(count_fact(l), "answer")


def _say_quote(lead: _Lead, l: Line, draft: Draft, answer: list[Line], overflow: list) -> None:
    """A sentence of the report, cleaned; more than a few, or from another section, go to the evidence."""
    if len(_clean(l.meta.get("quote", ""))) < 4:  # a caption or a header only: nothing to say
        return
    n = text_figures(l.meta.get("quote", ""))
    restated = [v for v, _ in lead.values if figure_shown(v, DATES.sub(" ", l.meta.get("quote", "")))]
    if sum(1 for v in restated if is_figure(v)) >= 2 and is_table_row(l.meta.get("quote", "")):  # the row stated already: evidence
        overflow.append((quote_sentence(l), []))
        return
    if len(restated) >= 2:  # the report's own sentence of the figures stated, with more detail ('집합교육 47개 과정 …')
        l.meta["lead_ok"] = True
        n = max(0, n - sum(1 for v in restated if is_figure(v)))
    first = next((x for x in lead.shown if x.kind == "quote"), None)
    apart = first is not None and (first.meta.get("citation") or {}).get("section") != (l.meta.get("citation") or {}).get("section")
    quotes_max = (6 if draft.listing else 2) if any(x.kind == "audit" for x in answer) else lead.max_sentences + 1
    if len(lead.sentences) > lead.max_sentences or apart or _said(lead, "quote") >= quotes_max \
            or lead.sentences and (not lead.room(n) or not l.meta.get("lead_ok", True)):
        overflow.append((quote_sentence(l), []))
        return
    lead.say(quote_sentence(l), figures=n)


def _said(lead: _Lead, kind: str) -> int:
    return sum(1 for x in lead.shown if x.kind == kind) - 1


def _join(lead: _Lead, overflow: list[tuple[str, list[Fact]]]) -> str:
    evidence = _evidence_lines(lead.stated)
    rest = [o for o in overflow if o[0]][: max(2, EVIDENCE_LINES + 1 - len(evidence))]
    for _, fs in rest:  # figures the evidence block shows are stated too, as context
        for f in fs:
            lead.state(f, "context")
    block = (["근거:"] + evidence if evidence else []) + (["함께 볼 내용:"] + [f"- {_clean(o)}" for o, _ in rest] if rest else [])
    return " ".join(lead.sentences) + ("\n\n" + "\n".join(block) if block else "")


def _evidence_lines(stated: list[tuple[Fact, str]]) -> list[str]:
    """One line per source span of the stated facts: where it stands and what it gives."""
    spans: dict[tuple, list[Fact]] = {}
    for f, role in stated:
        if f.lines and not f.formula:
            spans.setdefault((f.section, tuple(f.lines)), []).append(f)
    out = []
    for (section, lines), fs in list(spans.items())[:EVIDENCE_LINES]:
        where = section.split(" > ")[-1] if section else ""
        what = ", ".join(dict.fromkeys(f"{f.label} {value_text(f)}" for f in fs[:4]))
        out.append(f"- {where} {cite(list(lines))}: {what}".replace("-  ", "- "))
    return out


def _citations(stated: list[tuple[Fact, str]], lines: list[Line]) -> list[dict]:
    out: dict[tuple, dict] = {}
    for f, _ in stated:
        if f.lines:
            out.setdefault((f.source, tuple(f.lines)), {"section": f.section, "source": f.source, "lines": list(f.lines),
                                                        "quote": f"{f.label} {value_text(f)}"})
    for l in lines:
        c = l.meta.get("citation")
        if not c:
            continue
        if l.kind in ("text", "detail"):  # the line as shown is what the source gives
            c = {**c, "quote": l.text}
        key = (c.get("source", ""), tuple(c.get("lines") or []))
        if key in out:  # one entry per span: quotes from the same lines are joined
            if c.get("quote") and c["quote"] not in out[key]["quote"]:
                out[key] = {**out[key], "quote": out[key]["quote"] + " … " + c["quote"]}
        else:
            out[key] = dict(c)
    return list(out.values())
