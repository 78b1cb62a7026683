"""Stage one of the planner: `read(question, history, names) -> Reading`.

A Reading is what a question asks, decided by the named rules of `question_rules`: whether to refuse, the
intents, the operation, the period, whether prose is wanted, and — for a follow-up — the Reading before it.
It holds no tool calls (that is `route`) and no figures (that is `derive`).

    >>> r = read("신규자과정 예산 합계는?", [], names)   # doctest: +SKIP
    >>> r.op, r.fired["op"]
    ('sum', 'op.sum')
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from knowledge.names import compact

from .mentions import names_something
from .question_rules import ASKING, BARE_ASK, BOTH_YEARS, report_year, split_parts, subject_of, years_named
from .question_rules import (BREAKDOWNS, MEASURES_ASKED, UNITS_ASKED, COMPARE_PREVIOUS, FLAG_RULES, FOLLOWUP_RULES, INTENT_OVERRIDES, INTENT_RULES, OPERATION_RULES, PERIOD_RULES, PROSE_RULES,
                             REFUSAL_RULES)
from .reading import audit_table_terms, unknown_nouns
from .rules import Text, every, fold, winner


@dataclass(frozen=True)
class Linked:
    """An entity of the database a question names (tools.catalog): its kind, name, parent and the words that named it."""

    kind: str
    name: str
    parent: str | None
    text: str
    score: float
    coverage: float = 0.0  # the share of the name the question's words cover


def link(text: str, catalog) -> list[Linked]:
    """The database rows the text names, by the catalog (BM25 over Kiwi morphemes fused with e5); [] without one."""
    if catalog is None:
        return []
    try:
        hits = catalog.mentions(text)
    except Exception:  # noqa: BLE001 - linking is an aid: a question is still read without it
        return []
    return [Linked(h.entity.kind, h.entity.name, h.entity.parent, h.text, h.score, float(getattr(h, "coverage", 0.0) or 0.0))
            for h in hits]


@dataclass
class Reading:
    question: str  # as typed this turn
    effective: str  # a follow-up joined to what it follows
    refuse: str | None = None  # unsafe_request | personal_data | forecast | no_data
    missing: list[str] = field(default_factory=list)  # nouns the report never uses
    intents: set[str] = field(default_factory=set)
    op: str | None = None  # diff | ratio | threshold | sum | remain | forecast_gap | share | times
    threshold: tuple[float, bool] | None = None  # (limit, above)
    strict: bool = True  # 넘/초과/미만/밑 exclude the limit; 이상/이하 include it
    measures: list[str] = field(default_factory=list)  # measures the operation itself asks for ('증감액' of moved lines)
    year: int | None = None  # the period asked, where it is not the report's own
    compare_prev: bool = False  # the previous year's figure is wanted beside this year's
    prose: bool = False
    table_terms: list[str] = field(default_factory=list)  # words only an audit response's table uses
    followup: bool = False
    previous: "Reading | None" = None
    report_year: int | None = None  # from the data: the report's own year …
    budget_years: tuple[int, ...] = ()  # … and the budget years its tables hold
    flags: set[str] = field(default_factory=set)  # the flag rules that match the effective question
    parts: list["Reading"] = field(default_factory=list)  # a multi-part question: one Reading per part asked
    entities: list[Linked] = field(default_factory=list)  # the database rows the question names
    asked_measure: tuple[str, tuple[str, ...]] | None = None  # a measure asked by name: (its name, the label words that state it)
    asked_unit: tuple[str, str] | None = None  # the unit a figure asked is in, and how the report writes one: ("시간", r"\d+\s*h")
    measure_lines: tuple[str, ...] = ()  # the report's lines that state the measure asked (for any entity)
    breakdown_parts: tuple[str, ...] = ()  # the catalog's rows that break a named entity down (for a breakdown asked)
    breakdown: tuple[str, str | None] | None = None  # 'X별': (X, what an instance of X looks like, where a figure writes it)
    fired: dict[str, str] = field(default_factory=dict)  # slot → the rule that decided it
    matched: set[str] = field(default_factory=set)  # the rules of the multi-valued slots (intents, flags) that matched

    @property
    def decided(self) -> set[str]:
        """Every rule that decided something in this Reading."""
        return set(self.fired.values()) | self.matched


def _effective(question: str, previous: Reading | None, names: dict) -> tuple[str, str | None]:
    """The question a follow-up stands for: this turn's words after everything it follows (on any turn)."""
    if previous is None:
        return question, None
    fired = winner(FOLLOWUP_RULES, Text.of(question, names=names))
    if fired:
        return f"{previous.effective} {question}", fired.rule.name
    if len(compact(question)) <= 15 and not names_something(question, names):
        return f"{previous.effective} {question}", "followup.names_nothing"
    return question, None


