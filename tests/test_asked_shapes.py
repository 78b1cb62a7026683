"""Shapes of questions asked of one thing: two things asked of the row a clause selects, what is done
about an audit request, the line the report labels with the noun asked, a figure asked with the things it
counts, a program's name that holds a training category's word, and the reader's opinion asked. Every
expected figure is read back from the database, not typed in."""

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from assistant.question_rules import split_parts
from assistant_support import ask, db_value, home, lead, shown  # noqa: F401  (fixtures and helpers)
from hrd.settings import get_settings
from knowledge.db import engine_for
from knowledge.models import AuditItem, CareerHiring, Cohort, ProgramMetric


# ---------------------------------------------------------------- one clause selects, the next asks more of it

@pytest.mark.parametrize("question", [
    "본교육 기수 중에 수료 인원 제일 적었던 기수는 몇 기고 몇 명이에요?",
    "집합교육 분야별로 보면 참여율 80% 안 되는 분야가 몇 개고 어디어디예요?",
])
def test_two_things_asked_of_what_one_clause_selects_are_one_question(question):
    assert split_parts(question) == [question]


@pytest.mark.parametrize("question, parts", [
    ("신입자 과정은 몇 명이고 IT 교육은 몇 %인가요?", 2),  # each clause its own subject: two parts
    ("직장어린이집 지적에 어떤 조치를 하고 있나요?", 1),  # '-고 있다' joins no clauses
])
def test_clauses_with_their_own_subjects_still_split(question, parts):
    assert len(split_parts(question)) == parts


def test_the_lowest_cohort_and_its_count_are_one_answer(ask):
    cohorts = [c for c in [db_value(Cohort, "completed", course="본교육", cohort=n) for n in range(1, 7)] if c is not None]
    a = ask("본교육 기수 중에 수료 인원 제일 적었던 기수는 몇 기고 몇 명이에요?")
    assert not a.refused and shown(min(cohorts)) in lead(a), a.answer


def test_a_limit_written_as_not_reaching_it_is_a_threshold_below(ask):
    a = ask("집합교육 분야별로 참여율 80%도 안 되는 분야가 몇 개예요?")
    assert not a.refused and "미만" in lead(a), a.answer


# ---------------------------------------------------------------- an audit request: what is done about it

def test_what_is_done_about_an_audit_request_leads_with_its_actions(ask):
    a = ask("직장어린이집 현원 감소 지적에 대해서 인재개발원은 어떤 조치를 하고 있나요?")
    assert not a.refused, "'대해서 인재개발원' is no other organisation"
    assert lead(a).startswith("인재기획과의 추진내용") and "주차비" in lead(a), a.answer
    assert "|" not in lead(a)


@pytest.mark.parametrize("question", [
    "행정사무감사 건의사항 중 아직 추진 중인 건 어떤 조치를 하고 있나요?",
    "건의사항 가운데 완료되지 않은 건은 지금 어떻게 추진하고 있어요?",
])
def test_the_words_of_the_status_filter_are_no_keyword(ask, question):
    """'추진' is read by the status filter: searching the items for it as well loses the one still in progress."""
    dept = db_value(AuditItem, "department", kind="건의", status="추진 중")
    a = ask(question)
    assert not a.refused and lead(a).startswith(f"{dept}의 추진내용"), a.answer
    assert not any(c.name == "get_program" for c in a.tool_calls), "'행정' of 행정사무감사 names no program"


def _items(**where) -> list:
    with Session(engine_for(get_settings())) as s:
        q = select(AuditItem)
        for k, v in where.items():
            q = q.where(getattr(AuditItem, k) == v)
        return list(s.scalars(q))


