"""What the report does not hold for the thing a question names, decided from the tool results.

Three checks, after retrieval (`planner.answerability`), each from the data and not from a list of questions:

- a measure asked by name (Reading.asked_measure: 만족도, 경쟁률, 현원 …) that no fact of the entity the
  question names states, nor a passage line beside that entity ('행복한 정년퇴직 준비 과정의 만족도': its
  rows hold 횟수 and 인원 only; '일반행정 9급 직류만의 경쟁률': only the rounds have one);
- a breakdown 'X별' (Reading.breakdown) where the rows behind the figure hold no instance of X (the report
  gives totals, or another breakdown: 'e-러닝 수강인원 월별' where its rows are 분야별);
- a year named in the question that the facts of the measure asked do not cover (a table of earlier years).

Each returns the reason in Korean, naming what the report holds instead, with no figure of its own (a
year or a total it would state is one the tools returned only where it is quoted from them).
"""

from __future__ import annotations

import re

from knowledge.names import canonical, compact
from tools.base import Fact, ToolResult

from .facts import MENTION_GENERIC, fact_measure, label_years, marks_of
from .korean import josa
from .lexicon import QUESTION_NOUNS
from .question_rules import MEASURES_ASKED, years_named
from .rules import fold

FIGURE = re.compile(r"\d[\d,.]*\s*(명|개|회|건|천원|원|%|점)")
TYPED_SKIP = ("search_documents", "get_findings", "get_contacts")


def typed_facts(results: list[ToolResult]) -> list[Fact]:
    """The figures the typed tools returned (not passages, findings or contacts)."""
    return [f for r in results if r.tool not in TYPED_SKIP and r.found for f in r.facts]


def passage_lines(results: list[ToolResult]) -> list[str]:
    return [ln for r in results for p in r.passages for ln in re.split(r"\n|(?<=[다음함임])\.\s", p.text) if ln.strip()]


def _states(f: Fact, cues: tuple[str, ...]) -> bool:
    text = fold(compact(f"{f.label} {f.measure}"))
    return any(fold(compact(c)) in text for c in cues)


def _free_of(text: str, cues: tuple[str, ...]) -> bool:
    return not any(compact(c) in compact(text) for c in cues)


def _span_name(e, question: str) -> str:
    """How a refusal names a linked entity: its own name where the question wrote part of it ('인재채용' → '인재채용과')."""
    return e.name if compact(e.text) in compact(e.name) and quotable(e.name, question) else e.text


def subject_words(reading, cues: tuple[str, ...] = ()) -> list[str]:
    """The naming words of the entities the question names (the spans the catalog linked), without
    generic words, words of the question language and the measure's own words."""
    out: list[str] = []
    for e in reading.entities if reading else []:
        for w in re.findall(r"[가-힣A-Za-z0-9]+", e.text):
            w = re.sub(r"(은|는|을|를|의|에서|만)$", "", w)
            if len(w) >= 2 and w not in MENTION_GENERIC and w not in QUESTION_NOUNS and not any(compact(c) in compact(w) for c in cues):
                out.append(w)
    return list(dict.fromkeys(out))


def _names(text: str, words: list[str]) -> bool:
    c, cc = compact(text), canonical(text)
    return any(compact(w) in c or canonical(w) in cc for w in words)


def _names_marked(text: str, words: list[str]) -> bool:
    """A line that names the thing, by its round or cohort mark too where it has one ('2회 임용시험': not the 1st
    round's line, which shares '임용시험' only)."""
    marks = marks_of("|".join(words))
    return _names(text, words) and (not marks or any(m in compact(text) for m in marks))


MEASURE_CUES = frozenset(cue for rule in MEASURES_ASKED for cue in rule.cues)


def _names_long(text: str, words: list[str]) -> bool:
    """A line that names every long word of the thing ('창의행정 리더십': not the 리더십역량 row of the training
    table, which shares '리더십' only); words of two letters are too common to require, and a word that is a
    measure asked ('만족도랑' of '만족도랑 현업적용도') is no word of the thing."""
    return all(_names(text, [w]) for w in words if len(compact(w)) >= 3 and not any(m in compact(w) for m in MEASURE_CUES))


def _row_named(line: str, words: list[str]) -> bool:
    """A table row whose name (its text before the first figure: 'I T' of 'I T  60  136 …') is part of a
    naming word of the question ('IT전문교육')."""
    name = compact(re.sub(r"\([^)]*\)", "", re.split(r"\d", line, maxsplit=1)[0]))
    return "\t" in line and len(name) >= 2 and any(name in compact(w) for w in words)


