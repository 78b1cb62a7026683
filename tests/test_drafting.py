"""Audit-response drafts (assistant.drafting): for each of the report's twenty audit items, a draft made
from the request text alone finds the item's department, the matching program's figures (checked
against the database) and the item itself among the related past items, with every number grounded.
Also the DOCX round trip (A4, the three parts, the sources) and the input errors."""

from __future__ import annotations

import io
import re

import pytest
from sqlalchemy import select
from test_api import ingested, settings  # noqa: F401  (module fixtures shared with the API tests)

from assistant.grounding import numbers, unsupported
from hrd.errors import InputError, NotFoundError

# the subject(s) a reader would expect each item's draft to draw figures from; None where the report
# holds no program, budget line or table for what the item asks (the draft then says so)
EXPECTED = {
    ("시정·처리요구", 1): {"직장보육시설운영"},
    ("시정·처리요구", 2): {"교육과정개발 및 교육훈련계획 수립"},
    ("시정·처리요구", 3): {"인공지능(AI) 교육 전면 확대"},
    ("시정·처리요구", 4): {"7~9급 신입자 교육과정 운영"},
    ("시정·처리요구", 5): {"7~9급 신입자 교육과정 운영"},
    ("시정·처리요구", 6): {"외국도시 공무원 대상 국제연수 운영"},
    ("시정·처리요구", 7): {"메트로폴리스 국제연수원 정책공유 포럼 개최"},
    ("시정·처리요구", 8): {"외국도시 공무원 대상 국제연수 운영"},
    ("시정·처리요구", 9): {"동영상학습(e-러닝)을 통한 상시학습 활성화"},
    ("건의", 1): {"직급별 리더십 교육과정 운영", "7~9급 신입자 교육과정 운영", "6급 미래인재 양성과정 운영"},
    ("건의", 2): {"7~9급 신입자 교육과정 운영"},
    ("건의", 3): None,
    ("건의", 4): None,
    ("건의", 5): {"메트로폴리스 국제연수원 정책공유 포럼 개최"},
    ("건의", 6): {"외국도시 공무원 대상 국제연수 운영"},
    ("건의", 7): None,
    ("건의", 8): {"창의행정 교육과정 운영"},
    ("건의", 9): {"미래 서울을 이끌어 갈 우수한 신규공무원 채용", "다양한 직무분야에 적합한 경력직공무원 선발"},
    ("기타", 1): {"6급 미래인재 양성과정 운영"},
    ("기타", 2): {"6급 미래인재 양성과정 운영"},
}


@pytest.fixture(scope="module")
def ctx(settings):  # noqa: F811
    from tools.context import ToolContext

    return ToolContext(settings, ensure=False)


@pytest.fixture(scope="module")
def items(ctx):
    from knowledge.models import AuditItem

    with ctx.session() as s:
        rows = s.scalars(select(AuditItem).where(AuditItem.report_id == ctx.report.id).order_by(AuditItem.line_start)).all()
        return [{c.key: getattr(r, c.key) for c in r.__table__.columns} for r in rows]


def db_figures(ctx, name: str) -> list[float]:
    """The database's own budget and execution figures of a program or budget line (not through the tools)."""
    from knowledge.models import BudgetLine, ProgramExecution, ProgramMetric

    with ctx.session() as s:
        rid = ctx.report.id
        execs = s.scalars(select(ProgramExecution).where(ProgramExecution.report_id == rid, ProgramExecution.program == name)).all()
        lines = s.scalars(select(BudgetLine).where(BudgetLine.report_id == rid, BudgetLine.name == name)).all()
        metrics = s.scalars(select(ProgramMetric).where(ProgramMetric.report_id == rid, ProgramMetric.program == name)).all()
        out = [v for e in execs for v in (e.budget, e.committed_rate) if v is not None]
        out += [v for b in lines for v in (b.amount, b.executed, b.execution_rate) if v is not None]
        if not out:
            out = [v for m in metrics for v in (m.people, m.courses, m.sessions) if v is not None]
        return [float(v) for v in out]


def test_every_audit_item_has_an_expectation(items):
    assert {(i["kind"], i["seq"]) for i in items} == set(EXPECTED)


@pytest.mark.parametrize("key", list(EXPECTED), ids=[f"{k}{s}" for k, s in EXPECTED])
def test_draft_from_the_request_alone(ctx, items, key):
    from assistant.drafting import make_draft, to_markdown
    from assistant.drafting.build import evidence_texts

    item = next(i for i in items if (i["kind"], i["seq"]) == key)
    draft = make_draft(ctx, request=item["request"])
    md = to_markdown(draft)
    # the department, from the data
    assert draft.department is not None and draft.department.name == item["department"]
    assert f"담당부서: {item['department']}" in md
    # the item itself among the related past items, with its status
    assert f"{item['kind']}:{item['seq']}" in [r.ref for r in draft.related]
    assert f"{item['kind']} {item['seq']}({item['department']}, {item['status']})" in md
    # the matching program's figures, as the database holds them, in the text
    expected = EXPECTED[key]
    if expected is not None:
        hit = [s.name for s in draft.subjects if s.name in expected]
        assert hit, f"subjects {[s.name for s in draft.subjects]} miss {expected}"
        want = db_figures(ctx, hit[0])
        if not want:  # the report has no figures for it: the draft says so plainly
            assert f"○ 관련 사업 '{hit[0]}'의 수치(계획·실적·예산)는 보고서 표에 없음" in draft.gaps
        stated = set(numbers("\n".join(draft.progress)))
        assert all(any(abs(v - n) < 1e-6 for n in stated) for v in want), (hit[0], want)
    # every fact with its section and lines; every number grounded in the tool results
    assert all(f.section and f.lines for f in draft.facts)
    texts, derived = evidence_texts(draft.figures, draft.related, ctx.report.year)
    assert draft.grounded and unsupported(draft.body_text(), texts, derived) == []
    assert "[확인 불가]" not in md
    # the three parts and the sources, no heading cut with '…', no source line ending mid-phrase
    for part in ("## 추진상황", "## 추진내용", "## 향후계획", "## 출처"):
        assert part in md
    assert "…" not in md
    for line in md.split("## 출처", 1)[1].strip().splitlines():
        assert re.search(r"\d+(~\d+)?행 — .+\(.+\)$", line), line
        assert not re.search(r"[을를이가은는의] \(", line), line


