"""The report's section tree with line spans.

Shape of a work report (every year has it):

    part        I. 일반 현황 / II. 정책목표 및 추진전략 / Ⅲ. 20XX 주요업무 추진실적 / 20XX 행정사무감사 처리결과
    chapter     numbered headings of part I ("1 조직 및 업무")
    strategy    part III headings that repeat a "■ …" name listed at the top of part III
    program     "1" alone on a line, then the program's title; a strategy's first program
                may lack that heading, then it takes task 1 of the strategy's ①②③ list
    block       "□ 사업개요", "□ 추진실적 : …", "□ 예산집행 현황", "□ 총 괄"; an "intro" block
                holds a program's lines before its first □
    contact     the "작성자" lines of a program
    audit_group 시정·처리 요구사항 / 건의사항 / 기타 사항
    audit_item  one request row (first cell holds "○") and its continuation rows

Recognition is driven by the pattern tables below, never by line numbers.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Iterator

from hrd.errors import IngestError

from .cells import norm
from .document import Document

ROMAN = {"I": "Ⅰ", "II": "Ⅱ", "III": "Ⅲ", "IV": "Ⅳ", "Ⅰ": "Ⅰ", "Ⅱ": "Ⅱ", "Ⅲ": "Ⅲ", "Ⅳ": "Ⅳ"}
PART_RE = re.compile(r"^\s*(I{1,3}|IV|Ⅰ|Ⅱ|Ⅲ|Ⅳ)\.\s*(\S.*)$")
AUDIT_PART_RE = re.compile(r"^\s*(20\d\d)\s*행정사무감사\s*처리\s*결과\s*$")
CHAPTER_RE = re.compile(r"^(\d{1,2})\s+(\S.{1,40})$")
PROGRAM_NUMBER_RE = re.compile(r"^\s*(\d{1,2})\s*$")
STRATEGY_LIST_RE = re.compile(r"^\s*■\s*(\S.*)$")
TASK_RE = re.compile(r"^\s*-\s*(?:([①②③④⑤⑥⑦⑧⑨⑩])|(\d{1,2})\s)\s*(\S.*)$")
BLOCK_RE = re.compile(r"^\s*□\s*(.+?)\s*$")
CIRCLED = "①②③④⑤⑥⑦⑧⑨⑩"

# audit group headings (whitespace-free) → the audit kind they hold
AUDIT_GROUPS = {
    "시정·처리요구사항": "시정·처리요구",
    "시정및처리요구사항": "시정·처리요구",
    "건의사항": "건의",
    "기타사항": "기타",
}
# first cells of the audit tables' header rows: not items
AUDIT_HEADERS = {"시정및처리요구사항", "건의사항", "자료제출등기타사항", "기타사항"}
# canonical names of □ blocks (whitespace-free prefix → name)
BLOCK_NAMES = [
    ("사업개요", "사업개요"),
    ("추진실적", "추진실적"),
    ("예산집행현황", "예산집행 현황"),
    ("총괄", "총괄"),
    ("향후계획", "향후계획"),
]


@dataclass(eq=False)
class Section:
    """A node of the report's tree: `start`..`end` are 1-based, inclusive."""

    kind: str
    title: str
    start: int
    end: int
    number: str | None = None
    label: str | None = None  # e.g. the part numeral 'Ⅲ' or the audit kind
    parent: "Section | None" = field(default=None, repr=False)
    children: list["Section"] = field(default_factory=list, repr=False)

    @property
    def heading(self) -> str:
        if self.kind == "part" and self.label:
            return self.label
        if self.kind == "program" and self.number:
            return f"{self.number} {self.title}"
        if self.kind == "chapter" and self.number:
            return f"{self.number} {self.title}"
        return self.title

    @property
    def path(self) -> str:
        names: list[str] = []
        node: Section | None = self
        while node is not None and node.kind != "report":
            names.append(node.heading)
            node = node.parent
        return " > ".join(reversed(names))

    def add(self, child: "Section") -> "Section":
        child.parent = self
        self.children.append(child)
        return child

    def walk(self) -> Iterator["Section"]:
        yield self
        for c in self.children:
            yield from c.walk()

    def ancestor(self, kind: str) -> "Section | None":
        node: Section | None = self
        while node is not None:
            if node.kind == kind:
                return node
            node = node.parent
        return None

    def own_lines(self) -> list[int]:
        """Lines of this span not covered by any child."""
        covered: set[int] = set()
        for c in self.children:
            covered.update(range(c.start, c.end + 1))
        return [n for n in range(self.start, self.end + 1) if n not in covered]

    def find(self, kind: str) -> list["Section"]:
        return [s for s in self.walk() if s.kind == kind]


def _close(sections: list[Section], end: int) -> None:
    for s in sections:
        s.end = end


def _trim(doc: Document, s: Section) -> None:
    while s.end > s.start and not doc.line(s.end).strip():
        s.end -= 1


