"""One function per question family. Each takes a pydantic argument model and returns a ToolResult
whose every figure carries its provenance (table, row, report, section, lines, unit)."""

from __future__ import annotations

import re
from typing import Any, Literal

from pydantic import BaseModel, Field
from sqlalchemy import select

from hrd.errors import IndexUnavailableError
from knowledge.models import (AuditItem, AuditSummary, AuditTable, AuditTableCell, BudgetLine, CareerHiring, Cohort,
                              CompetencyAssessment, Contact, Course, Department, ElearningCategory, Equipment, Exam, ExamSchedule, Facility, Finding,
                              InternationalTraining, Organization, Program, ProgramExecution, ProgramMetric, Revenue, Strategy, Task,
                              TrainingOverview, TrainingResult)
from knowledge.names import canonical, line_key
from knowledge.parse.html_tables import unit_of
from knowledge.planted import RULE as PLANTED

from .base import Fact, Passage, ToolResult
from .context import ToolContext
from .fields import FIELDS, KEY_COLUMNS, TABLE_PHASES, column_period, column_phase
from .flagged import mark_flagged
from .resolve import resolve, score


def row_key(table: str, row: Any) -> str:
    return " ".join(str(getattr(row, c)) for c in KEY_COLUMNS.get(table, ()) if getattr(row, c, None) not in (None, ""))


def row_phase(row: dict) -> str:
    """계획 | 실적 where the row itself says (a table with a phase column)."""
    phase = str(row.get("phase") or "")
    return phase if phase in ("계획", "실적") else ""


def facts_of(ctx: ToolContext, table: str, row: Any, fields: list[str] | None = None, subject: str | None = None) -> list[Fact]:
    out = []
    key = row_key(table, row) or subject or ""  # a table of one row is named by its subject ('국제연수')
    for f, (label, unit) in FIELDS[table].items():
        if fields is not None and f not in fields:
            continue
        v = getattr(row, f, None)
        if v is None:
            continue
        fmt = {c.key: getattr(row, c.key) for c in row.__table__.columns}
        measure = label.format(**fmt)
        out.append(Fact(label=f"{subject or key} {measure}".strip(), value=v, unit=unit.format(**fmt), table=table,
                        key=key, source=ctx.report.file_name, section=row.section, lines=[row.line_start, row.line_end],
                        column=f, measure=measure, period=column_period(label, fmt), phase=column_phase(f) or row_phase(fmt) or TABLE_PHASES.get(table, "")))
    return out


def row_dict(row: Any) -> dict:
    return {c.key: getattr(row, c.key) for c in row.__table__.columns if c.key not in ("id", "report_id")}


def _all(ctx: ToolContext, model, *where, order=None) -> list:
    """Rows of a table for the current report. A report's rows never change once ingested, so whole
    tables are kept per context; filtered reads go to the database."""
    if not where and order is None:
        cache = ctx.__dict__.setdefault("_table_cache", {})
        if model not in cache:
            cache[model] = _load(ctx, model)
        return cache[model]
    return _load(ctx, model, *where, order=order)


def _load(ctx: ToolContext, model, *where, order=None) -> list:
    with ctx.session() as s:
        q = select(model).where(model.report_id == ctx.report.id, *where)
        q = q.order_by(order if order is not None else model.line_start)
        rows = s.scalars(q).all()
        for r in rows:
            s.expunge(r)
        return rows


def findings_touching(ctx: ToolContext, rows: list) -> list[dict]:
    """Consistency findings whose cited lines include any of these rows' lines."""
    spans = {(r.line_start, r.line_end) for r in rows}
    out = []
    for f in _all(ctx, Finding):
        if f.rule == PLANTED:
            continue
        cited = []
        for part in (f.lines_a + "," + f.lines_b).split(","):
            part = part.strip()
            if part:
                a, _, b = part.partition("-")
                cited.append((int(a), int(b or a)))
        a_part = cited[:1]
        b_part = cited[1:] if len(cited) <= 4 else []
        if any(s <= c2 and c1 <= e for (s, e) in spans for (c1, c2) in a_part + b_part):
            out.append(row_dict(f))
    return out


