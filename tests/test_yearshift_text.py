"""tests/yearshift.py: moving a report's years on changes its years and nothing else."""

from __future__ import annotations

from collections import Counter

import pytest

from conftest import REPORT
from yearshift import non_year_numbers, shift_years, shifted_name, year_spans

# (text, shifted by one): every year form the report uses, and the numbers that look like years but are not
CASES = [
    ("2025 주요업무 보고", "2026 주요업무 보고"),
    ("2024년\t2025년\t증감액", "2025년\t2026년\t증감액"),
    ("2024·2025년 예산", "2025·2026년 예산"),
    ("2025. 11.", "2026. 11."),
    ("(2025) 결과", "(2026) 결과"),
    ("2025회계연도 세출예산", "2026회계연도 세출예산"),
    ("「2024 서울정책공유 글로벌포럼」", "「2025 서울정책공유 글로벌포럼」"),
    ("'25년 계획\t'25년 실적", "'26년 계획\t'26년 실적"),
    ("'25년말 집행예상액", "'26년말 집행예상액"),
    ("('25. 10. 10. 기준)", "('26. 10. 10. 기준)"),
    ("'25.1.17.~'25.7.16.", "'26.1.17.~'26.7.16."),
    ("'23-'27 5개년 계획", "'24-'28 5개년 계획"),
    ("초청연수(’24.10.28.~11.1.)", "초청연수(’25.10.28.~11.1.)"),
    ("'15. 3. 30.", "'16. 3. 30."),
    # not years: extensions, phone numbers, amounts, counts, months and days
    ("팀장: 강영규 ☎ 2030 담당: 조경제 ☎2041", "팀장: 강영규 ☎ 2030 담당: 조경제 ☎2041"),
    ("인재기획과장: 조경익 ☎ 3488-2021", "인재기획과장: 조경익 ☎ 3488-2021"),
    ("18,667,875천원 2,025명 12025", "18,667,875천원 2,025명 12025"),
    ("퇴직예정 10년 이내자 480명, 창립 40주년", "퇴직예정 10년 이내자 480명, 창립 40주년"),
    ("6. 21.(토) 9월 30일", "6. 21.(토) 9월 30일"),
]


@pytest.mark.parametrize("text, expected", CASES)
def test_shift_years_moves_years_only(text, expected):
    assert shift_years(text) == expected
    assert shift_years(expected, -1) == text


def test_shifted_report_keeps_every_other_number_and_every_line():
    text = REPORT.read_text(encoding="utf-8")
    shifted = shift_years(text)
    assert non_year_numbers(shifted) == non_year_numbers(text)
    assert shifted.split("\n") != text.split("\n") and len(shifted.split("\n")) == len(text.split("\n"))
    assert shifted.endswith("\n") == text.endswith("\n")
    assert len(shifted) == len(text)  # a year keeps its width, so every column stays where it was


def test_shifted_report_has_each_year_one_later():
    text = REPORT.read_text(encoding="utf-8")
    before = Counter(y for _, _, y in year_spans(text))
    after = Counter(y for _, _, y in year_spans(shift_years(text)))
    assert after == Counter({y + 1: n for y, n in before.items()})
    # the bundled report: 173 years (87 of 2025, 52 of 2024), of which 122 are written "'YY" and 51 with four digits
    assert (sum(before.values()), before[2025], before[2024]) == (173, 87, 52)
    assert sum(1 for s, e, _ in year_spans(text) if e - s == 2) == 122


def test_shifted_name_carries_the_new_year():
    assert shifted_name(REPORT.name) == "seoul-hrd-2026-work-report.txt"
