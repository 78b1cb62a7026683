"""Figures the report states in prose lines, read with a table of patterns per domain.

Each extractor walks the section tree, picks the sections its domain lives in by their
titles (not by line numbers) and applies regular expressions line by line.
"""

from __future__ import annotations

import re

from .cells import norm, to_float, to_int
from .document import Document
from .html_tables import has_html_table, parse_html_tables
from .sections import Section, strip_html

Row = dict
N = r"(\d[\d,]*)"


def _prov(s: Section, a: int, b: int | None = None) -> Row:
    return {"section": s.path, "line_start": a, "line_end": b if b is not None else a}


def _lines(doc: Document, s: Section):
    for n in range(s.start, s.end + 1):
        yield n, doc.line(n)


def organization(doc: Document, root: Section) -> list[Row]:
    out = []
    for ch in root.find("chapter"):
        for n, ln in _lines(doc, ch):
            if "정원" in ln and "현원" in ln:
                g = lambda p: to_int(m.group(1)) if (m := re.search(p, ln)) else None  # noqa: E731
                out.append({**_prov(ch, n), "departments": g(r"(\d+)\s*과"), "teams": g(r"(\d+)\s*팀"),
                            "quota": g(r"정원\s*" + N + "명"), "current": g(r"현원\s*" + N + "명")})
    return out


_AREA = re.compile(r"([가-힣][가-힣 ]*?)\s*[:—]?\s*(?:(\d+)\s*필지,?\s*)?(?:(\d+)\s*개동,?\s*)?" + N + r"㎡(?:\s*\(" + N + r"평\))?")
_FLOORS = re.compile(r"^\s*-\s*([가-힣]+)\((?:지하(\d+)층,?\s*)?지상(\d+)층\)")


def facilities(doc: Document, root: Section) -> list[Row]:
    rows: dict[str, Row] = {}
    order: list[str] = []

    def put(name: str, s: Section, n: int, **vals) -> None:
        key = next((k for k in rows if k.endswith(name) or name.endswith(k)), None)
        if key is None or any(rows[key].get(f) is not None for f, v in vals.items() if v is not None and f != "kind"):
            key = name if key is None or name not in rows else f"{name}@{n}"
            rows[key] = {**_prov(s, n), "name": name, "kind": vals.get("kind", "building"), "parcels": None, "buildings": None,
                         "area_m2": None, "area_pyeong": None, "basement_floors": None, "above_floors": None, "note": None}
            order.append(key)
        r = rows[key]
        for f, v in vals.items():
            if v is not None and (f != "kind" or r["kind"] == "building"):
                r[f] = v
        r["line_start"], r["line_end"] = min(r["line_start"], n), max(r["line_end"], n)
        if r["section"] != s.path:
            r["note"] = f"{r['section']} / {s.path}"

    for s in root.walk():
        if s.kind not in ("chapter", "block") or not ("시설" in s.title or any("시설규모" in doc.line(n) for n in range(s.start, s.end + 1))):
            continue
        for n, ln in _lines(doc, s):
            for m in _AREA.finditer(ln):
                name = norm(m.group(1)).replace("시설규모", "")
                if not name:
                    continue
                kind = "site" if ("부지" in name or "대지" in name) else ("building_total" if (m.group(3) or "연면적" in name) else "building")
                put(name, s, n, kind=kind, parcels=to_int(m.group(2)), buildings=to_int(m.group(3)),
                    area_m2=to_float(m.group(4)), area_pyeong=to_float(m.group(5)))
            m = _FLOORS.match(ln)
            if m:
                put(m.group(1), s, n, kind="building", basement_floors=int(m.group(2) or 0), above_floors=int(m.group(3)))
    return [rows[k] for k in order]


_OVERVIEW = re.compile(r"([가-힣e\- ]+?)\s*(?:\((\d+)%\))?\s*(?:[:—]\s*)?(?:총\s*)?" + N + r"개\s*과정\s*" + N + "명")


