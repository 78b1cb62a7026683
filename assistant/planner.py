"""The offline planner: reads a Korean question with the database's own vocabulary, decides which
tools to call with which arguments, and writes the answer from their results with templates.

Nothing here knows a particular question; it knows the report's vocabulary (from the database),
the cue words of `lexicon`, and the shapes of tool results.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass

from knowledge.names import canonical, compact
from tools.base import Fact, ToolResult
from tools.catalog_text import FRAME_WORDS

from .asks import DATE_NOUNS, has
from .question_rules import asks, excluded_names
from .absent import missing_breakdown, missing_measure, missing_period
from .quote_figures import group_share, named_sums, quote_facts, remainder
from .derive import (achievement, derive_facts, ranked_ratios, totals_of_rows, row_part, rows_counted, rows_with_value, sum_of_listed, table_cells, whole_rows)
from .extract import extract_sentences
from .facts import (MEASURE_LABELS, TOTAL_MARK, latest_year, of_earlier_year, duty_named, figure_shown, is_total, measure_named, fact_measure, mentions_label, most_named, each_named,
                    passes, select_measures, cite, fmt, threshold_word, top_n)
from .lexicon import ATTRIBUTE_ASKS, QUESTION_NOUNS
from .korean import josa
from .render import Draft, Line, entity_of, is_table_row, render
from .reading import asked_measure, content_words, covered
from .route import Plan

# ====================================================================== composing the answer


@dataclass
class Composed:
    text: str
    facts: list[dict]  # the stated figures, each with its role (answer | input | context)
    citations: list[dict]
    findings: list[dict]
    refused: bool = False
    reason: str | None = None
    head: str | None = None  # refused as not covered: the head word asked that no found line names


REFUSAL_TEXT = {
    "unsafe_request": "이 요청은 처리할 수 없습니다. 이 도구는 보고서 내용을 읽기 전용으로 조회하며, 데이터 변경·SQL 실행·규칙 무시 요청에는 응하지 않습니다.",
    "personal_data": "개인정보(주소, 주민등록번호, 급여 등)는 보고서에 없고 제공하지 않습니다. 보고서에는 사업별 작성자(과장·팀장·담당자)의 직책, 이름, 사무실 전화번호만 있습니다.",
    "opinion": "보고서에 적힌 사실만 전할 수 있어 개인적인 의견이나 평가는 드릴 수 없습니다. 대신 보고서에 있는 실적, 만족도, 예산 집행 같은 수치와 추진 내용은 찾아 드릴 수 있습니다.",
    "confidential": "시험 문제나 정답처럼 공개되지 않은 자료는 보고서에 없어 알려 드릴 수 없습니다. 보고서에는 시험 일정, 선발·접수·응시 인원, 경쟁률 같은 공개된 수치만 있습니다.",
    "forecast": "보고서는 {year}년 실적과 {budget_years}년 예산을 담고 있어 향후 전망이나 예측에는 답할 수 없습니다. 다만 보고서에 있는 '{yy}년말 집행예상액 등은 조회할 수 있습니다.",
}
HOLDS = ("보고서(주요업무 보고)에는 조직·시설 현황, 올해 교육 운영 계획·실적, 전년·올해 세출예산과 집행 현황, "
         "주요 사업별 개요·추진실적·예산집행, 임용시험·경력채용·역량평가, 전년도 행정사무감사 처리결과가 있습니다.")


def _compose_parts(plan: Plan, results: list[ToolResult]) -> Composed:
    """A multi-part question: each part answered from its own calls' results; the leads joined in the
    parts' order, then the evidence. A part the report cannot answer says so in one sentence."""
    done, at = [], 0
    for part in plan.parts:
        done.append(compose(part, results[at : at + len(part.calls)]))
        at += len(part.calls)
    answered = [c for c in done if not c.refused]
    if not answered:
        return done[0]
    leads, rest, said = [], [], set()
    states = [{(f["label"], str(f["value"])) for f in c.facts} for c in done]
    for i, c in enumerate(done):
        lead, _, evidence = c.text.partition("\n\n")
        stated = states[i]
        quoted = [q for q in _lead_quotes(c, lead) if not any(q in x for x in leads)]  # a sentence of the report no lead says yet
        if (stated and stated <= said and not quoted) or not stated and lead in leads:
            continue  # an earlier part's lead already says it (its figures, or the same quote)
        if stated and any(stated < later for later in states[i + 1 :]):
            continue  # a later part's lead says all of it and more
        said |= stated
        leads.append(lead.split(". ")[0].rstrip(".") + "." if c.refused else lead)
        if evidence and not c.refused:
            rest.append(evidence)
    facts = list({(f["label"], str(f["value"])): f for c in answered for f in c.facts}.values())
    citations = list({json.dumps(x, sort_keys=True, ensure_ascii=False, default=str): x for c in answered for x in c.citations}.values())
    findings = [f for c in answered for f in c.findings]
    text = " ".join(leads) + ("\n\n" + "\n".join(dict.fromkeys("\n".join(rest).split("\n"))) if rest else "")
    return Composed(text, facts, citations, findings)


def _lead_quotes(c: Composed, lead: str) -> list[str]:
    """The report's sentences a part's lead quotes ('교육장비 노후도 : 45.4% ('25.9.30.기준)' of '언제 기준이에요?')."""
    quotes = [part[:30] for x in c.citations if isinstance(x, dict) for part in str(x.get("quote") or "").split(" … ")]
    return [q for q in quotes if len(q) >= 8 and q in lead]


def _refusal_text(plan: Plan) -> str:
    """The refusal's reason, with the years the report holds (from the data)."""
    r = plan.reading
    year = r.report_year if r and r.report_year else ""
    years = "·".join(str(y) for y in (r.budget_years if r else ())) or str(year)
    text = REFUSAL_TEXT.get(plan.refuse or "", REFUSAL_TEXT["unsafe_request"])
    return text.format(year=year, budget_years=years, yy=str(year)[2:])


def compose(plan: Plan, results: list[ToolResult]) -> Composed:
    if plan.parts and not plan.refuse:
        return _compose_parts(plan, results)
    if plan.refuse == "no_data" and plan.missing:
        return Composed(f"보고서에는 '{', '.join(plan.missing)}'에 관한 내용이 없어 답할 수 없습니다. " + HOLDS, [], [], [], True, "no_data")
    if plan.refuse:
        return Composed(_refusal_text(plan) + " " + HOLDS, [], [], [], True, plan.refuse)
    st = _State(plan, results)
    for r in results:
        handler = TOOL_SECTIONS.get(r.tool)
        if handler and (r.found or r.tool in ("get_audit", "get_findings")):
            handler(st, r)
    _in_words(st)
    _computed(st)
    _prose(st)
    refusal = answerability(st)
    if refusal:
        return refusal
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
        self.draft = Draft(listing=asks("ask.composition", plan.effective), row_context=not plan.is_part)
        self.findings: list[dict] = []
        self.asked: list[Fact] = []
        self.ranked = 0  # the rank_budget results read so far (each answers its own call, in order)
        self.listed = False  # a threshold answered as a list of rows, not as a verdict on one
        self.budget_rows: list[dict] = []
        self.budget_groups: list[list[Fact]] = []
        self.derived: list[Fact] = []
        self.head_answered = False  # a second round's head word found in a sentence with a figure (_head_quoted)

    def facts(self, fs: list[Fact], limit: int = 12) -> None:
        self.asked.extend(fs[:limit])
        for f in fs[:limit]:
            # a budget figure answers only a question about money; otherwise it is context
            role = "answer" if f.table not in BUDGET_TABLES or "budget" in self.plan.intents else "context"
            # named: its measure and its row are both named, so it stays in the lead beside a computation
            named = measure_named(fact_measure(f), self.q, counted=False) and (not f.key or mentions_label(self.q, f.key))
            self.draft.fact(f, role=role, named=named)

    def context(self, all_facts: list[Fact], shown: list[Fact], limit: int = 12) -> None:
        for f in [f for f in all_facts if f not in shown][:limit]:
            self.draft.fact(f, role="context")

    def answer_facts(self) -> list[Fact]:
        """The figures the answer states so far (its answer lines of facts, not context or computed ones)."""
        return [f for l in self.draft.lines if l.role == "answer" and l.kind == "fact" for f in l.facts]

    def in_words(self) -> bool:
        """Whether a post's holder or a department's duties answer the question, in words."""
        return any(l.meta.get("in_words") for l in self.draft.lines)

    def tool_ran(self, name: str) -> bool:
        return any(r.tool == name for r in self.results)


