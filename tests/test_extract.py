"""Which sentence of the retrieved passages answers a prose question (assistant.extract).

Each row of a table is (question, passages, what the first chosen sentence must be). Passages are the
report's real chunks (knowledge.index.chunks), found by a phrase they hold and ranked in the order given,
so a row can put the misleading passage first; a few rows use small fixtures for shapes the report has
(captions, table header rows, labelled lines)."""

from __future__ import annotations

from pathlib import Path

import pytest

from assistant.extract import extract_sentences, ask_of
from assistant.sentences import sentences_of
from knowledge.index.chunks import make_chunks
from knowledge.parse.document import Document
from knowledge.parse.sections import parse_sections
from tools.base import Passage

REPORT = Path(__file__).resolve().parents[1] / "knowledge" / "sources" / "seoul-hrd-2025-work-report.txt"


@pytest.fixture(scope="module")
def chunks():
    doc = Document.from_path(REPORT)
    return make_chunks(doc, parse_sections(doc))


def real(chunks, *wanted: tuple[str, str]) -> list[Passage]:
    """Passages, in the given rank order, each the chunk of the given kind that holds the given phrase."""
    out = []
    for kind, phrase in wanted:
        c = next(c for c in chunks if c.kind == kind and phrase in c.text)
        out.append(Passage(rank=len(out) + 1, score=1.0, section=c.section, source=c.source, lines=list(c.lines),
                           text=c.text, kind=c.kind))
    return out


def fixture(text: str, section: str = "Ⅲ > 교육 > 사업개요", kind: str = "program", start: int = 100) -> Passage:
    n = text.count("\n")
    return Passage(rank=1, score=1.0, section=section, source="t.txt", lines=[start, start + n], text=text, kind=kind)


def first(question: str, passages, **kw) -> tuple[str, Passage]:
    out = extract_sentences(question, passages, **kw)
    assert out, "nothing chosen"
    return out[0][0], out[0][1]


AI_REQUEST = ("audit-request", "AI 교육과정 전반의 재구조화")
AI_RESPONSE = ("audit-response", "「미래반」 신설")
DROPOUT_REQUEST = ("audit-request", "중도 퇴교자의 퇴교사유")
DROPOUT_RESPONSE = ("audit-response", "미수료 및 퇴교자 발생을 최소화")
SCHOLARSHIP_REQUEST = ("audit-request", "장학재단이 함께 협업")
SCHOLARSHIP_RESPONSE = ("audit-response", "실무자회의")
SIXTH_RESULT = ("program", "정책연구")
AI_MANDATORY_AUDIT = ("audit-response", "무교청사 3층")
AI_MANDATORY_WORK = ("program", "인력개발과 주관")
FORUM_OUTLINE = ("program", "셰어링포럼")
FORUM_PURPOSE = ("program", "창립 40주년 기념 서울 총회를 통해")


