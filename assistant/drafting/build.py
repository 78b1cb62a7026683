"""Building a draft: read the request, gather figures and related past items through the tools, choose
the department from the data, write the three parts (offline templates or an OpenAI-compatible model)
and check that every figure stands in the tool results."""

from __future__ import annotations

import json
import re

from hrd.errors import InputError, name_list
from tools.context import ToolContext

from .figures import gather
from .model import STATUSES, Department, Draft, FigureGroup, RelatedItem, Source, Subject
from .related import STRONG_OVERLAP, bullets, find_item, related_items
from .request import RequestReading, read_request
from .templates import department_basis, first_sentence, gaps_part, plans_part, progress_part, related_label
from .wording import cite

DEFAULT_STATUS = "검토 중"  # a new request has not been acted on yet
MAX_REQUEST_CHARS = 4000
HANGUL = re.compile(r"^[가-힣]{2,}$")


def check_status(status: str | None) -> str | None:
    if status is None or not status.strip():
        return None
    s = status.strip()
    hit = next((x for x in STATUSES if x.replace(" ", "") == s.replace(" ", "")), None)
    if hit is None:
        raise InputError(f"추진상황 '{s}'은(는) 쓸 수 없습니다. 쓸 수 있는 값: {name_list(list(STATUSES))}")
    return hit


def choose_department(reading: RequestReading, related: list[RelatedItem]) -> Department | None:
    """The department from the data: one the request names, else a vote of the past items like it
    (who answered such a request) and the departments of the programs it concerns."""
    if reading.departments:
        return department_basis(",".join(reading.departments), "요구사항에 명시됨")
    votes: dict[str, float] = {}
    why: dict[str, tuple[float, str]] = {}

    def vote(name: str, weight: float, reason: str) -> None:
        votes[name] = votes.get(name, 0.0) + weight
        if weight > why.get(name, (-1.0, ""))[0]:
            why[name] = (weight, reason)

    for r in related:
        if r.department:
            vote(r.department, 2.0 * r.overlap ** 2, f"비슷한 지난 요구를 처리한 부서임 — {related_label(r)}")
    best = max((s.score for s in reading.subjects), default=0.0)
    for s in reading.subjects:
        if s.department and best:
            vote(s.department, s.score / best, f"관련 사업의 담당부서임 — {s.name} {cite(s.lines)}")
    if not votes:
        return None
    name = max(votes, key=lambda k: votes[k])
    return department_basis(name, why[name][1])


MAX_MISSING = 8


def missing_words(reading: RequestReading) -> list[str]:
    """Nouns of the request the report never uses of its own (what the data cannot speak to)."""
    from knowledge.index.kiwi import analyse

    nouns = [t.form for t in analyse(reading.text) if t.tag in ("NNG", "NNP") and HANGUL.match(t.form)]
    return list(dict.fromkeys(n for n in nouns if n not in reading.known))[:MAX_MISSING]


def missing_measures(text: str, groups: list[FigureGroup]) -> list[str]:
    """Measures the request asks about (the tools' own measure names: 만족도, 참여율, 집행률 …) that no
    figure of the draft states."""
    from knowledge.names import canonical
    from tools.fields import FIELDS

    names = {re.sub(r"\(.*?\)|\{.*?\}", "", label).split()[-1] for cols in FIELDS.values() for label, _ in cols.values()
             if re.sub(r"\(.*?\)|\{.*?\}", "", label).split()}
    asked = [n for n in sorted(names) if len(n) >= 3 and canonical(n) in canonical(text)]
    stated = canonical(" ".join(f.label for g in groups for f in g.facts))
    return [n for n in asked if canonical(n) not in stated]


def sources_of(groups: list[FigureGroup], related: list[RelatedItem], subjects: list[Subject], report: str) -> list[Source]:
    out: dict[tuple, Source] = {}
    cleaned = {r.section: item_section(r) for r in related}
    for g in groups:
        for f in g.facts:
            key = (f.section, tuple(f.lines))
            if key not in out:
                out[key] = Source(f.source or report, cleaned.get(f.section, f.section), (f.lines[0], f.lines[-1]), g.subject)
    for r in related:
        out.setdefault((r.section, r.lines), Source(report, item_section(r), r.lines, f"{r.kind} {r.seq} 요구사항·조치결과"))
    for s in subjects:
        if s.kind == "program":
            out.setdefault((s.section, s.lines), Source(report, s.section, s.lines, f"사업 '{s.name}'"))
    return merge_adjacent(sorted(out.values(), key=lambda s: s.lines))


def merge_adjacent(sources: list[Source]) -> list[Source]:
    """Consecutive lines of one section and subject become one source ('487~489행')."""
    out: list[Source] = []
    for s in sources:
        prev = out[-1] if out else None
        if prev and (prev.section, prev.what, prev.source) == (s.section, s.what, s.source) and s.lines[0] <= prev.lines[1] + 1:
            prev.lines = (prev.lines[0], max(prev.lines[1], s.lines[1]))
        else:
            out.append(Source(s.source, s.section, s.lines, s.what))
    return out


