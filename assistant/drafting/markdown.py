"""A draft as Markdown: the request, then 추진상황 / 추진내용 / 향후계획, what the data does not cover,
the related past items and the sources list."""

from __future__ import annotations

from .model import Draft, Source
from .templates import related_label

NOTICE = ("이 문서는 업무보고 데이터로 만든 답변서 초안입니다. 모든 수치에 보고서 줄 번호를 달았습니다. "
          "제출 전 담당부서의 검토가 필요합니다.")
PARTS = ("추진상황", "추진내용", "향후계획")


def source_line(s: Source) -> str:
    """'파일 120행 — 섹션 경로 (무엇)': the section path whole, never cut mid-phrase."""
    return f"{s.source} {s.span()} — {s.section} ({s.what})"


def _lines(items: list[str]) -> list[str]:
    return items or ["○ (내용 없음)"]


def to_markdown(draft: Draft) -> str:
    out = [f"# {draft.title}", "", f"> {NOTICE}", ""]
    if draft.item_ref:
        out += [f"- 감사 항목: {draft.item_ref}"]
    out += [f"- 담당부서: {draft.department.name if draft.department else '(데이터로 정할 수 없음)'}"]
    if draft.department:
        out += [f"  - 근거: {draft.department.basis.split(': ', 1)[-1]}"]
    out += [f"- 작성: {'오프라인 템플릿' if draft.backend == 'offline' else draft.backend} · 근거 검사: "
            f"{'통과' if draft.grounded else '확인 불가 수치 있음'}", ""]
    out += ["## 요구사항", "", f"○ {draft.request}", ""]
    out += ["## 추진상황", "", f"□ 추진상황 : {draft.status}", ""]
    out += ["## 추진내용", "", *_md_block(_lines(draft.progress)), ""]
    out += ["## 향후계획", "", *_md_block(_lines(draft.plans)), ""]
    out += ["## 데이터가 다루지 않는 것", "", *_md_block(draft.gaps), ""]
    if draft.related:
        out += ["## 관련 지난 감사 요구", ""]
        out += [f"- {related_label(r)}: {r.request}" for r in draft.related] + [""]
    out += ["## 출처", "", *[f"{i}. {source_line(s)}" for i, s in enumerate(draft.sources, 1)], ""]
    return "\n".join(out)


def _md_block(lines: list[str]) -> list[str]:
    """'○ …' lines as paragraphs (a blank line before each), '  - …' lines as the list under them."""
    out: list[str] = []
    for line in lines:
        if line.startswith("  - "):
            out.append(line.strip())
        else:
            if out:
                out.append("")
            out.append(line)
    return out