@pytest.mark.parametrize("question, actions", [
    ("시정요구 사항 중에 아직 완료 못 한 건들이 뭐예요?", False),
    ("행정사무감사 시정요구 가운데 아직 완료 안 된 건은 어떻게 처리하고 있습니까?", True),
])
def test_several_items_that_pass_the_filters_are_each_named_in_the_lead(ask, question, actions):
    """Not the audit's grand total: each item in progress, its department and lines, and what is done about
    it when that is asked."""
    items = _items(kind="시정·처리요구", status="추진 중")
    assert len(items) > 2
    a = ask(question)
    assert lead(a).startswith(f"추진 중인 시정·처리요구 사항은 {len(items)}건입니다"), a.answer
    for it in items:
        assert f"[{it.line_start}" in lead(a), a.answer
    assert ("추진내용:" in lead(a)) == actions, a.answer


def test_a_count_of_the_items_that_pass_is_not_a_listing(ask):
    """Counter-example: '몇 건' asks the count, which the count answers."""
    n = len(_items(kind="시정·처리요구", status="추진 중"))
    a = ask("시정·처리요구 중 추진 중인 건은 몇 건이에요?")
    assert f"{n}건" in lead(a) and "①" not in lead(a), a.answer


# ---------------------------------------------------------------- the report's own label for the noun asked

def test_the_line_labelled_with_the_noun_asked_answers(ask):
    a = ask("메트로폴리스 40주년 기념 서울 총회 주제가 뭐였나요?")
    assert lead(a).startswith("주제/대상") and "대도시의 미래" in lead(a), a.answer


def test_an_approximate_count_of_people_answers_how_many(ask):
    a = ask("2024 서울정책공유 글로벌포럼에는 몇 명 정도가 참가했나요?")
    assert "140여 명" in lead(a).split("[")[0], a.answer


# ---------------------------------------------------------------- a figure with the things it counts

def test_a_figure_asked_with_its_items_quotes_the_sentence_that_names_them(ask):
    people = db_value(CareerHiring, "people", category="중증장애인")
    a = ask("중증장애인 경력채용은 어떤 분야에서 몇 명 뽑았나요?")
    assert shown(people) in lead(a) and "의회도서관" in lead(a), a.answer


# ---------------------------------------------------------------- a program named by its title's words

def test_a_program_title_holding_a_category_word_is_the_program(ask):
    plan = db_value(ProgramMetric, "people", program="시민체감형 정책을 위한 현장 중심 직무전문 교육 운영", phase="계획")
    actual = db_value(ProgramMetric, "people", program="시민체감형 정책을 위한 현장 중심 직무전문 교육 운영", phase="실적")
    a = ask("현장 중심 직무전문 교육 실적 인원이랑 계획 대비 비율 알려주세요.")
    assert shown(actual) in lead(a) and f"{actual / plan * 100:.1f}%" in lead(a), a.answer


# ---------------------------------------------------------------- the reader's opinion

@pytest.mark.parametrize("question", [
    "팀장들 중에 누가 제일 일 잘하는 것 같아요? 솔직한 의견 부탁해요.",
    "부시장들이 창의행정 리더십 강사로 나선 거, 솔직히 적절했다고 보세요?",
])
def test_an_opinion_asked_is_refused(ask, question):
    a = ask(question)
    assert a.refused and "의견" in a.answer


# ---------------------------------------------------------------- a qualifier of the thing counted the report never uses

@pytest.mark.parametrize("question", [
    "현원 105명 중에 여성 직원은 몇 명이에요?",  # '여성' stands in the report only across a space ('개최하여 성과')
    "차세대 교육통합시스템 구축사업은 어느 업체가 낙찰받았고 계약금액은 얼마예요?",  # '어느 업체': which firm, never named
])
def test_a_subset_or_a_thing_the_report_never_names_is_refused(ask, question):
    a = ask(question)
    assert a.refused and "없어" in a.answer, a.answer


def test_a_known_word_asked_of_is_not_refused(ask):
    a = ask("6급 미래인재 양성과정 운영비는 전년도와 비교해서 얼마가 삭감된 겁니까?")
    assert not a.refused, a.answer


# ---------------------------------------------------------------- two measures of one row

