"""Stage two of the planner: `route(Reading) -> Plan`, the tool calls that answer what was read.

One function per kind of table; each looks at the Reading's intents and operation and at which of the
database's names the question mentions (`mentions.indexes`), and adds its calls to the plan.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from difflib import SequenceMatcher
from typing import Any

from knowledge.names import compact, line_key

from .question_rules import FLAGS, asks
from .facts import has, top_n
from .lexicon import BUDGET_MEASURES, BUDGET_RATES, CHANGE_MEASURES, PERCENT_ASKED, INTENTS, TRAINING_MEASURES, training_measures_named
from .mentions import MentionIndex, indexes
from .read import Reading, read
from .reading import OWN_NAMES, content_words, other_body

MODE_WORDS = {"집합": ("집합",), "e-러닝": ("e-러닝", "이러닝", "e러닝", "동영상", "온라인강의", "온라인학습"), "u-지식여행": ("u-지식", "지식여행")}


@dataclass
class Plan:
    question: str
    effective: str
    calls: list[tuple[str, dict]] = field(default_factory=list)
    intents: set[str] = field(default_factory=set)
    measures: list[str] = field(default_factory=list)
    entities: list[str] = field(default_factory=list)
    refuse: str | None = None
    op: str | None = None  # diff | sum | ratio | …: see question_rules.OPERATION_RULES
    year: int | None = None
    threshold: tuple[float, bool] | None = None  # (limit, above)
    strict: bool = True  # 넘/초과/미만/밑 exclude the limit; 이상/이하 include it
    missing: list[str] = field(default_factory=list)
    prose: bool = False
    reading: Reading | None = None
    parts: list["Plan"] = field(default_factory=list)  # a multi-part question: one plan per part, calls in turn
    is_part: bool = False  # one part of a multi-part question: its lead is one of several
    quote_head: str | None = None  # a second round: the head word no table held, answered by the sentence that names it


@dataclass
class _Ctx:
    """What routing one Reading holds: the plan being filled, the question's forms and the name indexes."""

    reading: Reading
    plan: Plan
    vocab: dict[str, list[str]]
    idx: dict[str, MentionIndex]
    intents: set[str]
    q: str
    eff: str
    question: str
    budget_mentions: list = field(default_factory=list)
    stop: bool = False


def group_words(vocab: dict[str, list[str]]) -> dict[str, tuple[str, ...]]:
    """The training table's competency groups, by their own names (from the data)."""
    return {g: (g.replace(" ", ""),) for g in vocab.get("group", []) if g and len(g.replace(" ", "")) >= 3}


RANKABLE = ("집행률", "집행액", "예산현액", "증감액", "증감률", "지출액")


def listed_in(names: list[str], text: str) -> list[str]:
    """The names among `names` that the text names each in its own words (a list: '공통·전문·IT')."""
    q = compact(text)
    return [n for n in dict.fromkeys(names) if compact(n) in q]


def department_named(text: str, vocab: dict[str, list[str]]) -> str | None:
    """The department (from the data) the text names: the longest name first."""
    names = sorted({d.strip() for v in vocab.get("department", []) for d in v.split(",") if d.strip()}, key=len, reverse=True)
    return next((d for d in names if d.replace(" ", "") in compact(text)), None)


def _linked_budget(c: _Ctx, names: list[str]) -> list[str]:
    """The budget lines the question names: the catalog's where it links other lines than the name index found
    ('채용시험관리' is 공무원채용 및 기타 시험관리, not 인재양성 및 시험관리)."""
    hits = [e for e in c.reading.entities if e.kind in ("budget_line", "execution") and compact(e.text) not in OWN_NAMES]
    if not hits or asks("scope.whole_budget", c.q) and not names:
        return names
    keys = {line_key(e.name) for e in hits}
    among = [n for n in names if line_key(n) in keys]
    if among:  # the catalog chooses among the name index's near ties
        return among
    strong = list(dict.fromkeys(e.name for e in hits if e.coverage >= STRONG_LINK))
    return strong or names


STRONG_LINK = 0.7  # a link whose words cover this much of a name stands against the name index's choice


