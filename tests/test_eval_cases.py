"""Schema and ground-truth checks of the evaluation cases (eval/cases, eval/cases/holdout).

* every case has the fields of /work/shared/eval-format.md plus ``lines``;
* ids are unique across all files; ``follows`` names an earlier case;
* every expected number of a non-derived case stands in the report on the
  cited lines (``lines`` plus optional ``also_lines``);
* a derived case (``derived: true``) names its ``inputs`` and ``op``; each input
  stands on the cited lines and the result is recomputed and compared at the
  precision written in the case.
"""

from __future__ import annotations

import json
import sys
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from eval.scorer import date_parts, read_numbers  # noqa: E402

REPORT = ROOT / "knowledge/sources/seoul-hrd-2025-work-report.txt"
CASES_DIR = ROOT / "eval" / "cases"
MAIN_FILES = sorted(CASES_DIR.glob("*.jsonl"))
HOLDOUT_FILES = sorted((CASES_DIR / "holdout").glob("*.jsonl"))
KINDS = {"sql", "rag", "mixed", "unanswerable"}
OPS = {"sum", "diff", "ratio_pct", "ratio", "pct_point_diff", "count", "max", "min"}
REQUIRED = {"id": str, "question": str, "kind": str, "numbers": list, "terms": list,
            "section": str, "note": str, "lines": list}

REPORT_LINES = REPORT.read_text(encoding="utf-8").split("\n")


def _load(files):
    out = []
    for f in files:
        for i, raw in enumerate(f.read_text(encoding="utf-8").splitlines(), 1):
            if raw.strip():
                out.append((f"{f.relative_to(CASES_DIR)}:{i}", json.loads(raw)))
    return out


MAIN = _load(MAIN_FILES)
HOLDOUT = _load(HOLDOUT_FILES)
ALL = MAIN + HOLDOUT
IDS = [f"{c['id']}" for _, c in ALL]


def _places(x) -> int:
    exp = Decimal(str(x)).as_tuple().exponent
    return max(0, -exp) if isinstance(exp, int) else 0


def _round(x, places) -> Decimal:
    return Decimal(str(x)).quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)


def _ranges(case):
    rs = []
    if case["lines"]:
        rs.append(case["lines"])
    rs.extend(case.get("also_lines", []))
    return rs


def _numbers_on(case) -> list[float]:
    out: list[float] = []
    for s, e in _ranges(case):
        text = "\n".join(REPORT_LINES[s - 1:e])
        out.extend(read_numbers(text) + date_parts(text))
    return out


def _on_lines(x, found) -> bool:
    """Exact (absolute) equality: 96 matches 96.0, 1053812 matches △1,053,812."""
    return any(abs(float(x)) == abs(f) for f in found)


def _compute(op, inputs):
    if op == "sum":
        return sum(inputs)
    if op in ("diff", "pct_point_diff"):
        return inputs[0] - inputs[1]
    if op == "ratio_pct":
        return inputs[0] / inputs[1] * 100
    if op == "ratio":
        return inputs[0] / inputs[1]
    if op == "count":
        return len(inputs)
    if op == "max":
        return max(inputs)
    if op == "min":
        return min(inputs)
    raise AssertionError(op)


def test_files_present():
    names = {f.name for f in MAIN_FILES}
    for n in ["budget", "training", "programs", "exams", "audit", "general", "unanswerable", "followups"]:
        assert f"{n}.jsonl" in names
    assert len(MAIN) >= 220, len(MAIN)
    assert len(HOLDOUT) >= 60, len(HOLDOUT)


def test_ids_unique():
    seen = {}
    for where, c in ALL:
        assert c["id"] not in seen, f"duplicate id {c['id']} in {where} and {seen.get(c['id'])}"
        seen[c["id"]] = where


def test_holdout_questions_differ():
    main_q = {c["question"].strip() for _, c in MAIN}
    dup = [c["id"] for _, c in HOLDOUT if c["question"].strip() in main_q]
    assert not dup, dup


def test_every_kind_present():
    for cases in (MAIN, HOLDOUT):
        assert {c["kind"] for _, c in cases} == KINDS


