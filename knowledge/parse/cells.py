"""Reading one table cell or inline figure as the report writes it.

The report's conventions, as a table of cases (see tests/test_cells.py):

    '1,570,038'   → 1570038
    '△1,053,812'  → -1053812       (△ marks a decrease)
    '-' or ''     → None
    '상시'        → None, flag 'always'
    '(59,237)'    → 59237, parenthesised (a figure given for reference, outside the total)
    '78.9%'       → 78.9 ; '100%' and '100.0%' → 100.0
    '12.6:1'      → 12.6 (ratio)
    '9,002편'     → 9002, unit '편'
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_NUM = re.compile(r"^(?P<neg>[△▲−-])?\s*(?P<num>\d{1,3}(?:,\d{3})+|\d+)(?:\.(?P<frac>\d+))?\s*(?P<unit>%|:1|[가-힣㎡]+)?$")


@dataclass(frozen=True)
class Cell:
    """A parsed cell: its numeric value (or None), and how the report marked it."""

    text: str
    value: float | None = None
    unit: str | None = None
    parenthesised: bool = False
    always: bool = False

    @property
    def is_number(self) -> bool:
        return self.value is not None


def parse_cell(text: str) -> Cell:
    raw = text
    s = re.sub(r"\s+", "", text or "")
    if s in ("", "-", "―", "—"):
        return Cell(raw)
    if s == "상시":
        return Cell(raw, always=True)
    paren = False
    if s.startswith("(") and s.endswith(")"):
        paren, s = True, s[1:-1]
    m = _NUM.match(s)
    if not m:
        return Cell(raw, parenthesised=paren)
    value = float(m["num"].replace(",", "") + (("." + m["frac"]) if m["frac"] else ""))
    if m["neg"]:
        value = -value
    unit = m["unit"]
    if unit == ":1":
        unit = "ratio"
    return Cell(raw, value=value, unit=unit, parenthesised=paren)


def number(text: str) -> float | None:
    """The numeric value of a cell, or None."""
    return parse_cell(text).value


def integer(text: str) -> int | None:
    v = number(text)
    return None if v is None else int(round(v))


def to_int(s: str | None) -> int | None:
    """'1,685' → 1685 for figures captured inside prose by a regex."""
    if s is None:
        return None
    return int(s.replace(",", ""))


def to_float(s: str | None) -> float | None:
    if s is None:
        return None
    return float(s.replace(",", ""))


def norm(text: str) -> str:
    """Whitespace-free form used to compare headers and labels ('구 분' == '구분')."""
    return re.sub(r"\s+", "", text or "")
