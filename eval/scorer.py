"""Scoring of hrd-assistant answers against evaluation cases.

Pure functions; only the standard library is used.  The rules follow
/work/shared/eval-format.md ("Scoring"):

* The **lead** of an answer is its text up to the first blank line (``\n\n``),
  or the whole text where there is none (:func:`lead_of`).
* An answerable case is correct when the answer is not a refusal, its lead
  holds every expected number and every expected term, and its lead states no
  more than ``max(6, 3n + 2)`` distinct figures (n = expected numbers;
  :func:`lead_figures` leaves out line citations, years, dates and times and
  integers up to 12).
* The **lenient** verdict (expected numbers and terms anywhere in the text, no
  cap) is reported beside it (``CaseScore.lenient``); it is not the accuracy.
* An ``unanswerable`` case is correct when the answer is a refusal
  (``refused: true``) and states no figure as if it were the answer.
* A fabricated number is a number in an answer that appears in none of the
  evidence texts (tool results, passages) or the question.

Reading numbers (:func:`read_numbers`)
--------------------------------------
* Thousands separators are removed: ``1,570,038`` -> 1570038.
* Decimals are kept: ``78.9%`` -> 78.9, ``4.53점`` -> 4.53.
* A sign ``△ ▽ ▲ − – -`` directly before a digit makes the number negative
  (the report writes decreases as ``△1,053,812``).  ``-`` only counts as a sign
  when it does not follow a letter or digit, so the phone number ``3488-2120``
  reads as 3488 and 2120.  :func:`number_matches` compares absolute values,
  so an expected 1053812 or -1053812 both match ``△1,053,812``.
* Ratios ``12.6:1`` give 12.6 and 1; ranges ``7~9급`` give 7 and 9.
* Dates: ``6. 21.`` gives 6 and 21; a chain of dotted parts such as
  ``'25.1.17.`` gives 25, 1 and 17; a dotted pair after an apostrophe year
  (``'25.11.``, ``'25.4``) gives 25 and 11; ``6.21.`` (a dotted pair closed by a dot,
  month 1-12 and day 1-31) gives 6 and 21, while ``78.9.`` at the end of a
  sentence stays 78.9.  A plain ``8.16`` stays the decimal 8.16; when scoring
  an answer, :func:`date_parts` additionally offers 8 and 16 for such a
  month.day-like token, so an expected date (8, 16) matches ``(8.16)``.
* Korean unit suffixes (천원, 백만원, 명, 개, 회, 점, %, ㎡, 억 …) do not break a
  number; they are simply not part of it.

Matching (:func:`number_matches`)
---------------------------------
The found number is rounded (half up) to the number of decimals written in the
expected number and compared by absolute value: expected 78.9 matches 78.9,
78.90 and 78.94 but not 79; expected 96 matches 96.0; expected 1570038 matches
1570038 only.

What :func:`fabricated_numbers` ignores
---------------------------------------
1. Citation markers: ``(line 231)``, ``lines 231-237``, ``line 231~237``,
   ``L231``, ``L231-237``, ``231행``, ``231~237행``, ``231-237행``.
2. The years 2024, 2025 and 2026 written out in full, and two-digit years
   written with an apostrophe (``'24``, ``'25``, ``'26``).
3. List ordinals: a number at the start of a line followed by ``.`` or ``)``
   and a space (``1. 신입자 …``, ``2) …``).
Everything else is checked.  An answer number is supported when some number
in the evidence or question, rounded to the answer number's precision, equals
it (so an answer may round 78.94 to 78.9 or 79, but may not add precision the
evidence lacks).  Derived figures (sums, differences) are therefore reported as
fabricated unless the evidence texts passed in contain them (e.g. a ``facts``
entry with its formula).

Unanswerable cases use the same ignore rules: a refusal may mention the
question's own numbers, cite lines and name the report years without failing.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any, Iterable

__all__ = [
    "CaseScore",
    "read_numbers",
    "number_matches",
    "normalize_term",
    "term_present",
    "score_case",
    "fabricated_numbers",
    "summarize",
    "strip_ignored",
    "date_parts",
    "lead_of",
    "lead_figures",
    "figure_cap",
]

_SIGNS = "△▽▲−–-"
# sign? digits (with thousands separators or plain) decimal-part*
_NUM_RE = re.compile(
    r"(?P<sign>[△▽▲−–-])?"
    r"(?P<int>\d{1,3}(?:,\d{3})+(?!\d)|\d+)"
    r"(?P<frac>(?:\.\d+)*)"
    r"(?P<trail>\.)?"
)


def _to_float(int_part: str, frac: str = "") -> float:
    return float(int_part.replace(",", "") + frac)


def read_numbers(text: str) -> list[float]:
    """Return every number in ``text`` as a float, in order of appearance."""
    if not text:
        return []
    out: list[float] = []
    for m in _NUM_RE.finditer(text):
        sign = m.group("sign")
        start = m.start()
        if sign == "-" or sign == "–":
            # a hyphen between word characters is not a minus (3488-2120, e-러닝)
            if start > 0 and (text[start - 1].isalnum()):
                sign = None
        negative = sign is not None
        int_part = m.group("int")
        frac = m.group("frac") or ""
        parts = [p for p in frac.split(".") if p]
        after_apostrophe = start > 0 and text[start - 1] in "'’‘" and not sign
        if len(parts) >= 2 or (len(parts) == 1 and (after_apostrophe or (m.group("trail") and _is_month_day(int_part, parts[0])))):
            # date-like chain: 25.1.17. / 6.21.  -> integers
            vals = [_to_float(int_part)] + [float(p) for p in parts]
            if negative:
                vals[0] = -vals[0]
            out.extend(vals)
            continue
        value = _to_float(int_part, "." + parts[0] if parts else "")
        out.append(-value if negative else value)
    return out


def _is_month_day(a: str, b: str) -> bool:
    return len(a) <= 2 and len(b) <= 2 and 1 <= int(a) <= 12 and 1 <= int(b) <= 31


_MONTH_DAY_RE = re.compile(r"(?<![\d.,])(\d{1,2})\.(\d{1,2})(?![\d.:%]|\s*(?:%|점|억|배|:))")


def date_parts(text: str) -> list[float]:
    """Month and day of every ``M.D`` token (``(8.16)`` -> 8, 16), for matching only."""
    out: list[float] = []
    for m in _MONTH_DAY_RE.finditer(text or ""):
        if _is_month_day(m.group(1), m.group(2)):
            out.extend([float(m.group(1)), float(m.group(2))])
    return out


def _decimals(x: float | int | str) -> int:
    try:
        d = Decimal(str(x))
    except InvalidOperation:
        return 0
    exp = d.as_tuple().exponent
    return max(0, -exp) if isinstance(exp, int) else 0


def _round(x: float, places: int) -> Decimal:
    q = Decimal(1).scaleb(-places)
    return Decimal(str(x)).quantize(q, rounding=ROUND_HALF_UP)


def number_matches(expected: float | int, found: float | int) -> bool:
    """True when ``found`` equals ``expected`` at the expected precision.

    Absolute values are compared, so a decrease written ``△1,053,812`` matches
    an expected 1053812 or -1053812.
    """
    places = _decimals(expected)
    try:
        return _round(abs(float(found)), places) == _round(abs(float(expected)), places)
    except (InvalidOperation, ValueError, OverflowError):
        return False


def normalize_term(s: str) -> str:
    return re.sub(r"\s+", "", s or "").casefold()


def term_present(term: str, text: str) -> bool:
    """A term is present when it (or, for 'A|B', either alternative) stands in the text, spaces aside."""
    body = normalize_term(text)
    return any(normalize_term(alt) in body for alt in (term or "").split("|") if alt.strip())


# ---------------------------------------------------------------- ignoring
_CITATION_RES = [
    re.compile(r"\blines?\s*\d+(?:\s*[-~–,]\s*\d+)*", re.IGNORECASE),
    re.compile(r"(?<![A-Za-z])L\d+(?:\s*[-~–]\s*L?\d+)?"),
    re.compile(r"\d+(?:\s*[-~–]\s*\d+)?\s*행"),
]
_YEAR_RE = re.compile(r"(?<!\d)(?:2024|2025|2026)(?![\d,.]\d)")
_SHORT_YEAR_RE = re.compile(r"['’‘](?:24|25|26)(?!\d)")
_ORDINAL_RE = re.compile(r"(?m)^(\s*)\d+[.)](?=\s)")


def strip_ignored(text: str) -> str:
    """Blank out citation markers, report years and list ordinals (see module doc)."""
    if not text:
        return ""
    for rx in _CITATION_RES:
        text = rx.sub(" ", text)
    text = _YEAR_RE.sub(" ", text)
    text = _SHORT_YEAR_RE.sub("' ", text)
    text = _ORDINAL_RE.sub(lambda m: m.group(1), text)
    return text


def _supported(x: float, pool: Iterable[float]) -> bool:
    return any(number_matches(x, p) for p in pool)


def fabricated_numbers(answer_text: str, evidence_texts: list[str], question: str = "") -> list[float]:
    """Numbers in ``answer_text`` found in none of ``evidence_texts`` nor ``question``."""
    pool: list[float] = []
    for t in list(evidence_texts or []) + [question or ""]:
        pool.extend(read_numbers(t))
    out: list[float] = []
    for x in read_numbers(strip_ignored(answer_text)):
        if not _supported(x, pool):
            out.append(x)
    return out



# ---------------------------------------------------------------- the lead
def lead_of(text: str) -> str:
    """The answer's first paragraph: up to the first blank line, or the whole text."""
    text = text or ""
    i = text.find("\n\n")
    return text if i < 0 else text[:i]


