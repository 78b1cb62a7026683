"""Question shapes the offline planner must read from the data and the language: things listed one after
another, differences between rows the question tells apart, this year against last, a program's actual
against its plan, figures only the audit responses' tables hold, rankings of a ratio, figures the report
never names but computes from two it does, and refusals of what it does not hold. Every expected figure is
computed here from the database; paraphrase families must agree."""

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from assistant_support import ask, db_value, home, lead, shown  # noqa: F401  (fixtures and helpers)
from hrd.settings import get_settings
from knowledge.db import engine_for
from knowledge.models import AuditTableCell, BudgetLine, Equipment, Exam, ProgramMetric, TrainingResult


def rows(model, **where):
    with Session(engine_for(get_settings())) as s:
        q = select(model)
        for k, v in where.items():
            q = q.where(getattr(model, k) == v)
        return list(s.scalars(q))


def derived(a):
    return [f for f in a.facts if f.formula]


def cell(column_part: str, row_part: str = "") -> float:
    hits = [c for c in rows(AuditTableCell) if column_part in c.column_label and row_part in c.row_label and c.value_num is not None]
    assert len(hits) == 1, [(c.row_label, c.column_label) for c in hits]
    return hits[0].value_num


# ---------------------------------------------------------------- things listed one after another

@pytest.mark.parametrize("question, names", [
    ("신규자·6급미래인재·리더십 세 교육과정 2025년 예산을 합치면 얼마예요?", ["신규자과정운영", "6급미래인재양성과정운영", "리더십교육과정운영"]),
    ("청사 보수·보강과 유지관리 예산을 합하면 얼마입니까?", ["인재원청사보수·보강", "인재원청사유지관리"]),
    ("IT전문교육이랑 교육생급식지원 예산 합계는?", ["IT전문교육운영", "교육생급식지원"]),
])
def test_a_sum_takes_one_figure_of_each_thing_listed(ask, question, names):
    total = sum(db_value(BudgetLine, "amount", name=n) for n in names)
    a = ask(question)
    assert shown(total) in a.answer, a.answer
    d = derived(a)[0]
    assert d.value == total and d.formula.count("+") == len(names) - 1
    assert lead(a).startswith("합계") and shown(total) in lead(a), "the computed answer leads"


# ---------------------------------------------------------------- differences

def test_two_rows_told_apart_by_the_question_give_a_gap(ask):
    classroom = db_value(TrainingResult, "participation_rate", mode="집합", subcategory=None, competency_group=None)
    online = db_value(TrainingResult, "participation_rate", mode="e-러닝", subcategory=None, competency_group=None)
    for q in ["집합교육과 이러닝 참여율 차이가 몇 %p나 나요?", "이러닝이랑 집합교육 참여율 격차는?",
              "집합 교육 참여율은 e-러닝보다 몇 %p 낮아요?"]:
        a = ask(q)
        assert shown(round(abs(classroom - online), 1)) in a.answer, (q, a.answer)


def test_two_exam_rounds_named_are_both_fetched_and_compared(ask):
    r1, r2 = db_value(Exam, "competition_ratio", round=1), db_value(Exam, "competition_ratio", round=2)
    a = ask("2회 시험 경쟁률이 1회보다 얼마나 높아요?")
    assert shown(round(r2 - r1, 1)) in a.answer, a.answer


def test_this_year_against_last_year_of_one_thing(ask):
    now = rows(ProgramMetric, phase="계획", label="채용규모")[0].people
    before = rows(ProgramMetric, phase="전년")[0].people
    for q in ["신규공무원 채용규모가 작년보다 몇 명 늘었나요?", "채용규모는 전년 대비 얼마나 증가했어요?"]:
        a = ask(q)
        assert shown(now - before) in a.answer, (q, a.answer)


def test_a_gap_in_points_between_two_years_of_an_audit_table(ask):
    gap = round(cell("2021년 현업") - cell("2023년 현업"), 1)
    a = ask("신입자 교육 현업적용도가 2021년 대비 2023년에 몇 %p 떨어졌나요?")
    assert shown(gap) in a.answer and "%p" in a.answer, a.answer


# ---------------------------------------------------------------- plan against actual

def _program_ratio(program_part: str, plan_label: str, actual_label: str) -> float:
    ms = [m for m in rows(ProgramMetric) if program_part in m.program]
    plan = next(m.people for m in ms if m.phase == "계획" and m.label == plan_label)
    actual = next(m.people for m in ms if m.phase == "실적" and m.label == actual_label)
    return round(actual / plan * 100, 1)


