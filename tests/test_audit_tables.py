"""HTML tables inside audit follow-ups: read from the markup, stored with provenance, answered by get_audit.

The parser knows no particular table: spans, header paths, captions, units and row labels
come from the markup, so the small snippets below specify it as well as the report does.
"""

import pytest

from conftest import figure_on_line

from hrd.settings import get_settings
from knowledge.parse.html_tables import parse_html_tables, parse_value

# --------------------------------------------------------------------------- the parser on snippets


def one(html: str, context: str = ""):
    [t] = parse_html_tables(html, context)
    return t


def grid(t) -> dict[tuple[str, str], str]:
    return {(c.row_label, c.column): c.text for c in t.cells()}


@pytest.mark.parametrize("text, number, unit", [
    ("88.2", 88.2, None),
    ("139", 139, None),
    ("1,234", 1234, None),
    ("74%", 74, "%"),
    ("1h", 1, "시간"),
    ("3 명", 3, "명"),
    ("△3", -3, None),
    ("(59,237)", 59237, None),
    ("-", None, None),
    ("", None, None),
    ("'24.3.12.", None, None),
    ("제1기", None, None),
    ("5급 승진리더", None, None),
    ("5급", None, None),  # 급 is no unit: a name, not a figure
    ("2025 서울 ODA 온라인 연수", None, None),
])
def test_a_value_is_read_as_written(text, number, unit):
    v = parse_value(text)
    assert v.number == number and type(v.number) is type(number) and v.unit == unit


def test_rowspan_is_filled_down_and_labels_widen_until_unique():
    t = one("""<table><thead><tr><th>과정</th><th>기수</th><th>강사</th></tr></thead><tbody>
        <tr><td rowspan="2">A 과정</td><td>제1기</td><td>갑</td></tr>
        <tr><td>제2기</td><td>을</td></tr>
        <tr><td>B 과정</td><td>제1기</td><td>병</td></tr></tbody></table>""")
    assert t.n_rows == 3 and t.n_cols == 3
    assert grid(t) == {("A 과정 제1기", "강사"): "갑", ("A 과정 제2기", "강사"): "을", ("B 과정 제1기", "강사"): "병"}


def test_colspan_label_is_read_once_and_a_spanned_value_once():
    t = one("""<table><tr><th colspan="2">구분</th><th>계</th><th>신규</th></tr>
        <tr><td colspan="2">계</td><td>10</td><td>4</td></tr>
        <tr><td rowspan="2">본원</td><td>개발</td><td>6</td><td>-</td></tr>
        <tr><td>공동활용</td><td colspan="2">합 4</td></tr></table>""")
    assert t.label_cols == [0, 1]
    assert [t.row_label(i) for i in range(t.n_rows)] == ["계", "본원 개발", "본원 공동활용"]
    cells = t.cells()
    assert [(c.row_label, c.column, c.text) for c in cells if c.row == 2] == [("본원 공동활용", "계·신규", "합 4")]


def test_dash_is_an_empty_value_with_its_text_kept():
    t = one("<table><tr><th>구분</th><th>신규</th></tr><tr><td>본원</td><td>-</td></tr></table>")
    [c] = t.cells()
    assert c.text == "-" and c.value is None and c.unit is None


def test_two_level_header_becomes_a_path_and_its_unit_the_values_unit():
    t = one("""<p>< 최근 2년간 추이 > (단위 : 점, %)</p>
        <table><thead>
          <tr><th colspan="2">2021년</th><th colspan="2">2022년</th></tr>
          <tr><th>만족도(점)</th><th>적용도 (%)</th><th>만족도(점)</th><th>적용도 (%)</th></tr>
        </thead><tbody><tr><td>4.45</td><td>88.2</td><td>4.50</td><td>81.7</td></tr></tbody></table>""")
    assert t.caption == "최근 2년간 추이" and t.caption_kind == "title" and t.unit_note == "점, %"
    assert t.columns == ["2021년 만족도(점)", "2021년 적용도 (%)", "2022년 만족도(점)", "2022년 적용도 (%)"]
    assert t.label_cols == []  # one row of figures: no row label
    assert [(c.row_label, c.column, c.value, c.unit) for c in t.cells()] == [
        ("", "2021년 만족도(점)", 4.45, "점"), ("", "2021년 적용도 (%)", 88.2, "%"),
        ("", "2022년 만족도(점)", 4.5, "점"), ("", "2022년 적용도 (%)", 81.7, "%"),
    ]


def test_a_rowspan_header_is_not_repeated_in_the_path():
    t = one("""<table><thead><tr><th colspan="2">만족도</th><th rowspan="2">적용도</th></tr>
        <tr><th>운영</th><th>강사</th></tr></thead><tbody><tr><td>1</td><td>2</td><td>3</td></tr></tbody></table>""")
    assert t.columns == ["만족도 운영", "만족도 강사", "적용도"]