def item_section(r: RelatedItem) -> str:
    """An audit item's section path with its last part (the request's opening words, cut by the parser)
    replaced by the item's kind and number, so a source line never ends mid-phrase."""
    parts = r.section.split(" > ")
    last = " ".join(parts[-1].split())
    if len(parts) > 1 and last and " ".join(r.request.split()).startswith(last[: max(8, len(last) - 2)]):
        parts[-1] = f"{r.kind} {r.seq}"
    return " > ".join(parts)


def evidence_texts(groups: list[FigureGroup], related: list[RelatedItem], report_year: int | None = None) -> tuple[list[str], list[float]]:
    """What the figures may come from (the tool results and the report's year), and the derived values
    whose inputs are there."""
    texts = [json.dumps([f.model_dump() for g in groups for f in g.facts if not f.formula], ensure_ascii=False, default=str)]
    texts += [" ".join([str(r.audit_year or "")] + [r.request] + r.actions + r.plans) for r in related]
    texts += [str(report_year or "")]
    derived = [float(f.value) for g in groups for f in g.facts if f.formula and isinstance(f.value, (int, float))]
    return texts, derived


def _validate(request: str | None, item: str | None) -> None:
    if bool(request and request.strip()) == bool(item and item.strip()):
        raise InputError("요구사항 텍스트(request)나 기존 항목(item, 예: 건의:1) 중 하나만 주세요.")
    if request and len(request) > MAX_REQUEST_CHARS:
        raise InputError(f"요구사항이 너무 깁니다({len(request):,}자). {MAX_REQUEST_CHARS:,}자 이하로 줄여 주세요.")


def make_draft(ctx: ToolContext, *, request: str | None = None, item: str | None = None, status: str | None = None,
               backend: str = "offline") -> Draft:
    """A draft response to a new request (free Korean text) or to an audit item already in the database."""
    _validate(request, item)
    status = check_status(status)
    row = find_item(item, ctx) if item else None
    text = " ".join((row["request"] if row else request or "").split())
    reading = read_request(text, ctx)
    ref = f"{row['kind']}:{row['seq']}" if row else None
    related = related_items(reading.tokens, ctx, exclude=ref)
    close = [_own(row)] if row else [r for r in related if r.overlap >= STRONG_OVERLAP][:1]
    groups = gather(reading.subjects, reading.tokens, close, ctx)
    department = (department_basis(row["department"], "보고서의 해당 항목에 적힌 부서임") if row and row.get("department")
                  else choose_department(reading, related))
    report_year = getattr(ctx.report, "year", None)
    draft = Draft(
        title=f"행정사무감사 요구사항 답변서(초안): {first_sentence(text)}", request=text,
        status=status or (row.get("status") if row else None) or DEFAULT_STATUS, department=department,
        progress=progress_part(own_actions=bullets(row["actions"]) if row else [], groups=groups, related=related, report_year=report_year),
        plans=plans_part(own_plans=bullets(row["plans"]) if row else [], related=related),
        gaps=gaps_part(missing_words=missing_words(reading), groups=groups, related=related, department=department,
                       subjects=[x.name for x in reading.subjects], missing_measures=missing_measures(text, groups)),
        subjects=reading.subjects, figures=groups, related=related,
        sources=sources_of(groups, related + ([_own(row)] if row else []), reading.subjects, ctx.report.file_name),
        item_ref=ref, report=ctx.report.file_name,
    )
    if backend != "offline":
        from .model_writer import write_with_model

        write_with_model(draft, ctx)
    check_grounding(draft, report_year, extra=[" ".join([row["actions"] or "", row["plans"] or ""])] if row else [])
    return draft


def _own(row: dict) -> RelatedItem:
    from .related import to_related

    return to_related(row, 1.0)


def check_grounding(draft: Draft, report_year: int | None = None, extra: list[str] = ()) -> None:
    """Every number in the draft's text must stand in the tool results; any that does not is replaced by
    '[확인 불가]' and the draft is flagged (grounded: false)."""
    from assistant.grounding import strip_unsupported, unsupported

    texts, derived = evidence_texts(draft.figures, draft.related, report_year)
    texts += list(extra)
    bad = unsupported(draft.body_text(), texts, derived)
    draft.grounded = not bad
    draft.unsupported = [f"{b:g}" for b in bad]
    if bad:
        draft.progress = [strip_unsupported(x, bad) for x in draft.progress]
        draft.plans = [strip_unsupported(x, bad) for x in draft.plans]
        draft.gaps.append("○ 근거를 확인할 수 없는 수치를 '[확인 불가]'로 바꿈")