def _budget_section(st: _State, r: ToolResult) -> None:
    plan = st.plan
    fs = select_measures(r.facts, plan.measures)
    if r.tool == "get_budget" and "전년 예산현액" in plan.measures and not any(f.period and f.column == "amount_prev" for f in fs):
        fs = [f for f in r.facts if f.column == "amount_prev"] + fs
    if r.tool == "rank_budget" and plan.op == "threshold":
        limit, above = plan.threshold
        fs = [f for f in fs if passes(f.value, limit, above, plan.strict)]
        unit = fs[0].unit if fs else "%"
        what = f"{josa(fact_measure(fs[0]), '이') if fs else '해당 수치가'} {fmt(limit, unit) if limit or unit == '%' else '0'} {threshold_word(above, plan.strict)}인 세부사업"
        st.draft.add("count", f"{what}: {len(fs)}개", fs, what=what, n=len(fs), unit="개")
        st.listed = True
    elif r.tool == "rank_budget":
        ranks = [a for t, a in plan.calls if t == "rank_budget"]
        args = ranks[min(st.ranked, len(ranks) - 1)] if ranks else {}
        st.ranked += 1
        ranked_col = r.facts[0].column if r.facts else ""
        winners, others = [f for f in fs if f.column == ranked_col], [f for f in fs if f.column != ranked_col]
        st.draft.add("ranking", "; ".join(f"{f.label} {fmt(f.value, f.unit)} {cite(f.lines)}" for f in winners), winners,
                     measure=fact_measure(winners[0]) if winners else "", asc=args.get("order") == "asc")
        st.facts(others)  # the other measures asked of the winner ('증가액과 증감률')
    else:
        qualified = _qualified_rows(fs, st.q)
        if qualified:  # '교육통합시스템 구축 예산': that execution row, its parent line is context
            st.context(fs, qualified)
            fs = qualified
        st.facts(fs)
        st.budget_groups.append(fs)
        if len(r.rows) <= 3:
            st.context(r.facts, fs)
    st.budget_rows += [row for row in r.rows if row.get("table") in ("budget_lines", "program_execution")]
    st.findings += r.findings


def _qualified_rows(fs: list[Fact], q: str) -> list[Fact]:
    """The rows named by the qualifier in their name's brackets ('동영상학습 운영 (교육통합시스템 구축)' ←
    '교육통합시스템'), when the other rows' names lack that word; [] otherwise."""
    def words(f: Fact) -> list[str]:
        return [w for part in re.findall(r"\(([^)]*)\)", f.key) for w in re.findall(r"[가-힣A-Za-z]{3,}", part)]
    hit = {w for f in fs for w in words(f) if compact(w) in q}
    named = [f for f in fs if set(words(f)) & hit]
    rest = [f for f in fs if f not in named]
    if not named or not rest or any(compact(w) in compact(f.key) for f in rest for w in hit):
        return []
    return named


def _training_section(st: _State, r: ToolResult) -> None:
    plan, q = st.plan, st.q
    if "rank" in plan.intents or plan.op == "threshold":
        measure = next((m for m in plan.measures if m in ("참여율", "만족도", "인원", "횟수", "과정수")), "참여율")
        label = MEASURE_LABELS[measure][0]
        cands = [f for f in r.facts if label in f.label and "소계" not in f.label and not f.label.startswith("전체")
                 and not is_total(f.key) and not (measure == "인원" and f.phase == "계획")]
        if plan.op == "threshold":
            limit, above = plan.threshold
            picked = [f for f in cands if passes(f.value, limit, above, plan.strict)]
            st.listed = True
            what = f"{josa(measure, '이')} {fmt(limit, '%' if measure == '참여율' else '')} {threshold_word(above, plan.strict)}인 분야"
            if plan.reading and plan.reading.fired.get("op") == "op.over_plan":  # the limit is the plan itself, not a figure asked
                what = "실적이 계획을 넘은 분야"
            st.draft.add("count", f"{what}: {len(picked)}개", picked, what=what, n=len(picked), unit="개")
            st.asked.extend(picked)
        else:
            both = asks("rank.both_ends", plan.effective)
            for asc in (False, True) if both else (asks("order.lowest_or_weak", q),):
                picked = sorted(cands, key=lambda f: f.value, reverse=not asc)[: top_n(plan.effective, q, default=1 if both else 3)]
                st.draft.add("ranking", "; ".join(f"{f.label} {fmt(f.value, f.unit)}" for f in picked), picked, measure=measure, asc=asc)
                st.asked.extend(picked)
        st.findings += r.findings
        return
    fs = select_measures(_main_table_rows(r.facts), plan.measures)
    fs = _phase_asked(fs, plan.effective) if plan.op is None else fs
    st.facts(fs, 16)
    if len(r.rows) <= 2:
        st.context(r.facts, fs)
    st.findings += r.findings


def _main_table_rows(fs: list[Fact]) -> list[Fact]:
    """A figure of a table of parts ('개인학습 자격증' 수강인원 of the e-러닝 categories) that the main results
    table also states for the same row ('e-러닝 개인학습 자격증' 실적 인원, beside its plan and rate) is
    answered by the main table; the parts table keeps what only it holds (u-지식여행's 9,002편)."""
    main = [f for f in fs if f.table == "training_results" and f.key]
    if not main:
        return fs
    def same_row(f: Fact, m: Fact) -> bool:
        words = [compact(w) for w in (f.key or "").split()]
        mk = compact(m.key)
        return bool(words) and all(w in mk for w in words) or is_total(f.key) and mk.endswith("소계")
    def duplicated(f: Fact) -> bool:
        return f.table != "training_results" and any(m.value == f.value and m.unit == f.unit and same_row(f, m) for m in main)
    return [f for f in fs if not duplicated(f)] or fs


def _ranked_by_measure(st: _State, fs: list[Fact]) -> bool:
    plan, q = st.plan, st.q
    rank_measure = next((m for m in plan.measures if m in ("인원", "횟수", "과정수")), None)
    named_measure = next((m for m in dict.fromkeys(fact_measure(f) for f in fs if isinstance(f.value, (int, float)))
                          if measure_named(m, q)), None) if "rank" in plan.intents else None
    if not ("rank" in plan.intents and (rank_measure or named_measure) and asks("rank.cue", q)):
        return False
    label = MEASURE_LABELS[rank_measure][0] if rank_measure and not named_measure else named_measure
    rank_measure = rank_measure if not named_measure else named_measure
    left_out = [compact(w) for w in excluded_names(plan.effective)]  # '기타 항목 빼고': neither ranked nor naming the rows
    cands = [f for f in fs if label in f.label and isinstance(f.value, (int, float)) and not is_total(f.key)
             and f.table not in ("program_metrics", "program_execution", "training_overview")
             and not any(w in compact(f.key) for w in left_out)]
    cands = most_named(cands, _without(q, left_out), by_title=True)
    qualified = [f for f in cands if any(w in q and w in fact_measure(f) for w in ("수료", "계획", "실적", "보유", "경과"))]
    cands = qualified or cands
    if len(cands) < 2:
        return False
    both = asks("rank.both_ends", plan.effective)
    for asc in (False, True) if both else (asks("order.lowest_or_smallest", q),):
        picked = sorted(cands, key=lambda f: f.value, reverse=not asc)[: top_n(plan.effective, q, default=1)]
        st.draft.add("ranking", "; ".join(f"{f.label} {fmt(f.value, f.unit)}" for f in picked), picked, measure=rank_measure, asc=asc,
                     more_less=True)
        st.asked.extend(picked)
    return True


