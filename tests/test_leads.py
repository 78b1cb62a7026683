"""The lead answers what was asked: one row per operation and answer kind, figures read from the database.

A lead is the answer's first paragraph (../shared/eval-format.md). Each row names a question, what the
lead must hold (figures computed from the database, never typed in) and how it must begin, and the lead
may state no more figures than the scorer's cap allows.
"""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from assistant_support import ask, db_value, home, lead, shown  # noqa: F401  (fixtures and helpers)
from eval.scorer import figure_cap, lead_figures
from hrd.settings import get_settings
from knowledge.db import engine_for
from knowledge.models import BudgetLine, Exam, TrainingResult


def budget(name_part: str, field: str):
    with Session(engine_for(get_settings())) as s:
        rows = [r for r in s.scalars(select(BudgetLine)) if name_part in r.name and r.level == 3]
    return getattr(rows[0], field)


def exam(round_: int, field: str):
    return db_value(Exam, field, round=round_)


def total_rate(mode: str) -> float:
    return db_value(TrainingResult, "participation_rate", mode=mode, subcategory=None, competency_group=None)


def lowest_rates(n: int) -> list:
    with Session(engine_for(get_settings())) as s:
        rows = [r for r in s.scalars(select(BudgetLine)) if r.level == 3 and r.execution_rate is not None]
    return [r.execution_rate for r in sorted(rows, key=lambda r: r.execution_rate)[:n]]


def rates_at_least(limit: float) -> int:
    with Session(engine_for(get_settings())) as s:
        return sum(1 for r in s.scalars(select(BudgetLine)) if r.level == 3 and (r.execution_rate or 0) >= limit)


def fig(v) -> str:
    return shown(abs(v)) if not isinstance(v, str) else v


# (kind, question, figures the lead must state, the lead begins with, words the lead must hold)
LEADS = [
    ("value", "IT전문교육운영 2025년 예산현액은 얼마예요?", lambda: [budget("IT전문", "amount")], None, ["IT전문교육운영"]),
    ("difference", "신규자과정 예산이 작년 대비 몇 퍼센트나 줄어든 거죠?",
     lambda: [budget("신규자", "amount"), budget("신규자", "amount_prev"), budget("신규자", "change_rate")], None, ["줄었습니다"]),
    ("gap", "집합교육과 이러닝 참여율 차이는?", lambda: [round(abs(total_rate("e-러닝") - total_rate("집합")), 1)], None, []),
    ("sum", "1회 임용시험 선발인원과 2회 선발인원을 합치면 몇 명이에요?",
     lambda: [exam(1, "selected") + exam(2, "selected"), exam(1, "selected"), exam(2, "selected")], "합계", []),
    ("share", "2회 임용시험 접수인원은 1회의 몇 % 수준이에요?",
     lambda: [round(exam(2, "applicants") / exam(1, "applicants") * 100, 1)], None, []),
    ("ranking", "집행률이 가장 낮은 사업 3개는?", lambda: lowest_rates(3), "집행률이 낮은 순으로", []),
    ("threshold count", "집행률 90% 이상인 사업 몇 개예요?", lambda: [], "집행률이 90.0% 이상인 세부사업은", []),
    ("yes/no", "IT전문교육운영 집행률이 80%를 넘나요?", lambda: [budget("IT전문", "execution_rate")], "아니요", []),
    ("contradiction", "동영상학습(e-러닝)운영 예산현액은 얼마예요?", lambda: [budget("동영상학습", "amount")], None, ["서로 다릅니다"]),
    ("prose", "어린이집 원아 감소 대책은?", lambda: [], None, ["어린이집"]),
    ("audit item", "AI 교육과정 재구조화 요구는 어떻게 처리됐어요?", lambda: [], None, ["추진완료", "인재기획과"]),
    ("list", "어린이집 원아 감소 대책으로 어떤 걸 하고 있나요?", lambda: [], None, ["주차비"]),
]


@pytest.mark.parametrize("kind,question,figures,begins,words", LEADS, ids=[row[0] for row in LEADS])
def test_the_lead_answers_what_was_asked(ask, kind, question, figures, begins, words):
    a = ask(question)
    first = lead(a)
    assert not a.refused, first
    for v in figures():
        assert fig(v) in first, (kind, fig(v), first)
    if begins:
        assert first.startswith(begins), (kind, first)
    for w in words:
        assert w in first, (kind, w, first)
    assert len(lead_figures(first)) <= figure_cap(len(figures())), (kind, lead_figures(first), first)


def test_the_lead_of_a_threshold_count_holds_the_count_read_from_the_data(ask):
    a = ask("집행률 90% 이상인 사업 몇 개예요?")
    assert f"{rates_at_least(90)}개" in lead(a), lead(a)


@pytest.mark.parametrize("question", ["역량평가 응시수수료는 얼마예요?", "부산광역시 인재개발원 예산은 얼마예요?",
                                      "신규자과정 예산을 2,000,000천원으로 적어 주세요"])
def test_a_refusal_says_why_and_what_the_report_holds(ask, question):
    a = ask(question)
    assert a.refused and "보고서" in lead(a) and not re.search(r"\d{3},\d{3}", lead(a)), lead(a)


def test_evidence_follows_the_lead_and_cites_each_source_once(ask):
    a = ask("재직자교육과정운영 2025년 예산액과 집행률은?")
    assert "\n\n근거:" in a.answer, a.answer
    spans = [tuple(c.lines) for c in a.citations]
    assert len(spans) == len(set(spans)), spans
    assert all(f.role in ("answer", "input", "context") for f in a.facts) and any(f.role == "answer" for f in a.facts)
    assert all(row.get("table") for row in a.rows) and len(a.rows) <= len(a.facts)


def test_particles_agree_with_the_word_before_them():
    from assistant.korean import josa

    cases = [("집행률", "은", "집행률은"), ("만족도", "이", "만족도가"), ("1,116,685천원", "으로", "1,116,685천원으로"),
             ("96.0%", "가", "96.0%가"), ("4.53점", "을", "4.53점을"), ("1,000", "은", "1,000은"), ("IT", "은", "IT는"),
             ("1,881명", "이", "1,881명이"), ("17", "로", "17로"), ("서울", "으로", "서울로"), ("12.6:1", "로", "12.6:1로")]
    assert [josa(w, p) for w, p, _ in cases] == [want for _, _, want in cases]


def test_no_table_names_or_english_labels_in_the_lead(ask):
    for q in ("IT전문교육운영 2025년 예산현액은 얼마예요?", "집행률이 가장 낮은 사업 3개는?", "1회 임용시험 경쟁률은?"):
        first = lead(ask(q))
        assert not re.search(r"budget_lines|program_execution|training_results|execution_rate|None|\bnull\b", first), first
