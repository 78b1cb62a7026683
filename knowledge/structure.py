"""A report's shape (parts, programs, tables, audit items) and the refusal of one that lost it.

A new report of a year already stored must keep the stored one's structure: a measure that
shrinks (a truncated file: audit items 20 → 2) or swells far past it (the report pasted 60
times) is refused with what changed, unless `--force`.
"""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from hrd.errors import IngestError

from .models import MODELS_BY_TABLE, Report, SectionRow
from .parse import ParsedReport

# (key, Korean label, unit, table, section kind when counted from `sections`)
SHAPE: list[tuple[str, str, str, str, str | None]] = [
    ("parts", "장(Ⅰ·Ⅱ·Ⅲ)", "개", "sections", "part"),
    ("programs", "사업(프로그램)", "개", "programs", None),
    ("budget_lines", "세출예산 표의 행", "개", "budget_lines", None),
    ("program_execution", "사업별 집행 표의 행", "개", "program_execution", None),
    ("training_results", "교육훈련 실적 표의 행", "개", "training_results", None),
    ("audit_items", "행정사무감사 지적사항", "건", "audit_items", None),
    ("audit_tables", "감사 답변 속 표", "개", "audit_tables", None),
]
SWELL = 1.8  # more than this many times the stored count: a duplicated or foreign document
LINES_RANGE = (0.6, 1.8)  # new line count / stored line count outside this: refused


def parsed_shape(parsed: ParsedReport) -> dict[str, int]:
    out = {}
    for key, _label, _unit, table, kind in SHAPE:
        rows = parsed.rows.get(table) or []
        out[key] = sum(1 for r in rows if r.get("kind") == kind) if kind else len(rows)
    return out


def stored_shape(session: Session, report: Report) -> dict[str, int]:
    out = {}
    for key, _label, _unit, table, kind in SHAPE:
        model = MODELS_BY_TABLE[table]
        q = select(func.count()).select_from(model).where(model.report_id == report.id)
        if kind:
            q = q.where(SectionRow.kind == kind)
        out[key] = int(session.scalar(q) or 0)
    return out


def shape_changes(old: dict[str, int], new: dict[str, int]) -> tuple[list[str], list[str]]:
    """(what shrank, what swelled), each as '라벨 old→new단위'."""
    lost, swollen = [], []
    for key, label, unit, _table, _kind in SHAPE:
        a, b = old.get(key, 0), new.get(key, 0)
        if b < a:
            lost.append(f"{label} {a:,}→{b:,}{unit}")
        elif a and b > SWELL * a:
            swollen.append(f"{label} {a:,}→{b:,}{unit}")
    return lost, swollen


def refuse_lost_structure(session: Session, parsed: ParsedReport) -> None:
    """IngestError when `parsed` lost (or multiplied) the structure of the stored report of its year."""
    doc = parsed.doc
    stored = session.scalars(select(Report).where(Report.year == doc.year).order_by(Report.id.desc()).limit(1)).first()
    if stored is None:
        return
    lost, swollen = shape_changes(stored_shape(session, stored), parsed_shape(parsed))
    ratio = doc.n_lines / max(1, stored.line_count)
    problems = []
    if lost:
        problems.append("빠진 구조: " + ", ".join(lost))
    if swollen:
        problems.append("비정상적으로 늘어난 구조: " + ", ".join(swollen))
    if not LINES_RANGE[0] <= ratio <= LINES_RANGE[1]:
        problems.append(f"분량이 저장된 보고서와 크게 다릅니다({stored.line_count:,}줄 → {doc.n_lines:,}줄)")
    if problems:
        raise IngestError(
            f"저장된 {doc.year}년 보고서({stored.content_hash[:12]})와 비교해 구조가 달라 적재하지 않았습니다 — "
            + "; ".join(problems) + ". 잘리거나 중복된 파일인지 확인하세요. 그래도 대체하려면 `hrd ingest --force`.",
            source=doc.source,
        )
