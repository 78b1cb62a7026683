"""Past audit items like a request, by BM25 over Kiwi morphemes of each item's request, actions and plans."""

from __future__ import annotations

import re

from tools.context import ToolContext
from tools.queries import AuditArgs, get_audit

from .model import RelatedItem

MAX_RELATED = 3
KEEP_SHARE = 0.35  # of the best item's score
MIN_OVERLAP = 0.3  # of the request's distinctive words
COMMON_SHARE = 0.2  # a word in more than this share of the past requests is not distinctive
STRONG_OVERLAP = 0.5  # a past item this close speaks for the request (its department, its tables)


def audit_rows(ctx: ToolContext) -> list[dict]:
    return [r for r in get_audit(AuditArgs(), ctx).rows if r["table"] == "audit_items"]


def _is_grid(line: str) -> bool:
    """A line of the raw HTML-table rendering (`| | cell | | cell |`), which the clean table repeats."""
    return line.lstrip().startswith("|")


def _drop_table(lines: list[str]) -> list[str]:
    """The text before a trailing `a | b | c` table, without the table's cells repeated one per line above
    it (the report text carries each embedded table three times; its figures come from the cell facts)."""
    end = start = len(lines)
    while start > 0 and " | " in lines[start - 1] and not _is_grid(lines[start - 1]):
        start -= 1
    if start == end:
        return lines
    cells = [c.strip() for ln in lines[start:end] for c in ln.split("|")]
    head = lines[:start]
    n = len(cells)
    if n and [x.strip() for x in head[-n:]] == cells:
        head = head[:-n]
    return head


def bullets(text: str) -> list[str]:
    """The report's `○ … - …` prose as one line per bullet ('- …' for the dash lines); tables left out."""
    out: list[str] = []
    for part in re.split(r"\s*○\s*", (text or "").strip()):
        lines = [re.sub(r"\s*\|\s*\|.*$", "", ln).rstrip() for ln in part.split("\n") if ln.strip() and not _is_grid(ln)]
        lines = _drop_table([ln for ln in lines if ln.strip()])
        para = " ".join(ln.strip() for ln in lines).strip()
        if not para:
            continue
        pieces = re.split(r"\s+(?=- )", para)
        out.append(pieces[0].lstrip("- ").strip())
        out += ["- " + p[2:].strip() for p in pieces[1:] if p[2:].strip()]
    return [b for b in out if len(b.strip("- ")) > 1]


def _index(ctx: ToolContext):
    cached = ctx.__dict__.get("_draft_audit_index")
    if cached is None:
        from knowledge.index.bm25 import BM25Index

        from .token_cache import analysed

        rows = audit_rows(ctx)
        toks = analysed([" ".join([r["request"]] * 2 + [r["actions"] or "", r["plans"] or ""]) for r in rows], ctx)
        words = [set(t) for t in analysed([r["request"] for r in rows], ctx)]
        # words most requests use ('교육', '필요', '마련') say nothing about which item is alike
        common = {t for t in set().union(*words) if sum(t in w for w in words) > COMMON_SHARE * len(words)} if words else set()
        cached = (rows, BM25Index(toks, b=0.75), [w - common for w in words], common)
        ctx.__dict__["_draft_audit_index"] = cached
    return cached


def to_related(row: dict, score: float) -> RelatedItem:
    return RelatedItem(kind=row["kind"], seq=int(row["seq"]), department=row.get("department") or "", status=row.get("status") or "",
                       request=" ".join((row.get("request") or "").split()), actions=bullets(row.get("actions") or ""),
                       plans=bullets(row.get("plans") or ""), score=score, audit_year=row.get("audit_year"),
                       section=row.get("section") or "", lines=(row["line_start"], row["line_end"]))


def related_items(tokens: list[str], ctx: ToolContext, *, exclude: str | None = None) -> list[RelatedItem]:
    """The past items most like the request (tokens from `knowledge.index.bm25.analyse`), best first:
    ranked by BM25, kept when close to the best and when they share enough of the request's words."""
    rows, index, words, common = _index(ctx)
    scores = [float(x) for x in index.scores(tokens)]
    ranked = sorted(range(len(rows)), key=lambda i: -scores[i])
    best = scores[ranked[0]] if ranked else 0.0
    mine = set(tokens) - common
    out = []
    for i in ranked:
        item = to_related(rows[i], scores[i] / best if best else 0.0)
        item.overlap = len(mine & words[i]) / len(mine) if mine else 0.0
        if best <= 0 or scores[i] < KEEP_SHARE * best or item.ref == exclude or item.overlap < MIN_OVERLAP:
            continue
        out.append(item)
        if len(out) == MAX_RELATED:
            break
    return out


def find_item(ref: str, ctx: ToolContext) -> dict:
    """The audit item named `KIND:SEQ` (e.g. the report's kind names and 1-based numbers)."""
    from hrd.errors import InputError, NotFoundError

    rows = audit_rows(ctx)
    valid = [f"{r['kind']}:{r['seq']}" for r in rows]
    kind, sep, seq = (ref or "").strip().rpartition(":")
    if not sep or not seq.strip().isdigit():
        raise InputError(f"항목은 '구분:번호' 모양으로 적어 주세요(예: {valid[0]}). 있는 항목: " + ", ".join(valid))
    hit = [r for r in rows if r["kind"] == kind.strip() and int(r["seq"]) == int(seq)]
    if not hit:
        raise NotFoundError(f"행정사무감사 {ref}", valid)
    return hit[0]
