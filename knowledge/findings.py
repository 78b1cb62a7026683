"""Consistency checks: generic rules over parsed rows that find where the report contradicts itself.

Each rule takes the parsed rows (table name → row dicts) and yields findings. A rule knows
table shapes (a subtotal and its parts, a rate and its inputs, the same line in two tables),
never a particular figure or line.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Callable, Iterator

from .names import line_key

Rows = dict[str, list[dict]]
Finding = dict


def _lines(r: dict) -> str:
    return f"{r['line_start']}-{r['line_end']}" if r["line_end"] != r["line_start"] else str(r["line_start"])


def _fmt(v: float | None) -> str:
    if v is None:
        return "-"
    return f"{v:,.1f}" if isinstance(v, float) and not float(v).is_integer() else f"{int(v):,}"


def finding(rule: str, subject: str, measure: str, a: dict, va, b: dict | list[dict], vb, arithmetic: str, unit: str, what: str) -> Finding:
    bs = b if isinstance(b, list) else [b]
    lines_b = ", ".join(_lines(x) for x in bs)
    message = (f"{subject}의 {measure}: {what} — {_fmt(va)}{unit}(줄 {_lines(a)}) vs {_fmt(vb)}{unit}(줄 {lines_b}). {arithmetic}")
    return {
        "rule": rule, "subject": subject, "measure": measure, "message": message, "value_a": va, "where_a": a["section"],
        "lines_a": _lines(a), "value_b": vb, "where_b": bs[0]["section"], "lines_b": lines_b, "arithmetic": arithmetic,
        "unit": unit, "section": a["section"], "line_start": a["line_start"], "line_end": a["line_end"],
    }


def _sum(rows: list[dict], field: str) -> int | float | None:
    vals = [r[field] for r in rows if r.get(field) is not None]
    return sum(vals) if vals else None


def _differs(a, b, tol: float = 0.0) -> bool:
    return a is not None and b is not None and abs(a - b) > tol


def _sum_rule(rule: str, parent: dict, parts: list[dict], fields: dict[str, str], subject: str, unit: str) -> Iterator[Finding]:
    for f, label in fields.items():
        total = _sum(parts, f)
        if _differs(parent.get(f), total):
            terms = " + ".join(_fmt(p[f]) for p in parts if p.get(f) is not None)
            yield finding(rule, subject, label, parent, parent[f], parts, total,
                          f"하위 항목 합계 {terms} = {_fmt(total)} (차이 {_fmt(parent[f] - total)})", unit, "합계와 세부 항목의 합이 다릅니다")


BUDGET_FIELDS = {"amount_prev": "전년 예산현액", "amount": "예산현액", "executed": "집행액"}


def budget_subtotals(rows: Rows) -> Iterator[Finding]:
    lines = rows.get("budget_lines", [])
    children = defaultdict(list)
    for r in lines:
        if r["parent"]:
            children[r["parent"]].append(r)
    for r in lines:
        key = "합계" if r["level"] == 0 else r["name"]
        parts = children.get(key) or children.get(r["name"])
        if parts:
            yield from _sum_rule("subtotal", r, parts, BUDGET_FIELDS, r["name"].replace(" ", ""), "천원")


def _rate_check(rule: str, r: dict, num: str, den: str, rate: str, label: str, subject: str) -> Iterator[Finding]:
    if r.get(num) is None or not r.get(den) or r.get(rate) is None:
        return
    computed = r[num] / r[den] * 100
    if abs(round(computed, 1) - r[rate]) > 0.15 and abs(computed - r[rate]) > 0.5:
        yield finding(rule, subject, label, r, r[rate], r, round(computed, 1),
                      f"{_fmt(r[num])} ÷ {_fmt(r[den])} × 100 = {computed:.1f}%", "%", "표기된 비율과 계산한 비율이 다릅니다")


def rates(rows: Rows) -> Iterator[Finding]:
    for r in rows.get("budget_lines", []):
        yield from _rate_check("rate", r, "executed", "amount", "execution_rate", "집행률", r["name"])
        if r.get("change") is not None and r.get("amount_prev"):
            yield from _rate_check("rate", r, "change", "amount_prev", "change_rate", "증감률", r["name"])
        if None not in (r.get("amount"), r.get("amount_prev")) and r.get("change") is not None and r["amount"] - r["amount_prev"] != r["change"]:
            yield finding("difference", r["name"], "증감액", r, r["change"], r, r["amount"] - r["amount_prev"],
                          f"{_fmt(r['amount'])} − {_fmt(r['amount_prev'])} = {_fmt(r['amount'] - r['amount_prev'])}", "천원", "증감액이 두 해 예산의 차이와 다릅니다")
    for r in rows.get("program_execution", []):
        yield from _rate_check("rate", r, "committed", "budget", "committed_rate", "집행률(원인행위)", r["name"])
        yield from _rate_check("rate", r, "spent", "budget", "spent_rate", "집행률(지출액)", r["name"])
        yield from _rate_check("rate", r, "forecast", "budget", "forecast_rate", "연말 예상 집행률", r["name"])
    for r in rows.get("training_results", []):
        if not r.get("parenthesised"):
            yield from _rate_check("rate", r, "actual_people", "planned_people", "participation_rate", "참여율", _training_subject(r))


def program_vs_budget_table(rows: Rows) -> Iterator[Finding]:
    """A program's 예산집행 현황 row(s) against the same line in the overall budget table."""
    by_key = defaultdict(list)
    for p in rows.get("program_execution", []):
        by_key[line_key(p["name"])].append(p)
    for line in rows.get("budget_lines", []):
        if line["level"] < 3:
            continue
        progs = by_key.get(line_key(line["name"]))
        if not progs:
            continue
        for p in progs:
            p["budget_line"] = line["name"]
        exact = [p for p in progs if p["budget"] == line["amount"]]
        if exact:
            p = exact[0]
            if _differs(p["committed"], line["executed"]):
                yield finding("cross_table", line["name"], "집행액(원인행위)", line, line["executed"], p, p["committed"],
                              f"차이 {_fmt(line['executed'] - p['committed'])}", "천원", "같은 사업의 집행액이 두 표에서 다릅니다")
            continue
        total = _sum(progs, "budget")
        if _differs(line["amount"], total):
            terms = " + ".join(_fmt(p["budget"]) for p in progs)
            yield finding("cross_table", line["name"], "예산현액", line, line["amount"], progs, total,
                          f"사업별 표 {terms} = {_fmt(total)} (차이 {_fmt(line['amount'] - total)})", "천원", "같은 사업의 예산현액이 두 표에서 다릅니다")
        committed = _sum(progs, "committed")
        if _differs(line["executed"], committed):
            terms = " + ".join(_fmt(p["committed"] or 0) for p in progs)
            yield finding("cross_table", line["name"], "집행액(원인행위)", line, line["executed"], progs, committed,
                          f"사업별 표 {terms} = {_fmt(committed)} (차이 {_fmt(line['executed'] - committed)})", "천원", "같은 사업의 집행액이 두 표에서 다릅니다")


