"""The rules that read a question, by slot: refusal, intent, operation, period, prose and follow-up.

Every rule is named; its examples and counter-examples are in `assistant/reading_corpus.py`. The cue words
come from `lexicon`; years come from the data (`names["report_year"]`, `names["years"]`), never from code.
"""

from __future__ import annotations

import re

from functools import lru_cache

from knowledge.index.kiwi import analyse as kiwi_analyse
from knowledge.names import compact

from .extract import LIST_CUES
from .lexicon import COMPOSITION_CUES, DERIVED_MEASURES, FIRST_PLACE, FOLLOWUP_PREFIX, INTENTS, LAST_PLACE, QUESTION_NOUNS, REFUSE_PATTERNS
from .rules import Rule, Text, fold, has

# ---------------------------------------------------------------- years, from the data


def report_year(t: Text) -> int | None:
    years = t.names.get("report_year") or []
    return int(years[0]) if years else None


def previous_year(t: Text) -> int | None:
    """The budget year before the report's own (the earlier of the two its tables hold)."""
    ry = report_year(t)
    earlier = [int(y) for y in t.names.get("years") or [] if ry and int(y) < ry]
    return max(earlier) if earlier else (ry - 1 if ry else None)


YEAR = re.compile(r"(?<![\d,.])(20\d{2})(?![\d,])\s*년?|'(\d{2})\s*년")


def years_named(text: str) -> list[int]:
    """The years a question names: '2024년', '2024', "'24년"."""
    return [int(a) if a else 2000 + int(b) for a, b in YEAR.findall(text)]


def _names_year(text: str, year: int | None) -> bool:
    return year is not None and (year in years_named(text) or bool(re.search(rf"'{str(year)[2:]}(?!\d)", text)))


# ---------------------------------------------------------------- refusals (on this turn's words)

FALSIFY = (r"(임의로|가짜|대충\s*(만들|지어|채워)|라고\s*(기재|적어|써)|(높아|좋아|낮아|많아|적어|커|작아|나아)\s*보이(게|도록)|(고쳐|바꿔|바꾸어|수정해|조작해|부풀려|줄여)\s*서?\s*(다시\s*)?(써|작성|적어|만들|보고)"
           r"|허위|사실과\s*다르게|실제와\s*다르게|수치를?\s*(조정|부풀|축소))")


def _forecast_year(t: Text):
    ry = report_year(t)
    return ry is not None and any(y >= ry + 2 for y in years_named(t.own))  # the report plans one year ahead at most


def _year_end_forecast(t: Text) -> bool:  # '연말 집행예상액' is a figure the report states, not a forecast to make
    return bool(re.search(r"(연말|년말|집행\s*예상|예상\s*집행)", t.own))


ORGANISATION = re.compile(r"(?<![0-9A-Za-z가-힣])([가-힣A-Za-z]{2,})(\s?)(인재개발원|공무원교육원|인재원|연수원|교육원)"
                          r"(?=$|[^가-힣]|(?:의|은|는|이|가|을|를|에|과|와|도|에서|보다|하고|이랑|랑)(?![가-힣]))")
FIGURE_ASKED = re.compile(r"몇\s*(명|개|회|건|%|퍼센트|원|과정)|얼마|규모|예산|인원")
PARTICLE_END = re.compile(r"(에서|에게|으로|로|에|은|는|을|를|이|가|의|와|과|도|만)$")
OWN_PREFIXES = ("서울", "서울시", "서울특별시", "우리", "저희", "본", "당", "이", "해당", "귀", "시", "시의")
# words of time or scope before '인재개발원' ('올해 인재개발원 전체 교육'): this center at a time, not another body
NOT_A_NAME = ("올해", "금년", "금년도", "올해도", "작년", "전년", "전년도", "지난해", "내년", "이번", "현재", "지금", "전체", "기존", "당해")


def _other_organisation(t: Text):
    """An organisation like this one ('국가공무원인재개발원', '경기도 인재개발원') that the report never names."""
    if not t.report:
        return None
    report = t.report.replace(" ", "")
    for m in ORGANISATION.finditer(t.own):
        prefix, apart, kind = m.groups()
        if apart and not _ends_in_noun(prefix):
            continue  # '전체에서 인재원…', '지적에 대해서 인재개발원은': the word before is a phrase of its own, not a name ('경기도' is one)
        if prefix in OWN_PREFIXES or prefix in NOT_A_NAME:
            continue
        named = re.search(rf"{re.escape(prefix)}[가-힣]{{0,4}}{kind}", report)  # '부산 인재개발원' ← '부산광역시 인재개발원'
        if named and not FIGURE_ASKED.search(t.own):
            continue  # what the report says of it (an agreement, an exchange) is answerable; its own figures are not
        return prefix + apart + kind  # as the question writes it
    return None


def _proper_noun(word: str) -> bool:
    """Whether Kiwi reads the word whole as a proper noun ('경기도', not '올해' + '도')."""
    tokens = kiwi_analyse(word)
    return len(tokens) == 1 and tokens[0].tag == "NNP"


def _ends_in_noun(word: str) -> bool:
    """Whether a word written apart before '인재개발원' can name it: Kiwi reads it whole as a proper noun, or it
    ends in a noun, not in a particle or a verb's ending ('부산', '국가공무원'; not '대해서', '전체에서')."""
    tokens = kiwi_analyse(word)
    if len(tokens) == 1 and tokens[0].tag == "NNP":  # (as _proper_noun, on the one analysis)
        return True
    return bool(tokens) and tokens[-1].tag in ("NNG", "NNP", "SL") and not PARTICLE_END.search(word)


PER_UNIT = re.compile(r"(1\s*인\s*당|인당|명당|1\s*회\s*당|회당|과정당|1\s*명\s*당)")


def _per_unit(t: Text):
    """A per-person (per-session) figure the report never gives: its text has no such '…당' figure."""
    m = PER_UNIT.search(t.own)
    if not m or not t.report:
        return None
    rest = t.own[m.end():]
    after = re.match(r"\s*([가-힣]{2,})", rest)
    what = re.sub(r"(은|는|이|가|을|를|의|도)$", "", after.group(1))[:2] if after else ""
    counted = re.match(r"\s*몇\s*(명|회|개)", rest)  # '회당 몇 명': the unit counted is what the report must hold
    what = what or (counted.group(1) if counted else "")
    lines = [ln for ln in t.report.splitlines() if PER_UNIT.search(ln)]
    return m.group(1) if not any(what and what in ln for ln in lines) else None