def training_overview(doc: Document, root: Section) -> list[Row]:
    out = []
    for ch in root.find("chapter"):
        if "교육" not in ch.title or "현황" not in ch.title:
            continue
        phase = "계획"
        for n, ln in _lines(doc, ch):
            if "\t" in ln:
                continue
            if "실적" in ln.split("—")[0]:
                phase = "실적"
            for m in _OVERVIEW.finditer(ln):
                label = re.sub(r"^[-및]+", "", norm(m.group(1))) or "전체"
                if label in ("교육규모", "교육실적"):
                    label = "전체"
                out.append({**_prov(ch, n), "label": label, "phase": phase, "share_pct": to_float(m.group(2)),
                            "courses": to_int(m.group(3)), "people": to_int(m.group(4))})
    return out


_INTL = re.compile(r"'?(\d\d)년.*국제연수.*\[계획\]\s*(\d+)회\s*" + N + r"명.*\[실적\]\s*(\d+)회\s*" + N + "명")


def international_training(doc: Document, root: Section) -> list[Row]:
    out = []
    for ch in root.find("chapter"):
        for n, ln in _lines(doc, ch):
            m = _INTL.search(ln)
            if m:
                out.append({**_prov(ch, n), "year": 2000 + int(m.group(1)), "planned_sessions": int(m.group(2)),
                            "planned_people": to_int(m.group(3)), "actual_sessions": int(m.group(4)), "actual_people": to_int(m.group(5))})
    return out


_MONEY = re.compile(r"^\s*(-\s*)?([가-힣]+)\s*[:—]\s*" + N + r"(백만원|천원|억원)")


def revenue(doc: Document, root: Section) -> list[Row]:
    out = []
    for ch in root.find("chapter"):
        if "예산" not in ch.title:
            continue
        kind = None
        for n, ln in _lines(doc, ch):
            m = _MONEY.match(ln)
            if m:
                cat = m.group(2)
                if cat.startswith("세입"):
                    kind = "세입"
                elif cat.startswith("세출"):
                    kind = "세출"
                level = 1 if m.group(1) else 0
                out.append({**_prov(ch, n), "category": cat, "kind": kind or "세입", "level": level,
                            "amount": to_float(m.group(3)), "unit": m.group(4), "note": None})
            elif out and out[-1]["line_end"] == n - 1 and re.match(r"^\s+-\s*\S", ln):
                out[-1]["note"] = ln.strip(" -")
                out[-1]["line_end"] = n
    return out


def strategies_and_tasks(doc: Document, root: Section) -> tuple[list[Row], list[Row]]:
    strategies, tasks = [], []
    for i, st in enumerate(root.find("strategy"), start=1):
        strategies.append({**_prov(st, st.start), "number": i, "name": st.title})
        for p in st.children:
            if p.kind == "program":
                tasks.append({**_prov(st, p.start, p.start), "strategy": st.title, "number": int(p.number or 0), "title": p.title})
    return strategies, tasks


_CONTACT = re.compile(r"([가-힣A-Za-z()]*?(과장|팀장|담당))\s*:\s*([가-힣]+(?:,\s*[가-힣]+)*)\s*(?:☎\s*)?([\d-]+)?")


def contacts(doc: Document, root: Section) -> list[Row]:
    out = []
    for c in root.find("contact"):
        prog = c.ancestor("program")
        dept = None
        for n, ln in _lines(doc, c):
            text = ln.replace("\t", " ").replace("|", " ")
            text = re.sub(r"^\s*작\s*성\s*자", "", text)
            for m in _CONTACT.finditer(re.sub(r"\s+:", ":", text)):
                position, role, name, phone = m.group(1), m.group(2), m.group(3), m.group(4)
                if role == "과장":
                    dept = position[:-1] if position.endswith("장") else position
                out.append({**_prov(c, n), "program": prog.title if prog else "", "role": role, "position": position,
                            "department": dept, "name": name, "phone": phone})
    return out


def programs(doc: Document, root: Section, contact_rows: list[Row]) -> list[Row]:
    out = []
    for st in root.find("strategy"):
        for p in st.children:
            if p.kind != "program":
                continue
            intro = next((b for b in p.children if b.title == "개요"), None)
            purpose = " ".join(doc.line(n).strip() for n in range(intro.start, intro.end + 1)) if intro else ""
            dept = next((c["department"] for c in contact_rows if c["program"] == p.title and c["department"]), None)
            out.append({**_prov(p, p.start, p.end), "strategy": st.title, "number": int(p.number or 0), "title": p.title,
                        "purpose": purpose, "department": dept})
    return out