def _without(q: str, words: list[str]) -> str:
    for w in words:
        q = q.replace(w, " ")
    return q


def _record_section(st: _State, r: ToolResult) -> None:
    """Exams, programs and general facts: the rows and measures the question names."""
    plan, q = st.plan, st.q
    fs = r.facts
    if _ranked_by_measure(st, fs):
        return
    mentioned = [] if asks("ask.composition", plan.effective) and r.tool in ("get_general", "get_program", "get_exams") else each_named([f for f in fs if f.key], plan.effective)
    by_word = lambda f: len(compact(re.sub(r"\([^)]*\)", "", fact_measure(f)))) >= 3 \
        and measure_named(fact_measure(f), q, counted=False)  # a measure of its own ('접수인원'), not a bare '인원' or '면적(평)'
    if mentioned and not any(by_word(f) for f in mentioned):  # the rows named hold no measure asked ('1회' of a schedule)
        holding = [f for f in fs if f.key and by_word(f)]  # but others do ('제1회 … 접수인원' of '1회 접수자')
        mentioned = most_named(holding, q) if holding else mentioned
    mentioned = _parts_over_totals(mentioned, plan.effective)
    if plan.op == "share" and mentioned:  # '건물 연면적 중 배움관이 차지하는 비중': the whole named and the part
        mentioned += [f for f in _part_named(fs, plan.effective) if f not in mentioned]
    metric_rows = [f for f in fs if metric_row_named(f, q)]
    alone = [x for x in st.results if x.tool != "search_documents"] == [r]
    if alone and metric_rows and mentioned and all(f.table == "program_execution" for f in mentioned):
        mentioned = metric_rows  # 'e-러닝 … 규모': the program's scale row, not the budget lines named 'e-러닝 …'
    asked = _phase_named(fs, plan.effective)
    counts = [f for f in mentioned if f.table not in BUDGET_TABLES]
    if counts and plan.op is None and asked and all(f.phase and f.phase != asked for f in counts):
        # '리더십 교육 실적은 몇 회 몇 명': the rows named (its courses) are plans; the program's row of that phase answers
        mentioned = [f for f in fs if f.phase == asked and f.table == "program_metrics"] or mentioned
    base = mentioned or fs
    fs2 = select_measures(base, [m for m in plan.measures if m in ("참여율", "만족도", "횟수", "과정수", "인원")])
    fs2 = [f for f in base if f in fs2 or measure_named(fact_measure(f), q)  # and any other measure it names (교육기간)
           or isinstance(f.value, str) and _attribute_asked(fact_measure(f), plan.effective)]  # or asks of ('언제' → 교육기간)
    words = [w for w in re.findall(r"[가-힣]{2,}", re.sub(r"(은|는|이|가|을|를|의|에)(?=\s|$|\?)", "", plan.question))
             if w not in QUESTION_NOUNS]
    partial = [f for f in fs2 if any(w in compact(fact_measure(f)) and w not in compact(f.key) for w in words)]
    if partial and asks("ask.date", q) and not asks("ask.composition", plan.effective):
        fs2 = partial  # '면접은 언제': the 면접시험 line, not the whole schedule
    fs2.sort(key=lambda f: not measure_named(fact_measure(f), q))  # the measure named first ('2회는?' after 경쟁률)
    fs2 = _phase_asked(fs2, plan.effective) if plan.op is None else fs2  # plan against actual needs both
    fs2 = _period_asked(fs2, plan)
    named = _measures_asked(fs2, q) or _breakdown_heads(st, fs2)
    named += [f for f in fs2 if named and f not in named and _attribute_asked(fact_measure(f), plan.effective)]  # '언제 몇 명'
    fs2 = _breakdown_members(st, r, fs2)
    st.draft.listing = st.draft.listing or _breakdown_asked(st) and len({f.key for f in fs2}) >= 2  # every member of it
    named = [f for f in named if f in fs2]
    if named and len(named) < len(fs2):  # the measure asked ('경쟁률'); the rest of the row is context
        st.context(fs2, named)
        fs2 = named
    elif mentioned and len({f.key for f in fs2}) == 1:  # one row named, one measure of it kept: the rest of the row
        st.context([f for f in base if f.key == fs2[0].key and f not in fs2], fs2)
    st.facts(fs2, 30 if not mentioned else 16)
    st.findings += r.findings
    if r.tool == "get_general":
        _general_rows(st, r)


TOTAL_ASKED = re.compile(r"총|전체|합계|모두|전부|다\s*합")


def _parts_over_totals(fs: list[Fact], question: str) -> list[Fact]:
    """'사전교육 6기' names the sixth cohort, not the '총 6기' total row beside it that holds the same words: a
    total row named alongside a part goes unless the question asks a total."""
    parts = [f for f in fs if not is_total(f.key or "")]
    unmarked = {compact(TOTAL_MARK.sub(" ", f.key or "")) for f in fs if f not in parts}
    lookalike = bool(parts) and {compact(f.key or "") for f in parts} <= unmarked  # (not '본교육': its rows and its total)
    return parts if lookalike and not TOTAL_ASKED.search(question) else fs


PART_OF = re.compile(r"\s(?:중에?|가운데|에서)\s+")


def _part_named(fs: list[Fact], question: str) -> list[Fact]:
    """The rows the part of 'A 중 B' names (B), for the share of B in A."""
    pieces = PART_OF.split(question, maxsplit=1)
    return most_named([f for f in fs if f.key], compact(pieces[1]), keep_all=False) if len(pieces) == 2 else []


def _count_kind(f: Fact) -> str | None:
    """What a count measure counts: people (…인원) or sessions (…횟수); None for other measures."""
    m = compact(re.sub(r"\([^)]*\)", "", fact_measure(f)))
    return "인원" if m.endswith("인원") else "횟수" if m.endswith("횟수") else None


def _measures_asked(fs: list[Fact], q: str) -> list[Fact]:
    """The facts of the measures the question asks: by their word ('접수자', '뽑았') or their own counted noun
    ('몇 개 직류'), and by a bare '몇 명' / '몇 회' only of a kind no measure named by word is of
    ('몇 과정 몇 명': 과정수 and 인원; '몇 명 뽑았': 선발인원 alone, not 접수인원 beside it)."""
    by_word = [f for f in fs if measure_named(fact_measure(f), q, counted="noun")]
    kinds = {_count_kind(f) for f in by_word}
    counted = [f for f in fs if f not in by_word and measure_named(fact_measure(f), q) and _count_kind(f) not in kinds]
    return [f for f in fs if f in by_word or f in counted]


def _period_asked(fs: list[Fact], plan: Plan) -> list[Fact]:
    """Only the earlier year's figures when an earlier year is asked ('그럼 작년은?') and the rows hold them."""
    r = plan.reading
    if not (plan.year and r and r.report_year and plan.year < r.report_year) or plan.op:
        return fs
    latest = latest_year(fs)
    earlier = [f for f in fs if of_earlier_year(f, latest)]
    return earlier or fs


def _phase_named(fs: list[Fact], question: str) -> str | None:
    """The phase (계획 | 실적) the question names alone, by its word, by the row that holds it ('교육규모' is a
    program's plan row, '추진실적' its actual), or by what was done ('… 몇 명 했나요')."""
    q = compact(question)
    said = {p for p in ("계획", "실적") if p in question}
    named = (said | {f.phase for f in fs if metric_row_named(f, q)}) & {"계획", "실적"}
    if not said and "규모" not in q and asks("phase.done", question):
        named = {"실적"}  # '… 과정은 몇 명 했나요': what was done, whichever row its name matches
    return next(iter(named)) if len(named) == 1 else None


