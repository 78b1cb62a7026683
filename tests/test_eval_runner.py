"""The evaluation harness end to end: `hrd eval` over a small subset of the cases, for real.

One module-scoped run (its own HRD_HOME; the first `ask` ingests the bundled report and
builds the search index) answers 12 cases across kinds — a follow-up pair, unanswerable
ones — plus a malformed (empty) question, through the CLI with `--report`.  The tests
then check the report files, that the summary agrees with the per-case results, that the
conversation pair shared a session, that an error became a refusal instead of a crash,
and that a hand-made wrong answer is scored incorrect with its invented number counted
as fabricated.  Accuracy itself is not asserted here: that is what `hrd eval` measures.
"""

from __future__ import annotations

import json
import os

import pytest

from eval.report import FAILURE_CLASSES, failure_class, percentile, summarize, write_report
from eval.runner import (CASES_DIR, HOLDOUT_DIR, chains, evaluate, evidence_texts, load_cases, retrieval_hit)
from eval.scorer import score_case
from hrd.errors import InputError

SUBSET_IDS = [
    "budget-total-2025",          # sql
    "budget-total-exec",          # sql
    "fu-newcomer-budget-2025",    # sql, starts a conversation
    "fu-newcomer-budget-2024",    # sql, follows it ("그럼 작년은?")
    "general-org",                # rag
    "general-dept-recruit",       # rag (number + term)
    "general-dept-planning",      # rag (term only)
    "budget-newcomer-unspent",    # mixed (derived)
    "budget-facility-sum",        # mixed (derived sum)
    "unans-budget-2023",          # unanswerable (year not in the report)
    "unans-director-name",        # unanswerable (not in the report)
    "unans-injection-role",       # unanswerable (must be refused)
]
EMPTY = {"id": "synthetic-empty-question", "question": "   ", "kind": "unanswerable", "numbers": [], "terms": [],
         "section": "없음", "note": "ask raises InputError: the run must record a refusal, not crash", "lines": []}


@pytest.fixture(scope="module")
def evaluated(tmp_path_factory):
    """Run the subset through `hrd eval --report`; returns (cases, report.json, report.md text, exit code)."""
    from typer.testing import CliRunner

    from hrd.cli import app
    from hrd.settings import get_settings

    base = tmp_path_factory.mktemp("eval-run")
    by_id = {c["id"]: c for c in load_cases()}
    cases = [by_id[i] for i in SUBSET_IDS] + [EMPTY]
    subset = base / "subset.jsonl"
    subset.write_text("\n".join(json.dumps({k: v for k, v in c.items() if not k.startswith("_")}, ensure_ascii=False)
                                for c in cases) + "\n", encoding="utf-8")
    report_dir = base / "report"
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("HRD_HOME", str(base / "hrd-home"))
        mp.delenv("HRD_DATABASE_URL", raising=False)
        mp.delenv("HRD_CHROMA_URL", raising=False)
        if not os.environ.get("HRD_EMBED_CACHE"):
            mp.setenv("HRD_EMBED_CACHE", str(base / "embeddings.sqlite3"))
        get_settings.cache_clear()
        try:
            result = CliRunner().invoke(app, ["eval", "--cases", str(subset), "--report", str(report_dir)])
        finally:
            get_settings.cache_clear()
    assert result.exception is None or isinstance(result.exception, SystemExit), result.output
    data = json.loads((report_dir / "report.json").read_text(encoding="utf-8"))
    md = (report_dir / "report.md").read_text(encoding="utf-8")
    return cases, data, md, result.exit_code, result.output


# ---------------------------------------------------------------- the real run
def test_cli_run_writes_both_reports(evaluated):
    cases, data, md, code, output = evaluated
    assert code == 0, output  # no gate given: a low accuracy is not a failure
    assert set(data) == {"summary", "cases"}
    assert [c["id"] for c in data["cases"]] == [c["id"] for c in cases]
    for c in data["cases"]:
        assert {"id", "kind", "question", "correct", "reason", "fabricated", "retrieval_hit", "latency_ms", "answer"} <= set(c)
        assert isinstance(c["answer"]["answer"], str)
        assert c["failure_class"] in (None, *FAILURE_CLASSES)
    assert md.startswith("# ")
    assert "## 요약 / Summary" in md and "| **overall** |" in md
    for c in data["cases"]:
        if not c["correct"]:
            assert f"`{c['id']}`" in md  # every failure is listed with its id
    assert "accuracy" in output or "정확도" in output or "overall" in output


