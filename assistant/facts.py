"""Reading tool facts against a question: which rows it names, which measure, and how figures are written
(the source's unit, thousands separators, △ for decreases, line citations)."""

from __future__ import annotations

import re
from typing import Any

from knowledge.names import canonical, compact
from tools.base import Fact

from .question_rules import asks
from .lexicon import DOER_VERBS, QUESTION_NOUNS


def has(q: str, words) -> bool:
    return any(compact(w) in q for w in words)


def fmt(value: Any, unit: str) -> str:
    if value is None:
        return "-"
    if isinstance(value, str):
        return value
    if isinstance(value, float) and not value.is_integer():
        s = f"{abs(value):,.2f}".rstrip("0").rstrip(".") if abs(value) < 10 else f"{abs(value):,.1f}"
    elif unit in ("%", "점", "%p"):
        s = f"{abs(value):,.1f}"
    else:
        s = f"{int(abs(value)):,}"
    sign = "△" if value < 0 else ""
    u = unit if unit not in ("대 1",) else ""
    if unit == "대 1":
        return f"{s}:1"
    return f"{sign}{s}{u}"


def cite(lines: list[int]) -> str:
    if not lines:
        return ""
    a, b = lines[0], lines[-1]
    return f"[{a}행]" if a == b else f"[{a}~{b}행]"


MEASURE_LABELS = {
    "예산현액": ("예산현액",), "전년 예산현액": ("예산현액",), "증감액": ("증감액",), "증감률": ("증감률",),
    "집행액": ("집행액(원인행위",), "집행률": ("집행률(원인행위)", "집행률"), "지출액": ("집행액(지출액)",), "지출 집행률": ("집행률(지출액)",),
    "연말 집행예상액": ("연말 집행예상액",), "연말 예상 집행률": ("연말 예상 집행률",),
    "참여율": ("참여율",), "만족도": ("만족도",), "횟수": ("횟수",), "과정수": ("과정수",), "인원": ("인원",),
}


PREVIOUS_COLUMN = "amount_prev"  # tools/fields.py: the budget of the year before the report's
# the budget measures told apart by their year, which is the column's (typed), not a year in the label
BUDGET_OF_YEAR = {"전년 예산현액": True, "예산현액": False}  # measure → of the previous year


def is_prior(f: Fact) -> bool:
    """A figure of the year before the report's own (its column says so)."""
    return f.column == PREVIOUS_COLUMN


LABEL_YEAR = re.compile(r"(?<!\d)(20\d{2})(?!\d)|'(\d{2})(?!\d)")


def label_years(label: str) -> list[int]:
    """The years a fact's label names ('2024년 …', "'24년 - 채용규모(전년)")."""
    return [int(a) if a else 2000 + int(b) for a, b in LABEL_YEAR.findall(label)]


def latest_year(facts: list[Fact]) -> int | None:
    return max((y for f in facts for y in label_years(f.label)), default=None)


def of_earlier_year(f: Fact, latest: int | None) -> bool:
    """A figure of a year before the latest its table shows: by its column, by '전년', or by its label's year."""
    return is_prior(f) or bool(re.search(r"전년|작년", f.label)) or any(latest and y < latest for y in label_years(f.label))


def select_measures(facts: list[Fact], measures: list[str]) -> list[Fact]:
    if not measures:
        return facts
    out = []
    for f in facts:
        for m in measures:
            labels = MEASURE_LABELS.get(m, (m,))
            if m in BUDGET_OF_YEAR and is_prior(f) != BUDGET_OF_YEAR[m]:
                continue
            if any(l in f.label for l in labels) and not (m == "집행률" and "연말" in f.label) and not (m == "집행액" and "지출액" in f.label):
                out.append(f)
                break
    return out or facts


MENTION_GENERIC = {"교육", "운영", "과정", "계획", "실적", "전년", "인원", "사업", "추진", "규모", "합계", "소계"}


def label_words(label: str) -> list[str]:
    """Words of a label; a long glued name also offers its first three letters ('신규자과정운영' → '신규자')."""
    words = [w for w in re.findall(r"[가-힣A-Za-z0-9]+", label) if len(w) >= 2 and w not in MENTION_GENERIC]
    return words + [canonical(w)[:3] for w in words if len(canonical(w)) >= 5 and canonical(w)[:3] not in MENTION_GENERIC]