def _phase_asked(fs: list[Fact], question: str) -> list[Fact]:
    """Only the plan or only the actual figures when the question names one of them (typed phase)."""
    named = _phase_named(fs, question)
    if named:
        other = "실적" if named == "계획" else "계획"
        return [f for f in fs if f.phase != other] or fs
    return fs


GENERIC_HEADS = ("교육", "과정")  # heads every program row shares: '사전교육' is not named by '직무교육'


def metric_row_named(f: Fact, q: str) -> bool:
    """Whether the question names a program's metric row by its label ('교육규모', '추진실적') or by the
    label's head noun (a Korean compound ends in its head: '규모' of '교육규모', '실적' of '추진실적')."""
    if f.table != "program_metrics" or not f.key:
        return False
    label = compact(re.sub(r"^(계획|실적|전년)\s+", "", f.key))
    return len(label) >= 3 and (label in q or len(label) == 4 and label[2:] not in GENERIC_HEADS and label[2:] in q)


def _general_rows(st: _State, r: ToolResult) -> None:
    plan, q = st.plan, st.q
    for s in [row for row in r.rows if row["table"] == "strategies"]:
        tasks = [t for t in r.rows if t["table"] == "tasks" and t["strategy"] == s["name"]]
        c = {"section": s["section"], "source": "", "lines": [s["line_start"], s["line_end"]], "quote": s["name"]}
        st.draft.add("text", f"추진전략 {s['number']}. {s['name']}: " + "; ".join(f"{t['number']} {t['title']}" for t in tasks)
                     + f" {cite(c['lines'])}", citation=c)
    departments = [row for row in r.rows if row["table"] == "departments"]
    by_name = [row for row in departments if mentions_label(q, row["name"])]
    which = plan.reading is not None and plan.reading.fired.get("intent_override") == "intent.which_department"
    by_duty = [row for row in departments if duty_named(row.get("duties") or "", plan.effective)]  # '시설관리는 어느 과'
    listed = by_name or by_duty or (departments if "업무" in plan.effective or "부서" in plan.effective else [])
    for row in listed:
        c = {"section": row["section"], "source": "", "lines": [row["line_start"], row["line_end"]], "quote": row["duties"]}
        st.draft.add("text", f"{josa(row['name'], '은')} {josa(row['duties'], '을')} 맡습니다 {cite(c['lines'])}", citation=c,
                     in_words=bool(by_name) or which)  # the answer in words only when a department is what is asked


def _contacts_section(st: _State, r: ToolResult) -> None:
    """Who wrote a page: its people in one sentence, each with their telephone."""
    by_span: dict[tuple, list[dict]] = {}
    for row in r.rows:
        by_span.setdefault((row["section"], row["line_start"], row["line_end"]), []).append(row)
    for (section, start, end), rows in by_span.items():
        people = ", ".join(f"{row['position']} {row['name']}" + (f"(☎ {row['phone']})" if row.get("phone") else "") for row in rows)
        c = {"section": section, "source": "", "lines": [start, end], "quote": people}
        st.draft.add("text", f"{people} {cite(c['lines'])}", citation=c, in_words=True)


def _in_words(st: _State) -> None:
    """A question a post's holder or a department's duties answer, asking no figure: the figures are context."""
    if st.plan.measures or st.plan.op or asks("ask.figure", st.q) or not st.in_words():
        return
    for line in st.draft.lines:
        if line.kind == "fact":
            line.role = "context"


def _audit_section(st: _State, r: ToolResult) -> None:
    plan, q = st.plan, st.q
    items = [x for x in r.rows if x["table"] == "audit_items"]
    summary = [f for f in r.facts if f.table != "audit_table_cells"]
    every_cell = [f for f in r.facts if f.table == "audit_table_cells"]
    cells = table_cells(every_cell, plan.effective)
    matching = rows_with_value(every_cell, q)  # '행정2부시장은 … 몇 번': the rows whose cell the question names
    if matching and asks("count.any", q):
        cells = [f for f in every_cell if entity_of(f) in {entity_of(m) for m in matching}]
    elif matching:  # '5급 … 행정2부시장은 몇 기에': the rows (of those named) whose cell the question names
        cells = [f for f in cells if entity_of(f) in {entity_of(m) for m in matching}] or cells
    counted = rows_counted(r.rows, cells, q, matching)
    if counted:  # '몇 번 출강했어요?' over a table of events: its rows are the count
        st.draft.add("derived", f"{counted.label}: {fmt(counted.value, counted.unit)} ({counted.formula}) {cite(counted.lines)}", [counted])
        st.derived.append(counted)
    if cells:
        st.facts(cells, 30)
    audit_args = next((a for t, a in plan.calls if t == "get_audit"), {})
    filters = [audit_args[k] for k in ("department", "kind", "status") if audit_args.get(k)]
    if filters and items and asks("ask.how_many_items", q):  # '인재채용과 소관 요구사항은 몇 건': the items that pass
        n = Fact(label=f"{' · '.join(filters)} 감사 요구사항 수", value=len(items), unit="건", formula=f"해당 항목 {len(items)}개를 센 값",
                 inputs=[len(items)], table="audit_items", key=" ".join(filters),
                 section=items[0]["section"], lines=[items[0]["line_start"], items[-1]["line_end"]])
        st.draft.add("derived", f"{n.label}: {fmt(n.value, n.unit)} ({n.formula})", [n])
        st.derived.append(n)
    of_items = asks("audit.items_asked", q)  # '처리요구사항 20건 중 완료 비율', not '전 직원 AI 교육 … 완료율' (a figure of one item)
    share = row_part(plan, q, summary, [f for f in summary if isinstance(f.value, (int, float))], []) \
        if plan.op in ("ratio", "share") and of_items else None
    if share:  # '처리요구사항 20건 중 완료 비율': a part of the summary's own whole
        st.draft.add("derived", f"{share[0].label}: {fmt(share[0].value, share[0].unit)} ({share[0].formula})", share)
        st.derived.extend(share)
    if asks("count.items_total", q) or not items:
        totals = [f for f in summary if is_total(f.key)]
        named = most_named(summary, q, keep_all=False) if not (totals and asks("scope.whole", q)) else []
        rows = named or totals or summary  # '… 등 총 몇 건': the total row, whatever kind is named
        st.facts(rows, 12)
    if filters and not audit_args.get("keyword") and 2 < len(items) <= AUDIT_LISTED and not asks("ask.how_many_items", q) \
            and (plan.prose or asks("audit.actions_asked", q) or asks("ask.list", q)):
        _audit_listing(st, items, audit_args)  # '시정요구 중 아직 완료 안 된 건들이 뭐예요?': each item that passes
    if 0 < len(items) <= 2 and asks("audit.actions_asked", q):  # '… 지적에 어떤 조치를 하고 있나요?': what is done answers
        for it in items:
            if it["actions"]:
                short = _first_sentences(re.split(r"\s\|\s", it["actions"])[0].rstrip(" ,"), 420)  # not a table stored in it (cells split by " | ")
                st.draft.add("text", f"{it['department']}의 추진내용(추진상황: {it['status']}): {short} {cite([it['line_start'], it['line_end']])}", in_words=True,
                             citation={"section": it["section"], "source": "", "lines": [it["line_start"], it["line_end"]], "quote": short})
    for it in items[:10]:
        request = re.sub(r"\s+", " ", it["request"])
        c = {"section": it["section"], "source": "", "lines": [it["line_start"], it["line_end"]], "quote": it["request"][:160]}
        st.draft.add("audit", f"[{it['kind']}] {request[:100]} — 추진상황: {it['status']} (담당: {it['department']}) {cite(c['lines'])}",
                     kind=it["kind"], request=request, status=it["status"], department=it["department"], cite=cite(c["lines"]),
                     citation=c)
    if 0 < len(items) <= 2 and (plan.prose or "조치" in plan.effective or "계획" in plan.effective):
        for it in items:
            for label, text in (("추진내용", it["actions"]), ("향후계획", it["plans"])):
                if text and not (label == "추진내용" and asks("audit.actions_asked", q)):  # (then it answers, above)
                    short = _first_sentences(text, 300)
                    st.draft.add("detail", f"{label}: {short}", citation={"section": it["section"], "source": "",
                                 "lines": [it["line_start"], it["line_end"]], "quote": short})
    st.findings += r.findings


