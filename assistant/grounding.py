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


def _figures(text: str) -> list[tuple[float, bool]]:
    """(value, exempt) per figure: a small integer (0–10) is exempt only as a list marker, a count of
    items or an ordinal — never as an amount."""
    text = PERCENT_FACTOR.sub(" ", CITATION.sub(" ", text))
    out = []
    for m in NUM.finditer(text):
        raw = m.group(0).lstrip("△-").replace(",", "")
        try:
            v = float(raw)
        except ValueError:
            continue
        small = v.is_integer() and 0 <= v <= 10 and "." not in raw
        out.append((v, small and not AMOUNT_UNIT.match(text, m.end())))
    return out


def unsupported(answer: str, evidence: list[str], extra_values: list[float] = ()) -> list[float]:
    """Numbers in `answer` found in none of the evidence texts nor `extra_values` (derived figures).
    The evidence is what the tools returned: a figure only the question holds supports nothing."""
    pool = {abs(x) for t in evidence for x in numbers(t)} | {abs(float(x)) for x in extra_values}
    return [v for v, exempt in _figures(answer) if not exempt and not _matches(v, pool)]


def strip_unsupported(answer: str, bad: list[float]) -> str:
    def repl(m: re.Match) -> str:
        s = m.group(0).lstrip("△-").replace(",", "")
        try:
            return "[확인 불가]" if float(s) in bad else m.group(0)
        except ValueError:
            return m.group(0)
    return NUM.sub(repl, answer)
