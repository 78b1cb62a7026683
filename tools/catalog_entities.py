"""Reading every named thing of one report out of the database, as `Entity` rows for tools/catalog.py.

One reader per table (or group of tables). Each names its entity the way the report writes it and adds
the aliases the data itself gives: a program's course, cohort, execution and metric labels
(`ToolContext.vocabulary["program_alias"]` reads the same columns), the budget line an execution row
was matched to, a training row's mode/group/category path.
"""

from __future__ import annotations

import re
from collections import defaultdict
from typing import Callable, Iterable

from pydantic import BaseModel, Field
from sqlalchemy import select
from sqlalchemy.orm import Session

from knowledge.models import (AuditItem, AuditTable, BudgetLine, CareerHiring, Cohort, CompetencyAssessment, Contact, Course, Department,
                              ElearningCategory, Equipment, Exam, Facility, InternationalTraining, Organization, Program, ProgramExecution,
                              ProgramMetric, Revenue, SectionRow, Strategy, TrainingOverview, TrainingResult)
from knowledge.index.kiwi import analyse as kiwi_analyse
from knowledge.names import compact
from tools.context import GENERIC_LABELS

# the kinds a catalog holds, in the order a tie between equal names is broken
KINDS = ("budget_line", "execution", "program", "course", "cohort", "training_category", "elearning_category",
         "training_overview", "exam", "career_hiring", "assessment", "audit_item", "audit_table", "facility", "equipment",
         "department", "contact", "strategy", "revenue", "organization", "international", "section")


class Entity(BaseModel):
    """One named thing of the report: a table row (or rows that share one name) with where it stands."""

    kind: str = Field(description="one of KINDS: budget_line, execution, program, course, cohort, …")
    name: str = Field(description="the name as the report writes it")
    aliases: list[str] = Field(default_factory=list, description="other names the data gives it")
    table: str = Field(description="DB table")
    row_ids: list[int] = Field(default_factory=list)
    lines: tuple[int, int] = Field(description="1-based inclusive line span in the report")
    section: str = Field(default="", description="section path of the row ('Ⅲ > 전략 > 1 사업명 > 추진실적')")
    parent: str | None = Field(default=None, description="the program, budget line or group it belongs to")

    @property
    def key(self) -> str:
        return f"{self.kind}:{self.table}:{','.join(map(str, self.row_ids))}"

    @property
    def names(self) -> list[str]:
        return list(dict.fromkeys([self.name, *self.aliases]))


def _entity(kind: str, row, name: str, *, aliases: Iterable[str] = (), parent: str | None = None, rows: list | None = None) -> Entity:
    rows = rows or [row]
    return Entity(kind=kind, name=name.strip(), aliases=[a.strip() for a in dict.fromkeys(aliases) if a and a.strip() and a.strip() != name.strip()],
                  table=row.__tablename__, row_ids=[r.id for r in rows], lines=(min(r.line_start for r in rows), max(r.line_end for r in rows)),
                  section=row.section or "", parent=parent)


def _short_program(title: str) -> str:
    """A title's head phrase: the words after its last adnominal ('…을 위한', '우수한') and after '대상'.
    '미래 서울을 이끌어 갈 우수한 신규공무원 채용' → '신규공무원 채용'."""
    ends = [t.start for t in kiwi_analyse(title) if t.tag == "ETM"]
    cut = title.find(" ", ends[-1]) if ends else -1
    return re.split(r"대상\s+", title[cut + 1 :] if cut >= 0 else title)[-1]


def _acronym_names(title: str) -> list[str]:
    """A title's name by the acronym it spells out, with the noun it qualifies: '인공지능(AI) 교육 전면 확대' →
    'AI 교육' (people say 'AI 교육', 'AI 의무교육'); none where a particle follows ('동영상학습(e-러닝)을')."""
    return [f"{m.group(1)} {m.group(2)}" for m in re.finditer(r"[가-힣]+\(([A-Za-z][A-Za-z\-]*)\)\s+([가-힣]{2,})", title)]


def _all(s: Session, model, rid: int) -> list:
    return list(s.scalars(select(model).where(model.report_id == rid).order_by(model.id)).all())


def budget_entities(s: Session, rid: int) -> list[Entity]:
    out = [_entity("budget_line", r, r.name, parent=r.parent) for r in _all(s, BudgetLine, rid)]
    for r in _all(s, ProgramExecution, rid):
        out.append(_entity("execution", r, r.name, parent=r.budget_line or r.program))
    return out


def program_entities(s: Session, rid: int) -> list[Entity]:
    # a program's budget rows ('신입자 과정 운영'), courses, cohorts and metric labels (the columns of
    # ToolContext.vocabulary's program_alias) are entities of their own with the program as parent
    out = []
    for r in _all(s, Program, rid):
        short = _short_program(r.title)
        out.append(_entity("program", r, r.title, aliases=[short, *_acronym_names(r.title)], parent=r.strategy))
    for r in _all(s, Strategy, rid):
        out.append(_entity("strategy", r, r.name))
    return out


def _label_key(label: str) -> str:
    """Labels of one course across 계획/실적 lines: no bracketed part, no trailing '과정 운영'/'교육'."""
    return re.sub(r"(과정)?(운영|교육)$", "", compact(re.sub(r"\([^)]*\)", "", label)))