def test_new_request_not_in_the_report(ctx):
    from assistant.drafting import make_draft, to_markdown

    request = "직장어린이집 재원 아동이 계속 줄고 있으니 지역사회 개방 등 운영 대안을 구체적으로 마련하여 보고할 것"
    draft = make_draft(ctx, request=request)
    md = to_markdown(draft)
    assert "직장보육시설운영" in [s.name for s in draft.subjects]
    assert "176,213천원" in md and "100.0%" in md and "[120행]" in md
    assert draft.related[0].ref == "시정·처리요구:1"
    assert draft.status == "검토 중" and draft.grounded
    assert any("(작성 필요)" in p for p in draft.plans)  # no plan invented


def test_a_figure_no_tool_returned_is_removed_and_flagged(ctx):
    from assistant.drafting import make_draft
    from assistant.drafting.build import check_grounding

    draft = make_draft(ctx, request="직장어린이집 운영 대안을 마련할 것")
    draft.progress.append("○ 재원 아동은 37명임")
    check_grounding(draft, ctx.report.year)
    assert not draft.grounded and draft.unsupported == ["37"]
    assert draft.progress[-1] == "○ 재원 아동은 [확인 불가]명임"


def test_item_draft_keeps_the_items_own_response(ctx, items):
    from assistant.drafting import make_draft

    item = next(i for i in items if i["kind"] == "시정·처리요구" and i["seq"] == 5)
    draft = make_draft(ctx, item="시정·처리요구:5")
    assert draft.status == item["status"] and draft.department.name == item["department"]
    assert "시정·처리요구:5" not in [r.ref for r in draft.related]
    assert any("현업 적용도" in f.label and f.value == 76.7 for f in draft.facts)
    assert draft.grounded


@pytest.mark.parametrize("kwargs, error, words", [
    ({"request": "", "item": None}, InputError, ["하나만"]),
    ({"request": "어린이집", "item": "건의:1"}, InputError, ["하나만"]),
    ({"item": "건의-1"}, InputError, ["구분:번호", "기타:2"]),
    ({"item": "건의:99"}, NotFoundError, ["시정·처리요구:1", "기타:2"]),
    ({"request": "어린이집", "status": "완료"}, InputError, ["추진완료", "추진 중", "검토 중", "미반영"]),
    ({"request": "가" * 4001}, InputError, ["4,000자"]),
])
def test_bad_input_is_a_clear_korean_error_naming_what_is_valid(ctx, kwargs, error, words):
    from assistant.drafting import make_draft

    with pytest.raises(error) as e:
        make_draft(ctx, **kwargs)
    assert all(w in str(e.value) for w in words), str(e.value)


def test_error_lists_never_stop_silently():
    from hrd.errors import name_list

    names = [f"항목{i}" for i in range(45)]
    assert name_list(names[:20]).count(",") == 19
    assert name_list(names).endswith("항목29 외 15개")


def test_docx_round_trip_a4_three_parts_and_sources(ctx):
    from docx import Document
    from docx.shared import Mm

    from assistant.drafting import make_draft, to_docx

    draft = make_draft(ctx, request="e-러닝 콘텐츠 만족도를 높일 방안을 마련할 것", status="추진 중")
    doc = Document(io.BytesIO(to_docx(draft)))
    sec = doc.sections[0]
    assert abs(sec.page_width - Mm(210)) < Mm(1) and abs(sec.page_height - Mm(297)) < Mm(1)
    table = doc.tables[0]
    assert [c.text for c in table.rows[0].cells] == ["요구사항", "조치결과 및 향후 추진계획"]
    left, right = table.rows[1].cells
    assert draft.request in left.text and (draft.department.name in left.text)
    for part in ("□ 추진상황 : 추진 중", "□ 추진내용", "□ 향후계획"):
        assert part in right.text
    assert any(f"{f.lines[0]}행" in right.text for f in draft.facts)
    paragraphs = [p.text for p in doc.paragraphs]
    i = paragraphs.index("출처")
    assert len(paragraphs[i + 1:]) == len(draft.sources) and all(re.match(r"\d+\. .+행 — ", p) for p in paragraphs[i + 1:])
    font = doc.styles["Normal"].font.name
    assert font  # the report's font where installed (fonts-nanum under .ci/run)


def test_exam_figures_of_the_programs_own_section(ctx):
    from knowledge.models import Exam

    from assistant.drafting import make_draft, to_markdown

    draft = make_draft(ctx, request="신규공무원 임용시험 응시율이 낮아지고 있으니 원인을 분석하고 응시율 제고 방안을 마련하여 보고할 것")
    with ctx.session() as s:
        rates = [e.attendance_rate for e in s.scalars(select(Exam).where(Exam.report_id == ctx.report.id)).all() if e.attendance_rate]
    assert rates
    md = to_markdown(draft)
    assert all(f"응시율 {r:.1f}%" in md for r in rates)
    assert not any("응시율" in g for g in draft.gaps)  # the data holds it: not reported missing
    texts = [f for f in draft.facts]
    assert len({(f.table, f.key, f.label, tuple(f.lines)) for f in texts}) == len(texts)  # a shared budget line stated once