_LEAD_CITATION_RES = _CITATION_RES + [re.compile(r"줄\s*\d+(?:\s*[-~–]\s*\d+)?")]
_LEAD_YEAR_RES = [
    re.compile(r"(?<![\d,.])(?:19|20)\d{2}(?=\s*(?:년|학년도|회계연도))"),
    re.compile(r"['’‘]\d{2}(?=\s*년|[.\s)]|$)"),
    re.compile(r"(?<![\d,.])(?:19|20)\d{2}(?![\d,.]?\d)(?!\s*(?:천원|백만원|억|원|명|%|점|㎡|개|회|건|곳|배|시간|과정|일))"),
]
_LEAD_DATE_RES = [
    re.compile(r"\d{1,2}\s*월\s*\d{1,2}\s*일"),
    re.compile(r"(?<![\d.,])\d{1,2}\s*월(?!\s*\d)"),
    re.compile(r"(?<![\d.,])\d{1,2}\s*일(?![가-힣])"),
    re.compile(r"(?<![\d.,])\d{1,2}:\d{2}(?::\d{2})?"),
    re.compile(r"(?<![\d.,])\d{1,2}\.\s*\d{1,2}\.\s*\d{1,2}\.?"),
    re.compile(r"(?<![\d.,])\d{1,2}\.\s*\d{1,2}\.(?!\d)"),
]


