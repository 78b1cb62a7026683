"""The offline planner: reads a Korean question with the database's own vocabulary, decides which
tools to call with which arguments, and writes the answer from their results with templates.

Nothing here knows a particular question; it knows the report's vocabulary (from the database),
the cue words of `lexicon`, and the shapes of tool results.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from knowledge.names import canonical, compact, line_key
from tools.base import Fact, ToolResult

from .derive import (_achievement, _derive, _ranked_ratios, _rows_counted, _sum_of_listed, _table_cells)
from .extract import LIST_CUES, _extract
from .facts import (MEASURE_LABELS, _duty_named, _figure_shown, _is_total, _measure_named, _measure_of, _mentions, _most_named,
                    _named_lines, _passes, _select, cite, fmt, has, threshold_word, top_n)
from .lexicon import BUDGET_MEASURES, COMPOSITION_CUES, DERIVED_MEASURES, INTENTS, PREV_YEAR, QUESTION_NOUNS, TRAINING_MEASURES
from .korean import josa
from .mentions import MentionIndex
from .render import Draft, Line, is_table_row, render
from .reading import _covered, _other_body, asked_measure, audit_table_terms, check_refusal, effective_question, unknown_nouns

PROSE_CUES = ("무엇", "뭐", "어떤", "어떻게", "왜", "언제", "어디", "내용", "방법", "사유", "이유", "목적", "무슨", "설명", "어떠",
              "추진했", "했나", "했는지", "계획은", "대책", "대안", "방안", "일시", "장소", "주제", "사례", "입장", "활동", "노력", "의견")
MODE_WORDS = {"집합": ("집합",), "e-러닝": ("e-러닝", "이러닝", "e러닝", "동영상", "온라인강의", "온라인학습"), "u-지식여행": ("u-지식", "지식여행")}
GROUP_WORDS = {"기본역량": ("기본역량",), "리더십역량": ("리더십역량",), "직무역량": ("직무역량",), "공공역량": ("공공역량",), "개인학습": ("개인학습",)}


@dataclass
class Plan:
    question: str
    effective: str
    calls: list[tuple[str, dict]] = field(default_factory=list)
    intents: set[str] = field(default_factory=set)
    measures: list[str] = field(default_factory=list)
    entities: list[str] = field(default_factory=list)
    refuse: str | None = None
    op: str | None = None  # diff | sum | ratio
    year: int | None = None
    threshold: tuple[float, bool] | None = None  # (limit, above)
    strict: bool = True  # 넘/초과/미만/밑 exclude the limit; 이상/이하 include it
    missing: list[str] = field(default_factory=list)
    prose: bool = False


@lru_cache(maxsize=4)
def _indexes(vocab_key: tuple) -> dict[str, MentionIndex]:
    vocab = dict(vocab_key)
    return {
        "budget": MentionIndex(list(vocab["budget_line"]) + list(vocab["execution"]) + list(vocab["program"])),
        "program": MentionIndex(list(vocab["program"]), dict(x.split("\t", 1) for x in vocab.get("program_alias", []))),
        "subcategory": MentionIndex(list(vocab["subcategory"])),
    }


def indexes(vocab: dict[str, list[str]]) -> dict[str, MentionIndex]:
    return _indexes(tuple((k, tuple(v)) for k, v in sorted(vocab.items())))


def names_something(question: str, vocab: dict[str, list[str]]) -> bool:
    idx = indexes(vocab)
    return bool(idx["budget"].best(question, threshold=0.5) or idx["program"].best(question, threshold=0.6))


def make_plan(question: str, history: list[str], vocab: dict[str, list[str]], report_text: str | None = None) -> Plan:
    eff = effective_question(question, history)
    if eff == question and history and len(compact(question)) <= 15 and not names_something(question, vocab):
        eff = f"{history[-1]} {question}"
    plan = Plan(question=question, effective=eff)
    reason = check_refusal(question)
    if reason:
        plan.refuse = reason
        return plan
    missing, focus_unknown = unknown_nouns(question, report_text)
    if missing:
        plan.missing = missing
        if focus_unknown or not names_something(question, vocab):
            plan.refuse = "no_data"
            return plan
    q = compact(eff)
    idx = indexes(vocab)
    intents = {name for name, cues in INTENTS.items() if has(q, cues)}
    if re.search(r"((어느|무슨|어떤)\s*(과|부서)(?![가-힣])|(어느|무슨|어떤)\s*(과|부서)(에서|가|는|소관|담당)|소관)", eff) \
            and not has(q, ("팀장", "과장", "담당자")) and not any(compact(d) in q for d in vocab.get("department", []) if d):
        intents = {"org"}  # which department: the departments and their duties, not the things' own figures
    if eff != question:  # a follow-up asking a new kind of thing ('그 사업 담당 팀장은?') takes only the entity from before
        own = {name for name, cues in INTENTS.items() if has(compact(question), cues)}
        if own - {"rank", "findings"}:
            intents = own
    table_terms = [t for t in audit_table_terms(vocab, report_text) if t in q]
    if table_terms:  # a figure only a table inside an audit response holds ('현업적용도', '수수율', '부시장 출강')
        intents.add("audit")
    plan.prose = has(q, PROSE_CUES)
    if has(compact(question), PREV_YEAR) or "2024" in eff:
        plan.measures.append("전년 예산현액")
    other = re.search(r"(20(?:1\d|2[0-4]|2[6-9]))\s*년?", question) or re.search(r"'(1\d|2[0-4]|2[6-9])\s*년", question)
    if not other and has(compact(question), ("작년", "지난해", "전년도")) and not has(q, ("보다", "대비", "비교", "늘었", "줄었", "증감", "변동", "차이")):
        plan.year = 2024  # 'last year's …' (not a comparison with it): the report must hold that year's figure
    if other and not re.search(r"2025|'25", question):
        intents.add("other_year")
        plan.year = int(other.group(1)) if len(other.group(1)) == 4 else 2000 + int(other.group(1))
    if has(q, ("차이", "비교", "대비", "보다", "차는", "모자라", "모자란", "부족", "덜", "적게", "더많", "더평가", "늘었", "높아", "낮아", "격차", "안본", "안한")):
        plan.op = "diff"
    stored_rate = has(q, ("집행률", "참여율", "응시율", "경쟁률", "증감률", "증가율", "감소율", "소진율", "만족도"))
    if any(has(q, cues) for cues, *_ in DERIVED_MEASURES):  # '결시' = 접수 − 응시
        plan.op = "diff"
    points = has(q, ("%p", "%포인트", "퍼센트포인트", "포인트"))  # a gap between two rates, not a ratio
    if has(q, ("달성률", "실적률", "수료율", "이수율", "비율", "몇%", "몇퍼센트", "몇프로", "퍼센트")) and not stored_rate and not points:
        plan.op = "ratio"
    if points or has(q, ("떨어졌", "떨어진", "하락", "상승했", "올랐", "내려갔")) and plan.op is None:
        plan.op = "diff"
    m = re.search(r"(\d+(?:\.\d+)?)\s*%\s*(?:를|을|가|이)?\s*(넘|이상|초과|미만|이하|밑)", eff)
    if m:
        plan.op, plan.threshold = "threshold", (float(m.group(1)), m.group(2) in ("넘", "이상", "초과"))
        plan.strict = m.group(2) not in ("이상", "이하")
    if has(q, ("합계", "합치", "합하", "더하", "총합", "모두합", "합은", "합산")):
        plan.op = "sum"
    if has(q, ("잔액", "미집행", "집행안된", "집행되지않", "안된금액", "남은", "남았", "집행안한", "안쓴", "쓰지않", "못쓴", "남는")):
        plan.op = "remain"
    if has(q, ("더집행", "추가로집행", "추가집행", "더쓸")):
        plan.op = "forecast_gap"
    if re.search(r"(비중|차지|점유|몇\s*%를|몇\s*퍼센트를|(전체|총|세출|합계)\S*의\s*몇\s*(%|퍼센트|프로))", eff):  # not '장비 중'
        plan.op = "share"
    change = re.search(r"(줄어든|줄어 든|감소한|깎인|늘어난|늘어 난|증가한|증액된|감액된)\s*(사업|항목|곳)", eff)
    if change and has(q, ("몇개", "어느", "어떤", "사업은", "사업이", "목록", "뭐")):  # lines whose budget moved one way: a threshold at 0
        plan.op, plan.threshold, plan.strict = "threshold", (0.0, change.group(1).startswith(("늘", "증"))), True
        plan.measures.append("증감액")
    if has(q, ("몇배", "배나", "배예요", "배인가", "배정도", "배쯤")):
        plan.op = "times"

    # ---- budget
    budget_mentions = idx["budget"].best(eff, threshold=0.25)
    if "budget" in intents or ("rank" in intents and has(q, ("집행", "예산", "소진", "지출"))):
        asked_now = compact(question) if eff != question and any(has(compact(question), c) for c, _ in BUDGET_MEASURES) else q
        for cues, measures in BUDGET_MEASURES:  # a follow-up naming its own measure ('그중 집행액은?') asks only that
            if has(asked_now, cues):
                for m in measures:
                    if m not in plan.measures:
                        plan.measures.append(m)
        if not plan.measures and has(q, ("얼마", "규모")):
            plan.measures.append("예산현액")  # '행정운영경비는 얼마예요?': this year's budget first, the rest beside it
        if plan.op == "threshold" and not budget_mentions[:1] or plan.op == "threshold" and has(q, ("사업은", "사업이", "몇개", "어느", "어떤")):
            measure = next((x for x in plan.measures if x in ("집행률", "집행액", "예산현액", "증감액", "증감률", "지출액")), "집행률")
            plan.calls.append(("rank_budget", {"measure": measure, "order": "desc" if plan.threshold[1] else "asc", "n": 30}))
            plan.intents.add("rank")
        elif "rank" in intents and not budget_mentions[:1] or ("rank" in intents and has(q, ("가장", "제일", "상위", "하위", "순위", "어느", "어떤"))):
            asc = has(q, ("낮", "적", "최저", "하위", "작은", "저조", "부진", "덜", "깎", "감액", "감소", "줄어든", "줄은"))
            n = top_n(eff, q)
            measure = next((x for x in plan.measures if x in ("집행률", "집행액", "예산현액", "증감액", "증감률", "지출액")), "집행률")
            if measure == "지출액" and has(q, ("집행률", "소진율", "비율")):
                measure = "지출 집행률"  # '지출 기준으로 집행률이 가장 낮은': the rate, on spending
            plan.calls.append(("rank_budget", {"measure": measure, "order": "asc" if asc else "desc", "n": n,
                                               **({"scope": "programs"} if measure.startswith(("지출", "연말")) else {})}))
            plan.intents.add("rank")
        else:
            groups: dict[str, str] = {}
            listed = idx["budget"].cover(eff) if plan.op or has(q, ("와", "과", "랑", "하고", "및", "·", ",")) else []
            if plan.op == "sum":  # '합계' there is the operation asked for, not the budget's total line
                listed = [(n, sc) for n, sc in listed if compact(n) not in ("합계", "계")]
            for n, _ in listed if len(listed) >= 2 else idx["budget"].best(eff, threshold=0.25, margin=0.08):
                groups.setdefault(line_key(n), n)
            names = list(groups.values())
            if plan.op == "share" and not ("revenue" in intents and not has(q, ("세출",))):
                plan.calls.append(("get_budget", {"name": "합 계"}))
            if names:
                for n in names[: 2 if plan.op == "diff" else 4 if plan.op == "sum" or len(listed) >= 2 else 1]:
                    plan.calls.append(("get_budget", {"name": n, **({"year": plan.year} if plan.year else {})}))
                    plan.entities.append(n)
            elif "revenue" in intents and not has(q, ("세출",)):
                pass
            elif has(q, ("전체", "총", "합계", "총액", "세출")) or not budget_mentions:
                other = _other_body(question, vocab)
                if other:  # '부산광역시 인재개발원 예산': not this center's budget
                    plan.refuse, plan.missing = "no_data", [f"{other}의 예산"]
                    return plan
                plan.calls.append(("get_budget", {"name": "합 계", **({"year": plan.year} if plan.year else {})}))
                plan.entities.append("합 계")
        plan.intents.add("budget")

    # ---- training results
    qq = compact(question)
    mode = next((m for m, words in MODE_WORDS.items() if has(qq, words)), None) or next((m for m, words in MODE_WORDS.items() if has(q, words)), None)
    no_groups = re.sub(r"(기본|리더십|직무|공공)\s*역량", " ", eff)
    subs = [n for n, s in idx["subcategory"].best(no_groups, threshold=0.99)]
    if any(len(s) >= 3 for s in subs) and not intents & {"budget", "exam", "audit"}:
        intents.add("training")
    if not ("training" in intents or mode):
        subs = []
    group = next((g for g, words in GROUP_WORDS.items() if has(q, words)), None)
    training_measure = any(has(q, cues) for cues, _ in TRAINING_MEASURES[:3])
    alias_hit = [n for n, s in idx["program"].best(question, threshold=0.6)]
    if alias_hit and mode and has(q, ("규모", "학습")) and not training_measure:
        intents.add("program")  # a program's own scale lines ('직무학습 : 441개 과정') beside the table
    if alias_hit and not training_measure and not mode and not subs:
        intents.discard("training")
        intents.add("program")
    program_named = bool(idx["program"].best(eff, threshold=0.5))
    unplaced = not (mode or group or subs) and not has(q, ("전체", "총", "평균"))
    if unplaced and program_named and "training" in intents and not has(q, ("교육실적", "교육운영현황", "계획대비")):
        intents.discard("training")  # 'AI 의무교육 만족도': a program's figure, not the center's overall one
        intents.add("program")
    if ("training" in intents or (mode and training_measure)) and "budget" not in plan.intents:
        args: dict[str, Any] = {}
        if mode:
            args["mode"] = mode
        if group:
            args["group"] = group
        if subs:
            args["subcategory"] = subs[0]
        if not args and has(q, ("전체", "총")) and not plan.op == "threshold":
            args["mode"] = "전체"
        if ("rank" in intents or plan.op == "threshold") and not args.get("subcategory"):
            args["detail"] = True
        own_modes = [m for m, words in MODE_WORDS.items() if has(qq, words)]
        modes = own_modes if eff != question and own_modes else [m for m, words in MODE_WORDS.items() if has(q, words)]
        if len(modes) >= 2 and not subs and not group:
            for m in modes:  # two modes compared: one call each
                plan.calls.append(("get_training", {**args, "mode": m}))
        else:
            plan.calls.append(("get_training", args))
        if plan.op == "share":  # the whole the part is a share of
            whole = {"mode": "전체"} if has(q, ("전체", "총")) or not mode else {"mode": mode}
            if whole != {k: v for k, v in args.items() if k == "mode"} or subs or group:
                plan.calls.append(("get_training", whole))
        plan.intents.add("training")
        for cues, ms in TRAINING_MEASURES:
            if has(q, cues):
                plan.measures += [m for m in ms if m not in plan.measures]

    # ---- exams, hiring, assessments
    if "assessment" in intents:
        plan.calls.append(("get_exams", {"topic": "역량평가"}))
        plan.intents.add("assessment")
    elif "career" in intents and has(q, ("경력", "임기제", "전문경력관", "중증장애인", "시간선택제")):
        plan.calls.append(("get_exams", {"topic": "경력채용"}))
        plan.intents.add("career")
    elif "exam" in intents and "budget" not in plan.intents:
        rounds = set(re.findall(r"(?:제\s*)?(\d)\s*회", question)) or set(re.findall(r"(?:제\s*)?(\d)\s*회", eff))
        one = rounds.pop() if len(rounds) == 1 else None  # two rounds named: both are needed
        plan.calls.append(("get_exams", {"topic": "임용시험", **({"round": int(one)} if one else {})}))
        plan.intents.add("exam")

    # ---- audit
    if "audit" in intents:
        args = {}
        if has(q, ("시정", "처리요구")):
            args["kind"] = "시정·처리요구"
        elif has(q, ("건의",)):
            args["kind"] = "건의"
        elif has(q, ("기타사항", "자료제출")):
            args["kind"] = "기타"
        if has(q, ("추진중", "진행중", "미완료", "완료되지", "안끝", "아직")):
            args["status"] = "추진 중"
        elif has(q, ("완료된", "완료한", "추진완료", "끝난", "마친")):
            args["status"] = "추진완료"
        dept = re.search(r"(인재기획과|인재양성과|인재채용과)", eff)
        if dept:
            args["department"] = dept.group(1)
        kw = " ".join(table_terms) or _content_words(eff, INTENTS["audit"])
        if args and has(q, ("몇건", "건수", "몇개")) and not table_terms:
            kw = ""  # '인재채용과 소관 … 몇 건': the filters are the question, every item that passes counts
        if kw:
            args["keyword"] = kw
        plan.calls.append(("get_audit", args))
        plan.intents.add("audit")
        plan.prose = plan.prose or bool(kw)

    # ---- general
    for intent, topic in (("org", "조직"), ("facility", "시설"), ("equipment", "장비"), ("revenue", "세입"), ("intl", "국제연수"), ("strategy", "전략")):
        if intent in intents and ("budget" not in plan.intents or intent == "revenue") and not ("intl" == intent and "audit" in plan.intents):
            if intent == "facility" and ("audit" in plan.intents or has(q, ("보수", "공사", "교체"))):
                continue
            plan.calls.append(("get_general", {"topic": topic}))
            plan.intents.add(intent)
    if has(q, ("대면", "비대면", "혼합", "실시간원격")) or "training" not in plan.intents and has(q, ("교육규모", "교육실적", "총몇개과정", "전체교육")) and "program" not in intents:
        plan.calls.append(("get_general", {"topic": "교육개요"}))
        plan.intents.add("overview")

    # ---- programs and contacts
    prog = idx["program"].best(eff, threshold=0.5)
    if "contact" in intents:
        position = re.search(r"([가-힣]{2,}(?:과장|팀장))", question)
        target = position.group(1) if position else prog[0][0] if prog else (budget_mentions[0][0] if budget_mentions else eff)
        plan.calls.append(("get_contacts", {"program": target}))
        plan.intents.add("contact")
    elif prog and (not plan.intents & {"budget", "training", "exam", "career", "assessment"} or "program" in intents and "training" in plan.intents) \
            and ("program" in intents or not plan.calls):
        plan.calls.append(("get_program", {"name": prog[0][0]}))
        plan.entities.append(prog[0][0])
        plan.intents.add("program")

    if "other_year" in intents:
        plan.intents.add("other_year")
        plan.prose = True
    if "findings" in intents:
        plan.calls.append(("get_findings", {}))
        plan.intents.add("findings")
    if "other_year" in intents:
        plan.intents.add("other_year")

    if not plan.measures and plan.intents & {"exam", "career", "assessment", "intl", "program", "facility", "equipment", "org"}:
        for cues, ms in TRAINING_MEASURES:  # a measure named anywhere ('실적 인원', '몇 번') selects those figures
            if has(q, cues):
                plan.measures += [m for m in ms if m not in plan.measures]
    if "rank" in intents and has(q, ("가장", "제일", "최고", "최저", "상위", "하위", "순위", "몇위")):
        plan.intents.add("rank")
    if "rank" in intents and not plan.measures:  # 'the course with the most people': rank by the measure named
        for cues, ms in TRAINING_MEASURES[2:]:
            if has(q, cues):
                plan.measures += [m for m in ms if m not in plan.measures]
                plan.intents.add("rank")

    # ---- plan against actual with nothing named: the center's training as a whole
    if not plan.calls and plan.op in ("diff", "ratio") and has(q, ("계획",)) and has(q, ("인원", "명", "실적", "실제")):
        plan.calls.append(("get_training", {"mode": "전체"}))
        plan.intents.add("training")
        plan.measures.append("인원")

    # ---- prose
    if plan.intents & {"exam", "career", "assessment", "intl", "strategy"}:
        plan.prose = True
    if plan.prose or not plan.calls or plan.intents <= {"program", "audit", "other_year"}:
        args = {"query": eff, "k": 5}
        if "audit" in plan.intents:
            args["section"] = "행정사무감사"
        plan.calls.append(("search_documents", args))
        plan.prose = True
    return plan


_STOP = set("은 는 이 가 을 를 의 에 에서 로 으로 와 과 도 만 좀 요 및 등 관련 대해 대한 어떻게 무엇 뭐 어떤 있나요 있는지 했나요 알려 주세요 주십시오 바랍니다 답변 내용 현재 해당".split())


def _content_words(text: str, drop: tuple[str, ...]) -> str:
    words = []
    for w in re.findall(r"[가-힣A-Za-z0-9]+", text):
        w2 = re.sub(r"(은|는|이|가|을|를|의|에|에서|로|으로|와|과|도|만|요|에는|께서|하고|이나|나)$", "", w)
        if len(w2) < 2 or w2 in _STOP or any(compact(d) in compact(w2) for d in drop):
            continue
        if re.search(r"(나요|까요|세요|습니까|는지|인지|했나|됐나|되었|했습|니다|주시|알려|답변)", w2):
            continue
        words.append(w2)
    return " ".join(words[:6])


# ====================================================================== composing the answer


@dataclass
class Composed:
    text: str
    facts: list[dict]  # the stated figures, each with its role (answer | input | context)
    citations: list[dict]
    findings: list[dict]
    refused: bool = False
    reason: str | None = None


REFUSAL_TEXT = {
    "unsafe_request": "이 요청은 처리할 수 없습니다. 이 도구는 보고서 내용을 읽기 전용으로 조회하며, 데이터 변경·SQL 실행·규칙 무시 요청에는 응하지 않습니다.",
    "personal_data": "개인정보(주소, 주민등록번호, 급여 등)는 보고서에 없고 제공하지 않습니다. 보고서에는 사업별 작성자(과장·팀장·담당자)의 직책, 이름, 사무실 전화번호만 있습니다.",
    "forecast": "보고서는 2025년 실적과 2024·2025년 예산을 담고 있어 향후 전망이나 예측에는 답할 수 없습니다. 다만 보고서에 있는 '25년말 집행예상액 등은 조회할 수 있습니다.",
}
HOLDS = ("보고서(주요업무 보고)에는 조직·시설 현황, 올해 교육 운영 계획·실적, 전년·올해 세출예산과 집행 현황, "
         "주요 사업별 개요·추진실적·예산집행, 임용시험·경력채용·역량평가, 전년도 행정사무감사 처리결과가 있습니다.")


def compose(plan: Plan, results: list[ToolResult]) -> Composed:
    if plan.refuse == "no_data" and plan.missing:
        return Composed(f"보고서에는 '{', '.join(plan.missing)}'에 관한 내용이 없어 답할 수 없습니다. " + HOLDS, [], [], [], True, "no_data")
    if plan.refuse:
        return Composed(REFUSAL_TEXT.get(plan.refuse, REFUSAL_TEXT["unsafe_request"]) + " " + HOLDS, [], [], [], True, plan.refuse)
    st = _State(plan, results)
    for r in results:
        handler = TOOL_SECTIONS.get(r.tool)
        if handler and (r.found or r.tool in ("get_audit", "get_findings")):
            handler(st, r)
    _computed(st)
    _prose(st)
    refusal = _period_refusal(st) or _unmet_refusal(st)
    if refusal:
        return refusal
    if not st.draft:
        notes = [r.note for r in results if r.note and not r.found]
        why = (" ".join(notes) + " ") if notes else ""
        return Composed(f"보고서에서 이 질문에 답할 근거를 찾지 못했습니다. {why}{HOLDS}", [], [], [], True, "no_data")
    asked = asked_measure(plan.question) if plan.question == plan.effective else None
    if asked and not any(r.tool == "get_findings" for r in results):
        head, others, unit = asked
        if not st.derived and not _covered(head, others, unit, st.draft.text().split("\n")):
            held = list(dict.fromkeys(m for f in st.draft.facts() if (m := _measure_of(f)) and not re.search(r"\d", m)))[:8]
            return Composed(f"보고서에는 '{head}'에 관한 수치나 내용이 없어 답할 수 없습니다. "
                            + (f"이 주제로 보고서에 있는 항목은 {', '.join(held)} 등입니다. " if held else "") + HOLDS,
                            [], [], [], True, "no_data")
    out = render(st.draft)
    stated = " ".join(f"{fmt(f.value, f.unit)}" for f, _ in out.facts if isinstance(f.value, (int, float)))
    uniq = _contradictions(st, stated)  # about a figure the answer states as a figure, not one inside a quote
    if uniq and not st.tool_ran("get_findings"):
        out = render(st.draft)
    text = out.text
    if plan.missing:
        text = f"보고서에는 '{', '.join(plan.missing)}'에 해당하는 항목이 없어, 질문에서 짚은 항목의 보고서 수치를 안내합니다. " + text
    facts = [{**f.model_dump(), "role": role, "entity": f.key} for f, role in out.facts]
    return Composed(text, facts, out.citations, uniq)


class _State:
    """What composing an answer holds while it reads the tool results."""

    def __init__(self, plan: Plan, results: list[ToolResult]):
        self.plan, self.results = plan, results
        self.q = compact(plan.effective)
        self.draft = Draft(listing=has(self.q, COMPOSITION_CUES))
        self.findings: list[dict] = []
        self.asked: list[Fact] = []
        self.listed = False  # a threshold answered as a list of rows, not as a verdict on one
        self.budget_rows: list[dict] = []
        self.budget_groups: list[list[Fact]] = []
        self.derived: list[Fact] = []

    def facts(self, fs: list[Fact], limit: int = 12) -> None:
        self.asked.extend(fs[:limit])
        for f in fs[:limit]:
            # a budget figure answers only a question about money; otherwise it is context
            role = "answer" if f.table not in BUDGET_TABLES or "budget" in self.plan.intents else "context"
            self.draft.fact(f, role=role, named=_measure_named(_measure_of(f), self.q))

    def context(self, all_facts: list[Fact], shown: list[Fact], limit: int = 12) -> None:
        for f in [f for f in all_facts if f not in shown][:limit]:
            self.draft.fact(f, role="context")

    def tool_ran(self, name: str) -> bool:
        return any(r.tool == name for r in self.results)


def _budget_section(st: _State, r: ToolResult) -> None:
    plan = st.plan
    fs = _select(r.facts, plan.measures)
    if r.tool == "get_budget" and "전년 예산현액" in plan.measures and not any(f.period and f.column == "amount_prev" for f in fs):
        fs = [f for f in r.facts if f.column == "amount_prev"] + fs
    if r.tool == "rank_budget" and plan.op == "threshold":
        limit, above = plan.threshold
        fs = [f for f in fs if _passes(f.value, limit, above, plan.strict)]
        unit = fs[0].unit if fs else "%"
        what = f"{josa(_measure_of(fs[0]), '이') if fs else '해당 수치가'} {fmt(limit, unit) if limit or unit == '%' else '0'} {threshold_word(above, plan.strict)}인 세부사업"
        st.draft.add("count", f"{what}: {len(fs)}개", fs, what=what, n=len(fs), unit="개")
        st.listed = True
    elif r.tool == "rank_budget":
        args = next((a for t, a in plan.calls if t == "rank_budget"), {})
        st.draft.add("ranking", "; ".join(f"{f.label} {fmt(f.value, f.unit)} {cite(f.lines)}" for f in fs), fs,
                     measure=_measure_of(fs[0]) if fs else "", asc=args.get("order") == "asc")
    else:
        st.facts(fs)
        st.budget_groups.append(fs)
        if len(r.rows) <= 3:
            st.context(r.facts, fs)
    st.budget_rows += [row for row in r.rows if row.get("table") in ("budget_lines", "program_execution")]
    st.findings += r.findings


def _training_section(st: _State, r: ToolResult) -> None:
    plan, q = st.plan, st.q
    if "rank" in plan.intents or plan.op == "threshold":
        measure = next((m for m in plan.measures if m in ("참여율", "만족도", "인원", "횟수", "과정수")), "참여율")
        label = MEASURE_LABELS[measure][0]
        cands = [f for f in r.facts if label in f.label and "소계" not in f.label and not f.label.startswith("전체")
                 and not _is_total(f.key) and not (measure == "인원" and f.phase == "계획")]
        if plan.op == "threshold":
            limit, above = plan.threshold
            picked = [f for f in cands if _passes(f.value, limit, above, plan.strict)]
            st.listed = True
            what = f"{josa(measure, '이')} {fmt(limit, '%' if measure == '참여율' else '')} {threshold_word(above, plan.strict)}인 분야"
            st.draft.add("count", f"{what}: {len(picked)}개", picked, what=what, n=len(picked), unit="개")
            st.asked.extend(picked)
        else:
            asc = has(q, ("낮", "적", "최저", "하위", "저조", "덜"))
            picked = sorted(cands, key=lambda f: f.value, reverse=not asc)[: top_n(plan.effective, q)]
            st.draft.add("ranking", "; ".join(f"{f.label} {fmt(f.value, f.unit)}" for f in picked), picked, measure=measure, asc=asc)
            st.asked.extend(picked)
        st.findings += r.findings
        return
    fs = _select(r.facts, plan.measures)
    fs = _phase_asked(fs, plan.effective) if plan.op is None else fs
    st.facts(fs, 16)
    if len(r.rows) <= 2:
        st.context(r.facts, fs)
    st.findings += r.findings


def _ranked_by_measure(st: _State, fs: list[Fact]) -> bool:
    plan, q = st.plan, st.q
    rank_measure = next((m for m in plan.measures if m in ("인원", "횟수", "과정수")), None)
    named_measure = next((m for m in dict.fromkeys(_measure_of(f) for f in fs if isinstance(f.value, (int, float)))
                          if _measure_named(m, q)), None) if "rank" in plan.intents else None
    if not ("rank" in plan.intents and (rank_measure or named_measure) and has(q, RANK_CUES)):
        return False
    label = MEASURE_LABELS[rank_measure][0] if rank_measure and not named_measure else named_measure
    rank_measure = rank_measure if not named_measure else named_measure
    cands = [f for f in fs if label in f.label and isinstance(f.value, (int, float)) and not _is_total(f.key)
             and f.table not in ("program_metrics", "program_execution", "training_overview")]
    cands = _most_named(cands, q)
    qualified = [f for f in cands if any(w in q and w in _measure_of(f) for w in ("수료", "계획", "실적", "보유", "경과"))]
    cands = qualified or cands
    if len(cands) < 2:
        return False
    asc = has(q, ("적은", "낮", "최저", "하위", "작은"))
    picked = sorted(cands, key=lambda f: f.value, reverse=not asc)[: top_n(plan.effective, q, default=1)]
    st.draft.add("ranking", "; ".join(f"{f.label} {fmt(f.value, f.unit)}" for f in picked), picked, measure=rank_measure, asc=asc,
                 more_less=True)
    st.asked.extend(picked)
    return True


def _record_section(st: _State, r: ToolResult) -> None:
    """Exams, programs and general facts: the rows and measures the question names."""
    plan, q = st.plan, st.q
    fs = r.facts
    if _ranked_by_measure(st, fs):
        return
    mentioned = [] if has(q, COMPOSITION_CUES) and r.tool in ("get_general", "get_program", "get_exams") else _most_named([f for f in fs if f.key], q, keep_all=False)
    base = mentioned or fs
    fs2 = _select(base, [m for m in plan.measures if m in ("참여율", "만족도", "횟수", "과정수", "인원")])
    fs2 = [f for f in base if f in fs2 or _measure_named(_measure_of(f), q)]  # and any other measure it names (교육기간)
    words = [w for w in re.findall(r"[가-힣]{2,}", re.sub(r"(은|는|이|가|을|를|의|에)(?=\s|$|\?)", "", plan.question))
             if w not in QUESTION_NOUNS]
    partial = [f for f in fs2 if any(w in compact(_measure_of(f)) and w not in compact(f.key) for w in words)]
    if partial and has(q, DATE_CUES) and not has(q, COMPOSITION_CUES):
        fs2 = partial  # '면접은 언제': the 면접시험 line, not the whole schedule
    fs2.sort(key=lambda f: not _measure_named(_measure_of(f), q))  # the measure named first ('2회는?' after 경쟁률)
    fs2 = _phase_asked(fs2, plan.effective) if plan.op is None else fs2  # plan against actual needs both
    named = [f for f in fs2 if _measure_named(_measure_of(f), q)]
    if named and len(named) < len(fs2):  # the measure asked ('경쟁률'); the rest of the row is context
        st.context(fs2, named)
        fs2 = named
    st.facts(fs2, 30 if not mentioned else 16)
    st.findings += r.findings
    if r.tool == "get_general":
        _general_rows(st, r)


def _phase_asked(fs: list[Fact], question: str) -> list[Fact]:
    """Only the plan or only the actual figures when the question names one of them (typed phase)."""
    for asked, other in (("계획", "실적"), ("실적", "계획")):
        if asked in question and other not in question:
            return [f for f in fs if f.phase != other] or fs
    return fs


def _general_rows(st: _State, r: ToolResult) -> None:
    plan, q = st.plan, st.q
    for s in [row for row in r.rows if row["table"] == "strategies"]:
        tasks = [t for t in r.rows if t["table"] == "tasks" and t["strategy"] == s["name"]]
        c = {"section": s["section"], "source": "", "lines": [s["line_start"], s["line_end"]], "quote": s["name"]}
        st.draft.add("text", f"추진전략 {s['number']}. {s['name']}: " + "; ".join(f"{t['number']} {t['title']}" for t in tasks)
                     + f" {cite(c['lines'])}", citation=c)
    for row in r.rows:
        if row["table"] == "departments" and (_mentions(q, row["name"]) or "업무" in plan.effective or "부서" in plan.effective
                                              or _duty_named(row.get("duties") or "", plan.effective)):
            c = {"section": row["section"], "source": "", "lines": [row["line_start"], row["line_end"]], "quote": row["duties"]}
            st.draft.add("text", f"{josa(row['name'], '은')} {row['duties']}을(를) 맡습니다 {cite(c['lines'])}", citation=c)


def _contacts_section(st: _State, r: ToolResult) -> None:
    for row in r.rows:
        c = {"section": row["section"], "source": "", "lines": [row["line_start"], row["line_end"]], "quote": f"{row['position']} {row['name']}"}
        phone = f"(☎ {row['phone']})" if row.get("phone") else ""
        st.draft.add("text", f"{row['position']}: {row['name']}{phone} {cite(c['lines'])}", citation=c)


def _audit_section(st: _State, r: ToolResult) -> None:
    plan, q = st.plan, st.q
    items = [x for x in r.rows if x["table"] == "audit_items"]
    summary = [f for f in r.facts if f.table != "audit_table_cells"]
    cells = _table_cells([f for f in r.facts if f.table == "audit_table_cells"], plan.effective)
    counted = _rows_counted(r.rows, cells, q)
    if counted:  # '몇 번 출강했어요?' over a table of events: its rows are the count
        st.draft.add("derived", f"{counted.label}: {fmt(counted.value, counted.unit)} ({counted.formula}) {cite(counted.lines)}", [counted])
        st.derived.append(counted)
    if cells:
        st.facts(cells, 30)
    audit_args = next((a for t, a in plan.calls if t == "get_audit"), {})
    filters = [audit_args[k] for k in ("department", "kind", "status") if audit_args.get(k)]
    if filters and items and has(q, ("몇건", "건수", "몇개")):  # '인재채용과 소관 요구사항은 몇 건': the items that pass
        n = Fact(label=f"{' · '.join(filters)} 감사 요구사항 수", value=len(items), unit="건", formula=f"해당 항목 {len(items)}개를 센 값",
                 inputs=[len(items)], table="audit_items", key=" ".join(filters),
                 section=items[0]["section"], lines=[items[0]["line_start"], items[-1]["line_end"]])
        st.draft.add("derived", f"{n.label}: {fmt(n.value, n.unit)} ({n.formula})", [n])
        st.derived.append(n)
    if has(q, ("몇건", "건수", "총괄", "모두몇", "총몇", "몇개")) or not items:
        named = _most_named(summary, q, keep_all=False)
        rows = named or [f for f in summary if _is_total(f.key)] or summary
        st.facts(rows, 12)
    for it in items[:10]:
        request = re.sub(r"\s+", " ", it["request"])
        c = {"section": it["section"], "source": "", "lines": [it["line_start"], it["line_end"]], "quote": it["request"][:160]}
        st.draft.add("audit", f"[{it['kind']}] {request[:100]} — 추진상황: {it['status']} (담당: {it['department']}) {cite(c['lines'])}",
                     kind=it["kind"], request=request, status=it["status"], department=it["department"], cite=cite(c["lines"]),
                     citation=c)
    if 0 < len(items) <= 2 and (plan.prose or "조치" in plan.effective or "계획" in plan.effective):
        for it in items:
            for label, text in (("추진내용", it["actions"]), ("향후계획", it["plans"])):
                if text:
                    short = _first_sentences(text, 300)
                    st.draft.add("detail", f"{label}: {short}", citation={"section": it["section"], "source": "",
                                 "lines": [it["line_start"], it["line_end"]], "quote": short})
    st.findings += r.findings


def _first_sentences(text: str, limit: int) -> str:
    text = re.sub(r"\s+", " ", text).strip()
    if len(text) <= limit:
        return text
    cut = max(text.rfind(m, 0, limit) for m in ("함.", "임.", "음.", "다.", "함 ", "임 ", "예정 "))
    return text[: cut + 2].strip() if cut > 40 else text[: text.rfind(" ", 0, limit)] + " …"


def _findings_section(st: _State, r: ToolResult) -> None:
    for f in r.findings:
        st.draft.add("text", f["message"])
    st.findings += r.findings


TOOL_SECTIONS = {"get_budget": _budget_section, "rank_budget": _budget_section, "get_training": _training_section,
                 "get_exams": _record_section, "get_general": _record_section, "get_program": _record_section,
                 "get_contacts": _contacts_section, "get_audit": _audit_section, "get_findings": _findings_section}
BUDGET_TABLES = ("budget_lines", "program_execution")
RANK_CUES = ("가장", "제일", "최고", "최저", "순위", "상위", "하위")
DATE_CUES = ("언제", "며칠", "날짜", "일자", "발표일", "시험일")


def _computed(st: _State) -> None:
    """Figures the question asks to compute: ranked ratios, a verdict on a threshold, a reading in 평, plan
    against actual, sums, differences and shares; each goes before the figures it stands on."""
    plan, q, results = st.plan, st.q, st.results
    if plan.op in ("ratio", "share") and has(q, RANK_CUES):
        listed = [f for r in results if r.tool in ("get_general", "get_program", "get_training", "get_exams") for f in r.facts]
        ranked = _ranked_ratios(listed, q)
        if ranked:
            st.draft.add("ranking", "; ".join(f"{d.label} {fmt(d.value, d.unit)} ({d.formula})" for d in ranked), ranked, at=0,
                         measure=_measure_of(ranked[0]).split(" ")[-1] if ranked else "비율", asc=has(q, ("낮", "적은", "최저", "하위")))
            st.derived.extend(ranked)
    if plan.op == "threshold" and not st.listed and not st.tool_ran("rank_budget") and "rank" not in plan.intents:
        _verdict(st)
    if re.search(r"몇\s*평|평수|평으로|평\s*(이|인|쯤|정도)", plan.question):  # a reading in 평 of figures stated in ㎡
        stated = any(f.unit == "평" for f in st.draft.facts())  # the report's own 평 figure wins over a conversion
        for f in [f for f in st.asked if f.unit == "㎡" and isinstance(f.value, (int, float)) and not stated][:4]:
            conv = Fact(label=f"{f.label}(평 환산)", value=round(f.value * 0.3025), unit="평", formula=f"{fmt(f.value, f.unit)} × 0.3025",
                        inputs=[f.value], source=f.source, section=f.section, lines=f.lines, table=f.table, key=f.key)
            st.draft.add("derived", f"{f.label}: {fmt(f.value, f.unit)}(약 {fmt(conv.value, '평')})", [conv], at=0, converted=f)
    program_facts = [f for r in results if r.tool == "get_program" for f in r.facts]
    achieved = _achievement(program_facts, plan.effective) if plan.op == "ratio" and has(q, ("계획", "목표", "달성", "실적률")) else None
    every = st.draft.facts()
    derived = ([achieved] if achieved else []) or (_sum_of_listed(plan, st.budget_groups) if plan.op == "sum" else []) \
        or _derive(plan, st.asked, st.budget_rows) or (_derive(plan, every, st.budget_rows) if plan.op in ("ratio", "diff", "share") else [])
    for i, d in enumerate(derived):  # the computed answer first, the figures it stands on after
        st.draft.add("derived", f"{d.label}: {fmt(d.value, d.unit)} ({d.formula})", [d], at=i)
    st.derived.extend(derived)


def _verdict(st: _State) -> None:
    limit, above = st.plan.threshold
    f = next((f for f in st.asked if f.unit == "%" and isinstance(f.value, (int, float))), None)
    if f is None:
        return
    met = _passes(f.value, limit, above, st.plan.strict)
    phrase = (f"{fmt(limit, '%')}를 넘습니다" if met else f"{fmt(limit, '%')}를 넘지 않습니다") if above else \
        (f"{fmt(limit, '%')} 미만입니다" if met else f"{fmt(limit, '%')} 미만이 아닙니다")
    st.draft.add("verdict", f"{f.label} {fmt(f.value, f.unit)}: {phrase} {cite(f.lines)}", [f], at=0, yes=met, phrase=phrase)


def _prose(st: _State) -> None:
    plan, q = st.plan, st.q
    passages = [p for r in st.results if r.tool == "search_documents" for p in r.passages]
    if not (plan.prose and passages):
        return
    many = has(q, LIST_CUES)  # 'what are they doing about it?': a list of measures, so more of its lines
    quotes = _extract(plan.effective, passages, limit=8 if many else 5, siblings=many)
    st.draft.listing = st.draft.listing or many
    if not quotes:
        return
    asks_figure = bool(plan.measures) or plan.op is not None or "rank" in plan.intents or has(q, ("몇", "얼마")) \
        or any(isinstance(f.value, (int, float)) and _measure_named(_measure_of(f), q) for f in st.asked) \
        or has(q, DATE_CUES) and any(re.search(r"\d+\.\s*\d+", str(f.value)) for f in st.asked)
    if not asks_figure and not has(q, COMPOSITION_CUES):  # a question in words: only the figures of what it names go along
        for line in st.draft.lines:
            if line.kind == "fact" and not _mentions(q, line.facts[0].label):
                line.role = "context"
    if not asks_figure:  # the words answer; figures and listings go to the evidence
        for line in st.draft.lines:
            if line.kind == "text":
                line.meta["evidence_only"] = True
    lines = []
    readable = [t for t in quotes if not is_table_row(t[0])] or quotes
    named = " ".join(compact(f.label) for f in st.draft.facts())
    unmet = [w for w in _question_words(plan.question) if w not in named]  # words of the question no stated figure names
    for text, p, span in sorted(quotes, key=lambda t: t not in readable):
        c = {"section": p.section, "source": p.source, "lines": span, "quote": text}
        lines.append(Line("quote", f"\"{text}\" ({p.section} {cite(span)})", [], "answer",
                          {"quote": text, "cite": cite(span), "citation": c,
                           "lead_ok": not asks_figure or _fills(text, unmet) and len(lines) < 2}))
    top = lines[0].meta["quote"] if lines else ""
    statuses = [p.status for t, p, _ in quotes if t == top and getattr(p, "status", None)][:1]  # the item the first quote stands in
    if statuses and "audit" not in plan.intents:  # an audit request quoted: where it stands
        status = Line("text", "이 요구사항의 추진상황: " + "; ".join(statuses), meta={"citation": {
            "section": quotes[0][1].section, "source": quotes[0][1].source, "lines": quotes[0][2], "quote": "; ".join(statuses)}})
        if not asks_figure:
            lines.insert(1, status)
    flagged = sorted({n for _, p, _ in quotes if getattr(p, "flagged", False) for n in p.flagged_lines})
    if flagged:  # a line that addresses an AI or a reader is never quoted as report content
        lines.append(Line("detail", f"{', '.join(map(str, flagged))}행에는 AI나 독자에게 내리는 지시로 보이는 문장이 있어 보고서 내용으로 인용하지 않았습니다."))
    if asks_figure:
        st.draft.lines.extend(lines)
    else:
        st.draft.lines[:0] = lines


def _question_words(question: str) -> list[str]:
    """The question's content words, particles stripped ('필기합격자는' → '필기합격자')."""
    words = re.findall(r"[가-힣A-Za-z]{2,}", question)
    stems = [re.sub(r"(은|는|이|가|을|를|의|에|에서|으로|로|와|과|도|만|이나|나|요|이에요|예요)$", "", w) for w in words]
    return [compact(w) for w in stems if len(w) >= 2 and w not in QUESTION_NOUNS and not re.search(r"(나요|까요|세요|습니까|었|였|했|인가|인지)$", w)]