@pytest.mark.parametrize("family, program, plan_label, actual_label", [
    # ('직급별 리더십 교육 계획 대비 실적' reads the training table's 리더십역량·직급 row: another true answer)
    (["리더십 교육 계획 인원 대비 실적 달성률은?", "리더십 과정 목표 인원 달성률 알려주세요"],
     "직급별 리더십", "직급별", "추진실적"),
    (["퇴직 예정자 교육 계획 대비 실적 비율은?", "퇴직예정 공무원 교육 계획 인원 대비 실적률은?"],
     "퇴직 예정", "교육규모", "추진실적"),
    (["창의행정 공감마당은 계획 인원 대비 몇 % 했어요?", "공감마당 과정 계획 대비 실적 비율은?"],
     "창의행정", "창의행정 공감마당 과정 운영", "창의행정 공감마당"),
])
def test_a_programs_actual_against_its_plan(ask, family, program, plan_label, actual_label):
    expected = shown(_program_ratio(program, plan_label, actual_label))
    for q in family:
        a = ask(q)
        assert expected in a.answer, (q, a.answer)
        assert any("÷" in f.formula for f in derived(a))


# ---------------------------------------------------------------- tables inside audit responses

@pytest.mark.parametrize("family, column, row", [
    (["2023년 신입자 교육 현업적용도는 몇 %였나요?", "신입자 교육의 2023년 현업 적용도 알려주세요", "'23년 신입자 현업적용도는?"],
     "2023년 현업", ""),
    (["2025 서울 ODA 온라인 연수 수수율이 몇 %였나요?", "ODA 온라인 연수 수수율은?", "외국도시 공무원 온라인 연수별 수수율 알려주세요"],
     "수수율", "ODA"),
])
def test_figures_only_an_audit_table_holds(ask, family, column, row):
    value = cell(column, row)
    for q in family:
        a = ask(q)
        assert not a.refused and shown(value) in a.answer, (q, a.answer)
        assert any(c.lines and c.lines[0] >= 930 for c in a.citations) or any(f.lines and f.lines[0] >= 930 for f in a.facts)


# ---------------------------------------------------------------- rankings of a ratio, figures computed from two

def test_ranking_by_the_ratio_of_each_rows_two_counts(ask):
    items = [e for e in rows(Equipment) if e.inventory and e.item not in ("합계", "계")]
    top = max(items, key=lambda e: e.over_lifespan / e.inventory)
    a = ask("교육장비 중 내구연한 경과 비율이 가장 높은 품목은?")
    assert top.item in lead(a) and shown(round(top.over_lifespan / top.inventory * 100, 1)) in a.answer


def test_a_figure_the_report_never_names_is_computed_from_two_it_does(ask):
    e = rows(Exam, round=1)[0]
    for q in ["1회 시험 접수하고 안 본 사람은 몇 명이에요?", "제1회 임용시험 결시 인원은?"]:
        a = ask(q)
        assert shown(e.applicants - e.takers) in a.answer, (q, a.answer)


# ---------------------------------------------------------------- refusals of what the report does not hold

@pytest.mark.parametrize("question", [
    "5급 승진 역량평가 통과율이 몇 %예요?",
    "임용시험 응시수수료는 얼마예요?",
    "1회 필기시험 과목별 평균점수 알려주세요.",
    "인재개발원장 성함이 어떻게 되나요?",
    "직장어린이집 현재 재원 아동 수가 몇 명이에요?",
])
def test_what_is_asked_for_must_be_in_the_answer_or_it_is_refused(ask, question):
    a = ask(question)
    assert a.refused, a.answer
    assert not any(ch.isdigit() for ch in a.answer.split("보고서(주요업무 보고)")[0].replace("5급", "")), a.answer


@pytest.mark.parametrize("question", [
    "인재원청사유지관리비 올해 예산현액 얼마로 되어 있어요?",  # '관리비' is a measure of '유지관리'
    "인재기획과장 이름이 뭐예요?",  # a person's name from the contacts
    "서울장학재단 장학 프로그램 이름은요?",  # a program's name, not a person's
])
def test_answerable_questions_with_measure_words_are_not_refused(ask, question):
    a = ask(question)
    assert not a.refused, a.answer


# ---------------------------------------------------------------- one row among many, rankings within a group