def quotable(name: str, question: str) -> bool:
    """A name a refusal may quote: every number in it is one the question itself holds (a refusal states no figure)."""
    asked = set(re.findall(r"\d+", question))
    return all(n in asked for n in re.findall(r"\d+", name))


def _held(facts: list[Fact], limit: int = 6) -> str:
    """What the rows found state instead, in words: '횟수, 인원' (no figures)."""
    ms = list(dict.fromkeys(m for f in facts if (m := re.sub(r"\([^)]*\)", "", fact_measure(f)).strip()) and not re.search(r"\d", m)))
    return ", ".join(ms[:limit])


def _subject(facts: list[Fact], words: list[str]) -> str:
    keys = [f.key for f in facts if f.key and not re.search(r"\d", f.key)]
    words = [w for w in words if not re.search(r"\d", w)] or words
    return " ".join(words) if words else (keys[0] if keys else "이 항목")


def missing_measure(reading, results: list[ToolResult]) -> str | None:
    """(a) The measure asked is stated for no row of the entity named, nor in a passage line about it."""
    if not reading or not reading.asked_measure:
        return None
    name, cues = reading.asked_measure
    facts = typed_facts(results)
    words = subject_words(reading, cues)
    stating = [f for f in facts if _states(f, cues)]
    own = [f for f in stating if not words or _names_marked(f"{f.key} {f.label}", words)]
    if own:
        return None
    if any(fold(compact(c)) in fold(compact(f.section)) for f in facts for c in cues if len(compact(c)) >= 2):
        return None  # the table is of that thing ('노후 장비가 몇 개': the rows of the 교육장비 table count it)
    lines = [ln for ln in passage_lines(results) if any(fold(compact(c)) in fold(compact(ln)) for c in cues)]
    lines += list(getattr(reading, "measure_lines", ()))
    numbered = bool(marks_of("|".join(words)))  # '2회': the line that states it must name the round itself
    if not stating and not numbered:  # no row states it for anything: a passage about the thing named may (in its prose)
        lines += [f"{p.section} {ln}" for r in results for p in r.passages for ln in p.text.splitlines()
                  if any(fold(compact(c)) in fold(compact(ln)) for c in cues) and FIGURE.search(ln)]  # its line, under its title
    if any(_names_marked(ln, words) and _names_long(ln, words) or _row_named(ln, words) if words else FIGURE.search(ln) for ln in lines):
        return None  # a sentence of the report states it for the thing named (retrieved or not)
    if not facts and not lines and not reading.entities:
        return None  # nothing found at all: `_nothing_found` says so
    spans = [_span_name(e, reading.question) for e in reading.entities if quotable(e.text, reading.question) and _free_of(e.text, cues)]
    subject = spans[0] if spans else _subject(facts, words)
    text = f"보고서에는 {subject}의 {name} 수치가 없어 답할 수 없습니다."
    if stating:
        others = [k for k in dict.fromkeys(f.key for f in stating if f.key) if quotable(k, reading.question)][:3]
        text += f" 찾은 자료의 {josa(name, '은')} {', '.join(others)}의 수치로, {subject}의 수치가 아닙니다." if others else ""
    held = _held([f for f in facts if f not in stating and (not words or _names(f"{f.key} {f.label}", words))])
    return text + (f" {subject}에 대해 보고서에 있는 항목은 {held} 등입니다." if held else "")


def _instances(pattern: str | None, word: str, facts: list[Fact], results: list[ToolResult]) -> bool:
    """Whether the rows behind the figure hold instances of the dimension: rows written like one
    ('6월', '3기'), or rows whose names or table carry the dimension's word ('분야별', '…과', '본관동')."""
    rows = [str(v) for r in results if r.tool not in TYPED_SKIP for row in r.rows for k, v in row.items() if isinstance(v, str) and k != "section"]
    names = [f"{f.key} {f.label}" for f in facts] + [v for v in rows if len(v) <= 20]
    if pattern and any(re.search(pattern, n) for n in names):
        return True
    w = compact(word)
    if len(w) >= 2 and any(w in compact(n) for n in names):
        return True
    if len(w) >= 2 and any(w in compact(v) for v in rows):
        return True
    keys = [k for f in facts for k in re.findall(r"[가-힣A-Za-z0-9]+", f.key)]
    return len(w) == 1 and any(k.endswith(w) and len(k) > 1 for k in keys + [compact(v) for v in rows if len(v) <= 20])