@pytest.mark.parametrize("question", [
    "정원하고 현원 차이는 몇 명이에요?",
    "현원이 정원보다 많아요?",
    "정원하고 현원이 각각 몇 명입니까? 현원이 정원을 넘는 건가요?",
])
def test_two_measures_of_one_row_are_told_apart_by_their_difference(ask, question):
    from knowledge.models import Organization

    quota, current = db_value(Organization, "quota"), db_value(Organization, "current")
    a = ask(question)
    d = [f for f in a.facts if f.formula]
    assert d and d[0].value == abs(current - quota), a.answer
    assert f"{abs(current - quota)}명" in lead(a)


# ---------------------------------------------------------------- an attribute asked by its interrogative

def test_who_a_course_is_for_is_its_row_s_target_cell(ask):
    from knowledge.models import Course

    target = db_value(Course, "target", name="과장 리더십")
    a = ask("과장 리더십 과정 교육대상이 누구예요?")
    assert lead(a).startswith(f"과장 리더십의 교육대상은 {target}"), a.answer


# ---------------------------------------------------------------- beside a computation, only what it stands on

def test_a_ratio_of_the_total_row_leads_without_the_other_rows(ask):
    from knowledge.models import Equipment

    a = ask("교육장비 노후도가 몇 %예요?")
    items = [i for i in ("프로젝터", "카메라", "앰프") if db_value(Equipment, "inventory", item=i) is not None]
    assert "노후도" in lead(a) and not any(i in lead(a) for i in items), a.answer


# ---------------------------------------------------------------- a phase asked of rows that hold only the other

def test_the_actual_asked_of_a_program_whose_named_rows_are_plans_is_its_actual_row(ask):
    program = "직급별 리더십 교육과정 운영"
    people = db_value(ProgramMetric, "people", program=program, phase="실적")
    sessions = db_value(ProgramMetric, "sessions", program=program, phase="실적")
    a = ask("리더십 교육 실적은 몇 회 몇 명입니까?")
    assert f"{sessions}회" in lead(a) and shown(people) in lead(a), a.answer


# ---------------------------------------------------------------- a part's share of a whole named in several words

def test_a_building_s_share_of_the_total_floor_area(ask):
    from knowledge.models import Facility

    part = db_value(Facility, "area_m2", name="배움관")
    a = ask("인재개발원 건물 연면적 중 배움관이 차지하는 비중은 몇 %예요?")
    d = [f for f in a.facts if f.formula]
    assert d and d[0].inputs[0] == part and "%" in lead(a), a.answer
    assert d[0].value == round(part / d[0].inputs[1] * 100, 1) and d[0].inputs[1] > part


# ---------------------------------------------------------------- rows left out of a ranking

def test_a_ranking_leaves_out_the_rows_the_question_excludes(ask):
    from knowledge.models import Equipment

    with_others = {i: db_value(Equipment, "over_lifespan", item=i) for i in ("프로젝터", "카메라", "앰프", "전자교탁", "스피커", "마이크", "노트북")}
    top = max(with_others, key=with_others.get)
    a = ask("기타 항목 빼고, 내구연한 경과 장비 개수가 가장 많은 품목은 뭐예요?")
    assert top in lead(a) and f"{with_others[top]}개" in lead(a) and "기타" not in lead(a), a.answer


# ---------------------------------------------------------------- two rows told apart by a mark only one has

def test_two_budget_lines_told_apart_by_a_grade_mark(ask):
    from knowledge.models import BudgetLine

    a_rate = db_value(BudgetLine, "execution_rate", name="신규자과정운영")
    b_rate = db_value(BudgetLine, "execution_rate", name="6급미래인재양성과정운영")
    a = ask("신규자 과정과 6급 과정의 집행률 격차는 몇 %p입니까?")
    assert f"{abs(a_rate - b_rate):.1f}%p" in lead(a), a.answer


# ---------------------------------------------------------------- a clause opening on its interrogative keeps the subject

def test_a_clause_that_opens_on_its_interrogative_is_about_the_subject_before_it(ask):
    from knowledge.models import ProgramExecution

    rate = db_value(ProgramExecution, "committed_rate", name="외국도시 공무원 연수 (국제개발협력기금)")
    a = ask("외국도시 공무원 연수 예산은 얼마고 어디 재원이에요? 집행률도요.")
    assert "국제개발협력기금" in lead(a) and f"{rate:.1f}%" in lead(a), a.answer


