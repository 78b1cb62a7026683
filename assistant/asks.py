"""What a question asks of the report's passages, read from its words: of an audit item, its request, what
was done, what is planned or how far it has come; a figure, a reason, a date, a contact."""

from __future__ import annotations

import re

# what a question asks of an audit item: what is planned, what was done, or the request itself
FUTURE_CUES = ("앞으로", "향후", "하겠", "할계획", "할예정", "계획이", "예정")
RESPONSE_CUES = ("조치", "어떻게추진", "추진하고있", "결과", "반영", "어떻게됐", "어떻게되", "처리", "추진상황", "어디까지", "상태")
PAST_CUES = ("했나", "했어", "했는", "됐나", "됐어")  # what was done, when the question names an audit item
REQUEST_CUES = ("요구한", "요구했", "요구내용", "무엇을요구", "뭘요구", "무슨요구", "지적한", "지적했", "지적내용", "건의한", "건의했",
                "건의내용", "뭐라고")
PROGRESS_CUES = ("어디까지", "진행상황", "진척", "어떻게됐", "어떻게되었")  # what came of it: the latest step
RELATION_WORDS = ("관련해서", "관련하여", "관련된", "관련", "대해서", "대해", "대한", "관해서", "관해", "관한")
DATED = re.compile(r"\('?\d{2}\.\s?\d{1,2}\.|\d{4}년\s?\d{1,2}월")
# nouns that name the day of an event ('셰어링포럼 개최일이랑 …'): they ask what '언제' asks
DATE_NOUNS = ("개최일", "시작일", "종료일", "마감일", "시행일", "시험일", "발표일", "접수일", "개강일", "수료일")
DATE_ASKS = ("언제", "며칠", "날짜", "기간", "일시", "일자") + DATE_NOUNS
DAY_DATE = re.compile(r"\d{1,2}\.\s?\d{1,2}\.(?!\d)|\d{1,2}월\s?\d{1,2}일")
FIGURE_ASKS = ("몇", "얼마")
REASON_ASKS = ("왜", "이유", "사유", "원인", "까닭")
REASON_TEXT = re.compile(r"사유|이유|원인|때문|으로 인한|로 인해")
CONTACT_ASKS = ("연락처", "전화", "번호", "누구", "담당", "팀장", "과장", "성함", "이름", "작성자")
CONTACT_LINE = re.compile(r"☎|\d{3,4}-\d{4}|작\s?성\s?자")
# a sentence that announces the list under it ('주요 사유는 다음과 같음'): quoted with its items
ANNOUNCES = re.compile(r"(?:다음|아래)과\s?같|[:：]\s*$")
ITEM_CUES = ("요구", "건의", "지적", "감사")
FUTURE_BLOCK = re.compile(r"향후|계획")
STATUS_BLOCK = re.compile(r"추진상황|처리상황|조치상황")
DONE_BLOCK = re.compile(r"추진상황|추진내용|조치결과|처리결과|추진실적|조치내용")
FUTURE_TEXT = re.compile(r"겠|향후|예정|계획")


def has(q: str, cues) -> bool:
    """Whether the question, spaces ignored, holds one of the cues."""
    c = re.sub(r"\s+", "", q)
    return any(w in c for w in cues)


def ask_of(question: str) -> str:
    """What a question asks of an audit item: 'request' (the request itself), 'future' (what is planned),
    'progress' (how far it has come), 'response' (what was done), 'done' (a past tense only) or ''."""
    if has(question, REQUEST_CUES):
        return "request"
    if has(question, FUTURE_CUES):
        return "future"
    if has(question, PROGRESS_CUES):
        return "progress"
    # a question that names an audit item ('… 요구에 대해 어떤 사례가 발표됐나요?') asks what its response says
    return "response" if has(question, RESPONSE_CUES + ITEM_CUES) else "done" if has(question, PAST_CUES) else ""
