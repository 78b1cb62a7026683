"""Grounding check: every number in an answer must come from the evidence (tool results and their
passages, never the question alone) or be a derived figure whose inputs do. Shared by every backend."""

from __future__ import annotations

import re
from functools import lru_cache

NUM = re.compile(r"(?<![\d.])[△-]?\d{1,3}(?:,\d{3})+(?:\.\d+)?|(?<![\d.,])[△-]?\d+(?:\.\d+)?")
CITATION = re.compile(r"\[\d+(?:~\d+)?행\]|\(줄 [\d, \-]+\)")
PERCENT_FACTOR = re.compile(r"×\s*(100|0\.3025)(?![\d,.])")  # constants of a formula (percent, ㎡→평), not figures


def numbers(text: str) -> list[float]:
    return list(_numbers(text))


@lru_cache(maxsize=4096)
def _numbers(text: str) -> tuple[float, ...]:
    """The figures of a text (cached: the same tool results are checked again and again)."""
    text = PERCENT_FACTOR.sub(" ", CITATION.sub(" ", text))
    out = []
    for m in NUM.finditer(text):
        s = m.group(0).lstrip("△-").replace(",", "")
        try:
            out.append(float(s))
        except ValueError:
            pass
    return tuple(out)


def _matches(v: float, pool: set[float]) -> bool:
    return any(abs(v - p) < 1e-6 or (not float(v).is_integer() and abs(round(p, 2) - v) < 1e-6) or abs(round(p, 1) - v) < 1e-6 for p in pool)


# after a small integer, a unit that makes it an amount ("0원", "5%", "3명"), not a list marker, count or ordinal
AMOUNT_UNIT = re.compile(r"\s*(?:천원|만원|백만원|억원?|원|%|％|%p|명|㎡|평|점|시간|개월|일\b)")


# a year as a date ("2026년", "2024·2025년", "'25년말"), and a figure restated as the question's condition ("100% 초과")
YEAR_AFTER = re.compile(r"\s*(?:년|·\s*\d{2,4}\s*년)")
CONDITION_AFTER = re.compile(r"\s*(?:천원|만원|원|%|％|%p|명|점|회|건|개)?\s*(?:을|를|이|가)?\s*(?:초과|이상|이하|미만|넘|보다)")


def _figures(text: str) -> list[tuple[float, str]]:
    """(value, role) per figure: 'marker' for a small integer (0–10) that is a list marker, a count of
    items or an ordinal — never an amount —, 'year' for a year written as a date, 'condition' for a
    figure followed by a comparison word, else 'figure'."""
    text = PERCENT_FACTOR.sub(" ", CITATION.sub(" ", text))
    out = []
    for m in NUM.finditer(text):
        raw = m.group(0).lstrip("△-").replace(",", "")
        try:
            v = float(raw)
        except ValueError:
            continue
        if v.is_integer() and 0 <= v <= 10 and "." not in raw and not AMOUNT_UNIT.match(text, m.end()):
            role = "marker"
        elif "." not in raw and "," not in m.group(0) and YEAR_AFTER.match(text, m.end()) and (
                1990 <= v <= 2100 or (m.start() > 0 and text[m.start() - 1] in "'’" and v < 100)):
            role = "year"
        elif CONDITION_AFTER.match(text, m.end()):
            role = "condition"
        else:
            role = "figure"
        out.append((v, role))
    return out


def _year(v: float) -> float:
    return v + 2000 if v < 100 else v


def unsupported(answer: str, evidence: list[str], extra_values: list[float] = (), *, question: str = "",
                years: tuple[int, ...] = ()) -> list[float]:
    """Numbers in `answer` found in none of the evidence texts nor `extra_values` (derived figures).
    The evidence is what the tools returned: a figure only the question holds supports nothing —
    except as a date (a year the question or the report names: `years`) or restated as the question's
    own condition ("100% 초과인 분야")."""
    pool = {abs(x) for t in evidence for x in numbers(t)} | {abs(float(x)) for x in extra_values}
    asked = {abs(x) for x in numbers(question)}
    known_years = {float(y) for y in years} | {x for x in asked | pool if 1990 <= x <= 2100}
    bad = []
    for v, role in _figures(answer):
        if role == "marker" or (role == "year" and _year(v) in known_years) or (role == "condition" and v in asked):
            continue
        if not _matches(v, pool):
            bad.append(v)
    return bad


def strip_unsupported(answer: str, bad: list[float]) -> str:
    def repl(m: re.Match) -> str:
        s = m.group(0).lstrip("△-").replace(",", "")
        try:
            return "[확인 불가]" if float(s) in bad else m.group(0)
        except ValueError:
            return m.group(0)
    return NUM.sub(repl, answer)
