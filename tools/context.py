"""The read-only view the tools work on: one engine, the newest report, a session per call."""

from __future__ import annotations

from contextlib import contextmanager
from functools import cached_property
from typing import Iterator

from sqlalchemy.orm import Session

from hrd.settings import Settings, get_settings
from knowledge.db import current_report, engine_for
from knowledge.ingest import ensure_ready
from knowledge.models import Report


# labels of program metrics that name no program ('교육규모', '추진실적', …)
GENERIC_LABELS = ("규모", "추진실적", "인원/기간", "대상", "기간", "'")


class ToolContext:
    def __init__(self, settings: Settings | None = None, *, ensure: bool = True):
        self.settings = settings or get_settings()
        if ensure:
            ensure_ready(self.settings, progress=lambda m: None)
        self.engine = engine_for(self.settings)

    @contextmanager
    def session(self) -> Iterator[Session]:
        with Session(self.engine) as s:
            yield s

    @cached_property
    def report(self) -> Report:
        with self.session() as s:
            r = current_report(s)
            s.expunge(r)
            return r

    @cached_property
    def flagged_lines(self) -> set[int]:
        """Lines of the current report flagged at ingest as planted instructions."""
        from sqlalchemy import select

        from knowledge.models import Finding
        from knowledge.planted import RULE

        with self.session() as s:
            return set(s.scalars(select(Finding.line_start).where(Finding.report_id == self.report.id, Finding.rule == RULE)).all())

    @cached_property
    def report_text(self) -> str | None:
        """The current report's text when its file is at hand (bundled sources)."""
        path = next((p for p in self.settings.bundled_reports() if p.name == self.report.file_name), None)
        return path.read_text(encoding="utf-8") if path else None

    @cached_property
    def vocabulary(self) -> dict[str, list[str]]:
        """The database's own names, by kind: what a question can refer to."""
        from sqlalchemy import select

        from knowledge.models import (AuditItem, AuditSummary, AuditTable, AuditTableCell, BudgetLine, Cohort, Contact, Course, ElearningCategory, Equipment, Facility,
                                      Program, ProgramExecution, ProgramMetric, TrainingResult)

        rid = self.report.id
        with self.session() as s:
            def col(c, model):
                return [x for x in s.scalars(select(c).where(model.report_id == rid).distinct()).all() if x]
            return {
                "budget_line": col(BudgetLine.name, BudgetLine),
                "execution": col(ProgramExecution.name, ProgramExecution),
                "program": col(Program.title, Program),
                "subcategory": col(TrainingResult.subcategory, TrainingResult),
                "group": col(TrainingResult.competency_group, TrainingResult),
                "course": col(Course.name, Course),
                "equipment": col(Equipment.item, Equipment),
                "facility": col(Facility.name, Facility),
                "department": col(AuditItem.department, AuditItem) + col(Contact.department, Contact),
                # the years the report speaks of: its own, and the budget years its tables hold (report year first)
                "report_year": [str(self.report.year)],
                "years": sorted({str(y) for y in col(BudgetLine.year, BudgetLine) + col(BudgetLine.year_prev, BudgetLine)} | {str(self.report.year)}),
                "audit_years": [str(y) for y in col(AuditItem.audit_year, AuditItem)],
                "audit_from": [str(min(col(AuditSummary.line_start, AuditSummary) + col(AuditItem.line_start, AuditItem), default=0))],
                "audit_table": col(AuditTable.caption, AuditTable) + col(AuditTableCell.column_label, AuditTableCell)
                + col(AuditTableCell.row_label, AuditTableCell),
                "elearning": col(ElearningCategory.subcategory, ElearningCategory),
                "program_alias": sorted({f"{a}\t{p}" for model, name in ((Course, Course.name), (Cohort, Cohort.course),
                                                                        (ProgramExecution, ProgramExecution.name), (ProgramMetric, ProgramMetric.label))
                                         for a, p in s.execute(select(name, model.program).where(model.report_id == rid)).all()
                                         if a and len(a.replace(" ", "")) >= 3 and not any(g in a for g in GENERIC_LABELS)}),
            }