def _refusal(r: Reading, t: Text, names: dict, report_text: str | None) -> bool:
    fired = winner(REFUSAL_RULES, t)
    if fired:
        r.refuse, r.fired["refusal"] = fired.value, fired.rule.name
        if fired.rule.name == "refuse.other_organisation":
            r.missing = [fired.hit]
        elif fired.rule.name == "refuse.other_audit_year":
            r.missing = [f"{fired.hit}년 행정사무감사"]
        return True
    missing, focus_unknown = unknown_nouns(r.question, report_text)
    if missing:
        r.missing = missing
        breakdown = [w for w in missing if w.endswith("별") or re.search(rf"{re.escape(w)}\s*별", r.question)]
        if focus_unknown or breakdown or not names_something(r.question, names):
            # '연령별 …': a breakdown by a dimension the report never uses cannot be answered by its totals
            r.refuse, r.fired["refusal"] = "no_data", "refuse.unknown_breakdown" if breakdown and not focus_unknown else "refuse.unknown_subject"
            return True
    return False


ORDINAL = re.compile(r"제(?=\d)")


def numbered_rows_named(q: str, names: dict) -> list[str]:
    """The numbered rows of audit-response tables ('4급 창의행정리더십 제3기') the question (without spaces) names
    whole, '제' or not ('4급 창의행정리더십 3기'): a row of a table of events only that table holds."""
    rows = [x for x in names.get("audit_table", []) if re.search(r"\d+\s*(기|회|차)$", x.strip())]
    plain = ORDINAL.sub("", q)
    return [x for x in dict.fromkeys(rows) if len(compact(x)) >= 5 and ORDINAL.sub("", compact(x)) in plain]


def dated_columns_named(question: str, names: dict) -> list[str]:
    """The columns of audit-response tables kept by year ('2023년 만족도(점) 운영') whose year and words the
    question names ('2023년 신입자 교육 운영 만족도와 강사 만족도'): a figure only that table holds."""
    q, asked = compact(question), set(years_named(question))
    out = []
    for col in dict.fromkeys(names.get("audit_table", [])):
        m = re.match(r"^(20\d{2})년\s*(.+)$", col.strip())
        words = [w for w in re.findall(r"[가-힣]{2,}", re.sub(r"\([^)]*\)", " ", m.group(2)))] if m else []
        if m and int(m.group(1)) in asked and words and all(compact(w) in q for w in words):
            out.append(col)
    return out


def _intents(r: Reading, t: Text, names: dict, report_text: str | None) -> None:
    matched = every(INTENT_RULES, t)
    r.intents = {f.value for f in matched}
    r.matched |= {f.rule.name for f in matched}
    override = winner(INTENT_OVERRIDES, t)
    if override:
        r.intents, r.fired["intent_override"] = set(override.value), override.rule.name
    if r.followup:  # a follow-up asking a new kind of thing ('그 사업 담당 팀장은?') takes only the entity from before
        own = {f.value for f in every(INTENT_RULES, Text.of(r.question, names=names))}
        before = r.previous.intents if r.previous is not None else set()
        if own - {"rank", "findings"} - before:  # a new kind, not the same kind asked again ('그중 집행률은?')
            r.intents, r.fired["intent_override"] = own, "followup.new_kind"
    r.table_terms = [w for w in audit_table_terms(names, report_text) if w in t.q] + numbered_rows_named(t.q, names) \
        + dated_columns_named(t.raw, names)
    if r.table_terms:  # a figure only a table inside an audit response holds ('현업적용도', '수수율')
        r.intents.add("audit")