# ---------------------------------------------------------------- budget

BudgetMeasure = Literal["예산현액", "전년 예산현액", "증감액", "증감률", "집행액", "집행률", "지출액", "지출 집행률", "연말 집행예상액", "연말 예상 집행률"]
LINE_FIELDS = {"예산현액": "amount", "전년 예산현액": "amount_prev", "증감액": "change", "증감률": "change_rate", "집행액": "executed", "집행률": "execution_rate"}
PROG_FIELDS = {"예산현액": "budget", "집행액": "committed", "집행률": "committed_rate", "지출액": "spent", "지출 집행률": "spent_rate",
               "연말 집행예상액": "forecast", "연말 예상 집행률": "forecast_rate"}


class BudgetArgs(BaseModel):
    """예산 조회 / a budget line or a program's budget and execution."""

    name: str = Field(description="사업명 또는 예산 항목명(부분 일치 가능), 예: '신규자과정운영', 'IT 교육', '합계'")
    measures: list[BudgetMeasure] = Field(default_factory=list, description="원하는 항목(비우면 전부)")
    year: int | None = Field(default=None, description="연도(보고서는 올해와 전년의 예산현액만 담고 있음)")


def get_budget(args: BudgetArgs, ctx: ToolContext) -> ToolResult:
    """사업·예산 항목의 예산현액, 증감, 집행액·집행률, 지출액, 연말 집행예상액을 출처와 함께 돌려줍니다."""
    lines = _all(ctx, BudgetLine)
    progs = _all(ctx, ProgramExecution)
    names = [l.name for l in lines] + [p.name for p in progs] + [p.program for p in progs]
    best = resolve(args.name, names, strict=False)
    res = ToolResult(tool="get_budget")
    if not best:
        res.found, res.candidates, res.reason = False, [l.name for l in lines if l.level == 3], "not_found"
        res.note = f"'{args.name}'에 해당하는 예산 항목이 보고서에 없습니다."
        return res
    keys = {line_key(b) for b in best}
    hit_lines = [l for l in lines if l.name in best or line_key(l.name) in keys]
    hit_progs = [p for p in progs if p.name in best or p.program in best or line_key(p.name) in keys
                 or (p.budget_line and p.budget_line in [l.name for l in hit_lines])]
    linked = {p.budget_line for p in hit_progs if p.budget_line}
    hit_lines += [l for l in lines if l.name in linked and l not in hit_lines]
    years = sorted({l.year for l in lines} | {l.year_prev for l in lines})
    if args.year is not None and args.year not in years:
        res.found, res.reason = False, "period_not_covered"
        res.note = f"보고서에는 {', '.join(map(str, years))}년 예산만 있습니다({args.year}년 자료 없음)."
        res.candidates = [str(y) for y in years]
        return res
    want = set(args.measures)
    if args.year is not None and lines and args.year == lines[0].year_prev:
        lf = ["amount_prev"]
        pf: list[str] = []
        res.reason = "measure_not_for_period"
        res.note = f"{args.year}년은 예산현액만 보고서에 있습니다(집행 실적은 {lines[0].year}년만)."
    else:
        lf = [LINE_FIELDS[m] for m in want if m in LINE_FIELDS] or None
        pf = [PROG_FIELDS[m] for m in want if m in PROG_FIELDS] or None
    for l in hit_lines:
        res.facts += facts_of(ctx, "budget_lines", l, lf)
        res.rows.append({"table": "budget_lines", **row_dict(l)})
    if pf != []:
        for p in hit_progs:
            res.facts += facts_of(ctx, "program_execution", p, pf, subject=p.name)
            res.rows.append({"table": "program_execution", **row_dict(p)})
    res.findings = findings_touching(ctx, hit_lines + hit_progs)
    if len({line_key(b) for b in best}) > 1:
        res.candidates = best
    return res


