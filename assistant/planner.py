"""The offline planner: reads a Korean question with the database's own vocabulary, decides which
tools to call with which arguments, and writes the answer from their results with templates.

Nothing here knows a particular question; it knows the report's vocabulary (from the database),
the cue words of `lexicon`, and the shapes of tool results.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from knowledge.names import canonical, compact, line_key
from tools.base import Fact, ToolResult

from .lexicon import ATTRIBUTE_ASKS, BUDGET_MEASURES, COMPOSITION_CUES, DERIVED_MEASURES, DERIVED_RATIOS, FOLLOWUP_PREFIX, INTENTS, PREV_YEAR, QUESTION_NOUNS, REFUSE_PATTERNS, TRAINING_MEASURES
from .mentions import MentionIndex

PROSE_CUES = ("무엇", "뭐", "어떤", "어떻게", "왜", "언제", "어디", "내용", "방법", "사유", "이유", "목적", "무슨", "설명", "어떠",
              "추진했", "했나", "했는지", "계획은", "대책", "대안", "방안", "일시", "장소", "주제", "사례")
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


def has(q: str, words) -> bool:
    return any(compact(w) in q for w in words)


@lru_cache(maxsize=4)
def _indexes(vocab_key: tuple) -> dict[str, MentionIndex]:
    vocab = dict(vocab_key)
    return {
        "budget": MentionIndex(list(vocab["budget_line"]) + list(vocab["execution"]) + list(vocab["program"])),
        "program": MentionIndex(list(vocab["program"]), dict(x.split("\t", 1) for x in vocab.get("program_alias", []))),
        "subcategory": MentionIndex(list(vocab["subcategory"])),
    }


@lru_cache(maxsize=4)
def _audit_table_terms(labels: tuple[str, ...], others: tuple[str, ...], before_audit: str) -> tuple[str, ...]:
    cues = {compact(c) for cs in INTENTS.values() for c in cs} | {compact(w) for w in QUESTION_NOUNS}
    elsewhere = compact(" ".join(others)) + "|" + compact(before_audit)
    terms: set[str] = set()
    for label in labels:
        words = re.findall(r"[가-힣A-Za-z]+", re.sub(r"\([^)]*\)", " ", label))
        for w in words + [a + b for a, b in zip(words, words[1:])]:
            w = compact(w)
            if len(w) >= 3 and w not in cues and w not in elsewhere and not any(g in w for g in GENERIC_WORDS):
                terms.add(w)
    return tuple(sorted(terms, key=len, reverse=True))


GENERIC_WORDS = ("현황", "운영", "교육", "과정", "내용", "편성", "이하", "직급별")


def audit_table_terms(vocab: dict[str, list[str]], report_text: str | None = None) -> tuple[str, ...]:
    """Words that only the audit part uses, found in its tables (captions, headings, row names): used
    nowhere in the report before the audit part nor in the other tables' names."""
    labels = tuple(vocab.get("audit_table", []))
    others = tuple(x for k, v in vocab.items() if k not in ("audit_table", "audit_from", "program_alias", "department") for x in v)
    start = int((vocab.get("audit_from") or ["0"])[0])
    before = "\n".join(report_text.splitlines()[: max(start - 1, 0)]) if report_text and start else ""
    return _audit_table_terms(labels, others, before)


def indexes(vocab: dict[str, list[str]]) -> dict[str, MentionIndex]:
    return _indexes(tuple((k, tuple(v)) for k, v in sorted(vocab.items())))


def check_refusal(q: str) -> str | None:
    for pattern, reason in REFUSE_PATTERNS:
        if re.search(pattern, q):
            if reason == "forecast" and re.search(r"(연말|년말|집행\s*예상|예상\s*집행)", q):
                continue
            return reason
    return None


def effective_question(question: str, history: list[str]) -> str:
    """A follow-up ('그럼 작년은?', '그중 가장 낮은 건?') is read together with the previous question."""
    if not history:
        return question
    q = question.strip()
    if FOLLOWUP_PREFIX.match(q) or len(compact(q)) <= 8:
        return f"{history[-1]} {q}"
    return question


def names_something(question: str, vocab: dict[str, list[str]]) -> bool:
    idx = indexes(vocab)
    return bool(idx["budget"].best(question, threshold=0.5) or idx["program"].best(question, threshold=0.6))


def _kiwi():
    """The process-wide Kiwi analyser the search index uses too (one load per process)."""
    from knowledge.index.kiwi import get_kiwi

    return get_kiwi()


@lru_cache(maxsize=256)
def _analyse(question: str) -> tuple:
    """Kiwi's tokens of a question (read twice per question: unknown nouns, what is asked)."""
    from knowledge.index.kiwi import analyse

    return tuple(analyse(question))


@lru_cache(maxsize=4)
def _report_forms(text: str) -> tuple[str, str]:
    return compact(text), canonical(text)


MEASURE_SUFFIX = re.compile(r"(비용|비|값|액|금|료|률|율|점수|수|규모|표|별)$")


def unknown_nouns(question: str, report_text: str | None) -> tuple[list[str], bool]:
    """Nouns of the question that appear nowhere in the report (nor as a synonym), and whether the last
    noun of the question (what is asked for) is one of them. A noun such as '운영비' whose stem the report
    knows reads as a measure of a known thing, not as an unknown topic."""
    if not report_text:
        return [], False
    ct, cc = _report_forms(report_text)

    def known(w: str) -> bool:
        return compact(w) in ct or canonical(w) in cc

    nouns = [t.form for t in _analyse(question) if t.tag in ("NNG", "NNP", "SL") and len(t.form) >= 2]
    out = []
    for w in nouns:
        if w in QUESTION_NOUNS or known(w):
            continue
        stem = MEASURE_SUFFIX.sub("", w)
        if stem != w and len(stem) >= 2 and known(stem):
            continue
        out.append(w)
    focus = [w for w in nouns if w not in QUESTION_NOUNS]
    # the thing asked for (the question's last noun) is unknown and is no measure of something known
    return out, bool(out) and bool(focus) and focus[-1] in out


FIGURE_ASKS = {"얼마", "몇"}
PERSON_ASKS = {"성함", "이름"}  # '이름' counts only after a post
NOUN_TAGS = ("NNG", "NNP", "XSN", "SL", "SN")


def asked_measure(question: str) -> tuple[str, list[str], str] | None:
    """What a figure question asks for and the other things it names: the noun run just before '얼마'/'몇'
    (or before '알려' when the run ends in a measure word), e.g. '통과율' of '역량평가 통과율이 몇 %예요?'.
    The head is the run's last noun that is not a word of the question language ('평균 점수' → '과목별')."""
    toks = _analyse(question)
    at = next((i for i, t in enumerate(toks) if t.form in FIGURE_ASKS or t.form in PERSON_ASKS
               or (t.form == "알리" and i > 0 and MEASURE_SUFFIX.search(toks[i - 1].form))), None)
    if at is None:
        return None
    if toks[at].form == "성함":
        return toks[at].form, [], ""
    unit = toks[at + 1].form if toks[at].form == "몇" and at + 1 < len(toks) and toks[at + 1].tag in ("NNB", "NNG", "SW") else ""
    j = at - 1
    while j >= 0 and toks[j].tag.startswith("J"):
        j -= 1
    run: list[str] = []
    words = 0  # the run stays within the last two words ('재원 아동 수가', not '세출 총액 가운데 사업예산이')
    while j >= 0 and toks[j].tag in NOUN_TAGS:
        if run and toks[j].start + toks[j].len < toks[j + 1].start:
            words += 1
            if words >= 2:
                break
        if toks[j].tag == "XSN" and j > 0:
            run.insert(0, toks[j - 1].form + toks[j].form)
            j -= 2
            continue
        run.insert(0, toks[j].form)
        j -= 1
    if run and run[-1] in PERSON_ASKS:  # '이름' is a person's only after a post ('과장 이름'), not a program's
        return (run[-1], [], "") if run[-1] == "성함" or re.search(r"(장|관|담당자?|강사|위원)$", "".join(run[:-1])) else None
    heads = [w for w in run if w not in QUESTION_NOUNS and len(w) >= 2 and not w.isdigit()]
    if not heads:
        return None
    others = [t.form for t in toks if t.tag in ("NNG", "NNP") and len(t.form) >= 2 and t.form not in QUESTION_NOUNS
              and t.form != heads[-1] and t.form not in heads[-1]]
    return heads[-1], others, unit


