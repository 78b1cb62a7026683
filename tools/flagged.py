"""Passages and figures from lines flagged at ingest as planted instructions (knowledge/planted.py).

A passage keeps its line count, but a flagged line's text (found by the same patterns) is replaced by a marker, so nothing
downstream can quote it as report content; `Passage.flagged` is True and `Passage.flagged_lines`
names the lines. A fact drawn from a flagged line gets `Fact.flagged = True`.
"""

from __future__ import annotations

from knowledge.planted import flags

from .base import ToolResult

MARKER = "[표시된 줄: AI나 독자에게 하는 지시로 보여 보고서 내용으로 인용하지 않습니다]"


def mark_flagged(res: ToolResult, flagged: set[int]) -> ToolResult:
    """Mark (in place) the passages and facts of `res` that hold a flagged line."""
    if not flagged:
        return res
    for p in res.passages:
        if not p.lines:
            continue
        hits = sorted(n for n in flagged if p.lines[0] <= n <= p.lines[-1])
        if not hits:
            continue
        # a chunk's text lines need not map one to one onto report lines: mask by the same patterns
        p.text = "\n".join(MARKER if flags(ln) else ln for ln in p.text.split("\n"))
        p.flagged = True
        p.flagged_lines = sorted(set(p.flagged_lines) | set(hits))
    for f in res.facts:
        if f.lines and any(n in flagged for n in range(f.lines[0], f.lines[-1] + 1)):
            f.flagged = True
    return res