def _block_name(text: str) -> str:
    t = norm(text.replace("*", "")).split(":")[0]
    for prefix, name in BLOCK_NAMES:
        if t.startswith(prefix):
            return name
    return text.replace("*", "").split(":")[0].strip()


def _is_contact_start(line: str) -> bool:
    return norm(line).startswith("작성자")


def strip_html(cell: str) -> str:
    s = re.sub(r"<\s*(br|/p|/li|/tr)\s*/?>", "\n", cell)
    s = re.sub(r"<\s*/?(td|th)[^>]*>", " | ", s)
    s = re.sub(r"<[^>]+>", " ", s)
    s = s.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&").replace("&nbsp;", " ")
    return re.sub(r"[ \t]+", " ", s).strip()


def parse_sections(doc: Document) -> Section:
    """Build the section tree of a report; raises IngestError naming the line when its shape is wrong."""
    root = Section("report", doc.source, 1, doc.n_lines)
    parts: list[Section] = []
    for n, ln in enumerate(doc.lines, start=1):
        m = PART_RE.match(ln)
        if m:
            parts.append(Section("part", m.group(2).strip(), n, n, label=ROMAN[m.group(1)]))
            continue
        m = AUDIT_PART_RE.match(ln)
        if m:
            parts.append(Section("part", ln.strip(), n, n, label="행정사무감사", number=m.group(1)))
    labels = [p.label for p in parts]
    for required in ("Ⅰ", "Ⅲ"):
        if required not in labels:
            raise IngestError(
                f"보고서 형식이 아닙니다: '{required}.' 장 제목이 없습니다 (찾은 장: {', '.join(map(str, labels)) or '없음'})",
                line=doc.n_lines,
                source=doc.source,
            )
    if "행정사무감사" not in labels:
        raise IngestError(
            "보고서가 끝까지 있지 않습니다: '행정사무감사 처리결과' 장이 없습니다 (잘린 파일일 수 있습니다)",
            line=doc.n_lines,
            source=doc.source,
        )
    for i, p in enumerate(parts):
        p.end = parts[i + 1].start - 1 if i + 1 < len(parts) else doc.n_lines
        _trim(doc, p)
        root.add(p)
    strategies_from_part2: dict[str, list[str]] = {}
    for p in parts:
        if p.label == "Ⅰ":
            _parse_chapters(doc, p)
        elif p.label == "Ⅱ":
            strategies_from_part2 = _parse_strategy_list(doc, p)
        elif p.label == "Ⅲ":
            _parse_part3(doc, p, strategies_from_part2)
        elif p.label == "행정사무감사":
            _parse_audit(doc, p)
    return root


def _parse_chapters(doc: Document, part: Section) -> None:
    chapters: list[Section] = []
    for n in range(part.start + 1, part.end + 1):
        m = CHAPTER_RE.match(doc.line(n))
        if m and "—" not in doc.line(n) and ":" not in doc.line(n):
            chapters.append(Section("chapter", m.group(2).strip(), n, n, number=m.group(1)))
    for i, c in enumerate(chapters):
        c.end = chapters[i + 1].start - 1 if i + 1 < len(chapters) else part.end
        _trim(doc, c)
        part.add(c)


def _parse_strategy_list(doc: Document, part: Section) -> dict[str, list[str]]:
    """Part II lists strategies (possibly wrapped over several lines) each followed by its tasks."""
    out: dict[str, list[str]] = {}
    pending: list[str] = []
    current: str | None = None
    for n in range(part.start + 1, part.end + 1):
        ln = doc.line(n).strip()
        if not ln:
            continue
        m = TASK_RE.match(ln)
        if m:
            if pending:
                current = " ".join(pending)
                out[current] = []
                pending = []
            if current is not None:
                out[current].append(m.group(3).strip())
            continue
        pending.append(ln)
        if current is not None:
            current = None
    return out


def _parse_part3(doc: Document, part: Section, listed: dict[str, list[str]]) -> None:
    names: list[str] = []
    for n in range(part.start + 1, part.end + 1):
        m = STRATEGY_LIST_RE.match(doc.line(n))
        if m:
            names.append(m.group(1).strip())
    if not names:
        names = list(listed)
    keyed = {norm(x): x for x in names}
    heads: list[Section] = []
    for n in range(part.start + 1, part.end + 1):
        ln = doc.line(n)
        if not STRATEGY_LIST_RE.match(ln) and norm(ln) in keyed:
            heads.append(Section("strategy", keyed[norm(ln)], n, n))
    if not heads:
        raise IngestError("Ⅲ장에서 추진전략 제목을 찾을 수 없습니다", line=part.start, source=doc.source)
    for i, s in enumerate(heads):
        s.end = heads[i + 1].start - 1 if i + 1 < len(heads) else part.end
        _trim(doc, s)
        part.add(s)
        tasks = _tasks_after_heading(doc, s) or _lookup_tasks(listed, s.title)
        _parse_programs(doc, s, tasks)