AUDIT_YEAR = re.compile(r"(?<!\d)(20\d{2})\s*년?\s*도?\s*(행정\s*사무\s*)?감사")


def _other_audit_year(t: Text):
    """An audit year the report does not hold ('2025년 행정사무감사' in a report on the 2024 audit)."""
    held = {int(y) for y in t.names.get("audit_years", [])}
    m = AUDIT_YEAR.search(t.own)
    return int(m.group(1)) if m and held and int(m.group(1)) not in held else None


REFUSAL_RULES: list[Rule] = [
    Rule(name, "refusal", 200 - 10 * i, pattern=pattern, value=reason, own_turn=True,
         unless=_year_end_forecast if reason == "forecast" else None)
    for i, (name, pattern, reason) in enumerate(REFUSE_PATTERNS)
] + [Rule("refuse.forecast_year", "refusal", 50, when=_forecast_year, value="forecast", own_turn=True, unless=_year_end_forecast,
          doc="a year two or more after the report's own"),
    Rule("refuse.per_head", "refusal", 45, when=lambda t: _per_unit(t), value="no_data", own_turn=True,
         doc="a figure per person or per session ('1인당 교육비') where the report states none"),
    Rule("refuse.other_organisation", "refusal", 40, when=_other_organisation, value="no_data", own_turn=True,
         doc="another organisation's figures: the report is this center's only"),
    Rule("refuse.other_audit_year", "refusal", 30, when=_other_audit_year, value="no_data", own_turn=True,
         doc="an administrative audit of a year the report does not follow up"),
    Rule("refuse.falsify", "refusal", 115, pattern=FALSIFY, value="unsafe_request", own_turn=True,
         doc="figures made to look other than the report gives them"),
]

# ---------------------------------------------------------------- intents: every matching rule adds its intent

def _facility_named(t: Text) -> str | None:
    """A building or plot the facility table names ('배움관', '다솜관', '어린이집'), from the data, not a list."""
    return next((n for n in t.names.get("facility", []) if len(n) >= 3 and n.replace(" ", "") in t.q), None)


INTENT_RULES: list[Rule] = [Rule(f"intent.{name}", "intent", 0, cues=cues, value=name) for name, cues in INTENTS.items()] + [
    Rule("intent.facility_named", "intent", 0, when=_facility_named, value="facility",
         doc="a facility the data names ('배움관 연면적은?'): the facility table, whatever the year's buildings are called")]

WHICH_DEPARTMENT = r"((어느|무슨|어떤)\s*(과|부서)(?![가-힣])|(어느|무슨|어떤)\s*(과|부서)(에서|가|는|소관|담당)|소관)"


def _names_department(t: Text) -> bool:
    return any(d and d.replace(" ", "") in t.q for d in t.names.get("department", []))


INTENT_OVERRIDES: list[Rule] = [
    Rule("intent.which_department", "intent_override", 10, pattern=WHICH_DEPARTMENT, value={"org"},
         unless=lambda t: has(t.q, ("팀장", "과장", "담당자")) or _names_department(t),
         doc="which department does it: the departments and their duties, not the thing's own figures"),
    Rule("intent.who_is_in_charge", "intent_override", 20,
         pattern=r"(담당자|담당\s*팀장|담당\s*과장|팀장|과장|책임자|담당)[은는이가]?\s*(누구|누가|성함|이름|연락처|전화)", value={"contact"},
         doc="who is in charge of a thing: its contacts, not the thing's figures"),
]

# ---------------------------------------------------------------- operations: the highest priority wins

DIFF_CUES = ("차이", "비교", "대비", "보다", "차는", "모자라", "모자란", "부족", "덜", "적게", "더많", "더평가", "늘었", "높아", "낮아", "격차",
             "안본", "안한")
STORED_RATES = ("집행률", "참여율", "응시율", "경쟁률", "증감률", "증가율", "감소율", "소진율", "만족도")
POINT_CUES = ("%p", "%포인트", "퍼센트포인트", "포인트")
RATIO_CUES = ("달성률", "실적률", "수료율", "이수율", "완료율", "처리율", "비율", "몇%", "몇퍼센트", "몇프로", "퍼센트")
MOVE_CUES = ("떨어졌", "떨어진", "하락", "상승했", "올랐", "내려갔")
SUM_CUES = ("합계", "합치", "합친", "합쳐", "합하", "합한", "더하", "더한", "총합", "모두합", "합은", "re:(?<![통종결조복])합이", "합산")
REMAIN_CUES = ("잔액", "미집행", "안들은", "못들은", "미이수", "이수하지않", "안받은", "남은인원", "집행안된", "집행되지않", "안된금액", "re:남(은|았|아|는|습|을|겠)", "집행안한", "안쓴", "쓰지않", "못쓴",
               "집행하지못", "집행못한", "못한금액", "이수못", "이수하지못", "미완료", "완료하지못", "완료못", "re:(빼면|뺀)[가-힣]*(얼마|남)")
LAPSE_CUES = ("불용", "못쓸", "못쓰게", "쓰지못할", "남을것", "남을걸", "남게될", "남을돈", "남을예산", "re:연말[가-힣]{0,6}(남|못)",
              "re:(연말|년말)[^?]{0,20}남(을|겠|게)")
FORECAST_GAP_CUES = ("더집행", "추가로집행", "추가집행", "더쓸", "추가로쓸", "추가로사용")
SHARE = r"(비중|차지|점유|몇\s*%를|몇\s*퍼센트를|(전체|총|세출|합계)\S*의\s*몇\s*(%|퍼센트|프로)|[가-힣]\s*중(에서)?\s*몇\s*(%|퍼센트|프로))"
THRESHOLD = (r"(\d+(?:\.\d+)?)\s*%\s*(?:를|을|가|이|도|까지|에)?\s*"
             r"(넘|이상|초과|미만|이하|밑|채[운웠우]|달성한|찍[은었]|안\s*되|안\s*돼|못\s*미[치친쳐]|못\s*넘|못\s*채)")
