"""Tab-separated tables: found as runs of lines with tabs, recognised by header signature.

`SIGNATURES` is the table of (name, predicate over the whitespace-free header cells, row parser).
Adding a table kind means adding a row there; nothing depends on line numbers.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Callable

from hrd.errors import IngestError

from .cells import integer, norm, number, parse_cell
from .document import Document
from .sections import Section, strip_html


@dataclass
class Table:
    start: int  # first line (1-based)
    rows: list[list[str]]  # raw cells per line
    section: Section

    @property
    def end(self) -> int:
        return self.start + len(self.rows) - 1

    def header(self, i: int = 0) -> list[str]:
        return [norm(c) for c in self.rows[i]]

    def line(self, i: int) -> int:
        return self.start + i


Row = dict
Parser = Callable[[Table, Document], list[Row]]


def find_tables(doc: Document, root: Section) -> list[Table]:
    """Maximal runs of consecutive lines holding a tab, each with its innermost section."""
    leaves = sorted((s for s in root.walk() if s.kind != "report"), key=lambda s: (s.start, -(s.end - s.start)))

    def section_of(n: int) -> Section:
        best = root
        for s in leaves:
            if s.start <= n <= s.end and (s.end - s.start) <= (best.end - best.start):
                best = s
        return best

    tables: list[Table] = []
    n = 1
    while n <= doc.n_lines:
        if "\t" in doc.line(n):
            start = n
            rows = []
            while n <= doc.n_lines and "\t" in doc.line(n):
                rows.append(doc.line(n).split("\t"))
                n += 1
            tables.append(Table(start, rows, section_of(start)))
        else:
            n += 1
    return tables


def _prov(table: Table, i: int, j: int | None = None) -> Row:
    return {"section": table.section.path, "line_start": table.line(i), "line_end": table.line(j if j is not None else i)}


def _strip_trailing(cells: list[str]) -> list[str]:
    out = list(cells)
    while out and not out[-1].strip():
        out.pop()
    return out


def _bad(table: Table, i: int, what: str, doc: Document) -> IngestError:
    return IngestError(f"표의 행을 읽을 수 없습니다 ({what}): {doc.line(table.line(i))[:80]!r}", line=table.line(i), source=doc.source)


_DECLARED = re.compile(r"^(.*?)\((\d+)\)$")
MODE_NAMES = [("전체", "전체"), ("집합", "집합"), ("e러닝", "e-러닝"), ("e-러닝", "e-러닝"), ("이러닝", "e-러닝"), ("u-지식", "u-지식여행")]


def _split_declared(label: str) -> tuple[str, int | None]:
    m = _DECLARED.match(norm(label))
    return (m.group(1), int(m.group(2))) if m else (norm(label), None)


def _mode(label: str) -> str:
    key = norm(label).lower()
    for prefix, name in MODE_NAMES:
        if key.startswith(prefix.lower()):
            return name
    return norm(label)


def parse_training_results(t: Table, doc: Document) -> list[Row]:
    rows: list[Row] = []
    mode = group = None
    mode_decl = group_decl = None
    for i in range(2, len(t.rows)):
        cells = _strip_trailing(t.rows[i])
        if len(cells) < 9:
            raise _bad(t, i, "계획·실적 8개 값이 없습니다", doc)
        values, labels = cells[-8:], cells[:-8]
        labels = labels + [""] * (3 - len(labels))
        if norm(labels[0]):
            mode_label, mode_decl = _split_declared(labels[0])
            mode, group, group_decl = _mode(mode_label), None, None
        sub = norm(labels[2]) or None
        if norm(labels[1]):
            lab, decl = _split_declared(labels[1])
            if lab == "소계":
                sub, level = None, "subtotal"
            else:
                group, group_decl = lab, decl
        level = "total" if mode == "전체" else ("subtotal" if norm(labels[1]) == "소계" else "detail")
        if mode == "u-지식여행":
            level = "detail"
        cs = [parse_cell(v) for v in values]
        if any(c.text.strip() not in ("", "-", "상시") and c.value is None for c in cs):
            raise _bad(t, i, "숫자가 아닌 값", doc)
        rows.append({
            **_prov(t, i), "mode": mode, "competency_group": group if level == "detail" else None,
            "subcategory": sub if level == "detail" else None, "level": level,
            "planned_courses": integer(values[0]), "planned_sessions": integer(values[1]), "planned_people": integer(values[2]),
            "actual_courses": integer(values[3]), "actual_sessions": integer(values[4]), "actual_people": integer(values[5]),
            "participation_rate": number(values[6]), "satisfaction": number(values[7]),
            "sessions_always": cs[1].always or cs[4].always, "parenthesised": any(c.parenthesised for c in cs),
            "mode_courses_declared": mode_decl, "group_courses_declared": group_decl if level == "detail" else None,
        })
    return rows


def parse_budget_overview(t: Table, doc: Document) -> list[Row]:
    years = [int(m.group(1)) for c in t.rows[1] if (m := re.match(r"(20\d\d)년", norm(c)))]
    if len(years) < 2:
        raise _bad(t, 1, "연도 머리글(20XX년)이 없습니다", doc)
    rows: list[Row] = []
    level1 = level2 = None
    level2_amount = prev_level = None
    for i in range(2, len(t.rows)):
        cells = _strip_trailing(t.rows[i])
        if len(cells) < 7:
            raise _bad(t, i, "7개 열이 아닙니다", doc)
        name = cells[0].strip()
        key = norm(name)
        amount = integer(cells[2])
        if key in ("합계", "총계"):
            level, parent = 0, None
        elif key.endswith("(계)"):
            level, parent, level1, level2 = 1, "합계", name, None
        elif level2 is None or (amount == level2_amount and prev_level == 1):
            level, parent, level2, level2_amount = 2, level1, name, amount
        else:
            level, parent = 3, level2
        prev_level = level
        rows.append({
            **_prov(t, i), "name": name, "level": level, "parent": parent, "year_prev": years[0], "year": years[1],
            "amount_prev": integer(cells[1]), "amount": amount, "change": integer(cells[3]),
            "change_rate": number(cells[4]), "executed": integer(cells[5]), "execution_rate": number(cells[6]),
        })
    return rows


def parse_program_execution(t: Table, doc: Document) -> list[Row]:
    program = t.section.ancestor("program")
    rows: list[Row] = []
    for i in range(2, len(t.rows)):
        cells = _strip_trailing(t.rows[i])
        if len(cells) < 8:
            raise _bad(t, i, "8개 열이 아닙니다", doc)
        rows.append({
            **_prov(t, i), "program": program.title if program else "", "name": re.sub(r"\s+", " ", cells[0]).strip(),
            "budget": integer(cells[1]), "committed": integer(cells[2]), "spent": integer(cells[3]),
            "committed_rate": number(cells[4]), "spent_rate": number(cells[5]),
            "forecast": integer(cells[6]), "forecast_rate": number(cells[7]),
        })
    return rows


def parse_cohorts(t: Table, doc: Document) -> list[Row]:
    head = t.rows[0]
    # sub-tables side by side: a course name cell, then its period and people columns
    starts = [j for j, c in enumerate(head) if norm(c) and not norm(c).startswith(("교육기간", "인원"))]
    program = t.section.ancestor("program")
    rows: list[Row] = []
    for k, j in enumerate(starts):
        course = norm(head[j])
        dur = re.search(r"\((\d+주)\)", norm(head[j + 1])) if j + 1 < len(head) else None
        for i in range(2, len(t.rows)):
            cells = t.rows[i] + [""] * 8
            label = norm(cells[j])
            if not label:
                continue
            m = re.match(r"(?:총)?(\d+)기", label)
            total = label.startswith("총")
            rows.append({
                **_prov(t, i), "program": program.title if program else "", "course": course,
                "duration": dur.group(1) if dur else None, "cohort": None if total else (int(m.group(1)) if m else None),
                "cohort_label": cells[j].strip(), "period": None if total else cells[j + 1].strip(),
                "delivery": cells[j + 1].strip() if total else None,
                "planned": integer(cells[j + 2]), "completed": integer(cells[j + 3]),
            })
    return rows


def parse_courses(t: Table, doc: Document) -> list[Row]:
    program = t.section.ancestor("program")
    rows: list[Row] = []
    for i in range(1, len(t.rows)):
        cells = _strip_trailing(t.rows[i])
        if len(cells) < 6:
            raise _bad(t, i, "6개 열이 아닙니다", doc)
        rows.append({
            **_prov(t, i), "program": program.title if program else "", "seq": int(norm(cells[0])), "name": cells[1].strip(),
            "target": cells[2].strip(), "sessions": integer(cells[3]), "days": cells[4].strip(), "people": integer(cells[5]),
        })
    return rows


def parse_elearning_categories(t: Table, doc: Document) -> list[Row]:
    top, sub = t.rows[0], t.rows[1] + [""] * len(t.rows[0])
    groups: list[str] = []
    current = ""
    for c in top:
        current = norm(c) or current
        groups.append(current)
    measures = {norm(r[0]): i for i, r in enumerate(t.rows) if i >= 2}
    ci = next((i for k, i in measures.items() if k.startswith("과정")), None)
    li = next((i for k, i in measures.items() if "인원" in k), None)
    if ci is None or li is None:
        raise _bad(t, 2, "과정수·수강인원 행이 없습니다", doc)
    rows: list[Row] = []
    for j in range(1, len(top)):
        g = groups[j]
        s = norm(sub[j]) or None
        course_cell = parse_cell(t.rows[ci][j] if j < len(t.rows[ci]) else "")
        learner_cell = parse_cell(t.rows[li][j] if j < len(t.rows[li]) else "")
        if course_cell.value is None and learner_cell.value is None:
            continue
        rows.append({
            **_prov(t, ci, li), "competency_group": "합계" if g == "계" else g, "subcategory": s,
            "courses": integer(t.rows[ci][j]), "courses_unit": course_cell.unit or "개",
            "learners": integer(t.rows[li][j]), "parenthesised": learner_cell.parenthesised or course_cell.parenthesised,
        })
    return rows


def parse_equipment(t: Table, doc: Document) -> list[Row]:
    head = t.rows[0]
    inv = next((i for i in range(1, len(t.rows)) if "현황" in norm(t.rows[i][0])), None)
    over = next((i for i in range(1, len(t.rows)) if "내구연한" in norm(t.rows[i][0])), None)
    if inv is None:
        raise _bad(t, 1, "장비 현황 행이 없습니다", doc)
    rows: list[Row] = []
    for j in range(1, len(head)):
        if not norm(head[j]):
            continue
        rows.append({
            **_prov(t, inv, over if over is not None else inv), "item": norm(head[j]),
            "inventory": integer(t.rows[inv][j]), "over_lifespan": integer(t.rows[over][j]) if over is not None else None,
        })
    return rows


def parse_exam_schedule(t: Table, doc: Document) -> list[Row]:
    head = t.rows[0]
    rows: list[Row] = []
    for j in range(1, len(head)):
        m = re.match(r"(\d+)회", norm(head[j]))
        if not m:
            continue
        for i in range(1, len(t.rows)):
            stage = norm(t.rows[i][0])
            value = t.rows[i][j].strip() if j < len(t.rows[i]) else ""
            num = re.fullmatch(r"([\d,]+)명", norm(value))
            rows.append({
                **_prov(t, i), "round": int(m.group(1)), "round_label": head[j].strip(), "stage": stage,
                "value": value, "number": int(num.group(1).replace(",", "")) if num else None,
            })
    return rows


def parse_assessment_framework(t: Table, doc: Document) -> list[Row]:
    rows: list[Row] = []
    for i in range(1, len(t.rows)):
        cells = t.rows[i] + ["", ""]
        m = re.match(r"(\d급)", norm(cells[0]))
        if m:
            rows.append({**_prov(t, i), "grade": m.group(1), "competencies": cells[1].strip(), "techniques": cells[2].strip(), "label": cells[0].strip()})
    return rows


def parse_audit_summary(t: Table, doc: Document) -> list[Row]:
    head = t.header(0)
    j = head.index("계")
    year = t.section.ancestor("part")
    rows: list[Row] = []
    for i in range(1, len(t.rows)):
        cells = t.rows[i] + [""] * 8
        label = norm(cells[j - 1]) or norm(cells[0])
        kind = {"시정·처리요구사항": "시정·처리요구", "건의사항": "건의"}.get(label, label)
        if kind.startswith("기타"):
            kind = "기타"
        rows.append({
            **_prov(t, i), "audit_year": int(year.number) if year and year.number else 0, "kind": kind,
            "total": integer(cells[j]), "done": integer(cells[j + 1]), "in_progress": integer(cells[j + 2]),
            "reviewing": integer(cells[j + 3]), "not_reflected": integer(cells[j + 4]),
        })
    return rows


def parse_departments(t: Table, doc: Document) -> list[Row]:
    return [
        {**_prov(t, i), "name": t.rows[i][0].strip(), "duties": re.sub(r"^○\s*", "", t.rows[i][1].strip())}
        for i in range(1, len(t.rows)) if norm(t.rows[i][0])
    ]


def _has(*words: str) -> Callable[[list[str]], bool]:
    return lambda h: all(any(w in c for c in h) for w in words)


# (table name, header predicate on whitespace-free first-row cells, parser)
SIGNATURES: list[tuple[str, Callable[[list[str]], bool], Parser]] = [
    ("training_results", lambda h: any(re.match(r"'?\d\d년계획", c) for c in h) and any(re.match(r"'?\d\d년실적", c) for c in h), parse_training_results),
    ("budget_lines", lambda h: h[0] == "구분" and _has("예산현액", "증감")(h), parse_budget_overview),
    ("program_execution", lambda h: h[0] == "사업명" and _has("예산현액", "집행액", "집행예상액")(h), parse_program_execution),
    ("cohorts", lambda h: h[0].endswith("교육") and _has("교육기간", "인원")(h) and sum(c.endswith("교육") for c in h) >= 2, parse_cohorts),
    ("courses", lambda h: _has("연번", "과정명", "교육대상", "교육횟수")(h), parse_courses),
    ("elearning_categories", lambda h: h[0] == "구분" and _has("계", "개인학습")(h), parse_elearning_categories),
    ("equipment", lambda h: h[0] == "구분" and len(h) > 1 and h[1] == "합계", parse_equipment),
    ("exam_schedule", lambda h: h[0] == "구분" and any(re.match(r"\d회시험", c) for c in h), parse_exam_schedule),
    ("assessment_framework", lambda h: h[0] == "구분" and _has("평가역량", "평가기법")(h), parse_assessment_framework),
    ("audit_summary", lambda h: _has("구분", "계", "완료", "추진중")(h), parse_audit_summary),
    ("departments", lambda h: h[:2] == ["부서", "주요업무"], parse_departments),
]


def parse_tables(doc: Document, root: Section) -> tuple[dict[str, list[Row]], list[Table]]:
    """Typed rows of every recognised table; the unrecognised tables are returned as they are."""
    out: dict[str, list[Row]] = {}
    unknown: list[Table] = []
    for t in find_tables(doc, root):
        head = t.header(0)
        for name, pred, parser in SIGNATURES:
            if head and pred(head):
                out.setdefault(name, []).extend(parser(t, doc))
                break
        else:
            unknown.append(t)
    return out, unknown


def table_text(t: Table) -> str:
    return "\n".join(" | ".join(strip_html(c) for c in _strip_trailing(r)) for r in t.rows)