_SCALE_KEYS = ("규모", "추진실적", "교육인원", "인원/기간")
_COUNT = {"courses": re.compile(r"(\d[\d,]*)\s*개\s*과정"), "sessions": re.compile(r"(\d[\d,]*)\s*회(?!계)"), "people": re.compile(N + r"\s*명")}


def _counts(seg: str) -> dict:
    people = _COUNT["people"].search(seg)
    paren = seg.find("(")
    if people and paren != -1 and people.start() < paren:
        seg = seg[:paren]
    out = {}
    for k, rx in _COUNT.items():
        m = rx.search(seg)
        out[k] = to_int(m.group(1)) if m else None
    return out


def program_metrics(doc: Document, root: Section) -> list[Row]:
    """'교육규모 : 총 2개 과정 12회 4,000명' (계획) and '□ 추진실적 : 총 23회 1,901명' (실적)."""
    out = []
    for p in root.find("program"):
        for b in p.children:
            if b.kind != "block" or b.title not in ("사업개요", "추진실적"):
                continue
            for n, ln in _lines(doc, b):
                text = ln.replace("**", "").strip()
                head = text.split(":")[0]
                is_result_head = n == b.start and b.title == "추진실적"
                if ":" not in text:
                    continue
                body = text.split(":", 1)[1]
                one_figure = len(_COUNT["people"].findall(body)) == 1 and (_COUNT["sessions"].search(body) or _COUNT["courses"].search(body))
                if not is_result_head and not any(k in head for k in _SCALE_KEYS) and not one_figure:
                    continue
                phase = "실적" if b.title == "추진실적" else "계획"
                # '사전교육(1회 280명 수료), 본교육(6회 1,876명 수료)' → one row per segment
                segs = [s for s in re.split(r"\)\s*,\s*|\s*※\s*", body) if s.strip()] if re.search(r"\),", body) else [body.split("※")[0]]
                for seg in segs:
                    c = _counts(seg)
                    if all(v is None for v in c.values()):
                        continue
                    label = re.split(r"[(:\d]", seg.strip().lstrip("총 "))[0].strip()
                    if not label or label in ("총",):
                        label = head
                    label = re.sub(r"^[\s□○\-▶※*]+", "", label).strip() or "추진실적"
                    out.append({**_prov(b, n), "program": p.title, "phase": phase, "label": label[:120], **c, "text": text[:500]})
                prev = re.search(r"'(\d\d)년\s*" + N + r"명", body)
                if prev:
                    out.append({**_prov(b, n), "program": p.title, "phase": "전년", "label": f"'{prev.group(1)}년 " + head.replace("□", "").strip(),
                                "courses": None, "sessions": None, "people": to_int(prev.group(2)), "text": text[:500]})
    return out


_EXAM = re.compile(r"제\s*(\d+)\s*회\s*(.+?)\s*:\s*(.+?)\s*(\d+)\s*개\s*직류\s*" + N + r"\s*명\s*선발\s*(완료|예정)?")


def exams(doc: Document, root: Section) -> list[Row]:
    out: list[Row] = []
    for b in root.find("block"):
        if b.title != "추진실적":
            continue
        current: Row | None = None
        for n, ln in _lines(doc, b):
            m = _EXAM.search(ln)
            if m:
                current = {**_prov(b, n), "round": int(m.group(1)), "title": f"제{m.group(1)}회 {m.group(2).strip()}",
                           "scope": m.group(3).strip(), "job_series": int(m.group(4)), "selected": to_int(m.group(5)),
                           "selection_status": m.group(6), "applicants": None, "application_period": None,
                           "competition_ratio": None, "takers": None, "attendance_rate": None, "written_exam_date": None, "detail": ln.strip()}
                out.append(current)
                continue
            if current is None or not ln.startswith(" "):
                current = None if not ln.strip().startswith("-") else current
                if current is None:
                    continue
            current["line_end"] = n
            current["detail"] += "\n" + ln.strip()
            if (m := re.search(r"접수\s*(?:\(([^)]*)\))?\s*:?\s*" + N + "명", ln)):
                current["applicants"] = to_int(m.group(2))
                current["application_period"] = m.group(1)
            if (m := re.search(r"경쟁률\s*([\d.]+)\s*:\s*1", ln)):
                current["competition_ratio"] = float(m.group(1))
            if (m := re.search(r"응시인원\s*" + N + "명", ln)):
                current["takers"] = to_int(m.group(1))
            if (m := re.search(r"응시율\s*([\d.]+)%", ln)):
                current["attendance_rate"] = float(m.group(1))
            if (m := re.search(r"필기시험\s*\(([\d.~\s]+)\)", ln)):
                current["written_exam_date"] = m.group(1).strip()
    return out


