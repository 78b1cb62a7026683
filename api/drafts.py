"""행정사무감사 답변서 초안 (audit-response drafts) from audit item rows: pure functions, no I/O.

    items = select_items(rows, kind="시정·처리요구", item_seq=1)   # rows: dicts of audit_items columns
    draft = build_draft(items, source="seoul-hrd-2025-work-report.txt")
    to_markdown(draft)   # str
    to_docx(draft)       # bytes (python-docx)

Every field comes from the row as ingested from the report; the draft names the report lines it used.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass, field
from typing import Any, Iterable, Union

from hrd.errors import AmbiguousNameError, NotFoundError

KINDS = ("시정·처리요구", "건의", "기타")
KIND_TITLES = {"시정·처리요구": "시정·처리 요구사항", "건의": "건의사항", "기타": "기타사항"}
TITLE_CHARS = 60


@dataclass
class DraftItem:
    kind: str
    seq: int
    title: str
    department: str
    request: str
    status: str
    actions: list[Block]
    plans: list[Block]
    section: str
    lines: tuple[int, int]
    source: str

    @property
    def source_line(self) -> str:
        a, b = self.lines
        span = f"{a}행" if a == b else f"{a}–{b}행"
        return f"{self.source} {span} ({self.section})"


@dataclass
class AuditDraft:
    title: str
    audit_year: int | None
    source: str
    items: list[DraftItem] = field(default_factory=list)

    @property
    def filename_stem(self) -> str:
        if len(self.items) == 1:
            i = self.items[0]
            return f"audit-response-{KINDS.index(i.kind) + 1 if i.kind in KINDS else 0}-{i.seq}"
        return "audit-response"


def select_items(rows: Iterable[dict[str, Any]], *, kind: str | None = None, item_seq: int | None = None) -> list[dict[str, Any]]:
    """The rows a draft covers: one item (kind + seq), all of a kind, or all. Unknown → NotFoundError;
    a seq that several kinds share without a kind → AmbiguousNameError."""
    rows = list(rows)
    sel = [r for r in rows if kind is None or r.get("kind") == kind]
    if item_seq is not None:
        sel = [r for r in sel if r.get("seq") == item_seq]
    if not sel:
        wanted = " ".join(x for x in (kind, f"{item_seq}번" if item_seq is not None else None) if x) or "감사 항목"
        raise NotFoundError(f"행정사무감사 {wanted}", [f"{r['kind']} {r['seq']}" for r in rows])
    if item_seq is not None and kind is None and len({r.get("kind") for r in sel}) > 1:
        raise AmbiguousNameError(f"{item_seq}번(구분 kind를 함께 지정하세요)", [f"{r['kind']} {r['seq']}" for r in sel])
    return sel


def _one_line(text: str) -> str:
    return re.sub(r"\s+", " ", text or "").strip()


def short_title(request: str, limit: int = TITLE_CHARS) -> str:
    """The request's first sentence, cut to `limit` characters."""
    text = _one_line(request).lstrip("○").strip()
    m = re.search(r"(?<=[.?!])\s|(?<=음\.)|(?<=함\.)", text)
    first = text[: m.start()].strip() if m else text
    return first if len(first) <= limit else first[: limit - 1].rstrip() + "…"


Table = list[list[str]]
Block = Union[str, Table]


def _is_grid(line: str) -> bool:
    """A line of the raw HTML-table rendering (`| | cell | | cell |`), which the clean table repeats."""
    return line.lstrip().startswith("|")


def _split_table(lines: list[str]) -> tuple[list[str], Table]:
    """Separate a trailing `a | b | c` table from the text before it, dropping the table's cells repeated
    one per line just above it (the report text carries each embedded table three times)."""
    end = len(lines)
    start = end
    while start > 0 and " | " in lines[start - 1] and not _is_grid(lines[start - 1]):
        start -= 1
    if start == end:
        return lines, []
    table = [[c.strip() for c in ln.split("|")] for ln in lines[start:end]]
    cells = [c for row in table for c in row]
    head = lines[:start]
    n = len(cells)
    if n and [x.strip() for x in head[-n:]] == cells:
        head = head[:-n]
    return head, table


def bullets(text: str) -> list[Block]:
    """The report's `○ … ○ …` prose as blocks: one paragraph per ○, and each embedded table once, as rows."""
    text = (text or "").strip()
    if not text:
        return []
    out: list[Block] = []
    for part in re.split(r"\s*○\s*", text):
        lines = [ln.rstrip() for ln in part.split("\n") if ln.strip() and not _is_grid(ln)]
        head, table = _split_table(lines)
        para = " ".join(ln.strip() for ln in head).strip()
        if para:
            out.append(para)
        if table:
            out.append(table)
    return out


