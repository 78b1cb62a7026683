"""The same questions of the 2025 report and of the same report with every year moved on by one
(tests/yearshift.py) give the same figures with the new years.

Two homes, each with one report ingested (database and search index): the bundled report, and
seoul-hrd-2026-work-report.txt written by `shift_years`. Every conversation is asked of both, its
questions shifted too ('2025년' → '2026년'; '올해', '작년', '내년' stay as they are). For each turn the
answers must agree: refused or not and why, the lead's figures other than years in order, the lead's
years each one later, and the facts (label, value, unit, period, role) with their years moved on.

No conversation is marked: the assistant names no year; the report's years come from the data.
"""

from __future__ import annotations

import os
from dataclasses import dataclass

import pytest

from conftest import REPORT
from hrd.settings import Settings
from yearshift import non_year_numbers, shift_years, shifted_name, year_spans

@dataclass(frozen=True)
class Conversation:
    id: str
    turns: tuple[str, ...]
    refused: bool = False  # what the 2025 report's answer is (so that the comparison compares answers)


def conv(id: str, *turns: str, refused: bool = False, xfail: str | None = None):
    c = Conversation(id, turns, refused)
    marks = [pytest.mark.xfail(strict=True, reason=xfail)] if xfail else []
    return pytest.param(c, id=id, marks=marks)


CONVERSATIONS = [
    # budget: values of the report year and the year before, named by '올해', '작년' and by number
    conv("budget-total-explicit-year", "2025년 인재개발원 세출예산 예산현액 합계가 얼마예요?"),
    conv("budget-total-previous-explicit-year", "2024년 세출 예산현액 합계는 얼마였습니까?"),
    conv("budget-this-year", "신규자과정운영 예산 올해 얼마 잡혀 있어요?"),
    conv("budget-last-year", "작년 청사 유지관리 예산은 얼마였어요?"),
    conv("budget-previous-year-of-a-program", "6급 미래인재 양성과정 2024년 예산현액은 얼마였나요?"),
    conv("budget-value-and-rate", "재직자교육과정운영 2025년 예산액과 집행률은?"),
    # budget: change, execution, derived figures
    conv("budget-cut-against-last-year", "신규자과정 운영 예산이 전년 대비 얼마나 감액됐는지 답변 바랍니다."),
    conv("budget-rise-against-last-year", "리더십교육과정운영 예산은 작년보다 늘었나요? 얼마나 늘었어요?"),
    conv("budget-change-between-explicit-years", "2024년 대비 2025년 세출예산 합계 증감률은?"),
    conv("budget-change-between-apostrophe-years", "'24년 대비 '25년 신규자과정 예산 증감률은?"),
    conv("budget-difference-this-and-last-year", "올해 신규자과정운영 예산하고 작년 예산 차이는?"),
    conv("budget-execution-rate", "퇴직후인생설계교육 집행률이 어떻게 됩니까?"),
    conv("budget-total-execution", "세출예산 전체 집행액과 집행률(원인행위 기준)은 어떻게 됩니까?"),
    conv("budget-lowest-execution-rate", "집행률이 가장 낮은 사업은?"),
    conv("budget-share-of-total", "신규자과정운영 예산이 전체 세출예산에서 차지하는 비중은?"),
    conv("budget-sum-of-two", "신규자과정운영과 리더십교육과정운영 예산을 합치면 얼마예요?"),
    conv("budget-unspent", "신규자과정운영 미집행 잔액은 얼마예요?"),
    conv("budget-year-end-forecast", "신규자과정운영 연말 집행예상액은?"),
    conv("budget-year-end-apostrophe-year", "'25년말 집행예상액이 가장 많은 사업은?"),
    # follow-ups
    conv("followup-then-last-year", "신규자과정운영 2025년 예산현액 얼마예요?", "그럼 작년은?"),
    conv("followup-change", "퇴직후인생설계교육 예산 얼마예요?", "작년보다 얼마나 줄었죠?"),
    conv("followup-spending-basis", "리더십교육과정 집행률은 몇 %예요?", "지출액 기준으로는요?"),
    conv("followup-year-before-range", "2025년 세출 예산 합계 얼마예요?", "2023년은요?"),
    # training
    conv("training-total-result", "올해 교육실적 전체 과정 수와 인원, 참여율 알려주세요."),
    conv("training-it-classroom", "IT 집합교육 실적 인원과 만족도 알려 주세요."),
    conv("training-apostrophe-year", "'25년 집합교육 계획 인원은?"),
    conv("followup-training-mode", "집합교육 참여율 몇 %예요?", "이러닝은?"),
    conv("followup-training-gap", "IT 교육 실적 인원 알려주세요.", "계획 대비 몇 명 모자라요?"),
    # exams
    conv("exam-round1", "제1회 임용시험 접수인원하고 경쟁률 알려주세요."),
    conv("exam-absent", "1회 시험 접수하고 안 본 사람은 몇 명이에요?"),
    conv("exam-hiring-this-and-last-year", "올해 신규공무원 채용규모가 몇 명이에요? 작년에는요?"),
    conv("exam-hiring-increase", "신규공무원 채용규모가 작년보다 몇 명 늘었나요?"),
    conv("followup-exam-round", "1회 임용시험 경쟁률이 어떻게 돼요?", "2회는요?"),
    # facilities, organisation
    conv("facility-site", "인재개발원 부지 면적이 얼마나 됩니까?"),
    conv("facility-buildings", "건물은 몇 개동이고 연면적은요?"),
    conv("followup-equipment", "교육장비 중 스피커는 몇 개예요?", "그중 내구연한 지난 건?"),
    conv("organisation", "인재개발원 조직이 몇 과 몇 팀이고 정원, 현원은?"),
    # audit items and the report itself
    conv("audit-requests", "시정·처리요구사항은 몇 건이고 그중 완료된 건 몇 건이에요?"),
    conv("audit-daycare", "직장어린이집 관련 감사 지적은 지금 어떤 상태예요?"),
    conv("audit-online-fee-table", "국제연수 온라인 연수 수수율이 얼마나 올랐나요?"),
    conv("report-reference-date", "이 업무보고 자료는 언제 기준이에요?"),
    # refusals: the year after the report's, and years before its range
    conv("next-year-budget", "2026년 인재개발원 전체 세출예산은 얼마로 편성됐습니까?", refused=True),
    conv("next-year-forecast", "2026년 e-러닝 수강 인원은 얼마나 될 걸로 예상하세요?", refused=True),
    conv("forecast-next-year-word", "내년 교육 만족도는 몇 점 나올 것 같아요?", refused=True),
    conv("year-before-range", "2023년 신규자과정운영 예산은 얼마였어요?", refused=True),
    conv("year-long-before-range", "2022년 교육 예산은 얼마였어요?", refused=True),
]