REACHED = ("넘", "이상", "초과", "채", "달성", "찍")  # a limit met or passed
INCLUSIVE = ("이상", "이하", "채", "달성", "찍")  # … the limit itself counting
OVER_PLAN = r"(계획|목표)\s*(인원)?\s*(보다|을|를|대비|에\s*비해)\s*(더\s*)?(많[이은았]|넘[긴겼은어]|초과|웃[돈돌]|상회)"
PREMISE = r"(넘|초과|미만|이상|이하|밑|못\s*미)[가-힣]*((다|라)던데|(다|라)는데|던데|(다|라)고\s*(하던데|들었|하는데|하시던데)|(다|라)면서)"
MOVED_LINES = r"(줄어든|줄어 든|감소한|깎인|늘어난|늘어 난|증가한|증액된|감액된)\s*(사업|항목|곳)"
SUPERLATIVES = ("가장", "제일", "최고", "최대", "최저", "최소")
TIMES_CUES = ("몇배", "배나", "배예요", "배인가", "배정도", "배쯤")


BY_PARTS = (r"몇\s*(명|개|회|건)[^?]{0,20}\?\s*[가-힣]{1,4}별로\s*(요|도요|해서|나눠서?)?\s*(알려\s*(주세요|줘|주십시오))?\s*[.?]?\s*$"
            r"|^[^?]*[가-힣]{1,4}별로\s*(모두|다|총)\s*몇")
WHOLE_COUNT = r"(총|모두|전부|통틀어|전체)\s*(몇|얼마)"


def _threshold(m: re.Match, t: Text) -> dict:
    return {"op": "threshold", "threshold": (float(m.group(1)), m.group(2).startswith(REACHED)),
            "strict": not m.group(2).startswith(INCLUSIVE)}


def _moved(m: re.Match, t: Text) -> dict:  # lines whose budget moved one way: a threshold at 0 on the change
    return {"op": "threshold", "threshold": (0.0, m.group(1).startswith(("늘", "증"))), "strict": True, "measures": ["증감액"]}


RATE_WORD = re.compile(r"[가-힣]+[율률]")


@lru_cache(maxsize=4)
def _stated_rates(report: str) -> frozenset[str]:
    """The rate words the report writes ('수수료율', '집행률' …), 율/률 folded."""
    return frozenset(fold(w) for w in RATE_WORD.findall(report))


def _only_inside_stated_rates(t: Text) -> bool:
    """Whether every ratio cue of the question stands inside a longer rate word the report states: the
    question then asks that stated rate, not one to compute ('수수료율' holds '수료율')."""
    longer = [w for w in _stated_rates(t.report) if w in t.fq and any(w != c and w.endswith(fold(c)) for c in RATIO_CUES)]
    if not longer:
        return False
    rest = t.fq
    for w in sorted(longer, key=len, reverse=True):
        rest = rest.replace(w, " ")
    return not has(rest, tuple(fold(c) for c in RATIO_CUES))


def _op(name: str) -> dict:
    return {"op": name}


EXCLUDING = (r"([가-힣A-Za-z0-9·]+(?:(?:이랑|랑|하고|와|과|,)\s*[가-힣A-Za-z0-9·]+)*?)\s*(?:항목|품목|분야|사업|과정)?\s*(?:은|는|을|를)?\s*"
             r"(?:빼고|빼면|제외하고|제외한|제외하면|말고)")
IN_WORDS = re.compile(r"(뭘|무엇|뭐|어떻게|어떤|왜|무슨)")
FIGURE_WORD = re.compile(r"(몇|얼마|금액|액수|규모|수치|비율|%)")

OPERATION_RULES: list[Rule] = [
    Rule("op.movement", "op", 5, cues=MOVE_CUES, value=_op("diff"), doc="a rate that fell or rose, with no other operation"),
    Rule("op.difference", "op", 10, cues=DIFF_CUES, value=_op("diff")),
    Rule("op.derived_difference", "op", 20, cues=tuple(c for cues, *_ in DERIVED_MEASURES for c in cues), value=_op("diff"),
         unless=lambda t: bool(IN_WORDS.search(t.raw)) and not FIGURE_WORD.search(t.raw),
         doc="a figure the report never names, one figure minus another (결시 = 접수 − 응시); not when the question asks "
             "in words only ('미수료 줄이려고 앞으로 뭘 하겠다는 건가요?')"),
    Rule("op.ratio", "op", 30, cues=RATIO_CUES, value=_op("ratio"),
         unless=lambda t: has(t.q, STORED_RATES) or has(t.q, POINT_CUES) or _only_inside_stated_rates(t),
         doc="a rate the report does not state, computed from two figures; not a cue that is only the tail of a "
             "longer rate the report states ('수료율' inside '수수료율')"),
    Rule("op.plan_ratio", "op", 32, pattern=r"계획\s*(인원|규모|횟수)?\s*(대비|에\s*비해)\s*(실적|얼마나\s*(달성|했|교육|운영))|얼마나\s*달성",
         unless=lambda t: has(t.q, ("차이", "모자", "부족", "덜", "더많", "몇명더", "몇명덜")) or has(t.q, STORED_RATES),
         value=_op("ratio"), doc="actual against plan asked with no gap word ('계획 대비 실적은 어떻게'): the rate achieved"),
    Rule("op.exceeds_other", "op", 12, pattern=r"[가-힣]{2,}(?:을|를)\s*(?:훨씬|더|좀|많이)?\s*(?:넘|초과|웃돌|밑돌|웃도|밑도|넘어)[가-힣]*\s*(?:건가요|나요|는지|습니까|어요|는가|\?)",
         value=_op("diff"), doc="one figure past another the question names ('현원이 정원을 넘는 건가요?'): by how much, the difference"),
    Rule("op.rate_gap", "op", 40, cues=POINT_CUES, value=_op("diff"), doc="a gap between two rates, in %p"),
    Rule("op.threshold", "op", 50, pattern=THRESHOLD, produce=_threshold, unless=lambda t: bool(re.search(PREMISE, t.raw)),
         doc="rows past a limit; not a limit told as hearsay ('100% 넘었다던데 얼마예요?' asks the figure itself)"),
    Rule("op.over_plan", "op", 51, pattern=OVER_PLAN, value={"op": "threshold", "threshold": (100.0, True), "strict": True, "measures": ["참여율"]},
         unless=lambda t: bool(re.search(r"(얼마나|몇\s*(명|%|퍼센트)|던데|[다라]는데|[다라]면서|[다라]고\s*(들|하))", t.raw)),
         doc="rows whose actual passed their plan: a rate of plan over 100% ('계획보다 더 많은 인원이 들은 분야'); not how far, nor a premise told as hearsay"),
    Rule("op.sum", "op", 60, cues=SUM_CUES, value=_op("sum")),
    Rule("op.total_by_parts", "op", 59, pattern=BY_PARTS, value=_op("sum"), unless=lambda t: has(t.q, ("중", "가운데", "가장", "제일")),
         doc="how many in all, told part by part ('몇 명 평가했어요? 급별로요'): the parts and their total"),
    Rule("op.total_of_listed", "op", 61, pattern=r"각각[^?]{0,30}(총|모두|전부|통틀어|다\s*해서)\s*(몇|얼마)",
         value=_op("sum"), doc="each of the things listed and then their total ('각각 … 총 몇 명')"),
    Rule("op.remaining", "op", 70, cues=REMAIN_CUES, value=_op("remain")),
    Rule("op.forecast_gap", "op", 80, cues=FORECAST_GAP_CUES, value=_op("forecast_gap")),
    Rule("op.lapse", "op", 85, cues=LAPSE_CUES, value=_op("lapse"), doc="what the year-end forecast leaves unspent (불용)"),
    Rule("op.forecast_gap_compared", "op", 79, pattern=r"(연말|년말|집행\s*예상)[^?]{0,25}(차이|보다|대비)|(차이|보다|대비)[^?]{0,25}(연말|년말)\s*집행\s*예상",
         value=_op("forecast_gap"), doc="the year-end forecast against what is committed now"),
    Rule("op.share", "op", 90, pattern=SHARE, value=_op("share")),
    Rule("op.moved_lines", "op", 100, pattern=MOVED_LINES, produce=_moved,
         unless=lambda t: not has(t.q, ("몇개", "어느", "어떤", "사업은", "사업이", "목록", "뭐")) or has(t.q, SUPERLATIVES),
         doc="the lines whose budget moved one way (not the one that moved most: that is a ranking)"),
    Rule("op.times", "op", 110, cues=TIMES_CUES, value=_op("times")),
]

