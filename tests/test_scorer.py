"""Table-driven tests of eval/scorer.py."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from eval.scorer import (  # noqa: E402
    CaseScore,
    date_parts,
    fabricated_numbers,
    number_matches,
    read_numbers,
    score_case,
    strip_ignored,
    summarize,
    term_present,
)


@pytest.mark.parametrize(
    "text,expected",
    [
        ("1,570,038천원", [1570038]),
        ("예산 1,116,685천원 중 1,072,501천원", [1116685, 1072501]),
        ("집행률 78.9%", [78.9]),
        ("96.0%", [96.0]),
        ("△1,053,812", [-1053812]),
        ("△5.3%", [-5.3]),
        ("−12.9%", [-12.9]),
        ("증감 -20,273천원", [-20273]),
        ("경쟁률 12.6:1", [12.6, 1]),
        ("6. 21.(토)", [6, 21]),
        ("'25.1.17.~'25.7.16.", [25, 1, 17, 25, 7, 16]),
        ("'25.11.~'26.12.", [25, 11, 26, 12]),
        ("2.17. ~ 3.14.", [2, 17, 3, 14]),
        ("7~9급", [7, 9]),
        ("☎ 3488-2120", [3488, 2120]),
        ("e-러닝 465개 과정", [465]),
        ("283,779㎡(85,843평)", [283779, 85843]),
        ("4.53점", [4.53]),
        ("40명, 8회, 3개", [40, 8, 3]),
        ("약 1.2억", [1.2]),
        ("18,668백만원", [18668]),
        ("집행률은 78.9.", [78.9]),
        ("1,2,3", [1, 2, 3]),
        ("", []),
        ("숫자 없음", []),
    ],
)
def test_read_numbers(text, expected):
    assert read_numbers(text) == [float(x) for x in expected]


@pytest.mark.parametrize(
    "text,expected",
    [
        ("필기시험(6.21)", [6, 21]),
        ("원서접수(7.21~7.25)", [7, 21, 7, 25]),
        ("12.6:1", []),
        ("78.9%", []),
        ("4.53점", []),
        ("1,570.5", []),
    ],
)
def test_date_parts(text, expected):
    assert date_parts(text) == [float(x) for x in expected]


@pytest.mark.parametrize(
    "expected,found,ok",
    [
        (78.9, 78.9, True),
        (78.9, 78.90, True),
        (78.9, 78.94, True),
        (78.9, 78.95, False),
        (78.9, 79, False),
        (96, 96.0, True),
        (96.0, 96, True),
        (1570038, 1570038, True),
        (1570038, 1570039, False),
        (1570038, 1570, False),
        (-1053812, -1053812, True),
        (-1053812, 1053812, True),
        (1053812, -1053812, True),
        (5.3, -5.3, True),
        (4.53, 4.5, False),
        (4.5, 4.53, True),
        (100, 100.0, True),
        (0, 0, True),
    ],
)
def test_number_matches(expected, found, ok):
    assert number_matches(expected, found) is ok


@pytest.mark.parametrize(
    "term,text,ok",
    [
        ("추진 중", "추진상황은 추진중입니다", True),
        ("추진중", "현재 추진 중 입니다", True),
        ("동대문디자인플라자", "동대문 디자인 플라자(DDP) 아트홀", True),
        ("DDP", "ddp 아트홀", True),
        ("추진완료", "추진 중", False),
        ("김인숙", "인재양성과장 김 인숙", True),
        ("DDP|동대문디자인플라자", "장소: 동대문디자인플라자 아트홀", True),  # 'A|B': either alternative
        ("1. 7|1.7|1월 7일", "합격자 발표는 1월 7일입니다", True),
        ("집단토론|집단 토론", "개별 심층면접만 합니다", False),
        ("|", "무엇이든", False),
    ],
)
def test_term_present(term, text, ok):
    assert term_present(term, text) is ok


NEWCOMER = {
    "id": "budget-newcomer-exec-rate",
    "question": "신입자 과정 예산 집행률은?",
    "kind": "sql",
    "numbers": [1116685, 96.0],
    "terms": [],
}
STATUS = {"id": "audit-x", "question": "어린이집 건 상태는?", "kind": "rag", "numbers": [], "terms": ["추진 중"]}
DECREASE = {"id": "b-cut", "question": "얼마 줄었나요?", "kind": "sql", "numbers": [-1053812, 5.3], "terms": []}
UNANS = {"id": "u-2023", "question": "2023년 신규자과정 예산은?", "kind": "unanswerable", "numbers": [], "terms": []}


def ans(text, refused=False, **kw):
    return {"answer": text, "refused": refused, **kw}


@pytest.mark.parametrize(
    "case,answer,correct",
    [
        (NEWCOMER, ans("신입자 과정 운영 예산 1,116,685천원 중 1,072,501천원(96.0%)을 집행했습니다."), True),
        (NEWCOMER, ans("예산 1116685천원, 집행률 96%"), True),
        (NEWCOMER, ans("예산 1,116,685천원, 집행률 95.9%"), False),
        (NEWCOMER, ans("집행률은 96.0%입니다."), False),
        (NEWCOMER, ans("1,116,685천원 96.0%", refused=True), False),
        (STATUS, ans("추진상황: 추진중"), True),
        (STATUS, ans("추진완료"), False),
        (DECREASE, ans("합계는 △1,053,812천원(△5.3%) 감소했습니다."), True),
        (DECREASE, ans("1,053,812천원, 5.3% 줄었습니다."), True),
        (UNANS, ans("보고서에는 2023년 예산이 없습니다.", refused=True), True),
        (UNANS, ans("보고서에는 2024·2025년 예산만 있습니다 (line 105).", refused=True), True),
        (UNANS, ans("2023년 자료는 없지만 2024년은 1,394,708천원입니다.", refused=True), False),
        (UNANS, ans("2023년 예산은 1,200,000천원입니다."), False),
        (UNANS, ans("확인할 수 없습니다.", refused=True, facts=[{"label": "x", "value": 5}]), False),
        (UNANS, ans("", refused=True), True),
    ],
)
def test_score_case(case, answer, correct):
    s = score_case(case, answer)
    assert isinstance(s, CaseScore)
    assert s.correct is correct, s.reason


def test_score_case_details():
    s = score_case(NEWCOMER, ans("집행률은 96.0%입니다."))
    assert s.missing_numbers == [1116685]
    assert s.missing_terms == []
    s = score_case(STATUS, ans("완료"))
    assert s.missing_terms == ["추진 중"]
    s = score_case(UNANS, ans("없습니다", refused=True))
    assert s.refusal_ok is True
    s = score_case(UNANS, ans("1,394,708천원", refused=False))
    assert s.refusal_ok is False and not s.correct


EVIDENCE = ["신입자 과정 운영\t1,116,685\t1,072,501\t1,072,501\t96.0%\t96.0%\t1,095,365\t98.1%"]


@pytest.mark.parametrize(
    "answer,question,fabricated",
    [
        ("예산 1,116,685천원 중 1,072,501천원(96.0%) 집행", "", []),
        ("집행률 96%", "", []),
        ("집행률 96.04%", "", [96.04]),
        ("예산 1,116,685천원, 잔액 44,184천원", "", [44184]),
        ("1. 예산 1,116,685천원\n2. 집행률 96.0%", "", []),
        ("2025년 예산 1,116,685천원 (line 231)", "", []),
        ("예산 1,116,685천원 (231~231행, L231, lines 229-231)", "", []),
        ("'25년말 예상 1,095,365천원(98.1%)", "", []),
        ("3기 330명", "3기는 몇 명?", [330]),
        ("3기 330명", "3기 330명 맞나요?", []),
        ("2023년 예산 없음", "", [2023]),
        ("감소 △1,072,501", "", []),
    ],
)
def test_fabricated_numbers(answer, question, fabricated):
    assert fabricated_numbers(answer, EVIDENCE, question) == [float(x) for x in fabricated]


def test_strip_ignored():
    t = strip_ignored("1. 2025년 (line 231) 231~237행 '25년 값 5")
    assert read_numbers(t) == [5.0]


def test_summarize():
    scores = [
        CaseScore("a", "sql", True),
        CaseScore("b", "sql", False),
        CaseScore("c", "rag", True),
        CaseScore("d", "unanswerable", True),
    ]
    s = summarize(scores)
    assert s["overall"] == {"n": 4, "correct": 3, "accuracy": 0.75}
    assert s["by_kind"]["sql"]["accuracy"] == 0.5
    assert s["by_kind"]["rag"]["n"] == 1
    assert summarize([])["overall"]["accuracy"] == 0.0


# ---------------------------------------------------------------- the lead rule (eval-format.md "Scoring")
from eval.scorer import figure_cap, lead_figures, lead_of  # noqa: E402


@pytest.mark.parametrize("text,lead", [
    ("답 [105행].\n\n근거: …", "답 [105행]."),
    ("한 문단뿐인 답", "한 문단뿐인 답"),
    ("첫 줄\n둘째 줄\n\n근거", "첫 줄\n둘째 줄"),
])
def test_the_lead_is_the_first_paragraph(text, lead):
    assert lead_of(text) == lead


@pytest.mark.parametrize("lead,figures", [
    ("신규자과정운영 예산은 2025년 1,116,685천원으로 [105행]", [1116685]),
    ("'24년 대비 19.9% 줄었습니다 [105~107행]", [19.9]),
    ("9월 30일 09:30에 시작, '25. 9. 30. 마감", []),
    ("3개 과정 10회 1,290명", [1290]),          # integers up to 12 are not counted
    ("1,685명 + 196명 = 1,881명, 다시 1,685명", [1685, 196, 1881]),  # distinct
    ("줄 112에서 14.2%", [14.2]),
])
def test_figures_a_lead_states(lead, figures):
    assert lead_figures(lead) == figures


def test_a_lead_that_states_too_many_figures_is_not_correct():
    case = {"id": "c", "kind": "sql", "numbers": [1116685], "terms": []}
    dump = "신규자 1,116,685천원, " + ", ".join(f"{x},{x:03d}천원" for x in range(101, 108))
    assert figure_cap(1) == 6 and figure_cap(3) == 11
    sc = score_case(case, {"answer": dump, "refused": False})
    assert not sc.correct and sc.lenient and "cap 6" in sc.reason


def test_a_figure_only_in_the_evidence_is_lenient_not_correct():
    case = {"id": "c", "kind": "sql", "numbers": [19.9], "terms": ["신규자"]}
    sc = score_case(case, {"answer": "신규자과정 예산은 줄었습니다 [105행].\n\n근거: 증감률 △19.9% [105행]", "refused": False})
    assert sc.lenient and not sc.correct and sc.missing_numbers == [19.9]
    sc = score_case(case, {"answer": "신규자과정 예산은 19.9% 줄었습니다 [105행].\n\n근거: …", "refused": False})
    assert sc.correct
