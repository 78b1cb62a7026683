"""The language the offline planner reads: intent cues and measure words, as data tables."""

from __future__ import annotations

import re

from .asks import DATE_NOUNS

# intent → cue words (matched on the question with spaces removed)
LAST_PLACE = ("꼴찌", "꼴등")  # the lowest of a ranking, in everyday words
FIRST_PLACE = ("일등", "1등")  # … and the highest
CHANGE_MEASURES = ("증감액", "증감률")  # a budget line's change, as an amount and as a rate

INTENTS: dict[str, tuple[str, ...]] = {
    "budget": ("예산", "집행", "소진", "돈이얼마", "지출", "증감", "천원", "원인행위", "썼", "쓴", "쓸", "사용액", "편성", "돈", "비용", "억", "증액", "감액",
               "깎", "삭감", "증가율", "감소율", "잔액", "미집행", "경비", "운영비", "사업비", "연말까지"),
    "rank": ("가장", "제일", *LAST_PLACE, *FIRST_PLACE, "최고", "최저", "상위", "하위", "순위", "높은", "낮은", "많은", "re:(?<![실면누목지])적은", "큰", "작은", "top", "몇위", "최대", "최소", "re:\\d위", "두번째", "순으로"),
    "training": ("참여율", "만족도", "과정수는", "과정수가", "교육인원", "수강인원", "교육실적", "교육운영현황", "계획대비", "이러닝", "e-러닝", "동영상", "집합교육",
                 "핵심가치", "인문소양", "신규임용", "직무역량", "리더십역량", "기본역량", "공공역량", "자격증", "외국어", "u-지식", "지식여행"),
    "program": ("기수", "수료", "교육규모", "추진실적", "과정운영", "리더십과정", "1기", "2기", "6기", "사전교육", "본교육", "미래반", "인재반",
                "정년퇴직", "인생디자인", "창의행정", "공감마당", "교육통합시스템"),
    "exam": ("시험", "접수", "경쟁률", "응시", "선발", "합격", "면접", "필기", "인성검사", "채용규모", "직류", "공채"),
    "career": ("경력", "임기제", "전문경력관", "중증장애인", "분야", "시간선택제"),
    "assessment": ("역량평가", "이해과정", "승진후보자", "평가역량", "평가기법"),
    "audit": ("감사", "행감", "시정", "건의", "요구사항", "조치", "추진상황", "처리결과", "지적"),
    "org": ("조직", "정원", "현원", "팀이", "몇팀", "부서", "주요업무", "업무분장", "몇과몇", "과가몇", "re:(몇개|어느|무슨)과(?![정목제장])", "소관"),
    "facility": ("부지", "건물", "층수", "몇층", "지상층", "지하층", "지상은", "지하는", "지상에", "지하에", "지하로", "면적", "㎡", "평수", "몇평", "시설규모", "교육시설", "연면적"),
    # (not a bare "지하": "… 언제까지 하나요" holds it across a word boundary once spaces are gone; the buildings
    # by name come from the data: question_rules' intent.facility_named)
    "equipment": ("장비", "프로젝터", "카메라", "앰프", "전자교탁", "스피커", "마이크", "노트북", "노후도", "내구연한"),
    "revenue": ("세입", "세외수입", "세출예산"),
    "intl": ("국제연수", "외국공무원", "외국도시"),
    "contact": ("담당자", "누구한테문의", "어디로문의", "누구에게문의", "문의처", "담당팀장", "담당과장", "담당부서", "연락처", "전화", "작성자", "책임자", "누가담당", "팀장은누구", "과장은누구", "담당은누구"),
    "strategy": ("추진전략", "전략", "중점추진과제", "중점과제", "추진과제", "정책목표", "비전", "과제들", "어떤과제"),
    "findings": ("불일치", "맞지않", "다른수치", "오류", "틀린", "차이가나", "모순"),
}

# measure words → budget measures (first match wins per cue; several measures may be asked)
BUDGET_MEASURES: list[tuple[tuple[str, ...], tuple[str, ...]]] = [
    (("연말", "년말", "집행예상", "예상액", "예상집행", "집행전망"), ("연말 집행예상액", "연말 예상 집행률")),
    (("지출액", "지출률", "지출"), ("지출액", "지출 집행률")),
    (("집행률", "소진율", "집행비율", "집행실적"), ("집행률",)),
    (("집행액", "원인행위액", "원인행위금액", "얼마나썼", "얼마썼", "사용액", "쓴돈", "썼", "집행한", "집행금액", "집행됐", "집행되었", "집행했", "집행된", "집행현황", "집행상황", "집행내역", "집행실태"), ("집행액", "집행률")),
    (("증가율", "감소율", "증감률", "증감율"), ("증감률", "증감액", "전년 예산현액", "예산현액")),
    (("증감", "늘었", "줄었", "감소", "증가", "늘어", "줄어", "작년보다", "전년보다", "전년대비", "작년대비", "변동", "증액", "감액", "깎", "삭감"), ("증감액", "증감률", "전년 예산현액", "예산현액")),
    (("예산현액", "예산액", "예산", "편성"), ("예산현액",)),
]