def _fills(text: str, unmet: list[str]) -> bool:
    """A quote that gives a figure beside a word of the question no stated figure names ('필기합격자 2,161명')."""
    c = compact(text)
    return bool(re.search(r"\d", text)) and any(w in c for w in unmet)


def _period_refusal(st: _State) -> Composed | None:
    plan, results = st.plan, st.results
    prev = _report_prev_year(results)
    if plan.year and (plan.year != prev or "budget" not in plan.intents):
        yy = str(plan.year)[2:]
        year_rx = re.compile(rf"({plan.year}|'{yy}\s*년|(?<!\d){yy}년)")
        quoted = [t for t, _, _ in _extract(plan.effective, [p for r in results for p in r.passages])]
        years_in_rows = [str(v) for r in results for row in r.rows for k, v in row.items() if "year" in k and v]
        topic = [w for w in _question_words(plan.effective) if len(canonical(w)) >= 2]  # a follow-up keeps its subject
        items = [f.label for r in results for f in r.facts] + quoted
        beside = any(year_rx.search(t) and any(canonical(w)[:2] in canonical(t) for w in topic) for t in items) if topic else True
        evidence = " ".join(items + years_in_rows)
        if not year_rx.search(evidence) or not (beside or years_in_rows and year_rx.search(" ".join(years_in_rows))):
            return Composed(f"보고서에는 {plan.year}년 자료가 없습니다. " + HOLDS, [], [], [], True, "no_data")
    return None