# (question, passages by (kind, phrase), keyword arguments, what the first sentence holds, what it must not hold)
REAL_CASES = [
    # what was done about a request: the response's status and first item, never the request restated
    ("AI 교육과정 재구조화 요구에 대한 조치결과는?", [AI_REQUEST, AI_RESPONSE], {}, ["추진완료", "미래반"], ["검토가 필요함"]),
    ("AI 교육과정을 재구조화하라는 요구는 어떻게 반영됐나요?", [AI_REQUEST, AI_RESPONSE], {}, ["미래반"], ["필요함"]),
    # what is planned: the 향후계획 block, with its sub-items
    ("중도 퇴교·미수료 줄이려고 앞으로 뭘 하겠다는 건가요?", [DROPOUT_REQUEST, DROPOUT_RESPONSE], {"limit": 8, "siblings": True},
     ["최소화하겠음", "대체교육"], ["필요함"]),
    # how far it has come: the dated step
    ("장학재단과 협업하는 건은 어디까지 진행됐어요?", [SCHOLARSHIP_REQUEST, SCHOLARSHIP_RESPONSE], {}, ["'25.3."], ["협업해 줄 것"]),
    # when, asked as a span of days: the labelled line that gives the days, not a '부터' of the text
    ("본청 전 직원 생성형 AI 교육은 언제부터 언제까지였어요?", [AI_MANDATORY_WORK, AI_MANDATORY_AUDIT], {}, ["2. 10.", "11. 30."], ["기초부터"]),
    ("전 직원 대상 생성형 AI 활용 교육은 어디서, 언제부터 언제까지 하나요?", [AI_MANDATORY_WORK, AI_MANDATORY_AUDIT], {},
     ["2. 10.", "무교청사"], []),  # where and a span of days: the labelled line that gives both, to the day
    # the work's own section before the audit's restatement of it, where both hold the question's words
    ("생성형 AI 교육 장소랑 주관 부서 알려주세요", [AI_MANDATORY_AUDIT, AI_MANDATORY_WORK], {}, ["인력개발과 주관"], []),
    # where, asked of a topic whose outline labels it: the '장소' line under the heading that names the topic,
    # not the purpose sentence that repeats the topic's words
    ("메트로폴리스 40주년 서울 총회는 어디서 열렸나요?", [FORUM_OUTLINE, FORUM_PURPOSE], {}, ["코엑스"], ["협력체계"]),
    ("셰어링포럼은 어디서 했어요?", [FORUM_PURPOSE, FORUM_OUTLINE], {}, ["아트홀 1관"], []),
    # a day of an event named as a noun ('개최일') asks what '언제' asks
    ("셰어링포럼 개최일은요?", [FORUM_PURPOSE, FORUM_OUTLINE], {}, ["9. 30."], []),
    # counter-example: a topic no line of the passage holds does not make its '장소' line the answer
    ("노후 교육장비는 어디서 교체했나요?", [FORUM_OUTLINE, ("program", "내구연한")], {}, [], ["아트홀"]),
    # counter-example: the request itself asked for
    ("AI 교육과정 재구조화와 관련해 의회가 무엇을 요구했나요?", [AI_RESPONSE, AI_REQUEST], {}, ["재구조화 검토가 필요함"], []),
]


@pytest.mark.parametrize("question,wanted,kw,holds,lacks", REAL_CASES, ids=[c[0] for c in REAL_CASES])
def test_real_passages(chunks, question, wanted, kw, holds, lacks):
    text, _ = first(question, real(chunks, *wanted), **kw)
    for h in holds:
        assert h in text, text
    for x in lacks:
        assert x not in text, text


def test_a_past_tense_question_about_a_program_is_not_taken_for_an_audit_item_that_mentions_it(chunks):
    out = extract_sentences("6급 장기교육 정책연구 주제는 무엇으로 했나요?", real(chunks, AI_RESPONSE, SIXTH_RESULT))
    assert out[0][1].kind == "program"
    assert any("정책연구" in t for t, _, _ in out[:2])


def test_the_status_line_leads_only_when_the_status_is_asked(chunks):
    passages = real(chunks, AI_REQUEST, AI_RESPONSE)
    asked, _ = first("AI 교육과정 재구조화 요구의 추진상황은?", passages)
    done, _ = first("AI 교육과정 재구조화로 미래반은 어떻게 신설했어요?", passages)
    assert asked.startswith("추진상황")
    assert not done.startswith("추진상황") and "미래반" in done


def test_a_request_is_never_quoted_first_when_its_response_is_retrieved(chunks):
    for question in ("AI 교육과정 재구조화 요구는 어떻게 처리됐어요?", "AI 교육과정 재구조화 지적의 추진상황은?"):
        out = extract_sentences(question, real(chunks, AI_REQUEST, AI_RESPONSE), limit=8)
        assert out[0][1].kind == "audit-response", out[0][0]
        assert all(p.kind != "audit-request" for _, p, _ in out), [t for t, p, _ in out if p.kind == "audit-request"]


def test_no_sentence_is_quoted_twice_alone_or_as_a_continuation(chunks):
    passages = real(chunks, AI_REQUEST, AI_RESPONSE)
    out = " ".join(t for t, _, _ in extract_sentences("AI 교육과정 재구조화 요구에 대한 조치결과는?", passages, limit=8))
    twice = [s.text for s in sentences_of(passages) if len(s.text) > 12 and out.count(s.text) > 1]
    assert twice == []


def test_the_response_is_found_when_it_ranked_below_the_first_four(chunks):
    others = real(chunks, ("program", "정책연구"), ("program", "셰어링포럼"), ("program", "동창생 성과사례"))
    request, response = real(chunks, AI_REQUEST, AI_RESPONSE)
    passages = [request, *others, response]
    for i, p in enumerate(passages):
        p.rank = i + 1
    text, p = first("AI 교육과정 재구조화 요구에 대한 조치결과는?", passages)
    assert p.kind == "audit-response" and "추진완료" in text


