"""The web page in a real browser: Debian's chromium driven by Python playwright against the live server."""

from __future__ import annotations

import json
import os
import re
import shutil
from pathlib import Path
from typing import Iterator

import pytest
expect = pytest.importorskip("playwright.sync_api").expect
from test_api import has_ask, ingested, live_server, settings  # noqa: F401  (module fixtures shared with the API tests)

CHROMIUM = Path("/usr/bin/chromium")
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--no-first-run", "--disable-sync", "--disable-quic", "--disable-dev-shm-usage"]

pytestmark = pytest.mark.skipif(not CHROMIUM.exists() and not shutil.which("chromium"),
                                reason="Debian chromium is not installed at /usr/bin/chromium (apt-get install -y chromium fonts-nanum)")


@pytest.fixture(scope="module")
def page_key(settings) -> str:  # noqa: F811
    from server import make_key

    return make_key(settings, "viewer", "web-page")


@pytest.fixture(scope="module")
def base(settings) -> Iterator[str]:  # noqa: F811
    from api import create_app

    with live_server(create_app(settings.model_copy(update={"rate_limit": 0}))) as url:
        yield url


@pytest.fixture(scope="module")
def browser():
    playwright = pytest.importorskip("playwright.sync_api")
    with playwright.sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        try:
            yield b
        finally:
            b.close()


@pytest.fixture
def page(browser, base, page_key):
    """The page with its key typed in once (kept in this tab's sessionStorage)."""
    context = browser.new_context(locale="ko-KR", viewport={"width": 1200, "height": 900})
    context.add_init_script(f"sessionStorage.setItem('hrd-api-key', {json.dumps(page_key)})")
    pg = context.new_page()
    errors: list[str] = []
    pg.on("pageerror", lambda e: errors.append(str(e)))
    pg.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    outside: list[str] = []
    pg.on("request", lambda r: outside.append(r.url) if not r.url.startswith(base) else None)
    pg.goto(base + "/")
    pg.hrd_errors = errors  # a test that provokes an error removes the one it expects
    yield pg
    context.close()
    assert not outside, f"the page reached outside the server: {outside}"
    assert not errors, f"browser errors: {errors}"


def test_page_loads_in_korean(page, tmp_path):
    assert page.locator("h1").inner_text() == "서울시 인재개발원 업무보고 질의응답"
    # locator waits poll without eval: the page's CSP forbids the string predicates of wait_for_function
    expect(page.locator("#report-info")).to_contain_text("2025년 보고서", timeout=30_000)
    assert page.locator("#ask-button").inner_text() == "질문하기"
    page.screenshot(path=str(tmp_path / "page.png"), full_page=True)


@pytest.mark.skipif(not has_ask(), reason="assistant.ask is not there yet (written in parallel)")
def test_asking_shows_answer_citation_and_table_rows(page, tmp_path):
    page.fill("#question", "신규자과정운영 집행률은?")
    page.click("#ask-button")
    page.wait_for_selector("#answer:not([hidden])", timeout=60_000)
    answer = page.locator("#answer-lead").inner_text()
    assert "96.0%" in answer
    assert page.locator("#answer-badge").inner_text() == "답변"
    first_cite = page.locator("#citations li").first.inner_text()
    assert "105행" in first_cite and "신규자과정운영" in first_cite
    budget = page.locator("table.rows-table[data-table='budget_lines']")
    assert budget.count() == 1
    row = budget.locator("tbody tr", has_text="신규자과정운영")
    assert row.count() >= 1 and "96" in row.first.inner_text()
    assert page.locator("#facts tbody tr").count() >= 1
    page.screenshot(path=str(tmp_path / "answer.png"), full_page=True)
    assert (tmp_path / "answer.png").stat().st_size > 10_000