ROW_KINDS = ("facility", "equipment")  # rows of a general table the catalog links by their own names


def _rows_linked_elsewhere(c: _Ctx) -> bool:
    """The catalog links the question's names to rows of a general table only, each by its whole name ('다솜관하고
    창의관 면적', '카메라랑 앰프'): a program the name index finds by a shared syllable ('창의' of 창의행정) is not named."""
    es = c.reading.entities
    return bool(es) and all(e.kind in ROW_KINDS and e.coverage >= STRONG_LINK for e in es)


def _linked_programs(c: _Ctx) -> list[str]:
    """The programs the catalog links the question to (a course or cohort stands for its program)."""
    titles = set(c.vocab.get("program", []))
    out = []
    for e in c.reading.entities:
        title = e.name if e.kind == "program" else e.parent if e.kind in ("course", "cohort") else None
        if title and title in titles and title not in out:
            out.append(title)
    return out


def plan_of(r: Reading) -> Plan:
    plan = Plan(question=r.question, effective=r.effective, refuse=r.refuse, missing=list(r.missing), op=r.op, year=r.year,
                threshold=r.threshold, strict=r.strict, prose=r.prose, reading=r)
    if r.compare_prev:
        plan.measures.append("전년 예산현액")
    plan.measures += [m for m in r.measures if m not in plan.measures]
    return plan


def route(r: Reading, vocab: dict[str, list[str]]) -> Plan:
    if r.parts and not r.refuse:
        return _route_parts(r, vocab)
    plan = plan_of(r)
    if r.refuse:
        return plan
    idx = indexes(vocab)
    c = _Ctx(reading=r, plan=plan, vocab=vocab, idx=idx, intents=set(r.intents), q=compact(r.effective), eff=r.effective,
             question=r.question, budget_mentions=idx["budget"].best(r.effective, threshold=0.25))
    for step in ROUTES:
        step(c)
        if c.stop:
            break
    return plan


def _route_parts(r: Reading, vocab: dict[str, list[str]]) -> Plan:
    """One plan per part; the question's plan makes every part's calls, in the parts' order."""
    plan = plan_of(r)
    plan.parts = [route(p, vocab) for p in r.parts]
    for part in plan.parts:
        part.is_part = True
        plan.calls += part.calls
        plan.intents |= part.intents
        plan.entities += [e for e in part.entities if e not in plan.entities]
    return plan


def make_plan(question: str, history: list[str], vocab: dict[str, list[str]], report_text: str | None = None, catalog=None) -> Plan:
    """read → route."""
    return route(read(question, history, vocab, report_text, catalog=catalog), vocab)