_FIELDS = re.compile(r"(\d+)\s*개\s*분야\s*(\d+)\s*명")


def career_hiring(doc: Document, root: Section) -> list[Row]:
    out = []
    for b in root.find("block"):
        if b.title != "추진실적":
            continue
        for n, ln in _lines(doc, b):
            m = _FIELDS.search(ln)
            if not m:
                continue
            stripped = ln.strip()
            if stripped.startswith("□"):
                level, category = 0, "합계"
            else:
                level = 2 if ln.startswith(" ") else 1
                category = re.split(r"\s*(?::|\(|\d+\s*개\s*분야)", stripped.lstrip("-※ ").strip())[0].strip()
            status = next((s for s in ("선발 완료", "진행 중", "선발 예정") if s in stripped), None)
            out.append({**_prov(b, n), "category": category, "level": level, "fields": int(m.group(1)),
                        "people": int(m.group(2)), "status": status, "text": stripped})
    return out


_PLAN = re.compile(r"(\d)급\s*승진(?:후보자|대상자)\s*\((\d+)회,\s*" + N + r"명\)")
_ACTUAL = re.compile(r"(\d)급[^,()]*?" + N + r"명\s*\(([^)]*)\)")
_SUMMARY = re.compile(N + r"명\s*(평가|교육)\s*\((\d)급\s*(\d+)회,\s*(\d)급\s*(\d+)회\)")


def competency_assessments(doc: Document, root: Section, frameworks: list[Row]) -> list[Row]:
    rows: dict[tuple[str, str], Row] = {}
    for p in root.find("program"):
        if not any("역량평가" in doc.line(n) for n in range(p.start, p.end + 1)):
            continue
        kind = "역량평가"

        def row(k: str, grade: str, n: int, s: Section) -> Row:
            key = (k, grade)
            if key not in rows:
                rows[key] = {**_prov(s, n), "kind": k, "grade": grade, "planned_sessions": None, "planned_people": None,
                             "actual_sessions": None, "actual_people": None, "months": None, "competencies": None, "techniques": None}
            r = rows[key]
            r["line_start"], r["line_end"] = min(r["line_start"], n), max(r["line_end"], n)
            return r

        for b in p.children:
            for n, ln in _lines(doc, b):
                if ln.strip().startswith("○"):
                    kind = "이해과정" if "이해과정" in ln.split(":")[0] else "역량평가"
                for m in _PLAN.finditer(ln):
                    r = row(kind, f"{m.group(1)}급", n, b)
                    r["planned_sessions"], r["planned_people"] = int(m.group(2)), to_int(m.group(3))
                if ln.strip().startswith("○") and ":" in ln and ("완료" in ln):
                    for m in _ACTUAL.finditer(ln.split(":", 1)[1]):
                        r = row(kind, f"{m.group(1)}급", n, b)
                        r["actual_people"], r["months"] = to_int(m.group(2)), m.group(3)
                for m in _SUMMARY.finditer(ln):
                    k = "역량평가" if m.group(2) == "평가" else "이해과정"
                    row(k, f"{m.group(3)}급", n, b)["actual_sessions"] = int(m.group(4))
                    row(k, f"{m.group(5)}급", n, b)["actual_sessions"] = int(m.group(6))
    for f in frameworks:
        r = rows.get(("역량평가", f["grade"]))
        if r:
            r["competencies"], r["techniques"] = f["competencies"], f["techniques"]
            r["line_end"] = max(r["line_end"], f["line_end"])
    return list(rows.values())