CONTACT_LINE = re.compile(r"(과장|팀장|담당|주무관|부시장|원장)\S*\s*[:：]\s*[가-힣]{2,4}")


def _covered(head: str, others: list[str], unit: str, lines: list[str]) -> bool:
    """Whether the answer holds what was asked for: a figure line (from a typed tool) naming it, or a quoted
    sentence naming it — a measure word ('수수료', '통과율') together with one of the other things asked about,
    since a measure alone can belong to anything."""
    if head in PERSON_ASKS:
        return any(CONTACT_LINE.search(line) for line in lines)
    h = canonical(head)
    measure = bool(MEASURE_SUFFIX.search(head))
    if unit and not measure and any(re.search(rf"\d{re.escape(unit)}", line) for line in lines if not line.lstrip().startswith('- "')):
        return True  # '몇 편이에요?' answered by a figure in 편
    stem = canonical(MEASURE_SUFFIX.sub("", head)) if measure else ""
    for line in lines:
        c = canonical(line)
        quote = line.lstrip().startswith('- "')
        if h not in c and not (len(stem) >= 2 and stem in c and not quote):  # '관리비' of '…유지관리' figures
            continue
        if not quote or not measure or not others or any(canonical(o) in c for o in others):
            return True
    return False


OWN_NAMES = ("서울", "서울시", "서울특별시", "인재개발원", "인재원", "서울시인재개발원")


def _other_body(question: str, vocab: dict[str, list[str]]) -> str | None:
    """A proper noun the question names that is neither this center nor a name in its budget or programs
    ('부산광역시'): the question is about someone else."""
    names = compact(" ".join(vocab.get("budget_line", []) + vocab.get("execution", []) + vocab.get("program", [])))
    for t in _analyse(question):
        if t.tag == "NNP" and len(t.form) >= 2 and t.form not in OWN_NAMES and compact(t.form) not in names:
            return t.form
    return None


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
            and not has(q, ("팀장", "과장", "담당자")):
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
    if has(q, ("잔액", "미집행", "집행안된", "집행되지않", "안된금액", "남은", "남았", "집행안한")):
        plan.op = "remain"
    if has(q, ("더집행", "추가로집행", "추가집행", "더쓸")):
        plan.op = "forecast_gap"
    if re.search(r"(비중|차지|점유|몇\s*%를|몇\s*퍼센트를)", eff):  # on the spaced text: '장비 중' is no '비중'
        plan.op = "share"
    if has(q, ("몇배", "배나", "배예요", "배인가", "배정도", "배쯤")):
        plan.op = "times"

    # ---- budget
    budget_mentions = idx["budget"].best(eff, threshold=0.25)
    if "budget" in intents or ("rank" in intents and has(q, ("집행", "예산", "소진", "지출"))):
        for cues, measures in BUDGET_MEASURES:
            if has(q, cues):
                for m in measures:
                    if m not in plan.measures:
                        plan.measures.append(m)
        if plan.op == "threshold" and not budget_mentions[:1] or plan.op == "threshold" and has(q, ("사업은", "사업이", "몇개", "어느", "어떤")):
            measure = next((x for x in plan.measures if x in ("집행률", "집행액", "예산현액", "증감액", "증감률", "지출액")), "집행률")
            plan.calls.append(("rank_budget", {"measure": measure, "order": "desc" if plan.threshold[1] else "asc", "n": 30}))
            plan.intents.add("rank")
        elif "rank" in intents and not budget_mentions[:1] or ("rank" in intents and has(q, ("가장", "제일", "상위", "하위", "순위", "어느", "어떤"))):
            asc = has(q, ("낮", "적", "최저", "하위", "작은", "저조", "부진", "덜", "깎", "감액", "감소", "줄어든", "줄은"))
            m = re.search(r"(\d+)\s*(개|위|곳)", eff)
            n = int(m.group(1)) if m else (1 if has(q, ("가장", "제일", "최고", "최저")) else 3)
            measure = next((x for x in plan.measures if x in ("집행률", "집행액", "예산현액", "증감액", "증감률", "지출액")), "집행률")
            plan.calls.append(("rank_budget", {"measure": measure, "order": "asc" if asc else "desc", "n": n}))
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
        modes = [m for m, words in MODE_WORDS.items() if has(q, words)]
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

def fmt(value: Any, unit: str) -> str:
    if value is None:
        return "-"
    if isinstance(value, str):
        return value
    if isinstance(value, float) and not value.is_integer():
        s = f"{abs(value):,.2f}".rstrip("0").rstrip(".") if abs(value) < 10 else f"{abs(value):,.1f}"
    elif unit in ("%", "점", "%p"):
        s = f"{abs(value):,.1f}"
    else:
        s = f"{int(abs(value)):,}"
    sign = "△" if value < 0 else ""
    u = unit if unit not in ("대 1",) else ""
    if unit == "대 1":
        return f"{s}:1"
    return f"{sign}{s}{u}"


def cite(lines: list[int]) -> str:
    if not lines:
        return ""
    a, b = lines[0], lines[-1]
    return f"[{a}행]" if a == b else f"[{a}~{b}행]"


MEASURE_LABELS = {
    "예산현액": ("2025년 예산현액", "예산현액"), "전년 예산현액": ("2024년 예산현액",), "증감액": ("증감액",), "증감률": ("증감률",),
    "집행액": ("집행액(원인행위",), "집행률": ("집행률(원인행위)", "집행률"), "지출액": ("집행액(지출액)",), "지출 집행률": ("집행률(지출액)",),
    "연말 집행예상액": ("연말 집행예상액",), "연말 예상 집행률": ("연말 예상 집행률",),
    "참여율": ("참여율",), "만족도": ("만족도",), "횟수": ("횟수",), "과정수": ("과정수",), "인원": ("인원",),
}


def _select(facts: list[Fact], measures: list[str]) -> list[Fact]:
    if not measures:
        return facts
    out = []
    for f in facts:
        for m in measures:
            labels = MEASURE_LABELS.get(m, (m,))
            if any(l in f.label for l in labels) and not (m == "집행률" and "연말" in f.label) and not (m == "예산현액" and "2024" in f.label) \
                    and not (m == "집행액" and "지출액" in f.label):
                out.append(f)
                break
    return out or facts