def mention_count(q: str, label: str, group: str = "") -> int:
    """How many words of a row's label the question uses; a word of `group` (the title of the table the
    rows stand in: '직급별 리더십 교육과정') names every row, not one."""
    cq, cg = canonical(q), compact(group)
    return sum(1 for w in label_words(label) if (compact(w) in q or canonical(w) in cq) and not (cg and compact(w) in cg))


def mentions_label(q: str, label: str) -> bool:
    return mention_count(q, label) > 0


def fact_measure(f: Fact) -> str:
    if f.measure:  # typed by the tool
        return f.measure
    if f.key and f.label.startswith(f.key):
        return f.label[len(f.key):].strip()
    return f.label.rsplit(" ", 1)[-1] if f.table == "program_metrics" else f.label


def same_measure(a: Fact, b: Fact) -> bool:
    return re.sub(r"(계획|실적|수료|소계)\s*", "", fact_measure(a)) == re.sub(r"(계획|실적|수료|소계)\s*", "", fact_measure(b))


def measure_named(measure: str, q: str, counted: bool | str = True) -> bool:
    """Whether the question names a measure ('경쟁률(:1)' is named by '경쟁률'); with counted, also by
    counting what it counts ('몇 개 직류', '몇 명'); with counted="noun", by counting its own noun only ('몇 개 직류')."""
    m = compact(re.sub(r"\([^)]*\)", "", measure))
    if len(m) >= 2 and (m in q or canonical(m) in canonical(q)):
        return True
    core = re.sub(r"^(교육|계획|실적|실시|수료)", "", m)  # '교육일수' is named by '일수', '교육대상' by '대상'
    if core != m and len(core) >= 2 and core in q:
        return True
    counted_thing = re.sub(r"(수량|개수)$", "", m)  # '내구연한 경과 수량' is named by '내구연한 경과 장비 개수'
    if counted_thing != m and len(counted_thing) >= 4 and re.search(rf"{re.escape(counted_thing)}[가-힣]{{0,4}}(개수|수량|몇개|몇대|대수)", q):
        return True  # (counted: not '내구연한 경과 비율', a ratio of it)
    person = re.fullmatch(r"(\w{2,})인원", core)  # '접수인원' is named by '접수자' (the person who does it)
    if person and re.search(rf"{person.group(1)}(자|생)", q):
        return True
    if person and any(v in q for v in DOER_VERBS.get(person.group(1), ())):
        return True  # '시험 본 사람은 몇 명': 응시인원, by what they did
    return bool(counted) and _counted_by(core, q, generic=counted != "noun")


def _counted_by(measure: str, q: str, generic: bool = True) -> bool:
    """A count measure ('직류 수') is named by counting its noun: '몇 개 직류', '몇 과정', '직류가 몇 개'; a number of
    people ('선발 인원') by '몇 명', of sessions ('교육횟수') by '몇 회' (with generic)."""
    if generic and (measure.endswith("인원") and "몇명" in q or measure.endswith("횟수") and re.search("몇회|몇번|몇차례", q)):
        return True  # '몇 명' counts people, '몇 회' sessions
    stem = measure[:-1] if measure.endswith("수") else ""
    listed = any(stem in g and re.search("인원|횟수|회수", g) for g in re.findall(r"\(([^)]*)\)", q)) \
        if len(stem) >= 2 else False  # '규모(과정·인원)', '(과정, 횟수, 인원)': measures listed by name
    return len(stem) >= 2 and (listed or bool(re.search(rf"몇(?:개)?(?:의)?{stem}|{stem}(?:은|는|이|가)?(?:모두|총)?몇개", q)))


def common_prefix(words: list[str]) -> str:
    out = ""
    for chars in zip(*words):
        if len(set(chars)) > 1:
            break
        out += chars[0]
    return out


def duty_named(duties: str, question: str) -> bool:
    """Whether the question names one of a department's duties ('e-러닝·IT과정 운영, … 시설관리' ← '시설관리는 어느 과')."""
    c = canonical(duties)
    words = [w for w in re.findall(r"[가-힣A-Za-z\-]{2,}", question) if w not in QUESTION_NOUNS]
    return any(len(canonical(w)) >= 2 and canonical(w) in c for w in (re.sub(r"(은|는|이|가|을|를|와|과|이랑|랑|의)$", "", w) for w in words))


def passes(value: float, limit: float, above: bool, strict: bool) -> bool:
    if above:
        return value > limit if strict else value >= limit
    return value < limit if strict else value <= limit


def threshold_word(above: bool, strict: bool) -> str:
    return ("초과" if strict else "이상") if above else ("미만" if strict else "이하")


