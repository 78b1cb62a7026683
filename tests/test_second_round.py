"""A second round of tools (assistant/offline.py): when the head word a figure question asks for stands in no
line the first tools found but does stand in the report, the planner searches the report's sentences before
it refuses. The sentence that names the head with a figure answers; a head the report names only in words
('재원 아동도 감소하고 있음') is still refused, with no figure of its own."""

from __future__ import annotations

import re

import pytest

from assistant_support import ask, home, lead  # noqa: F401 - the module's ingested data directory

FOUND_IN_SENTENCES = [  # (question, a figure its lead must state, a line the answer must cite)
    ("데이터센터 리모델링 때문에 창의관에 전산교육장을 몇 곳 새로 만들었어요?", "3개소", 773),
    ("차세대 교육통합시스템 총 소요예산은 얼마로 잡혀 있죠?", "2,393백만원", 671),
]
NAMED_ONLY_IN_WORDS = [
    "직장어린이집 현재 재원 아동 수가 몇 명이에요?",
    "직장어린이집 보육교사는 몇 명 근무하고 있습니까?",
]


@pytest.mark.parametrize("question,figure,line", FOUND_IN_SENTENCES)
def test_a_head_no_table_holds_is_answered_from_the_sentence_that_names_it(ask, question, figure, line):
    a = ask(question)
    assert not a.refused, a.answer
    assert figure in lead(a), a.answer
    assert [c.name for c in a.tool_calls][-1] == "search_documents"  # the second round read the sentences
    assert any(c.lines and c.lines[0] <= line <= c.lines[-1] for c in a.citations), [c.lines for c in a.citations]


@pytest.mark.parametrize("question", NAMED_ONLY_IN_WORDS)
def test_a_head_the_report_names_without_a_figure_is_still_refused(ask, question):
    a = ask(question)
    assert a.refused, a.answer
    asked = set(re.findall(r"\d+", question))
    assert set(re.findall(r"\d+", a.answer)) <= asked, a.answer


def test_a_head_the_tables_hold_needs_no_second_round(ask):
    a = ask("다솜관은 몇 층이에요?")
    assert not a.refused
    assert "search_documents" not in [c.name for c in a.tool_calls][1:]
