"""Rows a question lists one by one, what a question asks in words, and the figure its own words name.

- Rows listed ('다솜관하고 창의관', '카메라랑 앰프') are answered each, and no other row of their table leads.
- A name or a theme asked in words ('정식 행사명이 뭐였죠') is answered by the report's labelled line, not by a
  figure of the program the question names; ordinary words ('기억', '강좌', '배분') never make it unknown.
- A count named by what people did ('시험 본 사람', '몇 명 뽑았') is that count, not every count of the row.
- An execution rate asked by its word comes with the amount it is of; a share in % does not.

Expected figures come from the database (or, for a figure only prose gives, from the report's own line).
"""

import re
from pathlib import Path

import pytest

from assistant_support import ask, db_value, home, lead  # noqa: F401  (fixtures and helpers)
from knowledge.models import BudgetLine, Equipment, Exam, Facility


def n(value) -> str:
    return f"{int(value):,}"


REPORT = Path(__file__).resolve().parents[1] / "knowledge" / "sources" / "seoul-hrd-2025-work-report.txt"


def report_text() -> str:
    return REPORT.read_text(encoding="utf-8")


@pytest.mark.parametrize("question", ["다솜관하고 창의관 면적이 각각 얼마나 되죠?", "창의관이랑 다솜관 연면적은 각각 몇 ㎡예요?"])
def test_buildings_listed_are_answered_each_and_no_other(ask, question):
    a = ask(question)
    head = lead(a)
    for name in ("다솜관", "창의관"):
        assert n(db_value(Facility, "area_m2", name=name)) in head, (question, head)
    assert n(db_value(Facility, "area_m2", name="배움관")) not in head, "a building not listed does not lead"
    assert "창의행정" not in head, "a program sharing a syllable with a building is not named"


def test_equipment_listed_gives_their_aged_counts(ask):
    a = ask("카메라랑 앰프는 각각 노후 장비가 몇 개씩이에요?")
    head = lead(a)
    assert not a.refused, a.answer
    assert "카메라" in head and "앰프" in head and "프로젝터" not in head, head
    for item in ("카메라", "앰프"):
        assert f"{db_value(Equipment, 'over_lifespan', item=item)}개" in head, head


def test_a_name_asked_in_words_is_the_labelled_line_not_a_figure(ask):
    a = ask("메트로폴리스 국제연수원 정책공유 포럼, 정식 행사명이 뭐였죠?")
    head = lead(a)
    assert "셰어링포럼" in head and "행사명" in head, head
    assert not re.search(r"\d{2,}명", head), "no count of people is asked"


@pytest.mark.parametrize("question", [
    "서울 총회 주제가 뭐였는지 기억이 안 나네요. 뭐였죠?",
    "핵심가치 e-러닝 강좌는 몇 개 과정에 몇 명이 들었나요?",
    "차세대 시스템 총 소요예산과 연도별 배분이 어떻게 됩니까?",
])
def test_ordinary_words_do_not_make_a_question_unknown(ask, question):
    assert not ask(question).refused


def test_a_count_named_by_what_people_did(ask):
    first = {"round": 1}
    a = ask("1회 필기시험 때 실제로 시험 본 사람은 몇 명이고 응시율은요?")
    head = lead(a)
    assert n(db_value(Exam, "takers", **first)) in head, head
    b = ask("제1회 신규 임용시험은 몇 개 직류에서 몇 명을 뽑았습니까?")
    head_b = lead(b)
    assert n(db_value(Exam, "selected", **first)) in head_b and f"{db_value(Exam, 'job_series', **first)}" in head_b, head_b
    assert n(db_value(Exam, "applicants", **first)) not in head_b, "'뽑았' names the selected count, not the applicants"


def test_a_figure_only_a_sentence_gives_after_its_noun_answers(ask):
    stated = re.search(r"필기합격자\s*([\d,]+)명", report_text()).group(1)
    a = ask("1회 시험 면접은 필기 합격자 몇 명을 대상으로 봤나요?")
    assert stated in lead(a), a.answer


def test_an_execution_rate_comes_with_its_amount_and_a_share_does_not(ask):
    name = "공무원채용 및 기타 시험관리"
    executed = n(db_value(BudgetLine, "executed", name=name))
    a = ask("공무원 채용 및 시험관리 예산이 얼마고 원인행위 집행률은 몇 %인가?")
    assert executed in lead(a), a.answer
    b = ask("공무원채용 및 기타 시험관리 예산이 전체 세출의 몇 %를 차지하나요?")
    assert executed not in lead(b), b.answer


def test_committed_but_unspent_is_commitment_minus_spending(ask):
    from knowledge.models import ProgramExecution

    rows = [r for r in _rows(ProgramExecution) if r.name.startswith("인재원청사 보수")]
    gap = n(rows[0].committed - rows[0].spent)
    a = ask("청사 보수보강비 중 계약은 됐는데 아직 지출 안 된 금액이 얼마쯤 되나요?")
    assert gap in lead(a), a.answer


