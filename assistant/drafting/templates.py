"""The three parts of a response (추진상황 / 추진내용 / 향후계획) written with Korean templates in the
register of the report's own responses: 개조식 '○ …' and '- …', sentences ending in 함/임/예정."""

from __future__ import annotations

import re

from .model import Department, FigureGroup, RelatedItem
from .wording import cite

TABLE_SUFFIX = "조치결과 표"
NO_PLAN = "(작성 필요) 이 요구사항에 대한 향후계획은 보고서에 없음. 담당부서가 계획을 확정한 뒤 기재해야 함"


def first_sentence(text: str) -> str:
    """The request's first sentence, whole (never cut mid-phrase)."""
    text = " ".join((text or "").split()).lstrip("○ ").strip()
    m = re.search(r"(?<=[.?!])\s|(?<=[음함임것])\.?\s(?=\S)", text)
    return text[: m.start()].strip() if m else text


def related_label(r: RelatedItem) -> str:
    year = f"{r.audit_year} " if r.audit_year else ""
    return f"{year}행정사무감사 {r.kind} {r.seq}({r.department}, {r.status})"


def figure_lines(groups: list[FigureGroup], report_year: int | None) -> list[str]:
    out = []
    when = f"{report_year}년 업무보고 기준 " if report_year else ""
    for g in groups:
        if not g.sentences:
            continue
        if g.subject.endswith(TABLE_SUFFIX):
            out.append(f"○ {g.subject}의 수치는 다음과 같음")
        else:
            out.append(f"○ {g.subject}의 {when}현황은 다음과 같음")
        out += [f"  - {s}" for s in g.sentences]
    return out


def related_lines(related: list[RelatedItem]) -> list[str]:
    out = []
    for r in related:
        out.append(f"○ 관련 지난 요구: {related_label(r)} {cite(r.lines)}")
        out.append(f"  - 요구 요지: {first_sentence(r.request)}")
        if r.actions:
            out.append(f"  - 조치 내용: {r.actions[0].lstrip('- ')}")
    return out


def progress_part(*, own_actions: list[str], groups: list[FigureGroup], related: list[RelatedItem],
                  report_year: int | None) -> list[str]:
    out = [f"○ {a}" if not a.startswith("- ") else f"  {a}" for a in own_actions]
    out += figure_lines(groups, report_year)
    out += related_lines(related)
    return out


def plans_part(*, own_plans: list[str], related: list[RelatedItem]) -> list[str]:
    if own_plans:
        return [f"○ {p}" if not p.startswith("- ") else f"  {p}" for p in own_plans]
    out = []
    for r in related:
        if r.plans:
            out.append(f"○ {r.kind} {r.seq}에 대해 보고서에 적힌 향후계획: {r.plans[0].lstrip('- ')} {cite(r.lines)}")
    return out + [f"○ {NO_PLAN}"]


def department_basis(name: str, why: str) -> Department:
    return Department(name, f"담당부서 {name}: {why}")


def gaps_part(*, missing_words: list[str], groups: list[FigureGroup], related: list[RelatedItem],
              department: Department | None, subjects: list[str] = (), missing_measures: list[str] = ()) -> list[str]:
    out = []
    if missing_measures:
        out.append(f"○ 요구사항이 묻는 {', '.join(missing_measures)}의 수치는 관련 사업에 대해 보고서에 없음")
    with_figures = {g.subject for g in groups if g.facts}
    for name in subjects:
        if name not in with_figures:
            out.append(f"○ 관련 사업 '{name}'의 수치(계획·실적·예산)는 보고서 표에 없음")
    if missing_words:
        words = ", ".join(f"'{w}'" for w in missing_words)
        out.append(f"○ 요구사항의 {words}에 관한 내용은 보고서에 없음(수치·계획을 보고서에서 확인할 수 없음)")
    if not groups:
        out.append("○ 이 요구사항과 연결되는 수치가 보고서 표에 없음")
    if not related:
        out.append("○ 비슷한 지난 행정사무감사 요구가 없음")
    if department is None:
        out.append("○ 담당부서를 데이터에서 정할 수 없음(직접 지정 필요)")
    out.append("○ 추진상황과 향후계획은 담당부서의 확인이 필요함")
    return out