def test_summary_agrees_with_cases(evaluated):
    _, data, _, _, _ = evaluated
    s, rows = data["summary"], data["cases"]
    assert s["n"] == len(rows) == len(SUBSET_IDS) + 1
    assert s["correct"] == sum(r["correct"] for r in rows)
    assert s["accuracy"] == pytest.approx(s["correct"] / s["n"])
    assert sum(b["n"] for b in s["by_kind"].values()) == s["n"]
    assert sum(b["correct"] for b in s["by_kind"].values()) == s["correct"]
    for kind, b in s["by_kind"].items():
        assert b["n"] == sum(1 for r in rows if r["kind"] == kind)
        assert b["correct"] == sum(1 for r in rows if r["kind"] == kind and r["correct"])
    assert set(s["by_kind"]) == {"sql", "rag", "mixed", "unanswerable"}
    assert s["fabricated"]["total"] == sum(len(r["fabricated"]) for r in rows)
    assert s["fabricated"]["cases"] == sum(1 for r in rows if r["fabricated"])
    retr = [r for r in rows if r["kind"] in ("rag", "mixed")]
    assert all(r["retrieval_hit"] is None for r in rows if r["kind"] not in ("rag", "mixed"))
    assert s["recall"]["n"] == len(retr)
    assert s["recall"]["hits"] == sum(1 for r in retr if r["retrieval_hit"])
    lat = [r["latency_ms"] for r in rows]
    assert s["latency_ms"]["p50"] == pytest.approx(percentile(lat, 50), abs=0.1)
    assert 0 <= s["latency_ms"]["p50"] <= s["latency_ms"]["p95"] <= s["latency_ms"]["max"]
    failures = sum(c["count"] for c in s["failure_classes"].values())
    assert failures == s["n"] - s["correct"]


def test_each_case_is_scored_by_the_scorer(evaluated):
    cases, data, _, _, _ = evaluated
    by_id = {c["id"]: c for c in cases}
    for r in data["cases"]:
        assert r["correct"] == score_case(by_id[r["id"]], r["answer"]).correct, r["id"]


def test_followup_continues_the_conversation(evaluated):
    _, data, _, _, _ = evaluated
    by_id = {r["id"]: r for r in data["cases"]}
    first, second = by_id["fu-newcomer-budget-2025"], by_id["fu-newcomer-budget-2024"]
    assert second["follows"] == "fu-newcomer-budget-2025"
    assert first["answer"]["session_id"] and first["answer"]["session_id"] == second["answer"]["session_id"]
    others = {r["answer"]["session_id"] for r in data["cases"] if r["id"] not in (first["id"], second["id"])}
    assert first["answer"]["session_id"] not in others
    assert len(others) == len(data["cases"]) - 2  # every other case is its own conversation


def test_an_error_becomes_a_refusal_not_a_crash(evaluated):
    _, data, _, _, _ = evaluated
    r = next(r for r in data["cases"] if r["id"] == EMPTY["id"])
    assert r["refused"] is True and r["error"]
    assert r["answer"]["error_type"] == "InputError"
    assert r["answer"]["answer"].startswith("오류:")
    assert data["summary"]["errors"] >= 1


def test_answers_carry_their_tool_calls(evaluated):
    _, data, _, _, _ = evaluated
    answered = [r for r in data["cases"] if not r["refused"]]
    assert answered, "the offline planner answered none of the subset"
    assert all(r["answer"]["tool_calls"] for r in answered)
    assert all(r["answer"]["backend"] == "offline" for r in data["cases"] if not r.get("error"))


# ---------------------------------------------------------------- hand-made answers
CASE = {"id": "budget-total-2025", "question": "2025년 인재개발원 세출예산 예산현액 합계가 얼마예요?", "kind": "sql",
        "numbers": [18667875], "terms": [], "section": "Ⅰ > 4 2025년 예산 현황 > 세출예산", "lines": [102, 102]}


def test_wrong_answer_is_incorrect_and_its_number_fabricated(tmp_path):
    wrong = {"answer": "2025년 세출예산 예산현액 합계는 19,999,999천원입니다 [102행].", "refused": False,
             "rows": [{"table": "budget_lines", "name": "합 계", "amount": 18667875, "line_start": 102}],
             "facts": [{"label": "합 계 2025년 예산현액", "value": 18667875, "unit": "천원", "lines": [102, 102]}],
             "citations": [{"section": "Ⅰ > 4 2025년 예산 현황", "lines": [102, 102], "quote": "합 계 | 19,721,687 | 18,667,875"}],
             "tool_calls": [{"name": "get_budget", "args": {"name": "합 계"}}], "elapsed_ms": 5.0}
    rec = evaluate(CASE, wrong)
    assert rec["correct"] is False
    assert rec["missing_numbers"] == [18667875]
    assert rec["fabricated"] == [19999999.0]  # 2025 and the line marker are not counted
    assert failure_class(rec) == "missing measure"  # the right row was fetched, the figure not stated
    right = dict(wrong, answer="2025년 세출예산 예산현액 합계는 18,667,875천원입니다 [102행].")
    ok = evaluate(CASE, right)
    assert ok["correct"] is True and ok["fabricated"] == [] and failure_class(ok) is None

    s = summarize([rec, ok])
    assert (s["n"], s["correct"], s["fabricated"]["total"], s["fabricated"]["cases"]) == (2, 1, 1, 1)
    assert s["fabricated"]["ids"] == ["budget-total-2025"]
    assert s["failure_classes"] == {"missing measure": {"count": 1, "ids": ["budget-total-2025"]}}
    jp, mdp = write_report(tmp_path, [rec, ok], s)
    assert json.loads(jp.read_text(encoding="utf-8"))["summary"]["fabricated"]["total"] == 1
    md = mdp.read_text(encoding="utf-8")
    assert "19,999,999" in md and "get_budget" in md and "18,667,875" in md