@dataclass
class Composed:
    text: str
    facts: list[Fact]
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
    parts: list[str] = []
    facts: list[Fact] = []
    citations: list[dict] = []
    findings: list[dict] = []
    notes = [r.note for r in results if r.note and not r.found]
    q = compact(plan.effective)

    asked: list[Fact] = []
    listed = False  # a threshold answered as a list of rows, not as a verdict on one
    budget_rows: list[dict] = []
    budget_groups: list[list[Fact]] = []

    def add_context(all_facts: list[Fact], shown: list[Fact], limit: int = 12) -> None:
        rest = [f for f in all_facts if f not in shown][:limit]
        if rest:
            parts.append("  (같은 행의 다른 수치: " + "; ".join(f"{f.label} {fmt(f.value, f.unit)}" for f in rest) + ")")
            facts.extend(rest)

    def add_fact_lines(fs: list[Fact], limit: int = 12) -> None:
        asked.extend(fs[:limit])
        for f in fs[:limit]:
            parts.append(f"- {f.label}: {fmt(f.value, f.unit)} {cite(f.lines)}")
            facts.append(f)
            citations.append({"section": f.section, "source": f.source, "lines": f.lines, "quote": f"{f.label} {fmt(f.value, f.unit)}"})

    for r in results:
        if r.tool in ("get_budget", "rank_budget") and r.found:
            fs = _select(r.facts, plan.measures)
            if r.tool == "get_budget" and "전년 예산현액" in plan.measures and not any("2024" in f.label for f in fs):
                fs = [f for f in r.facts if "2024" in f.label] + fs
            if r.tool == "rank_budget" and plan.op == "threshold":
                limit, above = plan.threshold
                fs = [f for f in fs if _passes(f.value, limit, above, plan.strict)]
                word = ("초과" if plan.strict else "이상") if above else ("미만" if plan.strict else "이하")
                parts.append(f"{fs[0].label.split(' ')[-1] if fs else '해당 수치'}이(가) {fmt(limit, '%')} {word}인 세부사업: {len(fs)}개")
            if r.tool == "rank_budget":
                parts.append(r.note + ":" if plan.op != "threshold" else "목록:")
                for i, f in enumerate(fs, start=1):
                    parts.append(f"{i}. {f.label}: {fmt(f.value, f.unit)} {cite(f.lines)}")
                    facts.append(f)
                    citations.append({"section": f.section, "source": f.source, "lines": f.lines, "quote": f"{f.label} {fmt(f.value, f.unit)}"})
            else:
                add_fact_lines(fs)
                budget_groups.append(fs)
                if len(r.rows) <= 3:
                    add_context(r.facts, fs)
            budget_rows += [row for row in r.rows if row.get("table") in ("budget_lines", "program_execution")]
            findings += r.findings
        elif r.tool == "get_training" and r.found and ("rank" in plan.intents or plan.op == "threshold"):
            measure = next((m for m in plan.measures if m in ("참여율", "만족도", "인원", "횟수", "과정수")), "참여율")
            label = MEASURE_LABELS[measure][0]
            cands = [f for f in r.facts if label in f.label and "소계" not in f.label and not f.label.startswith("전체")
                     and not _is_total(f.key) and not (measure == "인원" and "계획" in f.label)]
            if plan.op == "threshold":
                limit, above = plan.threshold
                picked = [f for f in cands if _passes(f.value, limit, above, plan.strict)]
                listed = True
                word = ("초과" if plan.strict else "이상") if above else ("미만" if plan.strict else "이하")
                parts.append(f"{measure}이(가) {fmt(limit, '%' if measure == '참여율' else '')} {word}인 분야:")
            else:
                asc = has(q, ("낮", "적", "최저", "하위", "저조", "덜"))
                m = re.search(r"(\d+)\s*(개|위|곳)", plan.effective)
                n = int(m.group(1)) if m else (1 if has(q, ("가장", "제일", "최고", "최저")) else 3)
                picked = sorted(cands, key=lambda f: f.value, reverse=not asc)[:n]
                parts.append(f"{'낮은' if asc else '높은'} 순 {measure}:")
            add_fact_lines(picked, 20)
            findings += r.findings
        elif r.tool == "get_training" and r.found:
            fs = _select(r.facts, plan.measures)
            if "계획" in plan.effective and "실적" not in plan.effective:
                fs = [f for f in fs if "실적" not in f.label] or fs
            elif "실적" in plan.effective and "계획" not in plan.effective:
                fs = [f for f in fs if "계획" not in f.label] or fs
            add_fact_lines(fs, 16)
            if len(r.rows) <= 2:
                add_context(r.facts, fs)
            findings += r.findings
        elif r.tool in ("get_exams", "get_general", "get_program") and r.found:
            fs = r.facts
            rank_measure = next((m for m in plan.measures if m in ("인원", "횟수", "과정수")), None)
            named_measure = next((m for m in dict.fromkeys(_measure_of(f) for f in fs if isinstance(f.value, (int, float)))
                                  if _measure_named(m, q)), None) if "rank" in plan.intents else None
            if "rank" in plan.intents and (rank_measure or named_measure) and has(q, ("가장", "제일", "최고", "최저", "순위", "상위", "하위")):
                label = MEASURE_LABELS[rank_measure][0] if rank_measure and not named_measure else named_measure
                rank_measure = rank_measure if not named_measure else named_measure
                cands = [f for f in fs if label in f.label and isinstance(f.value, (int, float)) and not _is_total(f.key)
                         and f.table not in ("program_metrics", "program_execution", "training_overview")]
                cands = _most_named(cands, q)
                qualified = [f for f in cands if any(w in q and w in _measure_of(f) for w in ("수료", "계획", "실적", "보유", "경과"))]
                cands = qualified or cands
                if len(cands) >= 2:
                    asc = has(q, ("적은", "낮", "최저", "하위", "작은"))
                    m = re.search(r"(\d+)\s*(개|위|곳)", plan.effective)
                    picked = sorted(cands, key=lambda f: f.value, reverse=not asc)[: int(m.group(1)) if m else 1]
                    parts.append(f"{'적은' if asc else '많은'} 순 {rank_measure}:")
                    add_fact_lines(picked, 10)
                    continue
            mentioned = [] if has(q, COMPOSITION_CUES) and r.tool in ("get_general", "get_program", "get_exams") else _most_named([f for f in fs if f.key], q, keep_all=False)
            fs2 = _select(mentioned or fs, [m for m in plan.measures if m in ("참여율", "만족도", "횟수", "과정수", "인원")])
            add_fact_lines(fs2, 30 if not mentioned else 16)
            findings += r.findings
            if r.tool == "get_general":
                strategies = [row for row in r.rows if row["table"] == "strategies"]
                for s in strategies:
                    tasks = [t for t in r.rows if t["table"] == "tasks" and t["strategy"] == s["name"]]
                    parts.append(f"- 추진전략 {s['number']}. {s['name']} {cite([s['line_start'], s['line_end']])}: "
                                 + "; ".join(f"{t['number']} {t['title']}" for t in tasks))
                    citations.append({"section": s["section"], "source": "", "lines": [s["line_start"], s["line_end"]], "quote": s["name"]})
                for row in r.rows:
                    if row["table"] == "departments" and (_mentions(q, row["name"]) or "업무" in plan.effective or "부서" in plan.effective
                                                          or _duty_named(row.get("duties") or "", plan.effective)):
                        parts.append(f"- {row['name']}: {row['duties']} {cite([row['line_start'], row['line_end']])}")
                        citations.append({"section": row["section"], "source": "", "lines": [row["line_start"], row["line_end"]], "quote": row["duties"]})
        elif r.tool == "get_contacts" and r.found:
            for row in r.rows:
                parts.append(f"- {row['position']}: {row['name']}" + (f" ☎ {row['phone']}" if row.get("phone") else "") + f" {cite([row['line_start'], row['line_end']])}")
                citations.append({"section": row["section"], "source": "", "lines": [row["line_start"], row["line_end"]], "quote": f"{row['position']} {row['name']}"})
        elif r.tool == "get_audit":
            items = [x for x in r.rows if x["table"] == "audit_items"]
            summary = [f for f in r.facts if f.table != "audit_table_cells"]
            cells = _table_cells([f for f in r.facts if f.table == "audit_table_cells"], plan.effective)
            counted = _rows_counted(r.rows, cells, q)
            if counted:  # '몇 번 출강했어요?' over a table of events: its rows are the count
                parts.append(f"- {counted.label}: {fmt(counted.value, counted.unit)} ({counted.formula}) {cite(counted.lines)}")
                facts.append(counted)
            if cells:
                add_fact_lines(cells, 30)
            if has(q, ("몇건", "건수", "총괄", "모두몇", "총몇", "몇개")) or not items:
                add_fact_lines(summary, 12)
            for it in items[:10]:
                request = re.sub(r"\s+", " ", it["request"])
                parts.append(f"- [{it['kind']}] {request[:120]}{'…' if len(request) > 120 else ''} — 추진상황: {it['status']} (담당: {it['department']}) {cite([it['line_start'], it['line_end']])}")
                citations.append({"section": it["section"], "source": "", "lines": [it["line_start"], it["line_end"]], "quote": it["request"][:120]})
            if 0 < len(items) <= 2 and (plan.prose or "조치" in plan.effective or "계획" in plan.effective):
                for it in items:
                    if it["actions"]:
                        parts.append(f"  · 추진내용: {it['actions'][:400]}")
                    if it["plans"]:
                        parts.append(f"  · 향후계획: {it['plans'][:300]}")
            findings += r.findings
        elif r.tool == "get_findings":
            for f in r.findings:
                parts.append(f"- {f['message']}")
            findings += r.findings

    if plan.op in ("ratio", "share") and has(q, ("가장", "제일", "최고", "최저", "순위", "상위", "하위")):
        listed = [f for r in results if r.tool in ("get_general", "get_program", "get_training", "get_exams") for f in r.facts]
        ranked = _ranked_ratios(listed, q)
        if ranked:
            parts[:0] = [f"- {d.label}: {fmt(d.value, d.unit)} ({d.formula}) {cite(d.lines)}" for d in ranked]
            facts.extend(ranked)
    if plan.op == "threshold" and not listed and not any(r.tool == "rank_budget" for r in results) and "rank" not in plan.intents:
        limit, above = plan.threshold
        f = next((f for f in asked if f.unit == "%" and isinstance(f.value, (int, float))), None)
        if f is not None:
            met = _passes(f.value, limit, above, plan.strict)
            parts.insert(0, f"- {f.label} {fmt(f.value, f.unit)}: {fmt(limit, '%')}{'를 넘습니다' if above and met else '를 넘지 않습니다' if above else ' 미만입니다' if met else ' 미만이 아닙니다'} {cite(f.lines)}")
    if re.search(r"몇\s*평|평수|평으로|평\s*(이|인|쯤|정도)", plan.question):  # a reading in 평 of figures stated in ㎡
        stated = any(f.unit == "평" for f in facts)  # the report's own 평 figure wins over a conversion
        for f in [f for f in asked if f.unit == "㎡" and isinstance(f.value, (int, float)) and not stated][:4]:
            conv = Fact(label=f"{f.label}(평 환산)", value=round(f.value * 0.3025), unit="평", formula=f"{fmt(f.value, f.unit)} × 0.3025",
                        inputs=[f.value], source=f.source, section=f.section, lines=f.lines, table=f.table, key=f.key)
            parts.insert(0, f"- {f.label}: {fmt(f.value, f.unit)}(약 {fmt(conv.value, '평')}, {conv.formula}) {cite(f.lines)}")
            facts.append(conv)
    program_facts = [f for r in results if r.tool == "get_program" for f in r.facts]
    achieved = _achievement(program_facts, plan.effective) if plan.op == "ratio" and has(q, ("계획", "목표", "달성", "실적률")) else None
    derived = ([achieved] if achieved else []) or (_sum_of_listed(plan, budget_groups) if plan.op == "sum" else []) or _derive(plan, asked, budget_rows) or (_derive(plan, facts, budget_rows) if plan.op in ("ratio", "diff", "share") else [])
    for i, d in enumerate(derived):  # the computed answer first, the figures it stands on after
        parts.insert(i, f"- {d.label}: {fmt(d.value, d.unit)} ({d.formula})")
        facts.append(d)

    passages = [p for r in results if r.tool == "search_documents" for p in r.passages]
    if plan.prose and passages:
        many = has(q, LIST_CUES)  # 'what are they doing about it?': a list of measures, so more of its lines
        quotes = _extract(plan.effective, passages, limit=8 if many else 5, siblings=many)
        if quotes:
            block = ["보고서 본문:"] + [f"- \"{text}\" ({p.section} {cite(lines)})" for text, p, lines in quotes]
            statuses = list(dict.fromkeys(p.status for _, p, _ in quotes if getattr(p, "status", None)))
            if statuses and "audit" not in plan.intents:  # an audit request quoted: where it stands
                block.append("감사 요구사항 추진상황: " + "; ".join(statuses))
            citations.extend({"section": p.section, "source": p.source, "lines": lines, "quote": text} for text, p, lines in quotes)
            asks_figure = bool(plan.measures) or plan.op is not None or "rank" in plan.intents
            if not asks_figure and not has(q, COMPOSITION_CUES):  # a question in words: only the figures of what it names go along
                parts[:] = _named_lines(parts, facts, plan.effective)
            parts[:0] = [] if asks_figure else block + (["관련 수치:"] if parts else [])
            if asks_figure:
                parts.extend(block)

    if plan.year and plan.year != 2024 or plan.year == 2024 and "budget" not in plan.intents:
        yy = str(plan.year)[2:]
        year_rx = re.compile(rf"({plan.year}|'{yy}\s*년|(?<!\d){yy}년)")
        quoted = [t for t, _, _ in _extract(plan.effective, [p for r in results for p in r.passages])]
        years_in_rows = [str(v) for r in results for row in r.rows for k, v in row.items() if "year" in k and v]
        topic = [w for w in re.findall(r"[가-힣A-Za-z]{2,}", plan.question) if w not in QUESTION_NOUNS and len(canonical(w)) >= 2]
        items = [f.label for r in results for f in r.facts] + quoted
        beside = any(year_rx.search(t) and any(canonical(w)[:2] in canonical(t) for w in topic) for t in items) if topic else True
        evidence = " ".join(items + years_in_rows)
        if not year_rx.search(evidence) or not (beside or years_in_rows and year_rx.search(" ".join(years_in_rows))):
            return Composed(f"보고서에는 {plan.year}년 자료가 없습니다. " + HOLDS, [], [], [], True, "no_data")
    other_year = [r for r in results if r.tool == "get_budget" and not r.found and "년 예산만" in r.note]
    if other_year:
        return Composed(f"{other_year[0].note} " + HOLDS, [], [], [], True, "no_data")
    only_prev = [r for r in results if r.tool == "get_budget" and "예산현액만" in r.note]
    asked_measures = [m for m in plan.measures if m != "전년 예산현액"]
    if only_prev and asked_measures and not any(m == "예산현액" for m in asked_measures):
        return Composed(f"{only_prev[0].note} " + HOLDS, [], [], [], True, "no_data")
    if not parts:
        why = (" ".join(notes) + " ") if notes else ""
        return Composed(f"보고서에서 이 질문에 답할 근거를 찾지 못했습니다. {why}{HOLDS}", [], [], [], True, "no_data")
    seen = set()
    uniq = []
    body = "\n".join(parts)
    for f in findings:
        if f["message"] not in seen and (_figure_shown(f.get("value_a"), body) or _figure_shown(f.get("value_b"), body)
                                         or any(r.tool == "get_findings" for r in results)):
            seen.add(f["message"])
            uniq.append(f)  # a contradiction about a figure the answer states
    if uniq and not any(r.tool == "get_findings" for r in results):
        parts.append("※ 보고서 안에서 수치가 서로 다릅니다(어느 한쪽을 임의로 택하지 않았습니다):")
        for f in uniq[:3]:
            parts.append(f"  - {f['message']}")
    asked = asked_measure(plan.question) if plan.question == plan.effective else None
    if asked and not any(r.tool == "get_findings" for r in results):
        head, others, unit = asked
        if not derived and not _covered(head, others, unit, parts):
            held = list(dict.fromkeys(m for f in facts if (m := _measure_of(f)) and not re.search(r"\d", m)))[:8]
            return Composed(f"보고서에는 '{head}'에 관한 수치나 내용이 없어 답할 수 없습니다. "
                            + (f"이 주제로 보고서에 있는 항목은 {', '.join(held)} 등입니다. " if held else "") + HOLDS,
                            [], [], [], True, "no_data")
    lead = f"보고서에는 '{', '.join(plan.missing)}'에 해당하는 항목이 없어, 질문에서 짚은 항목의 보고서 수치를 안내합니다." if plan.missing else ""
    text = (lead + "\n" if lead else "") + "\n".join(parts)
    return Composed(text, facts, citations, uniq)


