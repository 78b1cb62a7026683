"""Figures computed from tool results, only from what the question names, each with its formula and inputs:
differences and %p gaps, sums of things listed, ratios, shares, plan against actual, rankings of a ratio,
counts of a table's rows, remaining balances, and measures the report never names (결시, 노후도)."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from knowledge.names import canonical, compact, line_key
from tools.base import Fact

from .question_rules import asks
from .extract import bigrams_of
from .facts import (MEASURE_LABELS, is_prior, marks_of, latest_year, of_earlier_year, common_prefix, is_total, label_words, measure_named, fact_measure, mention_count, mentions_label,
                    most_named, same_measure, fmt, has, top_n)
from .lexicon import DERIVED_MEASURES, DERIVED_RATIOS, QUESTION_NOUNS, STORED_RATES

if TYPE_CHECKING:
    from .route import Plan


def _plan_actual(facts: list[Fact], question: str = "") -> tuple[Fact, Fact] | None:
    """A planned figure and its actual (or completed) counterpart with the same unit; figures of rows the
    question names come first, and people (명) before counts of courses or sessions."""
    q = compact(question)
    unit = "회" if asks("unit.sessions_compared", q) else "개" if re.search(r"과정수(?!료)|몇개과정|개과정", q) else "명"
    nums = [f for f in facts if isinstance(f.value, (int, float)) and f.unit and f.unit != "%"]
    nums.sort(key=lambda f: (-mention_count(q, f.key) if q else 0, f.unit != unit))
    for a in nums:
        if "계획" not in a.label:
            continue
        for b in nums:
            if b is a or b.unit != a.unit or not any(w in b.label for w in ("실적", "수료", "실시")):
                continue
            same_row = a.key == b.key and a.lines == b.lines
            same_thing = re.sub(r"\((계획|실적)\)", "", a.label.split(" ")[0]) != "" and (
                same_row or (a.table == b.table == "program_metrics" and a.label.endswith(b.label.split(" ")[-1])))
            if (same_row or same_thing) and same_measure(a, b) or same_row:
                return a, b
    return None


def _two_of_one_row(facts: list[Fact]) -> tuple[Fact, Fact] | None:
    nums = [f for f in facts if isinstance(f.value, (int, float)) and f.unit and f.unit != "%"]
    for a in nums:
        for b in nums:
            if a is not b and a.key == b.key and a.unit == b.unit and a.value < b.value:
                return a, b
    return None


def _diff_fact(a: Fact, b: Fact) -> Fact:
    """a − b as a derived fact (a percentage-point gap between two rates)."""
    d = round(a.value - b.value, 2) if isinstance(a.value, float) or isinstance(b.value, float) else a.value - b.value
    return Fact(label=f"차이({a.label} − {b.label})", value=d, unit="%p" if a.unit == "%" else "" if a.unit == ":1" else a.unit,
                formula=f"{fmt(a.value, a.unit)} − {fmt(b.value, b.unit)}", inputs=[a.value, b.value],
                source=a.source, section=a.section, lines=a.lines)


def _ratio_fact(num: Fact, den: Fact, label: str) -> Fact:
    """num ÷ den × 100 as a derived fact."""
    return Fact(label=label, value=round(num.value / den.value * 100, 1), unit="%",
                formula=f"{fmt(num.value, num.unit)} ÷ {fmt(den.value, den.unit)} × 100", inputs=[num.value, den.value],
                source=num.source, section=num.section, lines=num.lines)


def _row_fact(row: dict, label: str, value, formula: str, inputs: list) -> Fact:
    return Fact(label=label, value=value, unit="천원", formula=formula, inputs=inputs, section=row.get("section", ""),
                lines=[row.get("line_start", 0), row.get("line_end", 0)], table=row.get("table", ""), key=row.get("name", ""))


def _distinct_parts(fs: list[Fact]) -> list[str]:
    """What tells each row apart from the others of its group: its compact key without the prefix and suffix
    they all share ('집합 소계' / 'e-러닝 소계' → '집합' / 'e-러닝'), one more letter when that leaves one ('1' → '1회')."""
    keys = [compact(f.key) for f in fs]
    pre = len(common_prefix(keys))
    suf = len(common_prefix([k[::-1] for k in keys]))
    parts = []
    for k in keys:
        part = k[pre : len(k) - suf] if len(k) - suf > pre else ""
        if len(part) < 2 and part:
            part = k[pre : len(k) - suf + 1]
        parts.append(part)
    return parts


def _named_apart(fs: list[Fact], question: str) -> list[Fact]:
    """The facts (one measure, several rows) whose distinguishing part of the row name the question names:
    '집합 소계' / 'e-러닝 소계' are told apart by '집합' / 'e-러닝', '제1회 …' / '제2회 …' by '1회' / '2회'."""
    if len({compact(f.key) for f in fs}) < 2:
        return []
    cq, q = canonical(question), compact(question)
    asked_marks = set(marks_of(question))
    parts = _distinct_parts(fs)
    marked = [set(marks_of(p)) for p in parts]
    unique = [m - set().union(*(o for j, o in enumerate(marked) if j != i)) for i, m in enumerate(marked)]

    def named(part: str, own_marks: set[str]) -> bool:  # by the part, or by a mark only it has ('6급' of '6급미래인재양성')
        return len(part) >= 2 and (part in q or canonical(part) in cq or bool(own_marks & asked_marks))

    return [f for f, part, own in zip(fs, parts, unique) if named(part, own)]


PREV_MARK = re.compile(r"('\s*\d{2}\s*년|20\d{2}\s*년|전년|작년|\(계획\)|\(전년\)|\(실적\)|\s-\s)")


def _year_pair(facts: list[Fact], question: str) -> tuple[Fact, Fact] | None:
    """This year's figure and last year's of the same thing ('채용규모(계획) 인원' / ''24년 - 채용규모(전년) 인원'),
    the thing named by the question. A label is of the earlier year by its column, by '전년', or by a year
    before the latest any of these labels names."""
    q = compact(question)
    latest = latest_year(facts)

    def prior(f: Fact) -> bool:
        return of_earlier_year(f, latest)

    for cur in facts:
        if prior(cur):
            continue
        base = compact(PREV_MARK.sub("", cur.label))
        for prev in facts:
            if prev is cur or prev.unit != cur.unit or not prior(prev):
                continue
            if compact(PREV_MARK.sub("", prev.label)) == base and mentions_label(q, cur.key):
                return cur, prev
    return None


def _phase_part(f: Fact) -> str:
    return re.sub(r"\((계획|실적)\).*$", "", f.label)


def _overlap(a: Fact, b: Fact) -> int:
    return len(bigrams_of(compact(_phase_part(a))) & bigrams_of(compact(_phase_part(b))))


def achievement(facts: list[Fact], question: str) -> list[Fact]:
    """A program's actual against its plan (실적 ÷ 계획 × 100) from its scale and results lines: the part the
    question names ('공감마당') when it names one, else the whole (the plan line that is at least the sum of the
    others, against the largest actual line; or, when every plan line is a part, their sum)."""
    q = compact(question)
    unit = "회" if asks("unit.sessions", q) else "개" if re.search(r"과정수(?!료)|몇개과정", q) else "명"
    rows = [f for f in facts if f.table == "program_metrics" and f.unit == unit and isinstance(f.value, (int, float))]
    plans = [f for f in rows if "(계획)" in f.label]
    actuals = [f for f in rows if "(실적)" in f.label]
    if not plans or not actuals:
        return []
    words = {id(f): set(label_words(_phase_part(f))) for f in actuals}
    named = [f for f in actuals if any(compact(w) in q for w in words[id(f)] - set().union(*(words[id(g)] for g in actuals if g is not f)))]
    if len(named) == 1:  # a part named by a word no other results line has ('공감마당')
        actual = named[0]
        cands = [(_overlap(f, actual), f) for f in plans]
        best = max(c for c, _ in cands)
        if best == 0:
            return []
        plan = next(f for c, f in cands if c == best)
        return [_ratio_fact(actual, plan, f"계획 대비 실적({_phase_part(actual)} ÷ {_phase_part(plan)})")]
    parts = _plan_parts(plans, actuals)
    if parts:
        return parts
    plan = max(plans, key=lambda f: f.value)
    if plan.value < sum(f.value for f in plans) - plan.value:
        return []  # no line is the whole
    actual = max(actuals, key=lambda f: f.value)
    return [_ratio_fact(actual, plan, f"계획 대비 실적({_phase_part(actual)} ÷ {_phase_part(plan)})")]


def _plan_parts(plans: list[Fact], actuals: list[Fact]) -> list[Fact]:
    """A program whose plan stands only in its parts ('리더십 과정 1,580명', '공감마당 5,000명') and whose results
    have a whole line beside the same parts: the whole actual over the sum of the planned parts."""
    if len(plans) < 2:
        return []
    whole = max(actuals, key=lambda f: f.value)
    others = [f for f in actuals if f is not whole]
    if not others or abs(whole.value - sum(f.value for f in others)) > 0.01 * whole.value:
        return []
    matched = [max(others, key=lambda a: _overlap(p, a)) for p in plans]
    if len({id(a) for a in matched}) != len(plans) or any(_overlap(p, a) == 0 or _overlap(p, whole) >= _overlap(p, a)
                                                          for p, a in zip(plans, matched)):
        return []  # a plan line that is no part of the results' parts
    planned = _sum_fact(plans, f"계획 합계({fact_measure(plans[0])})")
    return [_ratio_fact(whole, planned, f"계획 대비 실적({_phase_part(whole)} ÷ 계획 합계)"), planned]


def table_cells(cells: list[Fact], question: str) -> list[Fact]:
    """The cells of audit-response tables the question asks about: those of the year it names, if any, and
    among them those its other words name (a column such as '현업 적용도', a row such as 'ODA 온라인 연수')."""
    if not cells:
        return []
    q = compact(question)
    years = set(re.findall(r"20\d{2}", question)) | {f"20{y}" for y in re.findall(r"'(\d{2})\s*년", question)}
    if years and len({y for f in cells for y in re.findall(r"20\d{2}", f.key)}) >= 2:  # a table over years
        dated = [f for f in cells if any(y in f.key for y in years)]
        cells = dated or cells
    marks = marks_of(q)  # '3기', '5급': a row must carry every mark named
    marked = [f for f in cells if marks and all(m in compact(f.key) for m in marks)]
    cells = marked or cells
    scored = [(mention_count(q, re.sub(r"20\d{2}년?", " ", f.key)), f) for f in cells]
    top = max(c for c, _ in scored)
    if top == 0:
        return []
    return [f for c, f in scored if c >= max(1, top - 1)]


def rows_with_value(cells: list[Fact], q: str) -> list[Fact]:
    """The cells of audit tables whose text the question names ('행정2부시장' of '행정2부시장은 몇 번 …')."""
    return [f for f in cells if isinstance(f.value, str) and len(compact(f.value)) >= 3 and compact(f.value) in q]


def _row_words(cells: list[Fact], matching: list[Fact]) -> list[str]:
    """The other words of the rows a question's cell names (the 성명 beside 행정2부시장), dates and figures left out."""
    rows = {f.key.rsplit(" ", 1)[0] for f in matching}
    vals = [f.value for f in cells if f.key.rsplit(" ", 1)[0] in rows and isinstance(f.value, str) and not re.search(r"\d", f.value)]
    return [v for v in dict.fromkeys(vals) if all(v != m.value for m in matching)]


def rows_counted(rows: list[dict], cells: list[Fact], q: str, matching: list[Fact] = ()) -> Fact | None:
    """A count the question asks for ('몇 번', '몇 회') that a table of events answers by its number of rows,
    when none of its cells is a figure: the table whose caption the question names most, or only its rows
    whose cell the question names."""
    if not asks("count.any", q) or any(isinstance(f.value, (int, float)) for f in cells):
        return None
    if matching:
        n = len({(f.lines[0] if f.lines else 0, f.key.rsplit(" ", 1)[0]) for f in matching})
        unit = "회" if asks("count.times", q) else "명" if asks("count.people", q) else "건"
        value, others = matching[0].value, _row_words(cells, matching)
        with_words = f": {', '.join(others[:4])}" if others else ""
        return Fact(label=f"{value}인 행", value=n, unit=unit, formula=f"'{value}'인 {n}개 행을 센 값{with_words}", inputs=[n],
                    section=matching[0].section, lines=[min(f.lines[0] for f in matching), max(f.lines[-1] for f in matching)],
                    table="audit_tables", key=str(value))
    def named(caption: str) -> int:  # by its own words, not '현황' or '운영'
        return mention_count(q, " ".join(w for w in caption.split() if w not in QUESTION_NOUNS and w != "운영"))
    tables = [(named(t.get("caption") or ""), t) for t in rows if t.get("table") == "audit_tables"]
    score, best = max(tables, key=lambda x: x[0], default=(0, None))
    if not best or score == 0 or not best.get("n_rows"):
        return None
    unit = "회" if asks("count.times", q) else "곳" if asks("count.places", q) else "명" if asks("count.people", q) else "건"
    return Fact(label=f"{best['caption']} (표의 행 수)", value=best["n_rows"], unit=unit, formula=f"표의 {best['n_rows']}개 행을 센 값",
                inputs=[best["n_rows"]], section=best.get("section", ""), lines=[best.get("line_start", 0), best.get("line_end", 0)],
                table="audit_tables", key=best["caption"])


def ranked_ratios(facts: list[Fact], q: str, n: int | None = None, asc: bool | None = None) -> list[Fact]:
    """Rows ranked by the ratio of their two counts (the part over the whole, e.g. 내구연한 경과 수량 ÷
    보유 수량): rows with exactly two figures in one unit, totals left out; lowest first with asc (by default,
    when the question asks the lowest)."""
    rows: dict[tuple[str, str], list[Fact]] = {}
    for f in facts:
        if isinstance(f.value, (int, float)) and f.unit and f.unit != "%" and f.key:
            rows.setdefault((f.table, f.key), []).append(f)
    out = []
    for (_, key), fs in rows.items():
        if len(fs) != 2 or fs[0].unit != fs[1].unit or is_total(key):
            continue
        part, whole = sorted(fs, key=lambda f: f.value)
        if whole.value:
            out.append(_ratio_fact(part, whole, f"{key} {fact_measure(part)} 비율"))
    if len(out) < 2:
        return []
    asc = asks("order.lowest", q) if asc is None else asc
    out.sort(key=lambda f: f.value, reverse=not asc)
    return out[: n or top_n(q, q)]


def _two_named(nums: list[Fact], question: str) -> tuple[Fact, Fact] | None:
    """'A는 B의 몇 %/몇 배': two rows of one measure the question tells apart, A the one it names first."""
    q = compact(question)
    by_measure: dict[tuple[str, str], list[Fact]] = {}
    for f in nums:
        by_measure.setdefault((f.unit, fact_measure(f)), []).append(f)
    for (unit, measure), fs in by_measure.items():
        if unit == "%" or not measure_named(measure, q):
            continue
        named = _named_apart(list({f.key: f for f in fs}.values()), question)
        if len(named) == 2 and all(f.value for f in named):
            a, b = sorted(named, key=lambda f: _part_position(f, named, question))
            return a, b
    return None


def _part_position(f: Fact, group: list[Fact], question: str) -> int:
    """Where the question names what tells `f` apart from the rest of its group ('2회' in '2회 … 1회의')."""
    part = _distinct_parts(group)[group.index(f)] or compact(f.key)
    q = compact(question)
    at = q.find(part)
    return at if at >= 0 else len(q)


def phase_asked(q: str) -> str | None:
    """'실적' or '계획' when the question names one phase and not the other; None otherwise."""
    actual, planned = asks("phase.actual", q), asks("phase.plan", q)
    return "실적" if actual and not planned else "계획" if planned and not actual else None


def _share_named(nums: list[Fact], question: str, wide: bool = False) -> tuple[Fact, Fact] | None:
    """'X 중 Y 비중': Y's share of X, both figures in one unit, X named before '중/가운데/에서' (with wide, by
    the last words before it)."""
    m = re.search(r"(\S+?)\s*(?:중|가운데|에서)\s", question)
    if not m:
        return None
    whole_name, rest = compact(m.group(1)), compact(question[m.end():])
    if wide:  # '건물 연면적 중': the whole named in the last words before '중'
        whole_name = compact(" ".join(question[: m.end(1)].split()[-3:]))
    wholes = [f for f in nums if mention_count(whole_name, f.key) and f.unit != "%"]
    for whole in wholes:
        parts = [f for f in nums if f is not whole and f.unit == whole.unit and f.key != whole.key and mentions_label(rest, f.key)
                 and f.value <= whole.value]
        if parts:
            return parts[0], whole
    return _part_before_whole(nums, question, m)


def _part_before_whole(nums: list[Fact], question: str, m: re.Match) -> tuple[Fact, Fact] | None:
    """'배움관이 건물 전체 연면적에서 차지하는 비중': the part named before the whole, the whole in the words
    just before '에서/중' (the largest row they name), the part a smaller row of the same unit named before them."""
    before = question[: m.start(1)]
    window = compact(" ".join(question[: m.end(1)].split()[-3:]))
    wholes = sorted((f for f in nums if f.unit != "%" and mention_count(window, f.key)), key=lambda f: -f.value)
    for whole in wholes:
        parts = [f for f in nums if f.unit == whole.unit and f.key != whole.key and f.value < whole.value
                 and mentions_label(compact(before), f.key) and not mention_count(window, f.key)]
        if parts:
            return parts[0], whole
    return None


def _sum_fact(fs: list[Fact], label: str | None = None) -> Fact:
    """The sum of figures in one unit, as a derived fact whose formula names each input by its row
    ('4급 역량평가 152명 + 5급 역량평가 289명')."""
    unit = fs[0].unit
    named = len({f.key for f in fs}) == len(fs) and all(f.key for f in fs)
    terms = [(f"{f.key} " if named else "") + fmt(f.value, unit) for f in fs]
    return Fact(label=label or "합계(" + " + ".join(f.label for f in fs) + ")", value=sum(f.value for f in fs), unit=unit,
                formula=" + ".join(terms), inputs=[f.value for f in fs],
                source=fs[0].source, section=fs[0].section, lines=fs[0].lines, table=fs[0].table)


def totals_of_rows(facts: list[Fact], q: str) -> list[Fact]:
    """'이해과정 총인원은 몇 명': the total of the rows the question names together, one per measure and phase
    (실적 first), where the report states no total row beside them; [] where it does."""
    nums = [f for f in facts if isinstance(f.value, (int, float)) and f.unit and f.unit != "%" and f.key]
    groups: dict[tuple, list[Fact]] = {}
    for f in nums:
        groups.setdefault((re.sub(r"^(계획|실적)\s*", "", fact_measure(f)), f.unit, f.phase), []).append(f)
    out = []
    for (measure, _, phase), fs in sorted(groups.items(), key=lambda kv: kv[0][2] != "실적"):
        rows = list({f.key: f for f in fs}.values())
        if len(rows) >= 2 and not any(is_total(f.key) for f in rows) and measure_named(measure, q):
            out.append(_sum_fact(rows, f"{phase + ' ' if phase else ''}합계({measure})"))
    return out[:2]


def _sum_label(fs: list[Fact]) -> str:
    """'합계(실적 인원)': the measure the figures summed share, when they share one."""
    measures = {fact_measure(f) for f in fs}
    one = measures.pop() if len(measures) == 1 else ""
    return f"합계({one})" if one else "합계"


def sum_of_listed(plan: Plan, groups: list[list[Fact]]) -> list[Fact]:
    """The sum of one figure of each thing the question lists (each from its own tool call), in one unit."""
    firsts: list[Fact] = []
    for fs in groups:
        f = next((f for f in fs if isinstance(f.value, (int, float)) and f.unit and f.unit != "%" and not is_prior(f)
                  and not is_total(f.key)), None)  # '… 합계 좀 알려 주세요' names the operation, not the total line
        if f and not any(g.lines == f.lines or g.unit != f.unit for g in firsts):
            firsts.append(f)
    return [_sum_fact(firsts, _sum_label(firsts))] if len(firsts) >= 2 else []


# ---------------------------------------------------------------- the things a question lists
LIST_RUN = re.compile(r"(?:([가-힣A-Za-z0-9\-]+)\s+)?([가-힣A-Za-z0-9\-]+)((?:(?:\s*[·,、+/]\s*|(?<=[가-힣A-Za-z0-9])(?:이랑|랑|하고|와|과)\s+|\s+및\s+)"
                      r"[가-힣A-Za-z0-9\-]+)+)")
LIST_SEP = re.compile(r"\s*[·,、+/]\s*|(?<=[가-힣A-Za-z0-9])(?:이랑|랑|하고|와|과)\s+|\s+및\s+")
ITEM_PARTICLE = re.compile(r"(으로|로|은|는|이|가|을|를|의|에|에서|도|만|요)$")
ITEM_GENERIC = ("과정", "교육", "분야", "사업", "운영", "반")
ITEM_STOP = {"교육", "운영", "과정", "계획", "실적", "전년", "인원", "사업", "추진", "규모", "합계", "소계", "비율", "예산", "전체", "총"}


def listed_items(question: str) -> list[str]:
    """The things a question lists one after another ('4급·5급', '일반임기제와 시간선택제임기제', '(공통·전문·IT)',
    '리더십 과정+공감마당'): the words a separator (·, +, 와/과, 랑, 하고, 및) joins, particles stripped; a generic
    word ('과정') keeps the word before it ('리더십 과정')."""
    items: list[str] = []
    for m in LIST_RUN.finditer(question):
        before, first, rest = m.groups()
        words = [w for w in LIST_SEP.split(first + rest) if w]
        if before and first in ITEM_GENERIC:
            words[0] = f"{before} {first}"
        items += [ITEM_PARTICLE.sub("", w) if len(w) > 2 else w for w in words]
    return [w for w in dict.fromkeys(items) if w and compact(w) not in ITEM_STOP]  # '합계와 실적 대비': measures, not things


def _names_row(item: str, key: str) -> bool:
    """Whether a listed item names a row: the item stands in the row's name, or a word of the name in the item."""
    c, k = compact(item), compact(key)
    return len(c) >= 2 and c in k or any(compact(w) in c for w in label_words(key) if len(compact(w)) >= 2)


def _head_position(q: str, key: str, item: str) -> int:
    """Where the question names the row's other words last: in a compound ('역량평가 이해과정') the head comes last."""
    spots = [q.rfind(compact(w)) for w in label_words(key) if compact(w) not in compact(item)]
    return max(spots, default=-1)


def rows_listed(facts: list[Fact], question: str) -> list[Fact]:
    """One figure of each row the question lists: for each item, among the rows it names alone (a row two items
    name is their aggregate), the one the rest of the question names most; an item's own total row ('본교육 총
    6기') before its parts, a table's grand total never."""
    q = compact(question)
    items = listed_items(question)
    keys = list(dict.fromkeys(f.key for f in facts if f.key and not f.key.startswith(("합계", "전체", "합 계"))))
    picked: list[str] = []
    for item in items:
        alone = [k for k in keys if _names_row(item, k) and sum(_names_row(o, k) for o in items) == 1]
        if alone:
            best = max(alone, key=lambda k: (mention_count(q, k), is_total(k), _head_position(q, k, item), -len(k)))
            if best not in picked:
                picked.append(best)
    return [next(f for f in facts if f.key == k) for k in picked] if len(picked) >= 2 else []


def whole_rows(facts: list[Fact], question: str) -> list[Fact]:
    """'총 몇 개 과정, 몇 명', '모두 몇 명': when the question asks the whole and the figures found hold a row
    that sums the others (합계, 계, 소계, 전체), that row answers (the one the question names most, the
    grand total before a subtotal); nothing when the question lists rows of its own."""
    if not asks("ask.whole_count", question) or listed_items(question) and rows_listed(facts, question):
        return []
    q = compact(question)
    totals = [f for f in facts if f.key and is_total(f.key) and isinstance(f.value, (int, float))]
    if not totals or len({f.key for f in facts}) < 2:
        return []
    best = max(totals, key=lambda f: (mention_count(q, f.key), f.key.startswith(("전체", "합계")), -totals.index(f)))
    return [f for f in totals if f.key == best.key]


def _sum_candidates(nums: list[Fact], q: str, phase: str | None) -> list[Fact]:
    """The figures a sum may take: the unit asked, this year's, of the phase asked (the actual when none is
    named and the rows hold it), the measure the question names first."""
    unit = "명" if asks("unit.people", q) else "회" if asks("unit.sessions", q) else None
    fs = [f for f in nums if f.unit != "%" and not is_prior(f) and (not unit or f.unit == unit)]
    qualifiers = [w for w in ("수료", "실시", "보유", "경과", "접수", "응시", "선발") if w in q]
    if qualifiers:
        fs = [f for f in fs if any(w in f.label for w in qualifiers)] or fs
    if phase:
        of_phase = [f for f in fs if f.phase == phase or phase in f.label or not f.phase and not re.search(r"계획|실적", f.label)]
        fs = of_phase or fs
    fs.sort(key=lambda f: (not measure_named(fact_measure(f), q), not unit and f.unit != "명"))  # people, unless a unit is asked
    return fs


def _sum_asked(q: str) -> str | None:
    """The phase a sum is of: the one the question names, else the actual."""
    return phase_asked(q) or ("실적" if not asks("phase.plan", q) else None)


def derive_facts(plan: Plan, facts: list[Fact], rows: list[dict] | None = None) -> list[Fact]:
    """The operation the Reading asks for, applied to the tool facts: the steps registered for it, in turn,
    until one answers (a list; None passes to the next)."""
    rows = rows or []
    nums = [f for f in facts if isinstance(f.value, (int, float)) and f.unit]
    q = compact(plan.effective)
    if plan.op in ("ratio", "share") and asks("rank.superlative", q):
        return []  # a ranking of ratios is not derived here
    for step in DERIVATIONS.get(plan.op, ()):
        out = step(plan, q, facts, nums, rows)
        if out is not None:
            return out
    return []


# what is left of a budget row, by operation and basis: (whole column, done column, name, formula words).
# budget_lines hold amount/executed; program_execution budget/committed/spent/forecast.
REMAINING = {
    "remain": (("amount", "budget"), ("executed", "committed"), "미집행 잔액", "예산현액 − 집행액(원인행위)"),
    "remain_spent": (("budget",), ("spent",), "미지출 잔액", "예산현액 − 집행액(지출액)"),
    "committed_unspent": (("committed",), ("spent",), "원인행위 후 미지출액", "집행액(원인행위) − 집행액(지출액)"),
    "forecast_gap": (("forecast",), ("executed", "committed"), "연말까지 추가 집행 예정액", "연말 집행예상액 − 원인행위 집행액"),
    "lapse": (("amount", "budget"), ("forecast",), "연말 불용 예상액", "예산현액 − 연말 집행예상액"),
}


def _remaining(plan: Plan, q: str, facts: list[Fact], nums: list[Fact], rows: list[dict]) -> list[Fact] | None:
    """What is left of a budget row (REMAINING): 예산현액 − 집행액 (미집행 잔액; on 지출액 when the question
    says so), 연말 집행예상액 − 집행액 (still to spend by the year's end), 예산현액 − 연말 집행예상액 (to lapse)."""
    kind = ("committed_unspent" if asks("measure.committed_basis", q) else "remain_spent") if plan.op == "remain" and "지출" in q else plan.op
    wholes, dones, name, what = REMAINING[kind]
    out: list[Fact] = []
    seen = set()
    rows = [r for r in rows if any(r.get(c) is not None for c in wholes) and any(r.get(c) is not None for c in dones)]
    named = {id(r): mention_count(q, r.get("name") or "") for r in rows}
    most = max(named.values(), default=0)
    rows = [r for r in rows if named[id(r)] == most] if most else rows  # the row the question names, of a program's several
    for row in rows:
        if row["table"] == "budget_lines" and row.get("level") == 0 and len(rows) > 1 and plan.op in ("forecast_gap", "lapse"):
            continue
        total = next((row[c] for c in wholes if row.get(c) is not None), None)
        done = next((row[c] for c in dones if row.get(c) is not None), None)
        if total is None or done is None or (total, done) in seen:
            continue
        seen.add((total, done))
        out.append(_row_fact(row, f"{row['name']} {name}", total - done, f"{what} = {total:,} − {done:,}", [total, done]))
    return out


def _term(spec: str, key: str, nums: list[Fact]) -> tuple[float, str, list[Fact]] | None:
    """A figure of the row `key` named by `spec`: a label ('응시인원') or a difference of two ('접수인원 − 응시인원')."""
    names = [compact(x) for x in spec.split(" − ")]
    found = [next((f for f in nums if f.key == key and n in compact(f.label)), None) for n in names]
    if any(f is None for f in found):
        return None
    value = found[0].value - sum(f.value for f in found[1:])
    text = " − ".join(fmt(f.value, f.unit) for f in found)
    return value, (f"({text})" if len(found) > 1 else text), found


def _derived_ratio(plan: Plan, q: str, facts: list[Fact], nums: list[Fact], rows: list[dict]) -> list[Fact] | None:
    """A ratio the lexicon defines from figures of one row (노후도 = 내구연한 경과 ÷ 보유; 결시율 = (접수 − 응시) ÷ 접수)."""
    for cues, numerator, denominator, name in DERIVED_RATIOS:
        if not has(q, cues):
            continue
        keys = list(dict.fromkeys(f.key for f in nums))
        pairs = [(k, _term(numerator, k, nums), _term(denominator, k, nums)) for k in keys]
        pairs = [(k, a, b) for k, a, b in pairs if a and b and b[0] and a[2][0].unit == b[2][0].unit]
        named = [p for p in pairs if mentions_label(q, p[0])]
        whole = [p for p in pairs if is_total(p[0])]
        for key, (num, num_text, inputs), (den, den_text, _) in (named or whole)[:1]:
            first = inputs[0]
            return [Fact(label=f"{key} {name}", value=round(num / den * 100, 1), unit="%", formula=f"{num_text} ÷ {den_text} × 100",
                         inputs=[f.value for f in inputs] + ([den] if len(inputs) > 1 else [den]), source=first.source,
                         section=first.section, lines=first.lines)]
    return None


def _two_named_ratio(plan: Plan, q: str, facts: list[Fact], nums: list[Fact], rows: list[dict]) -> list[Fact] | None:
    """One named figure over another (÷), or how many times it is."""
    if asks("phase.plan_or_actual", q):
        return None
    pair = _two_named(nums, plan.effective)
    if pair:
        a, b = pair
        if plan.op == "times":
            return [Fact(label=f"{a.label} ÷ {b.label}", value=round(a.value / b.value, 1), unit="배",
                         formula=f"{fmt(a.value, a.unit)} ÷ {fmt(b.value, b.unit)}", inputs=[a.value, b.value],
                         source=a.source, section=a.section, lines=a.lines)]
        return [_ratio_fact(a, b, f"{a.label} ÷ {b.label}")]
    return None


def _named_share(plan: Plan, q: str, facts: list[Fact], nums: list[Fact], rows: list[dict], wide: bool = False) -> list[Fact] | None:
    """A named part over its named whole."""
    part_whole = _share_named(nums, plan.effective, wide=wide)
    if part_whole:
        a, b = part_whole
        return [_ratio_fact(a, b, f"{a.label} 비중({b.label} 대비)")]
    return None


def _named_share_wide(plan: Plan, q: str, facts: list[Fact], nums: list[Fact], rows: list[dict]) -> list[Fact] | None:
    """A named part over a whole named by several words ('건물 연면적 중 배움관이 차지하는 비중'), when no row's
    whole answered."""
    return _named_share(plan, q, facts, nums, rows, wide=True)


def _ratio_plan_actual(plan: Plan, q: str, facts: list[Fact], nums: list[Fact], rows: list[dict]) -> list[Fact] | None:
    """Actual over plan (달성률), or a part over its row's whole."""
    if rows:
        return None
    out: list[Fact] = []
    plan_words = asks("phase.plan_or_actual", q)
    combined = _combined_rate(plan, q, [f for f in facts if isinstance(f.value, (int, float))]) if plan_words else []
    if combined:  # 'A·B … 계획 대비로는 몇 %': of the rows listed together, Σ실적 ÷ Σ계획
        return combined
    totals = {t.label.split(" ")[0]: t for t in totals_of_rows(facts, q)} if plan_words and asks("scope.whole_named", q) else {}
    if "실적" in totals and "계획" in totals and totals["계획"].value:  # '이해과정 총인원 … 계획 대비': the rows named, totalled
        actual, planned = totals["실적"], totals["계획"]
        return [_ratio_fact(actual, planned, "계획 대비 실적 비율(실적 합계 ÷ 계획 합계)"), actual, planned]
    pair = _plan_actual(facts, plan.effective) if plan_words else None
    if pair:
        a, b = pair
        return [_ratio_fact(b, a, f"{b.label} ÷ {a.label}")]
    same = _two_of_one_row(facts) if "중" in plan.effective else None
    if same:
        small, big = same
        out.append(_ratio_fact(small, big, f"{small.label} 비율"))
    return out or None  # nothing here: a part of a named whole may answer


def _diff_plan_actual(plan: Plan, q: str, facts: list[Fact], nums: list[Fact], rows: list[dict]) -> list[Fact] | None:
    """Actual minus plan."""
    if rows:
        return None
    pair = _plan_actual(facts, plan.effective) if asks("phase.plan", q) else None
    if pair:
        a, b = pair
        return [_diff_fact(b, a)]
    return None


def _part_of_whole(plan: Plan, q: str, facts: list[Fact], nums: list[Fact], rows: list[dict]) -> list[Fact] | None:
    """A ratio asked of a part within a whole ('세출 총액 가운데 사업예산이 몇 퍼센트'): its share."""
    if not re.search(r"\S\s*(?:중|가운데)\s", plan.effective):
        return None
    return _named_share(plan, q, facts, nums, rows) or _share_of_whole(plan, q, facts, nums, rows) or None


ROW_WHOLES = ("계", "합계", "총계", "전체", "소계")


def row_part(plan: Plan, q: str, facts: list[Fact], nums: list[Fact], rows: list[dict]) -> list[Fact] | None:
    """A part of one row's own whole ('처리요구사항 20건 중 완료 비율' → 완료 ÷ 계): the row whose whole the
    question states ('20건'), else the total row when it asks the whole ('전체', '총'), else the row it names."""
    by_key: dict[str, list[Fact]] = {}
    for f in nums:
        if f.key and f.unit and f.unit != "%" and not is_prior(f):
            by_key.setdefault(f.key, []).append(f)
    pairs = {}
    for key, fs in by_key.items():
        whole = next((f for f in fs if compact(fact_measure(f)) in ROW_WHOLES), None)
        part = next((f for f in fs if f is not whole and measure_named(fact_measure(f), q, counted=False)), None)
        if whole and part and whole.value:
            pairs[key] = (part, whole)
    if not pairs:
        return None
    stated = {float(x.replace(",", "")) for x in re.findall(r"\d[\d,]*(?:\.\d+)?", plan.effective)}
    key = next((k for k, (_, w) in pairs.items() if float(w.value) in stated), None) \
        or (next((k for k in pairs if is_total(k)), None) if re.search(r"전체|총|모두|전부", plan.effective) else None) \
        or max(pairs, key=lambda k: (mention_count(q, k), is_total(k)))
    part, whole = pairs[key]
    subject = part.label[: len(part.label) - len(fact_measure(part))].strip() or key
    if is_total(key):  # '행정사무감사 계' reads '행정사무감사 전체'
        subject = re.sub(r"\s*(계|합계|총계)$", "", subject) + " 전체"
    share = _ratio_fact(part, whole, f"{subject} 중 {fact_measure(part)} 비율({fact_measure(part)} ÷ {fact_measure(whole)})")
    share.table, share.key = part.table, part.key  # of the row it is a part of
    return [share]


def _share_of_whole(plan: Plan, q: str, facts: list[Fact], nums: list[Fact], rows: list[dict]) -> list[Fact] | None:
    """A part's share of its table's whole (전체, 합계, 소계), or of the whole expenditure budget."""
    out: list[Fact] = []
    if not rows:
        wholes = [f for f in facts if f.unit and f.unit != "%" and (f.key.startswith("전체") or f.key.endswith("합계") or "소계" in f.label)]
        phase = phase_asked(q)
        if phase is not None:  # '실적 인원 중 …': the whole of the phase asked
            wholes = [f for f in wholes if ("실적" in f.label) == (phase == "실적")] or wholes
        total = (next((f for f in wholes if f.key.startswith("전체")), None) if "전체" in q else None) \
            or next((f for f in wholes if f.key.startswith("전체") or f.key.endswith("합계")), None) or next(iter(wholes), None)
        part = next((f for f in facts if f is not total and total and f.unit == total.unit and same_measure(f, total)
                     and ("실적" in f.label) == ("실적" in total.label)), None)
        if total and part:
            out.append(_ratio_fact(part, total, f"{part.label} 비중"))
        return out or None
    this_year = [f for f in nums if f.unit == "천원" and f.column in ("amount", "budget") and not is_prior(f)]
    total = next((f for f in this_year if f.key.replace(" ", "") in ("합계",)), None)
    parts = [f for f in this_year if f is not total and f.key.replace(" ", "") != "합계"]
    if total and parts:
        out.append(_ratio_fact(parts[0], total, f"{parts[0].key} 비중(전체 세출 대비)"))
    return out or None


def _difference(plan: Plan, q: str, facts: list[Fact], nums: list[Fact], rows: list[dict]) -> list[Fact] | None:
    """A measure the lexicon defines as one figure minus another, or two figures of one measure apart."""
    out: list[Fact] = []
    for cues, minuend, subtrahend, name in DERIVED_MEASURES:
        if not has(q, cues):
            continue
        for a in nums:
            b = next((b for b in nums if b.key == a.key and b.unit == a.unit and compact(subtrahend) in compact(b.label)), None)
            if b is not None and compact(minuend) in compact(a.label) and a.value >= b.value and (not plan.entities or mentions_label(q, a.key)):
                d = _diff_fact(a, b)
                d.label = f"{a.key} {name}"
                return [d]
    by_unit: dict[str, dict[str, Fact]] = {}
    for f in nums:
        kind = re.sub(r"^.*?(\d{4}년 )?", "", f.label.replace(f.key, "", 1)).strip()
        by_unit.setdefault(f"{f.unit}|{kind}", {}).setdefault(line_key(f.key) + (str(f.period) if is_prior(f) else ""), f)
    wanted = [lab for m in plan.measures for lab in MEASURE_LABELS.get(m, (m,))]
    groups = [kv for kv in by_unit.items() if not wanted or any(w in kv[0] for w in wanted)]
    asked_groups = [kv for kv in groups if measure_named(kv[0].split("|", 1)[1], q)] \
        or (groups if plan.measures else [kv for kv in groups if len(kv[1]) == 2])  # e.g. two years' cells of one column
    for key, group in asked_groups:
        named = _named_apart(list(group.values()), plan.effective)
        if len(named) == 2 and "증감" not in key:
            out.append(_diff_fact(*sorted(named, key=lambda f: -f.value)))
            return out
    pair = _year_pair(nums, plan.effective) if plan.reading is not None and plan.reading.compare_prev else None
    if pair and not any("증감" in f.label for f in nums):
        return [_diff_fact(*pair)]
    for key, group in groups:
        fs = list(group.values())
        stored_change = "증감" in key
        same_entity_years = len(fs) == 2 and line_key(fs[0].key) == line_key(fs[1].key)
        both_named = (len(fs) == 2 and len(plan.entities) >= 2 and all(mentions_label(q, f.key) for f in fs)
                      and line_key(fs[0].key) != line_key(fs[1].key))
        if len(fs) == 2 and not stored_change and (both_named or same_entity_years and not any("증감" in f.label for f in nums)):
            out.append(_diff_fact(*fs))
            break
    rates_asked = [m for m in plan.measures if m in ("집행률", "지출 집행률", "연말 예상 집행률", "참여율", "증감률")]
    if not out and len(rates_asked) >= 2:  # two measures of one row, e.g. 원인행위 집행률 vs 지출 집행률
        by_u: dict[str, list[Fact]] = {}
        for f in nums:
            if f.unit == "%" and "연말" not in f.label and all(abs(f.value - g.value) > 1e-9 for g in by_u.get(f.unit, [])):
                by_u.setdefault(f.unit, []).append(f)
        for unit, fs in by_u.items():
            if len(fs) == 2:
                out.append(_diff_fact(*sorted(fs, key=lambda f: -f.value)))
                break
    return out or None


def _sum(plan: Plan, q: str, facts: list[Fact], nums: list[Fact], rows: list[dict]) -> list[Fact] | None:
    """The sum of one figure of each row the question lists ('4급·5급 … 합계'); else of the rows it names
    ('기수별 계획 인원을 다 더하면'), rows that sum others left out. Asked with a ratio beside it ('합계와 실적
    대비 비율'), the rows' plans and actuals are summed each and the one set against the other."""
    combined = _combined_rate(plan, q, nums) or _combined_stored_rate(plan, q, nums)
    if combined:
        return combined
    phase = _sum_asked(q)
    listed = rows_listed(_sum_candidates(nums, q, phase), plan.effective)
    if len({f.unit for f in listed}) == 1:
        return [_sum_fact(listed, _sum_label(listed))]
    out: list[Fact] = []
    by_unit: dict[str, list[Fact]] = {}
    for f in _sum_candidates(nums, q, phase):
        if mentions_label(q, f.key) and not is_total(f.key) and all(line_key(g.key) != line_key(f.key) for g in by_unit.get(f.unit, [])):
            by_unit.setdefault(f.unit, []).append(f)
    named = {u: most_named(fs, q, keep_all=False) for u, fs in by_unit.items()}
    for unit, fs in sorted(named.items(), key=lambda kv: -len(kv[1])):
        if len(fs) >= 2:
            out.append(_sum_fact(fs, _sum_label(fs)))
            break
    return out


def _combined_rate(plan: Plan, q: str, nums: list[Fact]) -> list[Fact]:
    """Σ실적 ÷ Σ계획 of the rows the question lists, when it asks a rate beside the sum ('리더십 과정+공감마당
    … 합계와 실적 대비 비율'): each phase's rows summed, then the actual sum over the planned one."""
    if not (has(q, RATE_WITH_SUM) and asks("phase.plan", q)):
        return []
    sums = {}
    for phase in ("계획", "실적"):
        listed = rows_listed(_sum_candidates(nums, q, phase), plan.effective)
        listed = [f for f in listed if f.phase == phase or phase in f.label]
        if len(listed) < 2 or len({f.unit for f in listed}) != 1:
            return []
        sums[phase] = _sum_fact(listed, f"{phase} 합계({fact_measure(listed[0])})")
    planned, actual = sums["계획"], sums["실적"]
    if planned.unit != actual.unit or not planned.value:
        return []
    return [_ratio_fact(actual, planned, "계획 대비 실적 비율(실적 합계 ÷ 계획 합계)"), planned, actual]


def _combined_stored_rate(plan: Plan, q: str, nums: list[Fact]) -> list[Fact]:
    """A rate the rows state (참여율, 집행률), asked of the rows the question lists together: Σ numerator ÷
    Σ denominator of those rows (lexicon.STORED_RATES), with both sums."""
    rate = next((r for r in STORED_RATES if has(q, r[0])), None)
    if rate is None:
        return []
    _, num_re, den_re, name = rate
    pick = lambda pattern: [f for f in nums if re.search(pattern, fact_measure(f)) and not is_prior(f)]
    nums_ = rows_listed(pick(num_re), plan.effective)
    keys = [f.key for f in nums_]
    dens = [next((f for f in pick(den_re) if f.key == k), None) for k in keys]
    if len(keys) < 2 or None in dens or len({f.unit for f in nums_ + dens}) != 1:
        return []
    top, bottom = _sum_fact(nums_, f"합계({fact_measure(nums_[0])})"), _sum_fact(dens, f"합계({fact_measure(dens[0])})")
    if not bottom.value:
        return []
    return [_ratio_fact(top, bottom, f"합산 {name}({fact_measure(nums_[0])} 합계 ÷ {fact_measure(dens[0])} 합계)"), top, bottom]


RATE_WITH_SUM = ("비율", "대비", "달성률", "실적률", "몇%", "퍼센트")


def _two_measures_of_row(plan: Plan, q: str, facts: list[Fact], nums: list[Fact], rows: list[dict]) -> list[Fact] | None:
    """Two measures of one row the question names both, by their own words ('정원하고 현원 차이', '현원이 정원을
    넘나요', '보유 수량과 내구연한 경과 수량 차이'): the larger less the smaller, in their unit."""
    by_key: dict[str, list[Fact]] = {}
    for f in nums:
        m = fact_measure(f)
        if f.key and measure_named(m, q, counted=False) and not any(fact_measure(g) == m for g in by_key.get(f.key, [])):
            by_key.setdefault(f.key, []).append(f)
    pairs = [fs for fs in by_key.values() if len(fs) == 2 and fs[0].unit == fs[1].unit and fs[0].unit != "%"]
    if len(pairs) != 1:
        return None
    a, b = sorted(pairs[0], key=lambda f: -f.value)
    return [_diff_fact(a, b)]


# operation → the derivation steps tried in turn
DERIVATIONS = {
    None: (_derived_ratio,),
    "ratio": (_derived_ratio, _two_named_ratio, _ratio_plan_actual, row_part, _part_of_whole),
    "times": (_two_named_ratio,),
    "share": (_named_share, _share_of_whole, _named_share_wide),
    "diff": (_diff_plan_actual, _difference, _two_measures_of_row),
    "sum": (_sum,),
    "remain": (_remaining,),
    "forecast_gap": (_remaining,),
    "lapse": (_remaining,),
}