@pytest.mark.skipif(not has_ask(), reason="assistant.ask is not there yet (written in parallel)")
def test_a_refusal_is_shown_distinctly(page, tmp_path):
    page.fill("#question", "'; DROP TABLE budget_lines; --")
    page.click("#ask-button")
    page.wait_for_selector("#answer.refused", timeout=60_000)
    assert page.locator("#answer-badge").inner_text() == "답변할 수 없음"
    assert re.search(r"처리할 수 없|답할 수 없|없습니다", page.locator("#answer-lead").inner_text())
    assert page.locator("#rows-box").is_hidden()
    page.screenshot(path=str(tmp_path / "refused.png"), full_page=True)


SCREENSHOT_QUESTION = "신규자과정 예산이 작년 대비 몇 퍼센트나 줄어든 거죠?"
FACT_HEADERS = ["구분", "항목", "값", "위치(행)", "계산"]


def ask_on_page(page, question: str) -> dict:
    """Ask through the form; returns the API's answer object as the page received it."""
    page.fill("#question", question)
    with page.expect_response(lambda r: r.url.endswith("/api/v1/ask")) as info:
        page.click("#ask-button")
    body = info.value.json()
    page.locator("#history .turn-q").filter(has_text=question).first.wait_for(state="attached", timeout=60_000)
    return body


@pytest.mark.skipif(not has_ask(), reason="assistant.ask is not there yet (written in parallel)")
def test_the_lead_is_the_first_paragraph_and_the_facts_have_korean_headers(page, tmp_path):
    body = ask_on_page(page, SCREENSHOT_QUESTION)
    lead = body["answer"].split("\n\n", 1)[0]
    assert page.locator("#answer-lead").inner_text().strip() == lead.strip()
    assert float(page.locator("#answer-lead").evaluate("e => parseFloat(getComputedStyle(e).fontSize)")) >= 20
    if "\n\n" in body["answer"]:
        assert page.locator("#answer-evidence").is_visible()
        assert lead not in page.locator("#answer-evidence").inner_text()
    assert body["facts"], "this question states figures"
    assert page.locator("#facts thead th").all_inner_texts() == FACT_HEADERS
    rows = page.locator("#facts tbody tr")
    assert rows.count() == len(body["facts"])
    roles = {"answer": "답", "input": "계산에 쓴 값", "context": "참고"}
    for i, f in enumerate(body["facts"]):
        cells = rows.nth(i).locator("td").all_inner_texts()
        assert cells[0] == roles[f["role"]] and cells[1] == f["label"]
        if isinstance(f["value"], (int, float)) and f["value"] < 0:
            assert cells[2].startswith("△") and "-" not in cells[2]
        if isinstance(f["value"], (int, float)) and abs(f["value"]) >= 1000:
            assert "," in cells[2]
        assert cells[2].endswith(f["unit"].replace("대 1", ""))
        assert cells[4] == (f["formula"] or "")
    change = page.locator("table.rows-table[data-table='budget_lines'] td", has_text="278,023")
    assert change.count() == 0 or change.first.inner_text() == "△278,023"
    page.locator("#citations li .cite-open").first.click()  # the picture shows a citation opened in place
    page.locator("#citations .source-view .src-line.hl").first.wait_for(timeout=30_000)
    page.screenshot(path=str(tmp_path / "lead.png"), full_page=True)
    target = os.environ.get("HRD_SCREENSHOT")  # HRD_SCREENSHOT=docs/screenshot-answer.png refreshes the README's picture
    if target:
        page.screenshot(path=target, full_page=True)