def top_n(question: str, q: str, default: int = 3) -> int:
    """How many a ranking lists: the number asked ('상위 3개'), one for a superlative ('가장'), else `default`."""
    m = re.search(r"(\d+)\s*(개|위|곳)", question)
    return int(m.group(1)) if m else 1 if asks("rank.superlative_top", q) else default


TOTAL_MARK = re.compile(r"(^|\s)(총|계|소계|합계|합 계)(\s|$)")  # the word that makes a row a total ('총 6기')


def is_total(key: str) -> bool:
    """A row that sums others ('합계', 'e-러닝 분야별 합계', '총 6기'): never a ranking's winner."""
    return key.startswith(("합계", "전체")) or bool(TOTAL_MARK.search(key))


def most_named(fs: list[Fact], q: str, keep_all: bool = True, by_title: bool = False) -> list[Fact]:
    """The facts of the rows the question names most ('본교육 6기' over every '본교육' row); all of them
    (or none, with keep_all=False) when it names none. With by_title, a word of the section's own title
    names no row ('리더십 과정들 중에 가장 많은': every course of the leadership program)."""
    counts = [(mention_count(q, f.key, _title(f.section) if by_title else ""), f) for f in fs]
    top = max((c for c, _ in counts), default=0)
    if top == 0:
        return fs if keep_all else []
    best = {(f.table, f.key) for c, f in counts if c == top}
    named = {(f.table, f.key) for c, f in counts if c > 0 and f.table in {t for t, _ in best}}
    narrow = top >= 2 and 2 * len(best) < len(named)  # a few rows of a table named by more words than the rest
    return [f for c, f in counts if (c == top if narrow else c > 0)]


MARK = re.compile(r"(?<![\d년])(\d{1,2}(?:회|기|급|차))")  # a round, cohort or grade: '2회', '3기' (of '제3기'), '5급'


def marks_of(text: str) -> list[str]:
    """The round, cohort or grade marks a text names, spaces ignored ('2회는요' → 2회, '제3기' → 3기)."""
    return list(dict.fromkeys(MARK.findall(compact(text))))


LIST_JOIN = re.compile(r"(?<=[가-힣A-Za-z0-9)])(?:이랑|랑|하고|와|과)\s+|\s*,\s*")  # 'A랑 B', 'A하고 B', 'A, B' (not 및, ·: inside names)


def each_named(fs: list[Fact], question: str) -> list[Fact]:
    """The rows a question lists one by one ('다솜관하고 창의관 면적', '대지면적이랑 건물 연면적'): the row each
    listed part names most, where the whole question's most named rows are fewer than its parts; else
    `most_named` of the whole (no row where it names none)."""
    whole = most_named(fs, compact(question), keep_all=False)
    parts = [p for p in LIST_JOIN.split(question) if p.strip()]
    if len(parts) < 2 or len({f.key for f in whole}) >= len(parts):
        return whole
    picked = [most_named(fs, compact(p), keep_all=False) for p in parts]
    if not all(picked):  # a part that names no row: the parts are not a list of rows
        return whole
    keys = {f.key for fs_ in picked for f in fs_} | {f.key for f in whole}
    return [f for f in fs if f.key in keys]


def _title(section: str) -> str:
    """A section path's titles above its table ('Ⅲ > … > 3 직급별 리더십 교육과정 운영 > 사업개요' → all but the last)."""
    parts = section.split(">")
    return " ".join(parts[:-1]) if len(parts) > 1 else ""


def figure_shown(value, text: str) -> bool:
    if not isinstance(value, (int, float)):
        return False
    forms = {f"{value:,.1f}", f"{value:,.2f}".rstrip("0").rstrip(".")}
    if float(value).is_integer():
        forms.add(f"{int(value):,}")
    return any(re.search(rf"(?<![\d,.]){re.escape(x)}(?![\d]|,\d)", text) for x in forms)


def _named_lines(parts: list[str], facts: list[Fact], question: str) -> list[str]:
    """The answer's lines without the figure lines (and their '같은 행' notes) of rows the question does not name."""
    q = compact(question)
    by_line = {f"- {f.label}: {fmt(f.value, f.unit)}": f for f in facts}
    out: list[str] = []
    dropped = False
    for line in parts:
        if line.startswith("  (같은 행의 다른 수치") and dropped:
            continue
        f = next((f for head, f in by_line.items() if line.startswith(head)), None)
        dropped = f is not None and not mentions_label(q, f.label)
        if not dropped:
            out.append(line)
    return out