def _route_budget(c: _Ctx) -> None:
    """Budget lines: a ranking, a threshold, or the lines named (the total when none is)."""
    plan, q, eff, question, idx, intents, vocab = c.plan, c.q, c.eff, c.question, c.idx, c.intents, c.vocab
    budget_mentions = c.budget_mentions
    if "budget" in intents or ("rank" in intents and asks("topic.money", q)):
        asked_now = compact(question) if eff != question and any(has(compact(question), c) for c, _ in BUDGET_MEASURES) else q
        for cues, measures in BUDGET_MEASURES:  # a follow-up naming its own measure ('그중 집행액은?') asks only that
            if has(asked_now, cues):
                for m in measures:
                    if m not in plan.measures:
                        plan.measures.append(m)
        if has(asked_now, PERCENT_ASKED) and not any(m in BUDGET_RATES for m in plan.measures):
            plan.measures.append("집행률")
        if plan.op is None and "집행률" in plan.measures and set(plan.measures) <= {"집행률", "예산현액"} and asks("measure.rate_by_name", q):
            plan.measures.append("집행액")  # '원인행위 집행률은 몇 %': the rate with the amount it is of ('… 중 2,288,145천원(64.2%)')
        if not plan.measures and asks("ask.amount", q):
            plan.measures.append("예산현액")  # '행정운영경비는 얼마예요?': this year's budget first, the rest beside it
        if plan.op == "threshold" and not budget_mentions[:1] or plan.op == "threshold" and asks("ask.which_lines", q):
            measure = next((x for x in plan.measures if x in ("집행률", "집행액", "예산현액", "증감액", "증감률", "지출액")), "집행률")
            plan.calls.append(("rank_budget", {"measure": measure, "order": "desc" if plan.threshold[1] else "asc", "n": 30}))
            plan.intents.add("rank")
        elif "rank" in intents and not budget_mentions[:1] or ("rank" in intents and asks("rank.which", q)):
            asc = asks("order.ascending_budget", q)
            n = top_n(eff, q)
            measure = _ranked_measure(plan.measures, q)
            if measure == "지출액" and asks("measure.rate_word", q):
                measure = "지출 집행률"  # '지출 기준으로 집행률이 가장 낮은': the rate, on spending
            scope = {"scope": "programs"} if measure.startswith(("지출", "연말")) else {}
            orders = ("desc", "asc") if asks("rank.both_ends", eff) else ("asc" if asc else "desc",)
            also = [m for m in plan.measures if m != measure and m in RANKABLE][:4] if n == 1 and asks("ask.several_named", eff) else []
            if n == 1 and measure in CHANGE_MEASURES:  # the most cut line: by how much and by what share, together
                also += [m for m in CHANGE_MEASURES if m != measure and m not in also]
            for order in orders:  # the highest and the lowest at once: one ranking each
                plan.calls.append(("rank_budget", {"measure": measure, "order": order, "n": n, **scope, **({"also": also} if also else {})}))
            plan.intents.add("rank")
        else:
            groups: dict[str, str] = {}
            listed = idx["budget"].cover(eff) if plan.op or asks("ask.several_named", eff) else []
            if plan.op == "sum":  # '합계' there is the operation asked for, not the budget's total line
                listed = [(n, sc) for n, sc in listed if compact(n) not in ("합계", "계")]
            for n, _ in listed if len(listed) >= 2 else idx["budget"].best(eff, threshold=0.25, margin=0.08):
                groups.setdefault(line_key(n), n)
            found = list(groups.values())
            each = len(listed) >= 2 and plan.op in ("diff", "sum", "ratio")  # lines listed for an operation on them are each named
            names = _with_execution_rows(c, found) or (found if each else _linked_budget(c, found))
            if plan.op == "share" and not ("revenue" in intents and not asks("topic.expenditure", q)):
                plan.calls.append(("get_budget", {"name": "합 계"}))
            if names:
                for n in names[: 2 if plan.op == "diff" else 4 if plan.op == "sum" or len(listed) >= 2 else 1]:
                    plan.calls.append(("get_budget", {"name": n, **({"year": plan.year} if plan.year else {})}))
                    plan.entities.append(n)
            elif "revenue" in intents and not asks("topic.expenditure", q):
                pass
            elif asks("scope.whole_budget", q) or not budget_mentions:
                other = other_body(question, vocab)
                if other:  # '부산광역시 인재개발원 예산': not this center's budget
                    plan.refuse, plan.missing = "no_data", [f"{other}의 예산"]
                    c.stop = True
                    return
                plan.calls.append(("get_budget", {"name": "합 계", **({"year": plan.year} if plan.year else {})}))
                plan.entities.append("합 계")
        plan.intents.add("budget")



def _with_execution_rows(c: _Ctx, names: list[str]) -> list[str]:
    """Of near-tied budget names, those whose rows hold what the operation needs: the year-end forecast and the
    spending stand in the programs' execution tables only ('시험관리 예산은 연말 … 남을'), not in the budget lines';
    [] where the operation needs no such row or nothing ties."""
    op = c.plan.op
    if not (op in ("lapse", "forecast_gap") or op == "remain" and "지출" in c.q) or len(names) < 2:
        return []  # no such need, or no tie: the catalog decides
    keys = {line_key(x) for x in c.vocab.get("execution", [])}
    return [n for n in names if line_key(n) in keys]


RANKABLE_BUDGET = ("집행률", "집행액", "예산현액", "증감액", "증감률", "지출액")