class RankArgs(BaseModel):
    """예산 순위 / rank budget lines or programs by a measure."""

    measure: BudgetMeasure = Field(default="집행률", description="정렬 기준")
    order: Literal["desc", "asc"] = Field(default="desc", description="desc=높은 순, asc=낮은 순")
    n: int = Field(default=3, ge=1, le=30)
    scope: Literal["lines", "programs"] = Field(default="lines", description="lines=세출예산 표의 세부사업, programs=사업별 예산집행 현황")
    also: list[BudgetMeasure] = Field(default_factory=list, max_length=6,
                                      description="순위에 든 행의 다른 수치도 / other measures of the ranked rows")


def rank_budget(args: RankArgs, ctx: ToolContext) -> ToolResult:
    """세부사업(또는 사업별 집행 현황)을 예산·집행액·집행률 등으로 정렬해 상위/하위 N개를 돌려줍니다."""
    res = ToolResult(tool="rank_budget")
    if args.scope == "lines" and args.measure in LINE_FIELDS:
        field, table = LINE_FIELDS[args.measure], "budget_lines"
        rows = [l for l in _all(ctx, BudgetLine) if l.level == 3 and getattr(l, field) is not None]
    else:
        field, table = PROG_FIELDS.get(args.measure, "committed_rate"), "program_execution"
        rows = [p for p in _all(ctx, ProgramExecution) if getattr(p, field) is not None]
    rows.sort(key=lambda r: getattr(r, field), reverse=args.order == "desc")
    fields = {"budget_lines": LINE_FIELDS, "program_execution": PROG_FIELDS}[table]
    extra = [fields[m] for m in args.also if m in fields and fields[m] != field]
    for i, r in enumerate(rows[: args.n], start=1):
        res.facts += facts_of(ctx, table, r, [field]) + (facts_of(ctx, table, r, extra) if extra else [])  # the ranked measure first
        res.rows.append({"table": table, "rank": i, **row_dict(r)})
    res.note = f"{'높은' if args.order == 'desc' else '낮은'} 순 {args.measure}"
    res.findings = findings_touching(ctx, rows[: args.n])
    return res


# ---------------------------------------------------------------- training

class TrainingArgs(BaseModel):
    """교육 운영 현황 / training plan vs results."""

    mode: Literal["전체", "집합", "e-러닝", "u-지식여행"] | None = Field(default=None, description="교육 방식")
    group: str | None = Field(default=None, description="역량군: 기본역량, 리더십역량, 직무역량, 공공역량, 개인학습")
    subcategory: str | None = Field(default=None, description="세부 구분: 핵심가치, 인문소양, 신규임용, 직급, 역량, 공통, 전문, IT, 실무관, 자격증, 외국어")
    detail: bool = Field(default=False, description="세부 분야 행을 모두 (순위·기준 비교용) / every detail row, for rankings")


def get_training(args: TrainingArgs, ctx: ToolContext) -> ToolResult:
    """집합/e-러닝 × 역량군 × 세부구분별 계획·실적(과정수, 횟수, 인원), 참여율, 만족도를 돌려줍니다."""
    rows = _all(ctx, TrainingResult)
    res = ToolResult(tool="get_training")
    sel = rows
    if args.mode:
        sel = [r for r in sel if r.mode == args.mode]
    if args.group:
        sel = [r for r in sel if r.competency_group and score(args.group, r.competency_group) > 0]
    if args.subcategory:
        sel = [r for r in sel if r.subcategory and canonical(args.subcategory) == canonical(r.subcategory)]
    if not (args.group or args.subcategory or args.detail):
        sel = [r for r in sel if r.level in ("total", "subtotal") or r.mode == "u-지식여행"] or sel
    if not sel:
        res.found, res.note, res.reason = False, "조건에 맞는 교육 운영 현황 행이 없습니다.", "no_rows"
        res.candidates = sorted({r.subcategory for r in rows if r.subcategory})
        return res
    if args.mode in ("u-지식여행", "e-러닝") and not args.group:
        for c in _all(ctx, ElearningCategory):
            if (args.mode == "u-지식여행") == (c.competency_group == "u-지식여행") and (not args.subcategory or c.subcategory == args.subcategory):
                res.facts += facts_of(ctx, "elearning_categories", c, subject=f"e-러닝 분야별 {c.competency_group} {c.subcategory or ''}".strip())
                res.rows.append({"table": "elearning_categories", **row_dict(c)})
    for r in sel:
        res.facts += facts_of(ctx, "training_results", r, subject=" ".join(x for x in (r.mode, r.competency_group, r.subcategory) if x) + (" 소계" if r.level == "subtotal" else ""))
        res.rows.append({"table": "training_results", **row_dict(r)})
    res.findings = findings_touching(ctx, sel)
    return res


