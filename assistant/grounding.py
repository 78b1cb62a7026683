"""Grounding check: every number in an answer must come from the evidence (tool results, passages,
the question) or be a derived figure whose inputs do. Shared by every backend."""

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


def unsupported(answer: str, evidence: list[str], extra_values: list[float] = ()) -> list[float]:
    """Numbers in `answer` found in none of the evidence texts nor `extra_values` (derived figures)."""
    pool = {abs(x) for t in evidence for x in numbers(t)} | {abs(float(x)) for x in extra_values}
    small = {float(i) for i in range(0, 11)}  # list ordinals and counts of bullet items
    return [v for v in numbers(answer) if v not in small and not _matches(v, pool)]


def strip_unsupported(answer: str, bad: list[float]) -> str:
    def repl(m: re.Match) -> str:
        s = m.group(0).lstrip("△-").replace(",", "")
        try:
            return "[확인 불가]" if float(s) in bad else m.group(0)
        except ValueError:
            return m.group(0)
    return NUM.sub(repl, answer)