def _ranked_measure(measures: list[str], q: str) -> str:
    """The budget measure a ranking is by: the first asked, except that an amount word just before the
    superlative ('감액 규모가 가장 큰', '금액으로 제일 많이') ranks by 증감액 rather than 증감률."""
    measure = next((x for x in measures if x in RANKABLE_BUDGET), "집행률")
    if measure == "증감률" and "증감액" in measures:
        sup = re.search(r"가장|제일|최대|최고|최소|최저", q)
        before = q[: sup.start()] if sup else q
        if not re.search(r"[율률]", before[-6:]) and re.search(r"규모|금액|액수|액으로|얼마나많이", before):
            return "증감액"
    return measure


PROGRAM_RUN = 6  # characters of a program's title the question must write out in a row to be naming it


def _inside_program_name(word: str, question: str, vocab: dict[str, list[str]]) -> bool:
    """A subcategory's word ('전문', '직급') that the question writes inside a program's title ('현장 중심 직무전문
    교육', '직급별 리더십 교육'): part of that name, not the training table's row."""
    q = compact(question)
    for title in vocab.get("program", []):
        t = compact(title)
        m = SequenceMatcher(None, q, t, autojunk=False).find_longest_match(0, len(q), 0, len(t))
        run = q[m.a:m.a + m.size]
        if m.size >= PROGRAM_RUN and compact(word) in run:
            return True
    return False


def _route_training(c: _Ctx) -> None:
    """The training results table: by mode, competency group or subcategory."""
    plan, q, eff, question, idx, intents, vocab = c.plan, c.q, c.eff, c.question, c.idx, c.intents, c.vocab
    qq = compact(question)
    mode = next((m for m, words in MODE_WORDS.items() if has(qq, words)), None) or next((m for m, words in MODE_WORDS.items() if has(q, words)), None)
    groups = group_words(vocab)
    no_groups = re.sub("|".join(r"\s*".join(map(re.escape, g)) for g in groups) or "(?!)", " ", eff)
    subs = [n for n, s in idx["subcategory"].best(no_groups, threshold=0.99) if not _inside_program_name(n, eff, vocab)]
    if any(len(s) >= 3 for s in subs) and not intents & {"budget", "exam", "audit"}:
        intents.add("training")
    if not ("training" in intents or mode):
        subs = []
    group = next((g for g, words in groups.items() if has(q, words)), None)
    training_measure = any(has(q, cues) for cues, _ in TRAINING_MEASURES[:3])
    elsewhere = _rows_linked_elsewhere(c)  # names of facility or equipment rows: no program is named by a shared syllable
    alias_hit = [] if elsewhere else [n for n, s in idx["program"].best(question, threshold=0.6)
                                      if s >= 1.0 or "audit" not in intents or _linked_programs(c)]
    # (an audit question names a program only by writing it out: '행정' of 행정사무감사 is no 창의행정)
    if alias_hit and mode and asks("ask.program_scale", q) and not training_measure:
        intents.add("program")  # a program's own scale lines ('직무학습 : 441개 과정') beside the table
    if alias_hit and not training_measure and not mode and not subs:
        intents.discard("training")
        intents.add("program")
    indexed = not elsewhere and bool(idx["program"].best(eff, threshold=0.5))  # a program's own name in the question
    program_named = indexed or bool(_linked_programs(c))
    unplaced = not (mode or group or subs) and not asks("scope.whole_or_mean", q)
    by_name = indexed and not (mode or group or subs)  # '창의행정 교육 실적은 총 몇 명'
    if (unplaced and program_named and not asks("topic.training_results", q) or by_name) and "training" in intents:
        intents.discard("training")  # 'AI 의무교육 만족도': a program's figure, not the center's overall one
        intents.add("program")
    if ("training" in intents or (mode and training_measure)) and "budget" not in plan.intents:
        args: dict[str, Any] = {}
        if mode:
            args["mode"] = mode
        if group:
            args["group"] = group
        if subs and not (group and len(listed_in(subs, eff)) >= 2):  # '직무역량(공통·전문·IT)': the group's rows
            args["subcategory"] = subs[0]
        if not args and asks("scope.whole", q) and not plan.op == "threshold":
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
            whole = {"mode": "전체"} if asks("scope.whole", q) or not mode else {"mode": mode}
            if whole != {k: v for k, v in args.items() if k == "mode"} or subs or group:
                plan.calls.append(("get_training", whole))
        plan.intents.add("training")
        plan.measures += [m for m in training_measures_named(q) if m not in plan.measures]