def test_the_report_itself_is_no_subject_of_a_clause():
    from assistant.question_rules import subject_of

    assert subject_of("보고서에 미네소타 프로젝트는 어떻게 설명돼 있어요?") == "미네소타 프로젝트"
    assert subject_of("5급 승진리더 과정은 몇 주짜리고") == "5급 승진리더 과정"


# ---------------------------------------------------------------- a breakdown asked: every member, not the whole

def _buildings() -> list[tuple[str, float, int, int]]:
    from sqlalchemy import select
    from sqlalchemy.orm import Session

    from hrd.settings import get_settings
    from knowledge.db import engine_for
    from knowledge.models import Facility

    with Session(engine_for(get_settings())) as s:
        rows = s.scalars(select(Facility).where(Facility.kind == "building")).all()
        return [(r.name, r.area_m2, r.basement_floors, r.above_floors) for r in rows]


@pytest.mark.parametrize("question", ["건물 동별 면적 알려주세요", "동별 연면적이 어떻게 되나요?"])
def test_a_breakdown_lists_every_member_and_not_the_whole(ask, question):
    a = ask(question)
    buildings = _buildings()
    assert len(buildings) >= 2
    for name, area, _, _ in buildings:
        assert name in lead(a) and f"{int(area):,}㎡" in lead(a), a.answer
    assert "부지" not in lead(a), "the site is no member of a breakdown by building"


def test_a_breakdown_by_a_counted_head_keeps_the_modifier_asked(ask):
    a = ask("동별로 지상 몇 층까지 있어요?")
    for name, _, _, above in _buildings():
        assert f"{name}의 지상 층수는 {above}층" in lead(a), a.answer
    assert "지하" not in lead(a) and "면적" not in lead(a)


def test_two_rows_with_equal_figures_are_two_figures(ask):
    """배움관 and 다솜관 have one basement floor each: the lead states both, not one merged into the other."""
    a = ask("건물별 층수는?")
    for name, _, below, above in _buildings():
        assert f"{name}의 지하 층수는 {below}층, 지상 층수는 {above}층" in lead(a), a.answer


# ---------------------------------------------------------------- a clause after a framed topic asks of the topic

@pytest.mark.parametrize("question", [
    "교육장비 현황 중에 기타는 몇 개이고 어떤 장비가 들어가요?",
    "교육장비 현황에서 기타는 몇 개고 뭐가 포함돼요?",
])
def test_the_next_clause_asks_of_the_topic_not_of_its_frame(ask, question):
    """'… 현황에서 기타는 몇 개고 | 뭐가 포함돼요?': the second clause asks what 기타 holds, which the report's
    '※ 기타 : …' line says; not every row of the 현황."""
    from knowledge.models import Equipment

    a = ask(question)
    assert f"{int(db_value(Equipment, 'inventory', item='기타')):,}개" in lead(a), a.answer
    assert "기타 : " in lead(a) and "프로젝터의" not in lead(a), a.answer


# ---------------------------------------------------------------- a cohort asked: its own row, its period when asked

@pytest.mark.parametrize("question, course, n", [
    ("사전교육 6기는 언제 몇 명 대상이에요?", "사전교육", 6),
    ("본교육 2기 일정이랑 계획 인원 알려주세요", "본교육", 2),
])
def test_a_cohort_asked_when_gives_its_period_beside_its_count(ask, question, course, n):
    a = ask(question)
    period = db_value(Cohort, "period", course=course, cohort=n)
    planned = db_value(Cohort, "planned", course=course, cohort=n)
    assert period in lead(a) and shown(planned) in lead(a), a.answer


def test_a_cohort_named_is_not_the_total_row_that_holds_its_words(ask):
    """'사전교육 6기' is the sixth cohort; the '총 6기' row (all six together) holds the same words."""
    a = ask("사전교육 6기는 언제 몇 명 대상이에요?")
    total = db_value(Cohort, "planned", course="사전교육", cohort_label="총 6기")
    assert shown(total) not in lead(a), a.answer


