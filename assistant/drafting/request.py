"""Reading an audit request: which programs, budget lines, training rows and departments it concerns.

The request is matched against the database's own names (and each program's prose in the report) with
BM25 over Kiwi morphemes and the project's synonym table (`knowledge.index.bm25`); when the search
index is built, the sections its passages come from count as well. Nothing here names a program.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from knowledge.names import canonical
from tools.context import ToolContext
from tools.queries import BudgetArgs, ProgramArgs, get_budget, get_program

from .model import Subject

# a subject is kept when it scores at least this share of the best one
KEEP_SHARE = 0.55
MAX_SUBJECTS = 3


@dataclass
class CatalogEntry:
    subject: Subject
    tokens: list[str]
    aliases: list[str] = field(default_factory=list)  # names a request may spell out
    text: str = ""  # what BM25 indexes: the names, and a program's purpose and prose


@dataclass
class RequestReading:
    text: str
    tokens: list[str]
    subjects: list[Subject]
    departments: list[str]  # departments the request names itself
    known: set[str]  # morphemes the report holds (to tell what the data does not cover)


def _program_entries(ctx: ToolContext) -> list[CatalogEntry]:
    lines = (ctx.report_text or "").split("\n")
    out = []
    for title in ctx.vocabulary["program"]:
        res = get_program(ProgramArgs(name=title), ctx)
        row = next(r for r in res.rows if r["table"] == "programs")
        names = [title] + [r.get("name") or r.get("course") or "" for r in res.rows if r["table"] in ("courses", "cohorts", "program_execution")]
        names += [r.get("budget_line") or "" for r in res.rows if r["table"] == "program_execution"]
        prose = " ".join(lines[row["line_start"] - 1: row["line_end"]]) if lines else ""
        subject = Subject("program", title, 0.0, row.get("department"), row.get("section") or "", (row["line_start"], row["line_end"]))
        text = " ".join([title] * 3 + names + [row.get("purpose") or "", prose])
        out.append(CatalogEntry(subject, [], [n for n in dict.fromkeys(names) if n], text))
    return out


def _budget_entries(ctx: ToolContext, linked: set[str]) -> list[CatalogEntry]:
    """The detail budget lines (the deepest level of the budget table) no program claims; a program's own
    line is read with the program."""
    rows: dict[str, dict] = {}
    claimed: set[str] = set()
    for name in ctx.vocabulary["budget_line"]:
        res = get_budget(BudgetArgs(name=name), ctx)
        rows.update({r["name"]: r for r in res.rows if r["table"] == "budget_lines"})
        if any(r["table"] == "program_execution" for r in res.rows):
            claimed.add(name)
    deepest = max((r.get("level") or 0 for r in rows.values()), default=0)
    out = []
    for name, row in rows.items():
        if (row.get("level") or 0) != deepest or name in claimed or canonical(name) in linked:
            continue
        subject = Subject("budget_line", name, 0.0, None, row.get("section") or "", (row["line_start"], row["line_end"]))
        out.append(CatalogEntry(subject, [], [name], " ".join([name] * 3)))
    return out


def catalog(ctx: ToolContext) -> tuple[list[CatalogEntry], object]:
    """The subjects a request can concern, tokenised once per context, and their BM25 index."""
    cached = ctx.__dict__.get("_draft_catalog")
    if cached is not None:
        return cached
    from knowledge.index.bm25 import BM25Index

    from .token_cache import analysed

    programs = _program_entries(ctx)
    linked = {canonical(a) for e in programs for a in e.aliases}
    entries = programs + _budget_entries(ctx, linked)
    toks = analysed([e.text for e in entries], ctx)
    for e, t in zip(entries, toks):
        e.tokens = t
    index = BM25Index(toks, b=0.75)
    ctx.__dict__["_draft_catalog"] = (entries, index)
    return entries, index


def report_morphemes(ctx: ToolContext) -> set[str]:
    """The morphemes of what the report itself says: every line outside the audit items, and the items'
    actions and plans (a council request quoted in the report is not something the data covers)."""
    cached = ctx.__dict__.get("_draft_known")
    if cached is None:
        from .related import audit_rows
        from .token_cache import analysed

        rows = audit_rows(ctx)
        spans = [(r["line_start"], r["line_end"]) for r in rows]
        lines = (ctx.report_text or "").split("\n")
        outside = [ln for i, ln in enumerate(lines, 1) if not any(a <= i <= b for a, b in spans)]
        said = outside + [f"{r['actions'] or ''} {r['plans'] or ''}" for r in rows]
        cached = set().union(*analysed([x for x in said if x.strip()], ctx))
        ctx.__dict__["_draft_known"] = cached
    return cached


def _index_boost(text: str, entries: list[CatalogEntry], ctx: ToolContext) -> dict[int, float]:
    """Reciprocal-rank votes from the search index (when one is built) for the programs whose sections answer."""
    from knowledge.index import index_status

    if index_status(ctx.settings) is None:
        return {}
    from hrd.errors import HrdError
    from tools.queries import SearchArgs, search_documents

    try:
        res = search_documents(SearchArgs(query=text[:400], k=8), ctx)
    except HrdError:
        return {}
    votes: dict[int, float] = {}
    for p in res.passages:
        for i, e in enumerate(entries):
            if e.subject.kind == "program" and e.subject.section and p.section.startswith(e.subject.section):
                votes[i] = votes.get(i, 0.0) + 1.0 / (1 + p.rank)
    return votes


# what may follow a department's name in a sentence ('인재양성과에서'), so '인재양성과정' does not name one
PARTICLES = "에서|에게|에|와|과|의|는|은|이|가|를|을|로|으로|도|만|장|과장"


def named_departments(text: str, ctx: ToolContext) -> list[str]:
    """Departments the request names as words of their own."""
    names = sorted({d.strip() for v in ctx.vocabulary["department"] for d in v.split(",") if d.strip()})
    compact = re.sub(r"\s+", "", text)
    return [n for n in names if re.search(re.escape(n.replace(" ", "")) + rf"(?:(?:{PARTICLES})?(?![가-힣]))", compact)]


def read_request(text: str, ctx: ToolContext) -> RequestReading:
    from knowledge.index.bm25 import analyse

    entries, index = catalog(ctx)
    tokens = analyse(text)
    scores = [float(x) for x in index.scores(tokens)]  # type: ignore[attr-defined]
    top = max(scores, default=0.0)
    votes = _index_boost(text, entries, ctx)
    if votes and top > 0:
        best_vote = max(votes.values())
        scores = [s + 0.5 * top * votes.get(i, 0.0) / best_vote for i, s in enumerate(scores)]
    t = canonical(text)
    for i, e in enumerate(entries):  # a name the request spells out wins
        if any(len(canonical(a)) >= 4 and canonical(a) in t for a in e.aliases):
            scores[i] += top or 1.0
    ranked = sorted(range(len(entries)), key=lambda i: -scores[i])
    best = scores[ranked[0]] if ranked else 0.0
    subjects = []
    for i in ranked[:MAX_SUBJECTS]:
        if best > 0 and scores[i] >= KEEP_SHARE * best:
            s = entries[i].subject
            subjects.append(Subject(s.kind, s.name, float(scores[i]), s.department, s.section, s.lines))
    return RequestReading(text=text, tokens=tokens, subjects=subjects, departments=named_departments(text, ctx),
                          known=report_morphemes(ctx))