MENTION_GENERIC = {"교육", "운영", "과정", "계획", "실적", "전년", "인원", "사업", "추진", "규모", "합계", "소계"}


def _label_words(label: str) -> list[str]:
    """Words of a label; a long glued name also offers its first three letters ('신규자과정운영' → '신규자')."""
    words = [w for w in re.findall(r"[가-힣A-Za-z0-9]+", label) if len(w) >= 2 and w not in MENTION_GENERIC]
    return words + [canonical(w)[:3] for w in words if len(canonical(w)) >= 5 and canonical(w)[:3] not in MENTION_GENERIC]


def _mention_count(q: str, label: str) -> int:
    cq = canonical(q)
    return sum(1 for w in _label_words(label) if compact(w) in q or canonical(w) in cq)


def _mentions(q: str, label: str) -> bool:
    return _mention_count(q, label) > 0


def _measure_of(f: Fact) -> str:
    if f.key and f.label.startswith(f.key):
        return f.label[len(f.key):].strip()
    return f.label.rsplit(" ", 1)[-1] if f.table == "program_metrics" else f.label


def _same_measure(a: Fact, b: Fact) -> bool:
    return re.sub(r"(계획|실적|수료|소계)\s*", "", _measure_of(a)) == re.sub(r"(계획|실적|수료|소계)\s*", "", _measure_of(b))