# ---------------------------------------------------------------- programs

class ProgramArgs(BaseModel):
    """주요업무(사업) / a program's scale, results, cohorts, courses, contacts."""

    name: str = Field(description="사업명(부분 일치), 예: '신입자 교육', '리더십', '퇴직 예정', '국제연수'")


def get_program(args: ProgramArgs, ctx: ToolContext) -> ToolResult:
    """사업의 목적, 교육규모(계획)·추진실적, 기수별 현황, 과정 목록, 예산집행, 담당자를 돌려줍니다."""
    programs = _all(ctx, Program)
    res = ToolResult(tool="get_program")
    extra = {c.name: c.program for c in _all(ctx, Course)}
    extra.update({p.name: p.program for p in _all(ctx, ProgramExecution)})
    best = resolve(args.name, [p.title for p in programs] + list(extra), strict=False)
    titles = list(dict.fromkeys(extra.get(b, b) for b in best))
    if not titles:
        res.found, res.candidates, res.reason = False, [p.title for p in programs], "not_found"
        res.note = f"'{args.name}'에 해당하는 사업이 보고서에 없습니다."
        return res
    if len(titles) > 1:
        res.candidates = titles
    title = titles[0]
    prog = next(p for p in programs if p.title == title)
    res.rows.append({"table": "programs", **row_dict(prog)})
    for m in _all(ctx, ProgramMetric, ProgramMetric.program == title):
        res.facts += facts_of(ctx, "program_metrics", m, subject=f"{m.label}({m.phase})")
        res.rows.append({"table": "program_metrics", **row_dict(m)})
    for c in _all(ctx, Cohort, Cohort.program == title):
        res.facts += facts_of(ctx, "cohorts", c, subject=f"{c.course} {c.cohort_label}")
        res.rows.append({"table": "cohorts", **row_dict(c)})
    for c in _all(ctx, Course, Course.program == title):
        res.facts += facts_of(ctx, "courses", c)
        res.rows.append({"table": "courses", **row_dict(c)})
    execs = _all(ctx, ProgramExecution, ProgramExecution.program == title)
    for p in execs:
        res.facts += facts_of(ctx, "program_execution", p)
        res.rows.append({"table": "program_execution", **row_dict(p)})
    for c in _all(ctx, Contact, Contact.program == title):
        res.rows.append({"table": "contacts", **row_dict(c)})
    res.findings = findings_touching(ctx, execs)
    return res


# ---------------------------------------------------------------- exams, hiring, assessments

class ExamArgs(BaseModel):
    """시험·채용 / recruitment exams, career hiring, competency assessments."""

    topic: Literal["임용시험", "경력채용", "역량평가"] = Field(default="임용시험")
    round: int | None = Field(default=None, description="임용시험 회차(1 또는 2)")


