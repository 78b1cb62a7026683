"""Cut a report into retrieval chunks that follow its section tree.

Rules (see tests/test_chunks.py):

* every section's *own* lines (lines no child covers) make its chunk(s); a chunk never
  crosses a section boundary and its `lines` span lies inside its section's span;
* blank lines, lines with no letter or digit and the audit tables' repeated header rows
  ("시정 및 처리 요구사항 | 조치결과 …") carry no content and belong to no chunk;
* a run of own lines longer than `MAX_CHARS` is split at list-item lines
  ('-', '○', '▶', '※', '■', '□' or a table row), preferring un-indented items;
* an audit item yields an `audit-request` chunk (its first cell, the council's request)
  and `audit-response` chunk(s) (the other cells and continuation rows: 추진상황,
  추진내용, 향후계획), HTML turned into text with tables as ' | ' rows. Cells that only
  repeat a table already read from the HTML are dropped.
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass
from typing import Iterable

from knowledge.parse.cells import norm
from knowledge.parse.document import Document
from knowledge.parse.sections import AUDIT_HEADERS, Section, strip_html

MAX_CHARS = 700
KINDS = ("program", "audit-request", "audit-response", "general")

_HAS_WORD = re.compile(r"[^\W_]")
_LIST_MARKS = ("-", "○", "▶", "※", "■", "□", "•", "◦", "①", "②", "③", "④", "⑤")
# header rows of the audit tables: every cell is one of these (whitespace-free)
_AUDIT_HEADER_CELLS = set(AUDIT_HEADERS) | {
    "조치결과",
    "조치결과및향후추진계획",
    "조치결과및향후계획",
    "처리결과",
}
_DEPT_IN_PARENS = re.compile(r"\(\s*([가-힣]+과(?:\s*[,·]\s*[가-힣]+과)*)\s*\)")
_CHIEF = re.compile(r"([가-힣]+과)장\s*[:：]")


@dataclass
class Chunk:
    """One retrievable passage; `lines` are 1-based and inclusive."""

    id: str
    text: str
    indexed_text: str
    source: str
    year: int
    report_hash: str
    section: str
    kind: str
    lines: tuple[int, int]
    department: str | None = None
    title: str = ""
    audit_kind: str | None = None
    context: str = ""  # header rows of a table split before this chunk (indexed, not cited)
    heading_only: bool = False  # only the section's own title lines: kept for coverage, not searched

    def to_dict(self) -> dict:
        d = asdict(self)
        d["lines"] = list(self.lines)
        return d

    @classmethod
    def from_dict(cls, d: dict) -> "Chunk":
        d = dict(d)
        d["lines"] = tuple(d["lines"])
        return cls(**d)

    def metadata(self) -> dict:
        """Flat metadata for Chroma (no None values, no lists)."""
        md: dict = {
            "source": self.source,
            "year": self.year,
            "report_hash": self.report_hash,
            "section": self.section,
            "kind": self.kind,
            "line_start": self.lines[0],
            "line_end": self.lines[1],
        }
        if self.department:
            md["department"] = self.department
        return md


# --------------------------------------------------------------------------- lines


def has_content(text: str) -> bool:
    """A line carries content when it holds a letter or a digit."""
    return bool(_HAS_WORD.search(text))


def is_audit_header_row(line: str) -> bool:
    """'시정 및 처리 요구사항<TAB>조치결과 및 향후 추진계획' and its kin."""
    cells = [norm(html_text(c)) for c in line.split("\t")]
    cells = [c for c in cells if c and has_content(c)]
    return bool(cells) and all(c in _AUDIT_HEADER_CELLS for c in cells)


def content_line(doc: Document, n: int, in_audit: bool = False) -> bool:
    ln = doc.line(n)
    if not ln.strip() or not has_content(ln):
        return False
    if in_audit and "\t" in ln and is_audit_header_row(ln):
        return False
    return True


_CAPTION = re.compile(r"<(\s[^<>]*?\s)>")


def html_text(cell: str) -> str:
    """strip_html, keeping the report's literal '< caption >' brackets (not tags)."""
    return strip_html(_CAPTION.sub(lambda m: f"&lt;{m.group(1)}&gt;", cell))