_DEPT = re.compile(r"\(([가-힣]+과(?:\s*,\s*[가-힣]+과)*)\)")
_STATUS = re.compile(r"추진\s*상황\s*:\s*(추진\s*완료|추진\s*중|검토\s*중|미반영)")


def audit_items(doc: Document, root: Section) -> list[Row]:
    out = []
    for g in root.find("audit_group"):
        part = g.ancestor("part")
        for it in g.children:
            request_parts, response_parts = [], []
            for n in range(it.start, it.end + 1):
                cells = doc.line(n).split("\t")
                if norm(strip_html(cells[0])) in ("시정및처리요구사항", "건의사항", "자료제출등기타사항"):
                    continue
                if n == it.start:
                    request_parts.append(strip_html(cells[0]))
                    response_parts.extend(strip_html(c) for c in cells[1:] if c.strip())
                else:
                    response_parts.append(" | ".join(strip_html(c) for c in cells if c.strip()))
            request = " ".join(request_parts).lstrip("○ ").strip()
            response = "\n".join(x for x in response_parts if x.strip("| -"))
            dept = _DEPT.findall(request)
            status = _STATUS.search(response)
            combined = re.search(r"추진\s*내용\s*및\s*향후\s*추진\s*계획", response)
            if combined:
                plan_split = [response[combined.end():]]
            else:
                plan_split = re.split(r"□?\s*향후\s*(?:추진)?\s*계획", response, maxsplit=1)
            actions = re.sub(r"^.*?추진\s*내용", "", plan_split[0], count=1, flags=re.S).strip() if not combined else plan_split[0].strip()
            out.append({**_prov(it, it.start, it.end), "audit_year": int(part.number) if part and part.number else 0,
                        "kind": g.label, "seq": int(it.number or 0), "department": dept[-1].replace(" ", "") if dept else None,
                        "request": _DEPT.sub("", request).strip(), "status": status.group(1).replace(" ", "").replace("추진중", "추진 중") if status else None,
                        "actions": actions, "plans": plan_split[1].strip() if len(plan_split) > 1 else ""})
    return out


def audit_tables(doc: Document, root: Section, items: list[Row]) -> tuple[list[Row], list[Row]]:
    """The HTML tables inside audit items' lines and their values: (table rows, cell rows).

    A table row points at its audit item row and a cell row at its table row (key
    'audit_item' / 'audit_table': the parsed row itself; ingest links them once inserted).
    Both cite the line the table stands on; a caption may stand on an earlier line of the item.
    """
    by_start = {(r["section"], r["line_start"]): r for r in items}
    tables: list[Row] = []
    cells: list[Row] = []
    for it in root.find("audit_item"):
        item = by_start.get((it.path, it.start))
        no = 0
        for n in range(it.start, it.end + 1):
            line = doc.line(n)
            if not has_html_table(line):
                continue
            context = "\n".join(doc.line(k) for k in range(it.start, n))
            for t in parse_html_tables(line, context):
                no += 1
                trow = {**_prov(it, n), "audit_item": item, "table_no": no, "caption": t.caption and t.caption[:400],
                        "unit_note": t.unit_note and t.unit_note[:100], "n_rows": t.n_rows, "n_cols": t.n_cols}
                tables.append(trow)
                for c in t.cells():
                    cells.append({**_prov(it, n), "audit_table": trow, "row_index": c.row, "row_label": c.row_label[:400],
                                  "column_label": c.column[:400], "value_text": c.text,
                                  "value_num": None if c.value is None else float(c.value), "unit": c.unit})
    return tables, cells


def section_rows(root: Section, contact_rows: list[Row]) -> list[Row]:
    out = []
    for s in root.walk():
        if s.kind == "report":
            continue
        prog = s.ancestor("program")
        dept = next((c["department"] for c in contact_rows if prog and c["program"] == prog.title and c["department"]), None)
        out.append({"section": s.path, "line_start": s.start, "line_end": s.end, "kind": s.kind, "title": s.title,
                    "number": s.number, "label": s.label, "department": dept})
    return out