def _report_prev_year(results: list[ToolResult]) -> int | None:
    """The earlier of the two budget years the report's tables hold (from the data, not the code)."""
    years = [f.period for r in results for f in r.facts if f.column == "amount_prev" and f.period]
    return years[0] if years else None


def _unmet_refusal(st: _State) -> Composed | None:
    other_year = [r for r in st.results if r.tool == "get_budget" and not r.found and "년 예산만" in r.note]
    if other_year:
        return Composed(f"{other_year[0].note} " + HOLDS, [], [], [], True, "no_data")
    only_prev = [r for r in st.results if r.tool == "get_budget" and "예산현액만" in r.note]
    asked_measures = [m for m in st.plan.measures if m != "전년 예산현액"]
    if only_prev and asked_measures and not any(m == "예산현액" for m in asked_measures):
        return Composed(f"{only_prev[0].note} " + HOLDS, [], [], [], True, "no_data")
    return None


def _contradictions(st: _State, body: str) -> list[dict]:
    """The report's contradictions about a figure the lead states: they go into the lead."""
    seen, uniq = set(), []
    explicit = st.tool_ran("get_findings")
    for f in st.findings:
        if f["message"] not in seen and (_figure_shown(f.get("value_a"), body) or _figure_shown(f.get("value_b"), body) or explicit):
            seen.add(f["message"])
            uniq.append(f)
    if uniq and not explicit:
        for f in uniq[:2]:
            st.draft.add("warning", f["message"], finding=f)
    return uniq