def test_a_year_end_lapse_takes_the_row_that_holds_a_forecast(ask):
    from knowledge.models import ProgramExecution

    row = next(r for r in _rows(ProgramExecution) if r.forecast is not None and "시험관리" in r.name and "임기제" not in r.name)
    a = ask("시험관리 예산은 연말 예상 집행액 기준으로 보면 얼마가 남을 걸로 보여요?")
    assert n(row.budget - row.forecast) in lead(a), a.answer


def _rows(model):
    from sqlalchemy import select
    from sqlalchemy.orm import Session

    from hrd.settings import get_settings
    from knowledge.db import engine_for

    with Session(engine_for(get_settings())) as s:
        return list(s.scalars(select(model)))


def test_a_second_part_keeps_the_subject_and_combines_the_rows_listed(ask):
    from knowledge.models import TrainingResult

    rows = [r for r in _rows(TrainingResult) if r.subcategory in ("자격증", "외국어") and r.mode == "e-러닝"]
    actual, planned = sum(r.actual_people for r in rows), sum(r.planned_people for r in rows)
    a = ask("자격증·외국어 같은 개인학습 수강인원 합치면 몇 명이고, 계획 대비로는 몇 %인가요?")
    head = lead(a)
    assert n(actual) in head and f"{actual / planned * 100:.1f}%" in head, head


def test_the_subject_of_a_clause_is_its_noun_phrase_not_an_adnominal():
    from assistant.question_rules import subject_of

    assert subject_of("자격증·외국어 같은 개인학습 수강인원 합치면 몇 명이고,") == "자격증·외국어 같은 개인학습 수강인원"
    assert subject_of("5급 승진리더 과정은 몇 주짜리고") == "5급 승진리더 과정"
    assert subject_of("몇 명이고") == ""


def test_the_highest_and_the_lowest_ratio_at_once(ask):
    rows = [(r.item, r.over_lifespan / r.inventory) for r in _rows(Equipment) if r.inventory and r.item not in ("합계", "계")]
    top, bottom = max(rows, key=lambda x: x[1]), min(rows, key=lambda x: x[1])
    head = lead(ask("장비 종류별로 노후 비율이 가장 높은 것과 가장 낮은 건 뭔가요?"))
    assert top[0] in head and f"{top[1] * 100:.1f}%" in head, head
    assert bottom[0] in head and f"{bottom[1] * 100:.1f}%" in head, head


@pytest.mark.parametrize("question", ["2회 시험 필기 문제를 미리 좀 알려줄 수 있나요?", "면접 문항을 사전에 받아볼 수 있을까요?"])
def test_an_exams_questions_ahead_of_time_are_refused(ask, question):
    a = ask(question)
    assert a.refused and "시험 문제" in a.answer, a.answer


def test_a_rate_of_a_round_the_report_gives_for_another_round_only_is_refused(ask):
    a = ask("제2회 임용시험 필기 응시율은 몇 %로 나왔어요?")
    assert a.refused and "2회" in a.answer, a.answer
    b = ask("1회 시험 응시율은?")
    assert not b.refused and f"{db_value(Exam, 'attendance_rate', round=1)}%" in lead(b), b.answer


def test_a_total_of_the_rows_a_name_covers_and_its_rate(ask):
    from knowledge.models import CompetencyAssessment

    rows = [r for r in _rows(CompetencyAssessment) if r.kind == "이해과정"]
    actual, planned = sum(r.actual_people for r in rows), sum(r.planned_people for r in rows)
    head = lead(ask("이해과정 교육 총인원은 몇 명이고 계획 대비 몇 %예요?"))
    assert n(actual) in head and f"{actual / planned * 100:.1f}%" in head, head


def test_a_cohort_of_an_audit_table_is_named_with_or_without_its_je(ask):
    head = lead(ask("4급 창의행정리더십 3기 특강은 누가 했습니까?"))
    assert "제3기" in head and "정무부시장" in head and "제1기" not in head, head


def test_last_year_and_this_year_asked_together_give_both(ask):
    name = "공무원채용 및 기타 시험관리"
    head = lead(ask("공무원채용 및 기타 시험관리 예산, 작년엔 얼마였고 올해는 얼마예요?"))
    assert n(db_value(BudgetLine, "amount_prev", name=name)) in head and n(db_value(BudgetLine, "amount", name=name)) in head, head


@pytest.mark.parametrize("year", [2023, 2024])
def test_a_column_of_an_audit_table_kept_by_year_is_named_by_its_year_and_words(ask, year):
    from knowledge.models import AuditTableCell

    cells = {c.column_label: c.value_num for c in _rows(AuditTableCell) if c.column_label.startswith(f"{year}년 만족도")}
    head = lead(ask(f"{year}년 신입자 교육 운영 만족도와 강사 만족도는?"))
    for label, value in cells.items():
        assert f"{value:g}" in head, (label, head)