def _lookup_tasks(listed: dict[str, list[str]], title: str) -> list[str]:
    for k, v in listed.items():
        if norm(k) == norm(title):
            return v
    return []


def _tasks_after_heading(doc: Document, strategy: Section) -> list[str]:
    tasks: list[str] = []
    for n in range(strategy.start + 1, strategy.end + 1):
        ln = doc.line(n).strip()
        if not ln or ln == "-":
            continue
        m = TASK_RE.match(ln)
        if not m:
            break
        tasks.append(m.group(3).strip())
    return tasks


def _parse_programs(doc: Document, strategy: Section, tasks: list[str]) -> None:
    programs: list[Section] = []
    n = strategy.start + 1
    while n <= strategy.end:
        m = PROGRAM_NUMBER_RE.match(doc.line(n))
        if m:
            k = n + 1
            while k <= strategy.end and not doc.line(k).strip():
                k += 1
            if k <= strategy.end:
                programs.append(Section("program", doc.line(k).strip(), n, n, number=m.group(1)))
                n = k + 1
                continue
        n += 1
    first_block = next(
        (k for k in range(strategy.start + 1, strategy.end + 1) if BLOCK_RE.match(doc.line(k))), None
    )
    if first_block is not None and (not programs or first_block < programs[0].start) and tasks:
        # the strategy's first program carries no heading: it starts after the ①②③ list
        k = strategy.start + 1
        while k <= strategy.end and (not doc.line(k).strip() or doc.line(k).strip() == "-" or TASK_RE.match(doc.line(k))):
            k += 1
        programs.insert(0, Section("program", tasks[0], k, k, number="1"))
    for i, p in enumerate(programs):
        p.end = programs[i + 1].start - 1 if i + 1 < len(programs) else strategy.end
        _trim(doc, p)
        strategy.add(p)
        _parse_blocks(doc, p)


def _parse_blocks(doc: Document, program: Section) -> None:
    marks: list[tuple[int, str, str]] = []  # (line, kind, title)
    for n in range(program.start + 1, program.end + 1):
        ln = doc.line(n)
        m = BLOCK_RE.match(ln)
        if m:
            marks.append((n, "block", _block_name(m.group(1))))
        elif _is_contact_start(ln):
            marks.append((n, "contact", "작성자"))
    body_start = program.start + (2 if program.number and doc.line(program.start).strip() == program.number else 0)
    while body_start <= program.end and (
        not doc.line(body_start).strip() or norm(doc.line(body_start)) == norm(program.title)
    ):
        body_start += 1
    if marks and body_start < marks[0][0]:
        intro = Section("block", "개요", body_start, marks[0][0] - 1)
        _trim(doc, intro)
        program.add(intro)
    for i, (n, kind, title) in enumerate(marks):
        end = marks[i + 1][0] - 1 if i + 1 < len(marks) else program.end
        s = Section(kind, title, n, end)
        _trim(doc, s)
        program.add(s)


def first_cell(line: str) -> str:
    return line.split("\t", 1)[0]


def _parse_audit(doc: Document, part: Section) -> None:
    groups: list[Section] = []
    summary: Section | None = None
    for n in range(part.start + 1, part.end + 1):
        ln = doc.line(n)
        key = norm(ln)
        if "\t" not in ln and key in AUDIT_GROUPS:
            groups.append(Section("audit_group", ln.strip().replace("기 타 사 항", "기타사항"), n, n, label=AUDIT_GROUPS[key]))
        elif summary is None and BLOCK_RE.match(ln):
            summary = Section("block", _block_name(BLOCK_RE.match(ln).group(1)), n, n)
    if not groups:
        raise IngestError("행정사무감사 장에서 요구사항 구분(시정·처리 요구사항/건의사항)을 찾을 수 없습니다", line=part.start, source=doc.source)
    if summary is not None:
        summary.end = groups[0].start - 1
        _trim(doc, summary)
        part.add(summary)
    for i, g in enumerate(groups):
        g.end = groups[i + 1].start - 1 if i + 1 < len(groups) else part.end
        _trim(doc, g)
        part.add(g)
        items: list[Section] = []
        for n in range(g.start + 1, g.end + 1):
            cell = strip_html(first_cell(doc.line(n)))
            if norm(cell) in AUDIT_HEADERS:
                continue
            if cell.startswith("○"):
                items.append(Section("audit_item", cell[1:].strip()[:60], n, n, label=g.label))
        for j, it in enumerate(items):
            it.end = items[j + 1].start - 1 if j + 1 < len(items) else g.end
            # a header row right before the next item belongs to the group, not this item
            while it.end > it.start and (
                not doc.line(it.end).strip() or norm(strip_html(first_cell(doc.line(it.end)))) in AUDIT_HEADERS
            ):
                it.end -= 1
            it.number = str(j + 1)
            g.add(it)