def _plan_actual(facts: list[Fact], question: str = "") -> tuple[Fact, Fact] | None:
    """A planned figure and its actual (or completed) counterpart with the same unit; figures of rows the
    question names come first, and people (명) before counts of courses or sessions."""
    q = compact(question)
    unit = "회" if has(q, ("횟수", "몇회", "회적", "회더", "회많")) else "개" if has(q, ("과정수", "몇개과정", "개과정")) else "명"
    nums = [f for f in facts if isinstance(f.value, (int, float)) and f.unit and f.unit != "%"]
    nums.sort(key=lambda f: (-_mention_count(q, f.key) if q else 0, f.unit != unit))
    for a in nums:
        if "계획" not in a.label:
            continue
        for b in nums:
            if b is a or b.unit != a.unit or not any(w in b.label for w in ("실적", "수료", "실시")):
                continue
            same_row = a.key == b.key and a.lines == b.lines
            same_thing = re.sub(r"\((계획|실적)\)", "", a.label.split(" ")[0]) != "" and (
                same_row or (a.table == b.table == "program_metrics" and a.label.endswith(b.label.split(" ")[-1])))
            if (same_row or same_thing) and _same_measure(a, b) or same_row:
                return a, b
    return None


def _two_of_one_row(facts: list[Fact]) -> tuple[Fact, Fact] | None:
    nums = [f for f in facts if isinstance(f.value, (int, float)) and f.unit and f.unit != "%"]
    for a in nums:
        for b in nums:
            if a is not b and a.key == b.key and a.unit == b.unit and a.value < b.value:
                return a, b
    return None


def _diff_fact(a: Fact, b: Fact) -> Fact:
    """a − b as a derived fact (a percentage-point gap between two rates)."""
    d = round(a.value - b.value, 2) if isinstance(a.value, float) or isinstance(b.value, float) else a.value - b.value
    return Fact(label=f"차이({a.label} − {b.label})", value=d, unit="%p" if a.unit == "%" else "" if a.unit == ":1" else a.unit,
                formula=f"{fmt(a.value, a.unit)} − {fmt(b.value, b.unit)}", inputs=[a.value, b.value],
                source=a.source, section=a.section, lines=a.lines)


def _ratio_fact(num: Fact, den: Fact, label: str) -> Fact:
    """num ÷ den × 100 as a derived fact."""
    return Fact(label=label, value=round(num.value / den.value * 100, 1), unit="%",
                formula=f"{fmt(num.value, num.unit)} ÷ {fmt(den.value, den.unit)} × 100", inputs=[num.value, den.value],
                source=num.source, section=num.section, lines=num.lines)


def _row_fact(row: dict, label: str, value, formula: str, inputs: list) -> Fact:
    return Fact(label=label, value=value, unit="천원", formula=formula, inputs=inputs, section=row.get("section", ""),
                lines=[row.get("line_start", 0), row.get("line_end", 0)], table=row.get("table", ""), key=row.get("name", ""))


def _measure_named(measure: str, q: str) -> bool:
    """Whether the question names a measure ('경쟁률(:1)' is named by '경쟁률')."""
    m = compact(re.sub(r"\([^)]*\)", "", measure))
    return len(m) >= 2 and (m in q or canonical(m) in canonical(q))


def _named_apart(fs: list[Fact], question: str) -> list[Fact]:
    """The facts (one measure, several rows) whose distinguishing part of the row name the question names:
    '집합 소계' / 'e-러닝 소계' are told apart by '집합' / 'e-러닝', '제1회 …' / '제2회 …' by '1회' / '2회'."""
    keys = [compact(f.key) for f in fs]
    if len(set(keys)) < 2:
        return []
    pre = len(_common_prefix(keys))
    suf = len(_common_prefix([k[::-1] for k in keys]))
    cq, q = canonical(question), compact(question)
    named = []
    for f, k in zip(fs, keys):
        part = k[pre : len(k) - suf] if len(k) - suf > pre else ""
        if len(part) < 2 and part:
            part = k[pre : len(k) - suf + 1]
        if len(part) >= 2 and (part in q or canonical(part) in cq):
            named.append(f)
    return named


def _common_prefix(words: list[str]) -> str:
    out = ""
    for chars in zip(*words):
        if len(set(chars)) > 1:
            break
        out += chars[0]
    return out


PREV_MARK = re.compile(r"('\s*\d{2}\s*년|20\d{2}\s*년|전년|작년|\(계획\)|\(전년\)|\(실적\)|\s-\s)")


def _year_pair(facts: list[Fact], question: str) -> tuple[Fact, Fact] | None:
    """This year's figure and last year's of the same thing ('채용규모(계획) 인원' / ''24년 - 채용규모(전년) 인원'),
    the thing named by the question."""
    q = compact(question)
    for cur in facts:
        if re.search(r"전년|작년|2024|'24", cur.label):
            continue
        base = compact(PREV_MARK.sub("", cur.label))
        for prev in facts:
            if prev is cur or prev.unit != cur.unit or not re.search(r"전년|작년|2024|'24", prev.label):
                continue
            if compact(PREV_MARK.sub("", prev.label)) == base and _mentions(q, cur.key):
                return cur, prev
    return None


def _achievement(facts: list[Fact], question: str) -> Fact | None:
    """A program's actual against its plan (실적 ÷ 계획 × 100) from its scale and results lines: the part the
    question names ('공감마당') when it names one, else the whole (the plan line that is at least the sum of the
    others, against the largest actual line)."""
    q = compact(question)
    unit = "회" if has(q, ("횟수", "몇회")) else "개" if has(q, ("과정수", "몇개과정")) else "명"
    rows = [f for f in facts if f.table == "program_metrics" and f.unit == unit and isinstance(f.value, (int, float))]
    plans = [f for f in rows if "(계획)" in f.label]
    actuals = [f for f in rows if "(실적)" in f.label]
    if not plans or not actuals:
        return None

    def part(f: Fact) -> str:
        return re.sub(r"\((계획|실적)\).*$", "", f.label)

    words = {id(f): set(_label_words(part(f))) for f in actuals}
    named = [f for f in actuals if any(compact(w) in q for w in words[id(f)] - set().union(*(words[id(g)] for g in actuals if g is not f)))]
    if len(named) == 1:  # a part named by a word no other results line has ('공감마당')
        actual = named[0]
        cands = [(len(bigrams_of(compact(part(f))) & bigrams_of(compact(part(actual)))), f) for f in plans]
        best = max(c for c, _ in cands)
        if best == 0:
            return None
        plan = next(f for c, f in cands if c == best)
    else:
        plan = max(plans, key=lambda f: f.value)
        if plan.value < sum(f.value for f in plans) - plan.value:
            return None  # no line is the whole
        actual = max(actuals, key=lambda f: f.value)
    return _ratio_fact(actual, plan, f"계획 대비 실적({part(actual)} ÷ {part(plan)})")