def _route_exams(c: _Ctx) -> None:
    """Exams, career hiring and competency assessments."""
    plan, q, eff, question, intents = c.plan, c.q, c.eff, c.question, c.intents
    if "assessment" in intents:
        plan.calls.append(("get_exams", {"topic": "역량평가"}))
        plan.intents.add("assessment")
    elif "career" in intents and asks("topic.career_hiring", q):
        plan.calls.append(("get_exams", {"topic": "경력채용"}))
        plan.intents.add("career")
    elif "exam" in intents and "budget" not in plan.intents:
        rounds = set(re.findall(r"(?:제\s*)?(\d)\s*회", question)) or set(re.findall(r"(?:제\s*)?(\d)\s*회", eff))
        one = rounds.pop() if len(rounds) == 1 else None  # two rounds named: both are needed
        plan.calls.append(("get_exams", {"topic": "임용시험", **({"round": int(one)} if one else {})}))
        plan.intents.add("exam")



def _audit_kind(q: str) -> str | None:
    """The kind of audit item the question is about; none when it counts every kind ('처리요구사항 등 총 몇 건')."""
    if asks("scope.whole", q) and asks("count.items_total", q) and "시정" not in q:
        return None
    for rule, kind in (("audit.kind_correction", "시정·처리요구"), ("audit.kind_proposal", "건의"), ("audit.kind_other", "기타")):
        if asks(rule, q):
            return kind
    return None


AUDIT_FILTERS = ("audit.kind_correction", "audit.kind_proposal", "audit.kind_other", "audit.status_ongoing", "audit.status_done")


def _audit_filter_word(word: str) -> bool:
    """A word the kind and status filters already read ('건의사항', '추진', '완료된'): no keyword, else the
    one item still in progress is lost for not saying '추진' in its text."""
    return any(asks(r, word) for r in AUDIT_FILTERS) or any(c.startswith(word) for r in AUDIT_FILTERS for c in FLAGS[r].cues)


def _route_audit(c: _Ctx) -> None:
    """The previous audit's items, filtered by kind, status, department and keywords."""
    plan, q, eff, intents, vocab = c.plan, c.q, c.eff, c.intents, c.vocab
    if "audit" in intents:
        args = {}
        kind = _audit_kind(q)
        if kind:
            args["kind"] = kind
        if asks("audit.status_ongoing", q):
            args["status"] = "추진 중"
        elif asks("audit.status_done", q):
            args["status"] = "추진완료"
        dept = department_named(eff, vocab)
        if dept:
            args["department"] = dept
        table_terms = c.reading.table_terms
        kw = " ".join(table_terms) or " ".join(w for w in _content_words(eff, INTENTS["audit"]).split() if not _audit_filter_word(w))
        if args and asks("ask.how_many_items", q) and not table_terms:
            kw = ""  # '인재채용과 소관 … 몇 건': the filters are the question, every item that passes counts
        if kw:
            args["keyword"] = kw
        plan.calls.append(("get_audit", args))
        plan.intents.add("audit")
        plan.prose = plan.prose or bool(kw)



def _route_general(c: _Ctx) -> None:
    """Tables of one topic each (organisation, facilities, equipment, revenue, international training, strategy)."""
    plan, q, intents = c.plan, c.q, c.intents
    for intent, topic in (("org", "조직"), ("facility", "시설"), ("equipment", "장비"), ("revenue", "세입"), ("intl", "국제연수"), ("strategy", "전략")):
        if intent in intents and ("budget" not in plan.intents or intent == "revenue") and not ("intl" == intent and "audit" in plan.intents):
            if intent == "facility" and ("audit" in plan.intents or asks("topic.works", q)):
                continue
            plan.calls.append(("get_general", {"topic": topic}))
            plan.intents.add(intent)
    if asks("topic.delivery_mode", q) or "training" not in plan.intents and asks("topic.training_overview", q) and "program" not in intents:
        plan.calls.append(("get_general", {"topic": "교육개요"}))
        plan.intents.add("overview")



