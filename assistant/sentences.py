"""The sentences of retrieved passages, read with the report's own structure: the list mark a sentence
starts with (□ block, ○ item, - sub-item, ※ note), the block heading it stands under ('추진내용',
'□ 향후계획'), and what it is made of (a caption, a table's header row, a table row, prose)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from knowledge.names import canonical, compact

SEGMENT_SPLIT = re.compile(r"\s+(?=[○▶※•①②③④⑤⑥⑦⑧⑨]|- (?=\S)|□\s)")
MARKS = " -○□▶※·•■◦ㅇ"
# the mark a segment starts with → its depth in the report's lists (a block, an item, a sub-item, a note)
DEPTH = {"□": 0, "■": 0, "○": 1, "ㅇ": 1, "①": 1, "②": 1, "③": 1, "④": 1, "⑤": 1, "-": 2, "•": 2, "·": 2, "▶": 2, "◦": 2, "※": 3}
TITLE_CAPTION = re.compile(r"^\s*<[^<>]{2,80}>\s*$")
CAPTION = re.compile(r"^\s*(?:【[^】]*】|<[^<>]{2,80}>|\(단위\s*:[^)]*\))\s*$")
# a sentence of the report ends in a predicate: '~다', or a nominalised '~ㅁ' ('~함', '~임', '~하겠음', '~둠')


def ends_in_predicate(c: str) -> bool:
    c = c.rstrip(".) ")
    if not c:
        return False
    last = ord(c[-1]) - 0xAC00
    return c[-1] == "다" or 0 <= last < 11172 and last % 28 == 16
# a heading with its value on the same line: '추진상황 : 추진완료', '□ 추진상황 : 추진 중'
LABELLED_HEADING = re.compile(r"^([가-힣]{2,6}(?:\s?[가-힣]{2,4})?)\s*[:：]\s*(.{1,12})$")


@dataclass
class Sentence:
    text: str
    passage: Any
    lines: list[int]
    bigrams: set[str]
    mark: str = ""  # the list mark the segment started with ('' for running text)
    block: str = ""  # the heading of the block it stands under, whitespace-free ('추진내용', '향후계획')
    order: int = 0  # its position among the sentences of its block (0 = the first)
    item: int = 0  # its position among the items (○ and above) of its block: a sub-item has its item's
    next: str | None = None
    heading: bool = False  # a block heading itself ('추진내용', '□ 향후계획'): structure, not an answer
    extras: dict = field(default_factory=dict)

    @property
    def depth(self) -> int:
        return DEPTH.get(self.mark, 1)

    @property
    def caption(self) -> bool:
        return bool(CAPTION.match(self.text))

    @property
    def table_row(self) -> bool:
        return self.text.count("|") >= 2

    @property
    def header_row(self) -> bool:
        """A table's header row: cells of a few letters and no figure ('구 분 | 계 | 신규 개설')."""
        cells = [c.strip() for c in self.text.split("|")]
        return len(cells) >= 3 and not re.search(r"\d", self.text) and all(len(compact(c)) <= 8 for c in cells)


def bigrams_of(s: str) -> set[str]:
    return {s[i : i + 2] for i in range(len(s) - 1)}


def is_heading(seg: str, mark: str) -> bool:
    """A block heading: a few words with no figure and no predicate ('추진내용', '□ 향후계획', '추진상황 : 추진 중')."""
    c = compact(seg)
    if LABELLED_HEADING.match(seg.strip()) and not re.search(r"\d", seg) and mark in ("", "□", "■"):
        return True
    return len(c) <= 10 and not re.search(r"\d", c) and not ends_in_predicate(c) and mark in ("", "□", "■") and "|" not in seg


def heading_name(seg: str) -> str:
    m = LABELLED_HEADING.match(seg.strip())
    return compact(m.group(1) if m else seg)


def _marked_segments(line: str) -> list[tuple[str, str]]:
    """(mark, text) of each segment of a line; the mark is the first list mark it started with."""
    out = []
    for seg in SEGMENT_SPLIT.split(line):
        raw = seg.strip()
        mark = raw[0] if raw and raw[0] in DEPTH else ""
        out.append((mark, raw.strip(MARKS)))
    return out


def sentences_of(passages) -> list[Sentence]:
    """Every segment of at least 6 characters of the passages, in order, with its block and list mark;
    a short heading's continuation is the next sentence of the same passage."""
    out: list[Sentence] = []
    for p in passages:
        lines = p.text.split("\n")
        exact = len(lines) == p.lines[1] - p.lines[0] + 1
        block, order, item, open_heading = "", 0, -1, False
        for i, ln in enumerate(lines):
            n = p.lines[0] + i if exact else None
            segs = _marked_segments(ln)
            for j, (mark, seg) in enumerate(segs):
                if not seg:
                    continue
                head = is_heading(seg, mark) and not TITLE_CAPTION.match(seg)
                labelled = bool(LABELLED_HEADING.match(seg.strip()))
                if head:  # a heading written over several lines ('미래 지향적' / '공무원 역량강화') is one name
                    block = block + heading_name(seg) if open_heading and not labelled else heading_name(seg)
                    order, item = 0, -1
                elif TITLE_CAPTION.match(seg) and j == 0:  # '< 전 직원 대상 생성형 AI 활용 의무교육 추진 >' heads the lines under it
                    block, order, item = compact(seg.strip("<> ")), 0, -1
                elif mark == "※" and j == 0 and is_heading(seg, ""):  # '※ 미네소타 프로젝트': a note's own block
                    # (not a note at the end of a line: '… 코엑스(COEX) ※ 글로벌도시정책관 주관' heads nothing)
                    block, order, item = "※" + compact(seg), 0, -1
                open_heading = head and not labelled
                if len(seg) < 6:
                    continue
                if not head and DEPTH.get(mark, 1) <= 1:
                    item += 1
                c = canonical(seg)
                nxt = next((s for _, s in segs[j + 1 :] if len(s) >= 6), None)
                out.append(Sentence(seg, p, [n, n] if n else list(p.lines), bigrams_of(c), mark, block, order, max(item, 0), nxt, head))
                if not head:
                    order += 1
    for i, s in enumerate(out):
        if s.next is None and i + 1 < len(out) and out[i + 1].passage is s.passage:
            s.next = out[i + 1].text
    return out


def children_of(s: Sentence, sentences: list[Sentence], loose: bool = False) -> list[Sentence]:
    """The sub-items that follow an item in its passage, up to the next item of its depth or above; `loose`
    (an item that ends in ':'): the unmarked lines under it are its content too."""
    i = next((k for k, x in enumerate(sentences) if x is s), None)
    if i is None:
        return []
    out = []
    for x in sentences[i + 1 :]:
        if x.passage is not s.passage or x.heading or x.block != s.block:
            break
        if x.depth <= s.depth and not (loose and not x.mark):
            break
        out.append(x)
    return out