def get_exams(args: ExamArgs, ctx: ToolContext) -> ToolResult:
    """임용시험(접수, 경쟁률, 응시인원·응시율, 선발, 일정), 경력채용(분야·인원), 4·5급 승진 역량평가·이해과정을 돌려줍니다."""
    res = ToolResult(tool="get_exams")
    if args.topic == "임용시험":
        exams = _all(ctx, Exam)
        sched = _all(ctx, ExamSchedule)
        if args.round:
            exams = [e for e in exams if e.round == args.round]
            sched = [s for s in sched if s.round == args.round]
        for e in exams:
            res.facts += facts_of(ctx, "exams", e)
            res.rows.append({"table": "exams", **row_dict(e)})
        for s in sched:
            res.facts += facts_of(ctx, "exam_schedule", s, subject=f"{s.round}회")
            res.rows.append({"table": "exam_schedule", **row_dict(s)})
        programs = {e.section.split(" > ")[2] for e in exams if e.section.count(" > ") >= 2}
        for m in _all(ctx, ProgramMetric):
            if any(m.program and m.program in p for p in programs):
                res.facts += facts_of(ctx, "program_metrics", m, subject=f"{m.label}({m.phase})")
                res.rows.append({"table": "program_metrics", **row_dict(m)})
        res.findings = findings_touching(ctx, exams + sched)
    elif args.topic == "경력채용":
        for h in _all(ctx, CareerHiring):
            res.facts += facts_of(ctx, "career_hiring", h)
            res.rows.append({"table": "career_hiring", **row_dict(h)})
    else:
        for a in _all(ctx, CompetencyAssessment):
            res.facts += facts_of(ctx, "competency_assessments", a, subject=f"{a.grade} {a.kind}")
            res.rows.append({"table": "competency_assessments", **row_dict(a)})
    return res


# ---------------------------------------------------------------- audit

class AuditArgs(BaseModel):
    """행정사무감사 처리결과 / the previous year's audit follow-ups."""

    kind: Literal["시정·처리요구", "건의", "기타"] | None = None
    status: Literal["추진완료", "추진 중"] | None = None
    department: str | None = Field(default=None, description="담당 부서, 예: 인재기획과")
    keyword: str | None = Field(default=None, description="요구사항·조치내용(조치결과 속 표 포함)에서 찾을 말, 예: 어린이집")


def _audit_tables(ctx: ToolContext) -> dict[int, list[tuple[str, tuple[AuditTable, list[AuditTableCell]]]]]:
    """Audit item id → its tables, each with its searchable text and its cells (row order)."""
    cells: dict[int, list[AuditTableCell]] = {}
    for c in _all(ctx, AuditTableCell):
        cells.setdefault(c.table_id, []).append(c)
    out: dict[int, list] = {}
    for t in sorted(_all(ctx, AuditTable), key=lambda t: (t.line_start, t.table_no)):
        cs = sorted(cells.get(t.id, []), key=lambda c: (c.row_index, c.id))
        text = " ".join([t.caption or ""] + [f"{c.row_label} {c.column_label} {c.value_text}" for c in cs])
        out.setdefault(t.audit_item_id, []).append((text, (t, cs)))
    return out


_UNIT_PAREN = re.compile(r"\s*[(（]\s*(?:단\s*위\s*[:：]?\s*)?([^()（）]{1,8}?)\s*[)）]")


def _short_column(label: str) -> str:
    """'2021년 만족도(점) 운영' → '2021년 만족도 운영': a unit in parentheses goes to the fact's unit."""
    return " ".join(_UNIT_PAREN.sub(lambda m: "" if unit_of(m.group(0)) else m.group(0), label).split())


# serial-number columns carry no figure of their own
_SERIAL_COLUMNS = {"연번", "번호", "순번", "no", "no."}


def _has_value(c: AuditTableCell) -> bool:
    if "".join(c.column_label.split()).lower() in _SERIAL_COLUMNS:
        return False
    return c.value_num is not None or c.value_text.strip() not in ("", "-", "―", "—")


def _cell_fact(ctx: ToolContext, item: AuditItem, t: AuditTable, c: AuditTableCell) -> Fact:
    subject = t.caption or " ".join(item.request.split())[:30]
    value: float | int | str | None = c.value_num
    if value is None:
        value = " ".join(c.value_text.split())
    elif float(value).is_integer():
        value = int(value)
    column = _short_column(c.column_label)
    key = " ".join(x for x in (c.row_label, column if column != c.row_label else "") if x)
    measure = column if column and column != c.row_label else ""
    return Fact(label=f"{subject} {key}".strip(), value=value, unit=c.unit or "", table="audit_table_cells", key=key,
                measure=measure, source=ctx.report.file_name, section=c.section, lines=[c.line_start, c.line_end])