@pytest.mark.skipif(not has_ask(), reason="assistant.ask is not there yet (written in parallel)")
def test_clicking_a_citation_highlights_its_report_lines(page, report_lines):
    body = ask_on_page(page, "신규자과정운영 집행률은?")
    cite = next(c for c in body["citations"] if c["lines"])
    start, end = cite["lines"][0], cite["lines"][-1]
    index = [c for c in body["citations"]].index(cite)
    page.locator("#citations li .cite-open").nth(index).click()
    view = page.locator("#citations li").nth(index).locator(".source-view")
    view.locator(".src-line").first.wait_for(timeout=30_000)
    lit = [int(n) for n in view.locator(".src-line.hl").evaluate_all("es => es.map(e => e.dataset.line)")]
    assert lit == list(range(start, end + 1))
    shown = [int(n) for n in view.locator(".src-line").evaluate_all("es => es.map(e => e.dataset.line)")]
    assert shown[0] == max(1, start - 3) and shown[-1] == min(len(report_lines), end + 3)
    assert view.locator(f".src-line[data-line='{start}'] .src-text").inner_text() == report_lines[start - 1]
    page.locator("#citations li .cite-open").nth(index).click()  # a second click closes it
    assert view.count() == 0


@pytest.mark.skipif(not has_ask(), reason="assistant.ask is not there yet (written in parallel)")
def test_history_keeps_the_conversation_and_new_chat_clears_it(page):
    first = ask_on_page(page, "신규자과정운영 집행률은?")
    ask_on_page(page, "이러닝 만족도는?")
    assert page.locator("#history .turn").count() == 2
    assert page.locator("#history .turn-a").first.inner_text().strip() == first["answer"].split("\n\n", 1)[0].strip()
    page.click("#new-chat")
    assert page.locator("#history .turn").count() == 0
    assert page.locator("#answer").is_hidden()
    again = ask_on_page(page, "이러닝 만족도는?")
    assert again["session_id"] and again["session_id"] != first["session_id"]
    assert page.locator("#history .turn").count() == 1


@pytest.mark.skipif(not has_ask(), reason="assistant.ask is not there yet (written in parallel)")
def test_backend_and_tools_are_behind_the_details_toggle(page):
    body = ask_on_page(page, "이러닝 만족도는?")
    meta = page.locator("#answer-meta")
    assert meta.is_hidden() and body["backend"] in meta.text_content()
    assert body["backend"] not in page.locator("#answer").inner_text()
    page.click("#details summary")
    assert meta.is_visible() and "ms" in meta.inner_text()
    if body["tool_calls"]:
        assert body["tool_calls"][0]["name"] in page.locator("#answer-tools").inner_text()


def test_an_error_is_shown_in_the_status_line(page):
    page.fill("#question", "가" * 10)
    page.evaluate("document.getElementById('question').value = ' '.repeat(3) + 'x'.repeat(2500)")
    page.click("#ask-button")
    page.wait_for_selector("#status.error", timeout=30_000)
    assert "422" in page.locator("#status").inner_text() and "너무 깁니다" in page.locator("#status").inner_text()
    page.hrd_errors[:] = [e for e in page.hrd_errors if "status of 422" not in e]


def test_without_a_key_the_page_says_so_and_opens_the_key_box(browser, base):
    context = browser.new_context(locale="ko-KR")
    pg = context.new_page()
    pg.goto(base + "/")
    pg.fill("#question", "이러닝 만족도는?")
    pg.click("#ask-button")
    pg.wait_for_selector("#status.error", timeout=30_000)
    assert "401" in pg.locator("#status").inner_text() and "API 키" in pg.locator("#status").inner_text()
    assert pg.locator("#key-box").get_attribute("open") is not None
    context.close()


def test_docs_render_offline_under_their_csp(browser, base, tmp_path):
    context = browser.new_context(locale="ko-KR")
    pg = context.new_page()
    problems: list[str] = []
    pg.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    pg.on("request", lambda r: problems.append(r.url) if not r.url.startswith(base) else None)
    pg.goto(base + "/docs")
    pg.wait_for_selector(".swagger-ui .info .title", timeout=30_000)
    assert "hrd-assistant API" in pg.locator(".swagger-ui .info .title").inner_text()
    assert pg.locator(".opblock").count() >= 10
    pg.screenshot(path=str(tmp_path / "docs.png"))
    context.close()
    assert not problems, problems