def test_leading_th_rows_are_the_header_without_thead():
    t = one("<table><tr><th>연수명</th><th>수수율</th></tr><tr><td>가 연수</td><td>74%</td></tr></table>")
    [c] = t.cells()
    assert (c.row_label, c.column, c.value, c.unit) == ("가 연수", "수수율", 74, "%")


def test_unit_from_value_suffix_header_or_caption_note():
    t = one("""<p>< 예산 > (단위 : 천원)</p><table><tr><th>사업</th><th>예산</th><th>시간</th><th>비율(%)</th></tr>
        <tr><td>가</td><td>1,000</td><td>2h</td><td>5</td></tr></table>""")
    units = {c.column: c.unit for c in t.cells()}
    assert units == {"예산": "천원", "시간": "시간", "비율(%)": "%"}


def test_serial_column_is_not_the_row_label_and_a_rowspan_note_reaches_every_row():
    t = one("""<table><thead><tr><th>연번</th><th>과정명</th><th>비고</th></tr></thead><tbody>
        <tr><td>1</td><td>과장 리더십</td><td rowspan="3">1h</td></tr>
        <tr><td>2</td><td>팀장 리더십</td></tr><tr><td>3</td><td>6급 승진자</td></tr></tbody></table>""")
    assert t.label_cols == [1]
    notes = [(c.row_label, c.value, c.unit) for c in t.cells() if c.column == "비고"]
    assert notes == [("과장 리더십", 1, "시간"), ("팀장 리더십", 1, "시간"), ("6급 승진자", 1, "시간")]


def test_caption_is_the_nearest_title_or_else_the_phrase_before_the_table():
    far = "<p>< 오래된 제목 ></p><p>" + "긴 본문 " * 20 + "</p> ○ 체결 현황 <table><tr><th>a</th><th>b</th></tr><tr><td>x</td><td>1</td></tr></table>"
    t = one(far)
    assert (t.caption, t.caption_kind) == ("체결 현황", "lead")
    t = one("<table><caption>표 제목 (단위: 명)</caption><tr><th>a</th><th>b</th></tr><tr><td>x</td><td>1</td></tr></table>")
    assert (t.caption, t.caption_kind, t.unit_note) == ("표 제목", "caption", "명")
    assert t.cells()[0].unit == "명"


def test_caption_on_an_earlier_line_comes_from_the_context():
    t = one("\t<table><tr><th>a</th><th>b</th></tr><tr><td>x</td><td>1</td></tr></table>", context="\t< 출강 현황 >\t\t")
    assert t.caption == "출강 현황"


def test_each_table_of_a_fragment_takes_its_own_caption_and_flattened_copies_are_not_tables():
    html = ("<p>< 첫째 ></p><table><tr><th>a</th><th>b</th></tr><tr><td>x</td><td>1</td></tr></table>"
            "<p>< 둘째 ></p><table><tr><th>a</th><th>b</th></tr><tr><td>y</td><td>2</td></tr></table>\ta\tb\tx\t1")
    first, second = parse_html_tables(html)
    assert (first.caption, second.caption) == ("첫째", "둘째")
    assert [c.value for c in second.cells()] == [2]
    assert parse_html_tables("a\tb\tx\t1") == []


# --------------------------------------------------------------------------- the report


@pytest.fixture(scope="module")
def tables(parsed):
    return parsed.rows["audit_tables"]


def cells_of(parsed, table_row) -> list[dict]:
    return [c for c in parsed.rows["audit_table_cells"] if c["audit_table"] is table_row]


def table_on(parsed, line: int) -> dict:
    [t] = [t for t in parsed.rows["audit_tables"] if t["line_start"] == line]
    return t


def test_six_tables_on_the_lines_that_hold_them(tables, report_lines):
    with_table = [n for n, ln in enumerate(report_lines, start=1) if "<table" in ln]
    assert [t["line_start"] for t in tables] == with_table == [952, 959, 972, 982, 995, 1017]
    for t in tables:
        item = t["audit_item"]
        assert item["line_start"] <= t["line_start"] <= item["line_end"] and t["line_end"] == t["line_start"]


def test_trend_table_yields_twelve_cells(parsed):
    t = table_on(parsed, 952)
    assert t["caption"] == "최근 4년간 만족도 및 현업적용도 추이" and t["unit_note"] == "점, %"
    assert (t["n_rows"], t["n_cols"]) == (1, 12)
    cells = {c["column_label"]: c for c in cells_of(parsed, t)}
    assert len(cells) == 12
    assert (cells["2021년 현업 적용도 (%)"]["value_num"], cells["2021년 현업 적용도 (%)"]["unit"]) == (88.2, "%")
    assert cells["2023년 현업 적용도 (%)"]["value_num"] == 73.2
    assert (cells["2021년 만족도(점) 운영"]["value_num"], cells["2021년 만족도(점) 운영"]["unit"]) == (4.45, "점")