def _table_cells(cells: list[Fact], question: str) -> list[Fact]:
    """The cells of audit-response tables the question asks about: those of the year it names, if any, and
    among them those its other words name (a column such as '현업 적용도', a row such as 'ODA 온라인 연수')."""
    if not cells:
        return []
    q = compact(question)
    years = set(re.findall(r"20\d{2}", question)) | {f"20{y}" for y in re.findall(r"'(\d{2})\s*년", question)}
    if years and len({y for f in cells for y in re.findall(r"20\d{2}", f.key)}) >= 2:  # a table over years
        dated = [f for f in cells if any(y in f.key for y in years)]
        cells = dated or cells
    scored = [(_mention_count(q, re.sub(r"20\d{2}년?", " ", f.key)), f) for f in cells]
    top = max(c for c, _ in scored)
    if top == 0:
        return []
    return [f for c, f in scored if c >= max(1, top - 1)]


def _rows_counted(rows: list[dict], cells: list[Fact], q: str) -> Fact | None:
    """A count the question asks for ('몇 번', '몇 회') that a table of events answers by its number of rows,
    when none of its cells is a figure: the table whose caption the question names most."""
    if not has(q, ("몇번", "몇회", "몇차례", "몇건", "횟수")) or any(isinstance(f.value, (int, float)) for f in cells):
        return None
    tables = [(_mention_count(q, t.get("caption") or ""), t) for t in rows if t.get("table") == "audit_tables"]
    score, best = max(tables, key=lambda x: x[0], default=(0, None))
    if not best or score == 0 or not best.get("n_rows"):
        return None
    unit = "회" if has(q, ("몇번", "몇회", "몇차례", "횟수")) else "건"
    return Fact(label=f"{best['caption']} (표의 행 수)", value=best["n_rows"], unit=unit, formula=f"표의 {best['n_rows']}개 행을 센 값",
                inputs=[best["n_rows"]], section=best.get("section", ""), lines=[best.get("line_start", 0), best.get("line_end", 0)],
                table="audit_tables", key=best["caption"])


def _duty_named(duties: str, question: str) -> bool:
    """Whether the question names one of a department's duties ('e-러닝·IT과정 운영, … 시설관리' ← '시설관리는 어느 과')."""
    c = canonical(duties)
    words = [w for w in re.findall(r"[가-힣A-Za-z\-]{2,}", question) if w not in QUESTION_NOUNS]
    return any(len(canonical(w)) >= 2 and canonical(w) in c for w in (re.sub(r"(은|는|이|가|을|를|와|과|이랑|랑|의)$", "", w) for w in words))


def _passes(value: float, limit: float, above: bool, strict: bool) -> bool:
    if above:
        return value > limit if strict else value >= limit
    return value < limit if strict else value <= limit


def _is_total(key: str) -> bool:
    """A row that sums others ('합계', 'e-러닝 분야별 합계', '총 6기'): never a ranking's winner."""
    return key.startswith(("합계", "전체")) or bool(re.search(r"(^|\s)(총|계|소계|합계|합 계)(\s|$)", key))


def _most_named(fs: list[Fact], q: str, keep_all: bool = True) -> list[Fact]:
    """The facts of the rows the question names most ('본교육 6기' over every '본교육' row); all of them
    (or none, with keep_all=False) when it names none."""
    counts = [(_mention_count(q, f.key), f) for f in fs]
    top = max((c for c, _ in counts), default=0)
    if top == 0:
        return fs if keep_all else []
    best = {(f.table, f.key) for c, f in counts if c == top}
    named = {(f.table, f.key) for c, f in counts if c > 0 and f.table in {t for t, _ in best}}
    narrow = top >= 2 and 2 * len(best) < len(named)  # a few rows of a table named by more words than the rest
    return [f for c, f in counts if (c == top if narrow else c > 0)]


def _figure_shown(value, text: str) -> bool:
    if not isinstance(value, (int, float)):
        return False
    forms = {f"{value:,.1f}", f"{value:,.2f}".rstrip("0").rstrip(".")}
    if float(value).is_integer():
        forms.add(f"{int(value):,}")
    return any(re.search(rf"(?<![\d,.]){re.escape(x)}(?![\d]|,\d)", text) for x in forms)


def _named_lines(parts: list[str], facts: list[Fact], question: str) -> list[str]:
    """The answer's lines without the figure lines (and their '같은 행' notes) of rows the question does not name."""
    q = compact(question)
    by_line = {f"- {f.label}: {fmt(f.value, f.unit)}": f for f in facts}
    out: list[str] = []
    dropped = False
    for line in parts:
        if line.startswith("  (같은 행의 다른 수치") and dropped:
            continue
        f = next((f for head, f in by_line.items() if line.startswith(head)), None)
        dropped = f is not None and not _mentions(q, f.label)
        if not dropped:
            out.append(line)
    return out


def _ranked_ratios(facts: list[Fact], q: str, n: int | None = None) -> list[Fact]:
    """Rows ranked by the ratio of their two counts (the part over the whole, e.g. 내구연한 경과 수량 ÷
    보유 수량): rows with exactly two figures in one unit, totals left out."""
    rows: dict[tuple[str, str], list[Fact]] = {}
    for f in facts:
        if isinstance(f.value, (int, float)) and f.unit and f.unit != "%" and f.key:
            rows.setdefault((f.table, f.key), []).append(f)
    out = []
    for (_, key), fs in rows.items():
        if len(fs) != 2 or fs[0].unit != fs[1].unit or compact(key) in ("합계", "계", "전체", "소계") or key.startswith(("합계", "전체")):
            continue
        part, whole = sorted(fs, key=lambda f: f.value)
        if whole.value:
            out.append(_ratio_fact(part, whole, f"{key} {_measure_of(part)} 비율"))
    if len(out) < 2:
        return []
    asc = has(q, ("낮", "적은", "최저", "하위"))
    m = re.search(r"(\d+)\s*(개|위|곳)", q)
    out.sort(key=lambda f: f.value, reverse=not asc)
    return out[: n or (int(m.group(1)) if m else 1 if has(q, ("가장", "제일", "최고", "최저")) else 3)]


def _two_named(nums: list[Fact], question: str) -> tuple[Fact, Fact] | None:
    """'A는 B의 몇 %/몇 배': two rows of one measure the question tells apart, A the one it names first."""
    q = compact(question)
    by_measure: dict[tuple[str, str], list[Fact]] = {}
    for f in nums:
        by_measure.setdefault((f.unit, _measure_of(f)), []).append(f)
    for (unit, measure), fs in by_measure.items():
        if unit == "%" or not _measure_named(measure, q):
            continue
        named = _named_apart(list({f.key: f for f in fs}.values()), question)
        if len(named) == 2 and all(f.value for f in named):
            a, b = sorted(named, key=lambda f: _part_position(f, named, question))
            return a, b
    return None


def _part_position(f: Fact, group: list[Fact], question: str) -> int:
    """Where the question names what tells `f` apart from the rest of its group ('2회' in '2회 … 1회의')."""
    keys = [compact(g.key) for g in group]
    pre = len(_common_prefix(keys))
    suf = len(_common_prefix([k[::-1] for k in keys]))
    k = compact(f.key)
    part = k[pre : len(k) - suf] if len(k) - suf > pre else k
    if len(part) < 2:
        part = k[pre : len(k) - suf + 1]
    q = compact(question)
    at = q.find(part)
    return at if at >= 0 else len(q)