# a percent asked with no rate named ('몇 % 썼어요?') is the execution rate; beside a rate named it is that one's
PERCENT_ASKED = ("몇%", "몇퍼센트", "몇프로")
BUDGET_RATES = ("집행률", "지출 집행률", "연말 예상 집행률", "증감률")

TRAINING_MEASURES: list[tuple[tuple[str, ...], tuple[str, ...]]] = [
    (("참여율", "이수율", "달성률"), ("참여율",)),
    (("만족도", "만족"), ("만족도",)),
    (("횟수", "몇회", "회차", "몇번", "몇차례"), ("횟수",)),
    # '과정수' as a word, not the start of '과정 수료' (compact text has no spaces)
    (("과정수는", "과정수가", "과정수를", "과정수와", "과정수랑", "과정수도", "과정수?", "과정수알", "과정수및",
      "몇개과정", "과정은몇", "과정이몇", "몇과정"), ("과정수",)),
    (("인원", "몇명", "명이", "수강", "교육생", "참여자", "학습자"), ("인원",)),
]

# a count of people named by what they did ('시험 본 사람' is 응시인원, '몇 명 뽑았' 선발인원): measure stem → verb forms
DOER_VERBS: dict[str, tuple[str, ...]] = {
    "응시": ("시험본", "시험을본", "시험친", "시험을친", "시험보러", "실제로본", "응시한", "응시했"),
    "접수": ("지원한", "지원했", "원서낸", "원서를낸", "접수한", "접수했"),
    "선발": ("뽑은", "뽑았", "뽑힌", "뽑혔", "선발한", "선발했", "최종합격"),
}

# nouns that end in 명 (a name, not people): '행사명이' is no '명이' of a count
NAME_NOUNS = ("행사명", "과정명", "사업명", "과제명", "기관명", "교과명", "분야명", "직류명", "시험명", "성명", "명칭", "명단", "지명")


def training_measures_named(q: str, rows: int = 0) -> list[str]:
    """The training measures the question (without spaces) names, from `TRAINING_MEASURES[rows:]`."""
    for w in NAME_NOUNS:
        q = q.replace(w, "|")
    out = []
    for cues, ms in TRAINING_MEASURES[rows:]:
        hit = [c for c in cues if c in q]
        if hit and all(c in PEOPLE_NOUNS for c in hit) and not any(w in q for w in COUNT_WORDS):
            continue  # '시 교육생이랑 자치구 교육생 내용이 어떻게 달라요': the people are the subject, not a count asked
        if hit:
            out += ms
    return out


# nouns for the people trained: a count of them (인원) only where a count is asked ('교육생은 몇 명', '교육생 규모')
PEOPLE_NOUNS = ("수강", "교육생", "참여자", "학습자")
COUNT_WORDS = ("몇", "얼마", "규모", "인원", "수는", "수가", "수를", "합계", "합치", "총", "비율", "비중", "%", "퍼센트", "율")


