"""The database schema: one module per domain. Every table carries provenance columns."""

from .audit import AuditItem, AuditSummary
from .audit_tables import AuditTable, AuditTableCell
from .base import Base, Provenance
from .budget import BudgetLine, ProgramExecution, Revenue
from .exams import CareerHiring, CompetencyAssessment, Exam, ExamSchedule
from .facilities import Equipment, Facility
from .organization import Contact, Department, Organization, Program, Strategy, Task
from .reports import Finding, Report, SectionRow
from .training import (
    Cohort,
    Course,
    ElearningCategory,
    InternationalTraining,
    ProgramMetric,
    TrainingOverview,
    TrainingResult,
)

# tables holding the report's content (everything but `reports`), in display order
CONTENT_MODELS = [
    Organization, Department, Facility, TrainingResult, TrainingOverview, InternationalTraining,
    Revenue, BudgetLine, ProgramExecution, Strategy, Task, Program, ProgramMetric, Cohort, Course,
    ElearningCategory, Exam, ExamSchedule, CareerHiring, CompetencyAssessment, Equipment, Contact,
    AuditSummary, AuditItem, AuditTable, AuditTableCell, SectionRow, Finding,
]
MODELS_BY_TABLE = {m.__tablename__: m for m in CONTENT_MODELS}

__all__ = [
    "AuditItem", "AuditSummary", "AuditTable", "AuditTableCell", "Base", "BudgetLine", "CareerHiring", "Cohort", "CompetencyAssessment",
    "Contact", "CONTENT_MODELS", "Course", "Department", "ElearningCategory", "Equipment", "Exam",
    "ExamSchedule", "Facility", "Finding", "InternationalTraining", "MODELS_BY_TABLE", "Organization",
    "Program", "ProgramExecution", "ProgramMetric", "Provenance", "Report", "Revenue", "SectionRow",
    "Strategy", "Task", "TrainingOverview", "TrainingResult",
]