# ---------------------------------------------------------------- periods, against the years the data holds

PREV_WORDS = ("작년", "전년", "지난해", "전년도")
LAST_YEAR_WORDS = ("작년", "지난해", "전년도")
COMPARISON_CUES = ("보다", "대비", "비교", "늘었", "줄었", "증감", "변동", "차이")


def _other_year(t: Text):
    """A year the question names that is not the report's own (unless it names the report's year too)."""
    ry = report_year(t)
    if ry is None or _names_year(t.own, ry):
        return None
    return next((y for y in years_named(t.own) if y != ry), None)


def _last_year(t: Text):
    if any(y != report_year(t) for y in years_named(t.own)) or not has(t.own_q, LAST_YEAR_WORDS) or has(t.q, COMPARISON_CUES):
        return None
    return previous_year(t)


PERIOD_RULES: list[Rule] = [
    Rule("period.last_year", "period", 10, when=_last_year, produce=lambda y, t: y,
         doc="'last year's …', not a comparison with it: the report must hold that year's figure"),
    Rule("period.other_year", "period", 20, when=_other_year, produce=lambda y, t: y, doc="a year other than the report's"),
]

THIS_YEAR_WORDS = ("올해", "금년", "이번해", "올해는", "당해연도")

COMPARE_PREVIOUS: list[Rule] = [
    Rule("compare.previous_year", "compare_prev", 10,
         when=lambda t: has(t.own_q, PREV_WORDS) or _names_year(t.raw, previous_year(t)), value=True,
         doc="the previous year's figure is wanted beside this year's"),
]

# both years named ('작년엔 얼마였고 올해는 얼마예요?'): both figures, no one period
BOTH_YEARS: list[Rule] = [
    Rule("period.both_years", "both_years", 10,
         when=lambda t: (has(t.own_q, PREV_WORDS) or _names_year(t.raw, previous_year(t)))
         and (has(t.own_q, THIS_YEAR_WORDS) or _names_year(t.raw, report_year(t))), value=True,
         doc="last year and this year both asked: the row's figures of both years"),
]

# ---------------------------------------------------------------- prose, and follow-ups

TITLE_CUES = ("행사명", "명칭", "이름이", "이름은", "이름좀", "제목", "주제가", "주제는", "주제와", "주제랑", "타이틀", "슬로건", "과제명", "공식명")
PROSE_CUES = ("무엇", "뭐", "어떤", "어떻게", "왜", "언제", "어디", "내용", "방법", "사유", "이유", "목적", "무슨", "설명", "어떠",
              "추진했", "했나", "했는지", "계획은", "대책", "대안", "방안", "일시", "장소", "주제", "사례", "입장", "활동", "노력", "의견")

PROSE_RULES: list[Rule] = [Rule("prose.question_word", "prose", 10, cues=PROSE_CUES, value=True)]

FOLLOWUP_RULES: list[Rule] = [
    Rule("followup.prefix", "followup", 20, when=lambda t: FOLLOWUP_PREFIX.match(t.own.strip()), value=True, own_turn=True,
         doc="'그럼 …', '그중 …', '그 사업 …': read with the question before"),
    Rule("followup.short", "followup", 10, when=lambda t: len(t.own_q) <= 8, value=True, own_turn=True,
         doc="a few words only ('2회는?', '작년은?')"),
]

# ---------------------------------------------------------------- flags: what else a question says, each a named rule

RANK_CUES = ("가장", "제일", "최고", "최저", "순위", "상위", "하위", *LAST_PLACE, *FIRST_PLACE)
DATE_CUES = ("언제", "며칠", "날짜", "일자", "발표일", "시험일")