# named refusal rules: (rule name, pattern on the question as typed, reason); the first listed wins
REFUSE_PATTERNS: list[tuple[str, str, str]] = [
    ("refuse.sql_statement", r"(?i)\b(drop|delete|update|insert|alter|truncate|create)\b\s+(table|from|into|database|index)?", "unsafe_request"),
    ("refuse.sql_select", r"(?i)select\s+.+\s+from\s+", "unsafe_request"),
    ("refuse.sql_injection", r"(?i)(;\s*--|'\s*or\s*'?1'?\s*=\s*'?1|\b(or|and)\s+\d+\s*=\s*\d+|union\s+select|--\s*$)", "unsafe_request"),
    ("refuse.ignore_instructions", r"(?i)(ignore|disregard)\s+(all\s+|the\s+)?(previous|prior|above)", "unsafe_request"),
    ("refuse.ignore_instructions_ko", r"((이전|위의?|앞의?|기존|지금까지의?|처음|초기)\s*(지시|지침|명령|규칙|프롬프트)[^.?!]*?(무시|잊)|(규칙|지시|지침)[은는을를]?\s*(무시|잊어)|(초기|원래|숨겨진)\s*(지시문|프롬프트))", "unsafe_request"),
    ("refuse.system_prompt", r"(시스템\s*프롬프트|system\s*prompt|개발자\s*모드|탈옥|jailbreak)", "unsafe_request"),
    ("refuse.fabricate", r"(지어내|지어서|날조|조작해|꾸며\s*내|꾸며서|거짓으로|없는\s*내용을?\s*(만들|지어|써))", "unsafe_request"),
    ("refuse.change_data", r"(삭제|수정|변경|바꿔|바꾸어|고쳐|지워|추가해|입력해|업데이트|덮어)\s*(줘|주세요|주십시오|해|하라|해라|하세요|봐)", "unsafe_request"),
    # writing a figure the user supplies into an answer or a document: '…을 2,000,000천원으로 적어 주세요', '…로 바꿔서 다시 작성해 주세요'
    ("refuse.write_figure", r"(으로|로)\s*(바꿔|바꾸어|고쳐|수정|변경|적어|써|기재|표기|기록|올려|높여|낮춰|늘려|줄여)[^?？.]{0,14}?(주세요|줘|줄\s*수|주십시오|주시|주실|달라|하라|해라|하시오|하세요)", "unsafe_request"),
    ("refuse.personal_data", r"(주민\s*등록\s*번호|주민번호|집\s*주소|자택|휴대\s*(폰|전화)\s*번호|개인\s*연락처|연봉|월급|급여|재산(?!\s*(임대|수입|관리|매각))|병력|명단을?\s*개인별|가족관계|나이가|몇\s*살)", "personal_data"),
    # an exam's questions or answers ahead of it: not public, and not in the report
    ("refuse.exam_content", r"(시험|필기|면접)?\s*(문제|문항|정답|답안|기출)[을를이가랑와과도]?\s*(좀\s*)?(미리|사전에|먼저|유출|빼돌)"
                            r"|(출제\s*(문제|문항|예정))|(문제|정답|답안)[^?？]{0,10}(미리|사전에)\s*(알|보|받|줄|주)", "confidential"),
    # the assistant's own opinion or judgement: the report holds facts, not the assistant's views
    ("refuse.opinion", r"(개인\s*적?인?\s*(의견|생각|견해)|(당신|너|네|AI)[의는가]?\s*(의견|생각|견해|판단)|어떻게\s*생각(해|하세요|하십니까|하시나요|하나요)"
                       r"|[다라]고\s*생각(해요|하세요|하십니까|하시나요|하나요|하니)|솔직(히|하게)\s*(말해|평가|얘기|이야기)"
                       r"|솔직(한|히|하게)\s*(의견|생각|견해|판단)|의견\s*(좀\s*)?(부탁|주세요|줘|말씀해)"
                       r"|[다라]고\s*(보세요|보십니까|보시나요|보시는지|보나요|봐요\?)"
                       r"|(잘하는|잘한|잘했던|나은|좋은|적절한|타당한|바람직한)\s*(것|거)\s*같(아요|나요|습니까|니|아\?))", "opinion"),
    # a forecast by its words; a year two or more after the report's is rule refuse.forecast_year (from the data)
    ("refuse.forecast", r"(내년|향후\s*\d+\s*년|예측|전망|될까|될\s*것\s*같|예상해\s*줘|예상하십니까|예상하시나요|예상되나요|점쳐)", "forecast"),
]

FOLLOWUP_PREFIX = re.compile(r"^\s*(그럼|그러면|그렇다면|그중|그 중|그건|그것은|그거|거기서|또|그리고|그럼요|그러면요|그 다음|반대로"
                             r"|(그|이|해당|위|앞의|방금\s*말한|말씀하신)\s*(사업|과정|교육|항목|건|프로그램|시험|예산|부서|팀|곳|표|수치))")

# nouns of the question language itself (what is asked, not what about): never a sign that the report lacks a topic
QUESTION_NOUNS = {*LAST_PLACE, *FIRST_PLACE} | set("""
질문 답변 내용 현황 규모 금액 인원 비율 사업 올해 작년 전년 금년 현재 최근 전체 합계 차이 비교 순위 사항 관련 정도 설명 얼마 이유 사유
방법 결과 계획 실적 예산 기준 부분 경우 자료 보고서 의원 위원 문의 요청 확인 말씀 수치 숫자 개수 정리 요약 목록 리스트 각각 총액 대비 어디
언제 무엇 누구 건수 명수 퍼센트 프로 포인트 점수 평균 변화 추이 상황 정보 데이터 부탁 해당 기관 우리 여기 거기 그것 이것 전부 모두 다음
이번 지난 당시 소관 구체 세부 항목 종류 분야별 과정별 급별 연도별 연도 년도 수준 여부 가지 지적 상태 참가자 참석자 참석 참여자 결론 소진
증액 감액 연말 년말 페이지 저조 격차 차지 비중 날짜 일자 일정 발표일 시작일 종료일 응시자 사람 회차 층수 일치 불일치 무료 유료 원칙 보유 수량
대수 품목 연락처 전화번호 번호 이름 성함 계산 제일 그중 직원 최고 최저 달성률 합산 총합 순서 상위 하위 절반 이상 이하 미만 초과 증감 정원
분기 상반기 하반기 월별 기간 장소 시기 배경 취지 근거 효과 성과 문제 개선 대책 조치 진행 완료 추진 상황 현안 답 요점 핵심 설명서 표 행
사본 출처 근거자료 전망 예상 예측
입장 지금 지금까지 그동안 요즘 활동 노력 생각 의견 견해 방침 입장문 관점 측면 쪽 편 당초 원래 처음 나중 앞 뒤 이후 이전 향후 앞으로
며칠 몇일 가운데 동안 사이 이후 이전 무렵 기능 역할 구성 내역 명세 근황 진척 경과 차이점 공통점 특징 장점 단점 문제점 개선점
정렬 나열 부진 미흡 분장 차례 나라 내선번호 내선 액수 번째 경채 공채 행감
기억 배분 출신 정식 공식 명칭 제목 타이틀 앞쪽 뒤쪽 강좌 강의 지난해 이듬해 원래 본래 당초 애초 처음 본문 일정표 각주 부록 첨부 도표 시사점 의미 취지 배경 요지 골자 개요 개괄 전반 통계 건별 항목별 부서별 기관별 대상별 분기별 전체적 수준별 비교표 잔액 미집행 집행분 사용 사용액 규모별 전년도 작년도 금년도 당해 당해연도 연간 누적 실제 예정 목표 달성
""".split())

