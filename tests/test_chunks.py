"""Chunking follows the section tree: every content line in exactly one chunk, no chunk
across a section boundary, text taken from the lines it cites, audit items split into
request and response."""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from pathlib import Path

import pytest

from knowledge.parse.cells import norm
from knowledge.parse.document import Document
from knowledge.parse.sections import parse_sections, strip_html

REPORT = Path(__file__).resolve().parents[1] / "knowledge" / "sources" / "seoul-hrd-2025-work-report.txt"
AUDIT_HEADER_CELLS = {"시정및처리요구사항", "조치결과및향후추진계획", "건의사항", "조치결과", "자료제출등기타사항"}
HTML_TAG = re.compile(r"<\s*/?\s*(p|ul|li|td|th|tr|table|thead|tbody|input|div|small|br)\b", re.I)


@pytest.fixture(scope="module")
def doc():
    return Document.from_path(REPORT)


@pytest.fixture(scope="module")
def root(doc):
    return parse_sections(doc)


@pytest.fixture(scope="module")
def chunks(doc, root):
    from knowledge.index.chunks import make_chunks

    return make_chunks(doc, root)


def is_content(line: str) -> bool:
    """A line with a letter or digit that is not one of the audit tables' header rows."""
    if not re.search(r"[^\W_]", line):
        return False
    if "\t" in line:
        cells = [norm(strip_html(c)) for c in line.split("\t")]
        cells = [c for c in cells if c and re.search(r"[^\W_]", c)]
        if cells and all(c in AUDIT_HEADER_CELLS for c in cells):
            return False
    return True


def deepest(root, n):
    best = root
    for s in root.walk():
        if s.start <= n <= s.end and (s.end - s.start) <= (best.end - best.start):
            best = s
    return best


def by_path(root):
    from knowledge.index.chunks import section_path

    return {section_path(s): s for s in root.walk()}


def test_every_content_line_is_in_exactly_one_chunk(doc, chunks):
    cover = defaultdict(list)
    for c in chunks:
        for n in range(c.lines[0], c.lines[1] + 1):
            cover[n].append(c)
    missing, doubled = [], []
    for n, line in enumerate(doc.lines, start=1):
        if not is_content(line):
            continue
        here = cover.get(n, [])
        body = [c for c in here if c.kind != "audit-request"]
        if not body:
            missing.append(n)
            continue
        # one section per line; outside audit responses (split inside one long cell) one chunk
        if len({c.section for c in here}) != 1 or (body[0].kind != "audit-response" and len(body) != 1):
            doubled.append((n, [c.id for c in here]))
    assert not missing, f"content lines in no chunk: {missing[:20]}"
    assert not doubled, f"lines in more than one chunk: {doubled[:10]}"


def test_chunk_spans_stay_inside_their_section(doc, root, chunks):
    sections = by_path(root)
    for c in chunks:
        sec = sections[c.section]
        assert sec.start <= c.lines[0] <= c.lines[1] <= sec.end, (c.id, c.section, c.lines, (sec.start, sec.end))
        for n in range(c.lines[0], c.lines[1] + 1):
            if is_content(doc.line(n)):
                assert deepest(root, n) is sec, f"{c.id} crosses into {deepest(root, n).path!r} at line {n}"
        assert is_content(doc.line(c.lines[0])) and is_content(doc.line(c.lines[1])), c.id


def test_chunk_text_comes_from_its_lines(doc, chunks):
    for c in chunks:
        span = "\n".join(doc.lines[c.lines[0] - 1 : c.lines[1]])
        source = norm(span) + norm(strip_html(span.replace("< ", "&lt; ").replace(" >", " &gt;")))
        words = {w for w in re.split(r"[\s|/]+", c.text) if len(w) >= 2 and re.search(r"[가-힣0-9]", w)}
        sample = sorted(words, key=lambda w: (-len(w), w))[:10] or [c.text]  # '기 타 사 항'
        for w in sample:
            assert norm(w) in source, f"{c.id}: {w!r} is not on lines {c.lines}"


def test_text_is_clean_and_sized(chunks):
    for c in chunks:
        assert c.text == c.text.strip() and c.text, c.id
        assert not HTML_TAG.search(c.text), f"HTML left in {c.id}: {c.text[:200]}"
        assert "\t" not in c.text, c.id
        assert "**" not in c.text, c.id
        assert len(c.text) <= 1400, (c.id, len(c.text))
        head = f"[{c.title}] {c.context}\n" if c.context else f"[{c.title}] "
        assert c.indexed_text == head + c.text, c.id
    sizes = sorted(len(c.text) for c in chunks)
    assert sizes[int(len(sizes) * 0.9)] <= 800, sizes[-15:]


