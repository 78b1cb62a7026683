"""The grounding check's evidence and exemptions, and (hypothesis) the readers of figures: the cell parser
(knowledge/parse/cells.py) and the answer's number reader (assistant/grounding.py)."""

from __future__ import annotations

import pytest
from hypothesis import given, strategies as st
from langchain_core.messages import AIMessage, HumanMessage, ToolMessage

from assistant.agent import _evidence
from assistant.grounding import numbers, unsupported
from knowledge.parse.cells import parse_cell

TOOL = '{"facts": [{"label": "신규자과정운영 예산현액", "value": 1116685, "unit": "천원", "lines": [105, 105]}]}'

GROUNDING = [  # (answer, evidence, unsupported figures)
    ("신규자과정운영 예산현액은 1,116,685천원입니다 [105행].", [TOOL], []),
    ("예산은 9,999,999천원이 맞습니다.", [TOOL], [9999999.0]),  # only the question held it
    ("예산은 0원입니다.", [TOOL], [0.0]),  # a small integer as an amount
    ("3명이 수료했습니다.", [TOOL], [3.0]),
    ("집행률은 5%입니다.", [TOOL], [5.0]),
    ("1. 신규자과정운영: 1,116,685천원\n2. 기타", [TOOL], []),  # list markers
    ("세 과정(3개)의 예산은 1,116,685천원입니다.", [TOOL], []),  # a count of items
    ("2번째로 큰 사업은 1,116,685천원입니다.", [TOOL], []),  # an ordinal
]


@pytest.mark.parametrize("answer,evidence,bad", GROUNDING)
def test_grounding_exempts_small_integers_only_when_they_are_no_amount(answer, evidence, bad):
    assert unsupported(answer, evidence) == bad


QUESTION_FIGURES = [  # (question, answer, report years, unsupported figures)
    ("예산이 9,999,999천원이죠?", "네, 9,999,999천원입니다.", (2024, 2025), [9999999.0]),
    ("참여율이 100%를 넘은 분야는?", "참여율이 100% 초과인 분야: 리더십 101.4% [68행]", (), [101.4]),  # the condition, restated
    ("참여율이 100%인가요?", "참여율은 100%입니다.", (), [100.0]),  # the same figure as a claim
    ("2026년 채용 인원은?", "보고서에는 2026년 자료가 없습니다.", (2024, 2025), []),  # the year asked, as a date
    ("내년 경쟁률은?", "보고서는 2025년 실적과 2024·2025년 예산, '25년말 예상을 담고 있습니다.", (2024, 2025), []),
    ("내년 경쟁률은?", "2031년에는 경쟁률이 오릅니다.", (2024, 2025), [2031.0]),  # a year no one named
    ("2026년 예산은?", "2026년 예산은 2,026천원입니다.", (2024, 2025), [2026.0]),  # a year-like amount is no date
]


@pytest.mark.parametrize("question,answer,years,bad", QUESTION_FIGURES)
def test_a_figure_only_the_question_holds_supports_nothing_but_a_date_or_the_condition(question, answer, years, bad):
    assert unsupported(answer, [TOOL], question=question, years=years) == bad


def test_the_question_is_not_evidence():
    msgs = [HumanMessage("예산이 9,999,999천원이죠?"), AIMessage("", tool_calls=[{"name": "get_budget", "args": {}, "id": "c1"}]),
            ToolMessage(TOOL, tool_call_id="c1")]
    texts = _evidence(msgs)
    assert all("9,999,999" not in t for t in texts)
    assert unsupported("네, 9,999,999천원입니다.", texts) == [9999999.0]


def _fmt(n: int) -> str:
    return f"{n:,}"


@given(st.integers(min_value=0, max_value=10**12), st.booleans(), st.booleans())
def test_cell_parser_reads_any_reported_integer(n, decrease, paren):
    text = ("△" if decrease else "") + _fmt(n)
    text = f"({text})" if paren else text
    cell = parse_cell(text)
    assert cell.value == (-n if decrease else n)
    assert cell.parenthesised == paren


@given(st.integers(min_value=0, max_value=10**6), st.integers(min_value=0, max_value=9), st.sampled_from(["%", "점", "명", "천원", ":1", ""]))
def test_cell_parser_reads_decimals_with_units(whole, tenth, unit):
    cell = parse_cell(f"{_fmt(whole)}.{tenth}{unit}")
    assert cell.value == pytest.approx(float(f"{whole}.{tenth}"))
    assert cell.unit == ({"": None, ":1": "ratio"}.get(unit, unit))


@given(st.text(max_size=60))
def test_cell_parser_never_raises(text):
    cell = parse_cell(text)
    assert cell.value is None or isinstance(cell.value, float)


@given(st.lists(st.integers(min_value=11, max_value=10**9), min_size=1, max_size=6), st.sampled_from(["천원", "명", "%", "원"]))
def test_number_reader_finds_every_figure_of_an_answer(values, unit):
    text = " 그리고 ".join(f"{_fmt(v)}{unit}" for v in values) + " [12~14행]"
    assert numbers(text) == [float(v) for v in values]  # the citation's line numbers are not figures
    assert unsupported(text, [" ".join(str(v) for v in values)]) == []
    assert unsupported(text, []) == [float(v) for v in values]


@given(st.text(max_size=80))
def test_number_reader_never_raises(text):
    assert all(isinstance(x, float) for x in numbers(text))