def _training_subject(r: dict) -> str:
    return " ".join(x for x in (r["mode"], r.get("competency_group"), r.get("subcategory")) if x)


TRAINING_FIELDS = {"planned_courses": "계획 과정수", "planned_sessions": "계획 횟수", "planned_people": "계획 인원",
                   "actual_courses": "실적 과정수", "actual_sessions": "실적 횟수", "actual_people": "실적 인원"}


def training_subtotals(rows: Rows) -> Iterator[Finding]:
    tr = [r for r in rows.get("training_results", []) if not r.get("parenthesised")]
    subtotals = [r for r in tr if r["level"] == "subtotal"]
    for s in subtotals:
        details = [r for r in tr if r["level"] == "detail" and r["mode"] == s["mode"]]
        yield from _sum_rule("subtotal", s, details, TRAINING_FIELDS, f"{s['mode']} 소계", "")
        if _differs(s.get("mode_courses_declared"), _sum(details, "planned_courses")):
            yield finding("subtotal", f"{s['mode']}", "과정수(괄호 표기)", s, s["mode_courses_declared"], details, _sum(details, "planned_courses"),
                          "세부 과정수 합계와 다릅니다", "개", "괄호 안 과정수와 세부 합계가 다릅니다")
        groups = defaultdict(list)
        for d in details:
            groups[d["competency_group"]].append(d)
        for g, ds in groups.items():
            decl = ds[0].get("group_courses_declared")
            if _differs(decl, _sum(ds, "planned_courses")):
                yield finding("subtotal", f"{s['mode']} {g}", "과정수(괄호 표기)", ds[0], decl, ds, _sum(ds, "planned_courses"),
                              "세부 과정수 합계와 다릅니다", "개", "괄호 안 과정수와 세부 합계가 다릅니다")
    for t in (r for r in tr if r["level"] == "total"):
        yield from _sum_rule("subtotal", t, subtotals, TRAINING_FIELDS, "전체", "")