CELLS = re.compile(r"\s\|\s")
LIST_MARK = re.compile(r"^[\s○□\-▶※·•]+")
AUDIT_LISTED = 9  # at most this many items that pass an audit question's filters are named in its lead
STATUS_PHRASE = {"추진 중": "추진 중인", "추진완료": "추진이 완료된", "검토 중": "검토 중인", "미반영": "반영되지 않은"}


def _audit_listing(st: _State, items: list[dict], args: dict) -> None:
    """The items that pass an audit question's filters (kind, status, department), each with its request in
    short, its department and lines, and what is done about it where that is asked: one sentence that leads."""
    acts = asks("audit.actions_asked", st.q)
    parts = []
    for i, it in enumerate(items):
        request = _first_sentences(it["request"], 90 if len(items) <= 4 else 60)
        part = f"{'①②③④⑤⑥⑦⑧⑨'[i]} {request} ({it['department']}) {cite([it['line_start'], it['line_end']])}"
        if acts and it["actions"]:  # (not a table stored in it: cells split by " | ")
            done = _first_sentences(LIST_MARK.sub("", CELLS.split(it["actions"])[0]).rstrip(" ,"), 120)
            part += f" — 추진내용: {done}"
        parts.append(part)
    scope = " ".join(x for x in (f"{args['department']} 소관" if args.get("department") else "",
                                 STATUS_PHRASE.get(args.get("status") or "", args.get("status") or ""),
                                 f"{args.get('kind') or '감사 요구'} 사항") if x)
    text = f"{scope}은 {len(items)}건입니다: " + "; ".join(parts) + "."
    lines = [items[0]["line_start"], items[-1]["line_end"]]
    st.draft.add("text", text, in_words=True, citation={"section": items[0]["section"], "source": "", "lines": lines, "quote": text})


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




def _computed(st: _State) -> None:
    """Figures the question asks to compute: ranked ratios, a verdict on a threshold, a reading in 평, plan
    against actual, sums, differences and shares; each goes before the figures it stands on."""
    plan, q, results = st.plan, st.q, st.results
    if plan.op in ("ratio", "share") and asks("rank.cue", q):
        listed = [f for r in results if r.tool in ("get_general", "get_program", "get_training", "get_exams") for f in r.facts]
        both = asks("rank.both_ends", plan.effective)  # the highest and the lowest at once: one ranking each
        for at, asc in enumerate((False, True) if both else (asks("order.lowest", q),)):
            ranked = ranked_ratios(listed, q, n=1 if both else None, asc=asc)
            if ranked:
                st.draft.add("ranking", "; ".join(f"{d.label} {fmt(d.value, d.unit)} ({d.formula})" for d in ranked), ranked, at=at,
                             measure=fact_measure(ranked[0]).split(" ")[-1], asc=asc)
                st.derived.extend(ranked)
    if plan.op == "threshold" and not st.listed and not st.tool_ran("rank_budget") and "rank" not in plan.intents:
        _verdict(st)
    if plan.op is None and asks("scope.whole_named", q):  # '이해과정 총인원은': the rows named, totalled
        for i, t in enumerate(totals_of_rows(st.answer_facts(), q)):
            st.draft.add("derived", f"{t.label}: {fmt(t.value, t.unit)} ({t.formula})", [t], at=i)
            st.derived.append(t)
    if re.search(r"몇\s*평|평수|평으로|평\s*(이|인|쯤|정도)", plan.question):  # a reading in 평 of figures stated in ㎡
        stated = any(f.unit == "평" for f in st.draft.facts())  # the report's own 평 figure wins over a conversion
        for f in [f for f in st.asked if f.unit == "㎡" and isinstance(f.value, (int, float)) and not stated][:4]:
            conv = Fact(label=f"{f.label}(평 환산)", value=round(f.value * 0.3025), unit="평", formula=f"{fmt(f.value, f.unit)} × 0.3025",
                        inputs=[f.value], source=f.source, section=f.section, lines=f.lines, table=f.table, key=f.key)
            st.draft.add("derived", f"{f.label}: {fmt(f.value, f.unit)}(약 {fmt(conv.value, '평')})", [conv], at=0, converted=f)
    if plan.op in ("ratio", "share") and any(d.table == "audit_summary" for d in st.derived):
        return  # the audit section computed it already (a part of the summary's whole)
    program_facts = [f for r in results if r.tool == "get_program" for f in r.facts]
    achieved = achievement(program_facts, plan.effective) if plan.op == "ratio" and asks("phase.achievement", q) else []
    every = st.draft.facts()
    found = [f for r in results for f in r.facts] if plan.op == "sum" else []  # a sum reads every row listed, not those shown
    derived = achieved or (sum_of_listed(plan, st.budget_groups) if plan.op == "sum" else []) or derive_facts(plan, found, st.budget_rows) \
        or derive_facts(plan, st.asked, st.budget_rows) or (derive_facts(plan, every, st.budget_rows) if plan.op in ("ratio", "diff", "share") else [])
    for i, d in enumerate(derived):  # the computed answer first, the figures it stands on after
        st.draft.add("derived", f"{d.label}: {fmt(d.value, d.unit)} ({d.formula})", [d], at=i)
    st.derived.extend(derived)
    if plan.op == "sum":
        _sum_answers(st, derived)
    elif plan.op is None:
        _sum_answers(st, whole_rows(st.answer_facts(), plan.effective))


def _sum_answers(st: _State, derived: list[Fact]) -> None:
    """A sum answers with its inputs, each named by its row (a total row asked for, with its own figures): the
    other figures found are evidence."""
    inputs = {x for d in derived for x in d.inputs}
    keys = {d.key for d in derived if not d.formula}
    for line in st.draft.lines if derived else []:
        if line.kind != "fact" or line.role != "answer" or any(f.key in keys for f in line.facts):
            continue
        if any(f.value in inputs for f in line.facts):
            line.meta["evidence_only"] = True  # the sum's sentence names it
        else:
            line.role = "context"


def _verdict(st: _State) -> None:
    limit, above = st.plan.threshold
    f = next((f for f in st.asked if f.unit == "%" and isinstance(f.value, (int, float))), None)
    if f is None:
        return
    met = passes(f.value, limit, above, st.plan.strict)
    phrase = (f"{fmt(limit, '%')}를 넘습니다" if met else f"{fmt(limit, '%')}를 넘지 않습니다") if above else \
        (f"{fmt(limit, '%')} 미만입니다" if met else f"{fmt(limit, '%')} 미만이 아닙니다")
    st.draft.add("verdict", f"{f.label} {fmt(f.value, f.unit)}: {phrase} {cite(f.lines)}", [f], at=0, yes=met, phrase=phrase)