def get_audit(args: AuditArgs, ctx: ToolContext) -> ToolResult:
    """행정사무감사 요구사항(구분, 부서, 요구내용, 추진상황, 조치내용, 향후계획)과 총괄 건수, 조치결과 속 표의 값을 돌려줍니다."""
    res = ToolResult(tool="get_audit")
    items = _all(ctx, AuditItem)
    if args.kind:
        items = [i for i in items if i.kind == args.kind]
    if args.status:
        items = [i for i in items if (i.status or "").replace(" ", "") == args.status.replace(" ", "")]
    if args.department:
        items = [i for i in items if i.department and canonical(args.department) in canonical(i.department)]
    tables = _audit_tables(ctx)
    if args.keyword:
        kws = [canonical(k) for k in args.keyword.split() if len(canonical(k)) >= 2]
        # an item's text includes its tables' captions and cells ('수수율' is only in a table header)
        texts = {i.id: canonical(i.request + i.actions + i.plans + " ".join(t for t, _ in tables.get(i.id, []))) for i in items}
        scored = [(sum(k in texts[i.id] for k in kws), i) for i in items]
        best = max((s for s, _ in scored), default=0)
        items = [i for s, i in scored if best and s == best]
    for i in items:
        res.rows.append({"table": "audit_items", **row_dict(i)})
    for s in _all(ctx, AuditSummary):
        res.facts += facts_of(ctx, "audit_summary", s, subject=f"행정사무감사 {s.kind}")
        res.rows.append({"table": "audit_summary", **row_dict(s)})
    for i in items:
        for _, (t, cells) in tables.get(i.id, []):
            res.rows.append({"table": "audit_tables", **row_dict(t)})
            res.facts += [_cell_fact(ctx, i, t, c) for c in cells if _has_value(c)]
    res.found = bool(items) or not (args.keyword or args.department)
    res.findings = findings_touching(ctx, _all(ctx, AuditSummary))
    return res


# ---------------------------------------------------------------- organization, facilities

class OrgArgs(BaseModel):
    """조직·시설 / organization, departments, facilities, equipment, revenue, overview."""

    topic: Literal["조직", "시설", "장비", "세입", "교육개요", "국제연수", "e-러닝 분야", "전략"] = "조직"


def get_general(args: OrgArgs, ctx: ToolContext) -> ToolResult:
    """일반현황: 조직(과·팀·정원·현원)과 부서 업무, 시설(부지·건물·층·면적), 교육장비, 세입·세출 개요, 교육규모 개요, 국제연수, e-러닝 분야별 현황."""
    res = ToolResult(tool="get_general")
    spec = {
        "전략": [],
        "조직": [("organization", Organization)], "시설": [("facilities", Facility)], "장비": [("equipment", Equipment)],
        "세입": [("revenue", Revenue)], "교육개요": [("training_overview", TrainingOverview)],
        "국제연수": [("international_training", InternationalTraining)], "e-러닝 분야": [("elearning_categories", ElearningCategory)],
    }[args.topic]
    for table, model in spec:
        rows = _all(ctx, model)
        for r in rows:
            subject = {"organization": "조직", "international_training": "국제연수", "training_overview": None}.get(table, None)
            if table == "training_overview":
                subject = f"{r.label}({r.phase})"
            if table == "elearning_categories":
                subject = " ".join(x for x in (r.competency_group, r.subcategory) if x)
            res.facts += facts_of(ctx, table, r, subject=subject)
            res.rows.append({"table": table, **row_dict(r)})
        res.findings += findings_touching(ctx, rows)
    if args.topic == "조직":
        for d in _all(ctx, Department):
            res.rows.append({"table": "departments", **row_dict(d)})
    if args.topic == "전략":
        for s in _all(ctx, Strategy):
            res.rows.append({"table": "strategies", **row_dict(s)})
        for t in _all(ctx, Task):
            res.rows.append({"table": "tasks", **row_dict(t)})
    return res


class ContactArgs(BaseModel):
    """담당자 / who is responsible for a program (작성자: 과장, 팀장, 담당, 전화)."""

    program: str = Field(description="사업명(부분 일치)")