FIXTURE_CASES = [
    # a caption and a header row lose to the sentence that says something
    ("e-러닝 신규 콘텐츠 현황은 어떤가요?",
     "< 2025 e-러닝 신규 콘텐츠 현황 >\n구 분 | 계 | 신규 개설 | 수정·교체\n○ 2025년 e-러닝 신규 콘텐츠는 총 139개 과정으로 31.5%임",
     "139개 과정"),
    # '언제' is answered by the report's 일시 line, not by the photo caption that names the event
    ("셰어링포럼은 언제 열렸나요?",
     "【셰어링포럼 기념사진】\n○ 메트로폴리스 셰어링포럼 개최\n- 일시: '25. 9. 30.(화) 14:00~17:00\n- 장소: 동대문디자인플라자",
     "일시"),
    ("셰어링포럼은 어디서 했어요?",
     "【셰어링포럼 기념사진】\n○ 메트로폴리스 셰어링포럼 개최\n- 일시: '25. 9. 30.(화) 14:00~17:00\n- 장소: 동대문디자인플라자",
     "동대문디자인플라자"),
    # a sentence that announces a list is quoted with the list
    ("퇴교자는 왜 그만뒀어요?",
     "○ 최근 5년간 퇴교자는 16명임\n○ 주요 퇴교 사유는 다음과 같음\n- 퇴 교 : 임용포기 등으로 인한 퇴교(14명)\n- 기타(2명)",
     "임용포기"),
    # an item that ends in ':' is quoted with the unmarked lines under it
    ("경력채용 면접은 어떤 방식으로 진행되나요?",
     "- 방 법 : 1차 서류전형, 2차 면접시험\n- 면접방법 :\n직무과제보고서 작성 (30분) | →\n집 단 토 론 (40분) | →\n개 별 심 층 면 접 (30분 내외)",
     "40분"),
    # '몇 시간' is answered by the line that gives the hours, not by the one that names the subject
    ("봉사활동은 몇 시간이에요?",
     "○ 현충원 참배, 나눔과 봉사활동 등 체험형 교육 실시\n- (임용후) 현충원 참배(4h), 나눔과 봉사활동(7h) 등",
     "7h"),
    # an author's contact line answers no question about the work it signs
    ("경력채용 절차를 순서대로 알려주세요.",
     "작 성 자 | 인재채용과장: 이정옥 3488-2301 | 경력채용팀장: 장광섭 ☎2340\n○ 채용 절차 : 서류전형 → 면접시험 → 합격자 발표",
     "서류전형"),
    # a label that only repeats the question's topic is not an attribute asked for
    ("퇴직자 교육에서 앞으로 무엇을 하겠다는 건가요?",
     "□ 추진실적\n- 퇴직자 : 교육 인원 961명\n□ 향후계획\n○ 현장 체험 프로그램을 확대하여 만족도를 높이겠음",
     "확대하여"),
]


def test_a_list_asked_for_as_a_list_brings_the_other_items_of_its_block():
    p = fixture("□ 추진실적\n- 청사 기계설비 보수 추진\n- 냉각수 순환펌프 교체('25.8월)\n- 소방펌프 교체('25.9월)\n□ 향후계획\n- 조명 교체 예정")
    texts = [t for t, _, _ in extract_sentences("청사 기계설비 보수 뭐 했는지 월별로 알려주세요.", [p], limit=8, siblings=True)]
    assert any("냉각수" in t for t in texts[:3]) and any("소방펌프" in t for t in texts[:3]), texts
    assert not any("조명" in t for t in texts[:3]), texts


def test_a_short_item_reads_on_into_its_next_sentence_but_never_into_a_caption_or_table_row():
    p = fixture("○ 콘텐츠 개선 현황\n< 2025 콘텐츠 현황 >\n구 분 | 계 | 신규\n○ 만족도 조사 방법을 대폭 개선함")
    texts = [t for t, _, _ in extract_sentences("콘텐츠 개선 현황은 어떤가요?", [p])]
    assert texts[0] == "콘텐츠 개선 현황"
    assert not any("|" in t or t.startswith("<") for t in texts[:1])