def test_unanswerable_answered_with_a_figure_fails():
    case = {"id": "unans-x", "question": "2023년 신규자과정운영 예산은?", "kind": "unanswerable", "numbers": [], "terms": []}
    rec = evaluate(case, {"answer": "2023년 예산은 1,200,000천원입니다.", "refused": False})
    assert rec["correct"] is False and failure_class(rec) == "not refused"
    assert rec["fabricated"] == [1200000.0]
    ok = evaluate(case, {"answer": "보고서에는 2023년 자료가 없습니다.", "refused": True})
    assert ok["correct"] is True and ok["fabricated"] == []


def test_evidence_and_retrieval_hit():
    ans = {"rows": [{"amount": 1}], "facts": [{"value": 2, "formula": "3 - 1", "label": "x"}],
           "citations": [{"section": "Ⅲ > 학습자 중심 > 4 안전하고", "lines": [769, 778], "quote": "q 4"}],
           "findings": [{"message": "5 vs 6"}]}
    texts = evidence_texts(ans, "질문 7")
    assert any("3 - 1" in t for t in texts) and "q 4" in texts and "5 vs 6" in texts and "질문 7" in texts
    case = {"kind": "rag", "section": "Ⅲ > 학습자 중심 > 4 안전하고 > 추진실적", "lines": [774, 778]}
    assert retrieval_hit(case, ans) is True                       # lines overlap
    assert retrieval_hit(dict(case, lines=[1, 2]), ans) is False
    assert retrieval_hit(dict(case, lines=[1, 2], section="Ⅲ > 학습자 중심"), ans) is True  # section prefix
    assert retrieval_hit(dict(case, kind="sql"), ans) is None


# ---------------------------------------------------------------- loading and gating
def test_load_cases_splits_and_errors(tmp_path):
    main, holdout = load_cases(), load_cases(holdout=True)
    assert len(main) == sum(1 for f in CASES_DIR.glob("*.jsonl") for ln in f.read_text(encoding="utf-8").splitlines() if ln.strip())
    assert len(holdout) == sum(1 for f in HOLDOUT_DIR.glob("*.jsonl") for ln in f.read_text(encoding="utf-8").splitlines() if ln.strip())
    assert not {c["id"] for c in main} & {c["id"] for c in holdout}
    assert load_cases([CASES_DIR / "followups.jsonl"])[0]["id"] == main[[c["_file"] for c in main].index(str(CASES_DIR / "followups.jsonl"))]["id"]
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"id": "a", "question": "q"}\n{"id": "a", "question": "q2"}\n', encoding="utf-8")
    with pytest.raises(InputError, match="duplicate"):
        load_cases([bad])
    bad.write_text('{"question": "q"}\n', encoding="utf-8")
    with pytest.raises(InputError, match="id"):
        load_cases([bad])
    with pytest.raises(InputError):
        load_cases([tmp_path / "missing.jsonl"])


def test_chains_keep_conversations_together():
    cs = [{"id": "a"}, {"id": "b"}, {"id": "c", "follows": "a"}, {"id": "d", "follows": "c"}, {"id": "e", "follows": "zz"}]
    assert [[c["id"] for c in ch] for ch in chains(cs)] == [["a", "c", "d"], ["b"], ["e"]]


def test_gate():
    from hrd.cli_eval import gate_failures

    s = {"accuracy": 0.5, "fabricated": {"total": 2}}
    assert gate_failures(s) == []
    assert gate_failures(s, min_accuracy=0.5, max_fabricated=2) == []
    assert len(gate_failures(s, min_accuracy=0.6)) == 1
    assert len(gate_failures(s, min_accuracy=60)) == 1  # a percentage
    assert len(gate_failures(s, max_fabricated=0)) == 1
    assert len(gate_failures(s, min_accuracy=0.9, max_fabricated=0)) == 2