def _operation(r: Reading, t: Text) -> None:
    fired = winner(OPERATION_RULES, t)
    if not fired:
        return
    r.fired["op"] = fired.rule.name
    r.op = fired.value["op"]
    r.threshold = fired.value.get("threshold")
    r.strict = fired.value.get("strict", True)
    r.measures = list(fired.value.get("measures", []))


def _period(r: Reading, t: Text) -> None:
    if winner(COMPARE_PREVIOUS, t):
        r.compare_prev, r.fired["compare_prev"] = True, "compare.previous_year"
    fired = winner(PERIOD_RULES, t)
    both = winner(BOTH_YEARS, t)
    if both and fired and fired.rule.name != "period.other_year":
        r.compare_prev, r.fired["period"] = True, both.rule.name  # both years asked: no one period narrows the rows
    elif fired:
        r.year, r.fired["period"] = fired.value, fired.rule.name
        if fired.rule.name == "period.other_year":
            r.intents.add("other_year")
    elif r.followup and r.previous is not None and r.previous.year and not years_named(r.question):
        # '그중 집행액은?' keeps the period asked before; '2025년은?' names its own
        r.year, r.fired["period"] = r.previous.year, "followup.keeps_period"
        r.compare_prev = r.compare_prev or r.previous.compare_prev
        if "other_year" in r.previous.intents:
            r.intents.add("other_year")


def parts_of(entities: list[Linked], catalog) -> tuple[str, ...]:
    """The names of the catalog's rows that break the linked entities down (tools.catalog.Catalog.parts)."""
    out: list[str] = []
    for e in entities:
        found = catalog.get(e.kind, e.name)
        out += [p.name for p in (catalog.parts(found) if found else [])]
    return tuple(dict.fromkeys(out))


def _asked(r: Reading, t: Text, report_text: str | None) -> None:
    """The measure a question names and the breakdown it asks for (answerability checks them against the data)."""
    for slot, table in (("asked_measure", MEASURES_ASKED), ("breakdown", BREAKDOWNS), ("asked_unit", UNITS_ASKED)):
        fired = winner(table, t)
        if fired:
            setattr(r, slot, fired.value)
            r.fired[slot] = fired.rule.name
    if r.asked_measure and report_text:
        r.measure_lines = measure_lines(report_text, r.asked_measure[1])


def measure_lines(report_text: str, cues: tuple[str, ...], body: int = 40) -> tuple[str, ...]:
    """The report's lines that state a measure: those that name it, and the rows of a table whose header does
    (the rows under '… 만족도(점)' name their categories, not the measure)."""
    folded = [fold(compact(c)) for c in cues]
    lines = report_text.splitlines()
    out: list[str] = []
    for i, ln in enumerate(lines):
        if any(c in fold(compact(ln)) for c in folded):
            out.append(ln)
            if "\t" in ln:  # a table's header: its rows follow while they stay tab-separated
                rows = [x for x in lines[i + 1 : i + 1 + body]]
                out += [x for x in rows[: next((j for j, x in enumerate(rows) if "\t" not in x), len(rows))]]
    return tuple(dict.fromkeys(out))


def read(question: str, history: list[str], names: dict, report_text: str | None = None, split: bool = True,
         catalog=None) -> Reading:
    """What the question asks, with the database's names (`ToolContext.vocabulary`) and the report's text."""
    # an earlier turn is read for what a follow-up keeps of it (its question, intents, period), not linked nor split
    previous = read(history[-1], history[:-1], names, report_text, split=False) if history else None
    effective, how = _effective(question, previous, names)
    r = Reading(question=question, effective=effective, previous=previous, followup=how is not None,
                report_year=report_year(Text.of("", names=names)), budget_years=tuple(int(y) for y in names.get("years", [])))
    if how:
        r.fired["followup"] = how
    t = Text.of(effective, question, names, report_text)
    if _refusal(r, Text.of(question, names=names, report=report_text), names, report_text):
        return r
    _intents(r, t, names, report_text)
    prose = winner(PROSE_RULES, t)
    r.prose = bool(prose)
    if prose:
        r.fired["prose"] = prose.rule.name
    _period(r, t)
    _operation(r, t)
    _asked(r, t, report_text)
    r.flags = {f.rule.name for f in every(FLAG_RULES, t)}
    r.matched |= r.flags
    r.entities = link(effective, catalog)
    if r.breakdown and catalog is not None:
        r.breakdown_parts = parts_of(r.entities, catalog)
    if split and not r.followup:
        r.parts = _parts(question, names, report_text, catalog)
        if r.parts:
            r.fired["parts"] = "parts.clauses"
    return r