FLAG_RULES: list[Rule] = [
    Rule("scope.whole", "flag", 0, cues=("전체", "총"), doc="the whole, not a part ('전체 교육인원')"),
    Rule("scope.whole_named", "flag", 0, cues=("총인원", "총원", "총몇", "모두몇", "다합쳐", "통틀어", "총교육인원", "총수강"),
         doc="the total of the rows a name covers ('이해과정 총인원은 몇 명': its 4급 and 5급 rows together)"),
    Rule("scope.whole_budget", "flag", 0, cues=("전체", "총", "합계", "총액", "세출"), doc="the budget as a whole"),
    Rule("scope.whole_or_mean", "flag", 0, cues=("전체", "총", "평균"), doc="the whole or its mean, no part named"),
    Rule("topic.expenditure", "flag", 0, cues=("세출",), doc="expenditure (세출), not revenue"),
    Rule("topic.money", "flag", 0, cues=("집행", "예산", "소진", "지출"), doc="a budget or its execution"),
    Rule("topic.works", "flag", 0, cues=("보수", "공사", "교체"), doc="repair or construction works"),
    Rule("topic.delivery_mode", "flag", 0, cues=("대면", "비대면", "혼합", "실시간원격"), doc="how training is delivered"),
    Rule("topic.training_results", "flag", 0, cues=("교육실적", "교육운영현황", "계획대비"), doc="the training results table as such"),
    Rule("topic.training_overview", "flag", 0, cues=("교육규모", "교육실적", "총몇개과정", "전체교육"), doc="the center's training as a whole"),
    Rule("topic.career_hiring", "flag", 0, cues=("경력", "임기제", "전문경력관", "중증장애인", "시간선택제"), doc="career hiring"),
    Rule("ask.whole_count", "flag", 0, pattern=WHOLE_COUNT, unless=lambda t: has(t.q, ("각각", "별로", "별로는")),
         doc="how many in all ('총 몇 개 과정', '모두 몇 명'): a table's total row answers, not its every row"),
    Rule("ask.how_many_items", "flag", 0, cues=("몇건", "건수", "몇개"), doc="how many items"),
    Rule("ask.amount", "flag", 0, cues=("얼마", "규모"), doc="how much"),
    Rule("ask.figure", "flag", 0, cues=("몇", "얼마"), unless=lambda t: has(t.q, ("얼마나자주", "얼마나종종")),
         doc="a figure is asked (not '얼마나 자주': how often is answered in words, '매월', '수시')"),
    Rule("ask.how_different", "flag", 0, pattern=r"어떻게\s*(다르|달라|달랐|차이)|뭐가\s*(다르|달라)|무엇이\s*(다르|달라)|어떤\s*차이|차이가\s*(뭐|무엇)",
         unless=lambda t: has(t.q, ("몇", "얼마", "%p", "퍼센트")),
         doc="how two things differ, asked in words ('시랑 자치구가 어떻게 다르게 편성됐나요'): the report's sentences answer, not a figure"),
    Rule("ask.record", "flag", 0, pattern=r"실적|규모|현황(?!\s*(에서|중에|가운데))",
         doc="a record or a size is asked: the figures answer, not only words (not the frame of '장비 현황에서 기타는')"),
    Rule("ask.which_lines", "flag", 0, cues=("사업은", "사업이", "몇개", "어느", "어떤"), doc="which lines (a list of lines, not one)"),
    Rule("ask.several_named", "flag", 0, pattern=r"[가-힣A-Za-z0-9)](와|과|랑|이랑|하고)\s|및|·|,|、",
         doc="several things joined ('A와 B', 'A, B'): a particle that ends a word, not the 과 of 과정"),
    Rule("ask.program_scale", "flag", 0, cues=("규모", "학습"), doc="a program's scale lines"),
    Rule("order.lowest", "flag", 0, cues=("낮", "re:(?<![실면누목지])적(은|게|었|고|다|어)", "최저", *LAST_PLACE, "하위", "최소"), doc="the lowest first"),
    Rule("order.lowest_or_smallest", "flag", 0, cues=("re:(?<![실면누목지])적(은|게|었|고|다|어)", "낮", "최저", *LAST_PLACE, "하위", "작은", "최소"), doc="the lowest or smallest first"),
    Rule("order.lowest_or_weak", "flag", 0, cues=("낮", "re:(?<![실면누목지])적(은|게|었|고|다|어)", "최저", *LAST_PLACE, "하위", "저조", "덜", "부진", "미흡", "취약"), doc="the lowest or weakest first"),
    Rule("order.ascending_budget", "flag", 0, cues=("낮", "re:(?<![실면누목지])적(은|게|었|고|다|어)", "최저", *LAST_PLACE, "하위", "작은", "저조", "부진", "덜", "깎", "감액", "감소", "줄어든", "줄은", "삭감"), doc="budget lines from the lowest (or most cut)"),
    Rule("rank.superlative", "flag", 0, cues=("가장", *LAST_PLACE, *FIRST_PLACE, "제일", "최고", "최저", "순위"), doc="a superlative"),
    Rule("rank.superlative_or_place", "flag", 0, cues=("가장", *LAST_PLACE, *FIRST_PLACE, "제일", "최고", "최저", "최대", "최소", "상위", "하위", "순위", "몇위",
                                                       "re:\\d위", "두번째", "세번째", "순으로"), doc="a superlative or a place in a ranking"),
    Rule("rank.superlative_top", "flag", 0, cues=("가장", *LAST_PLACE, *FIRST_PLACE, "제일", "최고", "최저"), doc="a single winner"),
    Rule("rank.which", "flag", 0, cues=("가장", *LAST_PLACE, *FIRST_PLACE, "제일", "상위", "하위", "순위", "어느", "어떤"), doc="which one ranks"),
    Rule("measure.rate_word", "flag", 0, cues=("집행률", "소진율", "비율"), doc="a rate, not an amount"),
    Rule("measure.people_or_actual", "flag", 0, cues=("인원", "명", "실적", "실제"), doc="people or the actual figure"),
    Rule("unit.people", "flag", 0, cues=("인원", "명"), doc="a count of people"),
    Rule("unit.sessions", "flag", 0, cues=("횟수", "몇회"), doc="a count of sessions"),
    Rule("unit.sessions_loose", "flag", 0, cues=("횟수", "회"), doc="sessions, loosely"),
    Rule("unit.sessions_compared", "flag", 0, cues=("횟수", "몇회", "회적", "회더", "회많"), doc="sessions, in a comparison"),
    Rule("count.any", "flag", 0, cues=("몇번", "몇회", "몇차례", "몇건", "횟수", "몇곳", "몇개기관", "몇명"), doc="a count of something"),
    Rule("count.times", "flag", 0, cues=("몇번", "몇회", "몇차례", "횟수"), doc="a count of times"),
    Rule("count.people", "flag", 0, cues=("몇명",), doc="a count of people"),
    Rule("count.places", "flag", 0, cues=("몇곳", "몇개기관"), doc="a count of places"),
    Rule("count.items_total", "flag", 0, cues=("몇건", "건수", "총괄", "모두몇", "총몇", "몇개"), doc="a total count of items"),
    Rule("phase.plan_word", "flag", 0, cues=("계획",), doc="the plan"),
    Rule("phase.plan", "flag", 0, cues=("계획", "목표", "예정"), doc="the plan or target"),
    Rule("phase.plan_or_actual", "flag", 0, cues=("계획", "목표", "예정", "달성", "수료", "실적"), doc="plan or actual words"),
    Rule("phase.actual", "flag", 0, cues=("실적", "실제", "수료", "이수", "수강"), doc="the actual figures, not the plan"),
    Rule("phase.done", "flag", 0, pattern=r"(했|됐|하였|되었|였|받았|뽑았|들었)(나요|나\?|어요|습니까|죠|는지|던가|어\?|니|냐)",
         unless=lambda t: has(t.q, ("계획", "예정", "목표", "하기로")), doc="what was done, told in the past: the actual figures ('몇 명 했나요')"),
    Rule("phase.achievement", "flag", 0, cues=("계획", "목표", "달성", "실적률"), doc="achievement against a plan"),
    Rule("audit.kind_correction", "flag", 0, cues=("시정", "처리요구"), doc="correction/processing requests"),
    Rule("audit.kind_proposal", "flag", 0, cues=("건의",), doc="proposals"),
    Rule("audit.kind_other", "flag", 0, cues=("기타사항", "자료제출"), doc="other items"),
    Rule("audit.status_ongoing", "flag", 0, cues=("추진중", "진행중", "미완료", "완료되지", "안끝", "아직"), doc="not yet completed"),
    Rule("audit.status_done", "flag", 0, cues=("완료된", "완료한", "추진완료", "끝난", "마친"), doc="completed"),
    Rule("rank.both_ends", "flag", 0, pattern=r"(높고|많고|크고|최고|최대)[^?]{0,12}(낮|적|작|최저|최소)|(낮고|적고|작고|최저|최소)[^?]{0,12}(높|많|크|최고|최대)"
         r"|(높은|많은|큰)[^?]{0,15}(낮은|적은|작은)|(낮은|적은|작은)[^?]{0,15}(높은|많은|큰)|(상위|하위)[^?]{0,12}(하위|상위)|(최고|최대)\s*(와|과|랑|및|·|,)\s*(최저|최소)"
         r"|(가장|제일)[^?]{0,10}(늘|증가|오른)[^?]{0,15}(가장|제일)[^?]{0,10}(줄|감소|깎|내린)|(가장|제일)[^?]{0,10}(줄|감소|깎)[^?]{0,15}(가장|제일)[^?]{0,10}(늘|증가)",
         doc="the highest and the lowest at once"),
    Rule("ask.composition", "flag", 0, when=lambda t: has(t.q, tuple(c for c in COMPOSITION_CUES if c != "각각"))
         or "각각" in t.q and not re.search(r"[가-힣A-Za-z0-9)](와|과|랑|이랑|하고)\s", t.raw),
         doc="what a thing is made of: every row of its table ('각각' of one thing; of several named, each of them)"),
    Rule("ask.list", "flag", 0, cues=LIST_CUES, doc="a list of measures or items"),
    Rule("ask.date", "flag", 0, cues=DATE_CUES, doc="a date"),
    Rule("audit.items_asked", "flag", 0, cues=("요구사항", "몇건", "건수", "건중", "건이", "건은", "처리결과", "지적사항", "시정", "건의", "처리요구",
                                               "감사결과"),
         doc="the audit's items themselves are asked ('처리요구사항 20건 중 완료 비율'), not a figure of one item's work"),
    Rule("ask.which_beside_figure", "flag", 0, pattern=r"(어떤|무슨|어느)\s*[가-힣]{1,6}[^?]{0,20}(몇|얼마)|(몇|얼마)[^?]{0,20}(어떤|무슨|어느)\s*[가-힣]",
         doc="a figure asked with the things it counts, in words ('어떤 분야에서 몇 명 뽑았나요'): the report's sentence that "
             "names the row with that figure and its items answers beside it"),
    Rule("ask.each_listed", "flag", 0, pattern=r"(각각|각자|하나씩)|[가-힣]\s*(씩|별로)\s*(몇|얼마|이에요|인가요|예요|\?)",
         doc="several things asked one by one ('신규·현행화·공동활용이 각각 몇 개씩'): a sentence of the report for each"),
    Rule("ask.excluding", "flag", 0, pattern=EXCLUDING,
         doc="rows left out of a ranking or a count ('기타 항목 빼고 가장 많은 품목', '합계 제외하고')"),
    Rule("audit.actions_asked", "flag", 0, cues=("조치", "대응", "대책", "노력", "어떻게하고", "어떻게했", "어떻게추진", "추진내용", "뭘했", "무엇을했",
                                                "뭐했", "개선했", "반영했", "후속", "처리하고", "처리했"),
         doc="what the center does about an audit request (its 추진내용), not the request or its status alone"),
    Rule("measure.committed_basis", "flag", 0, cues=("계약은", "계약이", "계약됐", "계약했", "원인행위는", "원인행위가", "원인행위됐", "원인행위했"),
         doc="what is committed (계약, 원인행위) is the whole a remainder is taken of ('계약은 됐는데 아직 지출 안 된')"),
    Rule("measure.rate_by_name", "flag", 0, cues=("집행률", "집행율", "소진율", "집행비율"),
         doc="the execution rate named by its word, not only by '몇 %' (a share is asked in % too)"),
    Rule("ask.title", "flag", 0, cues=TITLE_CUES, unless=lambda t: has(t.q, ("몇", "얼마")),
         doc="a name or a theme is asked in words ('정식 행사명이 뭐였죠', '총회 주제가'): a row it names is no figure asked"),
    Rule("rank.cue", "flag", 0, cues=RANK_CUES, doc="a ranking word"),
]
FLAGS = {r.name: r for r in FLAG_RULES}