def _share_named(nums: list[Fact], question: str) -> tuple[Fact, Fact] | None:
    """'X 중 Y 비중': Y's share of X, both figures in one unit, X named before '중/가운데/에서'."""
    m = re.search(r"(\S+?)\s*(?:중|가운데|에서)\s", question)
    if not m:
        return None
    whole_name, rest = compact(m.group(1)), compact(question[m.end():])
    wholes = [f for f in nums if _mention_count(whole_name, f.key) and f.unit != "%"]
    for whole in wholes:
        parts = [f for f in nums if f is not whole and f.unit == whole.unit and f.key != whole.key and _mentions(rest, f.key)
                 and f.value <= whole.value]
        if parts:
            return parts[0], whole
    return None


def _sum_of_listed(plan: Plan, groups: list[list[Fact]]) -> list[Fact]:
    """The sum of one figure of each thing the question lists (each from its own tool call), in one unit."""
    firsts: list[Fact] = []
    for fs in groups:
        f = next((f for f in fs if isinstance(f.value, (int, float)) and f.unit and f.unit != "%" and "2024" not in f.label), None)
        if f and not any(g.lines == f.lines or g.unit != f.unit for g in firsts):
            firsts.append(f)
    if len(firsts) < 2:
        return []
    total = sum(f.value for f in firsts)
    return [Fact(label="합계(" + " + ".join(f.label for f in firsts) + ")", value=total, unit=firsts[0].unit,
                 formula=" + ".join(fmt(f.value, f.unit) for f in firsts), inputs=[f.value for f in firsts],
                 source=firsts[0].source, section=firsts[0].section, lines=firsts[0].lines)]


def _derive(plan: Plan, facts: list[Fact], rows: list[dict] | None = None) -> list[Fact]:
    out: list[Fact] = []
    rows = rows or []
    nums = [f for f in facts if isinstance(f.value, (int, float)) and f.unit]
    if plan.op in ("remain", "forecast_gap"):
        seen = set()
        for row in rows:
            if row["table"] == "budget_lines" and row.get("level") == 0 and len(rows) > 1 and plan.op == "forecast_gap":
                continue
            total = row.get("amount") if row["table"] == "budget_lines" else row.get("budget")
            done = row.get("executed") if row["table"] == "budget_lines" else row.get("committed")
            if plan.op == "forecast_gap":
                total = row.get("forecast")
            if total is None or done is None or (total, done) in seen:
                continue
            seen.add((total, done))
            what = "연말 집행예상액 − 원인행위 집행액" if plan.op == "forecast_gap" else "예산현액 − 집행액(원인행위)"
            out.append(_row_fact(row, f"{row['name']} {'연말까지 추가 집행 예정액' if plan.op == 'forecast_gap' else '미집행 잔액'}",
                                 total - done, f"{what} = {total:,} − {done:,}", [total, done]))
        return out
    q = compact(plan.effective)
    plan_words = has(q, ("계획", "목표", "예정", "달성", "수료", "실적"))
    if plan.op in ("ratio", "share") and has(q, ("가장", "제일", "최고", "최저", "순위")):
        return out  # a ranking of ratios is not derived here
    for cues, numerator, denominator, name in DERIVED_RATIOS if plan.op in ("ratio", None) else []:
        if not has(q, cues):
            continue
        pairs = [(a, b) for a in nums for b in nums if a.key == b.key and a.unit == b.unit and a is not b
                 and compact(numerator) in compact(a.label) and compact(denominator) in compact(b.label) and b.value]
        named = [(a, b) for a, b in pairs if _mentions(q, a.key)]
        whole = [(a, b) for a, b in pairs if re.sub(r"\s", "", a.key) in ("합계", "계", "전체", "소계")]
        for a, b in (named or whole)[:1]:
            return [_ratio_fact(a, b, f"{a.key} {name}")]
    if plan.op in ("ratio", "times") and not plan_words:
        pair = _two_named(nums, plan.effective)
        if pair:
            a, b = pair
            if plan.op == "times":
                return [Fact(label=f"{a.label} ÷ {b.label}", value=round(a.value / b.value, 1), unit="배",
                             formula=f"{fmt(a.value, a.unit)} ÷ {fmt(b.value, b.unit)}", inputs=[a.value, b.value],
                             source=a.source, section=a.section, lines=a.lines)]
            return [_ratio_fact(a, b, f"{a.label} ÷ {b.label}")]
    if plan.op == "share":
        part_whole = _share_named(nums, plan.effective)
        if part_whole:
            a, b = part_whole
            return [_ratio_fact(a, b, f"{a.label} 비중({b.label} 대비)")]
    if plan.op == "ratio" and not rows:
        pair = _plan_actual(facts, plan.effective) if plan_words else None
        if pair:
            a, b = pair
            return [_ratio_fact(b, a, f"{b.label} ÷ {a.label}")]
        same = _two_of_one_row(facts) if "중" in plan.effective else None
        if same:
            small, big = same
            out.append(_ratio_fact(small, big, f"{small.label} 비율"))
        return out
    if plan.op == "diff" and not rows:
        pair = _plan_actual(facts, plan.effective) if has(q, ("계획", "목표", "예정")) else None
        if pair:
            a, b = pair
            return [_diff_fact(b, a)]
    if plan.op == "share" and not rows:
        wholes = [f for f in facts if f.unit and f.unit != "%" and (f.key.startswith("전체") or f.key.endswith("합계") or "소계" in f.label)]
        total = (next((f for f in wholes if f.key.startswith("전체")), None) if "전체" in q else None) \
            or next((f for f in wholes if f.key.startswith("전체") or f.key.endswith("합계")), None) or next(iter(wholes), None)
        part = next((f for f in facts if f is not total and total and f.unit == total.unit and _same_measure(f, total)
                     and ("실적" in f.label) == ("실적" in total.label)), None)
        if total and part:
            out.append(_ratio_fact(part, total, f"{part.label} 비중"))
        return out
    if plan.op == "share":
        total = next((f for f in nums if f.unit == "천원" and f.key.replace(" ", "") in ("합계",) and "2025" in f.label), None)
        parts = [f for f in nums if f.unit == "천원" and f is not total and "2025" in f.label and f.key.replace(" ", "") != "합계"]
        if total and parts:
            out.append(_ratio_fact(parts[0], total, f"{parts[0].key} 비중(전체 세출 대비)"))
        return out
    if plan.op == "diff":
        for cues, minuend, subtrahend, name in DERIVED_MEASURES:
            if not has(q, cues):
                continue
            for a in nums:
                b = next((b for b in nums if b.key == a.key and b.unit == a.unit and compact(subtrahend) in compact(b.label)), None)
                if b is not None and compact(minuend) in compact(a.label) and a.value >= b.value and (not plan.entities or _mentions(q, a.key)):
                    d = _diff_fact(a, b)
                    d.label = f"{a.key} {name}"
                    return [d]
        by_unit: dict[str, dict[str, Fact]] = {}
        for f in nums:
            kind = re.sub(r"^.*?(\d{4}년 )?", "", f.label.replace(f.key, "", 1)).strip()
            by_unit.setdefault(f"{f.unit}|{kind}", {}).setdefault(line_key(f.key) + ("2024" if "2024" in f.label else ""), f)
        wanted = [lab for m in plan.measures for lab in MEASURE_LABELS.get(m, (m,))]
        groups = [kv for kv in by_unit.items() if not wanted or any(w in kv[0] for w in wanted)]
        asked_groups = [kv for kv in groups if _measure_named(kv[0].split("|", 1)[1], q)] \
            or (groups if plan.measures else [kv for kv in groups if len(kv[1]) == 2])  # e.g. two years' cells of one column
        for key, group in asked_groups:
            named = _named_apart(list(group.values()), plan.effective)
            if len(named) == 2 and "증감" not in key:
                out.append(_diff_fact(*sorted(named, key=lambda f: -f.value)))
                return out
        pair = _year_pair(nums, plan.effective) if has(compact(plan.question), PREV_YEAR) else None
        if pair and not any("증감" in f.label for f in nums):
            return [_diff_fact(*pair)]
        for key, group in groups:
            fs = list(group.values())
            stored_change = "증감" in key
            same_entity_years = len(fs) == 2 and line_key(fs[0].key) == line_key(fs[1].key)
            both_named = (len(fs) == 2 and len(plan.entities) >= 2 and all(_mentions(q, f.key) for f in fs)
                          and line_key(fs[0].key) != line_key(fs[1].key))
            if len(fs) == 2 and not stored_change and (both_named or same_entity_years and not any("증감" in f.label for f in nums)):
                out.append(_diff_fact(*fs))
                break
        rates_asked = [m for m in plan.measures if m in ("집행률", "지출 집행률", "연말 예상 집행률", "참여율", "증감률")]
        if not out and len(rates_asked) >= 2:  # two measures of one row, e.g. 원인행위 집행률 vs 지출 집행률
            by_u: dict[str, list[Fact]] = {}
            for f in nums:
                if f.unit == "%" and "연말" not in f.label and all(abs(f.value - g.value) > 1e-9 for g in by_u.get(f.unit, [])):
                    by_u.setdefault(f.unit, []).append(f)
            for unit, fs in by_u.items():
                if len(fs) == 2:
                    out.append(_diff_fact(*sorted(fs, key=lambda f: -f.value)))
                    break
    elif plan.op == "sum":
        by_unit = {}
        keys_seen: set[str] = set()
        for f in nums:
            k = f"{f.unit}|{line_key(f.key)}"
            if f.unit != "%" and "2024" not in f.label and k not in keys_seen:
                keys_seen.add(k)
                by_unit.setdefault(f.unit, []).append(f)
        q = compact(plan.effective)
        for unit, fs in by_unit.items():
            fs = [f for f in fs if _mentions(q, f.key)]
            if len(fs) >= 2 and any(_mentions(q, f.key) for f in fs):
                break
        out_keys: list[Fact] = []
        qualifiers = [w for w in ("실적", "계획", "수료", "실시", "보유", "경과", "접수", "응시", "선발") if w in q]
        unit_asked = "명" if has(q, ("인원", "명")) else "회" if has(q, ("횟수", "회")) else None
        for key in dict.fromkeys(f.key for f in nums if _mentions(q, f.key)):
            cands = [f for f in nums if f.key == key and f.unit != "%" and "2024" not in f.label and (not unit_asked or f.unit == unit_asked)]
            cands = [f for f in cands if any(w in f.label for w in qualifiers)] if qualifiers else cands
            if cands:
                out_keys.append(cands[0])
        units = {f.unit for f in out_keys}
        if len(out_keys) >= 2 and len(units) == 1 and len({f.lines[0] for f in out_keys} | {f.key for f in out_keys}) >= 2:
            unit = units.pop()
            total = sum(f.value for f in out_keys)
            return [Fact(label="합계(" + " + ".join(f.label for f in out_keys) + ")", value=total, unit=unit,
                         formula=" + ".join(fmt(f.value, unit) for f in out_keys), inputs=[f.value for f in out_keys],
                         source=out_keys[0].source, section=out_keys[0].section, lines=out_keys[0].lines)]
        for unit, fs in by_unit.items():
            fs = [f for f in fs if _mentions(q, f.key)]
            if len(fs) >= 2:
                total = sum(f.value for f in fs)
                out.append(Fact(label="합계", value=total, unit=unit, formula=" + ".join(fmt(f.value, unit) for f in fs),
                                inputs=[f.value for f in fs], source=fs[0].source, section=fs[0].section, lines=fs[0].lines))
    return out


