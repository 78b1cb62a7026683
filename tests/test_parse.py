"""The parser turns the report into typed rows; every row's figures stand on its cited lines."""

import pytest

from conftest import figure_on_line

from knowledge.models import MODELS_BY_TABLE
from knowledge.parse import Document, parse_report


EXPECTED_TABLES = [
    "organization", "departments", "facilities", "training_results", "training_overview", "international_training",
    "revenue", "budget_lines", "program_execution", "strategies", "tasks", "programs", "program_metrics", "cohorts",
    "courses", "elearning_categories", "exams", "exam_schedule", "career_hiring", "competency_assessments", "equipment",
    "contacts", "audit_summary", "audit_items", "audit_tables", "audit_table_cells", "findings",
]


def test_every_table_kind_has_rows(parsed):
    for name in EXPECTED_TABLES:
        assert parsed.rows.get(name), f"no rows for {name}"


def _numeric_fields(table: str) -> list[str]:
    model = MODELS_BY_TABLE[table]
    skip = {"id", "report_id", "line_start", "line_end", "number", "seq", "level", "cohort", "round", "audit_year",
            "year", "year_prev", "value_a", "value_b", "mode_courses_declared", "group_courses_declared",
            "audit_item_id", "table_id", "table_no", "row_index", "n_rows", "n_cols"}
    return [c.key for c in model.__table__.columns
            if c.key not in skip and c.type.python_type in (int, float)]


@pytest.mark.parametrize("table", [t for t in EXPECTED_TABLES if t not in ("findings",)])
def test_every_figure_stands_on_its_cited_lines(parsed, report_lines, table):
    """Provenance: each numeric cell of each row appears on one of the row's cited lines."""
    fields = _numeric_fields(table)
    for row in parsed.rows[table]:
        span = report_lines[row["line_start"] - 1 : row["line_end"]]
        assert span, row
        for f in fields:
            v = row.get(f)
            if v is None:
                continue
            assert any(figure_on_line(ln, v) for ln in span), f"{table}.{f}={v} not on lines {row['line_start']}-{row['line_end']}"


def row(parsed, table, **where):
    hits = [r for r in parsed.rows[table] if all(r.get(k) == v for k, v in where.items())]
    assert len(hits) == 1, (table, where, len(hits))
    return hits[0]


@pytest.mark.parametrize(
    "table, where, expected",
    [
        ("organization", {}, {"departments": 3, "teams": 14, "quota": 104, "current": 105}),
        ("budget_lines", {"name": "합 계"}, {"amount_prev": 19721687, "amount": 18667875, "change": -1053812, "change_rate": -5.3, "level": 0}),
        ("budget_lines", {"name": "시정철학공유특별교육"}, {"change": None, "change_rate": None, "execution_rate": 96.2}),
        ("budget_lines", {"name": "기본경비(인재개발원)"}, {"level": 3, "parent": "기본경비"}),
        ("training_results", {"mode": "e-러닝", "subcategory": "IT"}, {"planned_sessions": None, "sessions_always": True, "actual_people": 86849}),
        ("training_results", {"mode": "u-지식여행"}, {"planned_people": 55000, "actual_people": 59237, "parenthesised": True, "participation_rate": 107.7}),
        ("training_results", {"mode": "집합", "level": "subtotal"}, {"mode_courses_declared": 126, "satisfaction": 4.61}),
        ("program_execution", {"name": "IT전문교육 운영"}, {"forecast_rate": 95.0, "forecast": 365782}),
        ("program_execution", {"name": "동영상학습 운영 (교육통합시스템 구축)"}, {"committed": None, "forecast": 283893}),
        ("cohorts", {"course": "사전교육", "cohort": 2}, {"planned": 340, "completed": None, "period": "11.03. ~ 11. 7."}),
        ("courses", {"name": "7급 이하 실무리더십"}, {"sessions": 13, "people": 1300, "days": "3일"}),
        ("exams", {"round": 1}, {"selected": 1685, "applicants": 21024, "competition_ratio": 12.6, "takers": 13897, "attendance_rate": 66.1}),
        ("exam_schedule", {"round": 2, "stage": "합격자발표"}, {"value": "'26. 1. 7.(수)"}),
        ("equipment", {"item": "스피커"}, {"inventory": 116, "over_lifespan": 70}),
        ("facilities", {"name": "창의관"}, {"basement_floors": 2, "above_floors": 4, "area_m2": 4266.0}),
        ("audit_summary", {"kind": "건의"}, {"total": 9, "done": 8, "in_progress": 1}),
        ("international_training", {}, {"planned_sessions": 10, "actual_people": 125}),
        ("competency_assessments", {"kind": "역량평가", "grade": "5급"}, {"planned_people": 600, "actual_people": 289, "actual_sessions": 3}),
        ("career_hiring", {"category": "중증장애인"}, {"fields": 3, "people": 3, "status": "선발 완료"}),
    ],
)
def test_rows(parsed, table, where, expected):
    r = row(parsed, table, **where)
    for k, v in expected.items():
        assert r[k] == v, (k, r[k], v)


def test_audit_items_kinds_status_departments(parsed):
    items = parsed.rows["audit_items"]
    assert [sum(i["kind"] == k for i in items) for k in ("시정·처리요구", "건의", "기타")] == [9, 9, 2]
    assert sum(i["status"] == "추진 중" for i in items) == 4
    assert all(i["department"] for i in items)
    first = items[0]
    assert "어린이집" in first["request"] and first["status"] == "추진 중" and first["department"] == "인재기획과"


def test_sections_tree_spans_nest(parsed):
    for s in parsed.root.walk():
        for c in s.children:
            assert s.start <= c.start <= c.end <= s.end, (s.path, c.path)
    programs = parsed.root.find("program")
    assert len(programs) == 17
    # a strategy's first program without its own heading takes its title from the ①②③ task list
    assert any(p.title.startswith("미래 서울을 이끌어 갈") for p in programs)


def test_findings_are_found_by_generic_rules(parsed):
    msgs = {(f["rule"], f["measure"]) for f in parsed.rows["findings"]}
    subjects = " ".join(f["subject"] for f in parsed.rows["findings"])
    assert ("cross_table", "예산현액") in msgs and "동영상학습" in subjects
    assert ("same_fact", "선발인원") in msgs
    assert any(f["rule"] == "subtotal" and f["measure"] == "집행액" for f in parsed.rows["findings"])
    for f in parsed.rows["findings"]:
        assert f["value_a"] != f["value_b"] and f["arithmetic"]


def test_another_year_same_shape(report_lines):
    """A modified copy (figures changed, a program added, sections reordered) parses the same way."""
    text = "\n".join(report_lines)
    text = text.replace("2025 주요업무 보고", "2026 주요업무 보고").replace("1,116,685", "1,200,000")
    # add a program (a copy of program 5 of strategy 1, renumbered 6) before strategy 2 starts
    lines = text.split("\n")
    s2 = lines.index("미래 지향적 공무원 역량강화", 300)
    p5 = lines.index("5", 340)
    new = ["6", "", "새로운 디지털 교육 과정 운영"] + lines[p5 + 3 : s2]
    lines = lines[:s2] + new + [""] + lines[s2:]
    doc = Document(source="copy-2026.txt", text="\n".join(lines))
    p = parse_report(doc)
    assert doc.year == 2026
    assert any(r["budget"] == 1200000 for r in p.rows["program_execution"])
    assert "새로운 디지털 교육 과정 운영" in [pr["title"] for pr in p.rows["programs"]]
    assert len(p.rows["programs"]) == 18
