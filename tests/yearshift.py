"""A work report with every year moved on: the same report as if it were written `by` years later.

    shift_years(text, 1)    # '2025년' → '2026년', "'24.3.4." → "'25.3.4.", "'25년말" → "'26년말"

Years are recognised by their form, not by their value alone:
- four digits 2010–2039 standing alone ('2025년', '2024·2025년', '2025. 11.', '2025 주요업무', '(2025)'),
  but not a telephone extension ('☎ 2030', '☎2080', '3488-2021') nor part of a longer figure ('2,025', '12025');
- two digits after an apostrophe ("'25년", "'24.4.2.", "’24.10.28.", "'23-'27", "'25년말").
Nothing else changes: amounts, counts, months, days, extensions and line breaks (so line numbers and the
final-newline state stay as they were).
"""

from __future__ import annotations

import re

FOUR_DIGIT_YEAR = re.compile(r"(?<![\d,.])(?<!\d-)(?<!☎)(?<!☎ )(20[1-3]\d)(?![\d,])")
TWO_DIGIT_YEAR = re.compile(r"(?<=['’‘])(\d\d)(?!\d)")


def year_spans(text: str) -> list[tuple[int, int, int]]:
    """(start, end, year) of every year in the text, four-digit and two-digit ('24 → 2024), in text order."""
    spans = [(m.start(1), m.end(1), int(m.group(1))) for m in FOUR_DIGIT_YEAR.finditer(text)]
    spans += [(m.start(1), m.end(1), 2000 + int(m.group(1))) for m in TWO_DIGIT_YEAR.finditer(text)]
    return sorted(spans)


def shift_years(text: str, by: int = 1) -> str:
    """The text with every year moved on by `by` (negative moves back), written in the form it had."""
    out, last = [], 0
    for start, end, year in year_spans(text):
        moved = year + by
        out.append(text[last:start])
        out.append(str(moved) if end - start == 4 else f"{moved % 100:02d}")
        last = end
    out.append(text[last:])
    return "".join(out)


def non_year_numbers(text: str) -> list[str]:
    """Every digit run that is not a year, in text order (what shifting must leave alone)."""
    years = {start for start, _, _ in year_spans(text)}
    return [m.group(0) for m in re.finditer(r"\d+", text) if m.start() not in years]


def shifted_name(name: str, by: int = 1) -> str:
    """'seoul-hrd-2025-work-report.txt' → 'seoul-hrd-2026-work-report.txt'."""
    return FOUR_DIGIT_YEAR.sub(lambda m: str(int(m.group(1)) + by), name)