def test_one_cohort_named_among_many_shows_that_cohorts_figures(ask):
    from knowledge.models import Cohort

    c = rows(Cohort, course="본교육", cohort_label="6기")[0]
    a = ask("본교육 6기 교육기간이랑 계획 인원, 수료 인원은?")
    assert shown(c.planned) in a.answer and shown(c.completed) in a.answer and c.period in a.answer
    others = [x for x in rows(Cohort, course="본교육") if x.cohort_label not in ("6기", "총 6기")]
    assert not any(f"본교육 {x.cohort_label} 수료" in a.answer for x in others), a.answer


def test_a_ranking_within_the_group_the_question_names_leaves_totals_out(ask):
    from knowledge.models import Cohort

    cohorts = [x for x in rows(Cohort, course="본교육") if x.completed and not x.cohort_label.startswith("총")]
    fewest = min(cohorts, key=lambda x: x.completed)
    a = ask("신입자 본교육 기수 중 수료 인원이 가장 적은 기수는?")
    first = lead(a)
    assert fewest.cohort_label in first and shown(fewest.completed) in first, a.answer


# ---------------------------------------------------------------- follow-ups

def test_a_follow_up_about_that_programs_contact_takes_only_the_entity(ask):
    from tools.context import ToolContext
    from tools.queries import ContactArgs, get_contacts

    truth = get_contacts(ContactArgs(program="인재원청사 보수·보강"), ToolContext())
    heads = [r["name"] for r in truth.rows if r["position"].endswith("팀장")]
    ask("인재원청사보수·보강 예산 증감률이 얼마예요?", session_id="fu-contact")
    a = ask("그 사업 담당 팀장은 누구예요?", session_id="fu-contact")
    assert heads and heads[0] in a.answer, a.answer
    assert "증감률" not in a.answer, "the previous turn's figures are not repeated"


def test_a_ratio_the_report_never_states_is_computed_for_the_row_named_or_the_whole(ask):
    items = {e.item: e for e in rows(Equipment)}
    total = next(e for name, e in items.items() if name.replace(" ", "") in ("합계", "계"))
    a = ask("교육장비 노후도가 몇 %예요?")
    assert shown(round(total.over_lifespan / total.inventory * 100, 1)) in a.answer, a.answer
    p = items["프로젝터"]
    a = ask("프로젝터 노후율은?")
    assert shown(round(p.over_lifespan / p.inventory * 100, 1)) in a.answer, a.answer


def test_a_question_about_parts_shows_every_part(ask):
    parts = [m for m in rows(ProgramMetric, phase="실적") if "퇴직 예정" in m.program and m.label != "추진실적"]
    a = ask("퇴직예정자 교육 실적이 과정별로 어떻게 됩니까?")
    assert len(parts) >= 2 and all(shown(m.people) in a.answer for m in parts), a.answer


# ---------------------------------------------------------------- A as a share or multiple of B, sums with a qualifier

def test_one_row_as_a_percentage_or_multiple_of_another(ask):
    r1, r2 = rows(Exam, round=1)[0].applicants, rows(Exam, round=2)[0].applicants
    a = ask("2회 임용시험 접수인원은 1회의 몇 % 수준이에요?")
    assert shown(round(r2 / r1 * 100, 1)) in lead(a), a.answer
    a = ask("1회 시험 접수인원은 2회의 몇 배예요?")
    assert shown(round(r1 / r2, 1)) in lead(a), a.answer


def test_a_sum_of_rows_reads_the_qualifier_asked(ask):
    from knowledge.models import CompetencyAssessment

    done = [c for c in rows(CompetencyAssessment) if c.kind == "역량평가"]
    a = ask("역량평가 4급과 5급 실적 인원 합은?")
    assert shown(sum(c.actual_people for c in done)) in lead(a), a.answer


def test_a_share_of_the_whole_named_before_jung(ask):
    from knowledge.models import Revenue

    amounts = {r.category: r.amount for r in rows(Revenue)}
    whole = next(v for k, v in amounts.items() if k.replace(" ", "") == "세입예산")
    part = next(v for k, v in amounts.items() if "경상적" in k)
    a = ask("세입예산 중 경상적세외수입 비중은?")
    assert shown(round(part / whole * 100, 1)) in lead(a), a.answer


# ---------------------------------------------------------------- thresholds

def test_how_many_lines_pass_a_threshold_and_a_verdict_on_one(ask):
    lines = [b for b in rows(BudgetLine) if b.level == 3 and b.execution_rate is not None]
    a = ask("집행률 90% 이상인 사업은 몇 개예요?")
    count = sum(1 for b in lines if b.execution_rate >= 90)
    assert f"{count}개" in lead(a), a.answer
    a = ask("집행률이 70% 미만인 사업은?")
    assert f"{sum(1 for b in lines if b.execution_rate < 70)}개" in lead(a), a.answer
    rate = db_value(BudgetLine, "execution_rate", name="IT전문교육운영")
    a = ask("IT 교육 예산 집행률이 80%를 넘나요?")
    assert ("넘습니다" if rate > 80 else "넘지 않습니다") in lead(a), a.answer