@lru_cache(maxsize=4096)
def asks(name: str, text: str) -> bool:
    """Whether the flag rule `name` matches the text (a question, or its form without spaces)."""
    return FLAGS[name].match(Text.of(text)) is not None


# ---------------------------------------------------------------- parts of a multi-part question

ASKING = re.compile(r"(몇|얼마|언제|어디|누구|누가|무엇|무슨|뭐|뭘|어떤|어떻게|어느|어땠|였나|인가|입니까|습니까|나요|예요|이에요|\?)")
CLAUSE_JOIN = re.compile(r"(?<=[가-힣%])(고|이고|이며|며|으며),?\s+(?=\S)(?!있|계시|계셨|싶)(?<![다라냐]고 )|(?<=[률율액])(하고|이랑|랑),\s+(?=\S)"
                         r"|\s*(?:그리고|또한|아울러)\s+|\?\s+(?=\S)")  # '… 몇 %고, …', '… 달성률하고, … 얼마예요?'
# (not '-고 있다', '-고 싶다': '어떤 조치를 하고 있나요?' is one clause; nor a quotative: '… 감액됐다고 했나요?')
SUBJECT = re.compile(r"^\s*(.{2,30}?)(은|는|이|가|의|에서|에)\s")


# a clause that asks only the total of what the clause before it listed ('… 각각 몇 명이고 | 합계는요?'):
# the whole question is one sum, not two parts
AGGREGATE_CLAUSE = re.compile(r"^\s*(그\s*)?(합계|합산|총합|총계|합은|합이|총\s*(몇|얼마|인원|규모)|모두\s*(몇|얼마|합)|전부\s*(몇|얼마|합)"
                              r"|다\s*(합|더)|합치|합하|더하)")