@pytest.mark.parametrize("question,text,holds", FIXTURE_CASES, ids=[c[0] for c in FIXTURE_CASES])
def test_fixture_passages(question, text, holds):
    chosen, _ = first(question, [fixture(text)])
    assert holds in chosen, chosen
    assert not chosen.startswith(("<", "【", "구 분")), chosen


def test_sentences_know_their_block_and_depth():
    p = fixture("□ 추진상황 : 추진완료\n□ 추진내용\n○ 첫째 항목을 추진하였음\n- 세부 내용 하나입니다\n※ 참고 사항을 적어 둠\n□ 향후계획\n○ 앞으로 더 확대하겠음",
                kind="audit-response")
    got = [(s.text, s.block, s.depth, s.heading) for s in sentences_of([p])]
    assert got == [
        ("추진상황 : 추진완료", "추진상황", 0, True),
        ("첫째 항목을 추진하였음", "추진내용", 1, False),
        ("세부 내용 하나입니다", "추진내용", 2, False),
        ("참고 사항을 적어 둠", "추진내용", 3, False),
        ("앞으로 더 확대하겠음", "향후계획", 1, False),
    ]


def test_a_note_at_the_end_of_a_line_heads_nothing_and_a_title_caption_heads_the_lines_under_it():
    p = fixture("< 서울 총회 >\n- 기간/장소 : 9.29.~10.1. / 코엑스 ※ 정책관 주관\n- 주제/대상 : 대도시의 미래 / 약 300명\n※ 참고 사항\n- 참고 내용을 적어 둠")
    got = [(s.text, s.block) for s in sentences_of([p])]
    assert ("주제/대상 : 대도시의 미래 / 약 300명", "서울총회") in got
    assert ("정책관 주관", "서울총회") in got
    assert ("참고 내용을 적어 둠", "※참고사항") in got  # a note on a line of its own still heads what follows


def test_the_heading_a_line_stands_under_says_what_its_figures_are_of():
    p = fixture("< 청렴 의무교육 추진 >\n■ 교육실적 : 공무원 8,103명 완료\n< 보안 특별교육 추진 >\n■ 교육실적 : 공무원 5,000명 완료")
    assert "5,000명" in first("보안 특별교육은 얼마나 했어요?", [p])[0]
    assert "8,103명" in first("청렴 의무교육은 얼마나 했어요?", [p])[0]


def test_a_heading_written_over_several_lines_is_one_block_and_a_question_naming_it_gets_its_items(chunks):
    strategies = real(chunks, ("general", "중점 추진과제"))
    blocks = {s.block for s in sentences_of(strategies)}
    assert "미래지향적공무원역량강화" in blocks
    texts = [t for t, _, _ in extract_sentences("미래 지향적 공무원 역량강화 분야에는 어떤 과제가 있습니까?", strategies)]
    assert any("인공지능" in t for t in texts[:3]) and any("창의행정" in t for t in texts[:3]), texts
    assert not any("필수역량" in t or "신입자" in t for t in texts[:3]), texts


def test_a_generic_block_name_in_the_question_does_not_pull_every_block_of_that_name():
    exam = fixture("□ 추진실적\n- 임용시험 1,685명 선발 완료", section="Ⅲ > 시험관리 > 추진실적", start=800)
    newcomer = fixture("□ 추진실적 : 사전교육(1회 280명 수료), 본교육(6회 1,876명 수료)", section="Ⅲ > 신입자 교육 > 추진실적")
    text, _ = first("신입자 교육 추진실적, 수료 인원 알려주세요.", [exam, newcomer])
    assert "수료" in text, text


@pytest.mark.parametrize("question,ask", [
    ("AI 교육 재구조화 요구에 대한 조치결과는?", "response"),
    ("중도 퇴교 줄이려고 앞으로 뭘 하겠다는 건가요?", "future"),
    ("장학재단 협업은 어디까지 왔나요?", "progress"),
    ("유럽 분원 설립 건의는 어떻게 됐어요?", "progress"),
    ("의회가 무엇을 요구했나요?", "request"),
    ("신입자 교육은 어떤 식으로 했어요?", "done"),
    ("신입자 교육 규모는?", ""),
])
def test_what_a_question_asks_of_an_audit_item(question, ask):
    assert ask_of(question) == ask
