"""A draft as a Word document (python-docx): A4, the report's audit-table layout (request on the left,
response on the right), the report's fonts where installed, and a sources list."""

from __future__ import annotations

import io
import shutil
import subprocess
from functools import lru_cache

from .markdown import NOTICE, source_line
from .model import Draft
from .templates import related_label

A4_MM = (210, 297)
MARGIN_MM = 20
# the report is set in Hangul fonts; the first installed one is used (fonts-nanum on Debian)
FONT_CHOICES = ("맑은 고딕", "Malgun Gothic", "NanumGothic", "나눔고딕", "NanumBarunGothic", "Noto Sans CJK KR")
FALLBACK_FONT = "맑은 고딕"


@lru_cache(maxsize=1)
def installed_font() -> str:
    """The first of FONT_CHOICES that fontconfig knows; the report's own font name when none is found."""
    if not shutil.which("fc-list"):
        return FALLBACK_FONT
    try:
        out = subprocess.run(["fc-list", ":", "family"], capture_output=True, text=True, timeout=10).stdout
    except (OSError, subprocess.SubprocessError):
        return FALLBACK_FONT
    families = {f.strip() for line in out.splitlines() for f in line.split(",")}
    return next((f for f in FONT_CHOICES if f in families), FALLBACK_FONT)


def _setup(doc, font: str) -> None:
    from docx.oxml.ns import qn
    from docx.shared import Mm, Pt

    for section in doc.sections:
        section.page_width, section.page_height = Mm(A4_MM[0]), Mm(A4_MM[1])
        section.left_margin = section.right_margin = section.top_margin = section.bottom_margin = Mm(MARGIN_MM)
    for name in ("Normal", "Title", "Heading 1", "Heading 2"):
        style = doc.styles[name]
        style.font.name = font
        style.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), font)
    doc.styles["Normal"].font.size = Pt(10.5)


def _cell_lines(cell, lines: list[str], *, first: bool = False) -> None:
    for i, line in enumerate(lines):
        p = cell.paragraphs[0] if first and i == 0 else cell.add_paragraph()
        p.text = line


def _response_table(doc, draft: Draft) -> None:
    from docx.shared import Mm

    table = doc.add_table(rows=2, cols=2)
    table.style = "Table Grid"
    head = table.rows[0].cells
    head[0].text, head[1].text = "요구사항", "조치결과 및 향후 추진계획"
    for c in head:
        for r in c.paragraphs[0].runs:
            r.bold = True
    left, right = table.rows[1].cells
    dept = draft.department.name if draft.department else "(데이터로 정할 수 없음)"
    _cell_lines(left, [f"○ {draft.request}", f"({dept})"], first=True)
    body = [f"□ 추진상황 : {draft.status}", "□ 추진내용", *draft.progress, "□ 향후계획", *draft.plans]
    _cell_lines(right, body, first=True)
    width = Mm(A4_MM[0] - 2 * MARGIN_MM)
    for row in table.rows:
        row.cells[0].width, row.cells[1].width = int(width * 0.35), int(width * 0.65)


def to_docx(draft: Draft) -> bytes:
    """The .docx bytes of a draft."""
    from docx import Document
    from docx.shared import Pt

    doc = Document()
    _setup(doc, installed_font())
    doc.core_properties.title = draft.title
    doc.add_heading(draft.title, level=1)
    doc.add_paragraph(NOTICE).runs[0].italic = True
    _response_table(doc, draft)
    doc.add_heading("데이터가 다루지 않는 것", level=2)
    for g in draft.gaps:
        doc.add_paragraph(g)
    if draft.related:
        doc.add_heading("관련 지난 감사 요구", level=2)
        for r in draft.related:
            doc.add_paragraph(f"{related_label(r)}: {r.request}")
    doc.add_heading("출처", level=2)
    for i, s in enumerate(draft.sources, 1):
        doc.add_paragraph(f"{i}. {source_line(s)}").runs[0].font.size = Pt(9)
    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue()