_SPACED = re.compile(r"^(?:[가-힣A-Za-z] )+[가-힣A-Za-z](?=\s*(?:\(|$))")


def _join_spaced(cell: str) -> str:
    """'e 러 닝 (465)' → 'e러닝 (465)', '실 무 관' → '실무관', 'I T' → 'IT' (table labels
    written letter by letter)."""
    return _SPACED.sub(lambda m: m.group(0).replace(" ", ""), cell)


def _clean_cell(cell: str) -> str:
    if "<" in cell and ">" in cell:
        return _tidy(html_text(cell)).replace("\n", " ")
    return _join_spaced(re.sub(r"\s+", " ", cell).strip().replace("**", ""))


def clean_line(line: str) -> str:
    """A report line as clean text: table rows become 'a | b | c', HTML becomes text."""
    if "\t" in line:
        # empty cells (merged ones) go; '-' stays: it is a value ("none") and keeps columns aligned
        cells = [_clean_cell(c) for c in line.split("\t")]
        return " | ".join(c for c in cells if c and (has_content(c) or c in ("-", "―", "—")))
    if "<" in line and ">" in line:
        return _tidy(html_text(line)).replace("\n", " ")
    return line.rstrip().replace("**", "")


def _tidy(text: str) -> str:
    """strip_html output → lines: list items on their own line, table rows as 'a | b'."""
    text = text.replace("\u00a0", " ")
    # list markers written inline (<ul> without <li>) start a new line
    text = re.sub(r"\s+(?=[○▶※•])", "\n", text)
    text = re.sub(r"(?<=\S)\s+(?=- \S)", "\n", text)
    text = re.sub(r"\s+(?=□ )", "\n", text)
    out: list[str] = []
    for ln in text.split("\n"):
        if "|" in ln:
            parts = [p.strip() for p in ln.split("|")]
            ln = " | ".join(p for p in parts if p)
        ln = re.sub(r"[ \t]+", " ", ln).strip()
        if ln and has_content(ln):
            out.append(ln)
    return "\n".join(out)


def _is_break(line: str) -> bool:
    s = line.lstrip()
    return "\t" in line or s.startswith(_LIST_MARKS) or " | " in line


def _is_top_break(line: str) -> bool:
    return _is_break(line) and not line[:1].isspace()


# ----------------------------------------------------------------------- splitting


def _pack(items: list[tuple[int, str, str]], cap: int = MAX_CHARS) -> list[list[tuple[int, str, str]]]:
    """Group (line_no, raw, clean) items into pieces of at most ~cap characters,
    cutting only before list-item lines (un-indented ones first)."""
    pieces: list[list[tuple[int, str, str]]] = []
    cur: list[tuple[int, str, str]] = []
    size = 0
    for it in items:
        n, raw, clean = it
        add = len(clean) + 1
        if cur and size + add > cap and (_is_top_break(raw) or (size + add > cap * 1.4 and _is_break(raw))):
            pieces.append(cur)
            cur, size = [], 0
        cur.append(it)
        size += add
    if cur:
        pieces.append(cur)
    # a tiny tail joins its predecessor
    if len(pieces) > 1 and sum(len(c) for _, _, c in pieces[-1]) < cap // 6:
        tail = pieces.pop()
        pieces[-1].extend(tail)
    return pieces


def _table_header(items: list[tuple[int, str, str]], piece: list[tuple[int, str, str]], rows: int = 2) -> str:
    """When `piece` starts inside a table that began in an earlier piece: that table's
    first rows (its header), so the continuation is searchable by column names."""
    first = next(i for i, it in enumerate(items) if it[0] == piece[0][0])
    if first == 0 or "\t" not in items[first][1] or "\t" not in items[first - 1][1]:
        return ""
    k = first
    while k > 0 and "\t" in items[k - 1][1]:
        k -= 1
    return " / ".join(it[2] for it in items[k : min(k + rows, first)])