def elearning_vs_training(rows: Rows) -> Iterator[Finding]:
    details = [r for r in rows.get("training_results", []) if r["mode"] == "e-러닝" and r["level"] == "detail"]
    for c in rows.get("elearning_categories", []):
        match = [d for d in details if c["subcategory"] and d["subcategory"] == c["subcategory"]
                 and (d["competency_group"] or "").startswith(c["competency_group"][:2])]
        for d in match[:1]:
            for fc, fd, label in (("courses", "actual_courses", "과정수"), ("learners", "actual_people", "수강인원")):
                if _differs(c[fc], d[fd]):
                    yield finding("cross_table", f"e-러닝 {c['competency_group']} {c['subcategory']}", label, c, c[fc], d, d[fd],
                                  f"차이 {_fmt(c[fc] - d[fd])}", "", "같은 분야의 수치가 두 표에서 다릅니다")


def table_totals(rows: Rows) -> Iterator[Finding]:
    eq = rows.get("equipment", [])
    total = next((r for r in eq if r["item"] in ("합계", "계")), None)
    if total:
        yield from _sum_rule("subtotal", total, [r for r in eq if r is not total], {"inventory": "보유 수량", "over_lifespan": "내구연한 경과 수량"}, "교육장비", "개")
    el = rows.get("elearning_categories", [])
    total = next((r for r in el if r["competency_group"] == "합계"), None)
    if total:
        parts = [r for r in el if r is not total and not r["parenthesised"]]
        yield from _sum_rule("subtotal", total, parts, {"courses": "과정수", "learners": "수강인원"}, "e-러닝 분야별", "")
    by_course = defaultdict(list)
    for c in rows.get("cohorts", []):
        by_course[c["course"]].append(c)
    for course, cs in by_course.items():
        tot = next((c for c in cs if c["cohort"] is None), None)
        if tot:
            yield from _sum_rule("subtotal", tot, [c for c in cs if c is not tot], {"planned": "계획 인원", "completed": "수료 인원"}, course, "명")
    hiring = rows.get("career_hiring", [])
    for i, h in enumerate(hiring):
        if h["level"] == 0:
            parts = [x for x in hiring if x["level"] == 1]
        elif h["level"] == 1:
            parts = []
            for x in hiring[i + 1:]:
                if x["level"] < 2:
                    break
                if x["status"] == "선발 완료":
                    parts.append(x)
        else:
            continue
        if parts:
            yield from _sum_rule("subtotal", h, parts, {"fields": "분야 수", "people": "선발 인원"}, h["category"], "명")
    rev = rows.get("revenue", [])
    for i, r in enumerate(rev):
        if r["level"] == 0:
            parts = []
            for x in rev[i + 1:]:
                if x["level"] == 0:
                    break
                parts.append(x)
            if parts:
                yield from _sum_rule("subtotal", r, parts, {"amount": "금액"}, r["category"], r["unit"])


