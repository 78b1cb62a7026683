"""Answerability after retrieval (assistant/absent.py): a measure, a breakdown or a year the data does not
hold for the thing named is refused, saying why and with no figure of its own; answerable questions of the
same shapes are answered. The rule tables that read the measure and the breakdown are checked on their own."""

from __future__ import annotations

import re

import pytest

from assistant.question_rules import BREAKDOWNS, MEASURES_ASKED
from assistant.rules import Text, winner
from assistant_support import ask, home, lead  # noqa: F401 - the module's ingested data directory

MEASURE_ROWS = [  # (question, the measure read, or None)
    ("행복한 정년퇴직 준비 과정 만족도는 몇 점이에요?", "만족도"),
    ("신입자 교육 현업 적용도는?", "현업적용도"),
    ("2회 시험 경쟁률은?", "경쟁률"),
    ("역량평가 통과율은 몇 %인가요?", "합격률"),
    ("인재기획과 현원은?", "현원"),
    ("강사는 모두 몇 명이에요?", "강사 수"),
    ("6급미래인재 과정 원인행위 집행률은?", None),  # '과정 원인행위' is no 정원
    ("만족스러운 교육 과정은 뭐가 있나요?", None),
]
BREAKDOWN_ROWS = [  # (question, the dimension read, or None)
    ("e-러닝 수강인원을 월별로 보여 줘", "월"),
    ("자치구별 응시 인원", "자치구"),
    ("연령대별 교육생 분포는?", "연령대"),  # no rule of its own: the generic one, its word decided in the rows
    ("교육시설 동별 층수는?", "동"),
    ("특별히 신규자 예산이 궁금합니다", None),
    ("별도로 편성된 예산은?", None),
    ("개별 과정 만족도는?", None),
]


@pytest.mark.parametrize("question,measure", MEASURE_ROWS)
def test_the_measure_a_question_names_is_read(question, measure):
    fired = winner(MEASURES_ASKED, Text.of(question))
    assert (fired.value[0] if fired else None) == measure


@pytest.mark.parametrize("question,word", BREAKDOWN_ROWS)
def test_the_breakdown_a_question_asks_is_read(question, word):
    fired = winner(BREAKDOWNS, Text.of(question))
    assert (fired.value[0] if fired else None) == word


REFUSED = [
    "정년퇴직 준비 과정 교육생 만족도가 몇 점이었는지 알려 주세요.",  # (a) its rows hold 횟수 and 인원 only
    pytest.param("제2회 임용시험 일반행정 직류만 따로 본 경쟁률은?", marks=pytest.mark.xfail(
        strict=True, reason="'일반행정 직류' links to no entity (the catalog links '일반행정 9급'), so no subject is checked")),
    "인재양성과 현원은 몇 명이에요?",  # (a) the 현원 is the organisation's
    "50대 인생 디자인 과정 만족도는?",  # (a) a course whose rows hold 횟수 and 인원
    "e-러닝 수강인원 월별 현황 좀 주세요",  # (b) its rows are 분야별
    "국제연수 참가자를 국가별로 나눠 주세요",  # (b)
    "2025년 신입자 과정 현업적용도는 몇 %예요?",  # (c) the table holds earlier years
    "창의행정 리더십 교육 만족도는 몇 점이었어요?",  # (a) the 리더십역량 row of the training table shares '리더십' only
]
ANSWERED = [
    "다솜관은 몇 층이에요?",
    "e-러닝 분야별 수강인원은?",
    "제1회 임용시험 경쟁률은?",
    "조직 현원은 몇 명이에요?",
    "전체 교육 만족도는 몇 점인가요?",
    "AI 의무교육 만족도는 몇 점이었습니까?",
    "6급미래인재 과정 원인행위 집행률은?",
    "IT전문교육 과정 만족도는 몇 점이에요?",  # the training table's IT row states one
    "집합교육 분야별 만족도는?",  # the catalog breaks 집합교육 down into its rows
    "신입자 과정 기수별 인원은?",
    "리더십 교육 급별로 인원 알려줘",
    "2021년 신입자 교육 만족도랑 현업적용도는 어땠어요?",  # '만족도랑' is a measure asked, not a word of the thing
]


@pytest.mark.parametrize("question", REFUSED)
def test_what_the_data_does_not_hold_for_the_thing_named_is_refused_without_figures(ask, question):
    a = ask(question)
    assert a.refused, a.answer
    assert "없" in lead(a)
    asked = set(re.findall(r"\d+", question))
    assert set(re.findall(r"\d+", a.answer)) <= asked, a.answer  # a refusal states no figure of its own


@pytest.mark.parametrize("question", ANSWERED)
def test_the_same_shapes_are_answered_where_the_data_holds_them(ask, question):
    a = ask(question)
    assert not a.refused, a.answer
