"""Computations a question asks beyond one stored figure, each checked against the database or the report's
own sentence: a stored rate over rows listed together (Σ numerator ÷ Σ denominator), what a budget row leaves
on the basis asked (지출액, the year-end forecast), a part of one row's own whole (완료 ÷ 계), a part's share of
a whole named after it, two rates of one thing asked together, and sums and remainders of figures that stand
only in a sentence. The phrasings are new: no eval case uses them."""

from sqlalchemy import select
from sqlalchemy.orm import Session

from assistant.question_rules import split_parts
from assistant.quote_figures import group_share, named_sums, quote_facts, remainder
from assistant_support import ask, db_value, home, lead, shown  # noqa: F401  (fixtures and helpers)
from hrd.settings import get_settings
from knowledge.db import engine_for
from knowledge.models import AuditSummary, Facility, ProgramExecution, TrainingResult


def test_a_stored_rate_over_listed_rows_is_the_ratio_of_their_sums(ask):
    with Session(engine_for(get_settings())) as s:
        rows = {r.subcategory: r for r in s.scalars(select(TrainingResult).where(
            TrainingResult.mode == "집합", TrainingResult.competency_group == "기본역량"))}
    picked = [rows["핵심가치"], rows["인문소양"]]
    done, planned = sum(r.actual_people for r in picked), sum(r.planned_people for r in picked)
    text = lead(ask("집합 기본역량 핵심가치·인문소양 두 분야를 합치면 참여율은 몇 %인가요?"))
    assert f"{done / planned * 100:.1f}%" in text and shown(done) in text, text
    means = sum(r.participation_rate for r in picked) / 2
    assert f"{means:.1f}%" not in text or round(means, 1) == round(done / planned * 100, 1), text


def test_what_is_left_on_the_spending_basis_when_the_question_says_so(ask):
    with Session(engine_for(get_settings())) as s:
        row = s.scalars(select(ProgramExecution).where(ProgramExecution.spent.is_not(None))).first()
    text = lead(ask(f"{row.name} 예산 중 지출액 기준으로 아직 남은 돈은 얼마예요?"))
    assert shown(row.budget - row.spent) in text, text
    assert shown(row.budget - row.committed) not in text or row.spent == row.committed, text


def test_the_year_end_forecast_leaves_the_budget_minus_the_forecast(ask):
    with Session(engine_for(get_settings())) as s:
        row = s.scalars(select(ProgramExecution).where(ProgramExecution.forecast < ProgramExecution.budget)).first()
    text = lead(ask(f"{row.name} 예산은 연말에 얼마나 못 쓰고 남을 것 같아요?"))
    assert shown(row.budget - row.forecast) in text, text


def test_a_part_of_a_summary_row_is_set_against_that_row_s_whole(ask):
    total = db_value(AuditSummary, "total", kind="계")
    done = db_value(AuditSummary, "done", kind="계")
    text = lead(ask(f"행정사무감사 요구사항 {total}건 가운데 완료된 건 비율은요?"))
    assert f"{done / total * 100:.1f}%" in text, text


def test_a_share_of_a_whole_named_after_the_part(ask):
    with Session(engine_for(get_settings())) as s:
        rooms = {f.name: f for f in s.scalars(select(Facility))}
    part, whole = rooms["다솜관"], rooms["건물"]
    text = lead(ask("다솜관은 건물 전체 연면적에서 몇 퍼센트를 차지해요?"))
    assert f"{part.area_m2 / whole.area_m2 * 100:.1f}%" in text, text


def test_two_rates_of_one_thing_are_two_parts():
    assert split_parts("퇴직예정자 교육 인원 달성률이랑 예산 집행률 같이 알려줘") == ["퇴직예정자 교육 인원 달성률은?", "퇴직예정자 교육 예산 집행률은?"]
    assert split_parts("참여율과 만족도는 어때요?") == ["참여율과 만족도는 어때요?"]  # a rate and a score: one question


def test_figures_of_a_sentence_keep_their_labels_and_groups():
    facts = quote_facts("(1기) 인재반 74명, 미래반 22명 (2기) 인재반 76명, 미래반 19명")
    assert [(f.key, f.label, f.value) for f in facts] == [("1기", "인재반", 74), ("1기", "미래반", 22), ("2기", "인재반", 76), ("2기", "미래반", 19)]
    over_groups = named_sums(facts, "1·2기 합치면 미래반은 몇 명?", "명")
    assert [f.value for f in over_groups] == [41]
    within_group = named_sums(facts, "2기의 인재반과 미래반을 합치면?", "명")
    assert [f.value for f in within_group] == [95]
    assert named_sums(facts, "인재반 교육은 언제 해요?", "명") == [f for f in named_sums(facts, "인재반", "명")]  # a label, no group named


def test_a_share_of_a_part_in_the_wholes_another_sentence_gives():
    facts = [quote_facts("(1기) 인재반 74명, 미래반 22명 (2기) 인재반 76명, 미래반 19명"), quote_facts("추진실적 : (1기) 96명 수료, (2기) 95명 진행중")]
    one = group_share(facts, "1기 수료생 중 미래반 비중은 몇 %예요?")
    assert [(f.value, f.formula) for f in one] == [(22.9, "22명 ÷ 96명 × 100")]
    both = group_share(facts, "1·2기 합쳐서 미래반 인원이 전체 교육생 중 몇 %인가요?")
    assert [f.value for f in both] == [21.5, 41, 191]  # the share, and the two sums it is of
    assert group_share(facts, "미래반과 인재반 비중은?") == []  # two parts named: no one share
    assert group_share([quote_facts("(1기) 인재반 74명, 미래반 22명")], "1기 중 미래반 비중은?") == []  # no whole in another sentence


def test_what_is_left_of_a_whole_a_sentence_states():
    facts = quote_facts("교육실적 : 본청 소속 공무원 8,103명 (대상인원 10,587명 대비 76.5% 완료)")
    left = remainder(facts, "명")
    assert [f.value for f in left] == [10587 - 8103] and "10,587명 − 8,103명" == left[0].formula
    assert remainder(quote_facts("교육실적 : 8,103명 이수"), "명") == []  # no whole stated: nothing to subtract from