def test_ids_are_unique_and_stable(doc, root, chunks):
    from knowledge.index.chunks import make_chunks

    ids = [c.id for c in chunks]
    assert len(ids) == len(set(ids))
    assert ids == [c.id for c in make_chunks(doc, root)]
    for c in chunks:
        assert c.id.startswith(doc.sha256[:12] + f"-{c.lines[0]}-{c.kind}-"), c.id
        assert c.report_hash == doc.sha256 and c.year == 2025 and c.source == REPORT.name


def test_kinds_and_metadata(chunks):
    kinds = Counter(c.kind for c in chunks)
    assert set(kinds) == {"program", "audit-request", "audit-response", "general"}
    assert 120 <= len(chunks) <= 260, len(chunks)
    for c in chunks:
        md = c.metadata()
        assert all(v is not None and not isinstance(v, (list, dict)) for v in md.values()), md
        assert md["line_start"] == c.lines[0] and md["line_end"] == c.lines[1]
        if c.kind == "general":
            assert c.department is None


def test_program_departments_come_from_the_chief_in_the_contact_lines(chunks):
    def dept_at(line):
        return next(c.department for c in chunks if c.lines[0] <= line <= c.lines[1] and c.kind == "program")

    assert dept_at(216) == "인재양성과"  # 7~9급 신입자 교육과정 운영
    assert dept_at(358) == "인재기획과"  # IT 교육
    assert dept_at(905) == "인재채용과"  # 승진 역량평가
    assert dept_at(616) == "인재기획과"  # e-러닝: contact spread over several lines
    assert dept_at(571) is None  # the MITI forum has no 작성자 lines


def test_audit_items_yield_request_and_response(root, chunks):
    items = [s for s in root.walk() if s.kind == "audit_item"]
    assert len(items) == 20  # the report's 총괄 says 20 items
    for it in items:
        mine = [c for c in chunks if c.lines[0] >= it.start and c.lines[1] <= it.end and c.kind.startswith("audit")]
        req = [c for c in mine if c.kind == "audit-request"]
        resp = [c for c in mine if c.kind == "audit-response"]
        assert len(req) == 1 and req[0].lines == (it.start, it.start), (it.start, [c.id for c in mine])
        assert resp, f"no response for the item at line {it.start}"
        assert req[0].text.startswith("○"), req[0].text[:40]
        assert "추진상황" in resp[0].text, resp[0].text[:80]
        assert req[0].department and all(c.department == req[0].department for c in resp)
        assert all(c.audit_kind == it.label for c in mine)
        for c in resp:
            assert "추진상황" not in req[0].text


def test_audit_tables_read_as_rows_without_repeats(chunks):
    resp = [c for c in chunks if c.kind == "audit-response" and c.lines[0] == 952]
    text = "\n".join(c.text for c in resp)
    assert "4.45 | 4.66 | 88.2 | 4.50" in text
    assert text.count("88.2") == 1  # the HTML table, not again from the flattened cells and rows
    assert "< 최근 4년간 만족도 및 현업적용도 추이 >" in text  # a caption, not a tag
    by_line = {c.lines[0]: c for c in chunks if c.kind == "audit-request"}
    assert by_line[994].department == "인재기획과, 인재양성과"
    assert by_line[1030].department == "인재채용과"


def test_a_split_table_keeps_its_header_for_search(chunks):
    parts = [c for c in chunks if c.section == "Ⅰ > 4 2025년 예산 현황"]
    assert parts[0].context == "" and all(p.context for p in parts[1:])
    for p in parts[1:]:
        assert p.context.startswith("구분 | 예산현액") and "집행률(%)" in p.context
        assert p.context not in p.text  # indexed, not cited
    rows = [c for c in chunks if c.section == "Ⅰ > 3 2025년 교육 운영 현황"][1]
    assert "e러닝 (465) | 소계 | 465 | - | 1,014,000" in rows.text  # 'e 러 닝', '소 계' joined; '-' kept
    assert "참여율" in rows.context
    budget = "\n".join(p.text for p in parts)
    assert "시정철학공유특별교육 | 267,926 | 267,926 | - | - | 257,777 | 96.2%" in budget


def test_long_blocks_split_at_list_items(doc, chunks):
    parts = [c for c in chunks if c.section.startswith("Ⅰ > 4 2025년 예산 현황")]
    assert len(parts) >= 2
    for a, b in zip(parts, parts[1:]):
        assert a.lines[1] < b.lines[0]
        first = doc.line(b.lines[0])
        assert "\t" in first or first.lstrip().startswith(("-", "○", "▶", "※", "■", "□"))