# figures named by a word the report never uses, computed from two it does: (cues, minuend, subtrahend, name)
DERIVED_MEASURES: list[tuple[tuple[str, ...], str, str, str]] = [
    (("안본", "안 본", "결시", "미응시", "응시하지않", "응시안", "시험을안", "안온", "안왔", "오지않", "안나온", "안나왔", "나오지않"), "접수인원", "응시인원", "결시 인원(접수 − 응시)"),
    (("미수료", "수료하지못", "수료못"), "계획 인원", "수료 인원", "미수료 인원(계획 − 수료)"),
    (("안지난", "지나지않", "미경과", "남아있는장비", "경과하지않"), "보유 수량", "내구연한 경과 수량", "내구연한이 남은 수량(보유 − 경과)"),
]

# rates the report states per row, as the ratio of two figures of the same row: (cues, numerator measure,
# denominator measure, name). Over several rows such a rate is Σ numerator ÷ Σ denominator, never a sum
# nor a mean of the rows' rates ('세 분야 합치면 참여율은?', '두 사업 합치면 집행률은?').
STORED_RATES: list[tuple[tuple[str, ...], str, str, str]] = [
    (("지출액기준집행률", "지출집행률", "지출률", "지출액기준"), r"^집행액\(지출액\)$|^지출액$", r"예산현액$", "집행률(지출액 기준)"),
    (("집행률", "집행율", "소진율"), r"^집행액(\(원인행위( 기준)?\))?$", r"예산현액$", "집행률"),
    (("참여율", "참여률", "달성률", "이수율"), r"^실적 인원$", r"^계획 인원$", "참여율"),
    (("응시율",), r"^응시인원$", r"^접수인원$", "응시율"),
]

# question words → the labels the report states that attribute under ('어디서 했어요?' ← '- 장소: …')
ATTRIBUTE_ASKS: dict[str, tuple[str, ...]] = {
    "어디": ("장소", "위치", "소재지"),
    "언제": ("일시", "기간", "일자", "시기", "일정"),
    "며칠": ("일시", "기간", "일자"),
    "누구": ("대상", "주관", "강사", "성명", "직책"),
    "누가": ("대상", "주관", "강사", "성명", "직책"),
    "어떤 사람": ("대상",),  # '어떤 사람이 들을 수 있나요'
    "어떤 분": ("대상",),
}
# a day of an event named (asks.DATE_NOUNS: '개최일', '시험일') asks what '언제' asks
ATTRIBUTE_ASKS.update({w: ATTRIBUTE_ASKS["언제"] for w in DATE_NOUNS})

# a question about what something is made of: every row of the table it is in, not just the row it names
COMPOSITION_CUES = ("구성", "나뉘", "나눠", "나누", "내역", "항목별", "세부", "분류", "이루어", "어떤항목", "무엇무엇", "뭐뭐",
                    "과정별", "분야별", "기수별", "유형별", "각각")

# ratios the report never states, of two figures of one row it does: (cues, numerator, denominator, name)
DERIVED_RATIOS: list[tuple[tuple[str, ...], str, str, str]] = [
    (("노후도", "노후율", "노후비율", "노후화율", "노후화비율", "노후된비율"), "내구연한 경과", "보유", "노후도(내구연한 경과 ÷ 보유)"),
    (("결시율", "미응시율", "결시비율"), "접수인원 − 응시인원", "접수인원", "결시율((접수 − 응시) ÷ 접수)"),
]