# a clause that asks only the rate of the first's figures ('… 몇 대 중 몇 대가 넘었고, | 비율로는?')
RATE_CLAUSE = re.compile(r"^\s*(그\s*)?(비율|비중|퍼센트|몇\s*(%|퍼센트|프로))\s*(로는|으로는|은|는|이|가)?\s*(요|얼마|몇)?[가-힣\s]{0,8}\??\s*$")


# two rates of one thing asked together ('IT교육 인원 달성률이랑 예산 집행률 둘 다'): one part each, the thing
# named before them in both
RATE_PAIR = re.compile(r"^(?P<subj>.*?\S\s)(?P<a>(?:[가-힣]+\s)?[가-힣]*[률율])(?:이랑|랑|하고|과|와|,)\s*(?P<b>(?:[가-힣]+\s)?[가-힣]*[률율])(?=(?:은|는|이|도|을)?(?![가-힣]))")


def _rate_pair(question: str) -> list[str]:
    m = RATE_PAIR.match(question)
    if not m or m.group("a").split()[-1] == m.group("b").split()[-1] or CLAUSE_JOIN.search(question):
        return []
    subj = m.group("subj").strip()
    return [f"{subj} {m.group('a')}은?", f"{subj} {m.group('b')}은?"]


# a clause with no subject of its own, opening on the interrogative ('… 몇 기고 | 몇 명이에요?', '… 몇 개고 | 어디어디예요?')
BARE_ASK = re.compile(r"^\s*(몇|얼마|어디|어느|누구|누가|무엇|뭐|언제)")


def _same_selection(left: str, right: str) -> bool:
    """Two things asked of the one row (or rows) a clause selects — the highest ('제일 적었던 기수는 몇 기고 몇
    명이에요?') or those past a limit ('80% 안 되는 분야가 몇 개고 어디어디예요?'): one question, since the second
    clause, with no subject of its own, asks of what only the first selects."""
    selects = asks("rank.superlative_or_place", compact(left)) or re.search(THRESHOLD, left)
    return bool(selects and BARE_ASK.match(right))


def excluded_names(question: str) -> list[str]:
    """The names a question leaves out ('기타 항목 빼고' → 기타, '프로젝터랑 카메라 말고' → 프로젝터, 카메라)."""
    m = re.search(EXCLUDING, question)
    if not m:
        return []
    words = re.split(r"(?:이랑|랑|하고|와|과|,|·)\s*", m.group(1))
    return [w for w in (x.strip() for x in words) if len(w) >= 2]


def split_parts(question: str) -> list[str]:
    """The clauses of a question that asks two or more things ('A는 몇 명이고 B는 몇 %인가요?'): split where a
    clause ending ('…이고', '…며', '그리고', '?') joins two clauses that each ask something, unless the second
    asks only the total of the first's things."""
    cuts, start = [], 0
    for m in CLAUSE_JOIN.finditer(question):
        left, right = question[start:m.end()], question[m.end():]
        if AGGREGATE_CLAUSE.match(right) or RATE_CLAUSE.match(right) or _same_selection(left, right):
            continue
        asks_left = ASKING.search(left.rstrip("? ")) or m.group(2)  # '… 달성률하고, …': a measure named is asked
        if asks_left and ASKING.search(right) and len(right.strip()) >= 4:
            cuts.append(question[start:m.end()].strip())
            start = m.end()
    return cuts + [question[start:].strip()] if cuts else (_rate_pair(question) or [question])


NOUNISH = ("NNG", "NNP", "NNB", "SL", "SN", "XSN", "NR")


def subject_of(clause: str) -> str:
    """The thing a clause is about (Kiwi's morphemes): its words up to the first noun a topic, subject or
    adverbial particle follows ('5급 승진리더 과정은 …'), not the '은' of an adnominal ('외국어 같은 …'); with no
    such particle, its noun phrase before the first verb ('자격증·외국어 같은 개인학습 수강인원 합치면 …')."""
    toks = list(kiwi_analyse(clause))
    end = None
    start = 0
    for prev, t in zip(toks, toks[1:]):
        if t.tag in ("JX", "JKS", "JKG", "JKB") and prev.tag in NOUNISH:
            if prev.form in QUESTION_NOUNS and prev.start == start:  # '보고서에 미네소타 프로젝트는': the frame, not the subject
                start = t.start + t.len
                continue
            end = prev.start + prev.len
            break
    if end is None:
        verb = next((i for i, t in enumerate(toks) if t.tag in ("VV", "VCP", "EC") or t.tag == "VA" and
                     (i + 1 >= len(toks) or toks[i + 1].tag != "ETM") or t.form in ("몇", "얼마")), len(toks))
        nouns = [t for t in toks[:verb] if t.tag in NOUNISH]
        end = nouns[-1].start + nouns[-1].len if nouns else None
    subject = clause[start:end].strip() if end else ""
    return subject if len(subject) >= 2 and not ASKING.search(subject) else ""


# ---------------------------------------------------------------- a measure asked by name, and a breakdown asked ('X별')
# Read here from the words; whether the report holds it for the thing asked is decided after retrieval
# (assistant/absent.py), from the tool results. The value is (the measure's name, the label words that state it).

