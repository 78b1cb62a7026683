"""Past audit items like a request, by BM25 over Kiwi morphemes of each item's request, actions and plans."""

from __future__ import annotations

import re

from tools.context import ToolContext
from tools.queries import AuditArgs, get_audit

from .model import RelatedItem

MAX_RELATED = 3
KEEP_SHARE = 0.35  # of the best item's score


def audit_rows(ctx: ToolContext) -> list[dict]:
    return [r for r in get_audit(AuditArgs(), ctx).rows if r["table"] == "audit_items"]


def bullets(text: str) -> list[str]:
    """The report's `○ … - …` prose as one line per bullet (tables, grid lines and check-box marks left out)."""
    out = []
    for line in (text or "").split("\n"):
        line = line.strip()
        if not line or line.startswith("|") or " | " in line:
            continue
        for part in re.split(r"\s*(?=○)|\s+(?=- )", line):
            part = part.strip()
            if part.startswith("○"):
                out.append(part.lstrip("○ ").strip())
            elif part.startswith("- ") and out:
                out.append("- " + part[2:].strip())
            elif part and out and not out[-1].startswith("- "):
                out[-1] = f"{out[-1]} {part}"
            elif part:
                out.append(part)
    return [b for b in out if len(b.strip("- ")) > 1]


def _index(ctx: ToolContext):
    cached = ctx.__dict__.get("_draft_audit_index")
    if cached is None:
        from knowledge.index.bm25 import BM25Index, analyse_many

        rows = audit_rows(ctx)
        toks = analyse_many([" ".join([r["request"]] * 2 + [r["actions"] or "", r["plans"] or ""]) for r in rows])
        cached = (rows, BM25Index(toks, b=0.75))
        ctx.__dict__["_draft_audit_index"] = cached
    return cached


def to_related(row: dict, score: float) -> RelatedItem:
    return RelatedItem(kind=row["kind"], seq=int(row["seq"]), department=row.get("department") or "", status=row.get("status") or "",
                       request=" ".join((row.get("request") or "").split()), actions=bullets(row.get("actions") or ""),
                       plans=bullets(row.get("plans") or ""), score=score, audit_year=row.get("audit_year"),
                       section=row.get("section") or "", lines=(row["line_start"], row["line_end"]))


def related_items(tokens: list[str], ctx: ToolContext, *, exclude: str | None = None) -> list[RelatedItem]:
    """The past items most like the request (tokens from `knowledge.index.bm25.analyse`), best first."""
    rows, index = _index(ctx)
    scores = list(index.scores(tokens))
    ranked = sorted(range(len(rows)), key=lambda i: -scores[i])
    best = scores[ranked[0]] if ranked else 0.0
    out = []
    for i in ranked:
        item = to_related(rows[i], float(scores[i]) / best if best else 0.0)
        if best <= 0 or scores[i] < KEEP_SHARE * best or item.ref == exclude:
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
