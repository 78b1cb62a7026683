"""The latest figures for what a request concerns, drawn through the typed tools (every fact keeps its
section and lines): plan vs actual, budget and execution, participation and satisfaction."""

from __future__ import annotations

from tools.base import Fact
from tools.context import ToolContext
from tools.queries import (AuditArgs, BudgetArgs, ExamArgs, ProgramArgs, TrainingArgs, get_audit, get_budget, get_exams,
                           get_program, get_training)

from .model import FigureGroup, RelatedItem, Subject
from .wording import fact_sentence, plan_vs_actual

# the measures a draft states (the rest stay in the tool result): amounts and rates, not every variant
MEASURES = ["전년 예산현액", "예산현액", "증감률", "집행액", "집행률", "연말 집행예상액", "연말 예상 집행률"]
MAX_CELL_FACTS = 12


def _rows_by(facts: list[Fact]) -> list[list[Fact]]:
    """Facts grouped by their source row (table, key, lines), in order."""
    groups: dict[tuple, list[Fact]] = {}
    for f in facts:
        groups.setdefault((f.table, f.key, tuple(f.lines)), []).append(f)
    return list(groups.values())


def _fact_key(f: Fact) -> tuple:
    return (f.table, f.key, f.label, tuple(f.lines))


def _budget_facts(names: list[str], ctx: ToolContext, seen: set[tuple]) -> list[Fact]:
    """Budget and execution of these lines or programs (get_budget with the draft's measures), each fact
    once in the whole draft (two programs may share a budget line)."""
    out: dict[tuple, Fact] = {}
    for name in names:
        for f in get_budget(BudgetArgs(name=name, measures=MEASURES), ctx).facts:
            if _fact_key(f) not in seen:
                out.setdefault(_fact_key(f), f)
    seen |= set(out)
    # the budget table's row first, then the program's own execution rows
    return sorted(out.values(), key=lambda f: (f.table != "budget_lines", f.lines))


def exam_facts(subject: Subject, ctx: ToolContext) -> list[Fact]:
    """Exam, hiring and assessment figures that stand in the program's own section (get_exams per topic)."""
    topics = ExamArgs.model_fields["topic"].annotation.__args__  # the topics the tool serves
    out = []
    for topic in topics:
        res = get_exams(ExamArgs(topic=topic), ctx)
        out += [f for f in res.facts if f.table != "program_metrics" and subject.section and f.section.startswith(subject.section)
                and isinstance(f.value, (int, float))]
    return out


def program_figures(subject: Subject, ctx: ToolContext, seen: set[tuple]) -> FigureGroup:
    res = get_program(ProgramArgs(name=subject.name), ctx)
    metrics = [f for f in res.facts if f.table == "program_metrics"]
    totals = [f for f in res.facts if f.table == "cohorts" and "총" in f.key and isinstance(f.value, (int, float))]
    exams = exam_facts(subject, ctx)
    budget = _budget_facts([r["name"] for r in res.rows if r["table"] == "program_execution"], ctx, seen)
    group = FigureGroup(subject.name)
    group.sentences, derived = plan_vs_actual(metrics)
    group.facts = metrics + derived + totals + exams + budget
    group.sentences += [fact_sentence(g) for g in _rows_by(totals + exams + budget)]
    return group


def budget_figures(subject: Subject, ctx: ToolContext, seen: set[tuple]) -> FigureGroup:
    facts = _budget_facts([subject.name], ctx, seen)
    return FigureGroup(subject.name, facts, [fact_sentence(g) for g in _rows_by(facts)])


def training_figures(tokens: list[str], ctx: ToolContext) -> list[FigureGroup]:
    """Training rows the request names (a delivery mode, or a subcategory of three letters or more)."""
    from knowledge.index.bm25 import analyse

    res = get_training(TrainingArgs(detail=True), ctx)
    have = set(tokens)
    picked: list[Fact] = []
    for r in res.rows:
        if r["table"] != "training_results":
            continue
        if r.get("level") == "subtotal" and r.get("mode"):
            name = r["mode"]
        elif r.get("subcategory") and len(r["subcategory"].replace(" ", "")) >= 3:
            name = r["subcategory"]
        else:
            continue
        want = analyse(name)
        want = [t for t in want if t.startswith("§")] or want
        if want and all(t in have for t in want):
            picked += [f for f in res.facts if f.table == "training_results" and f.lines == [r["line_start"], r["line_end"]]
                       and f.key == " ".join(x for x in (r.get("mode"), r.get("competency_group"), r.get("subcategory")) if x)]
    if not picked:
        return []
    return [FigureGroup("교육 운영 현황", picked, [fact_sentence(g) for g in _rows_by(picked)])]


def item_table_figures(item: RelatedItem, ctx: ToolContext) -> FigureGroup | None:
    """The figures of a past item's own tables (the report's audit responses carry some)."""
    res = get_audit(AuditArgs(kind=item.kind), ctx)
    a, b = item.lines
    facts = [f for f in res.facts if f.table == "audit_table_cells" and f.lines and a <= f.lines[0] <= max(b, a)
             and isinstance(f.value, (int, float))][:MAX_CELL_FACTS]
    if not facts:
        return None
    by_table: dict[tuple, list[Fact]] = {}
    for f in facts:  # one line per table row: the caption once, then each column's value
        by_table.setdefault((f.lines[0], f.label.split(f.key)[0]), []).append(f)
    return FigureGroup(f"{item.kind} {item.seq} 조치결과 표", facts, [fact_sentence(g) for g in by_table.values()])


def gather(subjects: list[Subject], tokens: list[str], related: list[RelatedItem], ctx: ToolContext) -> list[FigureGroup]:
    """Figures of each subject, the training rows the request names, and the tables of the closest item."""
    groups = []
    seen: set[tuple] = set()
    for s in subjects:
        g = program_figures(s, ctx, seen) if s.kind == "program" else budget_figures(s, ctx, seen)
        if g.facts:
            groups.append(g)
    groups += training_figures(tokens, ctx)
    if related:
        g = item_table_figures(related[0], ctx)
        if g is not None:
            groups.append(g)
    return groups