def _prose(st: _State) -> None:
    plan, q = st.plan, st.q
    passages = [p for r in st.results if r.tool == "search_documents" for p in r.passages]
    if not (plan.prose and passages):
        return
    many = asks("ask.list", q)  # 'what are they doing about it?': a list of measures, so more of its lines
    quotes = extract_sentences(plan.effective, passages, limit=8 if many else 5, siblings=many)
    st.draft.listing = st.draft.listing or many
    if not quotes:
        return
    asks_figure = bool(plan.measures) or plan.op is not None or "rank" in plan.intents or asks("ask.figure", q) or asks("ask.record", q) \
        or any(isinstance(f.value, (int, float)) and (measure_named(fact_measure(f), q) or metric_row_named(f, q) and not asks("ask.title", q))
               for f in st.asked) \
        or asks("ask.date", q) and any(_dated(f) for f in st.asked) \
        or _breakdown_of_measure(st)
    if asks_figure and asks("ask.date", q) and not asks("ask.figure", q) and not plan.op and not any(_dated(f) for f in st.asked):
        asks_figure = False  # '노후도 언제 기준이에요?': a date is asked of the figure it names, which no row holds
    who_or_where = [w for w in ATTRIBUTE_ASKS if w in plan.question and w not in ("언제", "며칠", *DATE_NOUNS)]
    if asks_figure and asks("ask.how_different", q) and not plan.op:
        asks_figure = False  # '시 교육생하고 자치구 교육생한테 리더십 교과를 어떻게 다르게': a difference told in words
    if asks_figure and who_or_where and not (plan.measures or plan.op or asks("ask.figure", q)):
        asks_figure = False  # '50대 인생 디자인 과정은 어떤 사람이 들을 수 있나요?': a row named, its figures not asked
    facts = [l for l in st.draft.lines if l.kind == "fact"]
    by_attribute = [l for l in facts if _attribute_asked(fact_measure(l.facts[0]), plan.effective) and mentions_label(q, l.facts[0].key)]
    measure_of_named = lambda f: measure_named(fact_measure(f), q) or mentions_label(q, fact_measure(f))
    composition = asks("ask.composition", plan.effective) and any(measure_of_named(l.facts[0]) for l in facts)
    if not asks_figure and not composition:  # a question in words: only the figures of what it names go along
        for line in facts:  # (a row named with none of its measures: '채용시험에서 … 역할을 어떻게' is not its 경쟁률)
            f = line.facts[0]
            if not (mentions_label(q, f.label) and measure_of_named(f)) and line not in by_attribute:
                line.role = "context"  # ('3기 특강은 누가': the row's 성명 cell answers, by what '누가' asks)
    if not asks_figure:  # the words answer; figures and listings go to the evidence
        for line in st.draft.lines:
            if line.kind == "text" and not line.meta.get("in_words"):  # who holds a post, what a department does
                line.meta["evidence_only"] = True
    lines = []
    contact = st.in_words()  # a post's holder or a department's duties answer; quotes are evidence
    readable = [t for t in quotes if not is_table_row(t[0])] or quotes
    named = " ".join(compact(f.label + " " + f.section) for f in st.draft.facts())  # the rows and where they stand
    unmet = [w for w in _question_words(plan.question) if w not in named]  # words of the question no stated figure names
    filling = _filling([t for t, _, _ in quotes], unmet, people="인원" in q or asks("count.people", q),
                       most=4 if asks("ask.each_listed", plan.question) else 2)  # '각각 몇 개씩': one sentence each
    if asks("ask.figure", q) and plan.op is None and not st.answer_facts():
        filling = filling or [t for t, _, _ in quotes if re.search(r"\d", t)][:2]  # no figure stated: the ranker's order, figures first
    filling += [t for t in _row_sentences(st, [t for t, _, _ in quotes]) if t not in filling]
    rank = {t: i for i, t in enumerate(filling)} if asks_figure else {}
    for text, p, span in sorted(quotes, key=lambda t: (t not in readable, rank.get(t[0], len(rank)))):
        c = {"section": p.section, "source": p.source, "lines": span, "quote": text}
        lines.append(Line("quote", f"\"{text}\" ({p.section} {cite(span)})", [], "answer",
                          {"quote": text, "cite": cite(span), "citation": c,
                           "lead_ok": not contact and (not asks_figure or text in filling)}))
    top = lines[0].meta["quote"] if lines else ""
    statuses = [p.status for t, p, _ in quotes if t == top and getattr(p, "status", None)][:1]  # the item the first quote stands in
    if statuses and "audit" not in plan.intents:  # an audit request quoted: where it stands
        status = Line("text", "이 요구사항의 추진상황: " + "; ".join(statuses), meta={"citation": {
            "section": quotes[0][1].section, "source": quotes[0][1].source, "lines": quotes[0][2], "quote": "; ".join(statuses)}})
        if not asks_figure and not contact:
            lines.insert(1, status)
    flagged = sorted({n for _, p, _ in quotes if getattr(p, "flagged", False) for n in p.flagged_lines})
    if flagged:  # a line that addresses an AI or a reader is never quoted as report content
        lines.append(Line("detail", f"{', '.join(map(str, flagged))}행에는 AI나 독자에게 내리는 지시로 보이는 문장이 있어 보고서 내용으로 인용하지 않았습니다."))
    in_unit = _head_quoted(st, lines) or _computed_in_quote(st, quotes, lines) or _change_in_quote(st, lines) or _in_unit_asked(st, lines) or _sub_item(st, lines, filling, unmet) \
        or _actual_in_quote(st, lines) or _head_in_quote(st, lines)
    if in_unit:  # '몇 시간', '몇 개국', '이수율': no figure stated is in that unit, the report's sentence gives one
        for line in st.draft.lines:
            if line.role == "answer" and line.kind == "fact":
                line.role = "context"
        lines = in_unit + [l for l in lines if l not in in_unit]
        top = next((i for i, l in enumerate(st.draft.lines) if l.kind != "derived"), len(st.draft.lines))
        st.draft.lines[top:top] = lines  # after a figure computed from the sentence, the sentence
    elif asks_figure or contact or by_attribute:
        st.draft.lines.extend(lines)
    else:
        st.draft.lines[:0] = lines


def _breakdown_asked(st: _State) -> bool:
    r = st.plan.reading
    return bool(r and r.breakdown)


def _head_named(measure: str, q: str) -> bool:
    """'지하 층수' is named by its head, '층수', or by counting what its head counts ('몇 층')."""
    head = compact(measure.split()[-1]) if measure.split() else ""
    return measure_named(measure, q) or len(head) >= 2 and (head in q or head.endswith("수") and "몇" + head[:-1] in q)


def _breakdown_heads(st: _State, fs: list[Fact]) -> list[Fact]:
    """A breakdown asked of a measure by its head ('동별 층수'): the facts of every measure with that head."""
    if not _breakdown_asked(st):
        return []
    by_head = [f for f in fs if _head_named(fact_measure(f), st.q)]
    modified = [f for f in by_head if any(len(w) >= 2 and compact(w) in st.q for w in fact_measure(f).split()[:-1])]
    return modified or by_head  # '지상 몇 층': the 지상 층수 of each, not its 지하 층수 too


def _breakdown_members(st: _State, r: ToolResult, fs: list[Fact]) -> list[Fact]:
    """The rows a breakdown is of: where the table types its rows (부지, 건물 합계, 동), those of the kind that has
    the most rows holding the measure asked (the 동, not the site or the total, even where the question names
    the total it breaks down: '건물 동별 면적')."""
    if not _breakdown_asked(st):
        return fs
    kinds = {row.get("name"): row.get("kind") for row in r.rows if row.get("kind") and row.get("name")}
    typed = [f for f in r.facts if f.key in kinds and isinstance(f.value, (int, float))]
    asked = [f for f in typed if _head_named(fact_measure(f), st.q)] or typed
    rows_of: dict[str, set[str]] = {}
    for f in asked:
        rows_of.setdefault(kinds[f.key], set()).add(f.key)
    if not rows_of:
        return fs
    common = max(rows_of, key=lambda k: len(rows_of[k]))
    members = [f for f in asked if kinds[f.key] == common]
    return members if len(rows_of[common]) >= 2 else fs


def _breakdown_of_measure(st: _State) -> bool:
    """'동별 층수가 어떻게 되나요?': a breakdown asked of a measure the stated rows hold asks their figures, though
    it asks in words."""
    return _breakdown_asked(st) and any(isinstance(f.value, (int, float)) and _head_named(fact_measure(f), st.q) for f in st.asked)