def test_a_reading_in_pyeong_follows_the_source_unit_unless_the_report_states_one(ask):
    from knowledge.models import Facility

    dasom = rows(Facility, name="다솜관")[0]
    a = ask("다솜관 면적은 몇 평이에요?")
    first = lead(a)
    assert shown(dasom.area_m2).split(".")[0] + "㎡" in first and f"약 {round(dasom.area_m2 * 0.3025):,}평" in first, a.answer
    assert a.grounded
    total = [f for f in rows(Facility) if f.area_pyeong and f.kind == "building_total"][0]
    a = ask("인재개발원 건물 연면적은 몇 평이에요?")
    assert f"{int(total.area_pyeong):,}평" in a.answer and "0.3025" not in a.answer, a.answer


# ---------------------------------------------------------------- counts

def test_counts_of_audit_items_that_pass_the_filters_named(ask):
    from knowledge.models import AuditItem

    items = rows(AuditItem)
    a = ask("인재채용과 소관 감사 요구사항은 몇 건이에요?")
    assert f"{sum(1 for i in items if i.department == '인재채용과')}건" in lead(a), a.answer
    a = ask("건의사항 중 아직 추진 중인 건 몇 건이에요?")
    n = sum(1 for i in items if i.kind == "건의" and i.status.replace(" ", "") == "추진중")
    assert f"{n}건" in lead(a), a.answer


def test_a_count_over_a_table_of_text_rows_and_a_measure_named_in_an_exam_question(ask):
    from knowledge.models import AuditTable, CompetencyAssessment

    mou = next(t for t in rows(AuditTable) if "MOU" in (t.caption or ""))
    a = ask("MOU 맺은 기관이 몇 곳이에요?")
    assert f"{mou.n_rows}곳" in lead(a), a.answer
    five = next(c for c in rows(CompetencyAssessment) if c.kind == "역량평가" and c.grade == "5급")
    a = ask("5급 역량평가는 몇 번 했어요?")
    assert f"{five.actual_sessions}회" in a.answer, a.answer


def test_lines_whose_budget_moved_one_way_are_counted(ask):
    lines = [b for b in rows(BudgetLine) if b.level == 3 and b.change is not None]
    a = ask("올해 예산이 작년보다 줄어든 사업은 몇 개예요?")
    assert f"{sum(1 for b in lines if b.change < 0)}개" in lead(a), a.answer
    a = ask("예산이 늘어난 사업은 어떤 게 있어요?")
    assert f"{sum(1 for b in lines if b.change > 0)}개" in lead(a), a.answer


def test_a_share_of_the_total_and_the_unspent_balance(ask):
    line = rows(BudgetLine, name="신규자과정운영")[0]
    total = [b for b in rows(BudgetLine) if b.level == 0][0]
    a = ask("신규자 과정 예산은 전체 세출의 몇 %예요?")
    assert shown(round(line.amount / total.amount * 100, 1)) in lead(a), a.answer
    it = rows(BudgetLine, name="IT전문교육운영")[0]
    a = ask("IT전문교육 예산 중 아직 안 쓴 돈은?")
    assert shown(it.amount - it.executed) in lead(a), a.answer


def test_a_date_asked_leads_with_that_line_of_the_schedule(ask):
    from knowledge.models import ExamSchedule

    sched = rows(ExamSchedule)
    interview = next(x for x in sched if x.stage == "면접시험" and x.round == 1)
    a = ask("1회 임용시험 면접은 언제예요?")
    assert interview.value in lead(a), a.answer


@pytest.mark.parametrize("first, follow, model, field, where", [
    ("신입자 과정 예산은?", "그중 집행액은?", BudgetLine, "executed", {"name": "신규자과정운영"}),
    ("집합교육 참여율은?", "이러닝은요?", TrainingResult, "participation_rate", {"mode": "e-러닝", "subcategory": None, "competency_group": None}),
    ("1회 임용시험 경쟁률은?", "2회는?", Exam, "competition_ratio", {"round": 2}),
])
def test_a_follow_up_names_what_changes_and_leads_with_it(ask, first, follow, model, field, where):
    sid = f"fu-{field}"
    ask(first, session_id=sid)
    a = ask(follow, session_id=sid)
    assert shown(db_value(model, field, **where)) in lead(a), a.answer