MEASURES_ASKED: list[Rule] = [
    Rule("measure.satisfaction", "asked_measure", 10, cues=("만족도", "만족점수", "만족률"), value=("만족도", ("만족도", "만족")),
         doc="a satisfaction score"),
    Rule("measure.applicability", "asked_measure", 20, cues=("현업적용도", "현업적용", "적용도"), value=("현업적용도", ("적용도",)),
         doc="how far training is applied at work"),
    Rule("measure.competition", "asked_measure", 10, cues=("경쟁률", "경쟁비", "몇대1", "몇대일"), value=("경쟁률", ("경쟁률",)),
         doc="an exam's competition ratio"),
    Rule("measure.attendance", "asked_measure", 10, cues=("응시율", "응시률", "응시비율"), value=("응시율", ("응시율",)),
         doc="the share of applicants who sat the exam"),
    Rule("measure.pass_rate", "asked_measure", 10, cues=("합격률", "통과율", "합격비율", "통과비율"), value=("합격률", ("합격률", "통과율", "합격비율")),
         doc="the share who passed"),
    Rule("measure.staffing", "asked_measure", 10, pattern=r"(현원|정원)", produce=lambda m, t: (m.group(1), (m.group(1),)),
         unless=lambda t: has(t.q, ("정원박람회", "정원을조성", "정원조성")), doc="a headcount (현원) or establishment (정원)"),
    Rule("measure.instructors", "asked_measure", 10, pattern=r"강사[는가의]?\s*(수|인원|규모|몇|모두\s*몇|총\s*몇)", value=("강사 수", ("강사",)),
         doc="how many instructors"),
]

# the unit a figure asked is counted in, and how the report writes a figure in it: where no figure the
# tools give is in that unit, the report's sentence that gives one answers ('몇 시간' → '심화 교육(140h)')
UNITS_ASKED: list[Rule] = [
    Rule("unit_asked.hours", "asked_unit", 10, pattern=r"몇\s*시간|시간\s*(은|이)?\s*(얼마|몇)|교육\s*시간(은|이)",
         value=("시간", r"\d+\s*(?:h\b|시간)"), doc="hours of training"),
    Rule("unit_asked.countries", "asked_unit", 10, pattern=r"몇\s*(개\s*)?(나라|국가|개국)|국가\s*수",
         value=("개국", r"\d+\s*개국"), doc="how many countries"),
    Rule("unit_asked.cities", "asked_unit", 5, pattern=r"몇\s*(개\s*)?도시|도시\s*수",
         value=("도시", r"\d+\s*개\s*도시"), doc="how many cities"),
    Rule("unit_asked.percent", "asked_unit", 5, pattern=r"몇\s*(%|퍼센트|프로)|비율|비중|(?<!경쟁)(?<!경쟁\s)(율|률)(은|이|는)?\s*(몇|얼마|어떻게|어때|\?|$)",
         value=("%", r"\d+(?:\.\d+)?\s*%"), doc="a share or rate in per cent (not a competition ratio, '12.6:1')"),
    Rule("unit_asked.points", "asked_unit", 5, pattern=r"몇\s*점",
         value=("점", r"\d+(?:\.\d+)?\s*(?:점|/\s*5)"), doc="a score in points"),
]

# '별' that ends a word of its own, not a breakdown ('특별', '개별', '별도', '별로 없다')
NOT_BREAKDOWN = ("특", "개", "차", "구", "분", "식", "선", "판", "작", "이", "각", "유", "성별로는", "별")
BY_WORD = re.compile(r"([가-힣A-Za-z]{1,6})\s?별(?=$|[^가-힣]|로|[은는이가을를의도]|[가-힣]*(인원|수치|현황|통계|분포|실적|예산|점수|비율))")


def _breakdown_word(t: Text) -> str | None:
    """The X of an 'X별' the question asks ('월별로', '자치구별 응시 인원'), without a word '별' ends of its own."""
    for m in BY_WORD.finditer(t.own):
        word = m.group(1)
        if word in NOT_BREAKDOWN or (m.start() > 0 and t.own[m.start() - 1] not in " ·,(") and len(word) < 2:
            continue
        return word
    return None


def _by(words: tuple[str, ...]):
    """A breakdown whose word ends in one of `words` ('연령대' of '연령대별'): the word, or None."""
    def match(t: Text) -> str | None:
        w = _breakdown_word(t)
        return w if w is not None and any(w.endswith(x) for x in words) else None
    return match


# a dimension whose instances are written with a figure ('6월', '2024년', '3기'): what an instance looks like
BREAKDOWNS: list[Rule] = [
    Rule("breakdown.by", "breakdown", 0, when=_breakdown_word, produce=lambda w, t: (w, None),
         doc="a breakdown by a dimension the data names in its rows ('분야별', '과정별', '자치구별')"),
    Rule("breakdown.month", "breakdown", 10, when=_by(("월",)), produce=lambda w, t: ("월", r"(?<!\d)(1[0-2]|[1-9])\s*월(?!급)"),
         unless=lambda t: has(t.q, ("월급",)), doc="by month: rows named '6월'"),
    Rule("breakdown.year", "breakdown", 10, when=_by(("연도", "년도", "연", "년")), produce=lambda w, t: ("연도", r"(20\d{2}|'\d{2})\s*년?"),
         doc="by year: rows named by a year ('…년')"),
    Rule("breakdown.cohort", "breakdown", 10, when=_by(("기수",)), produce=lambda w, t: ("기수", r"\d+\s*기(?![가-힣])"),
         doc="by cohort: rows named '3기'"),
    Rule("breakdown.round", "breakdown", 10, when=_by(("회차", "차수")), produce=lambda w, t: ("회차", r"\d+\s*(회|차)(?![가-힣])"),
         doc="by round: rows named '제1회'"),
    Rule("breakdown.grade", "breakdown", 10, when=_by(("급", "직급")), produce=lambda w, t: ("급", r"\d\s*급"),
         doc="by grade: rows named '5급'"),
    Rule("breakdown.building", "breakdown", 10, when=_by(("동", "건물", "건물동")), produce=lambda w, t: ("동", r"[가-힣]+(관|동)(?![가-힣])"),
         doc="by building: rows named '…관' or '…동'"),
    Rule("breakdown.department", "breakdown", 10, when=_by(("부서", "과", "팀", "부서별")), produce=lambda w, t: (w, r"[가-힣]+(과|팀)(?![가-힣])"),
         doc="by department: rows named '…과' or '…팀'"),
    Rule("breakdown.line", "breakdown", 10, when=_by(("사업", "세부사업", "항목", "사업명")), produce=lambda w, t: (w, r"\S"),
         doc="by budget line or item: every row of a table is one"),
    Rule("breakdown.quarter", "breakdown", 10, when=_by(("분기",)), produce=lambda w, t: ("분기", r"\d\s*분기"), doc="by quarter"),
]
