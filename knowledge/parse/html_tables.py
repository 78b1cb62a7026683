"""HTML `<table>`s embedded in report lines, read from their markup alone.

Some cells of the report (the administrative-audit responses) hold HTML fragments with
tables in them. This module reads such a fragment with the standard library's `html.parser`
and knows nothing about any particular table:

    rowspan / colspan     expanded into a rectangular grid; a spanned cell is filled into
                          every position it covers (a rowspan label is "filled down")
    header                the `<thead>` rows, else the leading rows made only of `<th>`, else
                          a first row of words above rows with figures; each column gets its
                          header path, the texts of its header rows top to bottom
                          ("2021년 만족도(점) 운영")
    caption               an HTML `<caption>`, else the nearest preceding "< … >" title
                          paragraph (only notes such as "(단위 : 점, %)" may stand between it
                          and the table), else the short lead-in phrase right before the table
                          ("- MOU 체결 현황")
    unit note             "(단위 : …)" between the caption and the table
    row label             the row's leading word cells: the first column that is not a column
                          of figures (a leading serial-number column is skipped), widened to
                          the columns its top header cell spans and, while labels repeat,
                          to the next word column (a rowspan group plus its member)
    value                 "88.2" → 88.2, "139" → 139, "74%" → 74 (%), "1h" → 1 (시간),
                          "△3" → -3, "-" or "" → None (text kept)
    unit                  the value's own suffix, else the column header's "(점)"/"(%)", else
                          the row label's, else the unit note when it names a single unit

Tab-separated text outside the markup (the report repeats each table flattened after the
HTML) is never read as a table here.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from html.parser import HTMLParser

# units a header's "(…)", a value's suffix or a 단위 note may name (values mapped to the name used)
UNITS = {
    "%": "%", "％": "%", "%p": "%p", "점": "점", "명": "명", "개": "개", "회": "회", "건": "건", "원": "원",
    "천원": "천원", "백만원": "백만원", "억원": "억원", "시간": "시간", "h": "시간", "hr": "시간", "일": "일",
    "주": "주", "개월": "개월", "년": "년", "㎡": "㎡", "평": "평", "과정": "과정", "기": "기", "편": "편",
    "종": "종", "대": "대", "배": "배", "개소": "개소", "명/회": "명/회", "개국": "개국", "세": "세",
}
# header texts that mark a row-label column even when its cells are figures (years, codes)
LABEL_HEADERS = {"구분", "연도", "년도", "항목", "분야"}
BLOCK_TAGS = {"p", "div", "ul", "ol", "li", "h1", "h2", "h3", "h4", "h5", "h6", "section", "blockquote"}
MAX_SPAN = 200  # a rowspan/colspan beyond this is a typo, not a table shape

_WS = re.compile(r"\s+")
_VALUE = re.compile(
    r"^(?P<neg>[△▲−-])?\s*(?P<num>\d{1,3}(?:,\d{3})+|\d+)(?:\.(?P<frac>\d+))?\s*(?P<unit>%p|%|％|hr|h|[가-힣㎡/]{1,3})?$"
)
_DASHES = {"-", "―", "—", "–", "−"}
_TITLE = re.compile(r"[<〈＜]\s*([^<>〈〉＜＞\n]*?[^\s<>〈〉＜＞\n])\s*[>〉＞]")
_UNIT_NOTE = re.compile(r"[(（]\s*단\s*위\s*[:：]?\s*([^()（）]+?)\s*[)）]")
_PAREN = re.compile(r"[(（]\s*([^()（）]{1,8}?)\s*[)）]")
_BULLET = re.compile(r"(?:^|\s)[○◦●•▶►■□※∙·\-]\s")
# text allowed between a "< … >" title and its table (besides unit notes), in characters
TITLE_GAP = 40
LEAD_MAX = 60


def clean(text: str) -> str:
    return _WS.sub(" ", text or "").strip()


@dataclass(frozen=True)
class Value:
    number: float | int | None
    unit: str | None = None


def parse_value(text: str) -> Value:
    """'88.2' → 88.2, '139' → 139, '74%' → 74 (%), '1h' → 1 (시간), '(1,234)' → 1234, '-' → None."""
    s = clean(text)
    if not s or s in _DASHES:
        return Value(None)
    if s.startswith(("(", "（")) and s.endswith((")", "）")):
        s = s[1:-1].strip()
    m = _VALUE.match(s)
    if not m:
        return Value(None)
    unit = m["unit"]
    if unit is not None and unit not in UNITS:
        return Value(None)  # '5급', '3층' …: a name, not a figure of this table
    digits = m["num"].replace(",", "")
    num: float | int = float(f"{digits}.{m['frac']}") if m["frac"] else int(digits)
    if m["neg"]:
        num = -num
    return Value(num, UNITS[unit] if unit else None)


def unit_of(text: str) -> str | None:
    """The unit a label names in parentheses ('만족도(점)' → 점, '현업 적용도 (%)' → %), or None."""
    for m in reversed(list(_PAREN.finditer(text or ""))):
        u = re.sub(r"^단\s*위\s*[:：]?\s*", "", m.group(1)).strip()
        if u in UNITS:
            return UNITS[u]
    return None


def single_unit(note: str | None) -> str | None:
    """'천원' → 천원; '점, %' → None (which unit goes with which column is the header's to say)."""
    if not note:
        return None
    parts = [p.strip() for p in re.split(r"[,，/·、]", note) if p.strip()]
    return UNITS.get(parts[0]) if len(parts) == 1 else None


@dataclass
class GridCell:
    text: str
    header: bool  # a <th>
    origin: int  # the source element: copies made by rowspan/colspan share it (-1: no element)


EMPTY = GridCell("", False, -1)


@dataclass
class TableCell:
    """One value of a table: its body row, row label, column header path, text and number."""

    row: int  # 0-based body row
    col: int  # 0-based grid column (the first one of a colspan)
    row_label: str
    column: str
    text: str
    value: float | int | None
    unit: str | None


@dataclass
class HtmlTable:
    """A table expanded into a grid: header rows, body rows, the header path of every column."""

    header: list[list[GridCell]]
    body: list[list[GridCell]]
    caption: str | None = None
    caption_kind: str | None = None  # 'caption' (<caption>) | 'title' ("< … >") | 'lead' (phrase before)
    unit_note: str | None = None
    columns: list[str] = field(default_factory=list)
    label_cols: list[int] = field(default_factory=list)

    @property
    def n_rows(self) -> int:
        return len(self.body)

    @property
    def n_cols(self) -> int:
        return len(self.columns)

    def row_label(self, i: int) -> str:
        parts: list[str] = []
        seen: set[int] = set()
        for j in self.label_cols:
            c = self.body[i][j]
            if c.origin in seen or not c.text:
                continue
            seen.add(c.origin)
            if not parts or parts[-1] != c.text:
                parts.append(c.text)
        return " ".join(parts)

    def cells(self) -> list[TableCell]:
        """Every non-empty value cell, row by row (rowspan copies included, colspan copies once)."""
        out: list[TableCell] = []
        note_unit = single_unit(self.unit_note)
        for i, row in enumerate(self.body):
            label = self.row_label(i)
            label_unit = unit_of(label)
            j = 0
            while j < self.n_cols:
                c = row[j]
                k = j
                while k + 1 < self.n_cols and row[k + 1].origin == c.origin and c.origin >= 0:
                    k += 1
                if j in self.label_cols or not c.text:
                    j = k + 1
                    continue
                column = self._span_label(j, k)
                v = parse_value(c.text)
                unit = None
                if v.number is not None:
                    unit = v.unit or self._column_unit(j, k) or label_unit or note_unit
                out.append(TableCell(i, j, label, column, c.text, v.number, unit))
                j = k + 1
        return out

    def _paths(self) -> list[list[str]]:
        paths: list[list[str]] = []
        for j in range(len(self.columns)):
            parts: list[str] = []
            last = None
            for row in self.header:
                c = row[j]
                if c.origin == last or not c.text:
                    last = c.origin
                    continue
                last = c.origin
                if not parts or parts[-1] != c.text:
                    parts.append(c.text)
            paths.append(parts)
        return paths

    def _span_label(self, j: int, k: int) -> str:
        if j == k:
            return self.columns[j]
        paths = self._paths()[j : k + 1]
        common: list[str] = []
        for parts in zip(*paths):
            if len(set(parts)) != 1:
                break
            common.append(parts[0])
        if common:
            return " ".join(common)
        return "·".join(dict.fromkeys(self.columns[j : k + 1]))  # no shared header: name them all

    def _column_unit(self, j: int, k: int) -> str | None:
        for parts in self._paths()[j : k + 1]:
            for p in reversed(parts):
                u = unit_of(p)
                if u:
                    return u
        return None


# ------------------------------------------------------------------------------------- markup


@dataclass
class _RawCell:
    text: list[str]
    header: bool
    rowspan: int
    colspan: int


@dataclass
class _RawTable:
    before: str  # text outside any table since the previous table (this fragment and context)
    lead_text: str  # the same, from this fragment only
    seq: int = 0  # order of the opening tags
    rows: list[tuple[bool, list[_RawCell]]] = field(default_factory=list)  # (in <thead>, cells)
    caption: list[str] = field(default_factory=list)
    in_thead: bool = False
    cell: _RawCell | None = None
    in_caption: bool = False


def _span(attrs: list[tuple[str, str | None]], name: str) -> int:
    for k, v in attrs:
        if k == name and v:
            m = re.match(r"\s*(\d+)", v)
            if m:
                return max(1, min(int(m.group(1)), MAX_SPAN))
    return 1


class _Reader(HTMLParser):
    def __init__(self, context: str = "") -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[_RawTable] = []
        self.done: list[_RawTable] = []
        self.context = context  # outside text carried in from earlier lines (no tables)
        self.outside: list[str] = []
        self.opened = 0

    # outside text since the previous table: the caption's and lead's source
    def _outside_text(self) -> str:
        return "".join(self.outside)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        t = self.stack[-1] if self.stack else None
        if tag == "table":
            top = not self.stack
            own = self._outside_text() if top else ""
            first = top and not self.done
            before = f"{self.context}\n{own}" if first else own
            self.stack.append(_RawTable(before=before, lead_text=own, seq=self.opened))
            self.opened += 1
            if top:
                self.outside = []
            return
        if t is None:
            if tag in BLOCK_TAGS or tag == "br":
                self.outside.append("\n")
            return
        if tag == "thead":
            t.in_thead = True
        elif tag in ("tbody", "tfoot"):
            t.in_thead = False
        elif tag == "caption":
            t.in_caption = True
        elif tag == "tr":
            self._close_cell(t)
            t.rows.append((t.in_thead, []))
        elif tag in ("td", "th"):
            self._close_cell(t)
            if not t.rows:
                t.rows.append((t.in_thead, []))
            t.cell = _RawCell([], tag == "th", _span(attrs, "rowspan"), _span(attrs, "colspan"))
        elif tag in BLOCK_TAGS or tag == "br":
            self._data(" ")

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "br" or tag in BLOCK_TAGS:
            self.handle_starttag(tag, attrs)

    def handle_endtag(self, tag: str) -> None:
        t = self.stack[-1] if self.stack else None
        if t is None:
            if tag in BLOCK_TAGS:
                self.outside.append("\n")
            return
        if tag in ("td", "th", "tr"):
            self._close_cell(t)
        elif tag == "caption":
            t.in_caption = False
        elif tag == "thead":
            t.in_thead = False
        elif tag == "table":
            self._close_cell(t)
            self.stack.pop()
            self.done.append(t)
            if self.stack:  # a nested table is a table of its own; the outer cell keeps its own text
                self._data(" ")
        elif tag in BLOCK_TAGS:
            self._data(" ")

    def handle_data(self, data: str) -> None:
        if not self.stack:
            self.outside.append(data.replace("\t", "\n"))
        else:
            self._data(data)

    def _data(self, data: str) -> None:
        t = self.stack[-1]
        if t.in_caption:
            t.caption.append(data)
        elif t.cell is not None:
            t.cell.text.append(data)

    @staticmethod
    def _close_cell(t: _RawTable) -> None:
        if t.cell is not None:
            if not t.rows:
                t.rows.append((t.in_thead, []))
            t.rows[-1][1].append(t.cell)
            t.cell = None

    def close(self) -> None:
        super().close()
        while self.stack:  # an unclosed table still counts
            self.handle_endtag("table")


def _expand(rows: list[list[_RawCell]], origin0: int) -> tuple[list[list[GridCell]], int]:
    """Rows of cells with spans → a grid (rowspans clipped to these rows); returns the next origin id."""
    grid: dict[tuple[int, int], GridCell] = {}
    origin = origin0
    for r, cells in enumerate(rows):
        c = 0
        for cell in cells:
            while (r, c) in grid:
                c += 1
            g = GridCell(clean("".join(cell.text)), cell.header, origin)
            origin += 1
            for dr in range(min(cell.rowspan, len(rows) - r)):
                for dc in range(cell.colspan):
                    grid.setdefault((r + dr, c + dc), g)
            c += cell.colspan
    width = max((c for _, c in grid), default=-1) + 1
    return [[grid.get((r, c), EMPTY) for c in range(width)] for r in range(len(rows))], origin


def _is_number(text: str) -> bool:
    return parse_value(text).number is not None


def _split_header(raw: _RawTable) -> tuple[list[list[_RawCell]], list[list[_RawCell]]]:
    rows = [(th, cells) for th, cells in raw.rows if cells]
    if any(th for th, _ in rows):
        return [c for th, c in rows if th], [c for th, c in rows if not th]
    n = 0
    while n < len(rows) and all(c.header for c in rows[n][1]):
        n += 1
    if n == 0 and len(rows) > 1:
        first = rows[0][1]
        words = all(not _is_number("".join(c.text)) for c in first)
        figures = any(_is_number("".join(c.text)) for _, cs in rows[1:] for c in cs)
        n = 1 if words and figures else 0
    return [c for _, c in rows[:n]], [c for _, c in rows[n:]]


def _caption(raw: _RawTable) -> tuple[str | None, str | None, str | None]:
    """(caption, kind, unit note) from the table's <caption> or the text before it."""
    own = clean("".join(raw.caption))
    before = raw.before
    note = None
    title = None
    titles = list(_TITLE.finditer(before))
    if titles:
        t = titles[-1]
        rest = before[t.end():]
        if len(_WS.sub("", _UNIT_NOTE.sub("", rest))) <= TITLE_GAP:
            title = clean(t.group(1))
            m = _UNIT_NOTE.search(rest)
            note = clean(m.group(1)) if m else None
            inner = _UNIT_NOTE.search(t.group(1))
            if inner:  # "< 제목 (단위: 명) >"
                note = note or clean(inner.group(1))
                title = clean(_UNIT_NOTE.sub("", t.group(1)))
    if note is None:
        notes = list(_UNIT_NOTE.finditer(before))
        if notes and len(_WS.sub("", before[notes[-1].end():])) <= TITLE_GAP:
            note = clean(notes[-1].group(1))
    if own:
        m = _UNIT_NOTE.search(own)
        if m:
            note = note or clean(m.group(1))
            own = clean(_UNIT_NOTE.sub("", own))
        return own.strip("<>〈〉＜＞ ") or title, "caption", note
    if title:
        return title, "title", note
    tail = raw.lead_text.rsplit("\n", 1)[-1]
    tail = _UNIT_NOTE.sub("", tail)
    pieces = _BULLET.split(" " + tail)
    lead = clean(pieces[-1]).rstrip(":：")
    if 2 <= len(lead) <= LEAD_MAX and re.search(r"[가-힣A-Za-z]", lead):
        return lead, "lead", note
    return None, None, note


def _label_cols(header: list[list[GridCell]], body: list[list[GridCell]], columns: list[str]) -> list[int]:
    n = len(columns)
    if n < 2 or not body:
        return []

    def texts(j: int) -> list[str]:
        return [r[j].text for r in body if r[j].text and r[j].text not in _DASHES]

    def figures(j: int) -> bool:
        ts = texts(j)
        return bool(ts) and all(_is_number(t) for t in ts)

    def label_like(j: int) -> bool:
        if any(r[j].header for r in body):
            return True
        if re.sub(r"\s+", "", columns[j]) in LABEL_HEADERS:
            return True
        return bool(texts(j)) and not figures(j)

    def serial(j: int) -> bool:
        return figures(j) and all(isinstance(parse_value(t).number, int) for t in texts(j))

    if label_like(0):
        start = 0
    elif n > 2 and serial(0) and label_like(1):
        start = 1
    else:
        return []
    cols = [start]
    if header:
        top = header[0][start]
        k = start + 1
        while k < n - 1 and top.origin >= 0 and header[0][k].origin == top.origin:
            cols.append(k)
            k += 1

    def unique(cs: list[int]) -> bool:
        labels = []
        for r in body:
            parts = []
            for j in cs:
                if r[j].text and (not parts or parts[-1] != r[j].text):
                    parts.append(r[j].text)
            if parts:
                labels.append(" ".join(parts))
        return len(labels) == len(set(labels))

    while not unique(cols) and len(cols) < 3 and cols[-1] + 1 < n - 1 and label_like(cols[-1] + 1):
        cols.append(cols[-1] + 1)
    return cols


def _build(raw: _RawTable) -> HtmlTable | None:
    head_rows, body_rows = _split_header(raw)
    if not head_rows and not body_rows:
        return None
    header, nxt = _expand(head_rows, 0)
    body, _ = _expand(body_rows, nxt)
    width = max([len(r) for r in header + body] or [0])
    header = [r + [EMPTY] * (width - len(r)) for r in header]
    body = [r + [EMPTY] * (width - len(r)) for r in body]
    body = [r for r in body if any(c.text for c in r)]
    table = HtmlTable(header=header, body=body)
    table.columns = [""] * width
    table.columns = [" ".join(p) for p in table._paths()]
    table.caption, table.caption_kind, table.unit_note = _caption(raw)
    table.label_cols = _label_cols(header, body, table.columns)
    return table


def parse_html_tables(html: str, context: str = "") -> list[HtmlTable]:
    """The tables of an HTML fragment, in document order (nested tables after their parent).

    `context` is text that comes before the fragment (e.g. the previous lines of the same
    item): only its text after its last table is used, to find a caption on an earlier line.
    """
    if "<table" not in html.lower():
        return []
    ctx = _Reader()
    ctx.feed(context)
    ctx.close()
    reader = _Reader(context=ctx._outside_text())
    reader.feed(html)
    reader.close()
    raws = sorted(reader.done, key=lambda t: t.seq)
    return [t for t in (_build(r) for r in raws) if t is not None]


def has_html_table(text: str) -> bool:
    return "<table" in (text or "").lower()