def same_fact_twice(rows: Rows) -> Iterator[Finding]:
    """One fact stated twice with different figures: exam selections, land area, totals in prose."""
    sched = {(s["round"]): s for s in rows.get("exam_schedule", []) if s["stage"] == "선발인원"}
    for e in rows.get("exams", []):
        s = sched.get(e["round"])
        if s and _differs(e["selected"], s["number"]):
            yield finding("same_fact", f"제{e['round']}회 임용시험", "선발인원", e, e["selected"], s, s["number"],
                          f"차이 {_fmt(e['selected'] - s['number'])}명", "명", "본문과 일정표의 선발인원이 다릅니다")
    fac = rows.get("facilities", [])
    for kind, label in (("site", "부지(대지) 면적"), ("building_total", "건물 (연)면적")):
        same = [f for f in fac if f["kind"] == kind and f["area_m2"] is not None]
        for other in same[1:]:
            if _differs(same[0]["area_m2"], other["area_m2"]):
                yield finding("same_fact", "인재개발원", label, same[0], same[0]["area_m2"], other, other["area_m2"],
                              f"{same[0]['name']} {_fmt(same[0]['area_m2'])}㎡ vs {other['name']} {_fmt(other['area_m2'])}㎡", "㎡", "같은 시설 면적이 두 곳에서 다릅니다")
    buildings = [f for f in fac if f["kind"] == "building" and f["area_m2"] is not None]
    for t in (f for f in fac if f["kind"] == "building_total"):
        if buildings and _differs(t["area_m2"], _sum(buildings, "area_m2")):
            yield from _sum_rule("subtotal", t, buildings, {"area_m2": "면적"}, t["name"], "㎡")
    ov = rows.get("training_overview", [])
    tr = rows.get("training_results", [])
    mode_of = {"전체": "전체", "집합교육": "집합", "e-러닝": "e-러닝"}
    for o in ov:
        mode = mode_of.get(o["label"])
        row = next((t for t in tr if t["mode"] == mode and t["level"] in ("total", "subtotal")), None)
        if not row:
            continue
        pre = "planned" if o["phase"] == "계획" else "actual"
        for f, label in (("courses", "과정수"), ("people", "인원")):
            if _differs(o[f], row[f"{pre}_{f}"]):
                yield finding("same_fact", f"{o['label']} {o['phase']}", label, o, o[f], row, row[f"{pre}_{f}"],
                              "본문 개요와 교육 운영 현황 표가 다릅니다", "", "같은 수치가 두 곳에서 다릅니다")


def audit_counts(rows: Rows) -> Iterator[Finding]:
    items = rows.get("audit_items", [])
    for s in rows.get("audit_summary", []):
        subset = items if s["kind"] == "계" else [i for i in items if i["kind"] == s["kind"]]
        if not subset:
            continue
        counts = {"total": len(subset), "done": sum(i["status"] == "추진완료" for i in subset),
                  "in_progress": sum(i["status"] == "추진 중" for i in subset)}
        for f, label in (("total", "건수"), ("done", "완료 건수"), ("in_progress", "추진 중 건수")):
            if (s[f] or 0) != counts[f]:
                first = subset[0]
                span = {**first, "line_end": subset[-1]["line_end"]}
                yield finding("count", f"행정사무감사 {s['kind']}", label, s, s[f] or 0, span, counts[f],
                              f"본문에 나열된 항목 {counts[f]}건", "건", "총괄표 건수와 나열된 항목 수가 다릅니다")


RULES: list[Callable[[Rows], Iterator[Finding]]] = [
    budget_subtotals, rates, program_vs_budget_table, training_subtotals, elearning_vs_training, table_totals,
    same_fact_twice, audit_counts,
]


def check(rows: Rows) -> list[Finding]:
    out: list[Finding] = []
    seen: set[tuple] = set()
    for rule in RULES:
        for f in rule(rows):
            key = (f["subject"], f["measure"], f["lines_a"], f["lines_b"])
            if key not in seen:
                seen.add(key)
                out.append(f)
    return out