def _split_text(text: str, cap: int = MAX_CHARS) -> list[str]:
    """Split one long cell's text (already one item per line) into ~cap pieces."""
    items = [(0, ln, ln) for ln in text.split("\n") if ln.strip()]
    out = []
    for piece in _pack(items, cap):
        out.append("\n".join(c for _, _, c in piece))
    # a single line longer than 2×cap (a long table row): hard-cut at sentence ends
    final: list[str] = []
    for p in out:
        while len(p) > cap * 2:
            cut = max(p.rfind(". ", 0, cap * 2), p.rfind(" | ", 0, cap * 2), p.rfind(" ", 0, cap * 2))
            cut = cut if cut > cap // 2 else cap * 2
            final.append(p[: cut + 1].strip())
            p = p[cut + 1 :].strip()
        if p:
            final.append(p)
    return final


# ----------------------------------------------------------------------- titles


def _title_chain(sec: Section) -> str:
    """Short title chain used as the indexed text's prefix (no numerals, no part label)."""
    if sec.kind == "report":
        return "표지"
    names: list[str] = []
    node: Section | None = sec
    while node is not None and node.kind != "report":
        if node.kind == "audit_item":
            pass  # the item title is added by the caller where useful
        elif node.kind == "strategy":
            if sec.kind == "strategy":
                names.append(node.title)
        elif node.kind == "part":
            # programs are named well enough without their part; parts I/II/audit keep it
            if not any(a.kind == "program" for a in _ancestors(sec)):
                names.append(node.title)
        else:
            names.append(node.title)
        node = node.parent
    return " > ".join(reversed(names))


def _ancestors(sec: Section) -> Iterable[Section]:
    node: Section | None = sec
    while node is not None:
        yield node
        node = node.parent


_NUMERAL = re.compile(r"^(?:[IVXⅠⅡⅢⅣ]+|\d{1,2})\.?")


def _only_titles(sec: Section, text: str) -> bool:
    """Whether every line of `text` is the section's own heading (number, title, part line)."""
    names = {norm(sec.title), norm(sec.heading)}
    if sec.number:
        names.add(norm(sec.number))
    for ln in text.split("\n"):
        key = norm(ln)
        if key in names or _NUMERAL.sub("", key) in names:
            continue
        return False
    return True


def section_path(sec: Section) -> str:
    """The section's path with whitespace collapsed (audit item titles may hold line breaks)."""
    return re.sub(r"\s+", " ", sec.path).strip() or "표지"


def program_department(doc: Document, program: Section) -> str | None:
    """The department of the first '…과장' in a program's 작성자 lines."""
    for c in program.children:
        if c.kind == "contact":
            for n in range(c.start, c.end + 1):
                m = _CHIEF.search(doc.line(n))
                if m:
                    return m.group(1)
    return None


def audit_department(request: str) -> str | None:
    hits = _DEPT_IN_PARENS.findall(request)
    if not hits:
        return None
    return re.sub(r"\s*[,·]\s*", ", ", hits[-1])


# ----------------------------------------------------------------------- chunking