def test_completion_rate_table_has_three_courses(parsed):
    t = table_on(parsed, 959)
    rates = {c["row_label"]: (c["value_num"], c["unit"]) for c in cells_of(parsed, t) if c["column_label"] == "수수율"}
    assert t["n_rows"] == 3 and len(rates) == 3
    assert rates["더 나은 동행매력 정책통합형 온라인연수"] == (67, "%")
    assert rates["2025 서울 ODA 온라인 연수"] == (74, "%")


def test_elearning_table_labels_span_two_columns(parsed):
    t = table_on(parsed, 972)
    values = {(c["row_label"], c["column_label"]): c["value_num"] for c in cells_of(parsed, t)}
    assert values[("인재 개발원 공동활용 (타기관 소유콘텐츠)", "계")] == 108
    assert values[("계", "계")] == 139
    assert values[("인재 개발원 개발 콘텐츠 (제작·임차)", "신규 개설")] is None  # '-'


def test_vice_mayor_table_fills_the_course_name_down(parsed):
    t = table_on(parsed, 1017)
    assert t["caption"] == "4.5급 창의행정리더십 부시장 출강현황"  # from the line before the table
    names = [c for c in cells_of(parsed, t) if c["column_label"] == "성명"]
    assert t["n_rows"] == len(names) == 9
    assert [c["row_label"].rsplit(" ", 1)[0] for c in names] == ["4급 창의행정리더십"] * 3 + ["5급 창의행정리더십"] * 6
    assert (names[0]["row_label"], names[0]["value_text"]) == ("4급 창의행정리더십 제1기", "김상한")


def test_harassment_table_note_reaches_all_eight_courses(parsed):
    t = table_on(parsed, 982)
    notes = {c["row_label"]: (c["value_num"], c["unit"]) for c in cells_of(parsed, t) if c["column_label"] == "비고"}
    assert t["n_rows"] == 8 and len(notes) == 8
    assert set(notes.values()) == {(1.0, "시간")} and "6급 승진자" in notes


def test_mou_table_names_the_partners(parsed):
    t = table_on(parsed, 995)
    partners = [c["value_text"] for c in cells_of(parsed, t) if c["column_label"] == "체결 기관"]
    assert partners[:3] == ["제주도 인재개발원", "부산광역시 인재개발원", "전라남도 인재개발원"]


def test_every_cell_stands_in_the_html_of_its_line(parsed, report_lines):
    """Provenance: a cell's text is in the table's markup on the cited line, not only in the flattened copy."""
    for c in parsed.rows["audit_table_cells"]:
        line = report_lines[c["line_start"] - 1]
        html = line[: line.lower().rindex("</table>")]
        assert " ".join(c["value_text"].split()) in " ".join(html.split()), c
        assert figure_on_line(html, c["value_num"]), c


# --------------------------------------------------------------------------- ingest and get_audit


@pytest.fixture
def ctx():
    from knowledge.ingest import ingest
    from tools.context import ToolContext

    ingest(None, get_settings(), with_index=False)
    return ToolContext(get_settings())


def test_ingest_stores_tables_linked_to_their_items_and_get_audit_answers_from_them(ctx):
    from sqlalchemy import func, select

    from knowledge.models import AuditItem, AuditTable, AuditTableCell
    from tools import queries as q

    with ctx.session() as s:
        assert s.scalar(select(func.count()).select_from(AuditTable)) == 6
        assert s.scalar(select(func.count()).select_from(AuditTableCell)) == 89
        starts = s.execute(select(AuditTable.line_start, AuditItem.line_start).join(AuditItem, AuditTable.audit_item_id == AuditItem.id)).all()
        assert sorted(starts) == [(952, 952), (959, 959), (972, 972), (982, 982), (995, 995), (1017, 1011)]

    res = q.get_audit(q.AuditArgs(keyword="현업적용도"), ctx)
    [fact] = [f for f in res.facts if f.value == 88.2]
    assert fact.table == "audit_table_cells" and fact.lines == [952, 952] and fact.unit == "%"
    assert "2021년 현업 적용도" in fact.label and "(%)" not in fact.label
    assert [r["line_start"] for r in res.rows if r["table"] == "audit_tables"] == [952]

    # a word only a table holds selects the item that holds it
    res = q.get_audit(q.AuditArgs(keyword="수수율"), ctx)
    assert [r["line_start"] for r in res.rows if r["table"] == "audit_items"] == [959]
    assert any(f.value == 67 and "더 나은 동행매력" in f.label and f.unit == "%" for f in res.facts)
    res = q.get_audit(q.AuditArgs(keyword="부시장 출강"), ctx)
    assert [r["line_start"] for r in res.rows if r["table"] == "audit_items"] == [1011]
    assert sum(f.table == "audit_table_cells" and f.lines == [1017, 1017] for f in res.facts) == 27

    # existing behaviour: the summary figures are still there, first
    assert res.facts[0].table == "audit_summary"