@pytest.mark.parametrize("where,case", ALL, ids=IDS)
def test_schema(where, case):
    for k, t in REQUIRED.items():
        assert k in case, f"{where}: missing {k}"
        assert isinstance(case[k], t), f"{where}: {k} is not {t.__name__}"
    assert case["kind"] in KINDS
    assert case["question"].strip()
    assert case["id"].strip() and " " not in case["id"]
    assert all(isinstance(n, (int, float)) and not isinstance(n, bool) for n in case["numbers"])
    assert all(isinstance(t, str) and t.strip() for t in case["terms"])
    if case["kind"] == "unanswerable":
        assert case["numbers"] == [] and case["terms"] == []
        assert case["lines"] == []
    else:
        assert case["numbers"] or case["terms"], f"{where}: nothing to check"
        assert case["section"].strip()
        s, e = case["lines"]
        assert 1 <= s <= e <= len(REPORT_LINES), case["lines"]
        for r in case.get("also_lines", []):
            assert 1 <= r[0] <= r[1] <= len(REPORT_LINES)


def test_follows_refer_to_earlier_cases():
    seen = set()
    for where, c in ALL:
        if "follows" in c:
            assert c["follows"] in seen, f"{where}: follows {c['follows']} which is not an earlier case"
        seen.add(c["id"])


@pytest.mark.parametrize(
    "where,case", [(w, c) for w, c in ALL if c["kind"] != "unanswerable" and not c.get("derived")],
    ids=[c["id"] for _, c in ALL if c["kind"] != "unanswerable" and not c.get("derived")],
)
def test_numbers_stand_on_cited_lines(where, case):
    found = _numbers_on(case)
    missing = [n for n in case["numbers"] if not _on_lines(n, found)]
    assert not missing, f"{where}: {missing} not on lines {_ranges(case)}"


DERIVED = [(w, c) for w, c in ALL if c.get("derived")]


@pytest.mark.parametrize("where,case", DERIVED, ids=[c["id"] for _, c in DERIVED])
def test_derived_cases_recompute(where, case):
    assert case["op"] in OPS
    inputs = case["inputs"]
    assert inputs, where
    s, e = case["lines"]
    if case["op"] == "count":
        # inputs are the report lines of the counted items
        assert all(s <= int(x) <= e for x in inputs), f"{where}: counted lines outside {case['lines']}"
    else:
        found = _numbers_on(case)
        missing = [x for x in inputs if not _on_lines(x, found)]
        assert not missing, f"{where}: inputs {missing} not on lines {_ranges(case)}"
    result = case["numbers"][0]
    got = _compute(case["op"], inputs)
    assert _round(got, _places(result)) == _round(result, _places(result)), (
        f"{where}: {case['op']}({inputs}) = {got}, case says {result}")
    # further expected numbers must be inputs or stand on the cited lines
    found = _numbers_on(case)
    for n in case["numbers"][1:]:
        assert n in inputs or _on_lines(n, found), f"{where}: {n}"
    assert case["note"].strip()


def test_kind_mix_main():
    from collections import Counter

    c = Counter(case["kind"] for _, case in MAIN)
    n = len(MAIN)
    assert 0.30 <= c["sql"] / n <= 0.50
    assert 0.15 <= c["rag"] / n <= 0.35
    assert 0.12 <= c["mixed"] / n <= 0.30
    assert 0.10 <= c["unanswerable"] / n <= 0.25


def test_contradiction_cases_state_both_figures():
    by_id = {c["id"]: c for _, c in MAIN}
    expect = {
        "budget-elearning-conflict": {1243866, 1239866},
        "budget-elearning-exec-conflict": {794734, 793734},
        "exam-round1-selection-conflict": {1685, 1670},
        "general-site-conflict": {283779, 108754},
        "audit-etc-conflict": {2, 1},
        "budget-hrd-exam-conflict": {11007325, 13933643},
    }
    for cid, nums in expect.items():
        assert nums <= set(by_id[cid]["numbers"]), cid