def missing_breakdown(reading, results: list[ToolResult]) -> str | None:
    """(b) 'X별' where the rows behind the figure hold no instance of X and no line of the report gives one."""
    if not reading or not reading.breakdown or not (reading.asked_measure or figure_asked(reading)):
        return None
    word, pattern = reading.breakdown
    facts = typed_facts(results)
    if not facts or _instances(pattern, word, facts, results):
        return None
    if compact(word) in ROW_DIMENSIONS and len({f.key for f in facts if f.key}) >= 2:
        return None  # '종류별', '항목별': by the table's own rows, whatever they are
    if pattern is None and len(getattr(reading, "breakdown_parts", ())) >= 2:
        return None  # the catalog breaks the thing named down into rows ('집합교육' into its 분야): a breakdown the report has
    if any((compact(word) + "별" in compact(ln) or pattern and re.search(pattern, ln)) and len(FIGURE.findall(ln)) >= 2
           for ln in passage_lines(results)):
        return None  # a passage gives the breakdown, with its figures
    named_by = re.search(rf"{re.escape(word)}\s*별\s*([가-힣]{{2,}})", reading.question)  # '직위별 리더십': a name, if the report's
    if named_by and any(compact(f"{word}별{named_by.group(1)}") in compact(ln) for ln in passage_lines(results)):
        return None  # lines hold it as one ('「직위별 리더십」 개설·운영'), not a breakdown asked
    q = compact(reading.question)
    named = [(f, m) for f in facts if (m := compact(re.sub(r"\([^)]*\)", "", f.measure or fact_measure(f)))) and m in q]
    longest = max((len(m) for _, m in named), default=0)  # the figure asked: '응시인원' over '인원'
    asked = [f for f, m in named if len(m) == longest]
    asked = [f for f in asked if f.table == asked[0].table]  # of the first table that states it
    phased = bool(asked) and all(re.match(r"(계획|실적)\s", f.key) for f in asked)  # a program's plan and actual rows
    keys = [] if phased else [k for k in dict.fromkeys(f.key for f in asked if f.key) if quotable(k, reading.question)][:5]
    text = f"보고서에는 {word}별로 나눈 수치가 없어 답할 수 없습니다. 보고서는 이 수치를 {word}별로 나누지 않고"
    if len(keys) == 1:
        return text + f" {keys[0]} 전체로만 제시합니다."
    return text + (f" {', '.join(keys)} 단위로만 제시합니다." if keys else " 계획과 실적의 합계로만 제시합니다." if phased else " 합계로만 제시합니다.")


# dimensions that mean "by row" of whatever table answers: its rows are their instances
ROW_DIMENSIONS = ("종류", "유형", "항목", "품목", "종목", "구분", "분류")


def figure_asked(reading) -> bool:
    """The question asks a figure (a count, an amount, a rate), not words ('부서별 담당 업무')."""
    return bool(FIGURE_WORDS.search(compact(reading.question)))


FIGURE_WORDS = re.compile(r"몇|얼마|인원|참가자|교육생|수강|응시|수치|통계|분포|비율|금액|예산|집행|점수|명수|건수|규모|실적")


def _year_of(f: Fact) -> int | None:
    years = ([f.period] if f.period else []) or label_years(f.label) or label_years(f.section)
    return years[0] if years else None


def missing_period(reading, results: list[ToolResult]) -> str | None:
    """(c) A year the question names that no fact of the measure asked belongs to (the table holds other years)."""
    if not reading or not reading.asked_measure or "budget" in reading.intents:
        return None
    asked = years_named(reading.question)
    name, cues = reading.asked_measure
    words = subject_words(reading, cues)
    stating = [f for f in typed_facts(results) if _states(f, cues)]
    stating = [f for f in stating if words and _names(f"{f.key} {f.label}", words)] or stating  # the entity's own, where it has them
    years = {_year_of(f) for f in stating}
    if not asked or not stating or None in years or any(y in years for y in asked):
        return None
    year = asked[0]
    lines = [ln for ln in passage_lines(results) if any(fold(compact(c)) in fold(compact(ln)) for c in cues)
             and re.search(rf"{year}|'{str(year)[2:]}", ln) and (not words or _names(ln, words)) and FIGURE.search(ln)]
    if lines:
        return None
    when = "그보다 앞선 해" if all(y < year for y in years if y) else "다른 해"
    return f"보고서에는 {year}년 {name} 값이 없어 답할 수 없습니다. 보고서에 있는 {josa(name, '은')} {when}의 값뿐입니다."