def lead_figures(lead: str) -> list[float]:
    """The distinct figures a lead states (absolute values, in order): line citations, years, dates
    and times, and integers up to 12 are not counted."""
    text = lead or ""
    for rx in _LEAD_CITATION_RES + _LEAD_YEAR_RES + _LEAD_DATE_RES:
        text = rx.sub(" ", text)
    out: list[float] = []
    for x in read_numbers(text):
        v = abs(x)
        if v <= 12 and float(v).is_integer():
            continue
        if v not in out:
            out.append(v)
    return out


def figure_cap(n_expected: int) -> int:
    """How many figures a lead may state for a case expecting ``n_expected`` numbers."""
    return max(6, 3 * n_expected + 2)

# ---------------------------------------------------------------- scoring
@dataclass
class CaseScore:
    id: str
    kind: str
    correct: bool
    missing_numbers: list[float] = field(default_factory=list)
    missing_terms: list[str] = field(default_factory=list)
    refusal_ok: bool | None = None
    reason: str = ""
    stated_numbers: list[float] = field(default_factory=list)
    lenient: bool | None = None  # expected numbers and terms anywhere in the text, no cap
    lead_figures: int = 0


def _answer_text(answer: dict[str, Any]) -> str:
    text = answer.get("answer")
    return text if isinstance(text, str) else ("" if text is None else str(text))