def _own_row_reading(clause: str, names: dict, report_text: str | None, catalog) -> Reading | None:
    """The clause read alone, where the catalog links its own words to a row named whole (coverage 1); else None."""
    alone = read(clause, [], names, report_text, split=False, catalog=catalog)
    return alone if any(e.coverage >= 1.0 and len(e.text.replace(" ", "")) >= 3 for e in alone.entities) else None


# a clause asking what share of a whole it names ('전체 실적에서 몇 % 차지', '그중 몇 %', '전체의 몇 퍼센트')
SHARE_OF_WHOLE = re.compile(r"(전체|총|합계|그\s*중|그\s*가운데)[^?]{0,15}(몇\s*(%|퍼센트|프로)|비중|차지)")


# a noun an interrogative asks the kind of ('어떤 장비가 들어가요?'): asked of the subject before, naming no row
ASKED_KIND = re.compile(r"(어떤|무슨|어느)\s*[가-힣A-Za-z]+")


def _topic_within(clause: str, subject: str) -> str:
    """A subject framed by where it stands ('교육장비 현황에서 | 기타는 몇 개고'): the frame and the topic after it,
    which the next clause is about ('뭐가 포함돼요?' asks of 기타, not of the whole 현황)."""
    m = re.match(rf"\s*{re.escape(subject)}(에서|에|의|중에?)\s+([^\s?]{{1,12}}?)(은|는)\s", clause) if subject else None
    return clause[:m.end(2)].strip() if m and not ASKING.search(m.group(2)) else subject


def _parts(question: str, names: dict, report_text: str | None, catalog=None) -> list[Reading]:
    """Each clause of a multi-part question read on its own; a clause that names nothing is about the
    subject of the clause before it ('5급 승진리더 과정은 몇 주짜리고 | 몇 명이 대상인가요?')."""
    clauses = split_parts(question)
    if len(clauses) < 2:
        return []
    out: list[Reading] = []
    subject = ""
    for clause in clauses:
        own = _topic_within(clause, subject_of(clause))
        inherits = bool(subject) and (not names_something(ASKED_KIND.sub(" ", clause), names) or bool(SHARE_OF_WHOLE.search(clause) or BARE_ASK.match(clause)))
        # (its own subject may be a measure: '집행액은'; a share of a whole is the share of the subject before it:
        # '직무공통 이러닝 수강 인원이 몇 명이고, | 이러닝 전체 실적에서 몇 % 차지해요?')
        alone = _own_row_reading(clause, names, report_text, catalog) if inherits and catalog is not None else None
        inherits = inherits and alone is None  # '… 시간선택제임기제는 몇 명이었어요?': a row of its own the catalog links whole
        # '가장 많이 늘어난 사업은 무엇이고 | 증가액은?': the second part is about the first's answer (not after
        # '어디서 했고': a place asked of the subject, which the next part keeps)
        if inherits and out and ("rank" in out[-1].intents or re.search(r"(무엇|어디(?!\s*(서|에서))|어느|누구|뭐)", out[-1].question)):
            return []
        text = f"{subject} {clause}" if inherits else clause
        subject = own or subject or clause
        part = alone if alone is not None else read(text, [], names, report_text, split=False, catalog=catalog)
        if part.refuse and part.refuse != "no_data":
            return []  # an unsafe or personal clause: the whole question is refused as one
        out.append(part)
    return out