def _row_sentences(st: _State, texts: list[str]) -> list[str]:
    """A figure asked with the things it counts ('어떤 분야에서 몇 명'): the report's sentences that name a stated
    row with its stated figure ('중증장애인 : 의회도서관 운영 등 3개 분야 3명 선발 완료'), at most one per row."""
    if not asks("ask.which_beside_figure", st.plan.question):
        return []
    out = []
    for f in st.answer_facts():
        key = compact(re.sub(r"\([^)]*\)", "", f.key or ""))
        value = compact(fmt(f.value, f.unit)) if isinstance(f.value, (int, float)) else ""
        hit = next((t for t in texts if len(key) >= 2 and value and key in compact(t) and value in compact(t)), None)
        if hit and hit not in out:
            out.append(hit)
    return out


def _dated(f: Fact) -> bool:
    """A fact whose value is a date as written ('6. 21.(토)', "'24.3.12."), not a decimal figure."""
    return isinstance(f.value, str) and bool(re.search(r"\d+\.\s*\d+", f.value))


def _attribute_asked(measure: str, question: str) -> bool:
    """Whether the question's interrogative asks for this attribute ('누가' → 성명, '언제' → 일시: ATTRIBUTE_ASKS)."""
    m = compact(re.sub(r"\([^)]*\)", "", measure))
    core = re.sub(r"^(교육|계획|실적|실시)", "", m)  # '교육대상' is the row's 대상
    return any((w in question or any(l in question for l in labels)) and (m in labels or core in labels)
               for w, labels in ATTRIBUTE_ASKS.items())  # ('일정' asks what '언제' asks: the 교육기간)


UNIT_WORDS = ("명", "원", "천원", "백만원", "%", "점", "회", "개", "건", "시간", "일")


def _head_quoted(st: _State, quotes: list[Line]) -> list[Line]:
    """A second round (Plan.quote_head): the head word asked ('전산교육장', '소요예산') stands in no table the
    first tools read but in the report's sentences; the sentence naming it, with most of the question's words, answers."""
    head = st.plan.quote_head
    if not head:
        return []
    words = _question_words(st.plan.effective)
    asked = asked_measure(st.plan.question)
    unit = asked[2] if asked and asked[2] in UNIT_WORDS else ""
    figure = re.compile(rf"\d\s*{re.escape(unit)}" if unit else r"\d")  # '몇 명' is answered by a figure in 명, none by a trend
    held = [l for l in quotes if l.kind == "quote" and canonical(head) in canonical(l.meta["quote"]) and figure.search(l.meta["quote"])]
    st.head_answered = bool(held)
    held.sort(key=lambda l: -sum(canonical(w) in canonical(l.meta["quote"]) for w in words))
    for line in held[:1]:
        line.meta["lead_ok"] = True
    return held[:1]


def _computed_in_quote(st: _State, quotes: list, lines: list[Line]) -> list[Line]:
    """A sum or a remainder asked of figures that stand only in a sentence of the report ('1·2기 합치면 미래반은',
    '대상자 중 아직 안 들은 인원'): computed from the sentence's own figures, which answers with it."""
    plan = st.plan
    if plan.op == "share" and not st.derived:
        return _share_in_quotes(st, quotes, lines)
    if plan.op not in ("sum", "remain") or st.derived:
        return []
    unit = "명" if asks("unit.people", st.q) else "회" if asks("unit.sessions", st.q) else None
    for (text, p, span), line in zip(quotes, [l for l in lines if l.kind == "quote"]):
        fs = quote_facts(text, p.section, p.source, span)
        derived = named_sums(fs, plan.question, unit) if plan.op == "sum" else remainder(fs, unit)
        if derived:  # the caller turns the stated rows into context, as for any sentence that answers
            for i, d in enumerate(derived):
                st.draft.add("derived", f"{d.label}: {fmt(d.value, d.unit)} ({d.formula})", [d], at=i)
            st.derived.extend(derived)
            line.meta["lead_ok"] = True
            return [line]
    return []


def _share_in_quotes(st: _State, quotes: list, lines: list[Line]) -> list[Line]:
    """A share asked of figures that stand only in the report's sentences of one passage ('1기 수료생 중 미래반
    비중'): the part from one sentence, the whole from another; computed, it answers with them."""
    quoted = [l for l in lines if l.kind == "quote"]
    for p in {id(p): p for _, p, _ in quotes}.values():  # each passage once
        same = [(t, span, line) for (t, q, span), line in zip(quotes, quoted) if q is p]
        derived = group_share([quote_facts(t, p.section, p.source, span) for t, span, _ in same], st.plan.question)
        if derived:
            st.draft.add("derived", f"{derived[0].label}: {fmt(derived[0].value, '%')} ({derived[0].formula})", derived, at=0)
            st.derived.extend(derived)
            for _, _, line in same[:2]:
                line.meta["lead_ok"] = True
            return [line for _, _, line in same[:2]]
    return []


UNIT_FORMS = {"시간": ("시간", "h"), "%": ("%",), "점": ("점",), "개국": ("개국",), "도시": ("도시",)}


def _in_unit_asked(st: _State, quotes: list[Line]) -> list[Line]:
    """The quotes that give a figure in the unit the question asks ('몇 시간' → '(140h)'), when no figure
    stated or computed is in it; at most two, in the order they rank."""
    r = st.plan.reading
    if not (r and r.asked_unit):
        return []
    unit, written = r.asked_unit
    stated = [f for l in st.draft.lines if l.role == "answer" for f in l.facts]
    if any(f.unit and any(u in f.unit for u in UNIT_FORMS.get(unit, (unit,))) for f in stated):
        return []
    return [l for l in quotes if l.kind == "quote" and re.search(written, l.meta.get("quote", ""))][:2]


def _sub_item(st: _State, quotes: list[Line], filling: list[str], unmet: list[str]) -> list[Line]:
    """A part of a program the tables do not break out ('IT분야 수준별 실습 교육 몇 회 몇 명', '전 직원 의무교육
    이수율'): when every figure stated is one of the program's own scale rows (교육규모, 추진실적) and a sentence
    of the report gives figures beside the question's other words, that sentence answers."""
    stated = st.answer_facts()
    if not stated or st.plan.op or any(f.table != "program_metrics" or metric_row_named(f, st.q) for f in stated):
        return []  # a scale row the question names ('계획 규모', '실적'), or an operation on the rows, is not a part
    where = " ".join(compact(f.section) for f in stated)
    own = [w for w in unmet if len(w) >= 2 and w not in FRAME_WORDS and w not in where and not w.startswith(tuple(FRAME_WORDS))]
    return [l for l in quotes if l.kind == "quote" and l.meta.get("quote") in filling[:1] and any(w in compact(l.meta["quote"]) for w in own)]


def _actual_in_quote(st: _State, quotes: list[Line]) -> list[Line]:
    """What was done, asked of a row whose tables hold only its plan ('행복한 정년퇴직 준비 과정은 몇 회, 몇 명
    했나요?' where the table gives 6회 810명 planned): the report's sentence that names the row with other
    figures ('… 과정 운영 : 4회 583명') answers."""
    q = st.q
    stated = st.answer_facts()
    if not stated or st.plan.op or not (asks("phase.done", q) or "실적" in q) or "계획" in q or any(f.phase != "계획" for f in stated):
        return []
    keys = {compact(re.sub(r"\(.*?\)|계획|실적", "", f.key)) for f in stated if f.key}  # '계획 행복한 정년퇴직 준비' → its name
    planned = {fmt(f.value, f.unit) for f in stated if isinstance(f.value, (int, float))}
    def gives(text: str) -> bool:
        figures = re.findall(r"\d[\d,]*\s*(?:명|회)", text)
        return any(k in compact(text) for k in keys) and bool(figures) and not any(p in text for p in planned)
    return [l for l in quotes if l.kind == "quote" and gives(l.meta.get("quote", ""))][:1]


# a sentence that states a change against an earlier figure ('전년 대비 81백만원 감액', "('24년 대비 83개 과정 증가)",
# '73%로 작년대비 11% 상승')
CHANGE_TEXT = re.compile(r"(?:대비|보다|비해|전년|작년)[^.;]{0,40}?\d[^.;]{0,24}?(?:증가|감소|감액|증액|상승|하락|늘|줄|확대|축소)"
                         r"|\d[\d,.]*\s*(?:%p?|명|개|백만원|천원|원|건|회|점)\s*(?:증가|감소|감액|증액|상승|하락|늘어|줄어)")