def _route_programs(c: _Ctx) -> None:
    """A program's own section, its contacts, findings, and the measures a ranking is by."""
    plan, q, eff, question, idx, intents = c.plan, c.q, c.eff, c.question, c.idx, c.intents
    prog = [] if _rows_linked_elsewhere(c) and "program" not in c.reading.intents else idx["program"].best(eff, threshold=0.5)
    linked = _linked_programs(c)
    if linked and "contact" not in intents and not any(line_key(p) == line_key(linked[0]) for p, _ in prog[:1]):
        prog = [(linked[0], 1.0)]  # the catalog's reading of a loosely named program
    if "contact" in intents:
        position = re.search(r"([가-힣]{2,}(?:과장|팀장))", question)
        target = position.group(1) if position else prog[0][0] if prog else (c.budget_mentions[0][0] if c.budget_mentions else eff)
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
        # a measure named anywhere ('실적 인원', '몇 번') selects those figures
        plan.measures += [m for m in training_measures_named(q) if m not in plan.measures]
    if "rank" in intents and asks("rank.superlative_or_place", q):
        plan.intents.add("rank")
    if "rank" in intents and not plan.measures:  # 'the course with the most people': rank by the measure named
        named = training_measures_named(q, rows=2)
        plan.measures += [m for m in named if m not in plan.measures]
        if named:
            plan.intents.add("rank")



def _route_whole_training(c: _Ctx) -> None:
    """Plan against actual with nothing named: the center's training as a whole."""
    plan, q = c.plan, c.q
    if not plan.calls and plan.op in ("diff", "ratio") and asks("phase.plan_word", q) and asks("measure.people_or_actual", q):
        plan.calls.append(("get_training", {"mode": "전체"}))
        plan.intents.add("training")
        plan.measures.append("인원")



def _route_prose(c: _Ctx) -> None:
    """A passage search, where prose is asked or no table answers."""
    plan, eff = c.plan, c.eff
    if plan.intents & {"exam", "career", "assessment", "intl", "strategy"}:
        plan.prose = True
    if plan.op == "diff" and "compare_prev" in c.reading.fired:
        plan.prose = True  # '작년 대비 몇 개 과정 늘었나요': the report may state the change in a sentence ('83개 과정 증가')
    if plan.prose or not plan.calls or plan.intents <= {"program", "audit", "other_year"}:
        args = {"query": eff, "k": 5}
        if "audit" in plan.intents:
            args["section"] = "행정사무감사"
        plan.calls.append(("search_documents", args))
        plan.prose = True


_STOP = set("은 는 이 가 가운데 중에 중에서 사항 항목 건들 것들 을 를 의 에 에서 로 으로 와 과 도 만 좀 요 및 등 관련 대해 대한 어떻게 무엇 뭐 어떤 있나요 있는지 했나요 알려 주세요 주십시오 바랍니다 답변 내용 현재 해당".split())


def _content_words(text: str, drop: tuple[str, ...]) -> str:
    """The question's content words for a keyword search (Kiwi strips particles and endings: '건이고' is
    no word; a bare year or count is none either)."""
    words = []
    for w in content_words(text):
        w2 = re.sub(r"[^가-힣A-Za-z0-9·]", "", w)
        if len(w2) < 2 or not re.search(r"[가-힣A-Za-z]", w2) or w2 in _STOP or any(compact(d) in compact(w2) for d in drop):
            continue
        if re.search(r"(나요|까요|세요|습니까|는지|인지|했나|됐나|되었|했습|니다|주시|알려|답변)", w2):
            continue
        words.append(w2)
    return " ".join(words[:6])


# the order matters: a later route sees what the earlier ones planned (a budget question is no training question)
ROUTES = (_route_budget, _route_training, _route_exams, _route_audit, _route_general, _route_programs, _route_whole_training, _route_prose)