SEGMENT_SPLIT = re.compile(r"\s+(?=[○▶※•①②③④⑤⑥⑦⑧⑨]|- (?=\S)|□\s)")


def _segments(text: str) -> list[str]:
    out = []
    for ln in text.split("\n"):
        for seg in SEGMENT_SPLIT.split(ln):
            seg = seg.strip(" -○□▶※·•")
            if len(seg) >= 6:
                out.append(seg)
    return out


def bigrams_of(s: str) -> set[str]:
    return {s[i : i + 2] for i in range(len(s) - 1)}


ENUMERATED = re.compile(r"^\s*[①②③④⑤⑥⑦⑧⑨⑩]")
LIST_CUES = ("어떤걸", "어떤게", "어떤것", "뭘", "무엇을", "뭐뭐", "무엇무엇", "월별", "하고있나", "하겠다", "대책", "방안", "조치", "사례")

# a line that states one attribute by its label: '- 장소: 동대문디자인플라자', '기간/장소 : …'
ATTRIBUTE_LINE = re.compile(r"^[\s\-○•▶□◦ㅇ*]*([가-힣]{2,4}(?:\s*[/·]\s*[가-힣]{2,4})?)\s*[:：]")


def _extract(question: str, passages, limit: int = 5, siblings: bool = False) -> list[tuple[str, Any, list[int]]]:
    """Sentences of the retrieved passages that answer the question: question bigrams weighted by how
    rare they are among the candidate sentences (the attribute asked, such as 일시 or 구성, outweighs the
    topic words every sentence repeats); a sentence that only restates the question adds nothing."""
    import math

    cq = canonical(question)
    qbig = {cq[i : i + 2] for i in range(len(cq) - 1)}
    asked_labels = {x for w, labels in ATTRIBUTE_ASKS.items() if w in question for x in labels}  # '어디서' asks for 장소
    cands = []
    for p in passages[:4]:
        lines = p.text.split("\n")
        exact = len(lines) == p.lines[1] - p.lines[0] + 1
        for i, ln in enumerate(lines):
            n = p.lines[0] + i if exact else None
            segs = _segments(ln)
            for j, seg in enumerate(segs):
                c = canonical(seg)
                cands.append((seg, {c[k : k + 2] for k in range(len(c) - 1)}, p, [n, n] if n else list(p.lines), segs[j + 1] if j + 1 < len(segs) else None))
    if not cands:
        return []
    # a short heading's continuation is the next sentence of the same passage, on its line or the next
    cands = [(seg, big, p, lines, nxt or (cands[i + 1][0] if i + 1 < len(cands) and cands[i + 1][2] is p else None))
             for i, (seg, big, p, lines, nxt) in enumerate(cands)]
    df = {b: sum(1 for _, big, *_ in cands if b in big) for b in qbig}
    idf = {b: math.log(1 + len(cands) / df[b]) for b in qbig if df[b]}
    scored = []
    topics = {id(p): {b for b in bigrams_of(canonical(p.section))} for p in passages[:4]}
    for seg, big, p, lines, nxt in cands:
        hit = big & qbig
        if not hit:
            continue
        # words of the passage's own section title are its topic, not the answer: they weigh less
        s = sum(idf.get(b, 0.0) * (0.3 if b in topics[id(p)] else 1.0) for b in hit) / (len(big) ** 0.25 + 1)
        novelty = len(big - qbig) / max(len(big), 1)
        if novelty < 0.25:
            s *= 0.3
        label = ATTRIBUTE_LINE.match(seg)
        if label and any(len(w) >= 2 and (w in question or w in asked_labels) for w in re.split(r"[/·\s]+", label.group(1))):
            s = 3 * s + 2  # '- 일시: …' answers '일시랑 장소 알려주세요' by the report's own label
        scored.append((s - 0.1 * (p.rank - 1), seg, p, lines, nxt))
    scored.sort(key=lambda x: -x[0])
    out, seen = [], set()
    for s, t, p, lines, nxt in scored:
        if t in seen:
            continue
        seen.add(t)
        text = t if not (nxt and len(t) <= 40) else f"{t} {nxt}"
        out.append((text[:300], p, lines))
        if siblings and ENUMERATED.match(t):  # one item of a numbered list asked for as a list: its siblings too
            for seg, _, p2, lines2, _ in cands:
                if p2 is p and lines2 == lines and ENUMERATED.match(seg) and seg not in seen and len(out) < limit + 4:
                    seen.add(seg)
                    out.append((seg[:300], p2, lines2))
        if len(out) >= limit:
            break
    return out