CHANGE_WAYS = {"up": ("올랐", "오른", "올라", "늘", "증가", "상승", "증액", "확대", "많아"),
               "down": ("줄", "감소", "감액", "하락", "떨어", "낮아", "축소", "적어")}


def _change_in_quote(st: _State, quotes: list[Line]) -> list[Line]:
    """A change asked ('전년보다 얼마 감액됐다고', '작년 대비 몇 개 과정 늘었나요') that no two figures of a table
    give: the report's sentence that states the change, beside a word of the question, answers."""
    if st.plan.op != "diff" or st.derived:
        return []
    words = [w for w in _question_words(st.plan.question) if len(w) >= 2 and w not in FRAME_WORDS]
    asked = [d for d, cues in CHANGE_WAYS.items() if has(st.q, cues)]

    def fit(l: Line) -> tuple[bool, int]:  # the way asked ('올랐나요' is no '감액'), then the question's words held
        change = CHANGE_TEXT.search(l.meta["quote"]).group(0)
        return any(has(change, CHANGE_WAYS[d]) for d in asked), sum(1 for w in words if w in compact(l.meta["quote"]))
    held = [(fit(l), l) for l in quotes if l.kind == "quote" and CHANGE_TEXT.search(l.meta.get("quote", ""))]
    held = [(f, l) for f, l in held if f[1]]  # beside a word of the question
    return [l for _, l in sorted(held, key=lambda x: x[0], reverse=True)[:1]]


def _head_in_quote(st: _State, quotes: list[Line]) -> list[Line]:
    """The figure asked by its noun ('필기 합격자 몇 명') that no stated figure is of, where the report's sentence
    gives it right after that noun ('필기합격자 2,161명 대상 실시'): that sentence answers."""
    asked = asked_measure(st.plan.effective)
    if not asked or st.plan.op:
        return []
    head, others, unit = asked
    h = canonical(head)
    stated = st.answer_facts()
    if len(h) < 3 or head in QUESTION_NOUNS or any(h in canonical(f"{f.key} {fact_measure(f)}") for f in stated):
        return []
    gives = re.compile(rf"{re.escape(h)}[:：]?\(?\d")
    return [l for l in quotes if l.kind == "quote" and gives.search(canonical(l.meta.get("quote", "")))][:1]


def _question_words(question: str) -> list[str]:
    """The question's content words, particles stripped ('필기합격자는' → '필기합격자')."""
    words = [re.sub(r"[^가-힣A-Za-z0-9]", "", p) for w in content_words(question) for p in re.split(r"[·ㆍ/,]", w)]  # '신규·현행화·공동활용': three
    return [compact(w) for w in words if len(w) >= 2 and re.search(r"[가-힣A-Za-z]", w) and w not in QUESTION_NOUNS]


def _filling(texts: list[str], unmet: list[str], people: bool = False, most: int = 2) -> list[str]:
    """The (at most two) quotes that best give figures for the question's words no stated figure names:
    a count of people, asked, first where a figure in 명 gives it; then the most such words, then in the
    order retrieval gave them."""
    scored = [(-(people and bool(re.search(r"\d\s*(?:여\s*)?명", t))), -sum(1 for w in set(unmet) if w in compact(t)), i, t)
              for i, t in enumerate(texts) if _fills(t, unmet)]
    return [t for *_, t in sorted(scored)[:most]]


def _fills(text: str, unmet: list[str]) -> bool:
    """A quote that gives a figure beside a word of the question no stated figure names ('필기합격자 2,161명')."""
    c = compact(text)
    return bool(re.search(r"\d", text)) and any(w in c for w in unmet)


def answerability(st: _State) -> Composed | None:
    """Whether the report answers the question, decided once, after reading and retrieval (the refusals a
    question's words decide — unsafe, personal, forecast, another body, an unknown subject — come before
    retrieval, from `read`). In turn: the period asked is not covered; the measure is not held for that
    period; nothing was found; the thing asked for is not among what was found."""
    return _period_refusal(st) or _unmet_refusal(st) or _absent(st) or _nothing_found(st) or _not_covered(st)


def _absent(st: _State) -> Composed | None:
    """The measure, breakdown or year asked is not held for the thing the question names (assistant/absent.py)."""
    r = st.plan.reading
    why = missing_period(r, st.results) or missing_measure(r, st.results) or missing_breakdown(r, st.results)
    return Composed(f"{why} {HOLDS}", [], [], [], True, "no_data") if why else None


def _nothing_found(st: _State) -> Composed | None:
    if st.draft:
        return None
    notes = [r.note for r in st.results if r.note and not r.found]
    why = (" ".join(notes) + " ") if notes else ""
    return Composed(f"보고서에서 이 질문에 답할 근거를 찾지 못했습니다. {why}{HOLDS}", [], [], [], True, "no_data")


def _not_covered(st: _State) -> Composed | None:
    """A figure question whose head noun ('통과율') none of the found lines states."""
    plan = st.plan
    asked = asked_measure(plan.question) if plan.question == plan.effective else None
    if not asked or st.tool_ran("get_findings") or st.derived:
        return None
    head, others, unit = asked
    titles = list(dict.fromkeys(f.section for f in st.draft.facts() if isinstance(f.value, (int, float))))
    if plan.quote_head and st.head_answered or not plan.quote_head and covered(head, others, unit, st.draft.text().split("\n") + titles):
        return None  # a line names it, or the table of the figures stated is of it ('노후 장비 몇 개': the 교육장비 table)
    held = list(dict.fromkeys(m for f in st.draft.facts() if (m := fact_measure(f)) and not re.search(r"\d", m)))[:8]
    return Composed(f"보고서에는 '{head}'에 관한 수치나 내용이 없어 답할 수 없습니다. "
                    + (f"이 주제로 보고서에 있는 항목은 {', '.join(held)} 등입니다. " if held else "") + HOLDS,
                    [], [], [], True, "no_data", head=None if st.tool_ran("search_documents") else head)


def _period_refusal(st: _State) -> Composed | None:
    plan, results = st.plan, st.results
    prev = _report_prev_year(results)
    if plan.year and (plan.year != prev or "budget" not in plan.intents):
        yy = str(plan.year)[2:]
        year_rx = re.compile(rf"({plan.year}|'{yy}\s*년|(?<!\d){yy}년)")
        quoted = [t for t, _, _ in extract_sentences(plan.effective, [p for r in results for p in r.passages])]
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
    other_year = [r for r in st.results if r.tool == "get_budget" and not r.found and r.reason == "period_not_covered"]
    if other_year:
        return Composed(f"{other_year[0].note} " + HOLDS, [], [], [], True, "no_data")
    only_prev = [r for r in st.results if r.tool == "get_budget" and r.reason == "measure_not_for_period"]
    asked_measures = [m for m in st.plan.measures if m != "전년 예산현액"]
    if only_prev and asked_measures and not any(m == "예산현액" for m in asked_measures):
        return Composed(f"{only_prev[0].note} " + HOLDS, [], [], [], True, "no_data")
    return None


def _contradictions(st: _State, body: str) -> list[dict]:
    """The report's contradictions about a figure the lead states: they go into the lead."""
    seen, uniq = set(), []
    explicit = st.tool_ran("get_findings")
    for f in st.findings:
        if f["message"] not in seen and (figure_shown(f.get("value_a"), body) or figure_shown(f.get("value_b"), body) or explicit):
            seen.add(f["message"])
            uniq.append(f)
    if uniq and not explicit:
        for f in uniq[:2]:  # a difference asked of two figures that disagree is their gap
            st.draft.add("warning", f["message"], finding=f, gap=st.plan.op == "diff" and not st.derived)
    return uniq
