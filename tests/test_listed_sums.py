"""Computations over several rows a question lists or implies: the sum of the rows listed (each named in the
lead with its figure: 'A 152명 + B 289명 = 441명'), the combined rate Σ실적 ÷ Σ계획 of listed rows, and a
table's total row when the question asks how many in all. Every expected figure is read from the database;
the phrasings are new (no eval case uses them)."""

from sqlalchemy import select
from sqlalchemy.orm import Session

from assistant_support import ask, db_value, home, lead, shown  # noqa: F401  (fixtures and helpers)
from hrd.settings import get_settings
from knowledge.db import engine_for
from knowledge.models import BudgetLine, CareerHiring, CompetencyAssessment, ProgramMetric, TrainingResult


def assessed(kind: str, grade: str) -> int:
    return db_value(CompetencyAssessment, "actual_people", kind=kind, grade=grade)


def test_a_sum_of_listed_rows_states_each_row_and_the_total(ask):
    a4, a5 = assessed("역량평가", "4급"), assessed("역량평가", "5급")
    text = lead(ask("4급이랑 5급 승진 역량평가는 각각 몇 명 평가했고 합치면 몇 명이에요?"))
    assert f"4급 역량평가 {shown(a4)}명 + 5급 역량평가 {shown(a5)}명 = {shown(a4 + a5)}명" in text, text


def test_the_head_of_a_compound_picks_the_rows(ask):
    """'역량평가 이해과정은 4급과 5급': the 이해과정 rows, not the 역량평가 ones."""
    u4, u5 = assessed("이해과정", "4급"), assessed("이해과정", "5급")
    text = lead(ask("역량평가 이해과정 4급과 5급 교육 인원은 각각 얼마고 다 합치면요?"))
    assert shown(u4 + u5) in text and shown(assessed("역량평가", "4급")) not in text, text


def test_subcategories_listed_within_a_group_are_summed(ask):
    with Session(engine_for(get_settings())) as s:
        people = {r.subcategory: r.actual_people for r in s.scalars(select(TrainingResult).where(
            TrainingResult.mode == "e-러닝", TrainingResult.competency_group == "기본역량"))}
    text = lead(ask("e-러닝 기본역량 핵심가치·인문소양 실적 인원을 더하면?"))
    assert shown(people["핵심가치"] + people["인문소양"]) in text, text


def test_a_row_two_items_name_is_their_aggregate_not_a_third_item(ask):
    with Session(engine_for(get_settings())) as s:
        by = {r.category: r.people for r in s.scalars(select(CareerHiring).where(CareerHiring.level == 2))}
    regular, part_time = by["일반임기제"], by["시간선택제"]
    text = lead(ask("일반임기제하고 시간선택제 선발 인원 합계는?"))
    assert f"{shown(regular)}명 + 시간선택제 {shown(part_time)}명 = {shown(regular + part_time)}명" in text, text


def test_the_combined_rate_of_listed_rows_is_actual_sum_over_plan_sum(ask):
    with Session(engine_for(get_settings())) as s:
        ms = list(s.scalars(select(ProgramMetric).where(ProgramMetric.program.contains("창의행정"))))
    plan = sum(m.people for m in ms if m.phase == "계획" and ("리더십" in m.label or "공감마당" in m.label))
    actual = sum(m.people for m in ms if m.phase == "실적" and ("리더십" in m.label or "공감마당" in m.label))
    text = lead(ask("창의행정 리더십 과정과 공감마당 계획 인원을 합친 것 대비 실적 비율은 몇 %예요?"))
    assert shown(plan) in text and f"{round(actual / plan * 100, 1)}%" in text, text


def test_how_many_in_all_is_the_total_row_not_every_row(ask):
    with Session(engine_for(get_settings())) as s:
        rows = list(s.scalars(select(CareerHiring)))
    total = next(r.people for r in rows if r.level == 0)
    text = lead(ask("경력채용은 통틀어 몇 명 뽑았어요?"))
    assert shown(total) in text and not any(f" {shown(r.people)}명" in text for r in rows if r.level == 2 and r.people != total), text


def test_a_count_told_part_by_part_gives_the_parts_and_their_total(ask):
    u4, u5 = assessed("이해과정", "4급"), assessed("이해과정", "5급")
    text = lead(ask("이해과정 급별로 모두 몇 명 교육했어요?"))
    assert all(shown(v) in text for v in (u4, u5, u4 + u5)), text


def test_a_program_planned_only_in_parts_is_measured_against_their_sum(ask):
    """The plan stands in its parts, the results in a whole beside the same parts: whole ÷ Σ parts."""
    with Session(engine_for(get_settings())) as s:
        ms = list(s.scalars(select(ProgramMetric).where(ProgramMetric.program.contains("창의행정"))))
    plan = sum(m.people for m in ms if m.phase == "계획" and m.people)
    actual = max(m.people for m in ms if m.phase == "실적" and m.people)
    text = lead(ask("창의행정 교육 계획 대비 실적 달성률은?"))
    assert f"{round(actual / plan * 100, 1)}%" in text and shown(plan) in text, text


def test_an_item_that_names_a_group_takes_its_total_row(ask):
    """'본교육과 사전교육': each course's 총 row, not its first cohort."""
    from knowledge.models import Cohort

    with Session(engine_for(get_settings())) as s:
        totals = {c.course: c.completed for c in s.scalars(select(Cohort)) if c.cohort is None}
    text = lead(ask("본교육이랑 사전교육 수료 인원을 합하면 몇 명이에요?"))
    assert shown(sum(totals.values())) in text, (totals, text)


def test_a_sum_named_by_its_word_never_takes_the_budget_total_line(ask):
    a = ask("퇴직 예정자 과정 두 개의 집행액 합계 좀 알려 주세요")
    total = db_value(BudgetLine, "executed", name="합 계")
    assert not any(total in f.inputs for f in a.facts if f.formula), a.answer


def test_the_combined_rate_of_three_listed_subcategories_reads_every_row(ask):
    with Session(engine_for(get_settings())) as s:
        rs = [r for r in s.scalars(select(TrainingResult).where(TrainingResult.mode == "집합", TrainingResult.competency_group == "직무역량"))
              if r.subcategory]
    rate = round(sum(r.actual_people for r in rs) / sum(r.planned_people for r in rs) * 100, 1)
    text = lead(ask("집합교육 직무역량 공통·전문·IT 계획 대비 실적 비율을 합쳐서 보면?"))
    assert f"{rate}%" in text and shown(sum(r.planned_people for r in rs)) in text, text
