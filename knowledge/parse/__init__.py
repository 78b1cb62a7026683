"""Parsing a work report: document → section tree → typed rows per table."""

from __future__ import annotations

from dataclasses import dataclass, field

from . import prose
from .cells import Cell, norm, parse_cell
from .document import Document
from .sections import Section, parse_sections, strip_html
from .tables import Table, parse_tables


# bump when parsing changes what rows a report yields: an ingested report is then parsed again
PARSER_VERSION = "5"


@dataclass
class ParsedReport:
    doc: Document
    root: Section
    rows: dict[str, list[dict]] = field(default_factory=dict)
    unknown_tables: list[Table] = field(default_factory=list)


def parse_report(doc: Document) -> ParsedReport:
    """Every table and prose figure of a report as typed row dicts, keyed by table name."""
    root = parse_sections(doc)
    rows, unknown = parse_tables(doc, root)
    frameworks = rows.pop("assessment_framework", [])
    contact_rows = prose.contacts(doc, root)
    strategies, tasks = prose.strategies_and_tasks(doc, root)
    audit_items = prose.audit_items(doc, root)
    audit_tables, audit_cells = prose.audit_tables(doc, root, audit_items)
    rows.update({
        "organization": prose.organization(doc, root),
        "facilities": prose.facilities(doc, root),
        "training_overview": prose.training_overview(doc, root),
        "international_training": prose.international_training(doc, root),
        "revenue": prose.revenue(doc, root),
        "strategies": strategies,
        "tasks": tasks,
        "programs": prose.programs(doc, root, contact_rows),
        "contacts": contact_rows,
        "program_metrics": prose.program_metrics(doc, root),
        "exams": prose.exams(doc, root),
        "career_hiring": prose.career_hiring(doc, root),
        "competency_assessments": prose.competency_assessments(doc, root, frameworks),
        "audit_items": audit_items,
        "audit_tables": audit_tables,
        "audit_table_cells": audit_cells,
        "sections": prose.section_rows(root, contact_rows),
    })
    return ParsedReport(doc, root, rows, unknown)


__all__ = ["PARSER_VERSION", "Cell", "Document", "ParsedReport", "Section", "Table", "norm", "parse_cell", "parse_report", "parse_sections", "strip_html"]
