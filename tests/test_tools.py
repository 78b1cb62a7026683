"""Typed tools: every figure stands on its cited report line; names resolve through the synonym table."""

import json

import pytest

from conftest import figure_on_line

from hrd.errors import AmbiguousNameError, NotFoundError
from hrd.settings import get_settings
from knowledge.ingest import ingest
from knowledge.names import canonical, synonym_groups
from tools import queries as q
from tools.context import ToolContext
from tools.resolve import resolve


@pytest.fixture
def ctx():
    ingest(None, get_settings(), with_index=False)
    return ToolContext(get_settings())


CALLS = [
    (q.get_budget, q.BudgetArgs(name="신입자 과정 운영")),
    (q.get_budget, q.BudgetArgs(name="동영상학습 운영")),
    (q.rank_budget, q.RankArgs(measure="집행률", order="asc", n=5)),
    (q.rank_budget, q.RankArgs(measure="증감액", order="asc", n=3)),
    (q.get_training, q.TrainingArgs(mode="e-러닝", detail=True)),
    (q.get_training, q.TrainingArgs(mode="집합", group="직무역량")),
    (q.get_program, q.ProgramArgs(name="리더십")),
    (q.get_program, q.ProgramArgs(name="본교육")),
    (q.get_exams, q.ExamArgs(topic="임용시험")),
    (q.get_exams, q.ExamArgs(topic="경력채용")),
    (q.get_exams, q.ExamArgs(topic="역량평가")),
    (q.get_audit, q.AuditArgs(kind="건의")),
    (q.get_general, q.OrgArgs(topic="조직")),
    (q.get_general, q.OrgArgs(topic="시설")),
    (q.get_general, q.OrgArgs(topic="장비")),
    (q.get_general, q.OrgArgs(topic="세입")),
    (q.get_general, q.OrgArgs(topic="교육개요")),
    (q.get_general, q.OrgArgs(topic="e-러닝 분야")),
]


@pytest.mark.parametrize("fn, args", CALLS, ids=[f"{f.__name__}-{i}" for i, (f, _) in enumerate(CALLS)])
def test_every_figure_stands_on_its_cited_line(ctx, report_lines, fn, args):
    res = fn(args, ctx)
    assert res.found and res.facts
    for f in res.facts:
        assert f.source == "seoul-hrd-2025-work-report.txt" and f.section and f.unit is not None
        span = report_lines[f.lines[0] - 1 : f.lines[1]]
        if isinstance(f.value, (int, float)):
            assert any(figure_on_line(ln, f.value) for ln in span), (f.label, f.value, f.lines)


def test_findings_ride_with_the_rows_they_touch(ctx):
    res = q.get_budget(q.BudgetArgs(name="동영상학습(e-러닝)운영"), ctx)
    assert any("1,239,866" in f["message"] for f in res.findings)


def test_unknown_names_and_years_are_said_not_guessed(ctx):
    res = q.get_budget(q.BudgetArgs(name="우주항공 교육"), ctx)
    assert not res.found and res.candidates
    res = q.get_budget(q.BudgetArgs(name="신규자과정운영", year=2023), ctx)
    assert not res.found and "2024" in res.note and "2025" in res.note


@pytest.mark.parametrize("group", synonym_groups(), ids=lambda g: g[0])
def test_every_synonym_reads_as_its_canonical_word(group):
    for word in group:
        assert canonical(word) == canonical(group[0]), word


@pytest.mark.parametrize("query, candidates, expected", [
    ("신입자 과정", ["신규자과정운영", "리더십교육과정운영"], "신규자과정운영"),
    ("이러닝 과정개발", ["동영상학습(e-러닝)과정개발", "교육과정개발 및 교육훈련계획 수립"], "동영상학습(e-러닝)과정개발"),
    ("인재원 청사 보수 보강", ["인재원청사보수·보강", "인재원청사유지관리"], "인재원청사보수·보강"),
    ("IT전문교육 운영", ["IT전문교육운영", "재직자교육과정운영"], "IT전문교육운영"),
    ("직장 보육시설", ["직장보육시설운영", "교육생급식지원"], "직장보육시설운영"),
])
def test_name_resolution(query, candidates, expected):
    assert resolve(query, candidates)[0] == expected


def test_ambiguous_and_unknown_names():
    with pytest.raises(AmbiguousNameError) as e:
        resolve("인재원청사", ["인재원청사보수·보강", "인재원청사유지관리"])
    assert set(e.value.candidates) == {"인재원청사보수·보강", "인재원청사유지관리"}
    with pytest.raises(NotFoundError):
        resolve("우주항공", ["인재원청사보수·보강"])


def test_langchain_tools_carry_schemas_and_artifacts(ctx):
    from tools.lc import langchain_tools

    tools = {t.name: t for t in langchain_tools(ctx)}
    assert {"get_budget", "rank_budget", "get_training", "get_audit", "search_documents"} <= set(tools)
    assert "name" in tools["get_budget"].args
    msg = tools["get_budget"].invoke({"type": "tool_call", "id": "1", "name": "get_budget", "args": {"name": "신규자과정운영"}})
    data = json.loads(msg.content)
    assert any(f["value"] == 1116685 for f in data["facts"])
    assert msg.artifact["result"]["facts"]