def test_a_rate_of_the_whole_course_is_still_its_total_row(ask):
    a = ask("신입자 본교육 수료율은 몇 %예요?")
    done, planned = (db_value(Cohort, c, course="본교육", cohort_label="총 6기") for c in ("completed", "planned"))
    assert f"{round(done / planned * 100, 1)}%" in lead(a), a.answer


# ---------------------------------------------------------------- one row named, one of its measures asked

def test_one_row_named_for_one_measure_reads_the_rest_of_its_row_after_it(ask):
    """'6급 성과리더십은 몇 회': the 횟수 answers; its 인원 and 일수 follow as the rest of the row."""
    from knowledge.models import Course

    a = ask("6급 성과리더십은 몇 회 계획돼 있어요?")
    sessions, people = db_value(Course, "sessions", name="6급 성과리더십"), db_value(Course, "people", name="6급 성과리더십")
    assert lead(a).startswith(f"6급 성과리더십의 교육횟수는 {sessions}회"), a.answer
    assert "같은 줄에는" in lead(a) and shown(people) in lead(a), a.answer


# ---------------------------------------------------------------- a change the report states in a sentence

@pytest.mark.parametrize("question, holds", [
    ("국제연수 예산이 전년보다 얼마 감액됐다고 했나요?", "81백만원 감액"),
    ("동영상학습 교육규모는 작년 대비 몇 개 과정 늘었나요?", "83개 과정 증가"),
    ("국제연수 온라인 연수 수수율이 얼마나 올랐나요?", "11% 상승"),  # up asked: not the sentence of a cut
])
def test_a_change_no_two_table_figures_give_is_the_sentence_that_states_it(ask, question, holds):
    a = ask(question)
    assert holds in lead(a).split(". ")[0], a.answer


def test_a_change_two_table_figures_give_is_still_computed_from_them(ask):
    """Counter-example: a budget line of both years is its own difference, whatever a sentence says."""
    a = ask("6급미래인재양성과정운영 예산은 전년보다 얼마 줄었어요?")
    assert "보다" in lead(a) and "줄었습니다" in lead(a), a.answer


@pytest.mark.parametrize("question", [
    "국제연수 예산이 전년보다 얼마 감액됐다고 했나요?",
    "온라인 수료율이 올랐다고 하던데 몇 %예요?",
])
def test_a_quotative_joins_no_clauses(question):
    assert split_parts(question) == [question]


# ---------------------------------------------------------------- a difference asked in words

@pytest.mark.parametrize("question", [
    "6급 과정 '직위별 리더십'은 시 교육생이랑 자치구 교육생 내용이 어떻게 달라요?",  # '직위별 리더십' is a name the report holds
    "시 교육생하고 자치구 교육생한테 리더십 교과를 다르게 짰다던데 어떻게 달라요?",  # the people are the subject, no count
    "6급 과정 직위별 리더십은 시랑 자치구가 어떻게 다르게 편성됐나요?",  # '편성' of a curriculum, not of a budget
])
def test_how_two_things_differ_is_answered_by_the_sentence_that_tells_it(ask, question):
    a = ask(question)
    assert not a.refused and "(자치구) 관리자 리더십" in lead(a), a.answer


def test_a_breakdown_the_report_never_makes_is_still_refused(ask):
    """Counter-example: '연령대별' names nothing the report holds."""
    a = ask("신입자 과정 연령대별 교육인원은 몇 명이에요?")
    assert a.refused, a.answer


def test_a_table_row_stated_is_not_quoted_again_with_its_raw_cells(ask):
    """'본교육 3기는 언제 했고 몇 명 수료했나요?': the row's figures are stated; the raw row of the table (which
    holds 사전교육 3기's cells too) goes to the evidence, not the lead."""
    a = ask("본교육 3기는 언제 했고 몇 명 수료했나요?")
    completed = db_value(Cohort, "completed", course="본교육", cohort=3)
    assert shown(completed) in lead(a) and "11.10." not in lead(a), a.answer