def score_case(case: dict[str, Any], answer: dict[str, Any]) -> CaseScore:
    cid = str(case.get("id", ""))
    kind = str(case.get("kind", ""))
    text = _answer_text(answer or {})
    refused = bool((answer or {}).get("refused", False))

    if kind == "unanswerable":
        q_nums = read_numbers(case.get("question", ""))
        stated = [x for x in read_numbers(strip_ignored(text)) if not _supported(x, q_nums)]
        for fact in (answer or {}).get("facts") or []:
            v = fact.get("value") if isinstance(fact, dict) else None
            try:
                fv = float(v)
            except (TypeError, ValueError):
                continue
            if not _supported(fv, q_nums):
                stated.append(fv)
        if not refused:
            return CaseScore(cid, kind, False, refusal_ok=False, reason="not refused", stated_numbers=stated, lenient=False)
        if stated:
            return CaseScore(
                cid, kind, False, refusal_ok=False,
                reason=f"refusal states figures {stated}", stated_numbers=stated, lenient=False,
            )
        return CaseScore(cid, kind, True, refusal_ok=True, reason="refused without figures", lenient=True)

    expected = list(case.get("numbers") or [])
    terms = list(case.get("terms") or [])
    lead = lead_of(text)
    lead_found = read_numbers(lead) + date_parts(lead)
    missing_numbers = [n for n in expected if not _supported(n, lead_found)]
    missing_terms = [t for t in terms if not term_present(t, lead)]
    figures = lead_figures(lead)
    cap = figure_cap(len(expected))
    everywhere = read_numbers(text) + date_parts(text)
    lenient = not refused and all(_supported(n, everywhere) for n in expected) and all(term_present(t, text) for t in terms)
    reasons = []
    if refused:
        reasons.append("refused an answerable question")
    if missing_numbers:
        reasons.append(f"lead misses numbers {missing_numbers}")
    if missing_terms:
        reasons.append(f"lead misses terms {missing_terms}")
    if len(figures) > cap:
        reasons.append(f"lead states {len(figures)} figures (cap {cap})")
    correct = not reasons
    return CaseScore(
        cid, kind, correct,
        missing_numbers=missing_numbers,
        missing_terms=missing_terms,
        refusal_ok=None if not refused else False,
        reason="ok" if correct else "; ".join(reasons),
        lenient=lenient,
        lead_figures=len(figures),
    )


def summarize(scores: Iterable[CaseScore]) -> dict[str, Any]:
    """Accuracy per kind and overall: {"overall": {...}, "by_kind": {kind: {...}}}."""
    scores = list(scores)

    def block(items: list[CaseScore]) -> dict[str, Any]:
        n = len(items)
        c = sum(1 for s in items if s.correct)
        return {"n": n, "correct": c, "accuracy": (c / n) if n else 0.0}

    kinds = sorted({s.kind for s in scores})
    return {
        "overall": block(scores),
        "by_kind": {k: block([s for s in scores if s.kind == k]) for k in kinds},
    }