def make_chunks(doc: Document, root: Section, max_chars: int = MAX_CHARS) -> list[Chunk]:
    """All chunks of a report, in document order."""
    out: list[Chunk] = []
    h12 = doc.sha256[:12]

    def emit(sec: Section, kind: str, start: int, end: int, text: str, part: int, *, dept: str | None,
             title: str, audit_kind: str | None = None, context: str = "") -> None:
        text = text.strip()
        if not text:
            return
        body = f"{context}\n{text}" if context else text
        out.append(
            Chunk(
                id=f"{h12}-{start}-{kind}-{part}",
                text=text,
                indexed_text=f"[{title}] {body}" if title else body,
                source=doc.source,
                year=doc.year,
                report_hash=doc.sha256,
                section=section_path(sec),
                kind=kind,
                lines=(start, end),
                department=dept,
                title=title,
                audit_kind=audit_kind,
                context=context,
                heading_only=kind in ("program", "general") and _only_titles(sec, text),
            )
        )

    for sec in root.walk():
        if sec.kind == "audit_item":
            _audit_chunks(doc, sec, emit, max_chars)
            continue
        program = sec.ancestor("program")
        kind = "program" if program is not None else "general"
        dept = program_department(doc, program) if program is not None else None
        in_audit = sec.ancestor("part") is not None and sec.ancestor("part").label == "행정사무감사"
        title = _title_chain(sec)
        covered: set[int] = set()
        for c in sec.children:
            covered.update(range(c.start, c.end + 1))
        runs: list[list[int]] = []
        cur: list[int] = []
        for n in range(sec.start, sec.end + 1):
            if n in covered:
                if cur:
                    runs.append(cur)
                    cur = []
                continue
            if content_line(doc, n, in_audit):
                cur.append(n)
        if cur:
            runs.append(cur)
        for run in runs:
            items = [(n, doc.line(n), clean_line(doc.line(n))) for n in run]
            items = [it for it in items if it[2]]
            pieces = _pack(items, max_chars)
            for part, piece in enumerate(pieces):
                text = "\n".join(c for _, _, c in piece)
                context = _table_header(items, piece) if part else ""
                emit(sec, kind, piece[0][0], piece[-1][0], text, part, dept=dept, title=title, context=context)
    out.sort(key=lambda c: (c.lines[0], c.kind != "audit-request", c.id))
    return out


def _audit_chunks(doc: Document, item: Section, emit, max_chars: int) -> None:
    group = item.ancestor("audit_group")
    part = item.ancestor("part")
    first = doc.line(item.start).split("\t")
    request = _tidy(html_text(first[0]))
    dept = audit_department(request)
    group_title = group.title if group else "행정사무감사"
    part_title = part.title if part else "행정사무감사"
    short = re.sub(r"\s+", " ", item.title)[:40]
    emit(item, "audit-request", item.start, item.start, request, 0, dept=dept,
         title=f"{part_title} > {group_title} > 요구사항", audit_kind=item.label)

    # response: the other cells of the first row, then the continuation rows
    items: list[tuple[int, str, str]] = []  # (line, text line, text line)
    seen = ""  # whitespace-free text read so far, to drop cells that repeat a table
    repeats: list[int] = []  # rows that only repeat a table already read: covered, not re-added

    def take(cells: list[str], n: int) -> None:
        nonlocal seen
        kept: list[str] = []
        for raw in cells:
            if not raw.strip():
                continue
            text = _tidy(html_text(raw)) if ("<" in raw and ">" in raw) else re.sub(r"\s+", " ", raw).strip()
            if not text or not has_content(text):
                continue
            key = norm(text)
            if key in _AUDIT_HEADER_CELLS or (key and key in seen):
                continue
            kept.append(text)
            seen += norm(text.replace("|", ""))
        if not kept:
            if n != item.start:
                repeats.append(n)
            return
        if all("\n" not in k and len(k) <= 60 for k in kept):
            kept = [" | ".join(kept)]  # a plain table row
        for k in kept:
            for ln in k.split("\n"):
                if ln.strip():
                    items.append((n, ln, ln))

    take(first[1:], item.start)
    for n in range(item.start + 1, item.end + 1):
        if content_line(doc, n, in_audit=True):
            take(doc.line(n).split("\t"), n)
    title = f"{part_title} > {group_title} > 조치결과: {short}"
    pieces = _pack(items, max_chars)
    i = 0
    for p, piece in enumerate(pieces):
        end = piece[-1][0]
        limit = pieces[p + 1][0][0] if p + 1 < len(pieces) else item.end + 1
        end = max([end] + [n for n in repeats if end < n < limit])  # a repeated table's rows
        for text in _split_text("\n".join(c for _, _, c in piece), max_chars):
            emit(item, "audit-response", piece[0][0], end, text, i, dept=dept, title=title,
                 audit_kind=item.label)
            i += 1