def draft_item(row: dict[str, Any], source: str) -> DraftItem:
    return DraftItem(
        kind=row.get("kind") or "",
        seq=int(row.get("seq") or 0),
        title=short_title(row.get("request") or ""),
        department=row.get("department") or "(보고서에 부서 표기 없음)",
        request=(row.get("request") or "").strip(),
        status=row.get("status") or "(보고서에 표기 없음)",
        actions=bullets(row.get("actions") or ""),
        plans=bullets(row.get("plans") or ""),
        section=row.get("section") or "",
        lines=(int(row.get("line_start") or 0), int(row.get("line_end") or row.get("line_start") or 0)),
        source=source,
    )


def build_draft(rows: Iterable[dict[str, Any]], *, source: str) -> AuditDraft:
    rows = list(rows)
    items = [draft_item(r, source) for r in rows]
    years = {r.get("audit_year") for r in rows}
    year = next(iter(years)) if len(years) == 1 else None
    head = f"{year}년 " if year else ""
    return AuditDraft(title=f"{head}행정사무감사 처리결과 답변서(초안)", audit_year=year, source=source, items=items)


NOTICE = "이 문서는 업무보고의 행정사무감사 처리결과를 그대로 옮긴 초안입니다. 제출 전 담당부서의 검토가 필요합니다."


def _md_cell(c: str) -> str:
    return c.replace("|", "\\|") or " "


def _md_table(table: Table) -> list[str]:
    width = max(len(r) for r in table)
    rows = [r + [""] * (width - len(r)) for r in table]
    out = ["", "| " + " | ".join(_md_cell(c) for c in rows[0]) + " |", "|" + "---|" * width]
    out += ["| " + " | ".join(_md_cell(c) for c in r) + " |" for r in rows[1:]]
    return out + [""]


def _md_blocks(blocks: list[Block], empty: str) -> list[str]:
    if not blocks:
        return [f"- {empty}"]
    out: list[str] = []
    for b in blocks:
        out += _md_table(b) if isinstance(b, list) else [f"- {b}"]
    return out


def to_markdown(draft: AuditDraft) -> str:
    out = [f"# {draft.title}", "", f"> {NOTICE}", "", f"- 출처: {draft.source}", f"- 항목 수: {len(draft.items)}건", ""]
    for it in draft.items:
        out += [f"## [{KIND_TITLES.get(it.kind, it.kind)} {it.seq}] {it.title}", ""]
        out += [f"- 담당부서: {it.department}", f"- 추진상황: {it.status}", ""]
        out += ["### 요구사항", ""] + [ln.strip() for ln in it.request.splitlines() if ln.strip()] + [""]
        out += ["### 추진내용", ""] + _md_blocks(it.actions, "(보고서에 추진내용 없음)")
        out += ["", "### 향후계획", ""] + _md_blocks(it.plans, "(보고서에 향후계획 없음)")
        out += ["", f"출처: {it.source_line}", "", "---", ""]
    return "\n".join(out).rstrip("-\n ") + "\n"


def _docx_blocks(doc: Any, blocks: list[Block]) -> None:
    for b in blocks:
        if isinstance(b, list):
            width = max(len(r) for r in b)
            t = doc.add_table(rows=len(b), cols=width)
            t.style = "Table Grid"
            for i, row in enumerate(b):
                for j, c in enumerate(row):
                    t.cell(i, j).text = c
        else:
            doc.add_paragraph(b, style="List Bullet")


def to_docx(draft: AuditDraft) -> bytes:
    """The same draft as a Word document (python-docx); returns the .docx bytes."""
    from docx import Document
    from docx.oxml.ns import qn
    from docx.shared import Pt

    doc = Document()
    normal = doc.styles["Normal"]
    normal.font.name = "맑은 고딕"
    normal.font.size = Pt(10.5)
    rpr = normal.element.get_or_add_rPr()
    rpr.get_or_add_rFonts().set(qn("w:eastAsia"), "맑은 고딕")
    doc.core_properties.title = draft.title
    doc.add_heading(draft.title, level=0)
    doc.add_paragraph(NOTICE).runs[0].italic = True
    doc.add_paragraph(f"출처: {draft.source} · 항목 수: {len(draft.items)}건")
    for it in draft.items:
        doc.add_heading(f"[{KIND_TITLES.get(it.kind, it.kind)} {it.seq}] {it.title}", level=1)
        table = doc.add_table(rows=0, cols=2)
        table.style = "Table Grid"
        for label, value in (("구분", KIND_TITLES.get(it.kind, it.kind)), ("담당부서", it.department), ("추진상황", it.status)):
            cells = table.add_row().cells
            cells[0].text, cells[1].text = label, value
        doc.add_heading("요구사항", level=2)
        for ln in it.request.splitlines():
            if ln.strip():
                doc.add_paragraph(ln.strip())
        doc.add_heading("추진내용", level=2)
        _docx_blocks(doc, it.actions or ["(보고서에 추진내용 없음)"])
        doc.add_heading("향후계획", level=2)
        _docx_blocks(doc, it.plans or ["(보고서에 향후계획 없음)"])
        doc.add_paragraph(f"출처: {it.source_line}").runs[0].font.size = Pt(9)
    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue()