def course_entities(s: Session, rid: int) -> list[Entity]:
    out = [_entity("course", r, r.name, parent=r.program) for r in _all(s, Course, rid)]
    by_course: dict[tuple[str, str], list] = defaultdict(list)
    for r in _all(s, Cohort, rid):
        by_course[(r.program, r.course)].append(r)
    for (program, course), rows in by_course.items():
        out.append(_entity("cohort", rows[0], course, aliases=[f"{course} 기수"], parent=program, rows=rows))
    metrics: dict[tuple[str, str], list] = defaultdict(list)
    for r in _all(s, ProgramMetric, rid):
        # not the breakdown headers ('직급별') nor the generic ones ('교육규모', '추진실적')
        if not any(g in r.label for g in GENERIC_LABELS) and len(compact(r.label)) >= 3 and not r.label.endswith("별"):
            metrics[(r.program, _label_key(r.label))].append(r)
    for (program, _), rows in metrics.items():
        labels = sorted({r.label for r in rows}, key=len)
        out.append(_entity("course", rows[0], labels[0], aliases=labels[1:], parent=program, rows=rows))
    return out


def training_entities(s: Session, rid: int) -> list[Entity]:
    out = []
    for r in _all(s, TrainingResult, rid):
        parts = [p for p in (r.competency_group, r.subcategory) if p]
        name = " ".join([r.mode, *parts]) if parts else f"{r.mode} 교육"
        aliases = [f"{r.mode} {r.subcategory}"] if r.subcategory else []
        out.append(_entity("training_category", r, name, aliases=aliases, parent=r.competency_group or r.mode))
    for r in _all(s, ElearningCategory, rid):
        parts = [p for p in (r.competency_group, r.subcategory) if p]
        name = "e-러닝 " + " ".join(parts) if r.subcategory else ("e-러닝 합계" if compact(parts[0]) == "합계" else parts[0])
        out.append(_entity("elearning_category", r, name, aliases=[f"e-러닝 {r.subcategory}"] if r.subcategory else [], parent=r.competency_group))
    for r in _all(s, TrainingOverview, rid):
        out.append(_entity("training_overview", r, f"{r.label} 교육규모" if r.phase == "계획" else f"{r.label} 교육실적", parent=r.phase))
    for r in _all(s, InternationalTraining, rid):
        out.append(_entity("international", r, f"{r.year}년 국제연수 실적"))
    return out


def exam_entities(s: Session, rid: int) -> list[Entity]:
    out = []
    for r in _all(s, Exam, rid):
        out.append(_entity("exam", r, r.title, aliases=[f"제{r.round}회 임용시험", f"{r.round}회 시험", *([r.scope] if r.scope else [])]))
    for r in _all(s, CareerHiring, rid):
        out.append(_entity("career_hiring", r, r.category if r.level else "경력직 채용 합계", parent=None))
    for r in _all(s, CompetencyAssessment, rid):
        out.append(_entity("assessment", r, f"{r.grade} {r.kind}", aliases=[f"{r.grade} 승진 {r.kind}"]))
    return out


def audit_entities(s: Session, rid: int) -> list[Entity]:
    out = []
    for r in _all(s, AuditItem, rid):
        first = re.split(r"(?<=[.다])\s", r.request.strip())[0][:120]
        out.append(_entity("audit_item", r, first, aliases=[f"{r.kind} {r.seq}", f"{r.kind} {r.seq}번"], parent=r.department))
    for r in _all(s, AuditTable, rid):
        if r.caption:
            out.append(_entity("audit_table", r, r.caption, parent=None))
    return out


def place_entities(s: Session, rid: int) -> list[Entity]:
    out = [_entity("facility", r, r.name, parent=r.kind) for r in _all(s, Facility, rid)]
    out += [_entity("equipment", r, r.item if r.item != "합계" else "교육장비 합계", aliases=[f"{r.item} 장비"]) for r in _all(s, Equipment, rid)]
    out += [_entity("department", r, r.name) for r in _all(s, Department, rid)]
    out += [_entity("revenue", r, r.category, parent=r.kind) for r in _all(s, Revenue, rid)]
    out += [_entity("organization", r, "조직 및 정원") for r in _all(s, Organization, rid)]
    contacts: dict[str, list] = defaultdict(list)
    for r in _all(s, Contact, rid):
        contacts[r.program].append(r)
    for program, rows in contacts.items():
        out.append(_entity("contact", rows[0], f"{_short_program(program)} 담당자", aliases=[f"{program} 작성자"], parent=program, rows=rows))
    return out


def section_entities(s: Session, rid: int) -> list[Entity]:
    """Parts, chapters and audit groups (programs and strategies are entities of their own)."""
    rows = [r for r in _all(s, SectionRow, rid) if r.kind in ("part", "chapter", "audit_group")]
    return [_entity("section", r, re.sub(r"^\d+\s+", "", r.title), aliases=[r.label] if r.label else []) for r in rows]


READERS: tuple[Callable[[Session, int], list[Entity]], ...] = (
    budget_entities, program_entities, course_entities, training_entities, exam_entities, audit_entities, place_entities, section_entities,
)


def read_entities(s: Session, rid: int) -> list[Entity]:
    """Every entity of report `rid`, in KINDS order."""
    out = [e for read in READERS for e in read(s, rid)]
    return sorted(out, key=lambda e: KINDS.index(e.kind))