def get_contacts(args: ContactArgs, ctx: ToolContext) -> ToolResult:
    """사업별 작성자(과장·팀장·담당자)와 전화번호를 돌려줍니다."""
    res = ToolResult(tool="get_contacts")
    contacts = _all(ctx, Contact)
    by_position = [c for c in contacts if c.role != "담당" and len(c.position) >= 4 and canonical(c.position) in canonical(args.program)]
    if by_position:  # a position named ('인재채용과장'): that person, once
        seen = set()
        for c in by_position:
            if (c.name, c.phone) not in seen:
                seen.add((c.name, c.phone))
                res.rows.append({"table": "contacts", **row_dict(c)})
        return res
    owner = {p.name: p.program for p in _all(ctx, ProgramExecution)}
    owner.update({c.name: c.program for c in _all(ctx, Course)})
    owner.update({c.program: c.program for c in contacts})
    best = resolve(args.program, list(owner), strict=False)
    if not best:
        res.found, res.candidates = False, sorted({c.program for c in contacts})
        return res
    target = owner[best[0]]
    for c in contacts:
        if c.program == target:
            res.rows.append({"table": "contacts", **row_dict(c)})
    return res


class FindingArgs(BaseModel):
    """불일치 / consistency findings of the report."""

    subject: str | None = Field(default=None, description="대상(비우면 전부)")


def get_findings(args: FindingArgs, ctx: ToolContext) -> ToolResult:
    """보고서 안에서 서로 맞지 않는 수치(합계≠세부합, 두 표의 다른 수치, 비율 계산 불일치)를 돌려줍니다."""
    res = ToolResult(tool="get_findings")
    for f in _all(ctx, Finding):
        if f.rule == PLANTED:  # not a consistency finding: the tools mark those lines instead
            continue
        if args.subject and score(args.subject, f.subject) <= 0:
            continue
        res.findings.append(row_dict(f))
    return res


# ---------------------------------------------------------------- documents

class SearchArgs(BaseModel):
    """본문 검색 / search the report's prose."""

    query: str = Field(description="찾을 내용(질문 그대로 가능)")
    section: str | None = Field(default=None, description="섹션 경로 접두어로 제한, 예: '행정사무감사'")
    k: int = Field(default=5, ge=1, le=20)


def search_documents(args: SearchArgs, ctx: ToolContext) -> ToolResult:
    """보고서 본문(사업개요·추진실적·감사 요구와 조치)을 하이브리드 검색해 구절과 줄 번호를 돌려줍니다."""
    try:
        from knowledge.index import open_retriever
    except ImportError as e:
        raise IndexUnavailableError(f"검색 색인 모듈을 불러올 수 없습니다: {e}") from e

    res = ToolResult(tool="search_documents")
    try:
        retriever = open_retriever(ctx.settings)
    except Exception as e:  # index missing: build it once from the bundled/current report
        try:
            from knowledge.index import build_index
            from knowledge.parse import Document, parse_report

            path = next((p for p in ctx.settings.bundled_reports() if p.name == ctx.report.file_name), None)
            if path is None:
                raise IndexUnavailableError(str(e))
            doc = Document.from_path(path)
            build_index(doc, parse_report(doc).root, ctx.settings)
            retriever = open_retriever(ctx.settings)
        except Exception as e2:
            raise IndexUnavailableError(f"검색 색인을 열 수 없습니다: {e2}") from e2
    out = retriever.search(args.query, k=args.k, section=args.section)
    items = _all(ctx, AuditItem) if any(h.section.startswith("행정사무감사") for h in out.results) else []
    for h in out.results:
        lines = list(h.lines)
        item = next((i for i in items if lines and i.line_start <= lines[0] <= i.line_end), None)
        status = f"{item.status} ({item.department} 소관, {item.line_start}행)" if item is not None and item.status else None
        res.passages.append(Passage(rank=h.rank, score=float(h.score), section=h.section, source=h.source,
                                    lines=lines, text=h.text, kind=getattr(h, "kind", None), status=status))
    if getattr(out, "warning", None):
        res.note = out.warning
    return mark_flagged(res, ctx.flagged_lines)