@pytest.fixture(scope="session")
def year_homes(tmp_path_factory, pytestconfig) -> dict[int, Settings]:
    """{0: a home with the bundled report, 1: a home with it shifted by one year}, both indexed.
    Embeddings are cached across runs (.pytest_cache or HRD_EMBED_CACHE): only the first run embeds."""
    from knowledge.ingest import ingest

    cache_dir = pytestconfig.cache.mkdir("hrd-embeddings") if getattr(pytestconfig, "cache", None) else tmp_path_factory.mktemp("emb")
    cache = os.environ.get("HRD_EMBED_CACHE") or str(cache_dir / "embeddings.sqlite3")
    old = os.environ.get("HRD_EMBED_CACHE")
    os.environ["HRD_EMBED_CACHE"] = cache
    shifted = tmp_path_factory.mktemp("shifted-report") / shifted_name(REPORT.name)
    shifted.write_text(shift_years(REPORT.read_text(encoding="utf-8")), encoding="utf-8")
    homes = {}
    try:
        for by, path in ((0, REPORT), (1, shifted)):
            settings = Settings(home=tmp_path_factory.mktemp(f"year-shift-{by}"))
            [result] = ingest([path], settings, with_index=True)
            assert (result.status, result.year) == ("ingested", 2025 + by)
            homes[by] = settings
        yield homes
    finally:
        if old is None:
            os.environ.pop("HRD_EMBED_CACHE", None)
        else:
            os.environ["HRD_EMBED_CACHE"] = old


def figures(answer, by: int = 0) -> dict:
    """What must not change when the report's years move on, with the years moved on by `by`."""
    lead = answer.answer.split("\n\n", 1)[0]

    def moved(v):
        if isinstance(v, str):
            return shift_years(v, by)
        return v

    return {
        "refused": (answer.refused, answer.refusal_reason),
        "lead figures": non_year_numbers(lead),
        "lead years": [y + by for _, _, y in year_spans(lead)],
        "facts": [(moved(f.label), moved(f.value), f.unit, f.period + by if f.period else f.period, f.role)
                  for f in answer.facts],
    }


@pytest.mark.parametrize("conversation", CONVERSATIONS)
def test_shifted_report_answers_with_the_same_figures(year_homes, conversation):
    from assistant import ask

    for n, question in enumerate(conversation.turns):
        before = ask(question, settings=year_homes[0], session_id=f"{conversation.id}-0")
        after = ask(shift_years(question), settings=year_homes[1], session_id=f"{conversation.id}-1")
        if n == 0:
            assert before.refused == conversation.refused, before.answer
        assert figures(after) == figures(before, by=1), f"{question}\n2025: {before.answer}\n2026: {after.answer}"


def table_rows(settings: Settings, by: int = 0) -> dict[str, list[dict]]:
    """Every parsed row of every table, with its years (columns named *year*, years in text) moved on by `by`."""
    from sqlalchemy import select
    from sqlalchemy.orm import Session

    from knowledge.db import engine_for
    from knowledge.models import CONTENT_MODELS

    def moved(key, v):
        if isinstance(v, str) and key != "phone":  # an extension alone ('2030') has lost the ☎ that tells it from a year
            return shift_years(v, by)
        if "year" in key and isinstance(v, int) and v:
            return v + by
        return v

    out = {}
    with Session(engine_for(settings)) as s:
        for model in CONTENT_MODELS:
            cols = [c.key for c in model.__table__.columns if c.key != "report_id"]
            rows = s.scalars(select(model).order_by(model.id)).all()
            out[model.__tablename__] = [{k: moved(k, getattr(r, k)) for k in cols} for r in rows]
    return out


def test_shifted_report_parses_into_the_same_rows(year_homes):
    """Ingest (knowledge/) names no year: every table's rows are the same with their years moved on."""
    before, after = table_rows(year_homes[0], by=1), table_rows(year_homes[1])
    assert sum(map(len, after.values())) > 300
    assert {r["year"] for r in after["budget_lines"]} == {2026} and {r["year_prev"] for r in after["budget_lines"]} == {2025}
    for table in before:
        assert after[table] == before[table], table
